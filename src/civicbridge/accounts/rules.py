"""Who may do what — roles, and the permissions on the directory.

Apps ask by name, e.g. ``request.user.has_perm("exchanges.change_exchange", exchange)``
(django-rules answers through ``rules.permissions.ObjectPermissionBackend``). Each app's
``rules.py`` holds its own predicates and its own table of permissions (``PERMISSIONS``:
name → what object it expects, and who holds it), next to each other; django-rules'
``AutodiscoverRulesConfig`` imports every installed app's ``rules`` module:

- ``accounts/rules.py`` (this module): the roles, the role predicates, the scope helpers
  ("this place and below", through ``directory.models.within``/``path_within``), the
  accounts permissions — and the DIRECTORY's permissions (places, organisations, people):
  the directory app sits below accounts, so the rules on its records live with the roles;
- ``exchanges/rules.py``: exchanges, groups, rosters, activities;
- ``exchanges/personal_data.py``: who sees which personal field of whom (it needs the
  rosters), with the ``directory.view_personal_data`` / ``directory.view_<field>``
  permissions;
- ``forums/rules.py``, ``pairings/rules.py``.

Roles (accounts.RoleAssignment):
- administrator: everything (so is a Django superuser).
- organiser of place P: changes exchanges hosted in P or below (the exchange's host place,
  or any of its groups' host places, lies within P), activities whose groups are hosted in
  P or below (an activity without groups: its exchange), and the directory entries below P
  (people living or holding a position there; never people merely on a roster there);
  records organisations seated anywhere (venues only within P), corrects those seated in
  P or below and those they created, and the positions in them (see the directory part).
- coordinator of organisation O: the roster of O's own delegations (exchanges whose visiting
  organisation is O).
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
import datetime as dt

import rules

from civicbridge.accounts.models import AuditEntry, RoleAssignment
from civicbridge.directory.models import (
    OrganisationKind,
    Person,
    Place,
    Position,
    path_within,
    within,
)

ADMINISTRATOR = "administrator"
ORGANISER = "organiser"
COORDINATOR = "coordinator"
COMMUNITY_MEMBER = "community_member"
VIEWER = "viewer"


class Roles:
    """A user's roles, read once per user object (one query). The places a role acts for
    are kept as places (``organiser_places``, ``community_places``: for ``within``) and as
    their paths (``organiser_paths``, ``community_paths``: for ``path_within``)."""

    def __init__(self, user):
        self.admin = False
        self.viewer = False
        self.organiser_places: list[Place] = []
        self.community_places: list[Place] = []
        self.coordinator_orgs: set[int] = set()
        self.organiser_paths: list[str] = []
        self.community_paths: list[str] = []
        if user is None or not user.is_authenticated or not user.is_active:
            return
        if user.is_superuser:
            self.admin = True
        assignments = (
            RoleAssignment.objects.filter(user=user)
            .select_related("place")
            .only("role", "organisation", "place__path", "place__kind")
        )
        for assignment in assignments:
            role, place, org_id = assignment.role, assignment.place, assignment.organisation_id
            if role == ADMINISTRATOR:
                self.admin = True
            elif role == VIEWER:
                self.viewer = True
            elif role == ORGANISER and place is not None and place.path:
                self.organiser_places.append(place)
            elif role == COMMUNITY_MEMBER and place is not None and place.path:
                self.community_places.append(place)
            elif role == COORDINATOR and org_id:
                self.coordinator_orgs.add(org_id)
        self.organiser_paths = [p.path for p in self.organiser_places]
        self.community_paths = [p.path for p in self.community_places]

    @property
    def reader(self) -> bool:
        return bool(
            self.admin
            or self.viewer
            or self.organiser_places
            or self.coordinator_orgs
            or self.community_places
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


# --- scope helpers (plain functions: also used by other apps' rules) -------------------


def entry_paths(pks) -> dict[int, list[str]]:
    """Where each person is in the directory: their home place's path, or (without one) the
    paths of the places of their positions (a position's place or its organisation's)."""
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


def own_entries(pks, places: list[Place], entries: dict[int, list[str]]) -> set[int]:
    """The people of ``pks`` who are directory entries of ``places`` (or below): living
    there (``entries``, from ``entry_paths``) or holding a position there (in the place or
    in an organisation based there)."""
    paths = [p.path for p in places]
    found = {pk for pk, own in entries.items() if any(path_within(p, paths) for p in own)}
    rest = [pk for pk in pks if pk not in found]
    if rest and places:
        positions = Position.objects.filter(
            within(places, field="place") | within(places, field="organisation__place"),
            person_id__in=rest,
        )
        found |= set(positions.values_list("person_id", flat=True))
    return found


def person_in_places(person, places: list[Place]) -> bool:
    """A person is a directory entry below P when they live there or hold a position there
    (or in an organisation based there). Being on a roster or hosting an activity there does
    not make them one (see exchanges/personal_data.py)."""
    if not places or person is None or getattr(person, "pk", None) is None:
        return False
    return person.pk in own_entries([person.pk], places, entry_paths([person.pk]))


def person_belongs_to(person, place) -> bool:
    """``person`` lives in ``place`` (or below) or holds a position there today (in the
    place or one of its organisations)."""
    if person is None or place is None or not place.path:
        return False
    if person.home_place_id and person.home_place.is_within(place):
        return True
    return (
        Position.objects.on(dt.date.today())
        .filter(person=person)
        .filter(within(place, field="place") | within(place, field="organisation__place"))
        .exists()
    )


# The county level of each side, as an index into directory.models.SIDE_LEVELS: on the
# mainland province › city › county/district, in Taiwan the county/city itself. Places at
# that level and above are added and corrected by administrators only; below it (streets,
# towns, communities, villages; Taiwan's townships/districts and li) organisers add and
# correct those of their own places.
COUNTY_LEVEL = {"mainland": 2, "taiwan": 0}


def place_level(place) -> int:
    """How deep ``place`` lies in its side's tree (0: a province, a Taiwan county/city),
    read off its path; for an unsaved place (one about to be created), off its parent's."""
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


