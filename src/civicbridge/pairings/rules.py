"""Who may do what to pairings, appointments, commitments and the channel (django-rules).

Asked by name: ``user.has_perm("pairings.view_pairing", pairing)``. ``PERMISSIONS`` below
is this app's table; the roles are in accounts/rules.py, the exchanges' scope in
exchanges/rules.py. Lists are filtered by the one selector that answers "which pairings
may this user read" (``pairings.selectors.readable_pairings``), which follows
``reads_pairing`` here.
"""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import (
    is_administrator,
    is_reader,
    organises_place,
    person_belongs_to,
    roles_of,
)
from civicbridge.accounts.services import person_of
from civicbridge.directory.models import path_within
from civicbridge.exchanges.rules import exchange_in_places
from civicbridge.pairings.models import Appointment, Commitment, Pairing


def _pairing_paths(pairing) -> list[str]:
    return [pairing.place_a.path, pairing.place_b.path]


@rules.predicate
def member_of_pairing(user, pairing):
    paths = roles_of(user).community_paths
    if pairing is None:
        return bool(paths)
    return any(path_within(p, paths) for p in _pairing_paths(pairing))


@rules.predicate
def organises_pairing(user, obj):
    """obj: a Pairing, an Appointment (its community) or a Commitment."""
    paths = roles_of(user).organiser_paths
    if obj is None:
        return bool(paths)
    if isinstance(obj, Pairing):
        return any(path_within(p, paths) for p in _pairing_paths(obj))
    if isinstance(obj, Appointment):
        return path_within(obj.community.path, paths) or (
            obj.exchange_id is not None and exchange_in_places(obj.exchange, paths)
        )
    if isinstance(obj, Commitment):
        if obj.pairing_id and any(path_within(p, paths) for p in _pairing_paths(obj.pairing)):
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
    if path_within(place.path, r.community_paths + r.organiser_paths):
        return True
    memo = r.__dict__.setdefault("side_memo", {})
    if place.pk not in memo:
        memo[place.pk] = person_belongs_to(person_of(user), place)
    return memo[place.pk]


# name → (object it expects, predicate).
PERMISSIONS = {
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
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
