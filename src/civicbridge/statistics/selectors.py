"""The figures leaders report upward, read across the domains.

Every figure counts only what took place (``held_exchanges``, ``held_pairings``,
``held_appointments``); planned and confirmed ones are counted apart and shown apart,
cancelled and deleted ones never. Each figure is a fixed number of queries (GROUP BY in
SQL), whatever the size of the world; the one exception is pairing health, read through
the pairings' own rule (``pairings.selectors.health_of``) once per year shown.

What is in scope:

- an exchange: its host place, one of its groups' host places, its visiting place or one
  of its further places (``ExchangePlace``) lies within the place (``directory.within``);
- a pairing: one of its parties (a place, or an organisation's seat) lies within it;
- an appointment: its appointing community or the appointee's place lies within it;
- a topic mention: its exchange is in scope; a commitment: its exchange or its pairing.

The user's scope (``scope_places``) and the filter's place both apply. The side filter is
the side that hosted: an exchange's host side, an appointing community's side, a pairing's
begun-at exchange's host side (without one, its first party's side).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractYear, Length, Substr
from django.utils import timezone

from civicbridge.accounts.rules import roles_of
from civicbridge.directory.models import (
    COMMUNITY_LEVEL_KINDS,
    MAINLAND,
    PATH_WIDTH,
    TAIWAN,
    TOP_LEVELS,
    Place,
    PlaceKind,
    within,
)
from civicbridge.exchanges.models import (
    Activity,
    Exchange,
    ExchangePlace,
    ExchangeStatus,
    Group,
    Member,
)
from civicbridge.exchanges.selectors import held_exchanges
from civicbridge.forums.models import Topic, TopicMention
from civicbridge.pairings.models import (
    Appointment,
    Commitment,
    CommitmentStatus,
    Pairing,
    overdue_q,
)
from civicbridge.pairings.selectors import (
    health_of,
    held_appointments,
    held_pairings,
    parties_within,
    readable_commitments,
    readable_pairings,
)

# Not yet held, but not called off: what is "shown apart".
PLANNED_STATUSES = (ExchangeStatus.PLANNED, ExchangeStatus.CONFIRMED)
LEAF_PLACE_KINDS = (*COMMUNITY_LEVEL_KINDS, PlaceKind.LI)
# The level (depth in the path, from 0) of a mainland district and a Taiwanese county
# (the directory's own levels, ``TOP_LEVELS``).
DISTRICT_DEPTH = {MAINLAND: TOP_LEVELS["district"][MAINLAND], TAIWAN: TOP_LEVELS["city"][TAIWAN]}
SIDES = (MAINLAND, TAIWAN)
EARLIEST_YEAR = 1987


# --- filters and scope --------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the figures are asked for. ``place``: that place and below; ``side``: the
    hosting side; ``kind``: a kind of pairing (pairing figures only)."""

    year_from: int
    year_to: int
    side: str = ""
    place: Place | None = None
    kind: str = ""

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))


def default_filters(today: dt.date | None = None) -> Filters:
    """The last ten years, up to this one."""
    today = today or timezone.localdate()
    return Filters(year_from=today.year - 9, year_to=today.year)


def scope_places(user) -> list[Place] | None:
    """The places whose figures ``user`` reads (that place and below); None: everything.
    Administrators and viewers read every figure; an organiser those of the places they
    organise (a district sees its own, the city all of the city); a community member those
    of their community; a coordinator those of their organisations' seats."""
    if user is None:
        return None
    roles = roles_of(user)
    if roles.admin or roles.viewer:
        return None
    places = list(roles.organiser_places) + list(roles.community_places)
    if roles.coordinator_orgs:
        places += list(
            Place.objects.filter(organisations__pk__in=roles.coordinator_orgs).distinct()
        )
    return places


def _places_of(filters: Filters, user) -> list[list[Place]]:
    """The place conditions that apply (each: a list of places, the record within one)."""
    conditions = []
    scope = scope_places(user)
    if scope is not None:
        conditions.append(scope)
    if filters.place is not None:
        conditions.append([filters.place])
    return conditions


def exchange_in_q(places) -> Q:
    """Exchanges in scope of ``places`` (see the module's docstring)."""
    return (
        within(places, field="host_place")
        | within(places, field="visiting_place")
        | Q(pk__in=Group.objects.filter(within(places, field="host_place")).values("exchange_id"))
        | Q(
            pk__in=ExchangePlace.objects.filter(within(places, field="place")).values("exchange_id")
        )
    )


