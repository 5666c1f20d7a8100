"""Who may do what — the one place where roles become permissions.

Other apps never import this module: they ask by name, e.g.
``request.user.has_perm("exchanges.change_exchange", exchange)`` (django-rules answers
through ``rules.permissions.ObjectPermissionBackend``). ``PERMISSIONS`` below is the table
of names, what object each expects, and who holds it.

Roles (accounts.RoleAssignment):
- administrator: everything (so is a Django superuser).
- organiser of place P: changes exchanges hosted in P or below (the exchange's host place,
  or any of its groups' host places, lies within P), activities whose groups are hosted in
  P or below (an activity without groups: its exchange), and the directory entries below P
  (people living or holding a position there; never people merely on a roster there).
- coordinator of organisation O: the roster of O's own delegations (exchanges whose visiting
  organisation is O).
Who sees which personal field (phone, e-mail, permit number, date of birth) of whom is the
table PERSONAL_DATA_POLICY at the end of this module, asked through personal_field_visible.
- community member of place P: the pages and channels of the pairings of P (or below).
- viewer: reads everything except personal data.
Every role reads the non-personal record (exchanges, places, forums, pairings); a community
member reads only its own pairings (and their commitments). A signed-in user without any role
reads nothing. The export of the whole database is for administrators only.

Called without an object (``user.has_perm("exchanges.change_exchange")``), a permission
answers "may this user do it to some record?" — for showing buttons and for the admin.
"""

from __future__ import annotations

import contextlib

import rules

ADMINISTRATOR = "administrator"
ORGANISER = "organiser"
COORDINATOR = "coordinator"
COMMUNITY_MEMBER = "community_member"
VIEWER = "viewer"


class Roles:
    """A user's roles, read once per user object (one query)."""

    def __init__(self, user):
        self.admin = False
        self.viewer = False
        self.organiser_paths: list[str] = []
        self.community_paths: list[str] = []
        self.coordinator_orgs: set[int] = set()
        if user is None or not user.is_authenticated or not user.is_active:
            return
        if user.is_superuser:
            self.admin = True
        from civicbridge.accounts.models import RoleAssignment

        for role, path, org_id in RoleAssignment.objects.filter(user=user).values_list(
            "role", "place__path", "organisation_id"
        ):
            if role == ADMINISTRATOR:
                self.admin = True
            elif role == VIEWER:
                self.viewer = True
            elif role == ORGANISER and path:
                self.organiser_paths.append(path)
            elif role == COMMUNITY_MEMBER and path:
                self.community_paths.append(path)
            elif role == COORDINATOR and org_id:
                self.coordinator_orgs.add(org_id)

    @property
    def reader(self) -> bool:
        return bool(
            self.admin
            or self.viewer
            or self.organiser_paths
            or self.coordinator_orgs
            or self.community_paths
        )


