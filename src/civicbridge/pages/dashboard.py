"""Reads for the dashboard: upcoming and recent exchanges, commitments due, the figures
per year. The number of queries is fixed: it does not grow with the number of records.

Every figure counts only what took place: held exchanges, appointments and pairings
(``exchanges.selectors.held_exchanges``, ``pairings.selectors.held_appointments`` /
``held_pairings``), never planned, confirmed, cancelled or deleted ones. The lists show
what is coming as well."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from civicbridge.directory.models import COMMUNITY_LEVEL_KINDS, Person, PlaceKind
from civicbridge.documents.spreadsheets import Table
from civicbridge.documents.text import conv
from civicbridge.exchanges.models import Activity, Exchange, Member
from civicbridge.exchanges.selectors import held_exchanges, overdue_gifts
from civicbridge.logistics.selectors import upcoming_permit_warnings
from civicbridge.pages.figures import counts
from civicbridge.pairings.models import Commitment, Pairing
from civicbridge.pairings.selectors import held_appointments, held_pairings, readable_commitments

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
    # An exchange whose end is unknown counts by its start.
    going = Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)
    return list(_exchanges().filter(going).order_by("start_date", "id")[:limit])


def recent_exchanges(today: dt.date, limit: int = LIST_LIMIT):
    ended = Q(end_date__lt=today) | Q(end_date__isnull=True, start_date__lt=today)
    return list(_exchanges().filter(ended).order_by("-start_date", "-id")[:limit])


def commitments_due(today: dt.date, days: int = DUE_SOON_DAYS, limit: int = 10, *, user=None):
    """Open or in-progress commitments due within ``days`` days, or overdue; only those
    ``user`` may read (pairings.view_commitment, one filter) when a user is given."""
    queryset = readable_commitments(
        Commitment.objects.open().filter(
            due_on__isnull=False, due_on__lte=today + dt.timedelta(days=days)
        ),
        user,
    )
    rows = list(
        queryset.select_related(
            "exchange", "owner_person", "owner_organisation", "pairing__place_a", "pairing__place_b"
        ).order_by("due_on", "id")[:limit]
    )
    for row in rows:
        row.is_overdue = row.is_overdue_on(today)
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
    held = held_exchanges().values("pk")
    sources = [
        Activity.objects.filter(exchange__in=held, place__kind__in=COMMUNITY_KINDS).values_list(
            ExtractYear("exchange__start_date"), "place_id"
        ),
        held_appointments()
        .filter(community__kind__in=COMMUNITY_KINDS)
        .values_list(ExtractYear("appointed_on"), "community_id"),
        held_appointments()
        .filter(person_place__kind__in=COMMUNITY_KINDS)
        .values_list(ExtractYear("appointed_on"), "person_place_id"),
        Member.objects.filter(exchange__in=held, home_place__kind__in=COMMUNITY_KINDS).values_list(
            ExtractYear("exchange__start_date"), "home_place_id"
        ),
    ]
    for queryset in sources:
        for year, place_id in queryset.distinct().order_by():
            seen[year].add(place_id)
    return {year: len(ids) for year, ids in seen.items()}


def yearly_counts() -> list[dict]:
    exchanges = _per_year(held_exchanges(), "start_date")
    appointments = _per_year(held_appointments(), "appointed_on")
    pairings = _per_year(held_pairings(), "started_on")
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
    return counts(
        exchanges=held_exchanges(),
        appointments=held_appointments(),
        active_pairings=held_pairings(Pairing.objects.filter(ended_on__isnull=True)),
        people=Person.objects.alive(),
    )


STATISTICS_HEADERS = ["年份", "交流", "参与社区", "聘任", "结对"]


def statistics_table(which: str = "hans") -> Table:
    """The dashboard's figures year by year, as a spreadsheet (held records only, like the
    page), newest year first, with the totals of the years below."""
    yearly = yearly_counts()
    rows = [
        [row["year"], row["exchanges"], row["communities"], row["appointments"], row["pairings"]]
        for row in yearly
    ]
    # Communities are distinct within a year: one involved in two years is not two, so the
    # total of that column is left empty.
    rows.append(
        [
            conv("合计", which),
            sum(row["exchanges"] for row in yearly),
            "",
            sum(row["appointments"] for row in yearly),
            sum(row["pairings"] for row in yearly),
        ]
    )
    return Table(conv("统计", which), [conv(h, which) for h in STATISTICS_HEADERS], rows)


def dashboard(today: dt.date | None = None, *, user=None) -> dict:
    today = today or timezone.localdate()
    return {
        "today": today,
        "upcoming": upcoming_exchanges(today),
        "recent": recent_exchanges(today),
        "commitments": commitments_due(today, user=user),
        # Gifts still to register a month after their date, in the user's scope.
        "overdue_gifts": overdue_gifts(user, today) if user is not None else [],
        # Members of upcoming exchanges in the user's scope without a valid permit.
        "permit_warnings": upcoming_permit_warnings(user, today) if user is not None else [],
        "due_soon_days": DUE_SOON_DAYS,
        "yearly": yearly_counts(),
        "totals": totals(),
    }
