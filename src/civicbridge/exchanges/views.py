"""The organiser's exchange pages: list, new exchange, the exchange page with its sections,
and the forms that edit it. Views parse → validate with a form → call a service → render.

Forms embedded in the exchange page post with HTMX: an invalid form comes back in place
with its errors next to the fields (and everything typed kept); a valid one re-renders all
sections of the page (so the overview counts, groups and conflict warnings stay in step).
Without JavaScript the same URLs work as ordinary pages.

Permissions (accounts.rules, asked by name): reading any of these pages needs
``exchanges.view_exchange``; each write needs the narrowest permission on what it changes
(``change_exchange`` for the exchange, its organisations, gifts, photos and the split;
``change_group`` for a group; ``change_member`` for the roster; ``add_activity`` /
``change_activity`` / ``delete_activity`` for the itinerary). A refusal is a 403, GET or POST.
An edit based on a stale version (``core.services.StaleVersion``) comes back with the
message above the form and everything typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicbridge.core import hans_hant
from civicbridge.core.services import StaleVersion
from civicbridge.exchanges import forms, sections, selectors, services
from civicbridge.exchanges.models import Activity, Exchange, Group, Member

PAGE_SIZE = 25


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


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


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


def _require_edit(request, exchange):
    """403 unless the user may change the exchange itself (``exchanges.change_exchange``)."""
    require(request, "exchanges.change_exchange", exchange)


require_edit = _require_edit


def redirect_or_sections(request, exchange, section: str, saved: str) -> HttpResponse:
    """After a change without a form (a remove button): HTMX gets the sections
    re-rendered, others a redirect to the section with a message."""
    if _is_htmx(request):
        response = render_sections(request, exchange, saved=saved)
        response["HX-Retarget"] = "#exchange-sections"
        response["HX-Reswap"] = f"innerHTML show:#section-{section}:top"
        return response
    messages.success(request, saved)
    return redirect(_detail_url(exchange, section))


def _base(request, exchange) -> dict:
    return {"can_edit": can_edit(request.user, exchange), "user": request.user}


def stale_error(form, exc: StaleVersion) -> None:
    """Show a refused stale edit above the form (a form-wide error); the bound form keeps
    everything the user typed."""
    for message in exc.messages:
        form.add_error(None, message)


def _detail_url(exchange, section: str | None = None) -> str:
    url = reverse("exchanges:detail", args=[exchange.pk])
    return f"{url}#section-{section}" if section else url


def render_sections(request, exchange, *, saved: str = "") -> HttpResponse:
    """All sections of the exchange page, for swapping into ``#exchange-sections``."""
    exchange = get_exchange(exchange.pk)  # fresh, with its prefetches
    html = render_to_string(
        "exchanges/includes/sections.html",
        {
            "exchange": exchange,
            "sections": sections.sections_for(request, exchange, _base(request, exchange)),
            "saved": saved,
        },
        request=request,
    )
    return HttpResponse(html)


def form_response(
    request,
    *,
    exchange,
    form,
    title: str,
    action: str,
    section: str,
    perform=None,
    submit_label: str = "",
    field_map: dict | None = None,
    saved_message: str = "",
    multipart: bool = False,
    cancel_section: str = "",
    form_template: str = "exchanges/includes/form.html",
    extra: dict | None = None,
):
    """The common form flow. ``perform(form)`` calls the service; a ValidationError it
    raises is put back on the fields. On success: HTMX requests get every section
    re-rendered into ``#exchange-sections``; others are redirected to the section."""
    if request.method == "POST" and form.is_valid() and perform is not None:
        try:
            perform(form)
        except StaleVersion as exc:
            stale_error(form, exc)
        except ValidationError as exc:
            forms.apply_errors(form, exc, field_map)
        else:
            saved = saved_message or _("Saved.")
            if _is_htmx(request):
                response = render_sections(request, exchange, saved=saved)
                response["HX-Retarget"] = "#exchange-sections"
                response["HX-Reswap"] = f"innerHTML show:#section-{section}:top"
                return response
            messages.success(request, saved)
            return redirect(_detail_url(exchange, section))
    context = {
        "exchange": exchange,
        "form": form,
        "title": title,
        "action": action,
        "submit_label": submit_label or _("Save"),
        "multipart": multipart,
        "section": section,
        "cancel_section": cancel_section,
        "form_template": form_template,
        "is_htmx": _is_htmx(request),
        **(extra or {}),
    }
    if _is_htmx(request):
        return render(request, form_template, context)
    return render(request, "exchanges/form_page.html", context)


# --- list and new exchange -----------------------------------------------------------------


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
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    from urllib.parse import urlencode

    return render(
        request,
        "exchanges/exchange_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "filter_query": urlencode(query),
            "can_create": can_edit(request.user),
        },
    )