def roles_of(user) -> Roles:
    cached = getattr(user, "_civicbridge_roles", None)
    if cached is None:
        cached = Roles(user)
        if user is not None:
            with contextlib.suppress(AttributeError):
                user._civicbridge_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles (after assigning a role to a loaded user object)."""
    if hasattr(user, "_civicbridge_roles"):
        del user._civicbridge_roles


def _within(path: str | None, paths: list[str]) -> bool:
    return bool(path) and any(path.startswith(p) for p in paths)


# --- scope helpers (plain functions: also used by the API to filter lists) -------------


def exchange_host_paths(exchange) -> list[str]:
    paths = [exchange.host_place.path] if exchange.host_place_id else []
    paths += [g.host_place.path for g in exchange.groups.select_related("host_place")]
    return paths


def exchange_in_places(exchange, paths: list[str]) -> bool:
    return bool(paths) and any(_within(p, paths) for p in exchange_host_paths(exchange))


def activity_in_places(activity, paths: list[str]) -> bool:
    if not paths:
        return False
    group_paths = [g.host_place.path for g in activity.groups.select_related("host_place")]
    if group_paths:
        return any(_within(p, paths) for p in group_paths)
    return exchange_in_places(activity.exchange, paths)


def person_in_places(person, paths: list[str]) -> bool:
    """A person is a directory entry below P when they live there or hold a position there
    (or in an organisation based there). Being on a roster or hosting an activity there does
    not make them one (see the personal-data policy below)."""
    if not paths or person is None or getattr(person, "pk", None) is None:
        return False
    return person.pk in _own_entries([person.pk], paths, _entries([person.pk]))


def person_in_delegations(person, org_ids: set[int]) -> bool:
    """A person is one of O's own people: on the visiting side of a delegation of O and from
    that side (see ``_of_visiting_side``), or holding a position in O."""
    if not org_ids or person is None or getattr(person, "pk", None) is None:
        return False
    return person.pk in _delegation_people([person.pk], org_ids, _entries([person.pk]))


def _exchange_of(obj):
    """The exchange of an exchange, group, member or activity."""
    from civicbridge.exchanges.models import Exchange

    return obj if isinstance(obj, Exchange) else getattr(obj, "exchange", None)


# --- predicates -----------------------------------------------------------------------


@rules.predicate
def is_administrator(user):
    return roles_of(user).admin


@rules.predicate
def is_reader(user):
    return roles_of(user).reader


@rules.predicate
def is_organiser(user):
    return bool(roles_of(user).organiser_paths)


@rules.predicate
def is_coordinator(user):
    return bool(roles_of(user).coordinator_orgs)


@rules.predicate
def is_signed_in(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def organises_exchange(user, obj):
    """obj: an Exchange, Group, Member or Activity (None: any exchange)."""
    paths = roles_of(user).organiser_paths
    if obj is None:
        return bool(paths)
    exchange = _exchange_of(obj)
    return exchange is not None and exchange_in_places(exchange, paths)


@rules.predicate
def organises_group(user, group):
    paths = roles_of(user).organiser_paths
    if group is None:
        return bool(paths)
    return _within(group.host_place.path, paths) or (_within(group.exchange.host_place.path, paths))


@rules.predicate
def organises_activity(user, activity):
    paths = roles_of(user).organiser_paths
    if activity is None:
        return bool(paths)
    return activity_in_places(activity, paths)


@rules.predicate
def coordinates_delegation(user, obj):
    """obj: an Exchange, Group, Member (None: any delegation)."""
    orgs = roles_of(user).coordinator_orgs
    if obj is None:
        return bool(orgs)
    exchange = _exchange_of(obj)
    return exchange is not None and exchange.visiting_organisation_id in orgs


@rules.predicate
def organises_person(user, person):
    """The person is a directory entry of the organiser's places (never by a roster)."""
    paths = roles_of(user).organiser_paths
    if person is None:
        return bool(paths)
    return person_in_places(person, paths)


@rules.predicate
def coordinates_person(user, person):
    orgs = roles_of(user).coordinator_orgs
    if person is None:
        return bool(orgs)
    return person_in_delegations(person, orgs)


@rules.predicate
def sees_personal_data(user, person):
    """At least one personal field of ``person`` (PERSONAL_DATA_POLICY, below)."""
    if person is None:
        r = roles_of(user)
        return bool(r.admin or r.organiser_paths or r.coordinator_orgs)
    return personal_fields_visible(user, person)


@rules.predicate
def organises_home_place(user, place):
    """A home place the user may give a person: one within their places (never none)."""
    return place is not None and organises_place(user, place)


def _sees_field(field: str):
    @rules.predicate(name=f"sees_{field}")
    def sees(user, person):
        return person is not None and personal_field_visible(user, person, field)

    return sees


@rules.predicate
def organises_place(user, place):
    """obj: a Place, or anything with a ``place`` (an organisation)."""
    paths = roles_of(user).organiser_paths
    if place is None:
        return bool(paths)
    place = getattr(place, "place", None) if not hasattr(place, "path") else place
    return place is not None and _within(place.path, paths)


# --- places: who adds and corrects them ----------------------------------------------------

# The county level of each side, as an index into directory.models.SIDE_LEVELS: on the
# mainland province › city › county/district, in Taiwan the county/city itself. Places at
# that level and above are added and corrected by administrators only; below it (streets,
# towns, communities, villages; Taiwan's townships/districts and li) organisers add and
# correct those of their own places.
COUNTY_LEVEL = {"mainland": 2, "taiwan": 0}


def place_level(place) -> int:
    """How deep ``place`` lies in its side's tree (0: a province, a Taiwan county/city),
    read off its path; for an unsaved place (one about to be created), off its parent's."""
    from civicbridge.directory.models import Place

    if place.pk is None or not place.path:
        parent = place.parent if place.parent_id else None
        return len(Place.path_ids(parent.path)) if parent is not None else 0
    return len(Place.path_ids(place.path)) - 1


