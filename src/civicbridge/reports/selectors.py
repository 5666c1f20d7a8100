"""Reads of sources and provenance shared by the API and the pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, Q

from civicbridge.core import hans_hant
from civicbridge.directory.models import Place, path_within
from civicbridge.exchanges.models import Activity, Exchange, ExchangePlace
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
    return (
        Provenance.objects.filter(source=source)
        .select_related("content_type")
        # A record with no span first on every database (PostgreSQL sorts NULL last).
        .order_by(F("span_start").asc(nulls_first=True), "id")
    )


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


def _keys(*names) -> set[str]:
    return {k for k in (hans_hant.search_key(n) for n in names if n) if k}


def _overlap(a: set[str], b: set[str]) -> bool:
    """Two sets of name keys share a name, or one name holds another (大安区里长联谊会 in
    大安区里长联谊会参访团)."""
    if a & b:
        return True
    return any(len(x) >= 3 and len(y) >= 3 and (x in y or y in x) for x in a for y in b)


def _document_days(facts: list[dict], published) -> tuple[dt.date, dt.date] | None:
    for fact in facts:
        if fact.get("type") != "date":
            continue
        try:
            start = dt.date.fromisoformat(fact.get("start"))
            end = dt.date.fromisoformat(fact.get("end") or fact.get("start"))
        except (TypeError, ValueError):
            continue
        return start, max(start, end)
    try:
        day = dt.date.fromisoformat(published)
    except (TypeError, ValueError):
        return None
    # No date: a report tells of the days before its publication.
    return day - dt.timedelta(days=31), day


def _text(fact: dict, name: str) -> str:
    value = fact.get(name)
    return value if isinstance(value, str) else ""


def exchanges_like(
    document: dict, *, limit: int = 5, text_sha256: str | None = None
) -> list[Exchange]:
    """Exchanges already recorded that a facts document may tell of again.

    First the exchanges of a source recorded from the same text (``text_sha256``, or the
    document's). Then those whose days overlap the document's (without a date fact: the
    month before its publication), hosted on the side of the document's host places, that
    share a host place with it (the same, one above or below) or a name: the delegation's
    organisation or name, its visiting place, a venue or a host place's name."""
    if not isinstance(document, dict):
        return []
    facts = document.get("facts")
    facts = [f for f in facts if isinstance(f, dict)] if isinstance(facts, list) else []
    sha = text_sha256 or document.get("text_sha256")
    found: list[Exchange] = []
    if isinstance(sha, str) and sha:
        found = list(
            Exchange.objects.filter(sources__text_sha256=sha, deleted_at__isnull=True)
            .distinct()
            .order_by("-start_date", "pk")[:limit]
        )
    days = _document_days(facts, document.get("published"))
    if days is None:
        return found
    codes = {_text(f, "code") for f in facts if f.get("type") == "host"} - {""}
    hosts = list(Place.objects.filter(code__in=codes)) if codes else []
    sides = {h.side_id for h in hosts}
    host_paths = [h.path for h in hosts]
    delegation = _keys(
        *(_text(f, "organisation") for f in facts if f.get("type") == "delegation"),
    )
    places = _keys(
        *(_text(f, "leader_place") for f in facts if f.get("type") == "delegation"),
        *(_text(f, "place") for f in facts if f.get("type") in ("host", "person")),
    )
    venues = _keys(
        *(_text(f, "venue") for f in facts if f.get("type") == "visit"),
        *(_text(f, "host") for f in facts if f.get("type") in ("forum", "group")),
    )
    start, end = days
    candidates = (
        Exchange.objects.filter(deleted_at__isnull=True, start_date__lte=end)
        .filter(Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start))
        .exclude(pk__in=[e.pk for e in found])
        .select_related("host_place", "visiting_place", "visiting_organisation")
        .prefetch_related(
            Prefetch("places", queryset=ExchangePlace.objects.select_related("place")),
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("venue", "place").only(
                    "id", "exchange_id", "title", "venue__name", "venue__name_hans",
                    "place__name", "place__name_hans", "place__short_name",
                ),
            ),
        )
        .order_by("-start_date", "pk")
    )  # fmt: skip
    if sides:
        candidates = candidates.filter(host_place__side_id__in=sides)
    for exchange in candidates[:200]:
        if len(found) >= limit:
            break
        further = [
            r.place for r in exchange.places.all() if r.place and r.role == ExchangePlace.Role.HOST
        ]
        held_places = [exchange.host_place, *further]
        # The host place of an exchange with further hosts is their common ancestor (北京市
        # for four districts): a place below it is not therefore shared.
        above = further or [exchange.host_place]
        shares_host = any(path_within(p.path, host_paths) for p in held_places) or any(
            path_within(h, [p.path]) for h in host_paths for p in above
        )
        org = exchange.visiting_organisation
        held_delegation = _keys(
            *exchange.delegation_name.split("、"),
            *((org.name, org.name_hans, org.short_name) if org else ()),
        )
        held_places_names = _keys(
            *(n for p in held_places for n in (p.name, p.name_hans, p.short_name)),
            *(
                (exchange.visiting_place.name, exchange.visiting_place.short_name)
                if exchange.visiting_place
                else ()
            ),
            *(r.wording for r in exchange.places.all()),
        )
        held_venues = _keys(
            *(
                n
                for a in exchange.activities.all()
                for n in (
                    a.title,
                    a.venue.name if a.venue else "",
                    a.place.name if a.place else "",
                    a.place.short_name if a.place else "",
                )
            )
        )
        shares_name = (
            _overlap(delegation, held_delegation)
            or _overlap(places, held_places_names)
            or _overlap(venues, held_venues)
        )
        if shares_host or shares_name:
            found.append(exchange)
    return found[:limit]