# --- role predicates --------------------------------------------------------------------


@rules.predicate
def is_administrator(user):
    return roles_of(user).admin


@rules.predicate
def is_reader(user):
    return roles_of(user).reader


@rules.predicate
def is_organiser(user):
    return bool(roles_of(user).organiser_places)


@rules.predicate
def is_coordinator(user):
    return bool(roles_of(user).coordinator_orgs)


@rules.predicate
def is_signed_in(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


# --- directory predicates ----------------------------------------------------------------


@rules.predicate
def organises_place(user, place):
    """obj: a Place, or anything with a ``place`` (an organisation)."""
    paths = roles_of(user).organiser_paths
    if place is None:
        return bool(paths)
    place = getattr(place, "place", None) if not hasattr(place, "path") else place
    return place is not None and path_within(place.path, paths)


@rules.predicate
def organises_home_place(user, place):
    """A home place the user may give a person: one within their places (never none)."""
    return place is not None and organises_place(user, place)


@rules.predicate
def organises_person(user, person):
    """The person is a directory entry of the organiser's places (never by a roster)."""
    places = roles_of(user).organiser_places
    if person is None:
        return bool(places)
    return person_in_places(person, places)


@rules.predicate
def organises_sub_unit(user, place):
    """``place`` (saved, or unsaved with its parent: the place about to be created) lies
    below the county level, within one of the organiser's places. None: the organiser has
    places (for showing buttons)."""
    paths = roles_of(user).organiser_paths
    if place is None:
        return bool(paths)
    return bool(paths) and path_within(_scope_path(place), paths) and below_county_level(place)


# Organisations and positions. The rule, once: an organiser records an organisation
# seated ANYWHERE (a visiting Taiwanese association, troupe or care centre has its seat
# outside the organiser's places, yet the exchange needs it), except a venue, which is
# where the organiser hosts: a venue's place lies within their places. They correct the
# organisations based within their places and those they created themselves (read off
# the audit trail: the "create" entry is theirs). They record and end the positions of
# people who are directory entries of their places, and the positions held in an
# organisation they may correct or at a place within their places.


def created_by(user, obj) -> bool:
    """``user`` created ``obj`` (its audit trail's "create" entry names them)."""
    if obj is None or obj.pk is None or user is None or not getattr(user, "pk", None):
        return False
    return AuditEntry.objects.filter(
        model=obj._meta.label_lower, object_id=str(obj.pk), action="create", user=user
    ).exists()


@rules.predicate
def organises_new_organisation(user, org):
    """obj: the unsaved Organisation about to be created (its ``place`` and ``kind`` set).
    Any seat for an organiser, but a venue only within their places. None: the user is an
    organiser (for showing buttons)."""
    paths = roles_of(user).organiser_paths
    if not paths:
        return False
    if org is None:
        return True
    if getattr(org, "kind", None) == OrganisationKind.VENUE:
        place = org.place if getattr(org, "place_id", None) else None
        return place is not None and path_within(place.path, paths)
    return True


@rules.predicate
def organises_organisation(user, org):
    """A saved Organisation seated within the organiser's places, or created by them."""
    paths = roles_of(user).organiser_paths
    if not paths:
        return False
    if org is None:
        return True
    if org.place_id and path_within(org.place.path, paths):
        return True
    return created_by(user, org)


@rules.predicate
def organises_position(user, position):
    """A Position (saved, or unsaved with its person, organisation and place set) of a
    person who is a directory entry of the organiser's places, or held in an organisation
    the organiser may correct, or at a place within their places."""
    roles = roles_of(user)
    if not roles.organiser_paths:
        return False
    if position is None:
        return True
    if position.place_id and path_within(position.place.path, roles.organiser_paths):
        return True
    if position.organisation_id and organises_organisation(user, position.organisation):
        return True
    return position.person_id is not None and person_in_places(
        position.person, roles.organiser_places
    )


# --- the tables ---------------------------------------------------------------------------

# name → (object it expects, predicate). The directory's permissions on personal data
# (directory.view_personal_data, directory.view_<field>) are in exchanges/personal_data.py.
PERMISSIONS = {
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
    # An organisation (an association, a troupe, a care centre, an office, a venue): see
    # organises_new_organisation / organises_organisation above. ``add_organisation`` is
    # asked with the unsaved organisation about to be created (its place and kind set).
    "directory.add_organisation": (
        "unsaved Organisation (with its place and kind; None: any)",
        is_administrator | organises_new_organisation,
    ),
    "directory.change_organisation": (
        "Organisation (None: any)",
        is_administrator | organises_organisation,
    ),
    # A title a person holds; ``add_position`` is asked with the unsaved position.
    "directory.add_position": (
        "unsaved Position (with its person, organisation, place; None: any)",
        is_administrator | organises_position,
    ),
    "directory.change_position": ("Position (None: any)", is_administrator | organises_position),
    "directory.view_person": ("Person (or None)", is_reader),
    "directory.add_person": ("None", is_administrator | is_organiser | is_coordinator),
    # A directory record: its own district's organisers, never a roster relation. Moving
    # its home place is checked again by the service (directory.place_person_in).
    "directory.change_person": ("Person", is_administrator | organises_person),
    "directory.place_person_in": (
        "Place (a home place; None: no place at all)",
        is_administrator | organises_home_place,
    ),
    "directory.delete_person": ("Person", is_administrator | organises_person),
    # accounts
    # The whole database (every message body, every pairing): administrators only.
    "accounts.export_data": ("None", is_administrator),
    "accounts.export_personal_data": ("None", is_administrator),
    "accounts.manage_tokens": ("None", is_reader),
    "accounts.view_audit": ("None or a record", is_administrator),
    "accounts.restore": ("a soft-deleted record", is_administrator),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