def appointment_in_q(places) -> Q:
    return within(places, field="community") | within(places, field="person_place")


def _years_q(field_name: str, filters: Filters) -> Q:
    return Q(
        **{
            f"{field_name}__gte": dt.date(filters.year_from, 1, 1),
            f"{field_name}__lte": dt.date(filters.year_to, 12, 31),
        }
    )


def exchanges_in(filters: Filters, user, *, held: bool = True):
    """The exchanges counted (held) or shown apart (planned, ``held=False``)."""
    qs = Exchange.objects.all()
    qs = held_exchanges(qs) if held else qs.filter(status__in=PLANNED_STATUSES).alive()
    for places in _places_of(filters, user):
        qs = qs.filter(exchange_in_q(places))
    if filters.side:
        qs = qs.filter(host_place__side_id=filters.side)
    return qs.filter(_years_q("start_date", filters))


def pairings_in(filters: Filters, user, *, held: bool = True, years: bool = True):
    qs = readable_pairings(user, Pairing.objects.all())
    qs = held_pairings(qs) if held else qs.filter(status__in=PLANNED_STATUSES)
    for places in _places_of(filters, user):
        qs = qs.filter(parties_within(places))
    if filters.side:
        qs = qs.filter(
            Q(exchange__host_place__side_id=filters.side)
            | Q(exchange__isnull=True, place_a__side_id=filters.side)
        )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.filter(_years_q("started_on", filters)) if years else qs


def appointments_in(filters: Filters, user, *, held: bool = True, years: bool = True):
    qs = Appointment.objects.alive()
    qs = held_appointments(qs) if held else qs.filter(status__in=PLANNED_STATUSES)
    for places in _places_of(filters, user):
        qs = qs.filter(appointment_in_q(places))
    if filters.side:
        qs = qs.filter(community__side_id=filters.side)
    return qs.filter(_years_q("appointed_on", filters)) if years else qs


# --- SQL helpers ----------------------------------------------------------------------------


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sql(qs) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _per_year(qs, date_field: str) -> dict[int, int]:
    rows = (
        qs.annotate(y=ExtractYear(date_field))
        .values("y")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("y", "n")
    )
    return dict(rows)


# --- the figures ----------------------------------------------------------------------------


def exchanges_and_people(filters: Filters, user) -> dict:
    """Held exchanges and the distinct people who were their members, per year; planned
    exchanges apart. Four queries."""
    held = exchanges_in(filters, user)
    exchanges = _per_year(held, "start_date")
    planned = _per_year(exchanges_in(filters, user, held=False), "start_date")
    members = Member.objects.filter(exchange__in=held.values("pk"))
    people = dict(
        members.annotate(y=ExtractYear("exchange__start_date"))
        .values("y")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
        .values_list("y", "n")
    )
    people_total = members.aggregate(n=Count("person_id", distinct=True))["n"]
    rows = [
        {
            "year": y,
            "exchanges": exchanges.get(y, 0),
            "people": people.get(y, 0),
            "planned": planned.get(y, 0),
        }
        for y in filters.years
    ]
    return {
        "rows": rows,
        "total": {
            "exchanges": sum(exchanges.values()),
            "people": people_total,
            "planned": sum(planned.values()),
        },
    }


