"""Reads of the directory alone: the place tree, a place's positions and organisations,
the lists of people and organisations, search and type-ahead. Each runs a fixed number of
queries, whatever the number of records; long lists are paginated or capped (with their
full count). The record pages that show other apps' records (a place's exchanges, a
person's appointments) are composed in the page tier (civicbridge/pages/places.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from civicbridge.core import hans_hant
from civicbridge.directory import search
from civicbridge.directory.models import HIDDEN_KINDS, Organisation, Person, Place, Position
from civicbridge.directory.resolution import resolve_place

SECTION_LIMIT = 50


def capped(queryset, limit: int = SECTION_LIMIT) -> dict:
    """The first ``limit`` rows and the total (two queries, whatever the size)."""
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    return {"rows": rows[:limit], "more": more, "total": queryset.count() if more else len(rows)}


# --- places ------------------------------------------------------------------------------


def root_places():
    """The top of each side's tree (provinces; Taiwan's counties and cities). Their
    ``child_count`` is set by ``districts_of`` (what a user sees below them)."""
    return list(
        Place.objects.filter(parent__isnull=True)
        .select_related("side")
        .order_by("side__position", "code", "name")
    )


def _children_q(parents) -> Q:
    """The places a user sees directly below ``parents`` (places or ids): their children,
    and the children of a placeholder child in place of the placeholder (北京市 › 海淀区,
    not › 市辖区). Indexed look-ups of ``parent_id`` only (an OR across the join would
    scan the whole table: 600,000 rows)."""
    ids = [getattr(p, "pk", p) for p in parents]
    visible_parents = Place.objects.filter(
        Q(pk__in=ids) | Q(parent_id__in=ids, kind__in=HIDDEN_KINDS)
    ).values("pk")
    return Q(parent_id__in=visible_parents) & ~Q(kind__in=HIDDEN_KINDS)


def with_child_counts(places) -> list[Place]:
    """``places`` (a list, or a page's rows) with ``child_count``: how many places lie directly
    below each, in one grouped query over the indexed ``parent_id``, whatever the size of
    the tree (never recounted over the whole directory)."""
    places = list(places)
    ids = [p.pk for p in places]
    counts = (
        dict(
            Place.objects.filter(parent_id__in=ids)
            .exclude(kind__in=HIDDEN_KINDS)
            .order_by()
            .values_list("parent_id")
            .annotate(n=Count("id"))
        )
        if ids
        else {}
    )
    for place in places:
        place.child_count = counts.get(place.pk, 0)
    return places


def districts_of(roots) -> dict[int, list[Place]]:
    """The places a user sees below each root (its cities; a municipality's districts), with
    their child counts, in two queries; sets each root's ``child_count``."""
    by_root: dict[int, list[Place]] = {root.pk: [] for root in roots}
    below = with_child_counts(
        Place.objects.filter(_children_q(list(by_root)))
        .select_related("parent")
        .order_by("code", "name")
    )
    for place in below:
        top = place.parent_id if place.parent_id in by_root else place.parent.parent_id
        by_root[top].append(place)
    for root in roots:
        root.child_count = len(by_root[root.pk])
    return by_root


def get_place(pk: int) -> Place:
    return get_object_or_404(Place.objects.select_related("parent", "side", "merged_into"), pk=pk)


def children(place: Place):
    """A queryset (for the paginator) of the places directly below ``place``; give the rows
    of a page their counts with ``with_child_counts``."""
    return Place.objects.filter(_children_q([place])).order_by("code", "name", "id")


def place_positions(place: Place):
    """Positions held in the place itself or in an organisation based there, newest first:
    for a li, its chiefs of every term."""
    return capped(
        Position.objects.filter(Q(place=place) | Q(organisation__place=place))
        .select_related("person", "organisation", "place")
        .order_by("-start_date", "title", "id")
    )


def place_organisations(place: Place):
    return capped(Organisation.objects.alive().filter(place=place).order_by("kind", "name"))


# --- people ------------------------------------------------------------------------------


def people():
    return Person.objects.alive().select_related("home_place__parent").order_by("name", "id")


def get_person(pk: int) -> Person:
    return get_object_or_404(Person.objects.alive().select_related("home_place__parent"), pk=pk)


# --- organisations --------------------------------------------------------------------------


def organisations():
    return Organisation.objects.alive().select_related("place__parent").order_by("name", "id")


def get_organisation(pk: int) -> Organisation:
    return get_object_or_404(
        Organisation.objects.alive().select_related("place__parent", "parent"), pk=pk
    )


# --- search ------------------------------------------------------------------------------

SEARCH_LIMIT = 25


def search_places(
    query: str,
    *,
    kind: str | None = None,
    side: str | None = None,
    within: Place | None = None,
    include_former: bool = False,
    limit: int = SEARCH_LIMIT,
):
    """Places by name, short name or alias (either script), best first: the name itself,
    then names starting with it, then names containing it — read off the search index
    (directory/search.py), never a scan of the whole table. Former places only with
    ``include_former``; placeholders (北京市市辖区) never."""
    query = hans_hant.query_text(query)
    if not query:
        return []
    ids = search.search_place_ids(
        query,
        kinds=[kind] if kind else None,
        side=side,
        within=within,
        include_former=include_former,
        limit=limit,
    )
    by_id = Place.objects.select_related("parent__parent", "side").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def search_people(query: str, *, limit: int = SEARCH_LIMIT):
    """People by name (either script): the name itself, then names starting with it, then
    names containing it, read off the search index (directory/search.py)."""
    query = hans_hant.query_text(query)
    if not query:
        return []
    ids = search.search_person_ids(query, limit=limit)
    by_id = Person.objects.alive().select_related("home_place__parent").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def search_organisations(query: str, *, limit: int = SEARCH_LIMIT):
    key = hans_hant.search_key(hans_hant.query_text(query))
    if not key:
        return []
    rows = list(
        Organisation.objects.alive()
        .filter(search_text__icontains=key)
        .select_related("place")
        .order_by("name", "id")[: limit * 4]
    )
    rows.sort(key=lambda o: (_rank(key, o.search_text), o.name))
    return rows[:limit]


def _rank(key: str, search_text: str) -> int:
    words = search_text.split()
    if key in words:
        return 0
    if any(w.startswith(key) for w in words):
        return 1
    return 2


# --- type-ahead ----------------------------------------------------------------------------

LOOKUP_LIMIT = 15
# Type-ahead asks the resolver from this many characters on, when search finds nothing.
RESOLVE_FROM = 4


def lookup_places(query: str, *, kind: str = "", side: str = "") -> list[Place]:
    """Places to choose for a new record: current ones only (a former village is kept for
    the records that name it, never offered), placeholders left out."""
    # The search index leaves out former places (unless asked) and placeholders, and
    # narrows to the side in SQL, so the limit is the limit.
    places = search_places(query, kind=kind or None, side=side or None, limit=LOOKUP_LIMIT)
    if not places and len(query.strip()) >= RESOLVE_FROM:
        # A chain of names (高雄三民区, 三民区鼎金里) or an everyday name no record contains
        # (阜四社区): what the resolver reads it as.
        resolved = resolve_place(
            query, kinds=[kind] if kind else None, side=side or None, limit=LOOKUP_LIMIT
        )
        found = [c.place for c in resolved]
        places = list({p.pk: p for p in [*found, *places]}.values())[:LOOKUP_LIMIT]
    return places


def lookup_people(query: str) -> list[Person]:
    return search_people(query, limit=LOOKUP_LIMIT)