def below_county_level(place) -> bool:
    side = place.parent.side_id if place.parent_id and not place.side_id else place.side_id
    return place_level(place) > COUNTY_LEVEL.get(side, 0)


def _scope_path(place) -> str | None:
    """The path that must lie within the organiser's places: the place's own, or for an
    unsaved place its parent's (None for a new top-level place: nobody's scope)."""
    if place.pk is not None and place.path:
        return place.path
    return place.parent.path if place.parent_id else None


@rules.predicate
def organises_sub_unit(user, place):
    """``place`` (saved, or unsaved with its parent: the place about to be created) lies
    below the county level, within one of the organiser's places. None: the organiser has
    places (for showing buttons)."""
    paths = roles_of(user).organiser_paths
    if place is None:
        return bool(paths)
    return bool(paths) and _within(_scope_path(place), paths) and below_county_level(place)


def _pairing_places(pairing):
    return [pairing.place_a, pairing.place_b]


@rules.predicate
def member_of_pairing(user, pairing):
    paths = roles_of(user).community_paths
    if pairing is None:
        return bool(paths)
    return any(_within(p.path, paths) for p in _pairing_places(pairing))


@rules.predicate
def organises_pairing(user, obj):
    """obj: a Pairing, an Appointment (its community) or a Commitment."""
    paths = roles_of(user).organiser_paths
    if obj is None:
        return bool(paths)
    from civicbridge.pairings.models import Appointment, Commitment, Pairing

    if isinstance(obj, Pairing):
        return any(_within(p.path, paths) for p in _pairing_places(obj))
    if isinstance(obj, Appointment):
        return _within(obj.community.path, paths) or (
            obj.exchange_id is not None and exchange_in_places(obj.exchange, paths)
        )
    if isinstance(obj, Commitment):
        if obj.pairing_id and any(_within(p.path, paths) for p in _pairing_places(obj.pairing)):
            return True
        return obj.exchange_id is not None and exchange_in_places(obj.exchange, paths)
    return False


@rules.predicate
def reads_all_pairings(user):
    r = roles_of(user)
    return bool(r.admin or r.viewer or r.organiser_paths or r.coordinator_orgs)


@rules.predicate
def reads_pairing(user, pairing):
    return reads_all_pairings(user) or member_of_pairing(user, pairing)


@rules.predicate
def reads_commitment(user, commitment):
    """A commitment of a pairing is read by those who read that pairing; any other
    commitment (of an exchange) by every reader."""
    if commitment is None or getattr(commitment, "pairing_id", None) is None:
        return is_reader(user)
    return reads_pairing(user, commitment.pairing)


@rules.predicate
def organises_commitment(user, commitment):
    """May record (or change) ``commitment``: it may be unsaved (the one about to be
    recorded). Of a pairing: its organisers; of an exchange: the exchange's organisers;
    of neither: nobody but administrators."""
    if commitment is None:
        return bool(roles_of(user).organiser_paths)
    return organises_pairing(user, commitment)


def person_belongs_to(person, place) -> bool:
    """``person`` lives in ``place`` (or below) or holds a position there today (in the
    place or one of its organisations)."""
    if person is None or place is None or not place.path:
        return False
    if person.home_place_id and _within(person.home_place.path, [place.path]):
        return True
    import datetime as dt

    from django.db.models import Q

    from civicbridge.directory.models import Position

    return (
        Position.objects.on(dt.date.today())
        .filter(person=person)
        .filter(
            Q(place__path__startswith=place.path)
            | Q(organisation__place__path__startswith=place.path)
        )
        .exists()
    )


@rules.predicate
def speaks_for_place(user, place):
    """``place`` is the user's own side: it lies within one of the places they act for (as
    community member or organiser), or their person (accounts.PersonLink) belongs there.
    Administrators and viewers have no side of their own."""
    r = roles_of(user)
    if place is None:
        return bool(r.community_paths or r.organiser_paths)
    if not r.reader:
        return False
    if _within(place.path, r.community_paths + r.organiser_paths):
        return True
    memo = r.__dict__.setdefault("side_memo", {})
    if place.pk not in memo:
        from civicbridge.accounts.services import person_of

        memo[place.pk] = person_belongs_to(person_of(user), place)
    return memo[place.pk]


@rules.predicate
def organises_forum(user, forum):
    if forum is None:
        return bool(roles_of(user).organiser_paths)
    return organises_activity(user, forum.activity)


# --- the table ------------------------------------------------------------------------

