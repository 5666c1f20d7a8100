"""Places and people."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import Field, Router, Schema, Status

from civicbridge.accounts.rules import personal_fields_visible
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
)
from civicbridge.core import script
from civicbridge.directory import services
from civicbridge.directory.models import Gender, Person, Place, PlaceKind, Region

router = Router(tags=["directory"])


# --- places -----------------------------------------------------------------------------


class PlaceOut(Schema):
    id: int
    name: str
    name_hans: str
    name_hant: str
    short_name: str
    kind: str
    region: str
    code: str | None
    parent_id: int | None
    path: str
    is_pilot: bool
    pilot_since: int | None
    note: str
    version: int


class PlaceIn(Schema):
    name: Text(200)
    kind: PlaceKind
    region: Region
    parent_id: Id | None = None
    code: Text(20) | None = None
    short_name: Text(100) = ""
    is_pilot: bool = False
    pilot_since: Annotated[int | None, Field(ge=1900, le=2200)] = None
    note: Text(5000) = ""


class PlacePatch(Schema):
    version: Version
    short_name: Text(100) | None = None
    is_pilot: bool | None = None
    pilot_since: Annotated[int | None, Field(ge=1900, le=2200)] = None
    note: Text(5000) | None = None


@router.get("/places", response=responses(200, page_of(PlaceOut)), summary="List places")
def list_places(
    request,
    within: OptId = None,
    kind: PlaceKind | None = None,
    region: Region | None = None,
    q: Text(100) | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Places, by id. ``within``: that place and every place below it."""
    need(request, "directory.view_place")
    places = Place.objects.all()
    if within is not None:
        places = places.within(get(Place, within))
    if kind:
        places = places.filter(kind=kind)
    if region:
        places = places.filter(region=region)
    if q:
        places = places.filter(search_text__contains=script.search_key(q))
    return paginate(places, limit, offset)


@router.get("/places/{place_id}", response=responses(200, PlaceOut), summary="One place")
def get_place(request, place_id: PathId):
    need(request, "directory.view_place")
    return get(Place, place_id)


@router.post("/places", response=responses(201, PlaceOut), summary="Create a place")
def create_place(request, payload: PlaceIn):
    data = payload.dict()
    parent = ref(Place, data.pop("parent_id"), "parent_id")
    need(request, "directory.add_place", parent)
    return Status(201, services.create_place(parent=parent, **data))


@router.patch("/places/{place_id}", response=responses(200, PlaceOut), summary="Change a place")
def update_place(request, place_id: PathId, payload: PlacePatch):
    place = get(Place, place_id)
    need(request, "directory.change_place", place)
    return services.update_place(place=place, expected_version=payload.version, **changes(payload))


# --- people -----------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    name_hans: str
    name_hant: str
    gender: str
    home_place_id: int | None
    note: str
    version: int
    deleted: bool
    # Personal data: null unless the reader may see it (personal_data_visible).
    personal_data_visible: bool
    phone: str | None
    email: str | None
    permit_number: str | None
    date_of_birth: str | None


def person_out(request, person: Person) -> dict:
    visible = personal_fields_visible(request.user, person)
    data = {
        "id": person.pk,
        "name": person.name,
        "name_hans": person.name_hans,
        "name_hant": person.name_hant,
        "gender": person.gender,
        "home_place_id": person.home_place_id,
        "note": person.note,
        "version": person.version,
        "deleted": person.deleted_at is not None,
        "personal_data_visible": visible,
    }
    for field in Person.PERSONAL_FIELDS:
        value = getattr(person, field) if visible else None
        data[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


class PersonIn(Schema):
    name: Text(200)
    name_hans: Text(200) | None = None
    name_hant: Text(200) | None = None
    gender: Gender = Gender.UNKNOWN
    home_place_id: Id | None = None
    phone: Text(40) = ""
    email: Text(254) = ""
    permit_number: Text(40) = ""
    date_of_birth: Date | None = None
    note: Text(5000) = ""


class PersonPatch(Schema):
    version: Version
    name: Text(200) | None = None
    name_hans: Text(200) | None = None
    name_hant: Text(200) | None = None
    gender: Gender | None = None
    home_place_id: Id | None = None
    phone: Text(40) | None = None
    email: Text(254) | None = None
    permit_number: Text(40) | None = None
    date_of_birth: Date | None = None
    note: Text(5000) | None = None


@router.get("/people", response=responses(200, page_of(PersonOut)), summary="List people")
def list_people(
    request,
    within: OptId = None,
    q: Text(100) | None = None,
    deleted: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """People, by id. ``within``: whose home place lies in that place or below.
    ``deleted=true`` lists the deleted ones instead (administrators)."""
    need(request, "directory.view_person")
    if deleted:
        need(request, "accounts.restore")
        people = Person.objects.deleted()
    else:
        people = Person.objects.alive()
    if within is not None:
        people = people.filter(home_place__path__startswith=get(Place, within).path)
    if q:
        key = script.search_key(q)
        people = people.filter(Q(search_text__contains=key) | Q(name__contains=q))
    page = paginate(people, limit, offset)
    page["items"] = [person_out(request, p) for p in page["items"]]
    return page


@router.get("/people/{person_id}", response=responses(200, PersonOut), summary="One person")
def get_person(request, person_id: PathId):
    need(request, "directory.view_person")
    return person_out(request, get(Person, person_id, Person.objects.alive()))


def _person_fields(data: dict) -> dict:
    if "home_place_id" in data:
        data["home_place"] = ref(Place, data.pop("home_place_id"), "home_place_id")
    return data


@router.post("/people", response=responses(201, PersonOut), summary="Create a person")
def create_person(request, payload: PersonIn):
    need(request, "directory.add_person")
    person = services.create_person(**_person_fields(payload.dict()))
    return Status(201, person_out(request, person))


@router.patch("/people/{person_id}", response=responses(200, PersonOut), summary="Change a person")
def update_person(request, person_id: PathId, payload: PersonPatch):
    person = get(Person, person_id, Person.objects.alive())
    need(request, "directory.change_person", person)
    fields = _person_fields(changes(payload))
    for key in ("name_hans", "name_hant", "gender", "phone", "email", "permit_number", "note"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    if fields.get("name") is None:
        fields.pop("name", None)
    person = services.update_person(person=person, expected_version=payload.version, **fields)
    return person_out(request, person)


@router.delete(
    "/people/{person_id}", response=responses(200, PersonOut), summary="Delete a person (softly)"
)
def delete_person(request, person_id: PathId, version: QueryVersion):
    person = get(Person, person_id, Person.objects.alive())
    need(request, "directory.delete_person", person)
    return person_out(request, soft_delete(person, by=request.user, expected_version=version))


@router.post(
    "/people/{person_id}/restore",
    response=responses(200, PersonOut),
    summary="Restore a deleted person",
)
def restore_person(request, person_id: PathId, version: QueryVersion):
    person = get(Person, person_id, Person.objects.deleted())
    need(request, "accounts.restore", person)
    return person_out(request, restore(person, by=request.user, expected_version=version))
