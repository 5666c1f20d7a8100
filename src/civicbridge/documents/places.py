"""Reading the place tree for documents: a place's street, district, city and full label."""

from __future__ import annotations

from civicbridge.core import hans_hant
from civicbridge.directory.models import COMMUNITY_LEVEL_KINDS, Person, Place, level_index


def _unread_parent(place):
    """The first place on ``place``'s chain of parents whose parent is not read yet (None:
    the whole chain is in memory)."""
    seen = set()
    while place is not None and place.parent_id is not None and place.pk not in seen:
        seen.add(place.pk)
        if not Place.parent.is_cached(place):
            return place
        place = place.parent
    return None


def prime(places) -> None:
    """Read the parents of every place of ``places`` (None left out) up to the top in one
    query, so that ``ancestors``, ``label`` and the ``*_of`` below read no more: a document
    calls it once for its rows instead of a query per row and level."""
    places = [p for p in places if p is not None]
    unread = [p for p in places if _unread_parent(p) is not None]
    if not unread:
        return
    above = Place.ancestors_of(unread)
    for place in unread:
        by_id = {a.pk: a for a in above[place.pk]}
        node, seen = place, set()
        while node.parent_id is not None and node.pk not in seen:
            seen.add(node.pk)
            if not Place.parent.is_cached(node):
                parent = by_id.get(node.parent_id)
                if parent is None:  # the path and the parent disagree: read lazily
                    break
                node.parent = parent
            node = node.parent


def ancestors(place) -> list:
    """``place`` and its parents, from the top down to ``place`` (placeholders included)."""
    chain = []
    seen = set()
    while place is not None and place.pk not in seen:
        seen.add(place.pk)
        chain.append(place)
        place = place.parent
    return list(reversed(chain))


def of_level(place, top: str) -> object | None:
    chain = ancestors(place)
    i = level_index(chain, top)
    return chain[i] if i is not None else None


def street_of(place):
    return of_level(place, "street")


def district_of(place):
    return of_level(place, "district")


def city_of(place):
    """The city (or municipality, or Taiwan county/city) of a place."""
    return of_level(place, "city")


def label(place, which: str, *, top: str = "city") -> str:
    """The place with its parents, as Chinese writes it: 台北市北投区大屯里.

    ``top`` is the highest level shown: "city", "district" or "street".
    """
    if place is None:
        return ""
    chain = ancestors(place)
    i = level_index(chain, top)
    if i is not None:
        chain = chain[i:]
    return "".join(p.display_name_in(which) for p in chain if not p.is_hidden)


def community_level(place) -> bool:
    return place is not None and place.kind in COMMUNITY_LEVEL_KINDS


def script_of_place(place) -> str | None:
    if place is None:
        return None
    return hans_hant.HANT if place.script == hans_hant.HANT else hans_hant.HANS


def script_of_person(person: Person, *extra_places) -> str:
    """The script a person reads: their side's (Traditional for Taiwan people)."""
    for place in (person.home_place, *extra_places):
        which = script_of_place(place)
        if which:
            return which
    member = person.memberships.select_related("home_place").exclude(home_place=None).first()
    if member is not None:
        return script_of_place(member.home_place) or hans_hant.HANS
    return hans_hant.HANS
