"""Reads for exchanges: the itinerary and its conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from civicbridge.directory.models import Person
from civicbridge.exchanges.models import Activity, Exchange, Group, Member


@dataclass(frozen=True)
class Conflict:
    kind: str  # "person", "group", "venue", "outside_dates"
    subject: object  # the person, group, venue/place, or the activity
    first: Activity
    second: Activity | None = None


def activities_for(exchange: Exchange):
    return (
        exchange.activities.select_related("place", "venue")
        .prefetch_related("groups", "hosts", "participants")
        .order_by("starts_at", "order", "id")
    )


def _overlaps(a: Activity, b: Activity) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def itinerary_conflicts(
    exchange: Exchange, activities: list[Activity] | None = None
) -> list[Conflict]:
    """Double bookings (a person or a group in overlapping activities), one venue used by
    two groups at once, and activities outside the exchange's dates."""
    if activities is None:
        activities = list(activities_for(exchange))
    members_by_group: dict[int, set[int]] = {}
    for m in Member.objects.filter(exchange=exchange, group__isnull=False).values(
        "group_id", "person_id"
    ):
        members_by_group.setdefault(m["group_id"], set()).add(m["person_id"])
    people_of: dict[int, set[int]] = {}
    groups_of: dict[int, set[int]] = {}
    for a in activities:
        gids = {g.pk for g in a.groups.all()}
        groups_of[a.pk] = gids
        people = {p.pk for p in a.hosts.all()} | {p.pk for p in a.participants.all()}
        for gid in gids:
            people |= members_by_group.get(gid, set())
        people_of[a.pk] = people

    conflicts: list[Conflict] = []
    tz = ZoneInfo(exchange.timezone)
    for a in activities:
        day_start = a.starts_at.astimezone(tz).date()
        day_end = a.ends_at.astimezone(tz).date()
        if day_start < exchange.start_date or day_end > exchange.end_date:
            conflicts.append(Conflict("outside_dates", a, a))

    person_ids: set[int] = set()
    group_ids: set[int] = set()
    pairs = []
    for i, a in enumerate(activities):
        for b in activities[i + 1 :]:
            if b.starts_at >= a.ends_at:
                continue
            if not _overlaps(a, b):
                continue
            pairs.append((a, b))
    found = []
    for a, b in pairs:
        for gid in sorted(groups_of[a.pk] & groups_of[b.pk]):
            found.append(("group", gid, a, b))
            group_ids.add(gid)
        for pid in sorted(people_of[a.pk] & people_of[b.pk]):
            found.append(("person", pid, a, b))
            person_ids.add(pid)
        same_venue = (a.venue_id and a.venue_id == b.venue_id) or (
            not a.venue_id and not b.venue_id and a.place_id and a.place_id == b.place_id
        )
        if same_venue and groups_of[a.pk] != groups_of[b.pk]:
            found.append(("venue", None, a, b))
    people = Person.objects.in_bulk(person_ids)
    groups = Group.objects.in_bulk(group_ids)
    for kind, key, a, b in found:
        if kind == "group":
            conflicts.append(Conflict("group", groups[key], a, b))
        elif kind == "person":
            conflicts.append(Conflict("person", people[key], a, b))
        else:
            conflicts.append(Conflict("venue", a.venue or a.place, a, b))
    return conflicts


def double_bookings(exchange: Exchange) -> list[Conflict]:
    """People or groups in overlapping activities."""
    return [c for c in itinerary_conflicts(exchange) if c.kind in {"person", "group"}]


def exchange_detail(exchange_id: int) -> Exchange:
    return (
        Exchange.objects.select_related("visiting_organisation", "visiting_place", "host_place")
        .prefetch_related(
            "organisations__organisation",
            Prefetch(
                "members",
                queryset=Member.objects.select_related(
                    "person", "organisation", "home_place", "group"
                ),
            ),
            "groups__host_place",
            "groups__leader__person",
        )
        .get(pk=exchange_id)
    )
