"""Reads for a visit's logistics: the rows of the grid, the API and the sheets (one per
member, a fixed number of queries), the pickups of a day, and the permit warnings.

Personal data: a member's needs are shown with the person's permit number (the visit's
personal data: ``exchanges.personal_data``, the field ``permit_number`` on the surface asked
for), masked elsewhere. The permit's number, expiry, kind and status are that field and its
companions (``directory.Person.PERSONAL_COMPANIONS``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from civicbridge.accounts.rules import roles_of
from civicbridge.directory.models import MAINLAND, TAIWAN, PermitKind, PermitStatus, within
from civicbridge.exchanges.models import Exchange, Member, Side
from civicbridge.exchanges.personal_data import PAGE, PERMIT_NUMBER, PersonalView
from civicbridge.logistics.models import Direction, SeatAssignment, TravelLeg, Vehicle

# The personal field whose visibility governs a member's needs.
NEEDS_GOVERNED_BY = PERMIT_NUMBER
MASK = "•••"


def needs_visible(user, person, *, context: str = PAGE) -> bool:
    return PersonalView(user, context).visible(person, NEEDS_GOVERNED_BY)


# --- seats -----------------------------------------------------------------------------------


def _same_day(day):
    """Assignments that share ``day`` with one for ``day``: that day's and the whole visit's."""
    return Q(day__isnull=True) if day is None else Q(day=day) | Q(day__isnull=True)


def seats_taken(vehicle: Vehicle, *, day=None, excluding=None) -> dict[str, str]:
    rows = SeatAssignment.objects.filter(_same_day(day), vehicle=vehicle).exclude(seat="")
    if excluding is not None:
        rows = rows.exclude(member=excluding)
    return dict(rows.values_list("seat", "member__person__name"))


def vehicle_load(vehicle: Vehicle, *, day=None, excluding=None) -> int:
    rows = SeatAssignment.objects.filter(_same_day(day), vehicle=vehicle)
    if excluding is not None:
        rows = rows.exclude(member=excluding)
    return rows.values("member").distinct().count()


def busiest_day_load(vehicle: Vehicle) -> int:
    days = set(vehicle.assignments.exclude(day=None).values_list("day", flat=True))
    return max([vehicle_load(vehicle), *(vehicle_load(vehicle, day=d) for d in days)])


# --- the rows ---------------------------------------------------------------------------------


@dataclass
class LogisticsRow:
    member: Member
    arrival: TravelLeg | None = None
    departure: TravelLeg | None = None
    stay: object | None = None
    needs: object | None = None
    # The seat for the whole visit, and seats for single days.
    seat: SeatAssignment | None = None
    day_seats: list[SeatAssignment] = field(default_factory=list)
    needs_visible: bool = False

    @property
    def person(self):
        return self.member.person

    def seat_on(self, day) -> SeatAssignment | None:
        for assignment in self.day_seats:
            if assignment.day == day:
                return assignment
        return self.seat


def vehicles_of(exchange: Exchange) -> list[Vehicle]:
    return list(Vehicle.objects.filter(exchange=exchange))


def logistics_rows(
    exchange: Exchange, *, personal: PersonalView, group=None, members=None
) -> list[LogisticsRow]:
    """One row per member of ``exchange`` (of ``group``, or of ``members`` when given), in
    roster order, with legs, stay, needs and seats: four queries and the personal-data rule's
    few, whatever the number of members. ``personal``: the reader on the surface."""
    queryset = (
        Member.objects.filter(exchange=exchange)
        .select_related("person", "group", "home_place", "stay", "stay__hotel", "needs")
        .prefetch_related(
            Prefetch("travel_legs", queryset=TravelLeg.objects.select_related("place")),
            Prefetch("seat_assignments", queryset=SeatAssignment.objects.select_related("vehicle")),
        )
        .order_by(F("group__order").asc(nulls_first=True), "group_id", "order", "id")
    )
    if group is not None:
        queryset = queryset.filter(group=group)
    if members is not None:
        queryset = queryset.filter(pk__in=[m.pk for m in members])
    found = list(queryset)
    personal.prime({m.person for m in found})
    rows = []
    for m in found:
        legs = {leg.direction: leg for leg in m.travel_legs.all()}
        seats = list(m.seat_assignments.all())
        rows.append(
            LogisticsRow(
                member=m,
                arrival=legs.get(Direction.ARRIVAL),
                departure=legs.get(Direction.DEPARTURE),
                stay=getattr(m, "stay", None),
                needs=getattr(m, "needs", None),
                seat=next((s for s in seats if s.day is None), None),
                day_seats=[s for s in seats if s.day is not None],
                needs_visible=personal.visible(m.person, NEEDS_GOVERNED_BY),
            )
        )
    return rows


# --- pickups of a day ------------------------------------------------------------------------


@dataclass
class Pickup:
    row: LogisticsRow
    leg: TravelLeg
    local_time: dt.datetime

    @property
    def is_arrival(self) -> bool:
        return self.leg.direction == Direction.ARRIVAL


def pickups_on(rows: list[LogisticsRow], day: dt.date, zone: str) -> list[Pickup]:
    """Who travels on ``day`` (in the exchange's time zone ``zone``): arrivals in time order,
    then departures in time order."""
    tz = ZoneInfo(zone)
    found = []
    for row in rows:
        for leg in (row.arrival, row.departure):
            if leg is None or leg.at is None:
                continue
            local = leg.at.astimezone(tz)
            if local.date() == day:
                found.append(Pickup(row, leg, local))
    found.sort(key=lambda p: (not p.is_arrival, p.local_time, p.row.member.order, p.row.member.pk))
    return found


def travel_days(rows: list[LogisticsRow], zone: str) -> list[dt.date]:
    tz = ZoneInfo(zone)
    return sorted(
        {
            leg.at.astimezone(tz).date()
            for row in rows
            for leg in (row.arrival, row.departure)
            if leg is not None and leg.at is not None
        }
    )


# --- permits ---------------------------------------------------------------------------------

MISSING = "missing"
NOT_ISSUED = "not_issued"
REFUSED = "refused"
EXPIRES = "expires"
WRONG_KIND = "wrong_kind"
REASONS = {
    MISSING: _("no permit recorded"),
    NOT_ISSUED: _("permit not issued yet"),
    REFUSED: _("permit refused"),
    EXPIRES: _("permit expires before the visit ends"),
    WRONG_KIND: _("not the permit this visit needs"),
}
CROSS_STRAIT_KINDS = (PermitKind.MAINLAND_TRAVEL, PermitKind.TAIWAN_ENTRY)


def last_day(exchange: Exchange) -> dt.date:
    """The visit's last day: its end, or its start when the end is not known."""
    return exchange.end_date or exchange.start_date


def needed_permit(exchange: Exchange, member: Member) -> str:
    """The permit ``member`` needs for ``exchange``: a visitor from Taiwan to the mainland
    needs a 台胞证, one from the mainland to Taiwan an 入台证; the host side and visitors who
    stay on their own side need none (""). Where the member comes from: their home place on
    the roster, else the exchange's visiting side."""
    if member.side != Side.VISITING or exchange.host_place_id is None:
        return ""
    home = member.home_place if member.home_place_id else exchange.visiting_place
    if home is None:
        return ""
    going_to = exchange.host_place.side_id
    if home.side_id == TAIWAN and going_to == MAINLAND:
        return PermitKind.MAINLAND_TRAVEL
    if home.side_id == MAINLAND and going_to == TAIWAN:
        return PermitKind.TAIWAN_ENTRY
    return ""


def permit_problems(person, needed: str, until: dt.date) -> list[str]:
    status, number = person.permit_status, person.permit_number
    reasons = []
    if status == PermitStatus.REFUSED:
        reasons.append(REFUSED)
    elif not number:
        reasons.append(NOT_ISSUED if status == PermitStatus.APPLIED else MISSING)
    elif status in (PermitStatus.NEEDED, PermitStatus.APPLIED):
        reasons.append(NOT_ISSUED)
    if person.permit_expires_on is not None and person.permit_expires_on < until:
        reasons.append(EXPIRES)
    if person.permit_kind in CROSS_STRAIT_KINDS and person.permit_kind != needed:
        reasons.append(WRONG_KIND)
    return reasons


@dataclass
class PermitWarning:
    exchange: Exchange
    member: Member
    needed: str
    reasons: list[str]
    # Personal data: the number and expiry when the reader may see them, else masked / None.
    number: str
    expires_on: dt.date | None
    visible: bool

    @property
    def person(self):
        return self.member.person

    @property
    def needed_label(self) -> str:
        return PermitKind(self.needed).label

    @property
    def messages(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def _warnings(exchange, members, personal: PersonalView) -> list[PermitWarning]:
    out = []
    until = last_day(exchange)
    for member in members:
        needed = needed_permit(exchange, member)
        if not needed:
            continue
        reasons = permit_problems(member.person, needed, until)
        if not reasons:
            continue
        out.append((exchange, member, needed, reasons))
    personal.prime({m.person for _e, m, _n, _r in out})
    warnings = []
    for exchange_, member, needed, reasons in out:
        visible = personal.visible(member.person, PERMIT_NUMBER)
        number = member.person.permit_number
        warnings.append(
            PermitWarning(
                exchange=exchange_,
                member=member,
                needed=needed,
                reasons=reasons,
                number=(number if visible else (MASK if number else "")),
                expires_on=member.person.permit_expires_on if visible else None,
                visible=visible,
            )
        )
    return warnings


def permit_warnings(exchange: Exchange, *, user=None, personal: PersonalView | None = None):
    """The members of ``exchange`` whose permit is missing, not issued, refused, of the
    wrong kind or expiring before the visit's last day, in roster order. Reads the members
    the exchange has prefetched (the exchange page) or one query. ``personal`` (or ``user``
    on the page surface): who reads the numbers; without either, every number is masked."""
    if personal is None:
        personal = PersonalView(user, PAGE) if user is not None else PersonalView.nothing(PAGE)
    members = [m for m in exchange.members.all() if m.side == Side.VISITING]
    if "members" not in getattr(exchange, "_prefetched_objects_cache", {}):
        members = list(
            exchange.members.filter(side=Side.VISITING).select_related("person", "home_place")
        )
    return _warnings(exchange, members, personal)


def exchanges_running(user, today: dt.date):
    """The upcoming (or current) exchanges whose permit warnings ``user`` sees
    (``logistics.view_permit_warnings``): one filter for the user's scope."""
    going = Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)
    queryset = Exchange.objects.alive().filter(going)
    roles = roles_of(user)
    if not roles.admin:
        scope = Q(pk__in=[])
        if roles.organiser_places:
            scope |= within(roles.organiser_places, field="host_place") | within(
                roles.organiser_places, field="groups__host_place"
            )
        if roles.coordinator_orgs:
            scope |= Q(visiting_organisation_id__in=roles.coordinator_orgs)
        queryset = queryset.filter(scope).distinct()
    return queryset.select_related("host_place", "visiting_place").order_by("start_date", "id")


def upcoming_permit_warnings(user, today: dt.date, *, limit: int = 20) -> list[PermitWarning]:
    """The permit warnings of the upcoming exchanges in ``user``'s scope (the dashboard):
    three queries and the personal-data rule's, whatever the number of exchanges."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if not user.has_perm("logistics.view_permit_warnings"):
        return []
    exchanges = {e.pk: e for e in exchanges_running(user, today)[:50]}
    if not exchanges:
        return []
    members = (
        Member.objects.filter(exchange_id__in=exchanges, side=Side.VISITING)
        .select_related("person", "home_place")
        .order_by("exchange_id", "order", "id")
    )
    per_exchange: dict[int, list[Member]] = {}
    for m in members:
        per_exchange.setdefault(m.exchange_id, []).append(m)
    personal = PersonalView(user, PAGE)
    warnings = []
    for pk, exchange in exchanges.items():
        warnings += _warnings(exchange, per_exchange.get(pk, []), personal)
        if len(warnings) >= limit:
            break
    return warnings[:limit]
