"""Writes for a visit's logistics: travel legs, stays, needs, vehicles and seats. Every entry
point (the grid, the roster import, the API) goes through here; the audit trail records each
write (accounts/audit.py).

Permission: the roster's rule (``rules.CHANGE``, exchanges.change_member) for everything;
needs are personal data and are written only by an actor who may see them
(``selectors.needs_visible``). ``actor=None`` is a command or the importer.

Versions: ``expected_version`` is the version the editor read; ``0`` means "I saw no
record", so a record someone else created meanwhile is not overwritten; ``None``: no check."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core.services import (
    StaleVersion,
    bump_version,
    check_dates,
    check_version,
    validate_text,
    validate_text_fields,
)
from civicbridge.directory.models import Organisation, Place
from civicbridge.exchanges.models import Exchange, Member
from civicbridge.logistics import rules, selectors
from civicbridge.logistics.models import (
    Direction,
    Needs,
    SeatAssignment,
    Stay,
    TravelLeg,
    TravelMode,
    Vehicle,
)

MAX_NIGHTS = 366
MAX_SEATS = 500


def _require(actor, obj) -> None:
    if actor is not None and not actor.has_perm(rules.CHANGE, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


def _check_expected(record, expected_version: int | None) -> None:
    """``expected_version`` against a record that may not exist yet (``0``: none read)."""
    if expected_version is None:
        return
    if record is None:
        if int(expected_version) != 0:
            raise StaleVersion(
                _(
                    "Someone else removed this record while you were editing it. "
                    "Reload and apply your change again."
                ),
                code="stale",
            )
        return
    if int(expected_version) == 0:
        raise StaleVersion(
            _(
                "Someone else added this record while you were editing it "
                "(current version %(current)s). Reload and apply your change again."
            )
            % {"current": record.version},
            code="stale",
        )
    check_version(record, expected_version)


def _save(record) -> None:
    validate_text_fields(record)
    if record.pk is not None:
        bump_version(record)
    record.save()


# --- travel legs ---------------------------------------------------------------------------


def _validate_leg(leg: TravelLeg) -> None:
    errors = {}
    if leg.direction not in Direction.values:
        errors["direction"] = _("Write arrival or departure.")
    if leg.mode not in TravelMode.values:
        errors["mode"] = _("Unknown means of travel.")
    try:
        check_dates(at=leg.at)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if leg.at is not None and leg.at.tzinfo is None:
        errors["at"] = _("Give the time with its time zone.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_travel_leg(
    *,
    member: Member,
    direction: str,
    mode: str = TravelMode.FLIGHT,
    number: str = "",
    at: dt.datetime | None = None,
    place: Place | None = None,
    place_wording: str = "",
    pickup: bool = False,
    note: str = "",
    expected_version: int | None = None,
    actor=None,
) -> TravelLeg:
    """Record (or change) how ``member`` arrives or leaves."""
    _require(actor, member)
    if direction not in Direction.values:
        raise ValidationError({"direction": _("Write arrival or departure.")})
    leg = TravelLeg.objects.filter(member=member, direction=direction).first()
    _check_expected(leg, expected_version)
    leg = leg or TravelLeg(member=member, direction=direction)
    leg.mode = mode or TravelMode.FLIGHT
    leg.number = validate_text(number, field="number", max_length=40, required=False)
    # Kept in UTC, as read back from the database (the audit trail compares like with like).
    leg.at = at.astimezone(dt.UTC) if at is not None and at.tzinfo is not None else at
    leg.place = place
    leg.place_wording = validate_text(
        place_wording, field="place_wording", max_length=200, required=False
    )
    leg.pickup = bool(pickup)
    leg.note = validate_text(note, field="note", max_length=5000, required=False, multiline=True)
    _validate_leg(leg)
    _save(leg)
    return leg


@transaction.atomic
def remove_travel_leg(
    *, member: Member, direction: str, expected_version: int | None = None, actor=None
) -> None:
    _require(actor, member)
    leg = TravelLeg.objects.filter(member=member, direction=direction).first()
    if leg is None:
        return
    _check_expected(leg, expected_version)
    leg.delete()


# --- stays ---------------------------------------------------------------------------------


@transaction.atomic
def set_stay(
    *,
    member: Member,
    hotel: Organisation | None = None,
    hotel_wording: str = "",
    room: str = "",
    nights: int | None = None,
    note: str = "",
    expected_version: int | None = None,
    actor=None,
) -> Stay:
    """Record (or change) where ``member`` stays."""
    _require(actor, member)
    stay = Stay.objects.filter(member=member).first()
    _check_expected(stay, expected_version)
    stay = stay or Stay(member=member)
    stay.hotel = hotel
    stay.hotel_wording = validate_text(
        hotel_wording, field="hotel_wording", max_length=200, required=False
    )
    stay.room = validate_text(room, field="room", max_length=40, required=False)
    if nights is not None and not 0 <= int(nights) <= MAX_NIGHTS:
        raise ValidationError({"nights": _("That number of nights is not plausible.")})
    stay.nights = nights
    stay.note = validate_text(note, field="note", max_length=5000, required=False, multiline=True)
    _save(stay)
    return stay


@transaction.atomic
def remove_stay(*, member: Member, expected_version: int | None = None, actor=None) -> None:
    _require(actor, member)
    stay = Stay.objects.filter(member=member).first()
    if stay is not None:
        _check_expected(stay, expected_version)
        stay.delete()


# --- needs (personal data) -----------------------------------------------------------------


@transaction.atomic
def set_needs(
    *,
    member: Member,
    dietary: str = "",
    mobility: str = "",
    medical: str = "",
    expected_version: int | None = None,
    actor=None,
) -> Needs:
    """Record (or change) what ``member`` needs. Personal data: the actor must be allowed to
    see it (``selectors.needs_visible``), or it could overwrite what it cannot read."""
    _require(actor, member)
    if actor is not None and not selectors.needs_visible(actor, member.person):
        raise PermissionDenied(_("You may not see or change this person's personal data."))
    needs = Needs.objects.filter(member=member).first()
    _check_expected(needs, expected_version)
    needs = needs or Needs(member=member)
    needs.dietary = validate_text(dietary, field="dietary", max_length=200, required=False)
    needs.mobility = validate_text(mobility, field="mobility", max_length=200, required=False)
    needs.medical = validate_text(
        medical, field="medical", max_length=5000, required=False, multiline=True
    )
    _save(needs)
    return needs


# --- vehicles ------------------------------------------------------------------------------


def _validate_vehicle(vehicle: Vehicle) -> None:
    vehicle.name = validate_text(vehicle.name, field="name", max_length=100)
    vehicle.plate = validate_text(vehicle.plate, field="plate", max_length=20, required=False)
    vehicle.driver = validate_text(vehicle.driver, field="driver", max_length=100, required=False)
    if vehicle.seats is not None and not 1 <= int(vehicle.seats) <= MAX_SEATS:
        raise ValidationError({"seats": _("That number of seats is not plausible.")})
    if (
        Vehicle.objects.filter(exchange_id=vehicle.exchange_id, name=vehicle.name)
        .exclude(pk=vehicle.pk)
        .exists()
    ):
        raise ValidationError({"name": _("This exchange already has a vehicle of that name.")})
    if vehicle.pk is not None and vehicle.seats is not None:
        busiest = selectors.busiest_day_load(vehicle)
        if busiest > vehicle.seats:
            raise ValidationError(
                {"seats": _("%(n)s members already have a seat in it.") % {"n": busiest}}
            )


@transaction.atomic
def create_vehicle(
    *,
    exchange: Exchange,
    name: str,
    plate: str = "",
    driver: str = "",
    seats: int | None = None,
    note: str = "",
    actor=None,
) -> Vehicle:
    _require(actor, exchange)
    vehicle = Vehicle(
        exchange=exchange,
        name=name,
        plate=plate,
        driver=driver,
        seats=seats,
        note=validate_text(note, field="note", max_length=5000, required=False, multiline=True),
        order=Vehicle.objects.filter(exchange=exchange).count(),
    )
    _validate_vehicle(vehicle)
    _save(vehicle)
    return vehicle


VEHICLE_EDITABLE = {"name", "plate", "driver", "seats", "note", "order"}


@transaction.atomic
def update_vehicle(
    *, vehicle: Vehicle, expected_version: int | None = None, actor=None, **fields
) -> Vehicle:
    _require(actor, vehicle.exchange)
    check_version(vehicle, expected_version)
    unknown = set(fields) - VEHICLE_EDITABLE
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    for key, value in fields.items():
        setattr(vehicle, key, "" if value is None and key in ("plate", "driver", "note") else value)
    _validate_vehicle(vehicle)
    _save(vehicle)
    return vehicle


@transaction.atomic
def remove_vehicle(*, vehicle: Vehicle, expected_version: int | None = None, actor=None) -> None:
    """Take a vehicle off the exchange, with its seat assignments."""
    _require(actor, vehicle.exchange)
    check_version(vehicle, expected_version)
    vehicle.assignments.all().delete()
    vehicle.delete()


# --- seats ---------------------------------------------------------------------------------


@transaction.atomic
def assign_seat(
    *,
    member: Member,
    vehicle: Vehicle,
    seat: str = "",
    day: dt.date | None = None,
    expected_version: int | None = None,
    actor=None,
) -> SeatAssignment:
    """Seat ``member`` in ``vehicle`` for the whole visit (``day=None``) or for one day."""
    _require(actor, member)
    if vehicle.exchange_id != member.exchange_id:
        raise ValidationError({"vehicle": _("The vehicle belongs to another exchange.")})
    check_dates(day=day)
    assignment = SeatAssignment.objects.filter(member=member, day=day).first()
    _check_expected(assignment, expected_version)
    assignment = assignment or SeatAssignment(member=member, day=day)
    assignment.vehicle = vehicle
    assignment.seat = validate_text(seat, field="seat", max_length=10, required=False)
    taken = selectors.seats_taken(vehicle, day=day, excluding=member)
    if assignment.seat and assignment.seat in taken:
        raise ValidationError(
            {
                "seat": _("Seat %(seat)s is already taken by %(name)s.")
                % {"seat": assignment.seat, "name": taken[assignment.seat]}
            }
        )
    if vehicle.seats is not None and selectors.vehicle_load(vehicle, day=day, excluding=member) >= (
        vehicle.seats
    ):
        raise ValidationError(
            {
                "vehicle": _("%(vehicle)s is full (%(n)s seats).")
                % {"vehicle": vehicle.name, "n": vehicle.seats}
            }
        )
    _save(assignment)
    return assignment


@transaction.atomic
def unassign_seat(
    *, member: Member, day: dt.date | None = None, expected_version: int | None = None, actor=None
) -> None:
    _require(actor, member)
    assignment = SeatAssignment.objects.filter(member=member, day=day).first()
    if assignment is not None:
        _check_expected(assignment, expected_version)
        assignment.delete()
