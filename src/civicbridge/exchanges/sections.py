"""The exchange app's sections of the exchange page: what each section template is given.

The page itself, the order of its sections and the views that render them are in the page
tier (``civicbridge/pages/exchange/``): each ``*_context(request, exchange) -> dict`` here
is listed there next to its title and template. A context function keeps the number of
queries fixed (the exchange page has a query-count test): the exchange comes with its
members, groups and organisations prefetched (``selectors.exchange_detail``).

``exchange_activities(exchange)`` is the itinerary read once per page: the itinerary and
the forums sections share it.
"""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from civicbridge.core.choices import choice_labels
from civicbridge.exchanges import forms, selectors
from civicbridge.exchanges.itinerary import build_days, conflict_messages, unscheduled_items
from civicbridge.exchanges.models import (
    Activity,
    ExchangeOrganisation,
    ExchangePlace,
    Member,
    Statement,
)
from civicbridge.exchanges.rules import editable_activity_ids, editable_group_ids


def _members(exchange):
    return list(exchange.members.all())


def _groups(exchange):
    return list(exchange.groups.all())


def exchange_activities(exchange) -> list:
    """The exchange's activities (``selectors.activities_for``: place, venue, groups, hosts
    and participants loaded), read once per exchange object: the itinerary and the forums
    sections of one page share them. Views pass a freshly read exchange after a change."""
    cached = exchange.__dict__.get("_page_activities")
    if cached is None:
        cached = list(selectors.activities_for(exchange))
        exchange.__dict__["_page_activities"] = cached
    return cached


def _remove_url(name: str, exchange, pk: int, can: bool) -> str:
    return reverse(name, args=[exchange.pk, pk]) if can else ""


def overview_context(request, exchange) -> dict:
    orgs = list(exchange.organisations.all())
    members = _members(exchange)
    can = request.user.has_perm("exchanges.change_exchange", exchange)
    places = [
        {"row": p, "remove_url": _remove_url("exchanges:place_remove", exchange, p.pk, can)}
        for p in exchange.places.all()
    ]
    # "Edit" loads the row's form into the overview (it also offers taking the row out).
    composition = [
        {"row": c, "edit_url": _remove_url("exchanges:composition_edit", exchange, c.pk, can)}
        for c in exchange.composition.all()
        if c.group_id is None
    ]
    labels = [
        {"label": lb, "remove_url": _remove_url("exchanges:label_remove", exchange, lb.pk, can)}
        for lb in exchange.labels.all()
    ]
    return {
        "escorts": [o for o in orgs if o.role == ExchangeOrganisation.Role.ESCORT],
        "hosts_orgs": [o for o in orgs if o.role == ExchangeOrganisation.Role.HOST],
        "co_organisers": [o for o in orgs if o.role == ExchangeOrganisation.Role.CO_ORGANISER],
        "inviters": [o for o in orgs if o.role == ExchangeOrganisation.Role.INVITER],
        "visiting_orgs": [
            o
            for o in orgs
            if o.role in (ExchangeOrganisation.Role.VISITING, ExchangeOrganisation.Role.PERFORMING)
        ],
        "visiting_places": [p for p in places if p["row"].role == ExchangePlace.Role.VISITING],
        "host_places": [p for p in places if p["row"].role == ExchangePlace.Role.HOST],
        "composition": composition,
        "labels": labels,
        "named_count": len(members),
        "leaders": [m for m in members if m.role in ("leader", "deputy_leader")],
        "host_members": [m for m in members if m.side == "host"],
    }


def roster_context(request, exchange) -> dict:
    members = _members(exchange)
    # The roster: the exchange's organisers and the visiting organisation's coordinator.
    can_edit_members = request.user.has_perm("exchanges.change_member", exchange)
    roles = choice_labels(Member, "role")
    rows = [{"member": m, "role": roles.get(m.role, m.role)} for m in members]
    if can_edit_members:
        # "Edit" loads the member's form into the roster (it also offers the removal).
        for row in rows:
            row["edit_url"] = reverse("exchanges:member_edit", args=[exchange.pk, row["member"].pk])
    return {
        "rows": rows,
        # The add form is open (and rendered) only while the roster is empty; otherwise it
        # is fetched when its disclosure is opened (exchanges/includes/lazy_form.html).
        "member_form": (
            forms.MemberAddForm(exchange=exchange) if can_edit_members and not members else None
        ),
        "members": members,
        "named_count": len(members),
        "visiting": [m for m in members if m.side == "visiting"],
        "host_side": [m for m in members if m.side == "host"],
        "can_edit_members": can_edit_members,
    }