def places_involved(filters: Filters, user) -> dict:
    """Communities (mainland) and li or villages (Taiwan) involved per year: where an
    activity of a held exchange took place, where its members came from, the appointing
    communities and appointees' places of held appointments and the places of held
    pairings (in the year each began). One query (a UNION, counted distinct per year and
    side)."""
    held = exchanges_in(filters, user).values("pk")
    leaf = {"kind__in": LEAF_PLACE_KINDS}

    def part(qs, date_field, place_field):
        return (
            qs.filter(**{f"{place_field}__{k}": v for k, v in leaf.items()})
            .annotate(
                y=ExtractYear(date_field),
                p=F(f"{place_field}_id"),
                s=F(f"{place_field}__side_id"),
            )
            .order_by()
            .values_list("y", "p", "s")
        )

    appointments = appointments_in(filters, user)
    pairings = pairings_in(filters, user)
    parts = [
        part(Activity.objects.filter(exchange__in=held), "exchange__start_date", "place"),
        part(Member.objects.filter(exchange__in=held), "exchange__start_date", "home_place"),
        part(appointments, "appointed_on", "community"),
        part(appointments, "appointed_on", "person_place"),
        part(pairings, "started_on", "place_a"),
        part(pairings, "started_on", "place_b"),
    ]
    sqls, params = [], []
    for qs in parts:
        sql, p = _sql(qs)
        sqls.append(sql)
        params.extend(p)
    # Our own querysets' SQL; their values stay parameters.
    union = " UNION ".join(f"SELECT * FROM ({s}) cb_part{i}" for i, s in enumerate(sqls))  # noqa: S608
    # Our own querysets' SQL; their values stay parameters.
    rows = _rows(
        f"WITH cb_places AS ({union})"  # noqa: S608 (our own SQL)
        " SELECT y, s, COUNT(DISTINCT p) FROM cb_places GROUP BY y, s"
        " UNION ALL SELECT NULL, s, COUNT(DISTINCT p) FROM cb_places GROUP BY s",
        params,
    )
    per: dict[tuple, int] = {(y, s): n for y, s, n in rows}
    return {
        "rows": [
            {
                "year": y,
                "communities": per.get((y, MAINLAND), 0),
                "li": per.get((y, TAIWAN), 0),
            }
            for y in filters.years
        ],
        "total": {"communities": per.get((None, MAINLAND), 0), "li": per.get((None, TAIWAN), 0)},
    }


def _cumulate(before: int, per_year: dict[int, int], years: list[int]) -> dict[int, int]:
    out, running = {}, before
    for y in years:
        running += per_year.get(y, 0)
        out[y] = running
    return out


def appointments_and_pairings(filters: Filters, user) -> dict:
    """Held appointments and pairings per year and cumulative (those made before the
    first year included); planned ones apart. Six queries."""
    appointments = _per_year(appointments_in(filters, user), "appointed_on")
    pairings = _per_year(pairings_in(filters, user), "started_on")
    planned_a = _per_year(appointments_in(filters, user, held=False), "appointed_on")
    planned_p = _per_year(pairings_in(filters, user, held=False), "started_on")
    start = dt.date(filters.year_from, 1, 1)
    before_a = appointments_in(filters, user, years=False).filter(appointed_on__lt=start).count()
    before_p = pairings_in(filters, user, years=False).filter(started_on__lt=start).count()
    cum_a = _cumulate(before_a, appointments, filters.years)
    cum_p = _cumulate(before_p, pairings, filters.years)
    return {
        "rows": [
            {
                "year": y,
                "appointments": appointments.get(y, 0),
                "appointments_cumulative": cum_a[y],
                "pairings": pairings.get(y, 0),
                "pairings_cumulative": cum_p[y],
                "planned_appointments": planned_a.get(y, 0),
                "planned_pairings": planned_p.get(y, 0),
            }
            for y in filters.years
        ],
        "total": {
            "appointments": sum(appointments.values()),
            "pairings": sum(pairings.values()),
            "planned_appointments": sum(planned_a.values()),
            "planned_pairings": sum(planned_p.values()),
        },
    }


def pairing_health(filters: Filters, user, *, today: dt.date | None = None) -> dict:
    """Held pairings over the years: begun, ended, and standing at each year's end (begun
    and not yet ended, those of earlier years included); for the standing ones of today,
    active or quiet by the pairings' own rule (``pairings.selectors.health_of``, which
    reads the latest contact as of today: a past year's split is not known, and shown so).
    Four queries and ``health_of``'s fixed number."""
    today = today or timezone.localdate()
    qs = pairings_in(filters, user, years=False)
    start, end = dt.date(filters.year_from, 1, 1), dt.date(filters.year_to, 12, 31)
    begun = _per_year(qs.filter(started_on__gte=start, started_on__lte=end), "started_on")
    ended = _per_year(qs.filter(ended_on__gte=start, ended_on__lte=end), "ended_on")
    before = qs.filter(started_on__lt=start).aggregate(
        begun=Count("pk"), ended=Count("pk", filter=Q(ended_on__lt=start))
    )
    rows, standing = [], before["begun"] - before["ended"]
    for y in filters.years:
        standing += begun.get(y, 0) - ended.get(y, 0)
        rows.append(
            {
                "year": y,
                "begun": begun.get(y, 0),
                "ended": ended.get(y, 0),
                "standing": standing,
                "active": None,
                "quiet": None,
            }
        )
    now = None
    if filters.year_from <= today.year <= filters.year_to:
        current = qs.filter(started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today)
        )
        health = health_of(current.select_related(*PAIRING_PARTIES), today=today)
        quiet = sum(1 for h in health if h.is_quiet)
        now = {"active": len(health) - quiet, "quiet": quiet, "day": today}
        rows[filters.years.index(today.year)].update(active=len(health) - quiet, quiet=quiet)
    return {"rows": rows, "now": now}


