"""The attendance panel of the exchange page's "Running the visit" section
(pages/exchange/visit.py): what its template (``templates/attendance/visit_panel.html``) is given.
Keep the number of queries fixed: the exchange page has a query-count test."""

from __future__ import annotations


def visit_panel_context(request, exchange) -> dict:
    return {}
