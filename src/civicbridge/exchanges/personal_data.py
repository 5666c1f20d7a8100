"""Personal data: who sees which field (phone, e-mail, permit number, date of birth) of whom.

The one rule for every surface (pages, API, exports, programme, rosters, calendars,
search, type-ahead): ``personal_field_visible(user, person, field, context=SURFACE)``.
A reader sees a field of a person when one of the reader's (role, relation) pairs below
grants it AND the surface carries it. Relations not listed grant nothing: in particular
being on my roster as someone else's directory entry, hosting or joining one of my
activities, or being mentioned anywhere in my exchanges.

Its home is the exchanges app because the relations read the rosters (exchanges.Member);
the roles come from accounts/rules.py. It also registers the directory's permissions on
personal data (``directory.view_personal_data``, ``directory.view_<field>``: the table
``PERMISSIONS`` at the end, registered by exchanges/rules.py).
"""

from __future__ import annotations

import rules
from django.db.models import Q

from civicbridge.accounts.rules import (
    ADMINISTRATOR,
    COMMUNITY_MEMBER,
    COORDINATOR,
    ORGANISER,
    VIEWER,
    entry_paths,
    own_entries,
    roles_of,
)
from civicbridge.directory.models import Place, Position, path_within, within
from civicbridge.exchanges.models import Member, Side

PHONE = "phone"
EMAIL = "email"
PERMIT_NUMBER = "permit_number"
DATE_OF_BIRTH = "date_of_birth"
ALL_PERSONAL = frozenset({PHONE, EMAIL, PERMIT_NUMBER, DATE_OF_BIRTH})  # Person.PERSONAL_FIELDS
CONTACT_FIELDS = frozenset({PHONE, EMAIL, PERMIT_NUMBER})
VISIT_FIELDS = frozenset({PHONE, PERMIT_NUMBER})
NO_FIELDS: frozenset[str] = frozenset()

# Relations between a reader's role and a person.
ANYONE = "anyone"
# Organiser of P: the person lives in P or below, or holds a position there (or in an
# organisation based there). Positions are made by administrators and the importer only.
OWN_ENTRY = "own_entry"
# Organiser of P: the person is on the visiting side of a delegation, in a group hosted in
# P or below (no group: the exchange hosted there), and comes from the visiting side.
VISITOR_HOSTED = "visitor_hosted"
# Coordinator of O: the person is on the visiting side of a delegation of O and comes from
# the visiting side, or holds a position in O.
OWN_DELEGATION = "own_delegation"
# Listed so that the table says so: these relations grant nothing.
ON_ROSTER_FROM_ELSEWHERE = "on_roster_from_elsewhere"
ACTIVITY_HOST = "activity_host"

# (role, relation) → the fields it grants.
PERSONAL_DATA_POLICY: dict[tuple[str, str], frozenset[str]] = {
    (ADMINISTRATOR, ANYONE): ALL_PERSONAL,
    (ORGANISER, OWN_ENTRY): ALL_PERSONAL,
    (ORGANISER, VISITOR_HOSTED): VISIT_FIELDS,
    (ORGANISER, ON_ROSTER_FROM_ELSEWHERE): NO_FIELDS,
    (ORGANISER, ACTIVITY_HOST): NO_FIELDS,
    (COORDINATOR, OWN_DELEGATION): CONTACT_FIELDS,
    (COORDINATOR, ON_ROSTER_FROM_ELSEWHERE): NO_FIELDS,
    (COORDINATOR, ACTIVITY_HOST): NO_FIELDS,
    (COMMUNITY_MEMBER, ANYONE): NO_FIELDS,
    (VIEWER, ANYONE): NO_FIELDS,
}

# Surfaces (the ``context``) and the personal fields each may carry at most.
PAGE = "page"  # the person page (default)
API = "api"  # /api/v1/people
ROSTER = "roster"  # roster exports (.xlsx/.csv)
PROGRAMME = "programme"  # programme HTML/PDF: hosts' phones, organisers' phone and e-mail
EXPORT = "export"  # the whole-database export: every person at once
CALENDAR = "calendar"  # .ics files and subscriptions (links are handed to calendar programs)
SEARCH = "search"  # site search and the people list
LOOKUP = "lookup"  # type-ahead (HTML and JSON)
SURFACE_FIELDS: dict[str, frozenset[str]] = {
    PAGE: ALL_PERSONAL,
    API: ALL_PERSONAL,
    ROSTER: ALL_PERSONAL,
    PROGRAMME: frozenset({PHONE, EMAIL}),
    EXPORT: ALL_PERSONAL,
    CALENDAR: NO_FIELDS,
    SEARCH: NO_FIELDS,
    LOOKUP: NO_FIELDS,
}