PAIRING_PARTIES = ("place_a", "place_b", "organisation_a__place", "organisation_b__place")


def topics(filters: Filters, user, *, top: int = 12) -> dict:
    """Topics discussed at held exchanges (on the exchange, a group, an activity or a
    forum), each mention filed under its topic's broader topic when it has one; the
    mentions not yet filed under the taxonomy apart. Three queries."""
    mentions = TopicMention.objects.filter(exchange__in=exchanges_in(filters, user).values("pk"))
    rows = list(
        mentions.filter(topic__isnull=False)
        .annotate(t=Coalesce("topic__parent_id", "topic_id"), y=ExtractYear("exchange__start_date"))
        .values("t", "y")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("t", "y", "n")
    )
    unfiled = mentions.filter(topic__isnull=True).count()
    by_topic: dict[int, dict[int, int]] = {}
    for topic_id, year, n in rows:
        by_topic.setdefault(topic_id, {})[year] = n
    names = Topic.objects.in_bulk(list(by_topic))
    ranked = sorted(by_topic, key=lambda t: (-sum(by_topic[t].values()), names[t].order, t))
    return {
        "topics": [
            {"topic": names[t], "total": sum(by_topic[t].values()), "years": by_topic[t]}
            for t in ranked
        ],
        "top": [names[t] for t in ranked[:top]],
        "unfiled": unfiled,
        "years": filters.years,
    }


def _cell_parts(qs, a: str, b: str, key: str) -> list:
    """The rows of ``qs`` with a mainland party and a Taiwanese one (``a`` and ``b``: the
    lookups of the two parties' places, either way round), as (district id, county id,
    ``key``): the mainland district and the Taiwanese county read off the paths."""
    district_start = 2 + DISTRICT_DEPTH[MAINLAND] * (PATH_WIDTH + 1)
    county_start = 2 + DISTRICT_DEPTH[TAIWAN] * (PATH_WIDTH + 1)
    parts = []
    for mainland, taiwan in ((a, b), (b, a)):
        part = (
            qs.filter(**{f"{mainland}__side_id": MAINLAND, f"{taiwan}__side_id": TAIWAN})
            .annotate(cb_len=Length(f"{mainland}__path"))
            .filter(cb_len__gte=district_start + PATH_WIDTH)
            .annotate(
                d=Substr(f"{mainland}__path", district_start, PATH_WIDTH),
                c=Substr(f"{taiwan}__path", county_start, PATH_WIDTH),
                k=F(key),
            )
            .order_by()
            .values_list("d", "c", "k")
        )
        parts.append(part)
    return parts


def _count_cells(parts) -> dict[tuple[int, int], int]:
    """{(district, county): distinct keys} over the parts, in one query."""
    sqls, params = [], []
    for part in parts:
        sql, p = _sql(part)
        sqls.append(f"SELECT * FROM ({sql}) cb_m{len(sqls)}")  # noqa: S608 (our own SQL)
        params.extend(p)
    union = " UNION ALL ".join(sqls)
    # Our own querysets' SQL; their values stay parameters.
    rows = _rows(
        f"SELECT d, c, COUNT(DISTINCT k) FROM ({union}) cb_cells GROUP BY d, c",  # noqa: S608
        params,
    )
    return {(int(d), int(c)): n for d, c, n in rows}


