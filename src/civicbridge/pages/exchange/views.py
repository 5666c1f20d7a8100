"""The exchange page, one of its sections, and the forms of the exchange app's sections
(overview, roster, groups, itinerary, gifts, photos). Views parse → validate with a form →
call a service → render (``responses.form_response``).

Permissions (exchanges.rules, asked by name): reading needs ``exchanges.view_exchange``;
each write needs the narrowest permission on what it changes (``change_exchange`` for the
exchange, its organisations, gifts, photos and the split; ``change_group`` for a group;
``change_member`` for the roster; ``add_activity`` / ``change_activity`` /
``delete_activity`` for the itinerary). A refusal is a 403, GET or POST.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicbridge.core import hans_hant
from civicbridge.directory import services as directory_services
from civicbridge.exchanges import forms, services
from civicbridge.exchanges.models import (
    Activity,
    Composition,
    ExchangePlace,
    Label,
    Member,
    Statement,
)
from civicbridge.exchanges.views import (
    get_group,
    readable_exchange,
    reader_script,
    require,
    require_edit,
    script_name,
)
from civicbridge.pages.exchange.composition import get_section, render_section, sections_for
from civicbridge.pages.exchange.responses import (
    form_response,
    page_context,
    redirect_or_sections,
)

# --- the page ---------------------------------------------------------------------------------


@login_required
@require_GET
def exchange_detail(request, pk: int):
    exchange = readable_exchange(request, pk)
    base = page_context(request, exchange)
    return render(
        request,
        "exchanges/exchange_detail.html",
        {
            "exchange": exchange,
            "sections": sections_for(request, exchange, base),
            # "Copy as a new exchange" (exchanges/copying.py): no query, groups prefetched.
            "can_copy": request.user.has_perm("exchanges.copy_exchange", exchange),
            **base,
        },
    )


@login_required
@require_GET
def section(request, pk: int, key: str):
    """One section of the exchange page (HTMX: "cancel" on an inline edit)."""
    exchange = readable_exchange(request, pk)
    if get_section(key) is None:
        raise Http404
    return HttpResponse(render_section(request, exchange, key, page_context(request, exchange)))


# --- overview ----------------------------------------------------------------------------------


@login_required
def organisation_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    form = forms.ExchangeOrganisationForm(request.POST or None)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add an escorting, host or co-organising organisation"),
        action=reverse("exchanges:organisation_add", args=[pk]),
        section="overview",
        submit_label=_("Add"),
        perform=lambda f: services.add_exchange_organisation(
            exchange=exchange, actor=request.user, **f.cleaned_data
        ),
    )


# --- roster ------------------------------------------------------------------------------------


@login_required
def member_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require(request, "exchanges.change_member", exchange)
    form = forms.MemberAddForm(request.POST or None, exchange=exchange)

    def perform(f):
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


# --- groups ------------------------------------------------------------------------------------


@login_required
def group_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
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


@login_required
def group_edit(request, pk: int, group_id: int):
    exchange = readable_exchange(request, pk)
    group = get_group(exchange, group_id)
    require(request, "exchanges.change_group", group)
    initial = {
        "version": group.version,
        "name": group.name,
        "host_place": group.host_place,
        "host_organisation": group.host_organisation,
        "leader": group.leader,
        "start_date": group.start_date,
        "end_date": group.end_date,
        "declared_headcount": group.declared_headcount,
        "headcount_qualifier": group.headcount_qualifier,
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
        % {"name": hans_hant.convert_text(group.name, reader_script())},
        action=reverse("exchanges:group_edit", args=[pk, group_id]),
        section="groups",
        perform=perform,
        cancel_section="groups",
    )


@login_required
def split(request, pk: int):
    """Assign the members to groups in one form."""
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    members = list(exchange.members.all())
    groups = list(exchange.groups.all())
    form = forms.SplitForm(request.POST or None, members=members, groups=groups)

    def perform(f):
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
    initial = forms.ActivityForm.initial_new(exchange)
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
        title=_("Edit “%(title)s”")
        % {"title": hans_hant.convert_text(activity.title, reader_script())},
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
    exchange = readable_exchange(request, pk)
    activity = _activity(exchange, activity_id)
    require(request, "exchanges.change_activity", activity)
    if activity.starts_at is None:
        raise Http404  # not yet scheduled: it is edited (given times), not moved
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
        title=_("Move “%(title)s”")
        % {"title": hans_hant.convert_text(activity.title, reader_script())},
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


# --- photos (gifts: gifts.py) -----------------------------------------------------------------


@login_required
def photo_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    form = forms.PhotoForm(request.POST or None, request.FILES or None, exchange=exchange)

    def perform(f):
        d = dict(f.cleaned_data)
        d["image"] = d.get("image") or None
        services.add_photo(exchange=exchange, actor=request.user, **d)

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


# --- further places, composition, labels (overview) ------------------------------------------


@login_required
def place_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    form = forms.ExchangePlaceForm(request.POST or None)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add a visiting or host place"),
        action=reverse("exchanges:place_add", args=[pk]),
        section="overview",
        submit_label=_("Add the place"),
        perform=lambda f: services.add_exchange_place(
            exchange=exchange,
            role=f.cleaned_data["role"],
            place=f.cleaned_data.get("place"),
            wording=f.cleaned_data.get("wording", ""),
            actor=request.user,
        ),
        saved_message=_("The place was added."),
    )


@login_required
@require_POST
def place_remove(request, pk: int, row_id: int):
    exchange = readable_exchange(request, pk)
    row = get_object_or_404(ExchangePlace, pk=row_id, exchange=exchange)
    require_edit(request, exchange)
    services.remove_exchange_place(exchange_place=row, actor=request.user)
    return redirect_or_sections(request, exchange, "overview", _("The place was removed."))


@login_required
def composition_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    form = forms.CompositionForm(request.POST or None, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add to the composition"),
        action=reverse("exchanges:composition_add", args=[pk]),
        section="overview",
        submit_label=_("Add"),
        perform=lambda f: services.add_composition_row(
            exchange=exchange, actor=request.user, **f.cleaned_data
        ),
    )


@login_required
def composition_edit(request, pk: int, row_id: int):
    """Correct a composition row (the overview shows only "Edit" per row; taking the row
    out is offered in its form)."""
    exchange = readable_exchange(request, pk)
    row = get_object_or_404(Composition, pk=row_id, exchange=exchange)
    require_edit(request, exchange)
    initial = {"version": row.version, "label": row.label, "count": row.count, "group": row.group}
    form = forms.CompositionEditForm(request.POST or None, initial=initial, exchange=exchange)

    def perform(f):
        d = dict(f.cleaned_data)
        version = d.pop("version")
        services.update_composition_row(row=row, expected_version=version, actor=request.user, **d)

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Correct “%(label)s” in the composition")
        % {"label": hans_hant.convert_text(row.label, reader_script())},
        action=reverse("exchanges:composition_edit", args=[pk, row_id]),
        section="overview",
        perform=perform,
        cancel_section="overview",
        extra={
            "form_class": "inline-edit",
            "remove_url": reverse("exchanges:composition_remove", args=[pk, row_id]),
            "remove_label": _("Take out of the composition"),
            "remove_confirm": _("Take this row out of the composition?"),
        },
    )


@login_required
@require_POST
def composition_remove(request, pk: int, row_id: int):
    exchange = readable_exchange(request, pk)
    row = get_object_or_404(Composition, pk=row_id, exchange=exchange)
    require_edit(request, exchange)
    services.remove_composition_row(row=row, actor=request.user)
    return redirect_or_sections(request, exchange, "overview", _("Removed."))


@login_required
def label_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    form = forms.LabelForm(request.POST or None)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add a label"),
        action=reverse("exchanges:label_add", args=[pk]),
        section="overview",
        submit_label=_("Add the label"),
        perform=lambda f: services.label_exchange(
            exchange=exchange, name=f.cleaned_data["name"], actor=request.user
        ),
        saved_message=_("The label was added."),
    )


@login_required
@require_POST
def label_remove(request, pk: int, label_id: int):
    exchange = readable_exchange(request, pk)
    label = get_object_or_404(Label, pk=label_id)
    require_edit(request, exchange)
    services.unlabel_exchange(exchange=exchange, label=label, actor=request.user)
    return redirect_or_sections(request, exchange, "overview", _("The label was removed."))


# --- statements ---------------------------------------------------------------------------------


@login_required
def statement_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    form = forms.StatementForm(request.POST or None, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Record what was said"),
        action=reverse("exchanges:statement_add", args=[pk]),
        section="statements",
        submit_label=_("Record the statement"),
        perform=lambda f: services.add_statement(
            exchange=exchange, actor=request.user, **f.cleaned_data
        ),
        saved_message=_("The statement was recorded."),
    )


@login_required
def statement_edit(request, pk: int, statement_id: int):
    """Correct a statement (its text, kind, speaker, side or activity); the statements
    section shows only "Edit" per statement, and its removal is offered in the form."""
    exchange = readable_exchange(request, pk)
    statement = get_object_or_404(
        Statement.objects.select_related("person", "organisation", "activity"),
        pk=statement_id,
        exchange=exchange,
    )
    require_edit(request, exchange)
    initial = {
        "version": statement.version,
        "text": statement.text,
        "kind": statement.kind,
        "person": statement.person,
        "organisation": statement.organisation,
        "speaker_wording": statement.speaker_wording,
        "side": statement.side,
        "activity": statement.activity,
    }
    form = forms.StatementEditForm(
        request.POST or None,
        initial=initial,
        exchange=exchange,
        auto_id=f"statement-{statement.pk}_%s",
    )

    def perform(f):
        d = dict(f.cleaned_data)
        version = d.pop("version")
        services.update_statement(
            statement=statement, expected_version=version, actor=request.user, **d
        )

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Correct the statement"),
        action=reverse("exchanges:statement_edit", args=[pk, statement_id]),
        section="statements",
        perform=perform,
        saved_message=_("The statement was corrected."),
        cancel_section="statements",
        extra={
            "form_class": "inline-edit",
            "remove_url": reverse("exchanges:statement_remove", args=[pk, statement_id]),
            "remove_label": _("Remove the statement"),
            "remove_confirm": _("Remove this statement?"),
        },
    )


@login_required
@require_POST
def statement_remove(request, pk: int, statement_id: int):
    exchange = readable_exchange(request, pk)
    statement = get_object_or_404(Statement, pk=statement_id, exchange=exchange)
    require_edit(request, exchange)
    services.remove_statement(statement=statement, actor=request.user)
    return redirect_or_sections(request, exchange, "statements", _("The statement was removed."))