# --- relations ----------------------------------------------------------------------------


def _of_visiting_side(entries: list[str], visiting_path: str | None) -> bool:
    """A delegation member comes from the visiting side when every place the directory has
    for them lies on that side (someone recorded nowhere is nobody else's entry)."""
    return bool(visiting_path) and all(path_within(p, [visiting_path]) for p in entries)


def _visitors_hosted(pks, places: list[Place], entries: dict[int, list[str]]) -> set[int]:
    # A group without a host district is hosted where its exchange is. A delegation
    # without a visiting place has no side to come from: nobody is of it (conservative).
    hosted = within(places, field="group__host_place") | (
        (Q(group__isnull=True) | Q(group__host_place__isnull=True))
        & within(places, field="exchange__host_place")
    )
    rows = Member.objects.filter(
        hosted, person_id__in=pks, side=Side.VISITING, exchange__deleted_at__isnull=True
    ).values_list("person_id", "exchange__visiting_place__path")
    return {pk for pk, visiting in rows if _of_visiting_side(entries.get(pk, []), visiting)}


def _delegation_people(pks, org_ids: set[int], entries: dict[int, list[str]]) -> set[int]:
    rows = Member.objects.filter(
        person_id__in=pks,
        side=Side.VISITING,
        exchange__visiting_organisation_id__in=org_ids,
        exchange__deleted_at__isnull=True,
    ).values_list("person_id", "exchange__visiting_place__path")
    found = {pk for pk, visiting in rows if _of_visiting_side(entries.get(pk, []), visiting)}
    found |= set(
        Position.objects.filter(person_id__in=pks, organisation_id__in=org_ids).values_list(
            "person_id", flat=True
        )
    )
    return found


def person_in_delegations(person, org_ids: set[int]) -> bool:
    """A person is one of O's own people: on the visiting side of a delegation of O and from
    that side (see ``_of_visiting_side``), or holding a position in O."""
    if not org_ids or person is None or getattr(person, "pk", None) is None:
        return False
    return person.pk in _delegation_people([person.pk], org_ids, entry_paths([person.pk]))


def personal_relations(user, people) -> dict[int, set[tuple[str, str]]]:
    """The (role, relation) pairs between ``user`` and each of ``people`` (Persons or
    primary keys), computed in a few queries for all of them."""
    r = roles_of(user)
    pks = [getattr(p, "pk", p) for p in people]
    pks = [pk for pk in dict.fromkeys(pks) if pk is not None]
    out: dict[int, set[tuple[str, str]]] = {pk: set() for pk in pks}
    if not pks:
        return out
    if r.admin:
        for pk in pks:
            out[pk].add((ADMINISTRATOR, ANYONE))
        return out
    if r.viewer:
        for pk in pks:
            out[pk].add((VIEWER, ANYONE))
    if r.community_places:
        for pk in pks:
            out[pk].add((COMMUNITY_MEMBER, ANYONE))
    if not (r.organiser_places or r.coordinator_orgs):
        return out
    entries = entry_paths(pks)
    if r.organiser_places:
        for pk in own_entries(pks, r.organiser_places, entries):
            out[pk].add((ORGANISER, OWN_ENTRY))
        for pk in _visitors_hosted(pks, r.organiser_places, entries):
            out[pk].add((ORGANISER, VISITOR_HOSTED))
    if r.coordinator_orgs:
        for pk in _delegation_people(pks, r.coordinator_orgs, entries):
            out[pk].add((COORDINATOR, OWN_DELEGATION))
    return out


# --- the fields a reader sees ---------------------------------------------------------------


def _granted(relations) -> frozenset[str]:
    fields: frozenset[str] = NO_FIELDS
    for pair in relations:
        fields |= PERSONAL_DATA_POLICY.get(pair, NO_FIELDS)
    return fields


def _memo(user) -> dict[int, frozenset[str]]:
    return roles_of(user).__dict__.setdefault("personal_memo", {})


