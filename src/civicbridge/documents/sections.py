"""The "Documents" section of the exchange page: every paper made from the record. What its
template (``documents/sections/exchange_documents.html``) is given; the section is listed
in the page tier (``civicbridge/pages/exchange/composition.py``)."""

from __future__ import annotations

from civicbridge.forums.models import Forum


def exchange_documents_context(request, exchange) -> dict:
    forums = list(
        Forum.objects.filter(activity__exchange=exchange)
        .select_related("activity")
        .order_by("activity__starts_at", "id")
    )
    appointments = list(
        exchange.appointments.alive()
        .select_related("person", "community")
        .order_by("appointed_on", "id")
    )
    return {
        "doc_forums": forums,
        "doc_appointments": appointments,
        "doc_tables": ("roster", "itinerary", "appointments", "gifts"),
    }
