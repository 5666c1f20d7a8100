"""Site search: places, people and organisations (the directory's search) and exchanges
by title, in either script."""

from __future__ import annotations

from django.db.models import Q

from civicbridge.core import hans_hant
from civicbridge.directory.selectors import (
    SEARCH_LIMIT,
    search_organisations,
    search_people,
    search_places,
)
from civicbridge.exchanges.models import Exchange


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
        condition |= Q(title__icontains=form) | Q(delegation_name__icontains=form)
    return list(
        Exchange.objects.alive()
        .filter(condition)
        .select_related("visiting_organisation", "host_place")
        .order_by("-start_date", "id")[:limit]
    )


def site_search(query: str) -> dict:
    return {
        "places": search_places(query),
        "people": search_people(query),
        "organisations": search_organisations(query),
        "exchanges": search_exchanges(query),
    }
