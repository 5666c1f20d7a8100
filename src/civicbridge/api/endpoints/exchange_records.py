"""The records the exchange page writes besides groups, members and activities: the
exchange's further places and organisations (host, escort, co-organiser, inviter, visiting
and performing parties; the main places and the visiting organisation are the exchange's
own fields), its composition, statements, labels (on exchanges and on places), gifts and
photos; the gifts register across exchanges (``/gift-register``, the register page's rows).

Each write calls the service the page calls (exchanges/services.py) with
``actor=request.user``; the service asks ``exchanges.change_exchange`` by name, as the
page does. Reading needs ``exchanges.view_exchange``. The pages add these records and do
not edit or delete them, so neither does the API (but statements, composition and gifts,
which the pages correct).

A photo is uploaded as multipart/form-data (field ``image``), checked and re-encoded by
the same service as the page's upload (core/uploads.py: the type read from the content, a
generated name, no metadata). The API never gives a media path: ``image_url`` and
``thumbnail_url`` are the permission-checked photo view's addresses."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from civicbridge.api.core import page_of, paginate, responses
from civicbridge.api.endpoints.common import (
    Date,
    Id,
    Limit,
    Offset,
    OptId,
    Order,
    PathId,
    QueryVersion,
    Text,
    Version,
    changes,
    get,
    need,
    ref,
)
from civicbridge.core.services import check_version
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges import services
from civicbridge.exchanges.models import (
    Activity,
    Composition,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    Gift,
    GiftDirection,
    Group,
    Label,
    Photo,
    Registration,
    Side,
    Statement,
    StatementKind,
    ValueBand,
)
from civicbridge.exchanges.selectors import GiftFilters
from civicbridge.exchanges.selectors import gift_register as gift_register_rows

router = Router(tags=["exchanges"])


def _alive_exchange(pk):
    return ref(Exchange, pk, "exchange_id", Exchange.objects.alive())


def _activity(pk):
    return ref(Activity, pk, "activity_id")


def _organisation(pk, field):
    return ref(Organisation, pk, field, Organisation.objects.alive())


def _person(pk, field):
    return ref(Person, pk, field, Person.objects.alive())


# --- the exchange's organisations -----------------------------------------------------


class ExchangeOrganisationOut(Schema):
    id: int
    exchange_id: int
    organisation_id: int
    role: str
    order: int
    note: str
    version: int


class ExchangeOrganisationIn(Schema):
    exchange_id: Id
    organisation_id: Id
    role: ExchangeOrganisation.Role
    note: Text(5000) = ""


def _exchange_organisations():
    return ExchangeOrganisation.objects.filter(exchange__deleted_at__isnull=True)


@router.get(
    "/exchange-organisations",
    response=responses(200, page_of(ExchangeOrganisationOut)),
    summary="List the organisations of exchanges (host, escort, co-organiser)",
)
def list_exchange_organisations(
    request,
    exchange: OptId = None,
    organisation: OptId = None,
    role: ExchangeOrganisation.Role | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    need(request, "exchanges.view_exchange")
    rows = _exchange_organisations()
    if exchange is not None:
        rows = rows.filter(exchange_id=exchange)
    if organisation is not None:
        rows = rows.filter(organisation_id=organisation)
    if role:
        rows = rows.filter(role=role)
    return paginate(rows, limit, offset)


@router.get(
    "/exchange-organisations/{row_id}",
    response=responses(200, ExchangeOrganisationOut),
    summary="One organisation of an exchange",
)
def get_exchange_organisation(request, row_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(ExchangeOrganisation, row_id, _exchange_organisations())


@router.post(
    "/exchange-organisations",
    response=responses(201, ExchangeOrganisationOut),
    summary="Add a host, escorting or co-organising organisation to an exchange",
)
def create_exchange_organisation(request, payload: ExchangeOrganisationIn):
    exchange = _alive_exchange(payload.exchange_id)
    organisation = _organisation(payload.organisation_id, "organisation_id")
    row = services.add_exchange_organisation(
        exchange=exchange,
        organisation=organisation,
        role=payload.role,
        note=payload.note,
        actor=request.user,
    )
    return Status(201, row)


# --- further places -------------------------------------------------------------------


class ExchangePlaceOut(Schema):
    id: int
    exchange_id: int
    role: str
    place_id: int | None
    wording: str
    order: int
    version: int


class ExchangePlaceIn(Schema):
    """A place from the directory (``place_id``) or as the sources name it (``wording``),
    or both."""

    exchange_id: Id
    role: ExchangePlace.Role
    place_id: Id | None = None
    wording: Text(200) = ""


def _exchange_places():
    return ExchangePlace.objects.filter(exchange__deleted_at__isnull=True)


@router.get(
    "/exchange-places",
    response=responses(200, page_of(ExchangePlaceOut)),
    summary="List the further visiting and host places of exchanges",
)
def list_exchange_places(
    request,
    exchange: OptId = None,
    place: OptId = None,
    role: ExchangePlace.Role | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    need(request, "exchanges.view_exchange")
    rows = _exchange_places()
    if exchange is not None:
        rows = rows.filter(exchange_id=exchange)
    if place is not None:
        rows = rows.filter(place_id=place)
    if role:
        rows = rows.filter(role=role)
    return paginate(rows, limit, offset)


@router.post(
    "/exchange-places",
    response=responses(201, ExchangePlaceOut),
    summary="Add a further visiting or host place to an exchange",
)
def create_exchange_place(request, payload: ExchangePlaceIn):
    exchange = _alive_exchange(payload.exchange_id)
    row = services.add_exchange_place(
        exchange=exchange,
        role=payload.role,
        place=ref(Place, payload.place_id, "place_id"),
        wording=payload.wording,
        actor=request.user,
    )
    return Status(201, row)


@router.delete(
    "/exchange-places/{row_id}",
    response=responses(204, None),
    summary="Remove a further place from an exchange",
)
def delete_exchange_place(request, row_id: PathId, version: QueryVersion):
    row = get(ExchangePlace, row_id, _exchange_places().select_related("exchange"))
    need(request, "exchanges.change_exchange", row.exchange)
    with transaction.atomic():
        check_version(row, version)
        services.remove_exchange_place(exchange_place=row, actor=request.user)
    return Status(204, None)


# --- composition -----------------------------------------------------------------------


class CompositionOut(Schema):
    id: int
    exchange_id: int
    group_id: int | None
    label: str
    count: int | None
    order: int
    version: int


class CompositionIn(Schema):
    """``count`` null: "some" (邻长, without a number)."""

    exchange_id: Id
    label: Text(100)
    count: Annotated[int | None, Field(ge=0, le=10000)] = None
    group_id: Id | None = None


class CompositionPatch(Schema):
    version: Version
    label: Text(100) | None = None
    count: Annotated[int | None, Field(ge=0, le=10000)] = None
    group_id: Id | None = None
    order: Order | None = None


def _composition():
    return Composition.objects.filter(exchange__deleted_at__isnull=True)


@router.get(
    "/composition-rows",
    response=responses(200, page_of(CompositionOut)),
    summary="List who delegations are made of (里长 12, 邻长 …)",
)
def list_composition_rows(
    request, exchange: OptId = None, group: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "exchanges.view_exchange")
    rows = _composition()
    if exchange is not None:
        rows = rows.filter(exchange_id=exchange)
    if group is not None:
        rows = rows.filter(group_id=group)
    return paginate(rows, limit, offset)


@router.post(
    "/composition-rows",
    response=responses(201, CompositionOut),
    summary="Add a row to a delegation's composition",
)
def create_composition_row(request, payload: CompositionIn):
    exchange = _alive_exchange(payload.exchange_id)
    row = services.add_composition_row(
        exchange=exchange,
        label=payload.label,
        count=payload.count,
        group=ref(Group, payload.group_id, "group_id"),
        actor=request.user,
    )
    return Status(201, row)


@router.patch(
    "/composition-rows/{row_id}",
    response=responses(200, CompositionOut),
    summary="Change a row of a delegation's composition",
)
def update_composition_row(request, row_id: PathId, payload: CompositionPatch):
    row = get(Composition, row_id, _composition().select_related("exchange"))
    need(request, "exchanges.change_exchange", row.exchange)
    data = changes(payload)
    if "group_id" in data:
        data["group"] = ref(Group, data.pop("group_id"), "group_id")
    for key in ("label", "order"):
        if key in data and data[key] is None:
            data.pop(key)
    return services.update_composition_row(
        row=row, expected_version=payload.version, actor=request.user, **data
    )


@router.delete(
    "/composition-rows/{row_id}",
    response=responses(204, None),
    summary="Remove a row of a delegation's composition",
)
def delete_composition_row(request, row_id: PathId, version: QueryVersion):
    row = get(Composition, row_id, _composition().select_related("exchange"))
    need(request, "exchanges.change_exchange", row.exchange)
    with transaction.atomic():
        check_version(row, version)
        services.remove_composition_row(row=row, actor=request.user)
    return Status(204, None)


# --- statements ------------------------------------------------------------------------


class StatementOut(Schema):
    id: int
    exchange_id: int
    activity_id: int | None
    kind: str
    person_id: int | None
    organisation_id: int | None
    side: str
    speaker_wording: str
    text: str
    order: int
    version: int


class StatementIn(Schema):
    """What was said, verbatim. A speaker is required: ``person_id``, ``organisation_id``
    or ``speaker_wording`` ("台湾朋友")."""

    exchange_id: Id
    text: Text(5000)
    kind: StatementKind = StatementKind.QUOTE
    person_id: Id | None = None
    organisation_id: Id | None = None
    side: Side | None = None
    speaker_wording: Text(200) = ""
    activity_id: Id | None = None


class StatementPatch(Schema):
    version: Version
    text: Text(5000) | None = None
    kind: StatementKind | None = None
    person_id: Id | None = None
    organisation_id: Id | None = None
    side: Side | None = None
    speaker_wording: Text(200) | None = None
    activity_id: Id | None = None
    order: Order | None = None


def _statements():
    return Statement.objects.filter(exchange__deleted_at__isnull=True)


def _statement_fields(data: dict) -> dict:
    for key, model, name, queryset in (
        ("person_id", Person, "person", Person.objects.alive()),
        ("organisation_id", Organisation, "organisation", Organisation.objects.alive()),
        ("activity_id", Activity, "activity", None),
    ):
        if key in data:
            data[name] = ref(model, data.pop(key), key, queryset)
    if "side" in data and data["side"] is None:
        data["side"] = ""
    if "speaker_wording" in data and data["speaker_wording"] is None:
        data["speaker_wording"] = ""
    for key in ("text", "kind", "order"):
        if key in data and data[key] is None:
            data.pop(key)
    return data


@router.get(
    "/statements", response=responses(200, page_of(StatementOut)), summary="List statements"
)
def list_statements(
    request,
    exchange: OptId = None,
    person: OptId = None,
    activity: OptId = None,
    kind: StatementKind | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    need(request, "exchanges.view_exchange")
    rows = _statements()
    if exchange is not None:
        rows = rows.filter(exchange_id=exchange)
    if person is not None:
        rows = rows.filter(person_id=person)
    if activity is not None:
        rows = rows.filter(activity_id=activity)
    if kind:
        rows = rows.filter(kind=kind)
    return paginate(rows, limit, offset)


@router.get(
    "/statements/{statement_id}", response=responses(200, StatementOut), summary="One statement"
)
def get_statement(request, statement_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Statement, statement_id, _statements())


@router.post(
    "/statements",
    response=responses(201, StatementOut),
    summary="Record what was said (a quote, an impression, an intention)",
)
def create_statement(request, payload: StatementIn):
    data = payload.dict()
    exchange = _alive_exchange(data.pop("exchange_id"))
    data = _statement_fields(data)
    return Status(201, services.add_statement(exchange=exchange, actor=request.user, **data))


@router.patch(
    "/statements/{statement_id}",
    response=responses(200, StatementOut),
    summary="Change a statement",
)
def update_statement(request, statement_id: PathId, payload: StatementPatch):
    statement = get(Statement, statement_id, _statements().select_related("exchange"))
    need(request, "exchanges.change_exchange", statement.exchange)
    data = _statement_fields(changes(payload))
    return services.update_statement(
        statement=statement, expected_version=payload.version, actor=request.user, **data
    )


@router.delete(
    "/statements/{statement_id}", response=responses(204, None), summary="Remove a statement"
)
def delete_statement(request, statement_id: PathId, version: QueryVersion):
    statement = get(Statement, statement_id, _statements().select_related("exchange"))
    need(request, "exchanges.change_exchange", statement.exchange)
    with transaction.atomic():
        check_version(statement, version)
        services.remove_statement(statement=statement, actor=request.user)
    return Status(204, None)


# --- labels ----------------------------------------------------------------------------


class LabelOut(Schema):
    id: int
    name: str
    exchange_ids: list[int]
    place_ids: list[int]

    @staticmethod
    def resolve_exchange_ids(obj) -> list[int]:
        return sorted(e.pk for e in obj.exchanges.all() if e.deleted_at is None)

    @staticmethod
    def resolve_place_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.places.all())


class LabelIn(Schema):
    """A label by name; it is made on first use."""

    name: Text(200)


@router.get("/labels", response=responses(200, page_of(LabelOut)), summary="List labels")
def list_labels(
    request, exchange: OptId = None, place: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "exchanges.view_exchange")
    rows = Label.objects.prefetch_related("exchanges", "places")
    if exchange is not None:
        rows = rows.filter(exchanges__id=exchange)
    if place is not None:
        rows = rows.filter(places__id=place)
    return paginate(rows.distinct(), limit, offset)


def _label_out(label: Label) -> Label:
    return Label.objects.prefetch_related("exchanges", "places").get(pk=label.pk)


@router.post(
    "/exchanges/{exchange_id}/labels",
    response=responses(201, LabelOut),
    summary="Put a label on an exchange",
)
def label_exchange(request, exchange_id: PathId, payload: LabelIn):
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    need(request, "exchanges.change_exchange", exchange)
    label = services.label_exchange(exchange=exchange, name=payload.name, actor=request.user)
    return Status(201, _label_out(label))


@router.delete(
    "/exchanges/{exchange_id}/labels/{label_id}",
    response=responses(204, None),
    summary="Take a label off an exchange",
)
def unlabel_exchange(request, exchange_id: PathId, label_id: PathId):
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    label = get(Label, label_id)
    need(request, "exchanges.change_exchange", exchange)
    services.unlabel_exchange(exchange=exchange, label=label, actor=request.user)
    return Status(204, None)


@router.post(
    "/places/{place_id}/labels",
    response=responses(201, LabelOut),
    summary="Put a label on a place",
)
def label_place(request, place_id: PathId, payload: LabelIn):
    place = get(Place, place_id)
    need(request, "exchanges.label_place", place)
    label = services.label_place(place=place, name=payload.name, actor=request.user)
    return Status(201, _label_out(label))


@router.delete(
    "/places/{place_id}/labels/{label_id}",
    response=responses(204, None),
    summary="Take a label off a place",
)
def unlabel_place(request, place_id: PathId, label_id: PathId):
    place = get(Place, place_id)
    label = get(Label, label_id)
    need(request, "exchanges.label_place", place)
    services.unlabel_place(place=place, label=label, actor=request.user)
    return Status(204, None)


# --- gifts ------------------------------------------------------------------------------


class GiftOut(Schema):
    """A gift; ``given_on`` is its date (its activity's, else the exchange's end or start),
    ``deadline`` the last day to register it (a month later), ``overdue`` whether it is
    still to register after that (exchanges.gifts). Photos are sent by the
    permission-checked gift photo view (``photo_url``, ``thumbnail_url``)."""

    id: int
    exchange_id: int
    activity_id: int | None
    giver_person_id: int | None
    giver_organisation_id: int | None
    recipient_person_id: int | None
    recipient_organisation_id: int | None
    giver_wording: str
    recipient_wording: str
    description: str
    note: str
    direction: str
    value_band: str
    registration: str
    registered_on: dt.date | None
    register_number: str
    handled_by: str
    given_on: dt.date
    deadline: dt.date
    overdue: bool
    photo_url: str | None
    thumbnail_url: str | None
    version: int

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue_on(timezone.localdate())

    @staticmethod
    def resolve_photo_url(obj) -> str | None:
        return reverse("exchanges:gift_photo", args=[obj.pk]) if obj.photo else None

    @staticmethod
    def resolve_thumbnail_url(obj) -> str | None:
        return reverse("exchanges:gift_thumbnail", args=[obj.pk]) if obj.thumbnail else None


class GiftIn(Schema):
    """The giver and the recipient: a person, an organisation, or as the sources write
    them (``giver_wording``, ``recipient_wording``: "台湾朋友"); ``direction`` relative to
    the host side (empty: not said); the registration with the discipline office
    (``registered`` needs ``registered_on``). The photo is sent to ``/gifts/{id}/photo``."""

    exchange_id: Id
    activity_id: Id | None = None
    giver_person_id: Id | None = None
    giver_organisation_id: Id | None = None
    giver_wording: Text(200) = ""
    recipient_person_id: Id | None = None
    recipient_organisation_id: Id | None = None
    recipient_wording: Text(200) = ""
    description: Text(300) = ""
    note: Text(5000) = ""
    direction: GiftDirection | None = None
    value_band: ValueBand = ValueBand.UNKNOWN
    registration: Registration = Registration.NOT_REQUIRED
    registered_on: Date | None = None
    register_number: Text(100) = ""
    handled_by: Text(100) = ""


class GiftPatch(Schema):
    version: Version
    activity_id: Id | None = None
    giver_person_id: Id | None = None
    giver_organisation_id: Id | None = None
    giver_wording: Text(200) | None = None
    recipient_person_id: Id | None = None
    recipient_organisation_id: Id | None = None
    recipient_wording: Text(200) | None = None
    description: Text(300) | None = None
    note: Text(5000) | None = None
    direction: GiftDirection | None = None
    value_band: ValueBand | None = None
    registration: Registration | None = None
    registered_on: Date | None = None
    register_number: Text(100) | None = None
    handled_by: Text(100) | None = None


class GiftPhotoIn(Schema):
    version: Version


def _gifts():
    return Gift.objects.filter(exchange__deleted_at__isnull=True).select_related(
        "exchange", "activity"
    )


def _gift_fields(data: dict) -> dict:
    """A gift body's ids as records (a missing one is a 422 on its field); text and choices
    sent as null are left empty (PATCH: null clears)."""
    for key, model, name, queryset in (
        ("activity_id", Activity, "activity", None),
        ("giver_person_id", Person, "giver_person", Person.objects.alive()),
        ("giver_organisation_id", Organisation, "giver_organisation", Organisation.objects.alive()),
        ("recipient_person_id", Person, "recipient_person", Person.objects.alive()),
        (
            "recipient_organisation_id",
            Organisation,
            "recipient_organisation",
            Organisation.objects.alive(),
        ),
    ):
        if key in data:
            data[name] = ref(model, data.pop(key), key, queryset)
    for key in (
        "giver_wording",
        "recipient_wording",
        "description",
        "note",
        "direction",
        "register_number",
        "handled_by",
    ):
        if key in data and data[key] is None:
            data[key] = ""
    for key in ("value_band", "registration"):
        if key in data and data[key] is None:
            data.pop(key)
    return data


@router.get("/gifts", response=responses(200, page_of(GiftOut)), summary="List gifts")
def list_gifts(
    request, exchange: OptId = None, activity: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "exchanges.view_exchange")
    gifts = _gifts()
    if exchange is not None:
        gifts = gifts.filter(exchange_id=exchange)
    if activity is not None:
        gifts = gifts.filter(activity_id=activity)
    return paginate(gifts, limit, offset)


@router.get(
    "/gift-register",
    response=responses(200, page_of(GiftOut)),
    summary="The gifts register: the gifts in your scope, filtered",
)
def gift_register(
    request,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    direction: GiftDirection | None = None,
    registration: Registration | None = None,
    overdue: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """The register page's rows (exchanges.selectors.gift_register): administrators and
    viewers see every exchange's gifts, organisers those of the exchanges hosted in their
    places; ``year`` of the gift's date, ``overdue``: still to register after the deadline."""
    need(request, "exchanges.view_exchange")
    filters = GiftFilters(
        year=year,
        direction=direction or "",
        registration=registration or "",
        overdue=overdue,
    )
    return paginate(
        gift_register_rows(request.user, filters, today=timezone.localdate()), limit, offset
    )


