"""Pairings, appointments and commitments."""

from __future__ import annotations

from django.db.models import Q
from ninja import Router, Schema, Status

from civicbridge.accounts.services import restore, soft_delete
from civicbridge.api.core import page_of, paginate, responses
from civicbridge.api.endpoints.common import (
    Date,
    Id,
    Limit,
    Offset,
    OptId,
    PathId,
    QueryVersion,
    Text,
    Version,
    get,
    need,
    ref,
)
from civicbridge.directory.models import Organisation, Person, Place, within
from civicbridge.exchanges.models import Activity, Exchange
from civicbridge.forums.models import Outcome
from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import Appointment, Commitment, CommitmentStatus, Pairing

router = Router(tags=["pairings"])


# --- pairings ---------------------------------------------------------------------------


class PairingOut(Schema):
    id: int
    place_a_id: int
    place_b_id: int
    started_on: Date
    ended_on: Date | None
    origin: str
    exchange_id: int | None
    note: str
    version: int


class PairingIn(Schema):
    place_a_id: Id
    place_b_id: Id
    started_on: Date
    origin: Pairing.Origin = Pairing.Origin.DIRECT
    exchange_id: Id | None = None
    note: Text(5000) = ""


class PairingEnd(Schema):
    version: Version
    ended_on: Date
    note: Text(5000) = ""