# name → (object it expects, predicate). Keep docs/permissions in step with this table.
PERMISSIONS = {
    # exchanges
    "exchanges.view_exchange": ("Exchange (or None)", is_reader),
    "exchanges.add_exchange": ("None", is_administrator | is_organiser),
    # Hosting at a place: creating an exchange hosted there, moving an exchange's host
    # place there, adding (or moving) a group hosted there. Checked by the services.
    "exchanges.host_in_place": ("Place (the host place)", is_administrator | organises_place),
    "exchanges.change_exchange": ("Exchange", is_administrator | organises_exchange),
    "exchanges.delete_exchange": ("Exchange", is_administrator | organises_exchange),
    # A group: scoped by its host district (or the exchange's host place).
    "exchanges.change_group": ("Group", is_administrator | organises_group),
    # The roster: organisers of the exchange, and the visiting organisation's coordinator.
    "exchanges.change_member": (
        "Member or Exchange",
        is_administrator | organises_exchange | coordinates_delegation,
    ),
    "exchanges.add_activity": ("Exchange", is_administrator | organises_exchange),
    "exchanges.change_activity": ("Activity", is_administrator | organises_activity),
    "exchanges.delete_activity": ("Activity", is_administrator | organises_activity),
    # forums (scoped by their activity)
    "forums.view_forum": ("Forum (or None)", is_reader),
    "forums.change_forum": ("Forum", is_administrator | organises_forum),
    # directory
    "directory.view_place": ("Place (or None)", is_reader),
    # Places: administrators at county level and above (and every top-level place);
    # organisers for the sub-units of their own places. ``add_place`` is asked with the
    # unsaved place about to be created (its ``parent`` and ``side`` set).
    "directory.add_place": (
        "unsaved Place (with its parent)",
        is_administrator | organises_sub_unit,
    ),
    # Correcting, adding or removing aliases.
    "directory.change_place": ("Place", is_administrator | organises_sub_unit),
    # Merging a place into another (asked for both) and retiring a mistaken one.
    "directory.merge_place": ("Place (either of the two)", is_administrator | organises_sub_unit),
    "directory.retire_place": ("Place", is_administrator | organises_sub_unit),
    # An organisation (a venue, an office) at a place.
    "directory.add_organisation": ("Place", is_administrator | organises_place),
    "directory.change_organisation": ("Organisation", is_administrator | organises_place),
    "directory.view_person": ("Person (or None)", is_reader),
    "directory.add_person": ("None", is_administrator | is_organiser | is_coordinator),
    # Personal data: some field / one field of a Person (PERSONAL_DATA_POLICY below; the
    # documents and exports ask personal_field_visible with their surface).
    "directory.view_personal_data": ("Person", sees_personal_data),
    "directory.view_phone": ("Person", _sees_field("phone")),
    "directory.view_email": ("Person", _sees_field("email")),
    "directory.view_permit_number": ("Person", _sees_field("permit_number")),
    "directory.view_date_of_birth": ("Person", _sees_field("date_of_birth")),
    # A directory record: its own district's organisers, never a roster relation. Moving
    # its home place is checked again by the service (directory.place_person_in).
    "directory.change_person": ("Person", is_administrator | organises_person),
    "directory.place_person_in": (
        "Place (a home place; None: no place at all)",
        is_administrator | organises_home_place,
    ),
    "directory.delete_person": ("Person", is_administrator | organises_person),
    # pairings
    "pairings.view_pairing": ("Pairing (or None)", reads_pairing),
    # Every pairing (not only those of one's own place): the lists' filter.
    "pairings.view_all_pairings": ("None", reads_all_pairings),
    "pairings.add_pairing": ("one of its Places", is_administrator | organises_place),
    "pairings.change_pairing": ("Pairing", is_administrator | organises_pairing),
    "pairings.post_message": (
        "Pairing",
        is_administrator | member_of_pairing | organises_pairing,
    ),
    # Writing "for" one side of a pairing: only for one's own (never for the other side).
    "pairings.speak_for_place": ("Place (one side of a pairing)", speaks_for_place),
    "pairings.view_appointment": ("Appointment (or None)", is_reader),
    "pairings.add_appointment": ("appointing community Place", is_administrator | organises_place),
    "pairings.change_appointment": ("Appointment", is_administrator | organises_pairing),
    "pairings.delete_appointment": ("Appointment", is_administrator | organises_pairing),
    # A commitment of a pairing follows the pairing's read rule (pairings.view_pairing).
    "pairings.view_commitment": ("Commitment (or None)", reads_commitment),
    # The commitment about to be recorded (unsaved, with its pairing and exchange set).
    "pairings.add_commitment": ("unsaved Commitment", is_administrator | organises_commitment),
    "pairings.change_commitment": ("Commitment", is_administrator | organises_pairing),
    # accounts
    # The whole database (every message body, every pairing): administrators only.
    "accounts.export_data": ("None", is_administrator),
    "accounts.export_personal_data": ("None", is_administrator),
    "accounts.manage_tokens": ("None", is_reader),
    "accounts.view_audit": ("None or a record", is_administrator),
    "accounts.restore": ("a soft-deleted record", is_administrator),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)


