"""Reads for pairings: health, present contacts, the timeline, commitments and the channel.

Lists are computed in bulk: the number of queries is fixed, whatever the number of
pairings. "A place or below" is read off the materialised path ("/1/5/9/" lies within
1, 5 and 9), so one query per kind of record serves every pairing of a list.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import rules
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civicbridge.accounts.rules import roles_of
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    Organisation,
    Person,
    Place,
    Position,
    level_index,
    within,
)
from civicbridge.exchanges.models import (
    Activity,
    Exchange,
    ExchangePlace,
    ExchangeStatus,
    Gift,
    Group,
    Member,
)
from civicbridge.pairings.models import (
    OPEN_STATUSES,
    Agreement,
    AgreementParty,
    AgreementSignatory,
    Alliance,
    AllianceMember,
    Appointment,
    ChannelMembership,
    Commitment,
    Message,
    Pairing,
    PairingBatch,
    ReadMark,
    overdue_q,
)

# Titles that make a person the present contact of a place, most telling first.
LI_CHIEF_TITLES = ("里長", "里长")
DIRECTOR_TITLES = (
    "社区主任",
    "社區主任",
    "居委会主任",
    "居委會主任",
    "主任",
    "村主任",
    "村委会主任",
    "社区党委书记",
    "社区书记",
    "书记",
)


def held_pairings(queryset=None):
    """The pairings of ``queryset`` (default: every pairing) that were actually made
    (status held): the ones every count of pairings counts (health lists, place pages, the
    dashboard's figures). Planned or cancelled ones are shown, never counted."""
    queryset = Pairing.objects.all() if queryset is None else queryset
    return queryset.filter(status=ExchangeStatus.HELD)


def held_appointments(queryset=None):
    """The appointments of ``queryset`` (default: every live one) that were made (status
    held): the ones counted."""
    queryset = Appointment.objects.alive() if queryset is None else queryset
    return queryset.filter(status=ExchangeStatus.HELD)


def side_places(pairing: Pairing) -> tuple[Place | None, Place | None]:
    """The place of each party of ``pairing``: a place party itself, an organisation
    party's place (where it is based). Health, the timeline, scope and the channel read
    the pairing through these."""
    return _party_place(pairing.place_a, pairing.organisation_a), _party_place(
        pairing.place_b, pairing.organisation_b
    )


def _party_place(place, organisation) -> Place | None:
    if place is not None:
        return place
    return organisation.place if organisation is not None else None


def pairing_title(pairing: Pairing, which: str = "hans") -> str:
    """ "A ↔ B" in a script, for a pairing of places or organisations."""

    def name(party) -> str:
        if party is None:
            return "?"
        if hasattr(party, "display_name_in"):
            return party.display_name_in(which)
        return party.name_in(which)

    return f"{name(pairing.party_a)} ↔ {name(pairing.party_b)}"


def quiet_months() -> int:
    return int(getattr(settings, "CIVICBRIDGE_QUIET_MONTHS", 12) or 12)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def path_ids(path: str) -> set[int]:
    """The primary keys of a place and all places above it, read off its path."""
    return set(Place.path_ids(path))


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


# --- present contacts -------------------------------------------------------------------------


def _contact_rank(position: Position) -> int:
    titles = LI_CHIEF_TITLES + DIRECTOR_TITLES
    return titles.index(position.title) if position.title in titles else len(titles)


def current_contacts(places, on: dt.date | None = None) -> dict[int, Position]:
    """The position that makes someone the present contact of each place, on ``on``: the
    li chief of a li, the director of a community (when known). One query."""
    on = on or timezone.localdate()
    places = list(places)
    if not places:
        return {}
    ids = {p.pk for p in places}
    rows = (
        Position.objects.on(on)
        .filter(title__in=LI_CHIEF_TITLES + DIRECTOR_TITLES)
        .filter(Q(place_id__in=ids) | Q(organisation__place_id__in=ids))
        .select_related("person", "organisation")
        .order_by("-start_date", "id")
    )
    best: dict[int, Position] = {}
    for position in rows:
        place_id = position.place_id if position.place_id in ids else position.organisation.place_id
        # A li's contact is its chief; a community's, its director.
        current = best.get(place_id)
        if current is None or _contact_rank(position) < _contact_rank(current):
            best[place_id] = position
    return best


def current_contact(place: Place, on: dt.date | None = None) -> Person | None:
    position = current_contacts([place], on).get(place.pk)
    return position.person if position else None


# --- health -----------------------------------------------------------------------------------


@dataclass
class Health:
    pairing: Pairing
    today: dt.date
    months: int
    last_contact: dt.date | None = None
    last_contact_kind: str = ""
    visits_a_to_b: int = 0
    visits_b_to_a: int = 0
    open_commitments: int = 0
    overdue_commitments: int = 0
    unread: int = 0
    contact_a: Position | None = None
    contact_b: Position | None = None

    def note_contact(self, day, kind: str) -> None:
        day = _day(day)
        if day is None or day > self.today:
            return
        if self.last_contact is None or day > self.last_contact:
            self.last_contact, self.last_contact_kind = day, kind

    @property
    def quiet_since(self) -> dt.date:
        """The day the pairing turns (or turned) quiet if nothing else happens."""
        return add_months(self.last_contact or self.pairing.started_on, self.months)

    @property
    def is_quiet(self) -> bool:
        """Held, not ended, and nothing for ``months`` (a planned or cancelled pairing is
        never quiet: there is nothing to keep alive yet)."""
        return (
            self.pairing.ended_on is None
            and self.pairing.status == ExchangeStatus.HELD
            and self.today >= self.quiet_since
        )

    @property
    def days_since_contact(self) -> int | None:
        return (self.today - self.last_contact).days if self.last_contact else None

    @property
    def visits(self) -> int:
        return self.visits_a_to_b + self.visits_b_to_a

    def sort_key(self):
        """Quiet first, then the longest without contact, then the most overdue."""
        last = self.last_contact or dt.date.min
        return (not self.is_quiet, last, -self.overdue_commitments, self.pairing.pk)


def _live_exchanges():
    return Q(exchange__deleted_at__isnull=True) & ~Q(exchange__status=ExchangeStatus.CANCELLED)


def health_of(pairings, *, today: dt.date | None = None, user=None) -> list[Health]:
    """Health of each pairing, in the order given. A fixed number of queries.

    * last contact: the latest of an activity involving both places (held at or below one,
      in an exchange with a member from the other), a visit, a message, an appointment;
    * visits each way: exchanges (held or under way, not cancelled) with a visiting member
      from one place and an activity at (or the host side being) the other;
    * open and overdue commitments of the pairing."""
    today = today or timezone.localdate()
    months = quiet_months()
    pairings = list(pairings)
    result = [Health(pairing=p, today=today, months=months) for p in pairings]
    if not pairings:
        return result
    sides = {p.pk: side_places(p) for p in pairings}
    places = {place.pk: place for pair in sides.values() for place in pair if place is not None}
    place_ids = set(places)
    ids = [p.pk for p in pairings]

    # Where each exchange touched a pairing place: activities there (with their dates),
    # or the exchange's host side; and who came from a pairing place.
    activity_rows = list(
        Activity.objects.filter(_live_exchanges(), within(places.values(), field="place"))
        .filter(exchange__start_date__lte=today, starts_at__isnull=False)
        .values_list("exchange_id", "place__path", "starts_at")
    )
    hosted_rows = list(
        Exchange.objects.alive()
        .exclude(status=ExchangeStatus.CANCELLED)
        .filter(within(places.values(), field="host_place"), start_date__lte=today)
        .values_list("pk", "host_place__path", "start_date")
    )
    member_rows = list(
        Member.objects.filter(_live_exchanges(), within(places.values(), field="home_place"))
        .filter(exchange__start_date__lte=today)
        .values_list("exchange_id", "home_place__path", "side", "exchange__start_date")
    )
    at_place: dict[int, dict[int, list[dt.date]]] = {}  # exchange → place → activity days
    for exchange_id, path, starts_at in activity_rows:
        for pid in path_ids(path) & place_ids:
            at_place.setdefault(exchange_id, {}).setdefault(pid, []).append(_day(starts_at))
    for exchange_id, path, start_date in hosted_rows:
        for pid in path_ids(path) & place_ids:
            at_place.setdefault(exchange_id, {}).setdefault(pid, []).append(start_date)
    from_place: dict[int, dict[int, set[str]]] = {}  # exchange → place → sides
    start_of: dict[int, dt.date] = {}
    for exchange_id, path, side, start_date in member_rows:
        start_of[exchange_id] = start_date
        for pid in path_ids(path) & place_ids:
            from_place.setdefault(exchange_id, {}).setdefault(pid, set()).add(side)

    last_message = dict(
        Message.objects.alive()
        .filter(pairing_id__in=ids)
        .values("pairing_id")
        .annotate(at=Max("created_at"))
        .order_by()
        .values_list("pairing_id", "at")
    )
    last_appointment = dict(
        Appointment.objects.alive()
        .filter(Q(pairing_id__in=ids))
        .values("pairing_id")
        .annotate(at=Max("appointed_on"))
        .order_by()
        .values_list("pairing_id", "at")
    )
    commitments = {
        row["pairing_id"]: row
        for row in Commitment.objects.filter(pairing_id__in=ids)
        .open()
        .values("pairing_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(today)))
        .order_by()
    }
    unread = unread_counts(user, pairings) if user is not None else {}
    contacts = current_contacts(places.values(), today)

    for health in result:
        p = health.pairing
        place_a, place_b = sides[p.pk]
        a = place_a.pk if place_a is not None else None
        b = place_b.pk if place_b is not None else None
        for exchange_id, sides_by_place in from_place.items():
            touched = at_place.get(exchange_id, {})
            for origin, target in ((a, b), (b, a)):
                if origin in sides_by_place and target in touched:
                    for day in touched[target]:
                        health.note_contact(day, "activity")
                    if "visiting" in sides_by_place[origin]:
                        if origin == a:
                            health.visits_a_to_b += 1
                        else:
                            health.visits_b_to_a += 1
                        health.note_contact(start_of[exchange_id], "visit")
        health.note_contact(last_message.get(p.pk), "message")
        health.note_contact(last_appointment.get(p.pk), "appointment")
        row = commitments.get(p.pk)
        if row:
            health.open_commitments, health.overdue_commitments = row["open"], row["overdue"]
        health.unread = unread.get(p.pk, 0)
        health.contact_a = contacts.get(a) if a is not None else None
        health.contact_b = contacts.get(b) if b is not None else None
    return result


PAIRING_RELATED = (
    "place_a__parent__parent",
    "place_b__parent__parent",
    "organisation_a__place",
    "organisation_b__place",
    "exchange",
    "batch",
    "agreement",
)


def pairings_queryset():
    return Pairing.objects.select_related(*PAIRING_RELATED)


def readable_pairings(user, queryset=None):
    """The pairings of ``queryset`` (default: every pairing) that ``user`` may read
    (pairings.view_pairing, pairings/rules.py), in one filter: every pairing for those who
    read them all; for a community member, the pairings of its place(s) or below; none for
    anyone else. ``user=None``: no filter (commands, tests of the figures). The one answer
    to "which pairings may this user read" for every list: pages, API and documents."""
    if queryset is None:
        queryset = Pairing.objects.all()
    if user is None:
        return queryset
    if user.has_perm("pairings.view_all_pairings"):
        return queryset
    return queryset.filter(parties_within(roles_of(user).community_places))


def readable_commitments(queryset, user):
    """The commitments of ``queryset`` that ``user`` may read (pairings.view_commitment),
    in one filter: a commitment of a pairing follows that pairing's read rule
    (``readable_pairings``), any other one is read by every reader. ``user=None``: no
    filter."""
    if user is None:
        return queryset
    if not user.has_perm("pairings.view_commitment"):
        return queryset.none()
    if user.has_perm("pairings.view_all_pairings"):
        return queryset
    return queryset.filter(
        Q(pairing__isnull=True) | Q(pairing__in=readable_pairings(user, Pairing.objects.all()))
    )


SORTS = {
    "health": lambda h: h.sort_key(),
    "last_contact": lambda h: (h.last_contact or dt.date.min, h.pairing.pk),
    "overdue": lambda h: (-h.overdue_commitments, -h.open_commitments, h.pairing.pk),
    "started": lambda h: (h.pairing.started_on, h.pairing.pk),
    "unread": lambda h: (-h.unread, h.sort_key()),
}


def pairing_list(
    *,
    sort: str = "health",
    quiet_only: bool = False,
    include_ended: bool = False,
    place: Place | None = None,
    today: dt.date | None = None,
    user=None,
    held_only: bool = False,
) -> list[Health]:
    """Every pairing (that ``user`` may read, when given; ``held_only``: held ones,
    ``held_pairings``) with its health, sorted (quiet first by default)."""
    qs = readable_pairings(user, pairings_queryset())
    if held_only:
        qs = held_pairings(qs)
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    if place is not None:
        qs = qs.filter(of_place_q(place))
    rows = health_of(qs, today=today, user=user)
    if quiet_only:
        rows = [h for h in rows if h.is_quiet]
    rows.sort(key=SORTS.get(sort, SORTS["health"]))
    return rows


def of_place_q(place: Place) -> Q:
    """Pairings with ``place`` as a party, or an organisation based there."""
    return (
        Q(place_a=place)
        | Q(place_b=place)
        | Q(organisation_a__place=place)
        | Q(organisation_b__place=place)
    )


def quiet_pairings(limit: int = 10, *, today: dt.date | None = None, user=None) -> dict:
    """The quiet pairings (those ``user`` may read, when given; held ones only), longest
    silent first: ``{"rows": [...], "total": n, "months": m}``. For the dashboard: include
    ``pairings/_quiet_pairings.html`` with ``quiet`` set to this."""
    rows = pairing_list(quiet_only=True, today=today, user=user, held_only=True)
    return {"rows": rows[:limit], "total": len(rows), "months": quiet_months()}


# --- the list leaders use: filters, a page of rows, the areas they report by -----------------

# What the health filter asks for: "current" (not ended: the default), the health rule's
# active or quiet, ended, or all.
HEALTH_FILTERS = ("current", "active", "quiet", "ended", "all")
# Sorts read off the table: the list is paginated in SQL and the health rule is computed for
# the page's rows only.
SQL_SORTS = {
    "newest": ("-started_on", "-id"),
    "started": ("started_on", "id"),
}
# Sorts by the health rule (``SORTS``): every listed pairing's health is computed (a fixed
# number of queries), then the rows are sorted and paginated in Python; so is the health
# filter's active or quiet, which only the rule can answer.
HEALTH_SORTS = ("health", "last_contact", "overdue", "unread")


@dataclass(frozen=True)
class PairingFilters:
    """The pairings list's filters: a mainland district and a Taiwanese county (each: that
    place and below, ``directory.models.within``), a kind (``PairingKind``), the health
    (``HEALTH_FILTERS``) and one place's own pairings (its parties: ``of_place_q``)."""

    district: Place | None = None
    county: Place | None = None
    kind: str = ""
    health: str = "current"
    place: Place | None = None

    @property
    def by_rule(self) -> bool:
        """The health filter needs the health rule (active or quiet)."""
        return self.health in ("active", "quiet")


def parties_within(places) -> Q:
    """Pairings with a party (a place, or the place an organisation is based in) at one of
    ``places`` or below: the one "this place and below" (``within``) over the four parties."""
    return (
        within(places, field="place_a")
        | within(places, field="place_b")
        | within(places, field="organisation_a__place")
        | within(places, field="organisation_b__place")
    )


def filtered_pairings(filters: PairingFilters, *, user=None):
    """The pairings ``user`` may read (``readable_pairings``) within ``filters``, as a
    queryset (unordered). The health filter's active and quiet are narrowed here as far as
    SQL may (not ended; quiet: held, ``held_pairings``), then by the rule (``health_of``)."""
    qs = readable_pairings(user, pairings_queryset())
    if filters.district is not None:
        qs = qs.filter(parties_within(filters.district))
    if filters.county is not None:
        qs = qs.filter(parties_within(filters.county))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.place is not None:
        qs = qs.filter(of_place_q(filters.place))
    if filters.health == "ended":
        qs = qs.filter(ended_on__isnull=False)
    elif filters.health in ("current", "active", "quiet"):
        qs = qs.filter(ended_on__isnull=True)
    if filters.health == "quiet":
        qs = held_pairings(qs)
    return qs


def by_health_rule(rows: list[Health], health: str) -> list[Health]:
    """The rows the health filter keeps, by the one rule (``Health.is_quiet``)."""
    if health == "quiet":
        return [h for h in rows if h.is_quiet]
    if health == "active":
        return [h for h in rows if not h.is_quiet and h.pairing.ended_on is None]
    return rows


def listed_pairings(
    filters: PairingFilters,
    *,
    sort: str = "newest",
    user=None,
    today: dt.date | None = None,
) -> list[Health]:
    """Every pairing within ``filters`` with its health, sorted: the export and the quiet
    list (a fixed number of queries; the rule is computed for every row)."""
    qs = filtered_pairings(filters, user=user)
    if sort in SQL_SORTS:
        qs = qs.order_by(*SQL_SORTS[sort])
    rows = by_health_rule(health_of(qs, today=today, user=user), filters.health)
    if sort not in SQL_SORTS:
        rows.sort(key=SORTS.get(sort, SORTS["health"]))
    return rows


@dataclass
class ListedPage:
    """One page of the pairings list: ``page`` (a Django ``Page``, for the links) and the
    health of its rows."""

    page: Page
    rows: list[Health]

    @property
    def total(self) -> int:
        return self.page.paginator.count


def pairings_page(
    filters: PairingFilters,
    *,
    sort: str = "newest",
    page: int | str | None = None,
    per_page: int = 50,
    user=None,
    today: dt.date | None = None,
) -> ListedPage:
    """A page of the pairings list. Sorted by a column (``SQL_SORTS``) and not filtered by
    the rule: paginated in SQL, the health computed for the page's rows only. Sorted or
    filtered by the health rule: every row's health, then the page (``listed_pairings``)."""
    if sort in SQL_SORTS and not filters.by_rule:
        qs = filtered_pairings(filters, user=user).order_by(*SQL_SORTS[sort])
        found = Paginator(qs, per_page).get_page(page)
        return ListedPage(found, health_of(list(found.object_list), today=today, user=user))
    rows = listed_pairings(filters, sort=sort, user=user, today=today)
    found = Paginator(rows, per_page).get_page(page)
    return ListedPage(found, list(found.object_list))


def area_in_chain(chain: list[Place]) -> Place | None:
    """The place a leader reports by, in ``chain`` (places top down): on the mainland its
    district (区, 县; the level ``directory.models.level_index`` names "district"), in
    Taiwan its county or city (县, 市: the level it names "city"). Set ``area_city`` on a
    mainland district (its city, for the label: 北京市 海淀区). None above that level."""
    if not chain:
        return None
    top = "district" if chain[0].side_id == MAINLAND else "city"
    i = level_index(chain, top)
    if i is None:
        return None
    area = chain[i]
    city = level_index(chain, "city") if top == "district" else None
    area.area_city = chain[city] if city is not None and city < i else None
    return area


def place_chains(paths) -> dict[str, list[Place]]:
    """For each of ``paths``, its places top down (the place itself last): one query for
    them all."""
    paths = {p for p in paths if p}
    ids = {pk for path in paths for pk in Place.path_ids(path)}
    by_id = Place.objects.in_bulk(ids) if ids else {}
    return {path: [by_id[pk] for pk in Place.path_ids(path) if pk in by_id] for path in paths}


def report_areas(paths) -> dict[str, Place | None]:
    """For each of ``paths``, its area (``area_in_chain``): one query for them all."""
    return {path: area_in_chain(chain) for path, chain in place_chains(paths).items()}


def pairing_areas(user=None) -> tuple[list[Place], list[Place]]:
    """The mainland districts and the Taiwanese counties with a party of a pairing ``user``
    may read, in the directory's order: the filter's choices. Two queries."""
    rows = (
        readable_pairings(user, Pairing.objects.all())
        .values_list(
            "place_a__path",
            "place_b__path",
            "organisation_a__place__path",
            "organisation_b__place__path",
        )
        .order_by()
        .distinct()
    )
    paths = {path for row in rows for path in row if path}
    areas = {a.pk: a for a in report_areas(paths).values() if a is not None}
    ordered = sorted(areas.values(), key=lambda p: p.path)
    return (
        [a for a in ordered if a.side_id == MAINLAND],
        [a for a in ordered if a.side_id == TAIWAN],
    )


# --- one pairing ------------------------------------------------------------------------------


def get_pairing(pk: int) -> Pairing:
    return get_object_or_404(pairings_queryset(), pk=pk)


def people_of(place: Place) -> set[int]:
    """People who belong to a place: living there or holding a position there or in one of
    its organisations, at any time."""
    people = set(
        Person.objects.filter(within(place, field="home_place")).values_list("pk", flat=True)
    )
    people |= set(
        Position.objects.filter(
            within(place, field="place") | within(place, field="organisation__place")
        ).values_list("person_id", flat=True)
    )
    return people


def organisations_of(place: Place) -> set[int]:
    return set(
        Organisation.objects.filter(within(place, field="place")).values_list("pk", flat=True)
    )


@dataclass
class Event:
    day: dt.date
    kind: str  # exchange, activity, appointment, gift, message, commitment, pairing
    obj: object
    direction: str = ""  # "a_to_b", "b_to_a" or ""
    extra: dict = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.day.year


def timeline(pairing: Pairing, *, user=None, limit_messages: int = 50) -> list[Event]:
    """Everything involving both places, across years and in both directions, newest first.
    An organisation party stands for the place it is based in; a party without a place
    gives the pairing's own events only.

    An exchange is on the timeline when it involved both places (each of them hosted it, sent
    it, hosted one of its groups or one of its activities, or had a member in it; or the
    pairing or one of its appointments was made at it), and so are its activities at either
    place: another visit to the same community, by people of another li, is not this
    pairing's."""
    a, b = side_places(pairing)
    events: list[Event] = []
    if a is None or b is None or a.pk == b.pk:
        events.append(Event(pairing.started_on, "pairing", pairing))
        return events
    both = [a, b]

    def side_of(path: str) -> str:
        ids = path_ids(path)
        return "a" if a.pk in ids else "b" if b.pk in ids else ""

    # Where each exchange touched either place: hosting, visiting, a group hosted there, an
    # activity at or below it, or a member from it.
    touched: dict[int, set[str]] = {}

    def touch(exchange_id: int, path: str | None) -> None:
        side = side_of(path) if path else ""
        if side:
            touched.setdefault(exchange_id, set()).add(side)

    for exchange_id, host, visiting in (
        Exchange.objects.alive()
        .filter(within(both, field="host_place") | within(both, field="visiting_place"))
        .values_list("pk", "host_place__path", "visiting_place__path")
    ):
        touch(exchange_id, host)
        touch(exchange_id, visiting)
    for exchange_id, path in Group.objects.filter(within(both, field="host_place")).values_list(
        "exchange_id", "host_place__path"
    ):
        touch(exchange_id, path)
    for exchange_id, path in ExchangePlace.objects.filter(within(both, field="place")).values_list(
        "exchange_id", "place__path"
    ):
        touch(exchange_id, path)
    member_sides: dict[int, set[str]] = {}
    for exchange_id, path, side in Member.objects.filter(
        within(both, field="home_place")
    ).values_list("exchange_id", "home_place__path", "side"):
        touch(exchange_id, path)
        if side == "visiting":
            member_sides.setdefault(exchange_id, set()).add(side_of(path))
    activities = list(
        Activity.objects.filter(within(both, field="place"), exchange__deleted_at__isnull=True)
        .filter(starts_at__isnull=False)
        .select_related("place", "exchange", "venue")
        .order_by("-starts_at")
    )
    for activity in activities:
        touch(activity.exchange_id, activity.place.path)
    # Only the exchanges that involved both places (the pairing's own and those of its
    # appointments among them), and only their activities.
    shared = {pk for pk, sides in touched.items() if sides == {"a", "b"}}
    appointments = list(
        Appointment.objects.alive()
        .filter(Q(pairing=pairing) | Q(community__in=both, person_place__in=both))
        .select_related("person", "community", "person_place", "exchange")
        .order_by("-appointed_on")
    )
    shared |= {appt.exchange_id for appt in appointments if appt.exchange_id}
    if pairing.exchange_id:
        shared.add(pairing.exchange_id)
    activities = [activity for activity in activities if activity.exchange_id in shared]
    exchanges = list(
        Exchange.objects.alive()
        .filter(pk__in=shared)
        .select_related("visiting_organisation", "visiting_place", "host_place")
        .order_by("-start_date")
    )
    visited: dict[int, set[str]] = {}
    for activity in activities:
        visited.setdefault(activity.exchange_id, set()).add(side_of(activity.place.path))
    for exchange in exchanges:
        came = member_sides.get(exchange.pk, set())
        went = visited.get(exchange.pk, set())
        if exchange.host_place_id:
            went = went | {side_of(exchange.host_place.path)}
        direction = ""
        if "a" in came and "b" in went:
            direction = "a_to_b"
        elif "b" in came and "a" in went:
            direction = "b_to_a"
        events.append(Event(exchange.start_date, "exchange", exchange, direction))
    for activity in activities:
        events.append(
            Event(
                _day(activity.starts_at),
                "activity",
                activity,
                extra={"side": side_of(activity.place.path)},
            )
        )
    for appointment in appointments:
        events.append(Event(appointment.appointed_on, "appointment", appointment))
    # Gifts between the people or organisations of one place and those of the other.
    people = {"a": people_of(a), "b": people_of(b)}
    orgs = {"a": organisations_of(a), "b": organisations_of(b)}

    def party_side(person_id, org_id) -> str:
        for side in ("a", "b"):
            if person_id in people[side] or org_id in orgs[side]:
                return side
        return ""

    gift_people = people["a"] | people["b"]
    gift_orgs = orgs["a"] | orgs["b"]
    gifts = (
        Gift.objects.filter(exchange__deleted_at__isnull=True)
        .filter(
            Q(giver_person_id__in=gift_people) | Q(giver_organisation_id__in=gift_orgs),
            Q(recipient_person_id__in=gift_people) | Q(recipient_organisation_id__in=gift_orgs),
        )
        .select_related(
            "exchange",
            "activity",
            "giver_person",
            "giver_organisation",
            "recipient_person",
            "recipient_organisation",
        )
    )
    for gift in gifts:
        giver = party_side(gift.giver_person_id, gift.giver_organisation_id)
        recipient = party_side(gift.recipient_person_id, gift.recipient_organisation_id)
        if {giver, recipient} == {"a", "b"}:
            day = _day(gift.activity.starts_at) if gift.activity else gift.exchange.start_date
            events.append(Event(day, "gift", gift, f"{giver}_to_{recipient}"))
    for message in (
        Message.objects.alive()
        .filter(pairing=pairing)
        .select_related("author", "author_person", "author_place")
        .order_by("-id")[:limit_messages]
    ):
        events.append(Event(_day(message.created_at), "message", message))
    for commitment in commitments_queryset().filter(pairing=pairing):
        events.append(Event(_day(commitment.created_at), "commitment", commitment))
    events.append(Event(pairing.started_on, "pairing", pairing))
    order = {
        "pairing": 0,
        "exchange": 1,
        "activity": 2,
        "appointment": 3,
        "gift": 4,
        "commitment": 5,
        "message": 6,
    }
    events.sort(key=lambda e: (e.day, -order[e.kind]), reverse=True)
    return events


def timeline_by_year(events: list[Event]) -> list[dict]:
    years: list[dict] = []
    for event in events:
        if not years or years[-1]["year"] != event.year:
            years.append({"year": event.year, "events": []})
        years[-1]["events"].append(event)
    return years


def pairing_page(pairing: Pairing, *, user=None, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    health = health_of([pairing], today=today, user=user)[0]
    appointments = list(
        pairing.appointments.alive()
        .select_related("person", "community", "person_place", "exchange", "activity")
        .order_by("appointed_on", "id")
    )
    events = timeline(pairing, user=user)
    return {
        "pairing": pairing,
        "health": health,
        "today": today,
        "trail_a": pairing.place_a.ancestors(include_hidden=False) if pairing.place_a else [],
        "trail_b": pairing.place_b.ancestors(include_hidden=False) if pairing.place_b else [],
        "batch_row": batch_page(pairing.batch)["progress"] if pairing.batch_id else None,
        "appointments": appointments,
        "years": timeline_by_year(events),
        "commitments": list(commitments_queryset().filter(pairing=pairing)),
        "latest_messages": thread_messages(pairing, limit=5),
        "is_member": user is not None
        and ChannelMembership.objects.of(pairing).filter(user=user).exists(),
    }


# --- commitments -----------------------------------------------------------------------------


def commitments_queryset():
    return Commitment.objects.select_related(
        "exchange",
        "activity",
        "outcome",
        "pairing__place_a",
        "pairing__place_b",
        "pairing__organisation_a",
        "pairing__organisation_b",
        "owner_person",
        "owner_organisation",
    ).order_by("due_on", "id")


def mark_overdue(rows, today: dt.date | None = None):
    """Set ``is_open`` and ``is_overdue`` (``Commitment.is_overdue_on(today)``) on each row,
    for the templates."""
    today = today or timezone.localdate()
    for row in rows:
        row.is_open = row.status in OPEN_STATUSES
        row.is_overdue = row.is_overdue_on(today)
    return rows


def organisation_commitments(
    organisation: Organisation,
    *,
    today: dt.date | None = None,
    include_closed: bool = False,
    user=None,
) -> dict:
    """Commitments an organisation owns (itself or a branch of it; or a person holding a
    position in it today) that ``user`` may read, overdue first."""
    today = today or timezone.localdate()
    branch_ids = [organisation.pk, *organisation.branches.values_list("pk", flat=True)]
    people = Position.objects.on(today).filter(organisation_id__in=branch_ids).values("person_id")
    qs = readable_commitments(commitments_queryset(), user).filter(
        Q(owner_organisation_id__in=branch_ids)
        | Q(owner_organisation__isnull=True, owner_person_id__in=people)
    )
    if not include_closed:
        qs = qs.open()
    rows = mark_overdue(list(qs), today)
    overdue = [r for r in rows if r.is_overdue]
    return {
        "organisation": organisation,
        "overdue": overdue,
        "other": [r for r in rows if not r.is_overdue],
        "today": today,
    }


def get_commitment(pk: int) -> Commitment:
    commitment = get_object_or_404(commitments_queryset(), pk=pk)
    mark_overdue([commitment])
    return commitment


def exchange_commitments(exchange: Exchange, *, user=None) -> list[Commitment]:
    """The exchange's commitments that ``user`` may read."""
    qs = readable_commitments(commitments_queryset(), user).filter(exchange=exchange)
    return mark_overdue(list(qs))


def exchange_appointments(exchange: Exchange) -> list[Appointment]:
    return list(
        Appointment.objects.alive()
        .filter(exchange=exchange)
        .select_related(
            "person", "community__parent", "person_place__parent", "activity", "pairing"
        )
        .order_by("appointed_on", "community__name", "id")
    )


# --- the channel ----------------------------------------------------------------------------


def may_read_thread(user, thread) -> bool:
    """Reading a thread (and receiving its notices): a pairing's — pairings.view_pairing;
    an exchange's — exchanges.view_exchange. Asked at the time of use."""
    if user is None or not user.is_active:
        return False
    if isinstance(thread, Exchange):
        return user.has_perm("exchanges.view_exchange", thread)
    return user.has_perm("pairings.view_pairing", thread)


def sides_of(user, pairing: Pairing) -> list[Place]:
    """The places of ``pairing`` that ``user`` may write for (pairings.speak_for_place):
    their own side, never the other one."""
    if user is None:
        return []
    # Asked of the rule itself (rules.has_perm), not user.has_perm: Django lets a superuser
    # pass every has_perm, and an administrator has no side of their own to write for.
    return [
        p
        for p in (pairing.place_a, pairing.place_b)
        if p is not None and rules.has_perm("pairings.speak_for_place", user, p)
    ]


def thread_messages(thread, *, limit: int | None = None) -> list[Message]:
    qs = (
        Message.objects.alive()
        .of(thread)
        .select_related("author", "author_person", "author_place")
        .prefetch_related("attachments")
    )
    if limit:
        return list(reversed(qs.order_by("-id")[:limit]))
    return list(qs.order_by("id"))


def last_read_id(user, thread) -> int:
    if user is None or not user.is_authenticated:
        return 0
    mark = ReadMark.objects.of(thread).filter(user=user).values_list("last_read_id", flat=True)
    return mark.first() or 0


def unread_counts(user, pairings) -> dict[int, int]:
    """Unread messages (written by others) per pairing for ``user``: one query."""
    if user is None or not user.is_authenticated:
        return {}
    ids = [p.pk for p in pairings]
    read = ReadMark.objects.filter(user=user, pairing=OuterRef("pairing_id")).values(
        "last_read_id"
    )[:1]
    rows = (
        Message.objects.alive()
        .filter(pairing_id__in=ids)
        .exclude(author=user)
        .annotate(read_up_to=Coalesce(Subquery(read), Value(0), output_field=IntegerField()))
        .filter(id__gt=F("read_up_to"))
        .values("pairing_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["pairing_id"]: row["n"] for row in rows}


def unread_in(user, thread) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return (
        Message.objects.alive()
        .of(thread)
        .exclude(author=user)
        .filter(id__gt=last_read_id(user, thread))
        .count()
    )


def unread_total(user) -> int:
    """Unread messages in every thread the user follows (for a badge in the menu)."""
    if user is None or not user.is_authenticated:
        return 0
    pairing_ids = ChannelMembership.objects.filter(user=user, pairing__isnull=False).values(
        "pairing_id"
    )
    pairings = Pairing.objects.filter(pk__in=pairing_ids)
    return sum(unread_counts(user, pairings).values())


def thread_title(thread) -> str:
    if isinstance(thread, Pairing):
        return pairing_title(thread)
    return thread.title


# --- agreements, alliances, batches ----------------------------------------------------------


def agreements_queryset():
    return Agreement.objects.select_related("exchange", "activity").prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("place__parent", "organisation__place"),
        ),
        Prefetch(
            "signatories",
            queryset=AgreementSignatory.objects.select_related(
                "person", "party__place", "party__organisation"
            ),
        ),
    )


def alliances_queryset():
    return Alliance.objects.select_related("exchange", "activity").prefetch_related(
        Prefetch(
            "members",
            queryset=AllianceMember.objects.select_related("place__parent", "organisation__place"),
        )
    )


def batches_queryset():
    return PairingBatch.objects.select_related("exchange", "agreement").prefetch_related(
        "districts_a",
        "districts_b",
        Prefetch("pairings", queryset=pairings_queryset().order_by("started_on", "id")),
    )


def get_agreement(pk: int) -> Agreement:
    return get_object_or_404(agreements_queryset(), pk=pk)


def get_alliance(pk: int) -> Alliance:
    return get_object_or_404(alliances_queryset(), pk=pk)


def get_batch(pk: int) -> PairingBatch:
    return get_object_or_404(batches_queryset(), pk=pk)


@dataclass
class BatchProgress:
    """A batch with the pairings named so far and how many are still to be named."""

    batch: PairingBatch
    named: list
    districts_a: list
    districts_b: list

    @property
    def still_to_name(self) -> int:
        return max(self.batch.count - len(self.named), 0)

    @property
    def placeholders(self) -> range:
        return range(self.still_to_name)

    @property
    def is_complete(self) -> bool:
        return self.still_to_name == 0


def batch_progress(batch: PairingBatch) -> BatchProgress:
    """Read off a batch from ``batches_queryset`` (prefetched: no query)."""
    return BatchProgress(
        batch=batch,
        named=list(batch.pairings.all()),
        districts_a=list(batch.districts_a.all()),
        districts_b=list(batch.districts_b.all()),
    )


def batch_page(batch: PairingBatch) -> dict:
    if not hasattr(batch, "_prefetched_objects_cache"):
        batch = get_batch(batch.pk)
    return {"batch": batch, "progress": batch_progress(batch)}


def agreement_page(agreement: Agreement) -> dict:
    parties = list(agreement.parties.all())
    signatories = list(agreement.signatories.all())
    return {
        "agreement": agreement,
        "parties": parties,
        "signatories": signatories,
        "pairings": list(pairings_queryset().filter(agreement=agreement).order_by("id")),
        "batches": list(agreement.pairing_batches.order_by("id")),
    }


def alliance_page(alliance: Alliance) -> dict:
    members = list(alliance.members.all())
    return {
        "alliance": alliance,
        "members": members,
        "founders": [m for m in members if m.founder],
    }


def exchange_links(exchange: Exchange, *, user=None) -> dict:
    """The agreements, alliances, batches and pairings of an exchange (the pairings
    ``user`` may read). A fixed number of queries."""
    pairings = list(
        readable_pairings(user, pairings_queryset()).filter(exchange=exchange).order_by("id")
    )
    return {
        "agreements": list(agreements_queryset().filter(exchange=exchange).order_by("id")),
        "alliances": list(alliances_queryset().filter(exchange=exchange).order_by("id")),
        "batches": [
            batch_progress(b) for b in batches_queryset().filter(exchange=exchange).order_by("id")
        ],
        "pairings": pairings,
    }


def place_agreements(place: Place) -> list[Agreement]:
    """Agreements with ``place`` (or an organisation based there) as a party."""
    ids = AgreementParty.objects.filter(Q(place=place) | Q(organisation__place=place)).values(
        "agreement_id"
    )
    return list(agreements_queryset().filter(pk__in=ids).order_by("-signed_on", "id"))


def place_alliance_memberships(place: Place) -> list[AllianceMember]:
    """The alliance memberships of ``place`` (or of an organisation based there)."""
    return list(
        AllianceMember.objects.filter(Q(place=place) | Q(organisation__place=place))
        .select_related("alliance", "organisation")
        .order_by("-alliance__launched_on", "alliance_id", "id")
    )


LINKS_LIMIT = 100


def links_index() -> dict:
    """The newest agreements, alliances and batches (at most ``LINKS_LIMIT`` of each) with
    their totals, for the index page. A fixed number of queries."""
    rows = {
        "agreements": list(agreements_queryset().order_by("-signed_on", "-id")[:LINKS_LIMIT]),
        "alliances": list(alliances_queryset().order_by("-launched_on", "-id")[:LINKS_LIMIT]),
        "batches": list(batches_queryset().order_by("-started_on", "-id")[:LINKS_LIMIT]),
    }
    models = {"agreements": Agreement, "alliances": Alliance, "batches": PairingBatch}
    # Counted only when a list reached the limit.
    totals = {
        key: len(found) if len(found) < LINKS_LIMIT else models[key].objects.count()
        for key, found in rows.items()
    }
    return {
        "agreements": rows["agreements"],
        "alliances": rows["alliances"],
        "batches": [batch_progress(b) for b in rows["batches"]],
        "totals": totals,
        "limit": LINKS_LIMIT,
    }
