"""Pairings, appointments and commitments."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status, UploadedFile

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
    changes,
    get,
    need,
    ref,
    refs,
)
from civicbridge.directory.models import Organisation, Person, Place, within
from civicbridge.exchanges.models import Activity, Exchange, ExchangeStatus
from civicbridge.forums.models import Outcome
from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import (
    Agreement,
    AgreementParty,
    Alliance,
    AllianceMember,
    Appointment,
    Commitment,
    CommitmentStatus,
    Pairing,
    PairingBatch,
    PairingKind,
)

router = Router(tags=["pairings"])


# --- pairings ---------------------------------------------------------------------------


class PairingOut(Schema):
    id: int
    kind: str
    status: str
    place_a_id: int | None
    place_b_id: int | None
    organisation_a_id: int | None
    organisation_b_id: int | None
    batch_id: int | None
    agreement_id: int | None
    started_on: Date
    ended_on: Date | None
    origin: str
    exchange_id: int | None
    note: str
    version: int


class PairingIn(Schema):
    """Each side is a place or an organisation (``place_a_id`` or ``organisation_a_id``)."""

    place_a_id: Id | None = None
    place_b_id: Id | None = None
    organisation_a_id: Id | None = None
    organisation_b_id: Id | None = None
    kind: PairingKind | None = None
    status: ExchangeStatus = ExchangeStatus.HELD
    started_on: Date
    origin: Pairing.Origin = Pairing.Origin.DIRECT
    exchange_id: Id | None = None
    agreement_id: Id | None = None
    note: Text(5000) = ""


class PairingPatch(Schema):
    version: Version
    kind: PairingKind | None = None
    status: ExchangeStatus | None = None
    started_on: Date | None = None
    ended_on: Date | None = None
    exchange_id: Id | None = None
    agreement_id: Id | None = None
    note: Text(5000) | None = None


@router.get("/pairings", response=responses(200, page_of(PairingOut)), summary="List pairings")
def list_pairings(
    request,
    place: OptId = None,
    organisation: OptId = None,
    status: Text(10) | None = None,
    kind: PairingKind | None = None,
    batch: OptId = None,
    agreement: OptId = None,
    exchange: OptId = None,
    date_from: Date | None = None,
    date_to: Date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Pairings by id. ``place``: one of its places (or an organisation party's place) lies
    in that place or below. ``status``: ``open`` or ``ended``, or one of planned, confirmed,
    held, cancelled. Dates: pairings alive during that range."""
    need(request, "pairings.view_pairing")
    # Every pairing for readers; a community member sees those of its own place.
    pairings = selectors.readable_pairings(
        request.user, Pairing.objects.select_related("place_a", "place_b")
    )
    if place is not None:
        place = get(Place, place)
        pairings = pairings.filter(
            within(place, field="place_a")
            | within(place, field="place_b")
            | within(place, field="organisation_a__place")
            | within(place, field="organisation_b__place")
        )
    if organisation is not None:
        pairings = pairings.filter(
            Q(organisation_a_id=organisation) | Q(organisation_b_id=organisation)
        )
    if status == "open":
        pairings = pairings.filter(ended_on__isnull=True)
    elif status == "ended":
        pairings = pairings.filter(ended_on__isnull=False)
    elif status in ExchangeStatus.values:
        pairings = pairings.filter(status=status)
    if kind:
        pairings = pairings.filter(kind=kind)
    for field, value in (
        ("batch_id", batch),
        ("agreement_id", agreement),
        ("exchange_id", exchange),
    ):
        if value is not None:
            pairings = pairings.filter(**{field: value})
    if date_from:
        pairings = pairings.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date_from))
    if date_to:
        pairings = pairings.filter(started_on__lte=date_to)
    return paginate(pairings, limit, offset)


@router.get("/pairings/{pairing_id}", response=responses(200, PairingOut), summary="One pairing")
def get_pairing(request, pairing_id: PathId):
    pairing = get(Pairing, pairing_id, selectors.pairings_queryset())
    need(request, "pairings.view_pairing", pairing)
    return pairing


