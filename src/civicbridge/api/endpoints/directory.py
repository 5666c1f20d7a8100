"""Places, people, organisations and positions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db import transaction
from django.db.models import Q
from ninja import Field, Router, Schema, Status

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
from civicbridge.core import hans_hant
from civicbridge.core.services import check_version
from civicbridge.directory import services
from civicbridge.directory.models import (
    Gender,
    Organisation,
    OrganisationKind,
    PermitKind,
    PermitStatus,
    Person,
    PersonAlias,
    Place,
    PlaceAlias,
    PlaceKind,
    PlaceStatus,
    Position,
)
from civicbridge.directory.models import within as places_within
from civicbridge.directory.resolution import resolve_place as resolve
from civicbridge.exchanges.personal_data import API, personal_fields, prime_personal_fields

router = Router(tags=["directory"])

# Before sides were data a place had a region; old clients may still send one.
LegacyRegion = Literal["beijing", "taipei"]
LEGACY_REGION_SIDES = {"beijing": "mainland", "taipei": "taiwan"}


# --- places -----------------------------------------------------------------------------


class PlaceOut(Schema):
    id: int
    name: str
    name_hans: str
    name_hant: str
    short_name: str
    kind: str
    side: str
    status: str
    code: str | None
    parent_id: int | None
    merged_into_id: int | None
    path: str
    is_pilot: bool
    pilot_since: int | None
    note: str
    version: int

    @staticmethod
    def resolve_side(obj) -> str:
        return obj.side_id


class PlaceIn(Schema):
    name: Text(200)
    kind: PlaceKind
    # The side of a top-level place ("mainland", "taiwan"); a place below a parent is on
    # its parent's side. ``region`` ("beijing", "taipei") is still read, for old clients.
    side: Text(16) | None = None
    region: LegacyRegion | None = None
    parent_id: Id | None = None
    code: Text(20) | None = None
    short_name: Text(100) = ""
    is_pilot: bool = False
    pilot_since: Annotated[int | None, Field(ge=1900, le=2200)] = None
    note: Text(5000) = ""


class PlacePatch(Schema):
    """A correction. Administrators correct every place; organisers the places below the
    county level within their own places (directory.change_place). Moving a place
    (``parent_id``) also needs directory.add_place below the new parent."""

    version: Version
    name: Text(200) | None = None
    name_hans: Text(200) | None = None
    name_hant: Text(200) | None = None
    short_name: Text(100) | None = None
    code: Text(20) | None = None
    kind: PlaceKind | None = None
    parent_id: Id | None = None
    is_pilot: bool | None = None
    pilot_since: Annotated[int | None, Field(ge=1900, le=2200)] = None
    note: Text(5000) | None = None


class PlaceMergeIn(Schema):
    version: Version
    # The place that stays; it takes this one's aliases, the places below it and every
    # record that names it.
    into_id: Id
    note: Text(1000) = ""


class PlaceRetireIn(Schema):
    version: Version
    note: Text(1000) = ""


class PlaceAliasOut(Schema):
    id: int
    place_id: int
    name: str
    kind: str
    note: str


class PlaceAliasIn(Schema):
    name: Text(200)
    kind: PlaceAlias.Kind = PlaceAlias.Kind.COMMON
    note: Text(1000) = ""


@router.get("/places", response=responses(200, page_of(PlaceOut)), summary="List places")
def list_places(
    request,
    within: OptId = None,
    kind: PlaceKind | None = None,
    side: Text(16) | None = None,
    status: PlaceStatus | None = None,
    region: LegacyRegion | None = None,
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
    side = side or (LEGACY_REGION_SIDES[region] if region else None)
    if side:
        places = places.filter(side_id=side)
    if status:
        places = places.filter(status=status)
    if q:
        places = places.filter(search_text__contains=hans_hant.search_key(q))
    return paginate(places, limit, offset)


class ResolvedPiece(Schema):
    text: str
    place_id: int
    name: str


class ResolvedCandidate(Schema):
    place: PlaceOut
    rank: int
    reasons: list[str]
    chain: list[ResolvedPiece]


class ResolutionOut(Schema):
    text: str
    ambiguous: bool
    candidates: list[ResolvedCandidate]


@router.get(
    "/places/resolve",
    response=responses(200, ResolutionOut),
    summary="Which place a text means",
)
def resolve_place(
    request,
    text: Text(120),
    within: OptId = None,
    on: Date | None = None,
    kind: PlaceKind | None = None,
    side: Text(16) | None = None,
    include_former: bool = False,
):
    """The places ``text`` may mean (高雄市三民区鼎金里, 阜四社区, 中山区), ranked, each with
    the reasons it matched (exact, script, alias, suffix, variant, abbreviation, lookalike,
    parent context, scope). ``ambiguous`` is true when several share the best rank: the
    API never guesses. ``within`` narrows to a place and below, ``side`` to mainland or
    taiwan, ``kind`` to one kind of place; former places are offered
    only with ``include_former`` or an ``on`` date when the register shows them."""
    need(request, "directory.view_place")
    result = resolve(
        text,
        within=get(Place, within) if within is not None else None,
        on=on,
        kinds=[kind] if kind else None,
        side=side or None,
        include_former=include_former,
    )
    return {
        "text": result.text,
        "ambiguous": result.ambiguous,
        "candidates": [
            {
                "place": c.place,
                "rank": c.rank,
                "reasons": c.reasons,
                "chain": [
                    {"text": piece, "place_id": place.pk, "name": place.name}
                    for piece, place in c.chain
                ],
            }
            for c in result
        ],
    }


@router.get("/places/{place_id}", response=responses(200, PlaceOut), summary="One place")
def get_place(request, place_id: PathId):
    need(request, "directory.view_place")
    return get(Place, place_id)


@router.post("/places", response=responses(201, PlaceOut), summary="Create a place")
def create_place(request, payload: PlaceIn):
    data = payload.dict()
    parent = ref(Place, data.pop("parent_id"), "parent_id")
    region = data.pop("region")
    if region and not data["side"]:
        data["side"] = LEGACY_REGION_SIDES[region]
    # Asked with the place about to be created: a top-level place (no parent) is for
    # administrators only, a place at county level and above too.
    need(request, "directory.add_place", services.new_place(parent=parent, side=data["side"]))
    return Status(201, services.create_place(parent=parent, **data))


@router.patch("/places/{place_id}", response=responses(200, PlaceOut), summary="Correct a place")
def update_place(request, place_id: PathId, payload: PlacePatch):
    place = get(Place, place_id)
    need(request, "directory.change_place", place)
    fields = changes(payload)
    if "parent_id" in fields:
        parent = ref(Place, fields.pop("parent_id"), "parent_id")
        if parent != place.parent:
            need(
                request,
                "directory.add_place",
                services.new_place(parent=parent, side=place.side_id),
            )
        fields["parent"] = parent
    for key in ("name_hans", "name_hant", "short_name", "note"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    for key in ("name", "kind", "is_pilot"):
        if key in fields and fields[key] is None:
            fields.pop(key)
    return services.update_place(place=place, expected_version=payload.version, **fields)


@router.post(
    "/places/{place_id}/merge",
    response=responses(200, PlaceOut),
    summary="Merge a place into another",
)
def merge_place(request, place_id: PathId, payload: PlaceMergeIn):
    """This place is merged into ``into_id`` (which is returned): its aliases, the places
    below it and every record naming it move there; its name becomes an alias; it stays,
    status ``merged``, with ``merged_into_id``."""
    place = get(Place, place_id)
    into = ref(Place, payload.into_id, "into_id")
    need(request, "directory.merge_place", place)
    need(request, "directory.merge_place", into)
    return services.merge_place(
        place=place, into=into, expected_version=payload.version, note=payload.note
    )


@router.post(
    "/places/{place_id}/retire",
    response=responses(200, PlaceOut),
    summary="Retire a place entered by mistake",
)
def retire_place(request, place_id: PathId, payload: PlaceRetireIn):
    """Status ``retired``: kept for the records that name it, never offered for new ones."""
    place = get(Place, place_id)
    need(request, "directory.retire_place", place)
    return services.retire_place(place=place, expected_version=payload.version, note=payload.note)


@router.get(
    "/places/{place_id}/aliases",
    response=responses(200, list[PlaceAliasOut]),
    summary="Other spellings of a place",
)
def list_place_aliases(request, place_id: PathId):
    need(request, "directory.view_place")
    return list(get(Place, place_id).aliases.order_by("name", "id"))


@router.post(
    "/places/{place_id}/aliases",
    response=responses(201, PlaceAliasOut),
    summary="Add another spelling of a place",
)
def add_place_alias(request, place_id: PathId, payload: PlaceAliasIn):
    place = get(Place, place_id)
    need(request, "directory.change_place", place)
    return Status(201, services.add_place_alias(place=place, **payload.dict()))


@router.delete(
    "/places/{place_id}/aliases/{alias_id}",
    response=responses(204, None),
    summary="Remove a spelling of a place",
)
def remove_place_alias(request, place_id: PathId, alias_id: PathId):
    place = get(Place, place_id)
    alias = get(PlaceAlias, alias_id, place.aliases.all())
    need(request, "directory.change_place", place)
    services.remove_place_alias(alias=alias)
    return Status(204, None)


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
    # Personal data, field by field (exchanges.personal_data.PERSONAL_DATA_POLICY): null unless the
    # reader may see that field; ``visible_personal_fields`` names those the reader sees.
    personal_data_visible: bool
    visible_personal_fields: list[str]
    phone: str | None
    email: str | None
    permit_number: str | None
    # The permit's companions (Person.PERSONAL_COMPANIONS): shown where its number is.
    permit_expires_on: str | None
    permit_kind: str | None
    permit_status: str | None
    date_of_birth: str | None


def person_out(request, person: Person) -> dict:
    visible = personal_fields(request.user, person, context=API)
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
        "personal_data_visible": bool(visible),
        "visible_personal_fields": [f for f in Person.PERSONAL_FIELDS if f in visible],
    }
    for field in Person.PERSONAL_FIELDS:
        for name in (field, *Person.PERSONAL_COMPANIONS.get(field, ())):
            value = getattr(person, name) if field in visible else None
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
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
    permit_expires_on: Date | None = None
    permit_kind: PermitKind = PermitKind.UNKNOWN
    permit_status: PermitStatus = PermitStatus.UNKNOWN
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
    permit_expires_on: Date | None = None
    permit_kind: PermitKind | None = None
    permit_status: PermitStatus | None = None
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
        people = people.filter(places_within(get(Place, within), field="home_place"))
    if q:
        key = hans_hant.search_key(q)
        people = people.filter(Q(search_text__contains=key) | Q(name__contains=q))
    page = paginate(people, limit, offset)
    prime_personal_fields(request.user, page["items"])
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
    for key in (
        "name_hans",
        "name_hant",
        "gender",
        "phone",
        "email",
        "permit_number",
        "permit_kind",
        "permit_status",
        "note",
    ):
        if key in fields and fields[key] is None:
            fields[key] = ""
    if fields.get("name") is None:
        fields.pop("name", None)
    person = services.update_person(
        person=person, expected_version=payload.version, by=request.user, **fields
    )
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


# --- other spellings of a person's name (PersonAlias) ----------------------------------------


class PersonAliasOut(Schema):
    id: int
    person_id: int
    name: str
    note: str
    version: int


class PersonAliasIn(Schema):
    name: Text(200)
    note: Text(5000) = ""


@router.get(
    "/people/{person_id}/aliases",
    response=responses(200, list[PersonAliasOut]),
    summary="Other spellings of a person's name",
)
def list_person_aliases(request, person_id: PathId):
    need(request, "directory.view_person")
    person = get(Person, person_id, Person.objects.alive())
    return list(PersonAlias.objects.filter(person=person).order_by("name", "id"))


@router.post(
    "/people/{person_id}/aliases",
    response=responses(201, PersonAliasOut),
    summary="Add another spelling of a person's name",
)
def create_person_alias(request, person_id: PathId, payload: PersonAliasIn):
    person = get(Person, person_id, Person.objects.alive())
    alias = services.add_person_alias(
        person=person, name=payload.name, note=payload.note, actor=request.user
    )
    return Status(201, alias)


@router.delete(
    "/people/{person_id}/aliases/{alias_id}",
    response=responses(204, None),
    summary="Remove another spelling of a person's name",
)
def delete_person_alias(request, person_id: PathId, alias_id: PathId, version: QueryVersion):
    person = get(Person, person_id, Person.objects.alive())
    alias = get(PersonAlias, alias_id, PersonAlias.objects.filter(person=person))
    with transaction.atomic():
        check_version(alias, version)
        services.remove_person_alias(alias=alias, actor=request.user)
    return Status(204, None)


# --- organisations and positions ----------------------------------------------------------
# Who may (accounts/rules.py): an organiser records an organisation seated anywhere (a venue
# only within their places) and corrects those seated within their places or created by
# them; positions of their people, or in organisations and places they may correct. The
# services ask the same rules (actor=).


class OrganisationOut(Schema):
    id: int
    name: str
    name_hans: str
    name_hant: str
    short_name: str
    kind: str
    place_id: int
    parent_id: int | None
    description: str
    note: str
    version: int


class OrganisationIn(Schema):
    name: Text(200)
    kind: OrganisationKind
    place_id: Id
    parent_id: Id | None = None
    short_name: Text(100) = ""
    description: Text(5000) = ""
    note: Text(5000) = ""


class OrganisationPatch(Schema):
    version: Version
    name: Text(200) | None = None
    name_hans: Text(200) | None = None
    name_hant: Text(200) | None = None
    kind: OrganisationKind | None = None
    place_id: Id | None = None
    parent_id: Id | None = None
    short_name: Text(100) | None = None
    description: Text(5000) | None = None
    note: Text(5000) | None = None


def _organisation_fields(data: dict) -> dict:
    if "place_id" in data:
        place_id = data.pop("place_id")
        if place_id is not None:
            data["place"] = ref(Place, place_id, "place_id")
    if "parent_id" in data:
        data["parent"] = ref(Organisation, data.pop("parent_id"), "parent_id")
    return data


@router.get(
    "/organisations/{organisation_id}",
    response=responses(200, OrganisationOut),
    summary="One organisation",
)
def get_organisation(request, organisation_id: PathId):
    need(request, "directory.view_place")
    return get(Organisation, organisation_id, Organisation.objects.alive())


@router.post(
    "/organisations", response=responses(201, OrganisationOut), summary="Create an organisation"
)
def create_organisation(request, payload: OrganisationIn):
    """An association, a troupe, a care centre, an office or a venue, based at ``place_id``."""
    need(request, "directory.add_organisation")
    data = _organisation_fields(payload.dict())
    return Status(201, services.create_organisation(actor=request.user, **data))


@router.patch(
    "/organisations/{organisation_id}",
    response=responses(200, OrganisationOut),
    summary="Correct an organisation",
)
def update_organisation(request, organisation_id: PathId, payload: OrganisationPatch):
    organisation = get(Organisation, organisation_id, Organisation.objects.alive())
    need(request, "directory.change_organisation", organisation)
    fields = _organisation_fields(changes(payload))
    for key in ("name_hans", "name_hant", "short_name", "description", "note"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    for key in ("name", "kind"):
        if key in fields and fields[key] is None:
            fields.pop(key)
    return services.update_organisation(
        organisation=organisation,
        expected_version=payload.version,
        actor=request.user,
        **fields,
    )


class PositionOut(Schema):
    id: int
    person_id: int
    title: str
    organisation_id: int | None
    place_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    source: str
    note: str
    version: int


class PositionIn(Schema):
    person_id: Id
    title: Text(100)
    organisation_id: Id | None = None
    place_id: Id | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    source: Text(200) = ""
    note: Text(5000) = ""


class PositionPatch(Schema):
    """A correction; ``end_date`` alone ends the position."""

    version: Version
    title: Text(100) | None = None
    organisation_id: Id | None = None
    place_id: Id | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    source: Text(200) | None = None
    note: Text(5000) | None = None


def _position_fields(data: dict) -> dict:
    if "person_id" in data:
        data["person"] = ref(Person, data.pop("person_id"), "person_id", Person.objects.alive())
    if "organisation_id" in data:
        data["organisation"] = ref(
            Organisation,
            data.pop("organisation_id"),
            "organisation_id",
            Organisation.objects.alive(),
        )
    if "place_id" in data:
        data["place"] = ref(Place, data.pop("place_id"), "place_id")
    return data


@router.get(
    "/positions/{position_id}", response=responses(200, PositionOut), summary="One position"
)
def get_position(request, position_id: PathId):
    need(request, "directory.view_person")
    return get(Position, position_id)


@router.post("/positions", response=responses(201, PositionOut), summary="Record a position")
def create_position(request, payload: PositionIn):
    """A title a person holds in an organisation (``organisation_id``) or at a place."""
    need(request, "directory.add_position")
    data = _position_fields(payload.dict())
    return Status(201, services.create_position(actor=request.user, **data))


@router.patch(
    "/positions/{position_id}", response=responses(200, PositionOut), summary="Correct a position"
)
def update_position(request, position_id: PathId, payload: PositionPatch):
    position = get(Position, position_id)
    need(request, "directory.change_position", position)
    fields = _position_fields(changes(payload))
    for key in ("source", "note"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    if "title" in fields and fields["title"] is None:
        fields.pop("title")
    return services.update_position(
        position=position, expected_version=payload.version, actor=request.user, **fields
    )
