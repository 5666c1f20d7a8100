"""The approvals panel of the exchange page's "Running the visit" section
(pages/exchange/visit.py): what its template (``templates/approvals/visit_panel.html``) is given.
Keep the number of queries fixed: the exchange page has a query-count test. Without a plan
row the panel costs one query; with an approved plan it compares the record with what was
approved (the itinerary and the cost lines: four more), whatever their size."""

from __future__ import annotations

import json

from django.urls import reverse

from civicbridge.approvals import selectors


def visit_panel_context(request, exchange) -> dict:
    plan = selectors.plan_of(exchange)
    changes: list[str] = []
    total = None
    if plan is not None:
        plan.exchange = exchange
        snapshot = selectors.current_snapshot(exchange, plan)
        total = snapshot["total"]
        if plan.approved_snapshot:
            changes = selectors.plan_changes(
                json.loads(plan.approved_snapshot), snapshot, exchange.timezone
            )
    return {
        "approval_plan": plan,
        "approval_status": plan.get_status_display() if plan is not None else None,
        "approval_total": total,
        "approval_changes": changes,
        "approval_needs_reapproval": plan is not None
        and plan.status == "approved"
        and bool(changes),
        "approval_url": reverse("approvals:plan", args=[exchange.pk]),
        "approval_pdf_url": reverse("documents:reception_plan_pdf", args=[exchange.pk]),
    }
