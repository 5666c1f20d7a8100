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

from civicbridge.core.choices import choice_labels
from civicbridge.exchanges import forms, selectors
from civicbridge.exchanges.itinerary import build_days, conflict_messages
from civicbridge.exchanges.models import ExchangeOrganisation, Member
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


def overview_context(request, exchange) -> dict:
    orgs = list(exchange.organisations.all())
    members = _members(exchange)
    return {
        "escorts": [o for o in orgs if o.role == ExchangeOrganisation.Role.ESCORT],
        "hosts_orgs": [o for o in orgs if o.role == ExchangeOrganisation.Role.HOST],
        "co_organisers": [o for o in orgs if o.role == ExchangeOrganisation.Role.CO_ORGANISER],
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
    return {
        "groups": [
            {
                "group": g,
                "members": by_group.get(g.pk, []),
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
    if editable:
        # "Edit" and "Move" load their form into the activity (the edit form also offers
        # the removal).
        for day in days:
            for item in day["items"]:
                pk = item["activity"].pk
                if pk in editable:
                    item["edit_url"] = reverse("exchanges:activity_edit", args=[exchange.pk, pk])
                    item["move_url"] = reverse("exchanges:activity_move", args=[exchange.pk, pk])
    return {
        "activities": activities,
        "days": days,
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
            forms.ActivityForm(
                initial={"day": exchange.start_date, "time_precision": "exact"}, exchange=exchange
            )
            if can_add and not activities
            else None
        ),
    }


def gifts_context(request, exchange) -> dict:
    gifts = list(
        exchange.gifts.select_related(
            "activity",
            "giver_person",
            "giver_organisation",
            "recipient_person",
            "recipient_organisation",
        )
    )
    return {"gifts": gifts}


def photos_context(request, exchange) -> dict:
    return {"photos": list(exchange.photos.select_related("activity"))}
