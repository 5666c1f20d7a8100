"""The exchange page's "Sources" section: the reports the exchange's records come from, each
with the number of records taken from it and a link to its page (reports:source). What its
template (``reports/sources_section.html``) is given; to show it, list it in
``pages/exchange/composition.py``. Read-only: sources are written by ``record-facts``."""

from __future__ import annotations

from django.db.models import Count

from civicbridge.reports.models import Source


def sources_section_context(request, exchange) -> dict:
    sources = (
        Source.objects.filter(exchanges=exchange)
        .annotate(records=Count("provenance", distinct=True))
        .order_by("-published_on", "id")
    )
    return {"sources": list(sources)}
