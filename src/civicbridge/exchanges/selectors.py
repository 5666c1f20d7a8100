"""Reads for exchanges: the itinerary and its conflicts, the exchange page's exchange, and
the exchanges that count as visits (``held_exchanges``)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Prefetch

from civicbridge.directory.models import Person
from civicbridge.exchanges import dates
from civicbridge.exchanges.models import (
    Activity,
    Exchange,
    ExchangeStatus,
    Group,
    Member,
    Statement,
    TimePrecision,
)


def held_exchanges(qs=None):
    """The exchanges that took place: held and not deleted (what counts as a visit in the
    statistics: the dashboard, the exchanges' own pages)."""
    qs = Exchange.objects.all() if qs is None else qs
    return qs.filter(status=ExchangeStatus.HELD, deleted_at__isnull=True)


@dataclass(frozen=True)
class Conflict:
    """One problem in the itinerary. ``kind``:

    - ``"booking"``: two activities at once for the same groups or people: ``groups`` (the
      groups in both) and ``people`` (the people in both who are not members of one of
      those groups: a group's members are not listed one by one); ``venue`` is set when
      the two, for different groups, also use the same venue or place.
    - ``"venue"``: one venue or place (``venue``) used at once by activities of different
      groups, with nobody in both.
    - ``"outside_dates"``: ``first`` lies outside the exchange's dates (``second`` is None).
    """

    kind: str
    first: Activity
    second: Activity | None = None
    groups: tuple[Group, ...] = ()
    people: tuple[Person, ...] = ()
    venue: object | None = None  # a venue (Organisation) or a Place


def activities_for(exchange: Exchange):
    """The exchange's activities, scheduled ones by time; those not yet scheduled (no
    times) come last."""
    return (
        exchange.activities.select_related("place", "venue")
        .prefetch_related("groups", "hosts", "participants")
        .order_by(models.F("starts_at").asc(nulls_last=True), "order", "id")
    )


def _timed(activity: Activity) -> bool:
    """Whether the activity's clock times are known (see ``itinerary_conflicts``)."""
    return activity.starts_at is not None and activity.time_precision == TimePrecision.EXACT


def _overlaps(a: Activity, b: Activity) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _same_venue(a: Activity, b: Activity):
    """The venue (or, when neither names a venue, the place) both use, or None."""
    if a.venue_id:
        return a.venue if a.venue_id == b.venue_id else None
    if not b.venue_id and a.place_id and a.place_id == b.place_id:
        return a.place
    return None


def itinerary_conflicts(
    exchange: Exchange, activities: list[Activity] | None = None
) -> list[Conflict]:
    """The itinerary's conflicts: two activities at once for the same groups or people, one
    venue used at once by different groups, and activities outside the exchange's dates.

    The honest rule: an overlap is reported only when the recorded times make it certain.

    - Only activities with exact times (``TimePrecision.EXACT``) can overlap; their
      intervals are compared (a moment, ending when it starts, overlaps an activity going
      on at that time, not one that starts or ends then).
    - A date-only activity never conflicts with anything: its stored 09:00–17:00 are
      nominal, and a date says nothing of when in the day it happens.
    - A part-of-day activity (上午 / 下午 / 晚上) never conflicts either, not even with
      another of the same part of the same day: "上午参观…，随后座谈" is how reports write
      a sequence, and the part says nothing of when within it (its stored times are
      nominal too), so neither does an exact activity in that part of the day prove a clash.
    - One overlap of two activities is ONE conflict, naming every group and person
      concerned (a group's members are not listed one by one; people are named when they
      are in both activities otherwise: as hosts, participants or members of other groups).

    Every scheduled activity, whatever its precision, is checked against the exchange's
    dates (its date is known) as far as they are known (``dates.bounds``: an unknown end
    or a month only bound less). An activity not yet scheduled is never checked."""
    if activities is None:
        activities = list(activities_for(exchange))
    conflicts: list[Conflict] = []
    tz = ZoneInfo(exchange.timezone)
    first, last = dates.bounds(exchange)
    for a in activities:
        if a.starts_at is None or a.ends_at is None:
            continue
        day_start = a.starts_at.astimezone(tz).date()
        day_end = a.ends_at.astimezone(tz).date()
        if not (
            dates.within_bounds(day_start, first, last)
            and dates.within_bounds(day_end, first, last)
        ):
            conflicts.append(Conflict("outside_dates", a))

    timed = sorted((a for a in activities if _timed(a)), key=lambda a: (a.starts_at, a.pk))
    pairs = []
    for i, a in enumerate(timed):
        for b in timed[i + 1 :]:
            if b.starts_at >= a.ends_at:
                break  # sorted by start: no later activity overlaps ``a``
            if _overlaps(a, b):
                pairs.append((a, b))
    if not pairs:
        return conflicts

    members_by_group: dict[int, set[int]] = {}
    for m in Member.objects.filter(exchange=exchange, group__isnull=False).values(
        "group_id", "person_id"
    ):
        members_by_group.setdefault(m["group_id"], set()).add(m["person_id"])
    groups_of: dict[int, dict[int, Group]] = {}
    people_of: dict[int, set[int]] = {}
    for a in timed:
        groups_of[a.pk] = {g.pk: g for g in a.groups.all()}
        people = {p.pk for p in a.hosts.all()} | {p.pk for p in a.participants.all()}
        for gid in groups_of[a.pk]:
            people |= members_by_group.get(gid, set())
        people_of[a.pk] = people

    found = []
    person_ids: set[int] = set()
    for a, b in pairs:
        shared_groups = sorted(set(groups_of[a.pk]) & set(groups_of[b.pk]))
        covered = set().union(*(members_by_group.get(gid, set()) for gid in shared_groups))
        shared_people = sorted((people_of[a.pk] & people_of[b.pk]) - covered)
        # One venue is a conflict only between activities of different groups.
        venue = _same_venue(a, b) if set(groups_of[a.pk]) != set(groups_of[b.pk]) else None
        if shared_groups or shared_people:
            found.append(("booking", a, b, shared_groups, shared_people, venue))
            person_ids.update(shared_people)
        elif venue is not None:
            found.append(("venue", a, b, [], [], venue))
    people_by_id = Person.objects.in_bulk(person_ids)
    for kind, a, b, gids, pids, venue in found:
        conflicts.append(
            Conflict(
                kind,
                a,
                b,
                groups=tuple(groups_of[a.pk][gid] for gid in gids),
                people=tuple(people_by_id[pid] for pid in pids),
                venue=venue,
            )
        )
    return conflicts


def double_bookings(exchange: Exchange) -> list[Conflict]:
    """Groups or people in two activities at once."""
    return [c for c in itinerary_conflicts(exchange) if c.kind == "booking"]


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
            "places__place",
            "composition",
            "labels",
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("person", "organisation", "activity"),
            ),
        )
        .get(pk=exchange_id)
    )