@login_required
def exchange_create(request):
    require(request, "exchanges.add_exchange")
    form = forms.ExchangeForm(request.POST or None, initial={"status": "planned"})
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.create_exchange(**form.service_fields(), actor=request.user)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("The exchange was created."))
            return redirect(_detail_url(exchange))
    return render(request, "exchanges/exchange_form.html", {"form": form, "exchange": None})


@login_required
def exchange_edit(request, pk: int):
    exchange = readable_exchange(request, pk)
    _require_edit(request, exchange)
    initial = {
        "version": exchange.version,
        "title": exchange.title,
        "start_date": exchange.start_date,
        "end_date": exchange.end_date,
        "visiting_organisation": exchange.visiting_organisation,
        "visiting_place": exchange.visiting_place,
        "host_place": exchange.host_place,
        "status": exchange.status,
        "declared_headcount": exchange.declared_headcount,
        "timezone": exchange.timezone,
        "summary": exchange.summary,
    }
    form = forms.ExchangeForm(request.POST or None, initial=initial)
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
            return redirect(_detail_url(exchange))
    return render(request, "exchanges/exchange_form.html", {"form": form, "exchange": exchange})


# --- the exchange page ------------------------------------------------------------------------


@login_required
@require_GET
def exchange_detail(request, pk: int):
    exchange = readable_exchange(request, pk)
    base = _base(request, exchange)
    all_sections = sections.sections_for(request, exchange, base)
    return render(
        request,
        "exchanges/exchange_detail.html",
        {"exchange": exchange, "sections": all_sections, **base},
    )


@login_required
@require_GET
def section(request, pk: int, key: str):
    """One section of the exchange page (HTMX: "cancel" on an inline edit)."""
    exchange = readable_exchange(request, pk)
    if sections.get_section(key) is None:
        raise Http404
    return HttpResponse(sections.render_section(request, exchange, key, _base(request, exchange)))


@login_required
def organisation_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    _require_edit(request, exchange)
    form = forms.ExchangeOrganisationForm(request.POST or None)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add an escorting, host or co-organising organisation"),
        action=reverse("exchanges:organisation_add", args=[pk]),
        section="overview",
        submit_label=_("Add"),
        perform=lambda f: services.add_exchange_organisation(exchange=exchange, **f.cleaned_data),
    )


# --- roster ------------------------------------------------------------------------------------


@login_required
def member_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require(request, "exchanges.change_member", exchange)
    form = forms.MemberAddForm(request.POST or None, exchange=exchange)

    def perform(f):
        from django.db import transaction

        from civicbridge.directory import services as directory_services

        d = f.cleaned_data
        with transaction.atomic():
            person = d.get("person")
            if person is None:
                person = directory_services.create_person(
                    name=d["new_person_name"], home_place=d.get("home_place")
                )
            services.add_member(
                exchange=exchange,
                person=person,
                role=d["role"],
                side=d["side"],
                title=d.get("title", ""),
                organisation=d.get("organisation"),
                home_place=d.get("home_place"),
                group=d.get("group"),
            )

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add a member"),
        action=reverse("exchanges:member_add", args=[pk]),
        section="roster",
        submit_label=_("Add to the roster"),
        perform=perform,
        field_map={"name": "new_person_name"},
        saved_message=_("Added to the roster."),
    )


def _member(exchange, member_id) -> Member:
    return get_object_or_404(
        Member.objects.select_related("person", "organisation", "home_place", "group"),
        pk=member_id,
        exchange=exchange,
    )


@login_required
def member_edit(request, pk: int, member_id: int):
    exchange = readable_exchange(request, pk)
    member = _member(exchange, member_id)
    require(request, "exchanges.change_member", member)
    initial = {
        "version": member.version,
        "role": member.role,
        "side": member.side,
        "title": member.title,
        "organisation": member.organisation,
        "home_place": member.home_place,
        "group": member.group,
    }
    form = forms.MemberEditForm(request.POST or None, initial=initial, exchange=exchange)

    def perform(f):
        d = dict(f.cleaned_data)
        version = d.pop("version", None)
        services.update_member(member=member, expected_version=version, **d)

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Edit %(name)s in the roster") % {"name": script_name(member.person)},
        action=reverse("exchanges:member_edit", args=[pk, member_id]),
        section="roster",
        perform=perform,
        cancel_section="roster",
        extra={
            # The roster shows only "Edit" per member; taking someone off is offered here.
            "remove_url": reverse("exchanges:member_remove", args=[pk, member_id]),
            "remove_label": _("Take off the roster"),
            "remove_confirm": _("Take this person off the roster?"),
        },
    )


