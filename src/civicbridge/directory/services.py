"""Writes for the directory: places, organisations, people, positions."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant
from civicbridge.core.services import (
    check_version,
    create_record,
    update_record,
    validate_date_range,
    validate_text,
    validate_text_fields,
)
from civicbridge.directory import search
from civicbridge.directory.models import (
    MAINLAND,
    SIDE_LEVELS,
    Organisation,
    OrganisationKind,
    PermitKind,
    PermitStatus,
    Person,
    PersonAlias,
    Place,
    PlaceAlias,
    PlaceKey,
    PlaceKind,
    PlaceStatus,
    Position,
    Side,
)


# Which kinds may sit below which, per side: read off the side's levels (SIDE_LEVELS),
# so a kind may sit directly below any kind of the level above. A mainland city may also
# be a top place (a municipality entered by hand as 北京市 › 海淀区, without the province
# and placeholder levels of the statistical codes).
def _allowed_parent_kinds() -> dict[str, dict[str, set]]:
    allowed: dict[str, dict[str, set]] = {}
    for side, levels in SIDE_LEVELS.items():
        per_side = allowed.setdefault(side, {})
        above: tuple = (None,)
        for level in levels:
            for kind in level:
                per_side.setdefault(kind, set()).update(above)
            above = level
    allowed[MAINLAND][PlaceKind.CITY].add(None)
    return allowed


ALLOWED_PARENT_KINDS = _allowed_parent_kinds()


def _place_search_text(place: Place, aliases: list[str] | None = None) -> str:
    names = [place.name, place.short_name, *(aliases or [])]
    return " ".join(dict.fromkeys(hans_hant.search_key(n) for n in names if n))


def refresh_place_search_text(*, place: Place) -> None:
    aliases = list(place.aliases.values_list("name", flat=True))
    place.search_text = _place_search_text(place, aliases)
    Place.objects.filter(pk=place.pk).update(search_text=place.search_text)
    search.index_places([place.pk])


def new_place(*, parent: Place | None = None, side: Side | str | None = None) -> Place:
    """The place about to be created below ``parent`` (or at the top of ``side``), unsaved:
    what ``directory.add_place`` is asked with before ``create_place``."""
    side_code = side.pk if isinstance(side, Side) else side
    return Place(parent=parent, side_id=parent.side_id if parent is not None else side_code)


@transaction.atomic
def create_place(
    *,
    name: str,
    kind: str,
    side: Side | str | None = None,
    parent: Place | None = None,
    code: str | None = None,
    short_name: str = "",
    is_pilot: bool = False,
    pilot_since: int | None = None,
    note: str = "",
) -> Place:
    """A place below ``parent`` (on the parent's side), or a top place of ``side``."""
    name = validate_text(name, field="name", max_length=200)
    side_code = side.pk if isinstance(side, Side) else (side or "")
    if parent is not None:
        if side_code and side_code != parent.side_id:
            raise ValidationError({"side": _("A place lies on the same side as its parent.")})
        side_code = parent.side_id
    if not side_code:
        raise ValidationError({"side": _("Choose the side of a top-level place.")})
    if not Side.objects.filter(pk=side_code).exists():
        raise ValidationError({"side": _("There is no side %(side)s.") % {"side": side_code}})
    if parent is not None and parent.status != PlaceStatus.CURRENT:
        raise ValidationError({"parent": _("A former place takes no new places.")})
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENT_KINDS.get(side_code, {}).get(kind, set()):
        raise ValidationError(
            {
                "parent": _("A place of kind %(kind)s cannot sit below %(parent)s.")
                % {"kind": kind, "parent": parent_kind or "—"}
            }
        )
    if pilot_since is not None and not is_pilot:
        raise ValidationError({"pilot_since": _("Only a pilot place has a pilot year.")})
    if code and Place.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("Another place already has the code %(code)s.") % {"code": code}}
        )
    if Place.objects.filter(parent=parent, name=name).exists():
        raise ValidationError({"name": _("A place of that name already exists there.")})
    hans, hant = hans_hant.name_pair(name)
    short_hans, short_hant = hans_hant.name_pair(short_name) if short_name else ("", "")
    place = Place(
        name=name,
        name_hans=hans,
        name_hant=hant,
        kind=kind,
        side_id=side_code,
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
    validate_text_fields(place)
    place.save()
    place.path = Place.path_below(parent.path if parent else None, place.pk)
    Place.objects.filter(pk=place.pk).update(path=place.path)
    search.index_places([place.pk])
    hans_hant.invalidate_names()
    return place


@transaction.atomic
def update_place(*, place: Place, expected_version: int | None = None, **fields) -> Place:
    """Correct a place: its name (Simplified and Traditional forms derived unless given), short
    name, official code, kind, parent (moving it and everything below it), pilot flags, note.
    Who may: ``directory.change_place`` on the place (and ``directory.add_place`` below a
    new parent), asked by the caller."""
    old_parent_id, old_path = place.parent_id, place.path
    if "name" in fields:
        fields["name"] = validate_text(fields["name"], field="name", max_length=200)
        hans, hant = hans_hant.name_pair(fields["name"])
        fields.setdefault("name_hans", hans)
        fields.setdefault("name_hant", hant)
    if "code" in fields:
        fields["code"] = (fields["code"] or "").strip() or None

    def validate(p: Place) -> None:
        if "short_name" in fields:
            p.short_name_hans, p.short_name_hant = (
                hans_hant.name_pair(p.short_name) if p.short_name else ("", "")
            )
        if p.pilot_since is not None and not p.is_pilot:
            raise ValidationError({"pilot_since": _("Only a pilot place has a pilot year.")})
        if (
            "code" in fields
            and p.code
            and Place.objects.filter(code=p.code).exclude(pk=p.pk).exists()
        ):
            raise ValidationError(
                {"code": _("Another place already has the code %(code)s.") % {"code": p.code}}
            )
        if "parent" in fields and p.parent_id != old_parent_id:
            _check_move(p, p.parent)
        if {"kind", "parent"} & set(fields):
            _check_kind(p.kind, p.side_id, p.parent)
        if (
            {"name", "parent"} & set(fields)
            and p.status == PlaceStatus.CURRENT
            and (
                Place.objects.current()
                .filter(parent_id=p.parent_id, name=p.name)
                .exclude(pk=p.pk)
                .exists()
            )
        ):
            raise ValidationError({"name": _("A place of that name already exists there.")})

    update_record(
        place,
        fields=fields,
        allowed={
            "name",
            "name_hans",
            "name_hant",
            "short_name",
            "code",
            "kind",
            "parent",
            "is_pilot",
            "pilot_since",
            "note",
        },
        expected_version=expected_version,
        validate=validate,
    )
    if place.parent_id != old_parent_id:
        _rewrite_paths(
            old_path, Place.path_below(place.parent.path if place.parent else None, place.pk)
        )
        place.path = Place.path_below(place.parent.path if place.parent else None, place.pk)
    refresh_place_search_text(place=place)
    hans_hant.invalidate_names()
    return place


@transaction.atomic
def add_place_alias(
    *, place: Place, name: str, kind: str = PlaceAlias.Kind.COMMON, note: str = ""
) -> PlaceAlias:
    name = validate_text(name, field="name", max_length=200)
    note = validate_text(note, field="note", max_length=None, required=False, multiline=True)
    alias, _ = PlaceAlias.objects.get_or_create(
        place=place, name=name, defaults={"kind": kind, "note": note}
    )
    refresh_place_search_text(place=place)
    hans_hant.invalidate_names()
    return alias


@transaction.atomic
def remove_place_alias(*, alias: PlaceAlias) -> None:
    """Remove another spelling of a place (the official name stays)."""
    place = alias.place
    alias.delete()
    refresh_place_search_text(place=place)
    hans_hant.invalidate_names()


# --- corrections at scale: moving, merging, retiring ------------------------------------------


def _check_kind(kind: str, side: str, parent: Place | None) -> None:
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENT_KINDS.get(side, {}).get(kind, set()):
        raise ValidationError(
            {
                "parent": _("A place of kind %(kind)s cannot sit below %(parent)s.")
                % {"kind": kind, "parent": parent_kind or "—"}
            }
        )


def _check_move(place: Place, parent: Place | None) -> None:
    if parent is None:
        return
    if parent.side_id != place.side_id:
        raise ValidationError({"parent": _("A place lies on the same side as its parent.")})
    if parent.pk == place.pk or parent.is_within(place):
        raise ValidationError({"parent": _("A place cannot move below itself.")})
    if parent.status != PlaceStatus.CURRENT:
        raise ValidationError({"parent": _("A former place takes no new places.")})


def _rewrite_paths(old_prefix: str, new_prefix: str) -> int:
    """Give the subtree at ``old_prefix`` its new place in the tree (one UPDATE)."""
    return Place.objects.rewrite_paths(old_prefix, new_prefix)


def place_references() -> list[tuple[type, object]]:
    """Every foreign key to a place, in every app (the tree's own links and the search
    index excepted): (model, field). What a merge moves to the surviving place."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model in (Place, PlaceKey):
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.many_to_one and f.related_model is Place:
                found.append((model, f))
    return found


def _level(place: Place) -> int:
    return len(Place.path_ids(place.path)) - 1


@transaction.atomic
def merge_place(
    *, place: Place, into: Place, expected_version: int | None = None, note: str = ""
) -> Place:
    """Merge ``place`` (a duplicate) into ``into``: its aliases, the places below it and every
    record that names it (positions, people's home places, exchanges, groups, activities,
    appointments, pairings, roles …) move to ``into``; its name (and short name) become
    aliases of ``into``. ``place`` is kept, status merged, pointing at ``into``, so that its
    code stays known. Each moved record is saved (and so audited) one by one. Who may:
    ``directory.merge_place`` on both, asked by the caller."""
    check_version(place, expected_version)
    into = Place.objects.get(pk=into.pk)
    if into.pk == place.pk:
        raise ValidationError({"into": _("A place cannot be merged into itself.")})
    if place.status not in (PlaceStatus.CURRENT, PlaceStatus.RETIRED):
        raise ValidationError({"place": _("This place was merged already.")})
    if into.status != PlaceStatus.CURRENT:
        raise ValidationError({"into": _("Merge into a current place.")})
    if into.side_id != place.side_id or _level(into) != _level(place):
        raise ValidationError(
            {"into": _("The two places must lie on the same side and at the same level.")}
        )
    note = validate_text(note, field="note", max_length=1000, required=False, multiline=True)
    # The names of the merged place become spellings of the one that stays.
    spellings = [place.name, place.short_name, *place.aliases.values_list("name", flat=True)]
    for name in dict.fromkeys(n for n in spellings if n and n not in (into.name, into.short_name)):
        PlaceAlias.objects.get_or_create(
            place=into,
            name=name,
            defaults={
                "kind": PlaceAlias.Kind.COMMON,
                "note": _("from the merged place #%(id)s") % {"id": place.pk},
            },
        )
    place.aliases.all().delete()
    # The places below it.
    moved = []
    for child in Place.objects.filter(parent=place).order_by("pk"):
        if (
            child.status == PlaceStatus.CURRENT
            and Place.objects.current().filter(parent=into, name=child.name).exists()
        ):
            raise ValidationError(
                {
                    "into": _(
                        "Both places have a place called %(name)s below them: merge those first."
                    )
                    % {"name": child.name}
                }
            )
        old_path = child.path
        child.parent = into
        child.save(update_fields=["parent", "updated_at"])
        _rewrite_paths(old_path, Place.path_below(into.path, child.pk))
        moved.append(child.pk)
    # Every record that names it.
    for model, f in place_references():
        for obj in model._base_manager.filter(**{f.attname: place.pk}).order_by("pk"):
            setattr(obj, f.attname, into.pk)
            try:
                with transaction.atomic():
                    obj.save(update_fields=[f.name])
            except IntegrityError as exc:
                raise ValidationError(
                    {
                        "into": _(
                            "%(record)s “%(obj)s” would then exist twice at %(place)s: "
                            "correct one of them first."
                        )
                        % {"record": model._meta.verbose_name, "obj": obj, "place": into.name}
                    }
                ) from exc
    update_record(
        place,
        fields={
            "status": PlaceStatus.MERGED,
            "merged_into": into,
            "note": "\n".join(n for n in (place.note, note) if n),
        },
        allowed={"status", "merged_into", "note"},
    )
    refresh_place_search_text(place=into)
    search.index_places([place.pk, into.pk, *moved])
    hans_hant.invalidate_names()
    return into


@transaction.atomic
def retire_place(*, place: Place, expected_version: int | None = None, note: str = "") -> Place:
    """Retire a place entered by mistake: it stays for the records that name it but is never
    offered for new ones. A place with current places below it cannot be retired (move or
    retire those first). Who may: ``directory.retire_place``, asked by the caller."""
    if place.status != PlaceStatus.CURRENT:
        raise ValidationError({"status": _("Only a current place can be retired.")})
    if Place.objects.current().filter(parent=place).exists():
        raise ValidationError(
            {"status": _("Places below this one are current: move or retire them first.")}
        )
    note = validate_text(note, field="note", max_length=1000, required=False, multiline=True)
    update_record(
        place,
        fields={
            "status": PlaceStatus.RETIRED,
            "note": "\n".join(n for n in (place.note, note) if n),
        },
        allowed={"status", "note"},
        expected_version=expected_version,
    )
    search.index_places([place.pk])
    hans_hant.invalidate_names()
    return place


def _organisation_search_text(org: Organisation) -> str:
    names = [org.name, org.short_name]
    return " ".join(dict.fromkeys(hans_hant.search_key(n) for n in names if n))


# --- who may (``actor``) ----------------------------------------------------------------
# Pages and the API pass the acting user as ``actor=``; the services ask the rules
# (accounts/rules.py: directory.add_organisation, change_organisation, add_position,
# change_position) by name. ``actor=None``: a command, the importer or the demo.


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


ORGANISATION_EDITABLE = {
    "name",
    "name_hans",
    "name_hant",
    "kind",
    "place",
    "parent",
    "short_name",
    "description",
    "note",
}


def _validate_organisation(org: Organisation) -> None:
    if org.kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("Choose a kind of organisation.")})
    if org.place_id is None:
        raise ValidationError({"place": _("An organisation is based at a place.")})
    if org.place.status != PlaceStatus.CURRENT:
        raise ValidationError({"place": _("Choose a current place.")})
    if org.parent_id is not None:
        parent, seen = org.parent, {org.pk}
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            seen.add(parent.pk)
            parent = parent.parent
    for field, limit in (("short_name", 100), ("description", 5000), ("note", 5000)):
        setattr(
            org,
            field,
            validate_text(
                getattr(org, field) or "",
                field=field,
                max_length=limit,
                required=False,
                multiline=field != "short_name",
            ),
        )
    if (
        Organisation.objects.filter(place_id=org.place_id, name=org.name)
        .exclude(pk=org.pk)
        .exists()
    ):
        raise ValidationError(
            {"name": _("An organisation of that name already exists at that place.")}
        )
    org.search_text = _organisation_search_text(org)


def new_organisation(*, place: Place | None = None, kind: str = "") -> Organisation:
    """The organisation about to be created, unsaved: what ``directory.add_organisation``
    is asked with before ``create_organisation``."""
    return Organisation(place=place, kind=kind)


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
    actor=None,
) -> Organisation:
    """An organisation (an association, a troupe, a care centre, an office, a venue) based
    at ``place``. Who may: ``directory.add_organisation`` on the unsaved organisation."""
    name = validate_text(name, field="name", max_length=200)
    _require(actor, "directory.add_organisation", new_organisation(place=place, kind=kind))
    hans, hant = hans_hant.name_pair(name)
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
    _validate_organisation(org)
    validate_text_fields(org)
    org.save()
    hans_hant.invalidate_names()
    return org


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, expected_version: int | None = None, actor=None, **fields
) -> Organisation:
    """Correct an organisation. Who may: ``directory.change_organisation`` on it, and (when
    it moves, or becomes a venue) ``directory.add_organisation`` for what it becomes."""
    _require(actor, "directory.change_organisation", organisation)
    if "name" in fields:
        fields["name"] = validate_text(fields["name"], field="name", max_length=200)
        hans, hant = hans_hant.name_pair(fields["name"])
        fields.setdefault("name_hans", hans)
        fields.setdefault("name_hant", hant)
    place = fields.get("place", organisation.place)
    kind = fields.get("kind", organisation.kind)
    if place != organisation.place or kind != organisation.kind:
        _require(actor, "directory.add_organisation", new_organisation(place=place, kind=kind))

    update_record(
        organisation,
        fields=fields,
        allowed=ORGANISATION_EDITABLE,
        expected_version=expected_version,
        validate=_validate_organisation,
    )
    hans_hant.invalidate_names()
    return organisation


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
    "permit_expires_on",
    "permit_kind",
    "permit_status",
    "date_of_birth",
    "note",
}


def _validate_person(person: Person) -> None:
    if person.permit_kind not in PermitKind.values:
        raise ValidationError({"permit_kind": _("Unknown permit kind.")})
    if person.permit_status not in PermitStatus.values:
        raise ValidationError({"permit_status": _("Unknown permit status.")})
    if person.date_of_birth and not (
        dt.date(1900, 1, 1) <= person.date_of_birth <= dt.date.today()
    ):
        raise ValidationError({"date_of_birth": _("The date of birth is not a plausible date.")})
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError as exc:
            raise ValidationError({"email": exc.messages}) from exc


def _person_search_text(person: Person) -> str:
    names = [person.name, person.name_hans, person.name_hant]
    if person.pk is not None:  # and the other spellings (PersonAlias)
        names += PersonAlias.objects.filter(person_id=person.pk).values_list("name", flat=True)
    return " ".join(dict.fromkeys(hans_hant.search_key(n) for n in names if n))


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
    permit_expires_on: dt.date | None = None,
    permit_kind: str = "",
    permit_status: str = "",
    date_of_birth: dt.date | None = None,
    note: str = "",
) -> Person:
    """Create a person. Pass ``name_hans``/``name_hant`` when a source gives the name in both
    scripts; otherwise they are derived with the name-aware converter."""
    name = validate_text(name, field="name", max_length=200)
    hans, hant = hans_hant.name_pair(name)
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
        permit_expires_on=permit_expires_on,
        permit_kind=permit_kind,
        permit_status=permit_status,
        date_of_birth=date_of_birth,
        note=note,
    )
    _validate_person(person)
    person.search_text = _person_search_text(person)
    validate_text_fields(person)
    person.save()
    search.index_people([person.pk])
    hans_hant.invalidate_names()
    return person


def _check_home_place(by, person: Person, home_place: Place | None) -> None:
    if home_place is not None and home_place.pk == person.home_place_id:
        return
    if home_place is None and person.home_place_id is None:
        return
    if not by.has_perm("directory.place_person_in", home_place):
        if home_place is None:
            raise ValidationError(
                {"home_place": _("Only an administrator may take a person out of every place.")}
            )
        raise ValidationError(
            {"home_place": _("You may move a person only to a place you are responsible for.")}
        )


@transaction.atomic
def update_person(
    *, person: Person, expected_version: int | None = None, by=None, **fields
) -> Person:
    """Change a person's directory record. With ``by`` (the user making the change), a new
    home place must lie within that user's scope (``directory.place_person_in``): an editor
    may not hand a person to another district, nor take one out of every district."""
    if by is not None and "home_place" in fields:
        _check_home_place(by, person, fields["home_place"])
    if "name" in fields:
        fields["name"] = validate_text(fields["name"], field="name", max_length=200)
        hans, hant = hans_hant.name_pair(fields["name"])
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
    search.index_people([person.pk])
    hans_hant.invalidate_names()
    return person


POSITION_EDITABLE = {"title", "organisation", "place", "start_date", "end_date", "source", "note"}


def _validate_position(position: Position) -> None:
    position.title = validate_text(position.title, field="title", max_length=100)
    position.source = validate_text(
        position.source or "", field="source", max_length=200, required=False
    )
    position.note = validate_text(
        position.note or "", field="note", max_length=5000, required=False, multiline=True
    )
    if position.organisation_id is None and position.place_id is None:
        raise ValidationError(
            {"organisation": _("A position is held in an organisation or a place.")}
        )
    for field in ("start_date", "end_date"):
        try:
            validate_date_range(getattr(position, field))
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from exc
    if position.start_date and position.end_date and position.end_date < position.start_date:
        raise ValidationError({"end_date": _("The end date comes before the start date.")})


@transaction.atomic
def create_position(
    *,
    person: Person,
    title: str,
    organisation: Organisation | None = None,
    place: Place | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    source: str = "",
    note: str = "",
    actor=None,
) -> Position:
    """A title ``person`` holds in ``organisation`` or at ``place``. Who may:
    ``directory.add_position`` on the unsaved position."""
    position = Position(
        person=person,
        title=title,
        organisation=organisation,
        place=place,
        start_date=start_date,
        end_date=end_date,
        source=source,
        note=note,
    )
    _validate_position(position)
    _require(actor, "directory.add_position", position)
    return create_record(
        Position,
        person=person,
        title=position.title,
        organisation=organisation,
        place=place,
        start_date=start_date,
        end_date=end_date,
        source=position.source,
        note=position.note,
    )


# The importer's and the demo's name for it.
add_position = create_position


@transaction.atomic
def update_position(
    *, position: Position, expected_version: int | None = None, actor=None, **fields
) -> Position:
    """Correct a position (its title, where, dates, source, note). Who may:
    ``directory.change_position`` on it as it was and as it becomes."""
    _require(actor, "directory.change_position", position)

    def validate(p: Position) -> None:
        _validate_position(p)
        if {"organisation", "place"} & set(fields):
            _require(actor, "directory.change_position", p)

    update_record(
        position,
        fields=fields,
        allowed=POSITION_EDITABLE,
        expected_version=expected_version,
        validate=validate,
    )
    return position


def end_position(
    *, position: Position, end_date: dt.date, expected_version: int | None = None, actor=None
) -> Position:
    """The person no longer holds the position after ``end_date``."""
    return update_position(
        position=position, expected_version=expected_version, actor=actor, end_date=end_date
    )


# --- other spellings of a person's name ---------------------------------------------------------


def _refresh_person_search(person: Person) -> None:
    person.search_text = _person_search_text(person)
    Person._base_manager.filter(pk=person.pk).update(search_text=person.search_text)
    search.index_people([person.pk])
    hans_hant.invalidate_names()


@transaction.atomic
def add_person_alias(*, person: Person, name: str, note: str = "", actor=None) -> PersonAlias:
    """Another spelling of a person's name as reports write it (王红薇 for 王鸿薇): person
    search and the li-chief register then find the person by it too. ``actor`` must be
    allowed to change the person (``directory.change_person``)."""
    _require(actor, "directory.change_person", person)
    name = validate_text(name, field="name", max_length=200)
    note = validate_text(note, field="note", max_length=5000, required=False, multiline=True)
    if name in {person.name, person.name_hans, person.name_hant}:
        raise ValidationError({"name": _("This is the person's own name.")})
    if PersonAlias.objects.filter(person=person, name=name).exists():
        raise ValidationError({"name": _("This spelling is already recorded.")})
    alias = create_record(PersonAlias, person=person, name=name, note=note)
    _refresh_person_search(person)
    return alias


@transaction.atomic
def remove_person_alias(*, alias: PersonAlias, actor=None) -> None:
    """Remove another spelling of a person's name (the name itself stays)."""
    person = alias.person
    _require(actor, "directory.change_person", person)
    alias.delete()
    _refresh_person_search(person)
