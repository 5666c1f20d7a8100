"""Who may do what to pairings, appointments, commitments and the channel (django-rules).

Asked by name: ``user.has_perm("pairings.view_pairing", pairing)``. ``PERMISSIONS`` below
is this app's table; the roles are in accounts/rules.py, the exchanges' scope in
exchanges/rules.py. Lists are filtered by the one selector that answers "which pairings
may this user read" (``pairings.selectors.readable_pairings``), which follows
``reads_pairing`` here.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from civicbridge.accounts.rules import (
    is_administrator,
    is_reader,
    organises_place,
    person_belongs_to,
    roles_of,
)
from civicbridge.accounts.services import person_of
from civicbridge.directory.models import Place, path_within
from civicbridge.exchanges.rules import exchange_in_places
from civicbridge.pairings.models import (
    Agreement,
    Alliance,
    Appointment,
    Commitment,
    Pairing,
    PairingBatch,
)


def _party_path(place, organisation) -> str | None:
    """The path of a party: a place's, or the place an organisation is based in."""
    if place is not None:
        return place.path
    if organisation is not None and organisation.place_id:
        return organisation.place.path
    return None


def _pairing_paths(pairing) -> list[str]:
    paths = [
        _party_path(pairing.place_a, pairing.organisation_a),
        _party_path(pairing.place_b, pairing.organisation_b),
    ]
    return [p for p in paths if p]


@dataclass(frozen=True)
class Proposed:
    """A record about to be written whose parties are not saved yet (a batch's districts,
    an agreement's parties, an alliance's members): its party places and organisations and
    its exchange, as ``pairings.add_*`` asks them."""

    places: tuple = ()
    organisations: tuple = ()
    exchange: object = None


def record_scope(obj) -> tuple[list[str], object]:
    """(the party places' paths, the exchange) of a pairing, batch, agreement, alliance or
    ``Proposed`` record; a bare Place is its own party."""
    if isinstance(obj, Place):
        return [obj.path], None
    if isinstance(obj, Proposed):
        paths = [p.path for p in obj.places if p is not None]
        paths += [_party_path(None, o) for o in obj.organisations if o is not None]
        return [p for p in paths if p], obj.exchange
    if isinstance(obj, Pairing):
        paths = _pairing_paths(obj)
        if obj.batch_id:
            paths += [d.path for d in obj.batch.districts_a.all()]
            paths += [d.path for d in obj.batch.districts_b.all()]
        return paths, obj.exchange
    if isinstance(obj, PairingBatch):
        districts = [*obj.districts_a.all(), *obj.districts_b.all()] if obj.pk else []
        return [d.path for d in districts], obj.exchange
    if isinstance(obj, Agreement | Alliance):
        rows = obj.parties.all() if isinstance(obj, Agreement) else obj.members.all()
        rows = rows.select_related("place", "organisation__place") if obj.pk else []
        paths = [_party_path(r.place, r.organisation) for r in rows]
        return [p for p in paths if p], obj.exchange
    return [], None


@rules.predicate
def organises_record(user, obj):
    """May record (or change) ``obj``: an organiser whose places hold one of its parties
    (a place, or the place an organisation is based in) or host its exchange."""
    paths = roles_of(user).organiser_paths
    if obj is None:
        return bool(paths)
    if not paths:
        return False
    party_paths, exchange = record_scope(obj)
    if any(path_within(p, paths) for p in party_paths):
        return True
    return exchange is not None and exchange_in_places(exchange, paths)


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
        return any(path_within(p, paths) for p in _pairing_paths(obj)) or (
            obj.exchange_id is not None and exchange_in_places(obj.exchange, paths)
        )
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
    # A Place (one of its parties), an unsaved Pairing or a rules.Proposed.
    "pairings.add_pairing": (
        "one of its Places, an unsaved Pairing",
        is_administrator | organises_record,
    ),
    "pairings.change_pairing": ("Pairing", is_administrator | organises_pairing),
    "pairings.view_batch": ("PairingBatch (or None)", is_reader),
    "pairings.add_batch": (
        "Proposed (its districts, exchange)",
        is_administrator | organises_record,
    ),
    "pairings.change_batch": ("PairingBatch", is_administrator | organises_record),
    "pairings.view_agreement": ("Agreement (or None)", is_reader),
    "pairings.add_agreement": (
        "Proposed (its parties, exchange)",
        is_administrator | organises_record,
    ),
    "pairings.change_agreement": ("Agreement", is_administrator | organises_record),
    "pairings.view_alliance": ("Alliance (or None)", is_reader),
    "pairings.add_alliance": (
        "Proposed (its members, exchange)",
        is_administrator | organises_record,
    ),
    "pairings.change_alliance": ("Alliance", is_administrator | organises_record),
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
