"""Reads for the dashboard and the search page. The number of queries is fixed: it does
not grow with the number of records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from civicbridge.core import hans_hant
from civicbridge.directory.models import (
    COMMUNITY_LEVEL_KINDS,
    Organisation,
    Person,
    Place,
    PlaceKind,
)
from civicbridge.exchanges.models import Activity, Exchange, Member
from civicbridge.pairings.models import Appointment, Commitment, CommitmentStatus, Pairing

DUE_SOON_DAYS = 30
LIST_LIMIT = 6
# Kinds that count as "a community" in the statistics: Beijing communities/villages and Taipei li.
COMMUNITY_KINDS = (*COMMUNITY_LEVEL_KINDS, PlaceKind.LI)


def _exchanges():
    return (
        Exchange.objects.alive()
        .select_related("visiting_organisation", "visiting_place", "host_place")
        .annotate(
            member_count=Count("members", distinct=True),
            group_count=Count("groups", distinct=True),
        )
    )


def upcoming_exchanges(today: dt.date, limit: int = LIST_LIMIT):
    return list(_exchanges().filter(end_date__gte=today).order_by("start_date", "id")[:limit])


def recent_exchanges(today: dt.date, limit: int = LIST_LIMIT):
    return list(_exchanges().filter(end_date__lt=today).order_by("-start_date", "-id")[:limit])


def commitments_due(today: dt.date, days: int = DUE_SOON_DAYS, limit: int = 10, *, user=None):
    """Open or in-progress commitments due within ``days`` days, or overdue; only those
    ``user`` may read (pairings.view_commitment) when a user is given."""
    queryset = (
        Commitment.objects.filter(
            status__in=[CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS],
            due_on__isnull=False,
            due_on__lte=today + dt.timedelta(days=days),
        )
        .select_related(
            "exchange", "owner_person", "owner_organisation", "pairing__place_a", "pairing__place_b"
        )
        .order_by("due_on", "id")
    )
    if user is None:
        rows = list(queryset[:limit])
    elif not user.has_perm("pairings.view_commitment"):
        rows = []
    else:
        # The rule is asked by name for each row (the user's roles are read once).
        rows = []
        for row in queryset.iterator(chunk_size=100):
            if user.has_perm("pairings.view_commitment", row):
                rows.append(row)
                if len(rows) == limit:
                    break
    for row in rows:
        row.is_overdue = row.due_on < today
        row.days_left = (row.due_on - today).days
        row.days_overdue = -row.days_left
    return rows


def _per_year(queryset, date_field: str) -> dict[int, int]:
    return {
        row["year"]: row["n"]
        for row in queryset.annotate(year=ExtractYear(date_field))
        .values("year")
        .annotate(n=Count("id"))
        .order_by()
    }


def communities_per_year() -> dict[int, int]:
    """Distinct communities (community, village, li) involved each year: where an activity
    took place, the district groups went to and what lies in it is not counted — only the
    community-level places visited, appointing, appointed from or sending members."""
    seen: dict[int, set[int]] = defaultdict(set)
    sources = [
        Activity.objects.filter(
            exchange__deleted_at__isnull=True, place__kind__in=COMMUNITY_KINDS
        ).values_list(ExtractYear("exchange__start_date"), "place_id"),
        Appointment.objects.alive()
        .filter(community__kind__in=COMMUNITY_KINDS)
        .values_list(ExtractYear("appointed_on"), "community_id"),
        Appointment.objects.alive()
        .filter(person_place__kind__in=COMMUNITY_KINDS)
        .values_list(ExtractYear("appointed_on"), "person_place_id"),
        Member.objects.filter(
            exchange__deleted_at__isnull=True, home_place__kind__in=COMMUNITY_KINDS
        ).values_list(ExtractYear("exchange__start_date"), "home_place_id"),
    ]
    for queryset in sources:
        for year, place_id in queryset.distinct().order_by():
            seen[year].add(place_id)
    return {year: len(ids) for year, ids in seen.items()}


def yearly_counts() -> list[dict]:
    exchanges = _per_year(Exchange.objects.alive(), "start_date")
    appointments = _per_year(Appointment.objects.alive(), "appointed_on")
    pairings = _per_year(Pairing.objects.all(), "started_on")
    communities = communities_per_year()
    years = sorted(
        set(exchanges) | set(appointments) | set(pairings) | set(communities), reverse=True
    )
    return [
        {
            "year": year,
            "exchanges": exchanges.get(year, 0),
            "communities": communities.get(year, 0),
            "appointments": appointments.get(year, 0),
            "pairings": pairings.get(year, 0),
        }
        for year in years
    ]


def totals() -> dict:
    return {
        "exchanges": Exchange.objects.alive().count(),
        "active_pairings": Pairing.objects.filter(ended_on__isnull=True).count(),
        **Appointment.objects.alive().aggregate(appointments=Count("id")),
        **Person.objects.alive().aggregate(people=Count("id")),
    }


def dashboard(today: dt.date | None = None, *, user=None) -> dict:
    today = today or timezone.localdate()
    return {
        "today": today,
        "upcoming": upcoming_exchanges(today),
        "recent": recent_exchanges(today),
        "commitments": commitments_due(today, user=user),
        "due_soon_days": DUE_SOON_DAYS,
        "yearly": yearly_counts(),
        "totals": totals(),
    }


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
    from civicbridge.directory import search

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
    from civicbridge.directory import search

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


def search_exchanges(query: str, *, limit: int = SEARCH_LIMIT):
    query = hans_hant.query_text(query)
    if not query:
        return []
    forms = {
        query,
        hans_hant.convert_text(query, hans_hant.HANS),
        hans_hant.convert_text(query, hans_hant.HANT),
    }
    condition = Q()
    for form in forms:
        condition |= Q(title__icontains=form)
    return list(
        Exchange.objects.alive()
        .filter(condition)
        .select_related("visiting_organisation", "host_place")
        .order_by("-start_date", "id")[:limit]
    )


def _rank(key: str, search_text: str) -> int:
    words = search_text.split()
    if key in words:
        return 0
    if any(w.startswith(key) for w in words):
        return 1
    return 2


def search(query: str) -> dict:
    return {
        "places": search_places(query),
        "people": search_people(query),
        "organisations": search_organisations(query),
        "exchanges": search_exchanges(query),
    }
