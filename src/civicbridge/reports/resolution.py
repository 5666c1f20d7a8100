"""Finding the directory records a facts document names: places (by code, then by the
directory's resolver within the exchange's host and visiting places), organisations and
people (by name, in either script). Reads only; ``services.record_facts`` writes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from civicbridge.core import hans_hant
from civicbridge.directory import resolution as directory_resolution
from civicbridge.directory.models import (
    HIDDEN_KINDS,
    Organisation,
    Person,
    Place,
    PlaceStatus,
)
from civicbridge.directory.resolution import ABBREVIATION, LOOKALIKE, VARIANT

# Characters a level of the tree ends with: the end of a place name inside a longer name
# (台北市里长联谊会总会 → 台北市, 台中市梧棲区里长考察团 → 台中市梧棲区).
_LEVEL_END = set("省市县縣区區镇鎮乡鄉街道里村")
_LEADING = re.compile(r"^(台湾|臺灣|中国|中國|中华人民共和国)")
# Reasons for which the source's spelling is kept as an alias of the place found.
SPELLING_REASONS = {ABBREVIATION, VARIANT, LOOKALIKE}


@dataclass
class Found:
    place: Place
    reason: str


def by_code(code: str | None) -> Place | None:
    if not code:
        return None
    return (
        Place.objects.filter(code=code, status=PlaceStatus.CURRENT).order_by("id").first()
        or Place.objects.filter(code=code).order_by("id").first()
    )


def resolve(text: str, scopes: list[Place], *, on=None, kinds=None) -> Found | None:
    """The one place ``text`` names within one of ``scopes`` (tried in order; the first
    scope where the text resolves unambiguously wins), or, with no scopes, anywhere."""
    text = (text or "").strip()
    if not text:
        return None
    for scope in scopes or [None]:
        result = directory_resolution.resolve_place(text, within=scope, on=on, kinds=kinds)
        if result.best is not None:
            return Found(result.best.place, result.best.reason)
    return None


def leading_place(name: str, scopes: list[Place], *, on=None) -> Place | None:
    """The place a name begins with (台中市梧棲区里长考察团 → 梧棲區), the longest one that
    resolves, within ``scopes`` or anywhere."""
    places = leading_places(name, scopes, on=on)
    return places[0] if places else None


def leading_places(name: str, scopes: list[Place], *, on=None) -> list[Place]:
    """The places each part of a name begins with (台北士林区、北投区里长参访团 → 士林區,
    北投區): the longest leading piece of each part that resolves."""
    name = _LEADING.sub("", (name or "").strip())
    found_places = []
    for part in re.split(r"[、，,和与與及]", name)[:5]:
        part = _LEADING.sub("", part.strip())
        ends = [i + 1 for i, ch in enumerate(part[:30]) if ch in _LEVEL_END and i >= 1]
        for end in reversed(ends):
            found = resolve(part[:end], scopes, on=on)
            if found is not None and found.reason not in SPELLING_REASONS:
                found_places.append(found.place)
                break
    return list(dict.fromkeys(found_places))


def visible(place: Place) -> Place:
    """The place itself, or its nearest ancestor that is shown (not a 市辖区 placeholder)."""
    if place.kind not in HIDDEN_KINDS:
        return place
    for ancestor in reversed(place.ancestors(include_hidden=False)):
        return ancestor
    return place


def common_ancestor(places: list[Place]) -> Place | None:
    """The deepest place every one of ``places`` is (within), if any."""
    if not places:
        return None
    chains = [[*Place.path_ids(p.path)] for p in places]
    shared = []
    for ids in zip(*chains, strict=False):
        if len(set(ids)) != 1:
            break
        shared.append(ids[0])
    if not shared:
        return None
    place = Place.objects.get(pk=shared[-1])
    return visible(place)


def names_key(name: str) -> str:
    return hans_hant.search_key(name)


def find_organisation(name: str, *, places: list[Place] = ()) -> Organisation | None:
    """An organisation of that name (either script), at one of ``places`` when given."""
    key = names_key(name)
    rows = Organisation.objects.filter(
        name__in={name, *hans_hant.name_pair(name)}, deleted_at__isnull=True
    ).order_by("id")
    found = list(rows)
    if not found and key:
        found = [
            o
            for o in Organisation.objects.filter(
                search_text__contains=key, deleted_at__isnull=True
            ).order_by("id")[:50]
            if names_key(o.name) == key
        ]
    if places:
        ids = {p.pk for p in places}
        at = [o for o in found if o.place_id in ids]
        if at:
            return at[0]
    return found[0] if len(found) == 1 or (found and not places) else None


def find_person(name: str, *, place: Place | None = None) -> Person | None:
    """A person of that name (either script, or an alias), living at ``place`` or with a
    position there when given; without a place only when the name is unique."""
    names = {name, *hans_hant.name_pair(name)}
    rows = list(
        Person.objects.filter(name__in=names, deleted_at__isnull=True).order_by("id")[:20]
    ) or list(
        Person.objects.filter(aliases__name__in=names, deleted_at__isnull=True)
        .distinct()
        .order_by("id")[:20]
    )
    if place is not None:
        at = [
            p
            for p in rows
            if p.home_place_id == place.pk or p.positions.filter(place=place).exists()
        ]
        return at[0] if at else None
    return rows[0] if len(rows) == 1 else None