@router.post("/pairings", response=responses(201, PairingOut), summary="Create a pairing")
def create_pairing(request, payload: PairingIn):
    """Who may: organisers of one party's place (an organisation's: where it is based) or of
    the exchange's host place; administrators. ``kind`` defaults to honorary for
    ``origin: appointment``, else friendly."""
    kind = payload.kind or (
        PairingKind.HONORARY
        if payload.origin == Pairing.Origin.APPOINTMENT
        else PairingKind.FRIENDLY
    )
    return Status(
        201,
        services.record_pairing(
            kind=kind,
            place_a=ref(Place, payload.place_a_id, "place_a_id"),
            place_b=ref(Place, payload.place_b_id, "place_b_id"),
            organisation_a=ref(
                Organisation,
                payload.organisation_a_id,
                "organisation_a_id",
                Organisation.objects.alive(),
            ),
            organisation_b=ref(
                Organisation,
                payload.organisation_b_id,
                "organisation_b_id",
                Organisation.objects.alive(),
            ),
            started_on=payload.started_on,
            status=payload.status,
            exchange=ref(Exchange, payload.exchange_id, "exchange_id", Exchange.objects.alive()),
            agreement=ref(Agreement, payload.agreement_id, "agreement_id"),
            note=payload.note,
            actor=request.user,
        ),
    )


def _refs_of(data: dict) -> dict:
    """Replace ``exchange_id``, ``agreement_id``, ``activity_id`` of a PATCH body by records."""
    for key, model, queryset in (
        ("exchange_id", Exchange, Exchange.objects.alive()),
        ("agreement_id", Agreement, None),
        ("activity_id", Activity, Activity.objects.filter(exchange__deleted_at__isnull=True)),
    ):
        if key in data:
            data[key.removesuffix("_id")] = ref(model, data.pop(key), key, queryset)
    return data


@router.patch(
    "/pairings/{pairing_id}",
    response=responses(200, PairingOut),
    summary="Change (or end) a pairing",
)
def end_pairing(request, pairing_id: PathId, payload: PairingPatch):
    """Only the fields sent are changed; ``ended_on`` ends the pairing."""
    pairing = get(Pairing, pairing_id, selectors.pairings_queryset())
    need(request, "pairings.change_pairing", pairing)
    return services.update_pairing(
        pairing=pairing,
        fields=_refs_of(changes(payload)),
        expected_version=payload.version,
        actor=request.user,
    )


# --- batches of pairings ----------------------------------------------------------------


class BatchOut(Schema):
    id: int
    description: str
    count: int
    kind: str
    status: str
    district_a_ids: list[int]
    district_b_ids: list[int]
    pairing_ids: list[int]
    still_to_name: int
    started_on: Date | None
    exchange_id: int | None
    agreement_id: int | None
    note: str
    version: int

    @staticmethod
    def resolve_district_a_ids(obj) -> list[int]:
        return [d.pk for d in obj.districts_a.all()]

    @staticmethod
    def resolve_district_b_ids(obj) -> list[int]:
        return [d.pk for d in obj.districts_b.all()]

    @staticmethod
    def resolve_pairing_ids(obj) -> list[int]:
        return [p.pk for p in obj.pairings.all()]

    @staticmethod
    def resolve_still_to_name(obj) -> int:
        return max(obj.count - len(obj.pairings.all()), 0)


class BatchIn(Schema):
    description: Text(300)
    count: Annotated[int, Field(ge=1, le=services.BATCH_MAX)]
    kind: PairingKind = PairingKind.FRIENDLY
    district_a_ids: Annotated[list[Id], Field(min_length=1, max_length=100)]
    district_b_ids: Annotated[list[Id], Field(min_length=1, max_length=100)]
    started_on: Date | None = None
    status: ExchangeStatus = ExchangeStatus.HELD
    exchange_id: Id | None = None
    agreement_id: Id | None = None
    note: Text(5000) = ""


class BatchPatch(Schema):
    version: Version
    description: Text(300) | None = None
    count: Annotated[int, Field(ge=1, le=services.BATCH_MAX)] | None = None
    kind: PairingKind | None = None
    status: ExchangeStatus | None = None
    started_on: Date | None = None
    exchange_id: Id | None = None
    note: Text(5000) | None = None


class BatchPairingIn(Schema):
    place_a_id: Id
    place_b_id: Id
    started_on: Date | None = None


def _batch(batch_id: int) -> PairingBatch:
    return get(PairingBatch, batch_id, selectors.batches_queryset())