@login_required
@require_POST
def member_remove(request, pk: int, member_id: int):
    exchange = readable_exchange(request, pk)
    member = _member(exchange, member_id)
    require(request, "exchanges.change_member", member)
    services.remove_member(member=member)
    saved = _("%(name)s was taken off the roster.") % {"name": script_name(member.person)}
    return redirect_or_sections(request, exchange, "roster", saved)


def script_name(obj) -> str:
    from civicbridge.core.templatetags.script import name_filter

    return str(name_filter(obj))


# --- groups ------------------------------------------------------------------------------------


@login_required
def group_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    _require_edit(request, exchange)
    form = forms.GroupForm(request.POST or None, exchange=exchange)

    def perform(f):
        d = dict(f.cleaned_data)
        d.pop("version", None)
        services.create_group(exchange=exchange, actor=request.user, **d)

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add a group"),
        action=reverse("exchanges:group_add", args=[pk]),
        section="groups",
        submit_label=_("Add the group"),
        perform=perform,
    )


def _group(exchange, group_id) -> Group:
    return get_object_or_404(
        Group.objects.select_related("host_place__parent", "host_organisation", "leader__person"),
        pk=group_id,
        exchange=exchange,
    )


@login_required
def group_edit(request, pk: int, group_id: int):
    exchange = readable_exchange(request, pk)
    group = _group(exchange, group_id)
    require(request, "exchanges.change_group", group)
    initial = {
        "version": group.version,
        "name": group.name,
        "host_place": group.host_place,
        "host_organisation": group.host_organisation,
        "leader": group.leader,
        "declared_headcount": group.declared_headcount,
        "headline": group.headline,
    }
    form = forms.GroupForm(
        request.POST or None, initial=initial, exchange=exchange, auto_id="group-edit_%s"
    )

    def perform(f):
        d = dict(f.cleaned_data)
        version = d.pop("version", None)
        services.update_group(group=group, expected_version=version, actor=request.user, **d)

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Edit the group %(name)s")
        % {"name": hans_hant.convert_text(group.name, _reader())},
        action=reverse("exchanges:group_edit", args=[pk, group_id]),
        section="groups",
        perform=perform,
        cancel_section="groups",
    )


def _reader() -> str:
    from django.utils import translation

    return hans_hant.script_of_language(translation.get_language())


@login_required
def split(request, pk: int):
    """Assign the members to groups in one form."""
    exchange = readable_exchange(request, pk)
    _require_edit(request, exchange)
    members = list(exchange.members.all())
    groups = list(exchange.groups.all())
    form = forms.SplitForm(request.POST or None, members=members, groups=groups)

    def perform(f):
        from django.db import transaction

        with transaction.atomic():
            for member, group in f.changes():
                services.assign_member_to_group(member=member, group=group)

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Split the delegation into groups"),
        action=reverse("exchanges:split", args=[pk]),
        section="groups",
        submit_label=_("Save the groups"),
        perform=perform,
        form_template="exchanges/includes/split_form.html",
        saved_message=_("The groups were saved."),
    )


@login_required
@require_GET
def group_detail(request, pk: int, group_id: int):
    """A group's printable day timetable."""
    from zoneinfo import ZoneInfo

    require(request, "exchanges.view_exchange")
    # Only what this page shows: the exchange itself (not its roster, groups and
    # organisations, as the exchange page needs), the group and the group's members.
    exchange = get_object_or_404(
        Exchange.objects.select_related("visiting_organisation", "visiting_place", "host_place"),
        pk=pk,
    )
    if exchange.is_deleted:
        raise Http404
    group = _group(exchange, group_id)
    tz = ZoneInfo(exchange.timezone)
    activities = list(selectors.activities_for(exchange))
    conflicts = selectors.itinerary_conflicts(exchange, activities)
    _rows, by_activity = sections.conflict_messages(conflicts, tz)
    members = list(group.members.select_related("person").order_by("order", "id"))
    return render(
        request,
        "exchanges/group_itinerary.html",
        {
            "exchange": exchange,
            "group": group,
            "members": members,
            "days": sections.build_days(
                exchange, activities, [group], by_activity, only_group=group
            ),
            "tz": exchange.timezone,
        },
    )


# --- itinerary -------------------------------------------------------------------------------


def _activity(exchange, activity_id) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("place", "venue", "exchange").prefetch_related(
            "groups", "hosts"
        ),
        pk=activity_id,
        exchange=exchange,
    )


@login_required
def activity_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require(request, "exchanges.add_activity", exchange)
    initial = {"day": exchange.start_date, "time_precision": "exact"}
    form = forms.ActivityForm(request.POST or None, initial=initial, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add an activity"),
        action=reverse("exchanges:activity_add", args=[pk]),
        section="itinerary",
        submit_label=_("Add to the itinerary"),
        perform=lambda f: services.create_activity(
            exchange=exchange, actor=request.user, **f.service_fields()
        ),
        field_map={"starts_at": "day", "ends_at": "end_time"},
        saved_message=_("The activity was added."),
    )


