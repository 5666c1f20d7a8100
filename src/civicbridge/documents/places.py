"""Reading the place tree for documents: a place's street, district, city and full label."""

from __future__ import annotations

from civicbridge.core import script
from civicbridge.directory.models import (
    COMMUNITY_LEVEL_KINDS,
    STREET_LEVEL_KINDS,
    Person,
    PlaceKind,
    Region,
)


def ancestors(place) -> list:
    """``place`` and its parents, from the top (city) down to ``place``."""
    chain = []
    seen = set()
    while place is not None and place.pk not in seen:
        seen.add(place.pk)
        chain.append(place)
        place = place.parent
    return list(reversed(chain))


def of_kind(place, kinds) -> object | None:
    for p in ancestors(place):
        if p.kind in kinds:
            return p
    return None


def street_of(place):
    return of_kind(place, STREET_LEVEL_KINDS)


def district_of(place):
    return of_kind(place, (PlaceKind.DISTRICT,))


def city_of(place):
    return of_kind(place, (PlaceKind.CITY,))


def label(place, which: str, *, top: str = "city") -> str:
    """The place with its parents, as Chinese writes it: 台北市北投区大屯里.

    ``top`` is the highest level shown: "city", "district" or "street".
    """
    if place is None:
        return ""
    levels = {
        "city": (PlaceKind.CITY,),
        "district": (PlaceKind.DISTRICT,),
        "street": STREET_LEVEL_KINDS,
    }[top]
    chain = ancestors(place)
    for i, p in enumerate(chain):
        if p.kind in levels:
            chain = chain[i:]
            break
    return "".join(p.display_name_in(which) for p in chain)


def community_level(place) -> bool:
    return place is not None and place.kind in COMMUNITY_LEVEL_KINDS


def script_of_place(place) -> str | None:
    if place is None:
        return None
    return script.HANT if place.region == Region.TAIPEI else script.HANS


def script_of_person(person: Person, *extra_places) -> str:
    """The script a person reads: Traditional for Taipei people, Simplified otherwise."""
    for place in (person.home_place, *extra_places):
        which = script_of_place(place)
        if which:
            return which
    member = person.memberships.select_related("home_place").exclude(home_place=None).first()
    if member is not None:
        return script_of_place(member.home_place) or script.HANS
    return script.HANS