def prime_personal_fields(user, people) -> None:
    """Work out, in a few queries, what ``user`` may see of each of ``people`` (a roster, a
    programme's hosts), so that the per-field questions that follow cost nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    memo = _memo(user)
    todo = [p for p in people if getattr(p, "pk", p) not in memo]
    for pk, relations in personal_relations(user, todo).items():
        memo[pk] = _granted(relations)


def personal_fields(user, person, *, context: str | None = None) -> frozenset[str]:
    """The personal fields (Person.PERSONAL_FIELDS) of ``person`` that ``user`` sees on the
    surface ``context`` (PAGE when not given). ``person=None`` with ``context=EXPORT``:
    the fields of everyone (a whole-database export), i.e. administrators only."""
    surface = SURFACE_FIELDS[context or PAGE]
    if user is None or not getattr(user, "is_authenticated", False) or not surface:
        return NO_FIELDS
    if not getattr(user, "is_active", True):
        return NO_FIELDS
    if person is None:
        if context != EXPORT:
            return NO_FIELDS
        granted = (
            PERSONAL_DATA_POLICY[(ADMINISTRATOR, ANYONE)] if roles_of(user).admin else NO_FIELDS
        )
        return granted & surface
    pk = getattr(person, "pk", None)
    if pk is None:
        return NO_FIELDS
    memo = _memo(user)
    if pk not in memo:
        prime_personal_fields(user, [pk])
    return memo[pk] & surface


def personal_field_visible(user, person, field: str, *, context: str | None = None) -> bool:
    """May ``user`` see ``field`` (one of Person.PERSONAL_FIELDS) of ``person`` on the
    surface ``context``? The one rule every page, API answer, export and document asks."""
    if field not in ALL_PERSONAL:
        raise ValueError(f"{field!r} is not a personal field")
    return field in personal_fields(user, person, context=context)


def personal_fields_visible(user, person) -> bool:
    """Does ``user`` see at least one personal field of ``person`` (on its page)?"""
    return bool(personal_fields(user, person))


def export_includes_personal(user) -> bool:
    """Whether a whole-database export made for ``user`` may contain personal data: only
    for a reader who sees every personal field of everyone (``personal_fields`` on the
    export surface: administrators)."""
    return personal_fields(user, None, context=EXPORT) == ALL_PERSONAL


class PersonalView:
    """The rule bound to one reader and one surface, for documents that list many people:
    ``view = PersonalView(user, ROSTER); view.prime(people); view.value(person, "phone")``.
    ``PersonalView.everything(surface)`` is the server operator's (the command line, where
    the one running it holds the database anyway)."""

    def __init__(self, user, context: str, *, operator: bool = False):
        self.user = user
        self.context = context
        self.operator = operator
        # Set once a personal value was handed out (the caller notes it in the audit trail).
        self.disclosed = False

    @classmethod
    def everything(cls, context: str) -> PersonalView:
        return cls(None, context, operator=True)

    @classmethod
    def nothing(cls, context: str) -> PersonalView:
        return cls(None, context)

    def prime(self, people) -> PersonalView:
        if not self.operator:
            prime_personal_fields(self.user, people)
        return self

    def fields(self, person) -> frozenset[str]:
        if self.operator:
            return SURFACE_FIELDS[self.context]
        return personal_fields(self.user, person, context=self.context)

    def visible(self, person, field: str) -> bool:
        if field not in ALL_PERSONAL:
            raise ValueError(f"{field!r} is not a personal field")
        return field in self.fields(person)

    def value(self, person, field: str, default=""):
        """The field's value when visible, else ``default``."""
        if not self.visible(person, field):
            return default
        value = getattr(person, field)
        if value:
            self.disclosed = True
        return value


# --- predicates and the directory's permissions on personal data ------------------------------


@rules.predicate
def sees_personal_data(user, person):
    """At least one personal field of ``person`` (PERSONAL_DATA_POLICY, above)."""
    if person is None:
        r = roles_of(user)
        return bool(r.admin or r.organiser_places or r.coordinator_orgs)
    return personal_fields_visible(user, person)


@rules.predicate
def coordinates_person(user, person):
    orgs = roles_of(user).coordinator_orgs
    if person is None:
        return bool(orgs)
    return person_in_delegations(person, orgs)


def _sees_field(field: str):
    @rules.predicate(name=f"sees_{field}")
    def sees(user, person):
        return person is not None and personal_field_visible(user, person, field)

    return sees


# name → (object it expects, predicate); registered by exchanges/rules.py with the app's
# own table. The documents and exports ask personal_field_visible (or a PersonalView) with
# their surface.
PERMISSIONS = {
    "directory.view_personal_data": ("Person", sees_personal_data),
    "directory.view_phone": ("Person", _sees_field(PHONE)),
    "directory.view_email": ("Person", _sees_field(EMAIL)),
    "directory.view_permit_number": ("Person", _sees_field(PERMIT_NUMBER)),
    "directory.view_date_of_birth": ("Person", _sees_field(DATE_OF_BIRTH)),
}
