"""Writes for the directory: places, organisations, people, positions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core import script
from civicbridge.core.services import update_record, validate_text
from civicbridge.directory.models import (
    Organisation,
    Person,
    Place,
    PlaceAlias,
    PlaceKind,
    Position,
)

# Which kinds may sit below which: one tree for both regions.
ALLOWED_PARENT_KINDS = {
    PlaceKind.CITY: {None},
    PlaceKind.DISTRICT: {PlaceKind.CITY},
    PlaceKind.SUBDISTRICT: {PlaceKind.DISTRICT},
    PlaceKind.TOWN: {PlaceKind.DISTRICT},
    PlaceKind.TOWNSHIP: {PlaceKind.DISTRICT},
    PlaceKind.AREA: {PlaceKind.DISTRICT},
    PlaceKind.SPECIAL_ZONE: {PlaceKind.DISTRICT},
    PlaceKind.COMMUNITY: {
        PlaceKind.SUBDISTRICT,
        PlaceKind.TOWN,
        PlaceKind.TOWNSHIP,
        PlaceKind.AREA,
        PlaceKind.SPECIAL_ZONE,
    },
    PlaceKind.VILLAGE: {
        PlaceKind.TOWN,
        PlaceKind.TOWNSHIP,
        PlaceKind.AREA,
        PlaceKind.SUBDISTRICT,
        PlaceKind.SPECIAL_ZONE,
    },
    PlaceKind.COOPERATIVE_LIVING_AREA: {
        PlaceKind.TOWN,
        PlaceKind.TOWNSHIP,
        PlaceKind.AREA,
        PlaceKind.SUBDISTRICT,
    },
    PlaceKind.LI: {PlaceKind.DISTRICT},
}


def _place_search_text(place: Place, aliases: list[str] | None = None) -> str:
    names = [place.name, place.short_name, *(aliases or [])]
    return " ".join(dict.fromkeys(script.search_key(n) for n in names if n))


def refresh_place_search_text(*, place: Place) -> None:
    aliases = list(place.aliases.values_list("name", flat=True))
    place.search_text = _place_search_text(place, aliases)
    Place.objects.filter(pk=place.pk).update(search_text=place.search_text)


@transaction.atomic
def create_place(
    *,
    name: str,
    kind: str,
    region: str,
    parent: Place | None = None,
    code: str | None = None,
    short_name: str = "",
    is_pilot: bool = False,
    pilot_since: int | None = None,
    note: str = "",
) -> Place:
    name = validate_text(name, field="name", max_length=200)
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENT_KINDS.get(kind, set()):
        raise ValidationError(
            {
                "parent": _("A place of kind %(kind)s cannot sit below %(parent)s.")
                % {"kind": kind, "parent": parent_kind or "—"}
            }
        )
    if parent is not None and parent.region != region:
        raise ValidationError({"region": _("A place lies in the same region as its parent.")})
    if pilot_since is not None and not is_pilot:
        raise ValidationError({"pilot_since": _("Only a pilot place has a pilot year.")})
    if code and Place.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("Another place already has the code %(code)s.") % {"code": code}}
        )
    if Place.objects.filter(parent=parent, name=name).exists():
        raise ValidationError({"name": _("A place of that name already exists there.")})
    hans, hant = script.name_pair(name)
    short_hans, short_hant = script.name_pair(short_name) if short_name else ("", "")
    place = Place(
        name=name,
        name_hans=hans,
        name_hant=hant,
        kind=kind,
        region=region,
        parent=parent,
        code=code or None,
        short_name=short_name,
        short_name_hans=short_hans,
        short_name_hant=short_hant,
        is_pilot=is_pilot,
        pilot_since=pilot_since,
        note=note,
    )
    place.search_text = _place_search_text(place)
    place.save()
    place.path = (parent.path if parent else "/") + f"{place.pk}/"
    Place.objects.filter(pk=place.pk).update(path=place.path)
    script.invalidate_names()
    return place


@transaction.atomic
def update_place(*, place: Place, expected_version: int | None = None, **fields) -> Place:
    def validate(p: Place) -> None:
        if "short_name" in fields:
            p.short_name_hans, p.short_name_hant = (
                script.name_pair(p.short_name) if p.short_name else ("", "")
            )
        if p.pilot_since is not None and not p.is_pilot:
            raise ValidationError({"pilot_since": _("Only a pilot place has a pilot year.")})

    update_record(
        place,
        fields=fields,
        allowed={"short_name", "is_pilot", "pilot_since", "note", "name_hans", "name_hant"},
        expected_version=expected_version,
        validate=validate,
    )
    refresh_place_search_text(place=place)
    script.invalidate_names()
    return place


@transaction.atomic
def add_place_alias(
    *, place: Place, name: str, kind: str = PlaceAlias.Kind.COMMON, note: str = ""
) -> PlaceAlias:
    name = validate_text(name, field="name", max_length=200)
    alias, _ = PlaceAlias.objects.get_or_create(
        place=place, name=name, defaults={"kind": kind, "note": note}
    )
    refresh_place_search_text(place=place)
    script.invalidate_names()
    return alias


def _organisation_search_text(org: Organisation) -> str:
    names = [org.name, org.short_name]
    return " ".join(dict.fromkeys(script.search_key(n) for n in names if n))


@transaction.atomic
def create_organisation(
    *,
    name: str,
    kind: str,
    place: Place,
    parent: Organisation | None = None,
    short_name: str = "",
    description: str = "",
    note: str = "",
) -> Organisation:
    name = validate_text(name, field="name", max_length=200)
    if Organisation.objects.filter(place=place, name=name).exists():
        raise ValidationError(
            {"name": _("An organisation of that name already exists at that place.")}
        )
    hans, hant = script.name_pair(name)
    org = Organisation(
        name=name,
        name_hans=hans,
        name_hant=hant,
        kind=kind,
        place=place,
        parent=parent,
        short_name=short_name,
        description=description,
        note=note,
    )
    org.search_text = _organisation_search_text(org)
    org.save()
    return org


def get_or_create_organisation(*, name: str, kind: str, place: Place, **extra) -> Organisation:
    existing = Organisation.objects.filter(place=place, name=name).first()
    return existing or create_organisation(name=name, kind=kind, place=place, **extra)


PERSON_EDITABLE = {
    "name",
    "name_hans",
    "name_hant",
    "gender",
    "home_place",
    "phone",
    "email",
    "permit_number",
    "date_of_birth",
    "note",
}


def _validate_person(person: Person) -> None:
    if person.date_of_birth and not (
        dt.date(1900, 1, 1) <= person.date_of_birth <= dt.date.today()
    ):
        raise ValidationError({"date_of_birth": _("The date of birth is not a plausible date.")})
    if person.email:
        from django.core.validators import validate_email

        try:
            validate_email(person.email)
        except ValidationError as exc:
            raise ValidationError({"email": exc.messages}) from exc


def _person_search_text(person: Person) -> str:
    names = [person.name, person.name_hans, person.name_hant]
    return " ".join(dict.fromkeys(script.search_key(n) for n in names if n))


@transaction.atomic
def create_person(
    *,
    name: str,
    name_hans: str | None = None,
    name_hant: str | None = None,
    gender: str = "",
    home_place: Place | None = None,
    phone: str = "",
    email: str = "",
    permit_number: str = "",
    date_of_birth: dt.date | None = None,
    note: str = "",
) -> Person:
    """Create a person. Pass ``name_hans``/``name_hant`` when a source gives the name in both
    scripts; otherwise they are derived with the name-aware converter."""
    name = validate_text(name, field="name", max_length=200)
    hans, hant = script.name_pair(name)
    person = Person(
        name=name,
        name_hans=name_hans or hans,
        name_hant=name_hant or hant,
        gender=gender,
        home_place=home_place,
        phone=validate_text(phone, field="phone", max_length=40, required=False),
        email=email,
        permit_number=validate_text(
            permit_number, field="permit_number", max_length=40, required=False
        ),
        date_of_birth=date_of_birth,
        note=note,
    )
    _validate_person(person)
    person.search_text = _person_search_text(person)
    person.save()
    script.invalidate_names()
    return person


@transaction.atomic
def update_person(*, person: Person, expected_version: int | None = None, **fields) -> Person:
    if "name" in fields:
        fields["name"] = validate_text(fields["name"], field="name", max_length=200)
        hans, hant = script.name_pair(fields["name"])
        fields.setdefault("name_hans", hans)
        fields.setdefault("name_hant", hant)

    def validate(p: Person) -> None:
        _validate_person(p)
        p.search_text = _person_search_text(p)

    update_record(
        person,
        fields=fields,
        allowed=PERSON_EDITABLE,
        expected_version=expected_version,
        validate=validate,
    )
    script.invalidate_names()
    return person


@transaction.atomic
def add_position(
    *,
    person: Person,
    title: str,
    organisation: Organisation | None = None,
    place: Place | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    source: str = "",
    note: str = "",
) -> Position:
    title = validate_text(title, field="title", max_length=100)
    if organisation is None and place is None:
        raise ValidationError(
            {"organisation": _("A position is held in an organisation or a place.")}
        )
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end date comes before the start date.")})
    return Position.objects.create(
        person=person,
        title=title,
        organisation=organisation,
        place=place,
        start_date=start_date,
        end_date=end_date,
        source=source,
        note=note,
    )