def districts_and_counties(filters: Filters, user) -> dict:
    """Which mainland districts pair with (and host or visit) which Taiwanese counties: held
    pairings of places per (district, county), and held exchanges per (district, county) by
    the exchange's (or one of its groups') host place and its visiting place. Three
    queries."""
    pairings = pairings_in(filters, user)
    cells_p = _count_cells(_cell_parts(pairings, "place_a", "place_b", "pk"))
    exchanges = exchanges_in(filters, user).filter(visiting_place__isnull=False)
    groups = Group.objects.filter(exchange__in=exchanges.values("pk"), host_place__isnull=False)
    cells_e = _count_cells(
        [
            *_cell_parts(exchanges, "host_place", "visiting_place", "pk"),
            *_cell_parts(groups, "host_place", "exchange__visiting_place", "exchange_id"),
        ]
    )
    names = Place.objects.in_bulk({i for cell in (*cells_p, *cells_e) for i in cell})
    cells = [*cells_p, *cells_e]
    districts = sorted({d for d, _c in cells if d in names}, key=lambda i: names[i].path)
    counties = sorted({c for _d, c in cells if c in names}, key=lambda i: names[i].path)
    return {
        "districts": [names[i] for i in districts],
        "counties": [names[i] for i in counties],
        "pairings": cells_p,
        "exchanges": cells_e,
    }


def commitments(filters: Filters, user, *, today: dt.date | None = None) -> dict:
    """Commitments of held exchanges (in the exchange's year) and of held pairings without
    an exchange (in the pairing's first year) that ``user`` may read: open (not overdue),
    overdue (``overdue_q``, the one rule of ``Commitment.is_overdue_on``), done and
    dropped. One query."""
    today = today or timezone.localdate()
    exchanges = exchanges_in(filters, user).values("pk")
    pairings = pairings_in(filters, user).values("pk")
    qs = readable_commitments(Commitment.objects.all(), user).filter(
        Q(exchange__in=exchanges) | Q(exchange__isnull=True, pairing__in=pairings)
    )
    overdue = overdue_q(today)
    open_ = Q(status__in=(CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS))
    rows = (
        qs.annotate(y=ExtractYear(Coalesce("exchange__start_date", "pairing__started_on")))
        .values("y")
        .annotate(
            open=Count("pk", filter=open_ & ~overdue),
            overdue=Count("pk", filter=overdue),
            done=Count("pk", filter=Q(status=CommitmentStatus.DONE)),
            dropped=Count("pk", filter=Q(status=CommitmentStatus.DROPPED)),
        )
        .order_by()
    )
    per = {r["y"]: r for r in rows}
    keys = ("open", "overdue", "done", "dropped")
    out = [{"year": y, **{k: per.get(y, {}).get(k, 0) for k in keys}} for y in filters.years]
    return {"rows": out, "total": {k: sum(r[k] for r in out) for k in keys}}


def filter_places(user) -> list[Place]:
    """The districts (mainland) and counties (Taiwan) a reader may filter by: those with
    held exchanges or pairings, within the reader's scope. Two queries."""
    scope = scope_places(user)
    ids: set[int] = set()
    pairings = held_pairings(readable_pairings(user, Pairing.objects.all()))
    for path_field in ("place_a__path", "place_b__path"):
        for side in SIDES:
            start = 2 + DISTRICT_DEPTH[side] * (PATH_WIDTH + 1)
            ids |= {
                int(v)
                for v in pairings.filter(**{path_field.replace("path", "side_id"): side})
                .annotate(
                    d=Substr(path_field, start, PATH_WIDTH),
                    ln=Length(path_field),
                )
                .filter(ln__gte=start + PATH_WIDTH)
                .values_list("d", flat=True)
                .distinct()
                if v
            }
    qs = Place.objects.filter(pk__in=ids)
    if scope is not None:
        qs = qs.filter(within(scope) | Q(pk__in=_ancestor_ids(scope)))
    return list(qs.order_by("side__position", "path"))


def _ancestor_ids(places) -> list[int]:
    return [pk for p in places for pk in p.ancestor_ids]


FIGURES = (
    "exchanges",
    "places",
    "appointments",
    "health",
    "topics",
    "matrix",
    "commitments",
)


def all_figures(filters: Filters, user, *, today: dt.date | None = None) -> dict:
    """Every figure of the statistics page and the yearly report."""
    return {
        "exchanges": exchanges_and_people(filters, user),
        "places": places_involved(filters, user),
        "appointments": appointments_and_pairings(filters, user),
        "health": pairing_health(filters, user, today=today),
        "topics": topics(filters, user),
        "matrix": districts_and_counties(filters, user),
        "commitments": commitments(filters, user, today=today),
    }
