"""The logistics grid of an exchange (one row per member, saved in one POST) and its
vehicles. Views parse, call the services (logistics/services.py), render; errors are shown in
the cell they belong to and what was typed is kept."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core.views import require_perm
from civicbridge.exchanges.models import Exchange
from civicbridge.exchanges.personal_data import PAGE, PersonalView
from civicbridge.logistics import rules, selectors, services
from civicbridge.logistics.forms import LEGS, LogisticsFormSet, VehicleForm, initial_of
from civicbridge.logistics.models import Vehicle

# Where a service's field error is shown: the grid's cell for it.
LEG_CELLS = {"number": "number", "at": "at", "place_wording": "place", "mode": "mode"}
STAY_CELLS = {"hotel_wording": "hotel", "room": "room", "nights": "nights"}
NEEDS_CELLS = {"dietary": "dietary", "mobility": "mobility"}
SEAT_CELLS = {"seat": "seat", "vehicle": "vehicle"}


class _Refused(Exception):
    """Some row was refused: nothing of the POST is kept."""


def _exchange(pk) -> Exchange:
    return get_object_or_404(
        Exchange.objects.alive().select_related("host_place", "visiting_place"), pk=pk
    )


def _put_errors(form, exc: ValidationError, cells: dict, prefix: str = "") -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        cell = cells.get(key)
        name = f"{prefix}{cell}" if cell else None
        form.add_error(name if name in form.fields else None, errors)


def _apply_row(form, row, vehicles: dict, actor) -> None:
    data, changed, member = form.cleaned_data, set(form.changed_data), row.member
    for direction in LEGS:
        names = {f"{direction}_{x}" for x in ("mode", "number", "at", "place", "pickup")}
        if not changed & names:
            continue
        leg = getattr(row, direction)
        wording = data[f"{direction}_place"]
        place = None
        if leg is not None and leg.place_id and wording == leg.place.name:
            place, wording = leg.place, leg.place_wording
        empty = not (data[f"{direction}_number"] or data[f"{direction}_at"] or wording or place)
        empty = empty and not data[f"{direction}_pickup"]
        try:
            if empty:
                services.remove_travel_leg(
                    member=member,
                    direction=direction,
                    expected_version=data[f"{direction}_version"],
                    actor=actor,
                )
            else:
                services.set_travel_leg(
                    member=member,
                    direction=direction,
                    mode=data[f"{direction}_mode"],
                    number=data[f"{direction}_number"],
                    at=data[f"{direction}_at"],
                    place=place,
                    place_wording=wording,
                    pickup=data[f"{direction}_pickup"],
                    note=leg.note if leg else "",
                    expected_version=data[f"{direction}_version"],
                    actor=actor,
                )
        except ValidationError as exc:
            _put_errors(form, exc, LEG_CELLS, f"{direction}_")
    if changed & {"hotel", "room", "nights"}:
        stay = row.stay
        hotel, wording = None, data["hotel"]
        if stay is not None and stay.hotel_id and wording == stay.hotel.name:
            hotel, wording = stay.hotel, stay.hotel_wording
        try:
            if not (hotel or wording or data["room"] or data["nights"] is not None):
                services.remove_stay(
                    member=member, expected_version=data["stay_version"], actor=actor
                )
            else:
                services.set_stay(
                    member=member,
                    hotel=hotel,
                    hotel_wording=wording,
                    room=data["room"],
                    nights=data["nights"],
                    note=stay.note if stay else "",
                    expected_version=data["stay_version"],
                    actor=actor,
                )
        except ValidationError as exc:
            _put_errors(form, exc, STAY_CELLS)
    if changed & {"vehicle", "seat"}:
        try:
            if data["vehicle"]:
                services.assign_seat(
                    member=member,
                    vehicle=vehicles[int(data["vehicle"])],
                    seat=data["seat"],
                    expected_version=data["seat_version"],
                    actor=actor,
                )
            else:
                services.unassign_seat(
                    member=member, expected_version=data["seat_version"], actor=actor
                )
        except ValidationError as exc:
            _put_errors(form, exc, SEAT_CELLS)
    if form.needs_visible and changed & {"dietary", "mobility"}:
        needs = row.needs
        try:
            services.set_needs(
                member=member,
                dietary=data["dietary"],
                mobility=data["mobility"],
                medical=needs.medical if needs else "",
                expected_version=data["needs_version"],
                actor=actor,
            )
        except ValidationError as exc:
            _put_errors(form, exc, NEEDS_CELLS)


def _vehicle_form(vehicle) -> VehicleForm:
    return VehicleForm(
        initial={
            "name": vehicle.name,
            "plate": vehicle.plate,
            "driver": vehicle.driver,
            "seats": vehicle.seats,
            "version": vehicle.version,
        },
        prefix=f"vehicle-{vehicle.pk}",
    )


def _sheet_links(exchange, days, groups) -> list[tuple]:
    """The logistics sheets of each day with travel: the whole exchange, then each group."""
    pdf = reverse("documents:logistics_sheet", args=[exchange.pk, "pdf"])
    xlsx = reverse("documents:logistics_sheet", args=[exchange.pk, "xlsx"])
    out = []
    for day in days:
        query = f"?day={day.isoformat()}"
        links = [(None, pdf + query, xlsx + query)]
        links += [(g, f"{pdf}{query}&group={g.pk}", f"{xlsx}{query}&group={g.pk}") for g in groups]
        out.append((day, links))
    return out


def _page(request, exchange, *, formset=None, add_form=None, vehicle_forms=None, status=200):
    user = request.user
    can_edit = user.has_perm(rules.CHANGE, exchange)
    zone = exchange.timezone
    rows = selectors.logistics_rows(exchange, personal=PersonalView(user, PAGE))
    vehicles = selectors.vehicles_of(exchange)
    if formset is None:
        formset = LogisticsFormSet(
            initial=[initial_of(r, zone) for r in rows], rows=rows, vehicles=vehicles, prefix="rows"
        )
    if not can_edit:
        for form in formset:
            for f in form.fields.values():
                f.disabled = True
    vehicle_forms = vehicle_forms or {}
    groups = sorted(
        {r.member.group for r in rows if r.member.group_id}, key=lambda g: (g.order, g.pk)
    )
    context = {
        "sheet_days": _sheet_links(exchange, selectors.travel_days(rows, zone), groups),
        "exchange": exchange,
        "can_edit": can_edit,
        "formset": formset,
        "grid_rows": list(zip(formset.forms, rows, strict=False)),
        "vehicle_rows": [(v, vehicle_forms.get(v.pk) or _vehicle_form(v)) for v in vehicles],
        "add_form": add_form or VehicleForm(prefix="vehicle"),
        "zone": zone,
        "sheet_pdf": reverse("documents:logistics_sheet", args=[exchange.pk, "pdf"]),
        "sheet_xlsx": reverse("documents:logistics_sheet", args=[exchange.pk, "xlsx"]),
    }
    with timezone.override(ZoneInfo(zone)):  # the times shown in the exchange's time zone
        return render(request, "logistics/grid.html", context, status=status)


@login_required
def grid(request, pk):
    exchange = _exchange(pk)
    require_perm(request, rules.VIEW, exchange)
    if request.method != "POST":
        return _page(request, exchange)
    require_perm(request, rules.CHANGE, exchange)
    zone = exchange.timezone
    rows = selectors.logistics_rows(exchange, personal=PersonalView(request.user, PAGE))
    vehicles = selectors.vehicles_of(exchange)
    formset = LogisticsFormSet(
        request.POST,
        initial=[initial_of(r, zone) for r in rows],
        rows=rows,
        vehicles=vehicles,
        prefix="rows",
    )
    # The times typed are in the exchange's time zone (and so are the initial values the
    # changes are compared with).
    with timezone.override(ZoneInfo(zone)):
        if formset.is_valid() and _saved(formset, rows, vehicles, request.user):
            messages.success(request, _("The logistics were saved."))
            return redirect(request.path)
    return _page(request, exchange, formset=formset, status=422)


def _saved(formset, rows, vehicles, actor) -> bool:
    """Every changed row through the services in one transaction; any refusal (its error
    put in its cell) rolls all of them back."""
    by_id = {v.pk: v for v in vehicles}
    try:
        with transaction.atomic():
            for form, row in zip(formset.forms, rows, strict=False):
                if form.has_changed():
                    _apply_row(form, row, by_id, actor)
            if any(form.errors for form in formset.forms):
                raise _Refused
    except _Refused:
        return False
    return True


@login_required
@require_POST
def vehicle_add(request, pk):
    exchange = _exchange(pk)
    require_perm(request, rules.CHANGE, exchange)
    form = VehicleForm(request.POST, prefix="vehicle")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.create_vehicle(
                exchange=exchange,
                name=data["name"],
                plate=data["plate"],
                driver=data["driver"],
                seats=data["seats"],
                actor=request.user,
            )
        except ValidationError as exc:
            _put_errors(form, exc, {k: k for k in form.fields})
        else:
            messages.success(request, _("The vehicle was added."))
            return redirect("logistics:grid", exchange.pk)
    return _page(request, exchange, add_form=form, status=422)


def _vehicle(pk) -> Vehicle:
    return get_object_or_404(
        Vehicle.objects.filter(exchange__deleted_at__isnull=True).select_related("exchange"),
        pk=pk,
    )


@login_required
@require_POST
def vehicle_change(request, pk):
    vehicle = _vehicle(pk)
    exchange = _exchange(vehicle.exchange_id)
    require_perm(request, rules.CHANGE, exchange)
    form = VehicleForm(request.POST, prefix=f"vehicle-{vehicle.pk}")
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_vehicle(
                vehicle=vehicle, expected_version=version, actor=request.user, **data
            )
        except ValidationError as exc:
            _put_errors(form, exc, {k: k for k in form.fields})
        else:
            messages.success(request, _("The vehicle was changed."))
            return redirect("logistics:grid", exchange.pk)
    return _page(request, exchange, vehicle_forms={vehicle.pk: form}, status=422)


@login_required
@require_POST
def vehicle_remove(request, pk):
    vehicle = _vehicle(pk)
    exchange = _exchange(vehicle.exchange_id)
    require_perm(request, rules.CHANGE, exchange)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.remove_vehicle(vehicle=vehicle, expected_version=version, actor=request.user)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The vehicle was removed."))
    return redirect("logistics:grid", exchange.pk)
