"""Reads for the directory pages. Each page runs a fixed number of queries, whatever the
number of records; long lists are paginated or capped (with their full count)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from civicbridge.directory.models import HIDDEN_KINDS, Organisation, Person, Place, Position
from civicbridge.exchanges.models import Activity, Exchange, ExchangeOrganisation, Group, Member
from civicbridge.forums.models import Speaker
from civicbridge.pairings.models import Appointment, Pairing

SECTION_LIMIT = 50


def _capped(queryset, limit: int = SECTION_LIMIT) -> dict:
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


def ancestors(place: Place) -> list[Place]:
    """The places above ``place`` that a user sees, from the top down (one query, read off
    the path; placeholders such as 北京市市辖区 left out)."""
    return [p for p in place.ancestors() if not p.is_hidden]


def children(place: Place):
    """A queryset (for the paginator) of the places directly below ``place``; give the rows
    of a page their counts with ``with_child_counts``."""
    return Place.objects.filter(_children_q([place])).order_by("code", "name", "id")


def place_positions(place: Place):
    """Positions held in the place itself or in an organisation based there, newest first:
    for a li, its chiefs of every term."""
    return _capped(
        Position.objects.filter(Q(place=place) | Q(organisation__place=place))
        .select_related("person", "organisation", "place")
        .order_by("-start_date", "title", "id")
    )


def place_organisations(place: Place):
    return _capped(Organisation.objects.alive().filter(place=place).order_by("kind", "name"))


def place_exchanges(place: Place):
    """Exchanges this place (or a place below it) hosted or joined: as host or visiting
    side, as a group's host district, or as the place of one of its activities."""
    within = place.path
    return _capped(
        Exchange.objects.alive()
        .filter(
            Q(host_place__path__startswith=within)
            | Q(visiting_place__path__startswith=within)
            | Q(groups__host_place__path__startswith=within)
            | Q(activities__place__path__startswith=within)
        )
        .distinct()
        .select_related("visiting_organisation", "host_place", "visiting_place")
        .order_by("-start_date", "id")
    )


def place_activities(place: Place):
    """Itinerary activities that took place here or below."""
    return _capped(
        Activity.objects.filter(
            place__path__startswith=place.path, exchange__deleted_at__isnull=True
        )
        .select_related("exchange", "place", "venue")
        .order_by("-starts_at", "id")
    )


def _appointments():
    return Appointment.objects.alive().select_related(
        "person", "community", "person_place", "exchange"
    )


def place_appointments_made(place: Place):
    """Honorary directors appointed by this community."""
    return _capped(_appointments().filter(community=place).order_by("-appointed_on", "id"))


def place_appointments_received(place: Place):
    """Appointments received by people from this place (a li's chief appointed in Beijing)."""
    return _capped(_appointments().filter(person_place=place).order_by("-appointed_on", "id"))


def place_pairings(place: Place, *, user=None) -> list[dict]:
    """The place's pairings; with ``user``, only those they may open (pairings.view_pairing,
    asked by name for each: a place has few pairings)."""
    queryset = (
        Pairing.objects.filter(Q(place_a=place) | Q(place_b=place))
        .select_related("place_a__parent", "place_b__parent", "exchange")
        .order_by("-started_on", "id")
    )
    if user is None:
        rows = list(queryset[:SECTION_LIMIT])
    else:
        rows = [p for p in queryset if user.has_perm("pairings.view_pairing", p)]
        rows = rows[:SECTION_LIMIT]
    return [
        {"pairing": p, "other": p.place_b if p.place_a_id == place.pk else p.place_a} for p in rows
    ]


def place_page(place: Place, *, user=None) -> dict:
    return {
        "place": place,
        "ancestors": ancestors(place),
        "positions": place_positions(place),
        "organisations": place_organisations(place),
        "exchanges": place_exchanges(place),
        "activities": place_activities(place),
        "appointments_made": place_appointments_made(place),
        "appointments_received": place_appointments_received(place),
        "pairings": place_pairings(place, user=user),
        "alias_names": list(place.aliases.values_list("name", flat=True)),
    }


# --- people ------------------------------------------------------------------------------


