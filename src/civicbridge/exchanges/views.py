"""The exchange's own pages: the list, a new exchange, editing an exchange, a group's
printable timetable, a photo's file and the type-ahead over organisations; and the
helpers the exchange page's views share (``civicbridge/pages/exchange/``: the exchange page
is a column of sections from several apps, so it lives in the page tier).

Views parse → validate with a form → call a service → render.

Permissions (exchanges.rules, asked by name): reading any of these pages needs
``exchanges.view_exchange``; each write needs the narrowest permission on what it changes
(``change_exchange`` for the exchange). A refusal is a 403, GET or POST. An edit based on a
stale version (``core.services.StaleVersion``) comes back with the message above the form
and everything typed kept.
"""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicbridge.core import hans_hant, uploads
from civicbridge.core.services import StaleVersion
from civicbridge.core.templatetags.script import name_filter
from civicbridge.directory.models import Place
from civicbridge.directory.selectors import search_organisations
from civicbridge.exchanges import forms, selectors, services
from civicbridge.exchanges.itinerary import build_days, conflict_messages, unscheduled_items
from civicbridge.exchanges.models import Exchange, Gift, Group, Label, Photo

PAGE_SIZE = 25


# --- helpers shared with the exchange page's views ---------------------------------------------


def can_edit(user, exchange=None) -> bool:
    """Whether ``user`` may change ``exchange`` (or, without one, create an exchange)."""
    if user is None:
        return False
    if exchange is not None:
        return user.has_perm("exchanges.change_exchange", exchange)
    return user.has_perm("exchanges.add_exchange")


