"""The attendance panel of the exchange page's "Running the visit" section
(pages/exchange/visit.py): what its template (``templates/attendance/visit_panel.html``) is given.
Keep the number of queries fixed: the exchange page has a query-count test (three queries:
the scheduled activities, their groups and the counts of check-ins)."""

from __future__ import annotations

from django.utils.timezone import now

from civicbridge.attendance import selectors

PANEL_ROWS = 5


def visit_panel_context(request, exchange) -> dict:
    user = request.user
    if not user.has_perm("attendance.view_attendance", exchange):
        return {"attendance_rows": None}
    rows = selectors.exchange_attendance(exchange)
    # The first activities still to come (or the first ones, after the visit): the panel is
    # a summary, each activity's attendance page has the rest.
    upcoming = [row for row in rows if row[0].ends_at is None or row[0].ends_at >= now()]
    shown = (upcoming or rows)[:PANEL_ROWS]
    return {
        "attendance_rows": shown,
        "attendance_more": len(rows) - len(shown),
        "attendance_checked_in": sum(done for _a, _expected, done in rows),
        "attendance_can_mark": user.has_perm("attendance.check_in"),
    }