@login_required
def activity_edit(request, pk: int, activity_id: int):
    exchange = readable_exchange(request, pk)
    activity = _activity(exchange, activity_id)
    require(request, "exchanges.change_activity", activity)
    form = forms.ActivityForm(
        request.POST or None,
        initial=forms.ActivityForm.initial_for(activity),
        exchange=exchange,
        auto_id=f"activity-{activity.pk}_%s",
    )

    def perform(f):
        fields = f.service_fields()
        services.update_activity(
            activity=activity,
            expected_version=f.cleaned_data.get("version"),
            actor=request.user,
            **fields,
        )

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Edit “%(title)s”") % {"title": hans_hant.convert_text(activity.title, _reader())},
        action=reverse("exchanges:activity_edit", args=[pk, activity_id]),
        section="itinerary",
        perform=perform,
        field_map={"starts_at": "day", "ends_at": "end_time"},
        cancel_section="itinerary",
        extra={"form_class": "inline-edit", **_removal(request, activity)},
    )


def _removal(request, activity) -> dict:
    """The "Remove" button of the activity's edit form, for those who may delete it (the
    itinerary shows only "Edit" and "Move" per activity)."""
    if not request.user.has_perm("exchanges.delete_activity", activity):
        return {}
    return {
        "remove_url": reverse(
            "exchanges:activity_delete", args=[activity.exchange_id, activity.pk]
        ),
        "remove_label": _("Remove from the itinerary"),
        "remove_confirm": _("Remove this activity from the itinerary?"),
    }


@login_required
def activity_move(request, pk: int, activity_id: int):
    """Move an activity to another start, keeping its length."""
    from zoneinfo import ZoneInfo

    exchange = readable_exchange(request, pk)
    activity = _activity(exchange, activity_id)
    require(request, "exchanges.change_activity", activity)
    start = activity.starts_at.astimezone(ZoneInfo(exchange.timezone))
    form = forms.MoveActivityForm(
        request.POST or None,
        initial={"version": activity.version, "day": start.date(), "start_time": start.time()},
        exchange=exchange,
        auto_id=f"move-{activity.pk}_%s",
    )

    def perform(f):
        services.move_activity(
            activity=activity,
            starts_at=f.starts_at(),
            expected_version=f.cleaned_data.get("version"),
            actor=request.user,
        )

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Move “%(title)s”") % {"title": hans_hant.convert_text(activity.title, _reader())},
        action=reverse("exchanges:activity_move", args=[pk, activity_id]),
        section="itinerary",
        submit_label=_("Move"),
        perform=perform,
        field_map={"starts_at": "day", "ends_at": "start_time"},
        cancel_section="itinerary",
        extra={"form_class": "inline-edit"},
    )


@login_required
@require_POST
def activity_delete(request, pk: int, activity_id: int):
    exchange = readable_exchange(request, pk)
    activity = _activity(exchange, activity_id)
    require(request, "exchanges.delete_activity", activity)
    services.delete_activity(activity=activity)
    saved = _("The activity was removed from the itinerary.")
    return redirect_or_sections(request, exchange, "itinerary", saved)


# --- gifts and photos -------------------------------------------------------------------------


@login_required
def gift_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    _require_edit(request, exchange)
    form = forms.GiftForm(request.POST or None, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Record a gift"),
        action=reverse("exchanges:gift_add", args=[pk]),
        section="gifts",
        submit_label=_("Record the gift"),
        perform=lambda f: services.record_gift(exchange=exchange, **f.cleaned_data),
        saved_message=_("The gift was recorded."),
    )


@login_required
def photo_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    _require_edit(request, exchange)
    form = forms.PhotoForm(request.POST or None, request.FILES or None, exchange=exchange)

    def perform(f):
        d = dict(f.cleaned_data)
        d["image"] = d.get("image") or None
        services.add_photo(exchange=exchange, **d)

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add a photo"),
        action=reverse("exchanges:photo_add", args=[pk]),
        section="photos",
        submit_label=_("Upload"),
        perform=perform,
        multipart=True,
        saved_message=_("The photo was added."),
    )


@login_required
@require_GET
def photo_file(request, photo_id: int, which: str = "image"):
    """A photo's image or thumbnail, for those who may read its exchange
    (``exchanges.view_exchange``): sent with our own type, inline (we encoded it)."""
    from civicbridge.core import uploads
    from civicbridge.exchanges.models import Photo

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


# --- type-ahead over organisations --------------------------------------------------------------


@login_required
@require_GET
def lookup_organisations(request):
    """Type-ahead over organisations, either script (JSON)."""
    require(request, "exchanges.view_exchange")
    from civicbridge.core.selectors import search_organisations

    query = request.GET.get("q", "").strip()
    which = _reader()
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