def groups_context(request, exchange) -> dict:
    members = _members(exchange)
    by_group = defaultdict(list)
    for m in members:
        by_group[m.group_id].append(m)
    groups = _groups(exchange)
    editable = editable_group_ids(request.user, exchange)
    composition = defaultdict(list)
    for row in exchange.composition.all():
        if row.group_id is not None:
            composition[row.group_id].append(row)
    return {
        "groups": [
            {
                "group": g,
                "members": by_group.get(g.pk, []),
                "composition": composition.get(g.pk, []),
                "url": reverse("exchanges:group", args=[exchange.pk, g.pk]),
                "edit_url": (
                    reverse("exchanges:group_edit", args=[exchange.pk, g.pk])
                    if g.pk in editable
                    else ""
                ),
            }
            for g in groups
        ],
        "ungrouped": by_group.get(None, []),
        "members": members,
        "editable_groups": editable,
    }


def itinerary_context(request, exchange) -> dict:
    tz = ZoneInfo(exchange.timezone)
    activities = exchange_activities(exchange)
    conflicts = selectors.itinerary_conflicts(exchange, activities)
    rows, by_activity = conflict_messages(conflicts, tz)
    groups = _groups(exchange)
    can_add = request.user.has_perm("exchanges.add_activity", exchange)
    editable = editable_activity_ids(request.user, exchange, activities)
    days = build_days(exchange, activities, groups, by_activity)
    unscheduled = unscheduled_items(activities)
    if editable:
        # "Edit" and "Move" load their form into the activity (the edit form also offers
        # the removal). An activity not yet scheduled is edited, not moved.
        for item in [i for day in days for i in day["items"]] + unscheduled:
            pk = item["activity"].pk
            if pk in editable:
                item["edit_url"] = reverse("exchanges:activity_edit", args=[exchange.pk, pk])
                if item["activity"].starts_at is not None:
                    item["move_url"] = reverse("exchanges:activity_move", args=[exchange.pk, pk])
    statuses = choice_labels(Activity, "status")
    for item in [i for day in days for i in day["items"]] + unscheduled:
        status = item["activity"].status
        if status != exchange.status:  # shown only where it differs from the exchange's
            item["status_label"] = statuses.get(status, status)
    return {
        "activities": activities,
        "days": days,
        "unscheduled": unscheduled,
        "conflicts": rows,
        "tz": exchange.timezone,
        "groups_list": [
            {"group": g, "url": reverse("exchanges:group", args=[exchange.pk, g.pk])}
            for g in groups
        ],
        "can_add_activity": can_add,
        "editable_activities": editable,
        # Rendered (open) only while the itinerary is empty; otherwise fetched on demand.
        "activity_form": (
            forms.ActivityForm(initial=forms.ActivityForm.initial_new(exchange), exchange=exchange)
            if can_add and not activities
            else None
        ),
    }


def statements_context(request, exchange) -> dict:
    """What was said, verbatim, with its speaker and activity (prefetched by
    ``selectors.exchange_detail``)."""
    can = request.user.has_perm("exchanges.change_exchange", exchange)
    kinds = choice_labels(Statement, "kind")
    sides = choice_labels(Statement, "side")
    return {
        "statements": [
            {
                "statement": st,
                "kind_label": kinds.get(st.kind, st.kind),
                "side_label": sides.get(st.side, "") if st.side else "",
                # "Edit" loads the statement's form (it also offers the removal).
                "edit_url": _remove_url("exchanges:statement_edit", exchange, st.pk, can),
            }
            for st in exchange.statements.all()
        ],
    }


def gifts_context(request, exchange) -> dict:
    """Each gift with its direction, value band, registration status and deadline (one
    query: the deadline is read from the gift's activity and the exchange)."""
    gifts = list(
        exchange.gifts.select_related(
            "activity",
            "giver_person",
            "giver_organisation",
            "recipient_person",
            "recipient_organisation",
        )
    )
    today = timezone.localdate()
    can = request.user.has_perm("exchanges.change_exchange", exchange)
    for gift in gifts:
        gift.exchange = exchange
        gift.is_overdue = gift.is_overdue_on(today)
        gift.edit_url = _remove_url("exchanges:gift_edit", exchange, gift.pk, can)
    return {"gifts": gifts, "today": today}


def photos_context(request, exchange) -> dict:
    return {"photos": list(exchange.photos.select_related("activity"))}