@router.get("/gifts/{gift_id}", response=responses(200, GiftOut), summary="One gift")
def get_gift(request, gift_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Gift, gift_id, _gifts())


@router.post("/gifts", response=responses(201, GiftOut), summary="Record a gift")
def create_gift(request, payload: GiftIn):
    """Who gave it (a person or an organisation) and who received it; what, when the
    source says; its direction, value band and registration."""
    data = payload.dict()
    exchange = _alive_exchange(data.pop("exchange_id"))
    gift = services.record_gift(exchange=exchange, actor=request.user, **_gift_fields(data))
    return Status(201, gift)


@router.patch("/gifts/{gift_id}", response=responses(200, GiftOut), summary="Change a gift")
def update_gift(request, gift_id: PathId, payload: GiftPatch):
    """Correct a gift or record its registration (``registration``, ``registered_on``,
    ``register_number``, ``handled_by``)."""
    gift = get(Gift, gift_id, _gifts())
    need(request, "exchanges.change_exchange", gift.exchange)
    return services.update_gift(
        gift=gift,
        expected_version=payload.version,
        actor=request.user,
        **_gift_fields(changes(payload)),
    )


@router.post(
    "/gifts/{gift_id}/photo",
    response=responses(200, GiftOut),
    summary="Add or replace a gift's photo (multipart/form-data)",
)
def upload_gift_photo(
    request, gift_id: PathId, payload: Form[GiftPhotoIn], photo: File[UploadedFile]
):
    """JPEG, PNG, WebP or GIF up to 20 MB, read from its content and re-encoded without
    metadata (core.uploads), as a photo's."""
    gift = get(Gift, gift_id, _gifts())
    need(request, "exchanges.change_exchange", gift.exchange)
    return services.update_gift(
        gift=gift, expected_version=payload.version, photo=photo, actor=request.user
    )