@router.get("/pairing-batches", response=responses(200, page_of(BatchOut)), summary="List batches")
def list_batches(request, exchange: OptId = None, limit: Limit = 50, offset: Offset = 0):
    """Batches of pairings stated before their parties were known, by id."""
    need(request, "pairings.view_batch")
    batches = selectors.batches_queryset().order_by("id")
    if exchange is not None:
        batches = batches.filter(exchange_id=exchange)
    return paginate(batches, limit, offset)


@router.get("/pairing-batches/{batch_id}", response=responses(200, BatchOut), summary="One batch")
def get_batch(request, batch_id: PathId):
    batch = _batch(batch_id)
    need(request, "pairings.view_batch", batch)
    return batch


@router.post(
    "/pairing-batches", response=responses(201, BatchOut), summary="Record a batch of pairings"
)
def create_batch(request, payload: BatchIn):
    batch = services.record_pairing_batch(
        description=payload.description,
        count=payload.count,
        kind=payload.kind,
        districts_a=refs(Place, payload.district_a_ids, "district_a_ids"),
        districts_b=refs(Place, payload.district_b_ids, "district_b_ids"),
        started_on=payload.started_on,
        status=payload.status,
        exchange=ref(Exchange, payload.exchange_id, "exchange_id", Exchange.objects.alive()),
        agreement=ref(Agreement, payload.agreement_id, "agreement_id"),
        note=payload.note,
        actor=request.user,
    )
    return Status(201, _batch(batch.pk))


@router.patch(
    "/pairing-batches/{batch_id}", response=responses(200, BatchOut), summary="Change a batch"
)
def update_batch(request, batch_id: PathId, payload: BatchPatch):
    batch = _batch(batch_id)
    need(request, "pairings.change_batch", batch)
    services.update_batch(
        batch=batch,
        fields=_refs_of(changes(payload)),
        expected_version=payload.version,
        actor=request.user,
    )
    return _batch(batch_id)


@router.post(
    "/pairing-batches/{batch_id}/pairings",
    response=responses(201, PairingOut),
    summary="Name one pairing of a batch",
)
def complete_batch_pairing(request, batch_id: PathId, payload: BatchPairingIn):
    """``place_a_id`` lies within one of the batch's districts on the one side,
    ``place_b_id`` on the other; at most ``count`` pairings."""
    batch = _batch(batch_id)
    need(request, "pairings.change_batch", batch)
    return Status(
        201,
        services.complete_batch_pairing(
            batch=batch,
            place_a=ref(Place, payload.place_a_id, "place_a_id"),
            place_b=ref(Place, payload.place_b_id, "place_b_id"),
            started_on=payload.started_on,
            actor=request.user,
        ),
    )


# --- agreements -------------------------------------------------------------------------


class PartyOut(Schema):
    id: int
    place_id: int | None
    organisation_id: int | None
    wording: str


class SignatoryOut(Schema):
    id: int
    person_id: int | None
    wording: str
    title: str
    party_id: int | None


class AgreementOut(Schema):
    id: int
    subject: str
    kind: str
    status: str
    signed_on: Date | None
    exchange_id: int | None
    activity_id: int | None
    parties: list[PartyOut]
    signatories: list[SignatoryOut]
    document_url: str
    document_name: str
    document_type: str
    note: str
    version: int

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())

    @staticmethod
    def resolve_signatories(obj) -> list:
        return list(obj.signatories.all())

    @staticmethod
    def resolve_document_url(obj) -> str:
        if not obj.document:
            return ""
        return reverse("pairings:agreement_document", args=[obj.pk])


class PartyIn(Schema):
    """One of ``place_id``, ``organisation_id`` or ``wording``."""

    place_id: Id | None = None
    organisation_id: Id | None = None
    wording: Text(200) = ""


class SignatoryIn(Schema):
    person_id: Id | None = None
    wording: Text(200) = ""
    title: Text(200) = ""
    party_index: Annotated[int, Field(ge=0, le=100)] | None = None


class AgreementIn(Schema):
    subject: Text(300)
    kind: Agreement.Kind = Agreement.Kind.COOPERATION
    parties: Annotated[list[PartyIn], Field(max_length=services.AGREEMENT_MAX_PARTIES)]
    signatories: Annotated[list[SignatoryIn], Field(max_length=100)] = []
    signed_on: Date | None = None
    status: ExchangeStatus = ExchangeStatus.HELD
    exchange_id: Id | None = None
    activity_id: Id | None = None
    note: Text(5000) = ""


