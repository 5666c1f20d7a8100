"""Who may do what — the one place where roles become permissions.

Other apps never import this module: they ask by name, e.g.
``request.user.has_perm("exchanges.change_exchange", exchange)`` (django-rules answers
through ``rules.permissions.ObjectPermissionBackend``). ``PERMISSIONS`` below is the table
of names, what object each expects, and who holds it.

Roles (accounts.RoleAssignment):
- administrator: everything (so is a Django superuser).
- organiser of place P: changes exchanges hosted in P or below (the exchange's host place,
  or any of its groups' host places, lies within P), activities whose groups are hosted in
  P or below (an activity without groups: its exchange), and the directory entries below P;
  sees the personal data of people in that scope.
- coordinator of organisation O: the roster of O's own delegations (exchanges whose visiting
  organisation is O) and the details of their members.
- community member of place P: the pages and channels of the pairings of P (or below).
- viewer: reads everything except personal data.
Every role reads the non-personal record (exchanges, places, forums, pairings); a community
member reads only its own pairings. A signed-in user without any role reads nothing.

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
    """A person is a directory entry below P when they live there, hold a position there
    (or in an organisation based there), or are on the roster of an exchange hosted there
    (for a member of a group: the group's host district)."""
    if not paths:
        return False
    if person.home_place_id and _within(person.home_place.path, paths):
        return True
    from django.db.models import Q

    from civicbridge.directory.models import Position

    q = Q()
    for p in paths:
        q |= Q(place__path__startswith=p) | Q(organisation__place__path__startswith=p)
    if Position.objects.filter(q, person=person).exists():
        return True
    from civicbridge.exchanges.models import Member

    # A member in a group belongs to that group's host district; a member without a group
    # to the exchange's host places.
    q = Q()
    for p in paths:
        q |= (
            Q(group__host_place__path__startswith=p)
            | Q(group__isnull=True, exchange__host_place__path__startswith=p)
            | Q(group__isnull=True, exchange__groups__host_place__path__startswith=p)
        )
    return Member.objects.filter(q, person=person).exists()


def person_in_delegations(person, org_ids: set[int]) -> bool:
    if not org_ids:
        return False
    from civicbridge.directory.models import Position
    from civicbridge.exchanges.models import Member

    return (
        Member.objects.filter(
            person=person, exchange__visiting_organisation_id__in=org_ids
        ).exists()
        or Position.objects.filter(person=person, organisation_id__in=org_ids).exists()
    )


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
def organises_place(user, place):
    """obj: a Place, or anything with a ``place`` (an organisation)."""
    paths = roles_of(user).organiser_paths
    if place is None:
        return bool(paths)
    place = getattr(place, "place", None) if not hasattr(place, "path") else place
    return place is not None and _within(place.path, paths)


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
    from civicbridge.twinning.models import Appointment, Commitment, Pairing

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
    "directory.add_place": ("parent Place", is_administrator | organises_place),
    "directory.change_place": ("Place", is_administrator | organises_place),
    "directory.change_organisation": ("Organisation", is_administrator | organises_place),
    "directory.view_person": ("Person (or None)", is_reader),
    "directory.add_person": ("None", is_administrator | is_organiser | is_coordinator),
    "directory.view_personal_data": (
        "Person",
        is_administrator | organises_person | coordinates_person,
    ),
    "directory.change_person": (
        "Person",
        is_administrator | organises_person | coordinates_person,
    ),
    "directory.delete_person": ("Person", is_administrator | organises_person),
    # twinning
    "twinning.view_pairing": ("Pairing (or None)", reads_pairing),
    # Every pairing (not only those of one's own place): the lists' filter.
    "twinning.view_all_pairings": ("None", reads_all_pairings),
    "twinning.add_pairing": ("one of its Places", is_administrator | organises_place),
    "twinning.change_pairing": ("Pairing", is_administrator | organises_pairing),
    "twinning.post_message": (
        "Pairing",
        is_administrator | member_of_pairing | organises_pairing,
    ),
    "twinning.view_appointment": ("Appointment (or None)", is_reader),
    "twinning.add_appointment": ("appointing community Place", is_administrator | organises_place),
    "twinning.change_appointment": ("Appointment", is_administrator | organises_pairing),
    "twinning.delete_appointment": ("Appointment", is_administrator | organises_pairing),
    "twinning.view_commitment": ("Commitment (or None)", is_reader),
    "twinning.add_commitment": ("None (no pairing or exchange)", is_administrator),
    "twinning.change_commitment": ("Commitment", is_administrator | organises_pairing),
    # accounts
    "accounts.export_data": ("None", is_reader),
    "accounts.export_personal_data": ("None", is_administrator),
    "accounts.manage_tokens": ("None", is_reader),
    "accounts.view_audit": ("None or a record", is_administrator),
    "accounts.restore": ("a soft-deleted record", is_administrator),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)


def personal_fields_visible(user, person) -> bool:
    """May ``user`` see the personal fields (Person.PERSONAL_FIELDS) of ``person``?"""
    if person is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    memo = roles_of(user).__dict__.setdefault("personal_memo", {})
    key = getattr(person, "pk", None)
    if key is None or key not in memo:
        allowed = user.has_perm("directory.view_personal_data", person)
        if key is None:
            return allowed
        memo[key] = allowed
    return memo[key]
