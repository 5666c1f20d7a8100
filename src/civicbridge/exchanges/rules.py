"""Who may do what to exchanges, groups, rosters and activities (django-rules).

Asked by name: ``user.has_perm("exchanges.change_exchange", exchange)``. The roles and the
role predicates are in accounts/rules.py; who sees which personal field of whom is in
exchanges/personal_data.py, whose table (``directory.view_personal_data``, ...) is
registered here with this app's own (``PERMISSIONS`` below).
"""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import (
    is_administrator,
    is_organiser,
    is_reader,
    organises_place,
    roles_of,
)
from civicbridge.directory.models import path_within
from civicbridge.exchanges import personal_data
from civicbridge.exchanges.models import Exchange

# --- scope helpers (plain functions: also used by later apps' rules) ---------------------


def exchange_host_paths(exchange) -> list[str]:
    paths = [exchange.host_place.path] if exchange.host_place_id else []
    paths += [
        g.host_place.path for g in exchange.groups.select_related("host_place") if g.host_place_id
    ]
    return paths


def exchange_in_places(exchange, paths: list[str]) -> bool:
    """The exchange is hosted in one of the places with ``paths`` (or below): its host
    place or one of its groups' host places."""
    return bool(paths) and any(path_within(p, paths) for p in exchange_host_paths(exchange))


def activity_in_places(activity, paths: list[str]) -> bool:
    if not paths:
        return False
    group_paths = [
        g.host_place.path for g in activity.groups.select_related("host_place") if g.host_place_id
    ]
    if group_paths:
        return any(path_within(p, paths) for p in group_paths)
    return exchange_in_places(activity.exchange, paths)


def _exchange_of(obj):
    """The exchange of an exchange, group, member or activity."""
    return obj if isinstance(obj, Exchange) else getattr(obj, "exchange", None)


# --- predicates -----------------------------------------------------------------------


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
    return (group.host_place_id is not None and path_within(group.host_place.path, paths)) or (
        path_within(group.exchange.host_place.path, paths)
    )


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
def organises_hosts_of(user, exchange):
    """The user organises the exchange's host place and every group's host district: they
    may host a copy of it there (exchanges/copying.py). None: any exchange."""
    paths = roles_of(user).organiser_paths
    if exchange is None or not paths:
        return bool(paths)
    prefetched = getattr(exchange, "_prefetched_objects_cache", {}).get("groups")
    if prefetched is None:  # not read with its groups (exchanges.selectors.exchange_detail)
        return all(path_within(p, paths) for p in exchange_host_paths(exchange))
    hosts = [exchange.host_place.path] + [g.host_place.path for g in prefetched if g.host_place_id]
    return all(path_within(p, paths) for p in hosts)


# --- the table ------------------------------------------------------------------------

# name → (object it expects, predicate).
PERMISSIONS = {
    "exchanges.view_exchange": ("Exchange (or None)", is_reader),
    "exchanges.add_exchange": ("None", is_administrator | is_organiser),
    # Hosting at a place: creating an exchange hosted there, moving an exchange's host
    # place there, adding (or moving) a group hosted there. Checked by the services.
    "exchanges.host_in_place": ("Place (the host place)", is_administrator | organises_place),
    "exchanges.change_exchange": ("Exchange", is_administrator | organises_exchange),
    "exchanges.delete_exchange": ("Exchange", is_administrator | organises_exchange),
    # Copying an exchange as a new, planned one (exchanges/copying.py): creating an
    # exchange hosted where it was, with its groups where they were.
    "exchanges.copy_exchange": (
        "Exchange (the one copied)",
        is_reader & (is_administrator | organises_hosts_of),
    ),
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
    # Labels on places ("北京市首个冬奥社区"): organisers of the place.
    "exchanges.label_place": ("Place", is_administrator | organises_place),
}

# With the directory's permissions on personal data (exchanges/personal_data.py).
for _name, (_expects, _predicate) in {**PERMISSIONS, **personal_data.PERMISSIONS}.items():
    rules.add_perm(_name, _predicate)


# --- who may edit what, without a query per record ----------------------------------------


def editable_activity_ids(user, exchange, activities) -> set[int]:
    """The ids of the ``activities`` (of ``exchange``) that ``user`` may change or delete:
    ``exchanges.change_activity`` answered for all of them at once.

    The rule (``organises_activity``) reads each activity's groups with a query; here the
    groups' host districts come from ``exchange.groups`` (prefetched with their host places
    by ``selectors.exchange_detail``) and the activities' prefetched groups, so the page's
    number of queries does not grow with the itinerary. Same answer as
    ``user.has_perm("exchanges.change_activity", activity)`` for each (a test checks it)."""
    activities = list(activities)
    if not activities or not user.has_perm("exchanges.change_activity"):
        return set()
    roles = roles_of(user)
    if roles.admin:
        return {a.pk for a in activities}
    paths = roles.organiser_paths
    group_paths = {g.pk: g.host_place.path for g in exchange.groups.all() if g.host_place_id}
    exchange_paths = [exchange.host_place.path, *group_paths.values()]
    whole = any(path_within(p, paths) for p in exchange_paths)
    out = set()
    for a in activities:
        mine = [group_paths[g.pk] for g in a.groups.all() if g.pk in group_paths]
        if any(path_within(p, paths) for p in mine) if mine else whole:
            out.add(a.pk)
    return out


def editable_group_ids(user, exchange) -> set[int]:
    """The ids of the exchange's groups ``user`` may change (``exchanges.change_group``),
    from the prefetched groups (no query per group)."""
    if not user.has_perm("exchanges.change_group"):
        return set()
    return {g.pk for g in exchange.groups.all() if user.has_perm("exchanges.change_group", g)}
