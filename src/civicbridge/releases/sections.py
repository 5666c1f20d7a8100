"""The releases panel of the exchange page's "Running the visit" section
(pages/exchange/visit.py): what its template (``templates/releases/visit_panel.html``) is given.
Keep the number of queries fixed: the exchange page has a query-count test."""

from __future__ import annotations

from django.urls import reverse

from civicbridge.releases import selectors


def visit_panel_context(request, exchange) -> dict:
    """``releases_panel``: the current release, the number of changes not yet published,
    the releases page's address and whether the reader may publish."""
    summary = selectors.panel_summary(exchange)
    user = request.user
    return {
        "releases_panel": {
            "current": summary.current,
            "pending": summary.pending,
            "url": reverse("releases:exchange", args=[exchange.pk]),
            "readable": user.has_perm("releases.view_release", exchange),
            "can_publish": user.has_perm("releases.publish_release", exchange),
        }
    }
