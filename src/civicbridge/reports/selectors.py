"""Reads of sources and provenance shared by the API and the pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q

from civicbridge.directory.models import Place
from civicbridge.exchanges.models import Exchange
from civicbridge.reports.models import Provenance, Source


def sources(*, exchange_id: int | None = None):
    """Sources (with their exchanges prefetched), of one exchange when given."""
    rows = Source.objects.prefetch_related(
        Prefetch("exchanges", queryset=Exchange.objects.only("id", "title"))
    )
    if exchange_id is not None:
        rows = rows.filter(exchanges__id=exchange_id)
    return rows


def provenance(*, source: Source):
    """The records taken from ``source``, in the order of their spans."""
    return Provenance.objects.filter(source=source).select_related("content_type")


def provenance_of(record):
    """Where ``record`` came from: its provenance rows with their sources."""
    return Provenance.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    ).select_related("source")


def provenance_records(*, source: Source) -> list[tuple[Provenance, object]]:
    """Each provenance row of ``source`` with its record (None when it was deleted), read
    with one query per type of record."""
    rows = list(provenance(source=source))
    by_type: dict[int, set[int]] = {}
    for row in rows:
        by_type.setdefault(row.content_type_id, set()).add(row.object_id)
    records = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        for obj in model._base_manager.filter(pk__in=ids).select_related(*related):
            records[(type_id, obj.pk)] = obj
    return [(row, records.get((row.content_type_id, row.object_id))) for row in rows]


def exchanges_like(document: dict, *, limit: int = 5) -> list[Exchange]:
    """Exchanges already recorded that a facts document may tell of again: the same first
    day, hosted at (or below) a place the document names as host."""
    facts = document.get("facts") if isinstance(document, dict) else None
    if not isinstance(facts, list):
        return []
    starts = {f.get("start") for f in facts if isinstance(f, dict) and f.get("type") == "date"}
    codes = {
        f.get("code")
        for f in facts
        if isinstance(f, dict) and f.get("type") == "host" and f.get("code")
    }
    days = []
    for value in starts:
        try:
            days.append(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    if not days or not codes:
        return []
    hosts = Place.objects.filter(code__in=codes)
    return list(
        Exchange.objects.filter(start_date__in=days)
        .filter(
            Q(host_place__in=hosts)
            | Q(places__place__in=hosts)
            | Q(host_place__in=[h.parent_id for h in hosts if h.parent_id])
        )
        .distinct()
        .order_by("-start_date", "pk")[:limit]
    )
