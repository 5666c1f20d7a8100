"""Exchanges per district: for each mainland district and each Taiwanese county (the areas
leaders report by: ``pairings.selectors.area_in_chain``), the exchanges it hosted and those it
sent, held ones counted (``exchanges.selectors.held_exchanges``) and planned ones apart, with
the areas on the other side they came from or went to, each linked to the exchange list
filtered alike (``?host=``, ``?visiting=``: ``exchanges.selectors.hosted_within``,
``visiting_from``).

Where an exchange was hosted: its host place, its further host places and its groups' host
places (a city's visit goes to its districts through its groups); where it came from: its
visiting place and its further visiting places. A fixed number of queries: the exchanges'
places are read as rows, their areas in one query (``report_areas``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from civicbridge.core.views import require_perm
from civicbridge.directory.models import MAINLAND, TAIWAN, Place
from civicbridge.exchanges.models import Exchange, ExchangePlace, ExchangeStatus, Group
from civicbridge.pairings.selectors import report_areas

# Counted apart: not held yet, not called off.
PLANNED = (ExchangeStatus.PLANNED, ExchangeStatus.CONFIRMED)


@dataclass
class Link:
    """An area on the other side, with how many held exchanges joined the two."""

    place: Place
    count: int
    url: str


@dataclass
class AreaRow:
    place: Place
    hosted: int = 0
    hosted_planned: int = 0
    sent: int = 0
    sent_planned: int = 0
    hosted_url: str = ""
    sent_url: str = ""
    came_from: list[Link] = field(default_factory=list)
    went_to: list[Link] = field(default_factory=list)


def _list_url(**params) -> str:
    return f"{reverse('exchanges:list')}?{urlencode(params | {'status': ExchangeStatus.HELD})}"


def _places_of_exchanges() -> tuple[dict, dict[int, set[str]], dict[int, set[str]]]:
    """(status of each live exchange, its host paths, its visiting paths). Three queries."""
    status: dict[int, str] = {}
    hosts: dict[int, set[str]] = {}
    visitors: dict[int, set[str]] = {}
    for pk, state, host, visiting in (
        Exchange.objects.alive()
        .exclude(status=ExchangeStatus.CANCELLED)
        .values_list("pk", "status", "host_place__path", "visiting_place__path")
    ):
        status[pk] = state
        if host:
            hosts.setdefault(pk, set()).add(host)
        if visiting:
            visitors.setdefault(pk, set()).add(visiting)
    for pk, role, path in ExchangePlace.objects.filter(
        exchange_id__in=list(status), place__isnull=False
    ).values_list("exchange_id", "role", "place__path"):
        (hosts if role == ExchangePlace.Role.HOST else visitors).setdefault(pk, set()).add(path)
    for pk, path in Group.objects.filter(
        exchange_id__in=list(status), host_place__isnull=False
    ).values_list("exchange_id", "host_place__path"):
        hosts.setdefault(pk, set()).add(path)
    return status, hosts, visitors


def exchanges_by_area() -> dict:
    """``{"mainland": [AreaRow], "taiwan": [AreaRow], "unplaced": n}``: the areas in the
    directory's order; ``unplaced``: held exchanges whose host is not known down to a
    district or county. Four queries."""
    status, hosts, visitors = _places_of_exchanges()
    paths = {p for group in (hosts, visitors) for ps in group.values() for p in ps}
    area_of = report_areas(paths)

    def areas(paths_of_exchange) -> set[int]:
        return {area_of[p].pk for p in paths_of_exchange if area_of.get(p) is not None}

    places = {a.pk: a for a in area_of.values() if a is not None}
    rows = {pk: AreaRow(place=place) for pk, place in places.items()}
    came_from: dict[int, Counter] = {}
    went_to: dict[int, Counter] = {}
    unplaced = 0
    for pk, state in status.items():
        host_areas, visiting_areas = areas(hosts.get(pk, ())), areas(visitors.get(pk, ()))
        held = state == ExchangeStatus.HELD
        if held and not host_areas:
            unplaced += 1
        for area in host_areas:
            if held:
                rows[area].hosted += 1
                came_from.setdefault(area, Counter()).update(
                    v for v in visiting_areas if places[v].side_id != places[area].side_id
                )
            elif state in PLANNED:
                rows[area].hosted_planned += 1
        for area in visiting_areas:
            if held:
                rows[area].sent += 1
                went_to.setdefault(area, Counter()).update(
                    h for h in host_areas if places[h].side_id != places[area].side_id
                )
            elif state in PLANNED:
                rows[area].sent_planned += 1
    for pk, row in rows.items():
        row.hosted_url = _list_url(host=pk)
        row.sent_url = _list_url(visiting=pk)
        row.came_from = [
            Link(places[other], n, _list_url(host=pk, visiting=other))
            for other, n in sorted(came_from.get(pk, Counter()).items(), key=_by_count(places))
        ]
        row.went_to = [
            Link(places[other], n, _list_url(host=other, visiting=pk))
            for other, n in sorted(went_to.get(pk, Counter()).items(), key=_by_count(places))
        ]
    ordered = sorted(rows.values(), key=lambda r: r.place.path)
    return {
        "mainland": [r for r in ordered if r.place.side_id == MAINLAND],
        "taiwan": [r for r in ordered if r.place.side_id == TAIWAN],
        "unplaced": unplaced,
    }


def _by_count(places):
    return lambda item: (-item[1], places[item[0]].path)


@login_required
def exchanges_by_district(request):
    require_perm(request, "exchanges.view_exchange")
    return render(request, "pages/exchanges_by_district.html", exchanges_by_area())