class AgreementPatch(Schema):
    version: Version
    subject: Text(300) | None = None
    kind: Agreement.Kind | None = None
    status: ExchangeStatus | None = None
    signed_on: Date | None = None
    exchange_id: Id | None = None
    activity_id: Id | None = None
    note: Text(5000) | None = None


def _party_of(entry, field: str) -> dict:
    return {
        "place": ref(Place, entry.place_id, f"{field}.place_id"),
        "organisation": ref(
            Organisation,
            entry.organisation_id,
            f"{field}.organisation_id",
            Organisation.objects.alive(),
        ),
        "wording": entry.wording,
    }


def _agreement(agreement_id: int) -> Agreement:
    return get(Agreement, agreement_id, selectors.agreements_queryset())


def _activity_ref(activity_id):
    return ref(
        Activity,
        activity_id,
        "activity_id",
        Activity.objects.filter(exchange__deleted_at__isnull=True),
    )


@router.get(
    "/agreements", response=responses(200, page_of(AgreementOut)), summary="List agreements"
)
def list_agreements(
    request,
    exchange: OptId = None,
    place: OptId = None,
    organisation: OptId = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Agreements by id. ``place``: a party lies in that place or below (an
    organisation party: where it is based)."""
    need(request, "pairings.view_agreement")
    agreements = selectors.agreements_queryset().order_by("id")
    if exchange is not None:
        agreements = agreements.filter(exchange_id=exchange)
    if place is not None:
        place = get(Place, place)
        agreements = agreements.filter(
            pk__in=AgreementParty.objects.filter(
                within(place, field="place") | within(place, field="organisation__place")
            ).values("agreement_id")
        )
    if organisation is not None:
        agreements = agreements.filter(parties__organisation_id=organisation).distinct()
    return paginate(agreements, limit, offset)


@router.get(
    "/agreements/{agreement_id}", response=responses(200, AgreementOut), summary="One agreement"
)
def get_agreement(request, agreement_id: PathId):
    agreement = _agreement(agreement_id)
    need(request, "pairings.view_agreement", agreement)
    return agreement


@router.post("/agreements", response=responses(201, AgreementOut), summary="Record an agreement")
def create_agreement(request, payload: AgreementIn):
    """Two or more parties, each a place, an organisation or the sources' wording;
    signatories name a person or the sources' wording, and optionally the index of their
    party in ``parties``."""
    agreement = services.record_agreement(
        subject=payload.subject,
        kind=payload.kind,
        parties=[_party_of(p, f"parties[{i}]") for i, p in enumerate(payload.parties)],
        signatories=[
            {
                "person": ref(
                    Person, s.person_id, f"signatories[{i}].person_id", Person.objects.alive()
                ),
                "wording": s.wording,
                "title": s.title,
                "party_index": s.party_index,
            }
            for i, s in enumerate(payload.signatories)
        ],
        signed_on=payload.signed_on,
        status=payload.status,
        exchange=ref(Exchange, payload.exchange_id, "exchange_id", Exchange.objects.alive()),
        activity=_activity_ref(payload.activity_id),
        note=payload.note,
        actor=request.user,
    )
    return Status(201, _agreement(agreement.pk))


@router.patch(
    "/agreements/{agreement_id}",
    response=responses(200, AgreementOut),
    summary="Change an agreement",
)
def update_agreement(request, agreement_id: PathId, payload: AgreementPatch):
    agreement = _agreement(agreement_id)
    need(request, "pairings.change_agreement", agreement)
    services.update_agreement(
        agreement=agreement,
        fields=_refs_of(changes(payload)),
        expected_version=payload.version,
        actor=request.user,
    )
    return _agreement(agreement_id)


@router.post(
    "/agreements/{agreement_id}/document",
    response=responses(200, AgreementOut),
    summary="Upload the signed text (multipart/form-data, field document)",
)
def upload_agreement_document(request, agreement_id: PathId, document: File[UploadedFile]):
    """PDF, Office documents, text or images, judged by their content; stored under a
    generated name and sent back only by the agreement's download link."""
    agreement = _agreement(agreement_id)
    need(request, "pairings.change_agreement", agreement)
    services.attach_agreement_document(agreement=agreement, upload=document, actor=request.user)
    return _agreement(agreement_id)


# --- alliances --------------------------------------------------------------------------


class AllianceMemberOut(Schema):
    id: int
    place_id: int | None
    organisation_id: int | None
    wording: str
    joined_on: Date | None
    founder: bool


class AllianceOut(Schema):
    id: int
    name: str
    launched_on: Date | None
    status: str
    exchange_id: int | None
    activity_id: int | None
    pledges: str
    members: list[AllianceMemberOut]
    note: str
    version: int

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())


