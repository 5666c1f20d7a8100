"""Reads for exchanges: the itinerary and its conflicts, the exchange page's exchange, the
exchanges that count as visits (``held_exchanges``) and the gifts register
(``gift_register``, ``gifts_in_scope``, ``overdue_gifts``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from civicbridge.accounts.rules import roles_of
from civicbridge.directory.models import Person, within
from civicbridge.exchanges import dates, gifts
from civicbridge.exchanges.models import (
    Activity,
    Exchange,
    ExchangePlace,
    ExchangeStatus,
    Gift,
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


def hosted_within(places) -> Q:
    """Exchanges hosted at one of ``places`` or below: their host place, a further host
    place (``ExchangePlace``) or a group's host place (the districts a city's visit went
    to). The exchange list's ``?host=`` and the exchanges-per-district page."""
    return (
        within(places, field="host_place")
        | Q(
            pk__in=ExchangePlace.objects.filter(
                within(places, field="place"), role=ExchangePlace.Role.HOST
            ).values("exchange_id")
        )
        | Q(pk__in=Group.objects.filter(within(places, field="host_place")).values("exchange_id"))
    )


def visiting_from(places) -> Q:
    """Exchanges whose delegation came from one of ``places`` or below: their visiting
    place or a further visiting place. The exchange list's ``?visiting=``."""
    return within(places, field="visiting_place") | Q(
        pk__in=ExchangePlace.objects.filter(
            within(places, field="place"), role=ExchangePlace.Role.VISITING
        ).values("exchange_id")
    )


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


# --- the gifts register ---------------------------------------------------------------------

GIFT_RELATED = (
    "exchange",
    "activity",
    "giver_person",
    "giver_organisation",
    "recipient_person",
    "recipient_organisation",
)


def exchange_timezones() -> list[str]:
    """The time zones exchanges use (for ``Gift.objects.overdue_on``): one query."""
    return sorted(Exchange.objects.order_by().values_list("timezone", flat=True).distinct())


def exchanges_in_scope(user):
    """The exchanges a user's register and dashboard show, or None for all of them:
    administrators and viewers: all; organisers: those hosted in their places or below
    (the exchange's or a group's host place); coordinators: their delegations'; community
    members: those hosted in their places or below. Reading them all stays
    ``exchanges.view_exchange`` (the register's page, its export and the API ask it)."""
    roles = roles_of(user)
    if roles.admin or roles.viewer:
        return None
    places = [*roles.organiser_places, *roles.community_places]
    condition = Q(pk__in=[])
    if places:
        condition |= within(places, field="host_place") | within(places, field="groups__host_place")
    if roles.coordinator_orgs:
        condition |= Q(visiting_organisation_id__in=sorted(roles.coordinator_orgs))
    return Exchange.objects.filter(condition).values("pk")


def gifts_in_scope(user, queryset=None):
    """The gifts of living exchanges in ``user``'s scope (``exchanges_in_scope``), in one
    filter; nothing for a user who may not read exchanges. ``user=None``: all."""
    queryset = Gift.objects.all() if queryset is None else queryset
    queryset = queryset.filter(exchange__deleted_at__isnull=True)
    if user is None:
        return queryset
    if not user.has_perm("exchanges.view_exchange"):
        return queryset.none()
    scope = exchanges_in_scope(user)
    return queryset if scope is None else queryset.filter(exchange__in=scope)


@dataclass(frozen=True)
class GiftFilters:
    year: int | None = None
    direction: str = ""
    registration: str = ""
    overdue: bool = False


def gift_register(user, filters: GiftFilters | None = None, *, today: dt.date | None = None):
    """The register across exchanges: the gifts in ``user``'s scope, filtered (the year of
    the gift's date, direction, registration status, overdue on ``today``), newest
    exchange first, with what each row shows (one query per page of rows, plus the time
    zones of the exchanges when a date filter is used). Pages, the Excel export and the
    API read this."""
    filters = filters or GiftFilters()
    qs = gifts_in_scope(user)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    if filters.registration:
        qs = qs.filter(registration=filters.registration)
    if filters.year or filters.overdue:
        zones = exchange_timezones()
        if filters.year:
            qs = qs.filter(
                gifts.dated_before(dt.date(filters.year + 1, 1, 1), zones)
                & ~gifts.dated_before(dt.date(filters.year, 1, 1), zones)
            )
        if filters.overdue:
            qs = qs.overdue_on(today or timezone.localdate(), zones)
    return qs.select_related(*GIFT_RELATED).order_by(
        "-exchange__start_date",
        "exchange_id",
        models.F("activity__starts_at").asc(nulls_last=True),
        "id",
    )


def gift_years(user) -> list[int]:
    """The years of the exchanges with gifts in ``user``'s scope, newest first (the
    register's year filter)."""
    return sorted(
        {
            d.year
            for d in gifts_in_scope(user)
            .order_by()
            .values_list("exchange__start_date", flat=True)
            .distinct()
        },
        reverse=True,
    )


def overdue_gifts(user, today: dt.date, limit: int = 10) -> list[Gift]:
    """Gifts still to register after their deadline, in ``user``'s scope, oldest deadline
    first (the dashboard): two queries."""
    return list(
        gift_register(user, GiftFilters(overdue=True), today=today).order_by(
            "exchange__start_date",
            models.F("activity__starts_at").asc(nulls_first=True),
            "id",
        )[:limit]
    )