def people():
    return Person.objects.alive().select_related("home_place__parent").order_by("name", "id")


def get_person(pk: int) -> Person:
    return get_object_or_404(Person.objects.alive().select_related("home_place__parent"), pk=pk)


def person_page(person: Person) -> dict:
    return {
        "person": person,
        "positions": list(
            person.positions.select_related("organisation__place", "place__parent").order_by(
                "-start_date", "id"
            )
        ),
        "memberships": list(
            Member.objects.filter(person=person, exchange__deleted_at__isnull=True)
            .select_related(
                "exchange__visiting_organisation",
                "exchange__host_place",
                "group__host_place",
                "organisation",
                "home_place",
            )
            .order_by("-exchange__start_date", "id")
        ),
        "appointments": list(
            person.appointments.alive()
            .select_related("community__parent", "person_place", "exchange")
            .order_by("-appointed_on", "id")
        ),
        "speeches": list(
            Speaker.objects.filter(person=person)
            .select_related(
                "forum__activity__exchange", "forum__activity__place", "organisation", "place"
            )
            .order_by("-forum__activity__starts_at", "id")
        ),
        "hosted": list(
            person.activities_hosted.select_related("exchange", "place")
            .filter(exchange__deleted_at__isnull=True)
            .order_by("-starts_at", "id")[:SECTION_LIMIT]
        ),
    }


# --- organisations --------------------------------------------------------------------------


def organisations():
    return Organisation.objects.alive().select_related("place__parent").order_by("name", "id")


def get_organisation(pk: int) -> Organisation:
    return get_object_or_404(
        Organisation.objects.alive().select_related("place__parent", "parent"), pk=pk
    )


def organisation_page(org: Organisation) -> dict:
    roles = list(
        ExchangeOrganisation.objects.filter(organisation=org, exchange__deleted_at__isnull=True)
        .select_related("exchange")
        .order_by("-exchange__start_date", "order")[:SECTION_LIMIT]
    )
    return {
        "organisation": org,
        "branches": list(org.branches.alive().order_by("name")),
        "positions": _capped(
            org.positions.select_related("person").order_by("-start_date", "title", "id")
        ),
        "visits": _capped(
            org.visits_made.alive().select_related("host_place").order_by("-start_date", "id")
        ),
        "roles": roles,
        "groups_hosted": list(
            Group.objects.filter(host_organisation=org, exchange__deleted_at__isnull=True)
            .select_related("exchange", "host_place")
            .order_by("-exchange__start_date", "order")[:SECTION_LIMIT]
        ),
        "venue_of": _capped(
            org.activities_hosted.filter(exchange__deleted_at__isnull=True)
            .select_related("exchange")
            .order_by("-starts_at", "id")
        ),
    }


# --- type-ahead ----------------------------------------------------------------------------

LOOKUP_LIMIT = 15
# Type-ahead asks the resolver from this many characters on, when search finds nothing.
RESOLVE_FROM = 4


def lookup_places(query: str, *, kind: str = "", side: str = "") -> list[Place]:
    """Places to choose for a new record: current ones only (a former village is kept for
    the records that name it, never offered), placeholders left out."""
    from civicbridge.core.selectors import search_places

    # The search index leaves out former places (unless asked) and placeholders, and
    # narrows to the side in SQL, so the limit is the limit.
    places = search_places(query, kind=kind or None, side=side or None, limit=LOOKUP_LIMIT)
    if not places and len(query.strip()) >= RESOLVE_FROM:
        # A chain of names (高雄三民区, 三民区鼎金里) or an everyday name no record contains
        # (阜四社区): what the resolver reads it as.
        from civicbridge.directory.resolution import resolve_place

        resolved = resolve_place(
            query, kinds=[kind] if kind else None, side=side or None, limit=LOOKUP_LIMIT
        )
        found = [c.place for c in resolved]
        places = list({p.pk: p for p in [*found, *places]}.values())[:LOOKUP_LIMIT]
    return places


def lookup_people(query: str) -> list[Person]:
    from civicbridge.core.selectors import search_people

    return search_people(query, limit=LOOKUP_LIMIT)