class AllianceMemberIn(Schema):
    """One of ``place_id``, ``organisation_id`` or ``wording``."""

    place_id: Id | None = None
    organisation_id: Id | None = None
    wording: Text(200) = ""
    joined_on: Date | None = None
    founder: bool = False


class AllianceIn(Schema):
    name: Text(200)
    members: Annotated[list[AllianceMemberIn], Field(max_length=services.ALLIANCE_MAX_MEMBERS)]
    launched_on: Date | None = None
    status: ExchangeStatus = ExchangeStatus.HELD
    exchange_id: Id | None = None
    activity_id: Id | None = None
    pledges: Text(20000) = ""
    note: Text(5000) = ""


class AlliancePatch(Schema):
    version: Version
    name: Text(200) | None = None
    launched_on: Date | None = None
    status: ExchangeStatus | None = None
    exchange_id: Id | None = None
    activity_id: Id | None = None
    pledges: Text(20000) | None = None
    note: Text(5000) | None = None


def _alliance(alliance_id: int) -> Alliance:
    return get(Alliance, alliance_id, selectors.alliances_queryset())


def _member_of(entry, field: str) -> dict:
    return _party_of(entry, field) | {"joined_on": entry.joined_on, "founder": entry.founder}


@router.get("/alliances", response=responses(200, page_of(AllianceOut)), summary="List alliances")
def list_alliances(
    request, exchange: OptId = None, place: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "pairings.view_alliance")
    alliances = selectors.alliances_queryset().order_by("id")
    if exchange is not None:
        alliances = alliances.filter(exchange_id=exchange)
    if place is not None:
        place = get(Place, place)
        alliances = alliances.filter(
            pk__in=AllianceMember.objects.filter(
                within(place, field="place") | within(place, field="organisation__place")
            ).values("alliance_id")
        )
    return paginate(alliances, limit, offset)


@router.get(
    "/alliances/{alliance_id}", response=responses(200, AllianceOut), summary="One alliance"
)
def get_alliance(request, alliance_id: PathId):
    alliance = _alliance(alliance_id)
    need(request, "pairings.view_alliance", alliance)
    return alliance


@router.post("/alliances", response=responses(201, AllianceOut), summary="Launch an alliance")
def create_alliance(request, payload: AllianceIn):
    alliance = services.launch_alliance(
        name=payload.name,
        members=[_member_of(m, f"members[{i}]") for i, m in enumerate(payload.members)],
        launched_on=payload.launched_on,
        status=payload.status,
        exchange=ref(Exchange, payload.exchange_id, "exchange_id", Exchange.objects.alive()),
        activity=_activity_ref(payload.activity_id),
        pledges=payload.pledges,
        note=payload.note,
        actor=request.user,
    )
    return Status(201, _alliance(alliance.pk))


@router.patch(
    "/alliances/{alliance_id}", response=responses(200, AllianceOut), summary="Change an alliance"
)
def update_alliance(request, alliance_id: PathId, payload: AlliancePatch):
    alliance = _alliance(alliance_id)
    need(request, "pairings.change_alliance", alliance)
    services.update_alliance(
        alliance=alliance,
        fields=_refs_of(changes(payload)),
        expected_version=payload.version,
        actor=request.user,
    )
    return _alliance(alliance_id)


@router.post(
    "/alliances/{alliance_id}/members",
    response=responses(201, AllianceMemberOut),
    summary="Add a member to an alliance",
)
def add_alliance_member(request, alliance_id: PathId, payload: AllianceMemberIn):
    alliance = _alliance(alliance_id)
    need(request, "pairings.change_alliance", alliance)
    member = _member_of(payload, "member")
    return Status(
        201, services.add_alliance_member(alliance=alliance, actor=request.user, **member)
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
    status: str
    certificate_year: int | None
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
    certificate: bool = True
    status: ExchangeStatus = ExchangeStatus.HELD
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