def require(request, perm: str, obj=None) -> None:
    """403 unless the user holds ``perm`` (on ``obj``)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def require_edit(request, exchange) -> None:
    """403 unless the user may change the exchange itself (``exchanges.change_exchange``)."""
    require(request, "exchanges.change_exchange", exchange)


def get_exchange(pk: int) -> Exchange:
    try:
        exchange = selectors.exchange_detail(pk)
    except Exchange.DoesNotExist as exc:
        raise Http404 from exc
    if exchange.is_deleted:
        raise Http404
    return exchange


def readable_exchange(request, pk: int) -> Exchange:
    """The exchange, for a user allowed to read exchanges (403 otherwise, 404 if missing)."""
    require(request, "exchanges.view_exchange")
    return get_exchange(pk)


def get_group(exchange, group_id) -> Group:
    return get_object_or_404(
        Group.objects.select_related("host_place__parent", "host_organisation", "leader__person"),
        pk=group_id,
        exchange=exchange,
    )


def stale_error(form, exc: StaleVersion) -> None:
    """Show a refused stale edit above the form (a form-wide error); the bound form keeps
    everything the user typed."""
    for message in exc.messages:
        form.add_error(None, message)


def detail_url(exchange, section: str | None = None) -> str:
    """The exchange page, or one of its sections (``#section-<key>``)."""
    url = reverse("exchanges:detail", args=[exchange.pk])
    return f"{url}#section-{section}" if section else url


def script_name(obj) -> str:
    """A named record (person, place, organisation) in the reader's script."""
    return str(name_filter(obj))


def reader_script() -> str:
    """The reader's script (``hans`` / ``hant``), from the active language."""
    return hans_hant.script_of_language(translation.get_language())


# --- list, new exchange, edit ---------------------------------------------------------------


@login_required
@require_GET
def exchange_list(request):
    require(request, "exchanges.view_exchange")
    years = list(
        Exchange.objects.alive()
        .annotate(year=ExtractYear("start_date"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    filters = forms.ExchangeFilterForm(request.GET or None, years=years)
    qs = (
        Exchange.objects.alive()
        .select_related("visiting_organisation", "visiting_place", "host_place")
        .annotate(
            member_count=Count("members", distinct=True), group_count=Count("groups", distinct=True)
        )
        .order_by("-start_date", "-id")
    )
    query = {}
    if filters.is_valid():
        if filters.cleaned_data.get("status"):
            qs = qs.filter(status=filters.cleaned_data["status"])
            query["status"] = filters.cleaned_data["status"]
        if filters.cleaned_data.get("year"):
            qs = qs.filter(start_date__year=filters.cleaned_data["year"])
            query["year"] = filters.cleaned_data["year"]
    # Hosted in a place (and below) / visiting from one: the exchanges-per-district links.
    places_filtered = []
    for param, where in (("host", selectors.hosted_within), ("visiting", selectors.visiting_from)):
        value = request.GET.get(param, "")
        valid = value.isdecimal() and len(value) < 10
        place = Place.objects.filter(pk=int(value)).first() if valid else None
        if place is not None:
            qs = qs.filter(where(place))
            query[param] = place.pk
            places_filtered.append((param, place))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # What counts as visits (the statistics' rule): held, not deleted, within the filters.
    held = selectors.held_exchanges(qs.order_by().values("pk")).count()
    return render(
        request,
        "exchanges/exchange_list.html",
        {
            "page_obj": page,
            "held_count": held,
            "filters": filters,
            "filter_query": urlencode(query),
            "places_filtered": places_filtered,
            "can_create": can_edit(request.user),
        },
    )


@login_required
def exchange_create(request):
    require(request, "exchanges.add_exchange")
    form = forms.ExchangeForm(request.POST or None, initial={"status": "planned"})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                exchange = services.create_exchange(**form.service_fields(), actor=request.user)
                for place in form.further_places():
                    services.add_exchange_place(
                        exchange=exchange, role="visiting", place=place, actor=request.user
                    )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("The exchange was created."))
            return redirect(detail_url(exchange))
    return render(request, "exchanges/exchange_form.html", {"form": form, "exchange": None})


@login_required
def exchange_edit(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    initial = {
        "version": exchange.version,
        "title": exchange.title,
        "start_date": exchange.start_date,
        "end_date": exchange.end_date,
        "date_precision": exchange.date_precision,
        "date_note": exchange.date_note,
        "visiting_organisation": exchange.visiting_organisation,
        "delegation_name": exchange.delegation_name,
        "visiting_place": exchange.visiting_place,
        "host_place": exchange.host_place,
        "status": exchange.status,
        "declared_headcount": exchange.declared_headcount,
        "headcount_qualifier": exchange.headcount_qualifier,
        "timezone": exchange.timezone,
        "summary": exchange.summary,
    }
    form = forms.ExchangeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_exchange(
                exchange=exchange,
                expected_version=form.cleaned_data.get("version"),
                actor=request.user,
                **form.service_fields(),
            )
        except StaleVersion as exc:
            stale_error(form, exc)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(detail_url(exchange))
    return render(request, "exchanges/exchange_form.html", {"form": form, "exchange": exchange})


# --- a group's timetable --------------------------------------------------------------------


@login_required
@require_GET
def group_detail(request, pk: int, group_id: int):
    """A group's printable day timetable."""
    require(request, "exchanges.view_exchange")
    # Only what this page shows: the exchange itself (not its roster, groups and
    # organisations, as the exchange page needs), the group and the group's members.
    exchange = get_object_or_404(
        Exchange.objects.select_related("visiting_organisation", "visiting_place", "host_place"),
        pk=pk,
    )
    if exchange.is_deleted:
        raise Http404
    group = get_group(exchange, group_id)
    tz = ZoneInfo(exchange.timezone)
    activities = list(selectors.activities_for(exchange))
    conflicts = selectors.itinerary_conflicts(exchange, activities)
    _rows, by_activity = conflict_messages(conflicts, tz)
    members = list(group.members.select_related("person").order_by("order", "id"))
    return render(
        request,
        "exchanges/group_itinerary.html",
        {
            "exchange": exchange,
            "group": group,
            "members": members,
            "days": build_days(exchange, activities, [group], by_activity, only_group=group),
            "unscheduled": unscheduled_items(activities, only_group=group),
            "tz": exchange.timezone,
        },
    )


# --- photos ---------------------------------------------------------------------------------


@login_required
@require_GET
def photo_file(request, photo_id: int, which: str = "image"):
    """A photo's image or thumbnail, for those who may read its exchange
    (``exchanges.view_exchange``): sent with our own type, inline (we encoded it)."""
    photo = get_object_or_404(
        Photo.objects.select_related("exchange"), pk=photo_id, exchange__deleted_at__isnull=True
    )
    require(request, "exchanges.view_exchange", photo.exchange)
    if which == "thumbnail":
        stored, content_type = photo.thumbnail, Photo.THUMBNAIL_TYPE
    else:
        stored, content_type = photo.image, photo.content_type
    if not stored or content_type not in uploads.INLINE_TYPES:
        raise Http404
    name = photo.original_name or f"photo-{photo.pk}"
    return uploads.file_response(
        stored,
        content_type=content_type,
        filename=uploads.download_name(name, content_type),
        inline=True,
    )


# --- the gifts register ---------------------------------------------------------------------

GIFT_PAGE_SIZE = 50


def gift_register_filters(request) -> tuple[forms.GiftRegisterFilterForm, selectors.GiftFilters]:
    """The register's filters from the query string (the page and its Excel export)."""
    form = forms.GiftRegisterFilterForm(
        request.GET or None, years=selectors.gift_years(request.user)
    )
    return form, selectors.GiftFilters(**form.filters())


@login_required
@require_GET
def gift_register(request):
    """The gifts of every exchange in the reader's scope (selectors.exchanges_in_scope),
    with their registration status and deadline; filtered by year, direction, status and
    overdue; paginated in SQL. Reading needs ``exchanges.view_exchange``."""
    require(request, "exchanges.view_exchange")
    filter_form, filters = gift_register_filters(request)
    today = timezone.localdate()
    rows = selectors.gift_register(request.user, filters, today=today)
    page = Paginator(rows, GIFT_PAGE_SIZE).get_page(request.GET.get("page"))
    for gift in page.object_list:
        gift.is_overdue = gift.is_overdue_on(today)
    query = {k: v for k, v in request.GET.items() if k != "page" and k in filter_form.fields}
    return render(
        request,
        "exchanges/gift_register.html",
        {
            "page_obj": page,
            "filters": filter_form,
            "filter_query": urlencode(query),
            "today": today,
        },
    )


@login_required
@require_GET
def gift_photo(request, gift_id: int, which: str = "photo"):
    """A gift's photo or its thumbnail, for those who may read its exchange
    (``exchanges.view_exchange``), as a photo's (we encoded it)."""
    gift = get_object_or_404(
        Gift.objects.select_related("exchange"), pk=gift_id, exchange__deleted_at__isnull=True
    )
    require(request, "exchanges.view_exchange", gift.exchange)
    if which == "thumbnail":
        stored, content_type = gift.thumbnail, Gift.THUMBNAIL_TYPE
    else:
        stored, content_type = gift.photo, gift.photo_type
    if not stored or content_type not in uploads.INLINE_TYPES:
        raise Http404
    name = gift.photo_name or f"gift-{gift.pk}"
    return uploads.file_response(
        stored,
        content_type=content_type,
        filename=uploads.download_name(name, content_type),
        inline=True,
    )


# --- type-ahead over organisations --------------------------------------------------------------


@login_required
@require_GET
def lookup_organisations(request):
    """Type-ahead over organisations, either script (JSON)."""
    require(request, "exchanges.view_exchange")
    query = request.GET.get("q", "").strip()
    which = reader_script()
    rows = search_organisations(query, limit=15) if query else []
    return JsonResponse(
        {
            "results": [
                {
                    "id": o.pk,
                    "name": o.name_in(which),
                    "place": o.place.display_name_in(which) if o.place_id else "",
                }
                for o in rows
            ]
        }
    )


# --- labels on places ---------------------------------------------------------------------------


@login_required
@require_POST
def place_label_add(request, place_id: int):
    """Put a label on a place (its page's form); ``exchanges.label_place``."""
    place = get_object_or_404(Place, pk=place_id)
    require(request, "exchanges.label_place", place)
    try:
        services.label_place(place=place, name=request.POST.get("name", ""), actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The label was added."))
    return redirect(place.get_absolute_url())


@login_required
@require_POST
def place_label_remove(request, place_id: int, label_id: int):
    place = get_object_or_404(Place, pk=place_id)
    label = get_object_or_404(Label, pk=label_id)
    require(request, "exchanges.label_place", place)
    services.unlabel_place(place=place, label=label, actor=request.user)
    messages.success(request, _("The label was removed."))
    return redirect(place.get_absolute_url())
