"""Reads of programmes, figures and links that pages, the API and the exchange page share,
each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from civicbridge.directory.models import within
from civicbridge.exchanges.models import Exchange
from civicbridge.programmes.models import ExchangeLink, Programme, ProgrammeFigure

EXCHANGE_RELATED = ("host_place", "visiting_place", "visiting_organisation")
LINK_RELATED = ("other", "exchange", "where_place")


def programmes():
    """Every programme with its organiser and how many (live) exchanges and figures it has."""
    return (
        Programme.objects.select_related("organiser")
        .annotate(
            exchange_count=Count(
                "exchanges", filter=Q(exchanges__deleted_at__isnull=True), distinct=True
            ),
            figure_count=Count("figures", distinct=True),
        )
        .order_by("name", "id")
    )


def programme_exchanges(programme: Programme) -> list[Exchange]:
    """The programme's exchanges in date order (earliest first)."""
    return list(
        programme.exchanges.alive().select_related(*EXCHANGE_RELATED).order_by("start_date", "id")
    )


def programme_figures(programme: Programme) -> list[ProgrammeFigure]:
    return list(
        programme.figures.select_related("exchange").order_by(
            "period_start", "period_end", "order", "id"
        )
    )


def figure_periods(figures: list[ProgrammeFigure]) -> list[dict]:
    """The figures grouped by period, for the table and its bars: each period with its
    figures, each figure with the largest figure of the programme (the bars' one scale)."""
    largest = max((float(f.figure) for f in figures), default=0.0)
    periods: dict[tuple, dict] = {}
    for f in figures:
        key = (f.period_start, f.period_end)
        period = periods.setdefault(key, {"start": f.period_start, "end": f.period_end, "rows": []})
        period["rows"].append({"figure": f, "max": largest or 1})
    return list(periods.values())


def exchange_programmes(exchange: Exchange) -> list[Programme]:
    return list(exchange.programmes.select_related("organiser").order_by("name", "id"))


def exchange_links(exchange: Exchange) -> tuple[list[ExchangeLink], list[ExchangeLink]]:
    """(links recorded on the exchange, links other exchanges record to it)."""
    own = list(
        ExchangeLink.objects.filter(exchange=exchange)
        .select_related(*LINK_RELATED)
        .order_by("start_date", "id")
    )
    incoming = list(
        ExchangeLink.objects.filter(other=exchange, exchange__deleted_at__isnull=True)
        .select_related(*LINK_RELATED)
        .order_by("exchange__start_date", "id")
    )
    return own, incoming


def links_queryset():
    return ExchangeLink.objects.filter(exchange__deleted_at__isnull=True).select_related(
        *LINK_RELATED
    )


def programmes_at_place(place, *, limit: int = 50) -> list[Programme]:
    """Programmes whose exchanges were hosted at, or came from, ``place`` or below."""
    exchanges = Exchange.objects.alive().filter(
        within(place, field="host_place") | within(place, field="visiting_place")
    )
    return list(
        Programme.objects.filter(exchanges__in=exchanges)
        .select_related("organiser")
        .distinct()
        .order_by("name", "id")[:limit]
    )


def programme_detail_queryset():
    return Programme.objects.select_related("organiser").prefetch_related(
        Prefetch(
            "figures", queryset=ProgrammeFigure.objects.order_by("period_start", "order", "id")
        )
    )
