"""The records the exchange page writes besides groups, members and activities: the
exchange's organisations (host, escort, co-organiser; the visiting organisation is the
exchange's own field), gifts and photos.

Each write calls the service the page calls (exchanges/services.py) with
``actor=request.user``; the service asks ``exchanges.change_exchange`` by name, as the
page does. Reading needs ``exchanges.view_exchange``. The pages add these records and do
not edit or delete them, so neither does the API.

A photo is uploaded as multipart/form-data (field ``image``), checked and re-encoded by
the same service as the page's upload (core/uploads.py: the type read from the content, a
generated name, no metadata). The API never gives a media path: ``image_url`` and
``thumbnail_url`` are the permission-checked photo view's addresses."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from civicbridge.api.core import page_of, paginate, responses
from civicbridge.api.endpoints.common import (
    Date,
    Id,
    Limit,
    Offset,
    OptId,
    PathId,
    Text,
    get,
    need,
    ref,
)
from civicbridge.directory.models import Organisation, Person
from civicbridge.exchanges import services
from civicbridge.exchanges.models import (
    Activity,
    Exchange,
    ExchangeOrganisation,
    Gift,
    Photo,
)

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


# --- gifts ------------------------------------------------------------------------------


class GiftOut(Schema):
    id: int
    exchange_id: int
    activity_id: int | None
    giver_person_id: int | None
    giver_organisation_id: int | None
    recipient_person_id: int | None
    recipient_organisation_id: int | None
    description: str
    note: str
    version: int


class GiftIn(Schema):
    exchange_id: Id
    activity_id: Id | None = None
    giver_person_id: Id | None = None
    giver_organisation_id: Id | None = None
    recipient_person_id: Id | None = None
    recipient_organisation_id: Id | None = None
    description: Text(300) = ""
    note: Text(5000) = ""


def _gifts():
    return Gift.objects.filter(exchange__deleted_at__isnull=True)


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


@router.get("/gifts/{gift_id}", response=responses(200, GiftOut), summary="One gift")
def get_gift(request, gift_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Gift, gift_id, _gifts())


@router.post("/gifts", response=responses(201, GiftOut), summary="Record a gift")
def create_gift(request, payload: GiftIn):
    """Who gave it (a person or an organisation) and who received it; what, when the
    source says."""
    exchange = _alive_exchange(payload.exchange_id)
    gift = services.record_gift(
        exchange=exchange,
        activity=_activity(payload.activity_id),
        giver_person=_person(payload.giver_person_id, "giver_person_id"),
        giver_organisation=_organisation(payload.giver_organisation_id, "giver_organisation_id"),
        recipient_person=_person(payload.recipient_person_id, "recipient_person_id"),
        recipient_organisation=_organisation(
            payload.recipient_organisation_id, "recipient_organisation_id"
        ),
        description=payload.description,
        note=payload.note,
        actor=request.user,
    )
    return Status(201, gift)


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