# --- photos -----------------------------------------------------------------------------


class PhotoOut(Schema):
    id: int
    exchange_id: int
    activity_id: int | None
    caption: str
    taken_on: dt.date | None
    credit: str
    content_type: str
    image_url: str | None
    thumbnail_url: str | None
    order: int
    version: int

    @staticmethod
    def resolve_image_url(obj) -> str | None:
        return reverse("exchanges:photo_image", args=[obj.pk]) if obj.image else None

    @staticmethod
    def resolve_thumbnail_url(obj) -> str | None:
        return reverse("exchanges:photo_thumbnail", args=[obj.pk]) if obj.thumbnail else None


class PhotoIn(Schema):
    exchange_id: Id
    caption: Text(500)
    activity_id: Id | None = None
    taken_on: Date | None = None
    credit: Text(200) = ""


def _photos():
    return Photo.objects.filter(exchange__deleted_at__isnull=True)


@router.get("/photos", response=responses(200, page_of(PhotoOut)), summary="List photos")
def list_photos(
    request, exchange: OptId = None, activity: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "exchanges.view_exchange")
    photos = _photos()
    if exchange is not None:
        photos = photos.filter(exchange_id=exchange)
    if activity is not None:
        photos = photos.filter(activity_id=activity)
    return paginate(photos, limit, offset)


@router.get("/photos/{photo_id}", response=responses(200, PhotoOut), summary="One photo")
def get_photo(request, photo_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Photo, photo_id, _photos())


@router.post(
    "/photos",
    response=responses(201, PhotoOut),
    summary="Add a photo (multipart/form-data; the image may be left out)",
)
def create_photo(request, payload: Form[PhotoIn], image: File[UploadedFile] = None):
    """JPEG, PNG, WebP or GIF up to 20 MB, read from its content (not its name or declared
    type) and re-encoded without metadata; or no image, to record a caption only."""
    exchange = _alive_exchange(payload.exchange_id)
    photo = services.add_photo(
        exchange=exchange,
        caption=payload.caption,
        activity=_activity(payload.activity_id),
        image=image,
        taken_on=payload.taken_on,
        credit=payload.credit,
        actor=request.user,
    )
    return Status(201, photo)