@router.get("/pairings", response=responses(200, page_of(PairingOut)), summary="List pairings")
def list_pairings(
    request,
    place: OptId = None,
    status: Text(10) | None = None,
    date_from: Date | None = None,
    date_to: Date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Pairings by id. ``place``: one of its places lies in that place or below.
    ``status``: ``open`` or ``ended``. Dates: pairings alive during that range."""
    need(request, "pairings.view_pairing")
    # Every pairing for readers; a community member sees those of its own place.
    pairings = selectors.readable_pairings(
        request.user, Pairing.objects.select_related("place_a", "place_b")
    )
    if place is not None:
        place = get(Place, place)
        pairings = pairings.filter(within(place, field="place_a") | within(place, field="place_b"))
    if status == "open":
        pairings = pairings.filter(ended_on__isnull=True)
    elif status == "ended":
        pairings = pairings.filter(ended_on__isnull=False)
    if date_from:
        pairings = pairings.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date_from))
    if date_to:
        pairings = pairings.filter(started_on__lte=date_to)
    return paginate(pairings, limit, offset)


@router.get("/pairings/{pairing_id}", response=responses(200, PairingOut), summary="One pairing")
def get_pairing(request, pairing_id: PathId):
    pairing = get(Pairing, pairing_id, Pairing.objects.select_related("place_a", "place_b"))
    need(request, "pairings.view_pairing", pairing)
    return pairing


@router.post("/pairings", response=responses(201, PairingOut), summary="Create a pairing")
def create_pairing(request, payload: PairingIn):
    place_a = ref(Place, payload.place_a_id, "place_a_id")
    place_b = ref(Place, payload.place_b_id, "place_b_id")
    exchange = ref(Exchange, payload.exchange_id, "exchange_id", Exchange.objects.alive())
    if not (
        request.user.has_perm("pairings.add_pairing", place_a)
        or request.user.has_perm("pairings.add_pairing", place_b)
    ):
        need(request, "pairings.add_pairing", place_a)
    return Status(
        201,
        services.create_pairing(
            place_a=place_a,
            place_b=place_b,
            started_on=payload.started_on,
            origin=payload.origin,
            exchange=exchange,
            note=payload.note,
        ),
    )


@router.patch(
    "/pairings/{pairing_id}", response=responses(200, PairingOut), summary="End a pairing"
)
def end_pairing(request, pairing_id: PathId, payload: PairingEnd):
    pairing = get(Pairing, pairing_id)
    need(request, "pairings.change_pairing", pairing)
    return services.end_pairing(
        pairing=pairing,
        ended_on=payload.ended_on,
        expected_version=payload.version,
        note=payload.note,
    )


# --- appointments -----------------------------------------------------------------------


class AppointmentOut(Schema):
    id: int
    person_id: int
    community_id: int
    person_place_id: int | None
    title: str
    exchange_id: int | None
    activity_id: int | None
    appointed_on: Date
    certificate_year: int
    certificate_number: str
    pairing_id: int | None
    note: str
    version: int
    deleted: bool

    @staticmethod
    def resolve_deleted(obj) -> bool:
        return obj.deleted_at is not None


class AppointmentIn(Schema):
    person_id: Id
    community_id: Id
    appointed_on: Date
    activity_id: Id | None = None
    exchange_id: Id | None = None
    title: Text(100) = services.HONORARY_DIRECTOR
    person_place_id: Id | None = None
    certificate_number: Text(40) | None = None
    create_pairing_with_place: bool = True
    note: Text(5000) = ""


@router.get(
    "/appointments", response=responses(200, page_of(AppointmentOut)), summary="List appointments"
)
def list_appointments(
    request,
    place: OptId = None,
    exchange: OptId = None,
    date_from: Date | None = None,
    date_to: Date | None = None,
    deleted: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Appointments by id. ``place``: the appointing community lies in that place or below."""
    need(request, "pairings.view_appointment")
    if deleted:
        need(request, "accounts.restore")
        appointments = Appointment.objects.deleted()
    else:
        appointments = Appointment.objects.alive()
    if place is not None:
        appointments = appointments.filter(within(get(Place, place), field="community"))
    if exchange is not None:
        appointments = appointments.filter(exchange_id=exchange)
    if date_from:
        appointments = appointments.filter(appointed_on__gte=date_from)
    if date_to:
        appointments = appointments.filter(appointed_on__lte=date_to)
    return paginate(appointments, limit, offset)


@router.get(
    "/appointments/{appointment_id}",
    response=responses(200, AppointmentOut),
    summary="One appointment",
)
def get_appointment(request, appointment_id: PathId):
    need(request, "pairings.view_appointment")
    return get(Appointment, appointment_id, Appointment.objects.alive())


@router.post("/appointments", response=responses(201, AppointmentOut), summary="Appoint someone")
def create_appointment(request, payload: AppointmentIn):
    data = payload.dict()
    person = ref(Person, data.pop("person_id"), "person_id", Person.objects.alive())
    community = ref(Place, data.pop("community_id"), "community_id")
    activity = ref(
        Activity,
        data.pop("activity_id"),
        "activity_id",
        Activity.objects.filter(exchange__deleted_at__isnull=True),
    )
    exchange = ref(Exchange, data.pop("exchange_id"), "exchange_id", Exchange.objects.alive())
    person_place = ref(Place, data.pop("person_place_id"), "person_place_id")
    need(request, "pairings.add_appointment", community)
    return Status(
        201,
        services.appoint(
            person=person,
            community=community,
            activity=activity,
            exchange=exchange,
            person_place=person_place,
            **data,
        ),
    )


@router.delete(
    "/appointments/{appointment_id}",
    response=responses(200, AppointmentOut),
    summary="Delete an appointment (softly)",
)
def delete_appointment(request, appointment_id: PathId, version: QueryVersion):
    appointment = get(Appointment, appointment_id, Appointment.objects.alive())
    need(request, "pairings.delete_appointment", appointment)
    return soft_delete(appointment, by=request.user, expected_version=version)


@router.post(
    "/appointments/{appointment_id}/restore",
    response=responses(200, AppointmentOut),
    summary="Restore a deleted appointment",
)
def restore_appointment(request, appointment_id: PathId, version: QueryVersion):
    appointment = get(Appointment, appointment_id, Appointment.objects.deleted())
    need(request, "accounts.restore", appointment)
    return restore(appointment, by=request.user, expected_version=version)


# --- commitments ------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    title: str
    description: str
    exchange_id: int | None
    activity_id: int | None
    outcome_id: int | None
    pairing_id: int | None
    owner_person_id: int | None
    owner_organisation_id: int | None
    due_on: Date | None
    status: str
    version: int


class CommitmentIn(Schema):
    title: Text(300)
    description: Text(20000) = ""
    exchange_id: Id | None = None
    activity_id: Id | None = None
    outcome_id: Id | None = None
    pairing_id: Id | None = None
    owner_person_id: Id | None = None
    owner_organisation_id: Id | None = None
    due_on: Date | None = None
    status: CommitmentStatus = CommitmentStatus.OPEN
    note: Text(5000) = ""


class CommitmentStatusIn(Schema):
    version: Version
    status: CommitmentStatus
    note: Text(5000) = ""


@router.get(
    "/commitments", response=responses(200, page_of(CommitmentOut)), summary="List commitments"
)
def list_commitments(
    request,
    status: CommitmentStatus | None = None,
    exchange: OptId = None,
    pairing: OptId = None,
    place: OptId = None,
    date_from: Date | None = None,
    date_to: Date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Commitments by id. Dates filter the due date. ``place``: of a pairing with a place
    in that place or below."""
    need(request, "pairings.view_commitment")
    commitments = selectors.readable_commitments(Commitment.objects.all(), request.user)
    if status:
        commitments = commitments.filter(status=status)
    if exchange is not None:
        commitments = commitments.filter(exchange_id=exchange)
    if pairing is not None:
        commitments = commitments.filter(pairing_id=pairing)
    if place is not None:
        place = get(Place, place)
        commitments = commitments.filter(
            within(place, field="pairing__place_a") | within(place, field="pairing__place_b")
        )
    if date_from:
        commitments = commitments.filter(due_on__gte=date_from)
    if date_to:
        commitments = commitments.filter(due_on__lte=date_to)
    return paginate(commitments, limit, offset)


@router.get(
    "/commitments/{commitment_id}", response=responses(200, CommitmentOut), summary="One commitment"
)
def get_commitment(request, commitment_id: PathId):
    commitment = get(Commitment, commitment_id, Commitment.objects.select_related("pairing"))
    need(request, "pairings.view_commitment", commitment)
    return commitment


@router.post("/commitments", response=responses(201, CommitmentOut), summary="Record a commitment")
def create_commitment(request, payload: CommitmentIn):
    data = payload.dict()
    exchange = ref(Exchange, data.pop("exchange_id"), "exchange_id", Exchange.objects.alive())
    activity = ref(
        Activity,
        data.pop("activity_id"),
        "activity_id",
        Activity.objects.filter(exchange__deleted_at__isnull=True),
    )
    outcome = ref(Outcome, data.pop("outcome_id"), "outcome_id")
    pairing = ref(Pairing, data.pop("pairing_id"), "pairing_id")
    owner_person = ref(Person, data.pop("owner_person_id"), "owner_person_id")
    owner_organisation = ref(
        Organisation, data.pop("owner_organisation_id"), "owner_organisation_id"
    )
    # Who may record it, and that somebody owns it: the service's rules.
    return Status(
        201,
        services.create_commitment(
            exchange=exchange,
            activity=activity,
            outcome=outcome,
            pairing=pairing,
            owner_person=owner_person,
            owner_organisation=owner_organisation,
            actor=request.user,
            **data,
        ),
    )


@router.patch(
    "/commitments/{commitment_id}",
    response=responses(200, CommitmentOut),
    summary="Change a commitment's status",
)
def change_commitment_status(request, commitment_id: PathId, payload: CommitmentStatusIn):
    commitment = get(Commitment, commitment_id)
    need(request, "pairings.change_commitment", commitment)
    return services.change_commitment_status(
        commitment=commitment,
        status=payload.status,
        note=payload.note,
        by=request.user,
        expected_version=payload.version,
    )