# --- personal data: who sees which field ----------------------------------------------
#
# The one rule for every surface (pages, API, exports, programme, rosters, calendars,
# search, type-ahead): ``personal_field_visible(user, person, field, context=SURFACE)``.
# A reader sees a field of a person when one of the reader's (role, relation) pairs below
# grants it AND the surface carries it. Relations not listed grant nothing: in particular
# being on my roster as someone else's directory entry, hosting or joining one of my
# activities, or being mentioned anywhere in my exchanges.

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


def _entries(pks) -> dict[int, list[str]]:
    """Where each person is in the directory: their home place's path, or (without one) the
    paths of the places of their positions (a position's place or its organisation's)."""
    from civicbridge.directory.models import Person, Position

    out: dict[int, list[str]] = {pk: [] for pk in pks}
    homeless = []
    for pk, path in Person._base_manager.filter(pk__in=pks).values_list("pk", "home_place__path"):
        if path:
            out[pk].append(path)
        else:
            homeless.append(pk)
    if homeless:
        rows = Position.objects.filter(person_id__in=homeless).values_list(
            "person_id", "place__path", "organisation__place__path"
        )
        for pk, place_path, org_path in rows:
            out[pk] += [p for p in (place_path, org_path) if p]
    return out


def _of_visiting_side(entry_paths: list[str], visiting_path: str | None) -> bool:
    """A delegation member comes from the visiting side when every place the directory has
    for them lies on that side (someone recorded nowhere is nobody else's entry)."""
    return bool(visiting_path) and all(p.startswith(visiting_path) for p in entry_paths)


def _own_entries(pks, paths: list[str], entries: dict[int, list[str]]) -> set[int]:
    from django.db.models import Q

    from civicbridge.directory.models import Position

    found = {pk for pk, own in entries.items() if any(_within(p, paths) for p in own)}
    rest = [pk for pk in pks if pk not in found]
    if rest:
        q = Q()
        for p in paths:
            q |= Q(place__path__startswith=p) | Q(organisation__place__path__startswith=p)
        found |= set(
            Position.objects.filter(q, person_id__in=rest).values_list("person_id", flat=True)
        )
    return found


def _visitors_hosted(pks, paths: list[str], entries: dict[int, list[str]]) -> set[int]:
    from django.db.models import Q

    from civicbridge.exchanges.models import Member, Side

    q = Q()
    for p in paths:
        q |= Q(group__host_place__path__startswith=p) | Q(
            group__isnull=True, exchange__host_place__path__startswith=p
        )
    rows = Member.objects.filter(
        q, person_id__in=pks, side=Side.VISITING, exchange__deleted_at__isnull=True
    ).values_list("person_id", "exchange__visiting_place__path")
    return {pk for pk, visiting in rows if _of_visiting_side(entries.get(pk, []), visiting)}


def _delegation_people(pks, org_ids: set[int], entries: dict[int, list[str]]) -> set[int]:
    from civicbridge.directory.models import Position
    from civicbridge.exchanges.models import Member, Side

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
    if r.community_paths:
        for pk in pks:
            out[pk].add((COMMUNITY_MEMBER, ANYONE))
    if not (r.organiser_paths or r.coordinator_orgs):
        return out
    entries = _entries(pks)
    if r.organiser_paths:
        for pk in _own_entries(pks, r.organiser_paths, entries):
            out[pk].add((ORGANISER, OWN_ENTRY))
        for pk in _visitors_hosted(pks, r.organiser_paths, entries):
            out[pk].add((ORGANISER, VISITOR_HOSTED))
    if r.coordinator_orgs:
        for pk in _delegation_people(pks, r.coordinator_orgs, entries):
            out[pk].add((COORDINATOR, OWN_DELEGATION))
    return out


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
