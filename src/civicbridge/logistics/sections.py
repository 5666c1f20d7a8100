"""The logistics panel of the exchange page's "Running the visit" section
(pages/exchange/visit.py): what its template (``templates/logistics/visit_panel.html``) is given.
Keep the number of queries fixed: the exchange page has a query-count test. The permit
warnings read the members the page has prefetched; the personal-data rule adds its few
queries for the numbers (none for an administrator)."""

from __future__ import annotations

from django.urls import reverse

from civicbridge.logistics import rules, selectors


def visit_panel_context(request, exchange) -> dict:
    user = request.user
    sees_warnings = user.has_perm("logistics.view_permit_warnings", exchange)
    return {
        "logistics_grid_url": reverse("logistics:grid", args=[exchange.pk]),
        "logistics_can_edit": user.has_perm(rules.CHANGE, exchange),
        "logistics_sheet_xlsx": reverse("documents:logistics_sheet", args=[exchange.pk, "xlsx"]),
        "logistics_sheet_pdf": reverse("documents:logistics_sheet", args=[exchange.pk, "pdf"]),
        "permit_warnings_shown": sees_warnings,
        "permit_warnings": selectors.permit_warnings(exchange, user=user) if sees_warnings else [],
    }
