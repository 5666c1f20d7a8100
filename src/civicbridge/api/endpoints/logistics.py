"""A visit's logistics: per member the arrival and departure, stay, needs and seat; the
exchange's vehicles; the permit warnings.

Each write calls the service the grid calls (logistics/services.py) with
``actor=request.user``: the roster's rule (``exchanges.change_member``). A member's needs
are personal data (shown with the person's permit number, ``exchanges.personal_data`` on the
API surface): ``null`` for a reader who may not see them, and written only by one who may.
Create-or-change writes (PUT) carry the ``version`` read, ``0`` when there was none (409
when someone else changed it meanwhile)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator

from civicbridge.api.core import MAX_ID, responses
from civicbridge.api.endpoints.common import (
    Date,
    Id,
    PathId,
    QueryVersion,
    Text,
    Version,
    changes,
    get,
    need,
    ref,
    within_dates,
)
from civicbridge.core.services import check_version
from civicbridge.directory.models import Organisation, Place
from civicbridge.exchanges.models import Exchange, Member
from civicbridge.exchanges.personal_data import API, PersonalView
from civicbridge.logistics import rules, selectors, services
from civicbridge.logistics.models import Direction, TravelMode, Vehicle

router = Router(tags=["logistics"])

Moment = Annotated[dt.datetime, AfterValidator(within_dates)]
# 0: "there was none when I read".
PutVersion = Annotated[
    int, Field(ge=0, le=MAX_ID, description="the version you read (0: there was none)")
]


class TravelLegOut(Schema):
    id: int
    direction: str
    mode: str
    number: str
    at: dt.datetime | None
    place_id: int | None
    place_wording: str
    pickup: bool
    note: str
    version: int


class StayOut(Schema):
    id: int
    hotel_id: int | None
    hotel_wording: str
    room: str
    nights: int | None
    note: str
    version: int


class NeedsOut(Schema):
    id: int
    dietary: str
    mobility: str
    medical: str
    version: int


class SeatOut(Schema):
    id: int
    vehicle_id: int
    seat: str
    day: dt.date | None
    version: int


class MemberLogisticsOut(Schema):
    member_id: int
    person_id: int
    person_name: str
    group_id: int | None
    arrival: TravelLegOut | None
    departure: TravelLegOut | None
    stay: StayOut | None
    # Personal data: null unless the reader may see it (``needs_visible``).
    needs_visible: bool
    needs: NeedsOut | None
    seats: list[SeatOut]


class VehicleOut(Schema):
    id: int
    exchange_id: int
    name: str
    plate: str
    driver: str
    seats: int | None
    order: int
    note: str
    version: int


class PermitWarningOut(Schema):
    member_id: int
    person_id: int
    person_name: str
    needed_kind: str
    reasons: list[str]
    # Personal data: the number masked and the expiry null unless the reader may see them.
    permit_number: str
    permit_expires_on: dt.date | None


def _row_out(row) -> dict:
    m = row.member
    return {
        "member_id": m.pk,
        "person_id": m.person_id,
        "person_name": m.person.name,
        "group_id": m.group_id,
        "arrival": row.arrival,
        "departure": row.departure,
        "stay": row.stay,
        "needs_visible": row.needs_visible,
        "needs": row.needs if row.needs_visible else None,
        "seats": [s for s in (row.seat, *row.day_seats) if s is not None],
    }


def _exchange(pk: int) -> Exchange:
    return get(
        Exchange, pk, Exchange.objects.alive().select_related("host_place", "visiting_place")
    )


def _member(pk: int) -> Member:
    return get(
        Member,
        pk,
        Member.objects.filter(exchange__deleted_at__isnull=True).select_related(
            "person", "exchange"
        ),
    )


@router.get(
    "/exchanges/{exchange_id}/logistics",
    response=responses(200, list[MemberLogisticsOut]),
    summary="Logistics per member",
)
def list_logistics(request, exchange_id: PathId):
    exchange = _exchange(exchange_id)
    need(request, rules.VIEW, exchange)
    rows = selectors.logistics_rows(exchange, personal=PersonalView(request.user, API))
    return [_row_out(r) for r in rows]


@router.get(
    "/members/{member_id}/logistics",
    response=responses(200, MemberLogisticsOut),
    summary="One member's logistics",
)
def get_member_logistics(request, member_id: PathId):
    member = _member(member_id)
    need(request, rules.VIEW, member.exchange)
    rows = selectors.logistics_rows(
        member.exchange, personal=PersonalView(request.user, API), members=[member]
    )
    return _row_out(rows[0])


class TravelLegIn(Schema):
    version: PutVersion
    mode: TravelMode = TravelMode.FLIGHT
    number: Text(40) = ""
    at: Moment | None = None
    place_id: Id | None = None
    place_wording: Text(200) = ""
    pickup: bool = False
    note: Text(5000) = ""


@router.put(
    "/members/{member_id}/travel-legs/{direction}",
    response=responses(200, TravelLegOut),
    summary="Record a member's arrival or departure",
)
def put_travel_leg(request, member_id: PathId, direction: Direction, payload: TravelLegIn):
    member = _member(member_id)
    need(request, rules.CHANGE, member)
    data = payload.dict()
    data["place"] = ref(Place, data.pop("place_id"), "place_id")
    version = data.pop("version")
    return services.set_travel_leg(
        member=member, direction=direction, expected_version=version, actor=request.user, **data
    )


class StayIn(Schema):
    version: PutVersion
    hotel_id: Id | None = None
    hotel_wording: Text(200) = ""
    room: Text(40) = ""
    nights: Annotated[int, Field(ge=0, le=366)] | None = None
    note: Text(5000) = ""


@router.put("/members/{member_id}/stay", response=responses(200, StayOut), summary="Record a stay")
def put_stay(request, member_id: PathId, payload: StayIn):
    member = _member(member_id)
    need(request, rules.CHANGE, member)
    data = payload.dict()
    data["hotel"] = ref(
        Organisation, data.pop("hotel_id"), "hotel_id", Organisation.objects.alive()
    )
    version = data.pop("version")
    return services.set_stay(member=member, expected_version=version, actor=request.user, **data)


class NeedsIn(Schema):
    version: PutVersion
    dietary: Text(200) = ""
    mobility: Text(200) = ""
    medical: Text(5000) = ""


@router.put(
    "/members/{member_id}/needs",
    response=responses(200, NeedsOut),
    summary="Record a member's needs (personal data)",
)
def put_needs(request, member_id: PathId, payload: NeedsIn):
    member = _member(member_id)
    need(request, rules.CHANGE, member)
    data = payload.dict()
    version = data.pop("version")
    return services.set_needs(member=member, expected_version=version, actor=request.user, **data)


class SeatIn(Schema):
    version: PutVersion
    vehicle_id: Id
    seat: Text(10) = ""
    day: Date | None = None


@router.put(
    "/members/{member_id}/seat",
    response=responses(200, SeatOut),
    summary="Seat a member in a vehicle (the whole visit, or one day)",
)
def put_seat(request, member_id: PathId, payload: SeatIn):
    member = _member(member_id)
    need(request, rules.CHANGE, member)
    vehicle = ref(Vehicle, payload.vehicle_id, "vehicle_id")
    return services.assign_seat(
        member=member,
        vehicle=vehicle,
        seat=payload.seat,
        day=payload.day,
        expected_version=payload.version,
        actor=request.user,
    )


# --- vehicles --------------------------------------------------------------------------------


@router.get(
    "/exchanges/{exchange_id}/vehicles",
    response=responses(200, list[VehicleOut]),
    summary="An exchange's vehicles",
)
def list_vehicles(request, exchange_id: PathId):
    exchange = _exchange(exchange_id)
    need(request, rules.VIEW, exchange)
    return selectors.vehicles_of(exchange)


class VehicleIn(Schema):
    name: Text(100)
    plate: Text(20) = ""
    driver: Text(100) = ""
    seats: Annotated[int, Field(ge=1, le=500)] | None = None
    note: Text(5000) = ""


class VehiclePatch(Schema):
    version: Version
    name: Text(100) | None = None
    plate: Text(20) | None = None
    driver: Text(100) | None = None
    seats: Annotated[int, Field(ge=1, le=500)] | None = None
    note: Text(5000) | None = None


@router.post(
    "/exchanges/{exchange_id}/vehicles",
    response=responses(201, VehicleOut),
    summary="Add a vehicle",
)
def create_vehicle(request, exchange_id: PathId, payload: VehicleIn):
    exchange = _exchange(exchange_id)
    need(request, rules.CHANGE, exchange)
    return Status(
        201, services.create_vehicle(exchange=exchange, actor=request.user, **payload.dict())
    )


def _vehicle(pk: int) -> Vehicle:
    return get(
        Vehicle,
        pk,
        Vehicle.objects.filter(exchange__deleted_at__isnull=True).select_related("exchange"),
    )


@router.patch(
    "/vehicles/{vehicle_id}", response=responses(200, VehicleOut), summary="Change a vehicle"
)
def update_vehicle(request, vehicle_id: PathId, payload: VehiclePatch):
    vehicle = _vehicle(vehicle_id)
    need(request, rules.CHANGE, vehicle.exchange)
    fields = changes(payload)
    if "name" in fields and fields["name"] is None:
        fields.pop("name")
    return services.update_vehicle(
        vehicle=vehicle, expected_version=payload.version, actor=request.user, **fields
    )


@router.delete("/vehicles/{vehicle_id}", response=responses(204, None), summary="Remove a vehicle")
def delete_vehicle(request, vehicle_id: PathId, version: QueryVersion):
    vehicle = _vehicle(vehicle_id)
    need(request, rules.CHANGE, vehicle.exchange)
    with transaction.atomic():
        check_version(vehicle, version)
        services.remove_vehicle(vehicle=vehicle, actor=request.user)
    return Status(204, None)


# --- permits ---------------------------------------------------------------------------------


@router.get(
    "/exchanges/{exchange_id}/permit-warnings",
    response=responses(200, list[PermitWarningOut]),
    summary="Members without a valid permit for the visit",
)
def list_permit_warnings(request, exchange_id: PathId):
    exchange = _exchange(exchange_id)
    need(request, "logistics.view_permit_warnings", exchange)
    warnings = selectors.permit_warnings(exchange, personal=PersonalView(request.user, API))
    return [
        {
            "member_id": w.member.pk,
            "person_id": w.person.pk,
            "person_name": w.person.name,
            "needed_kind": w.needed,
            "reasons": w.reasons,
            "permit_number": w.number,
            "permit_expires_on": w.expires_on,
        }
        for w in warnings
    ]
