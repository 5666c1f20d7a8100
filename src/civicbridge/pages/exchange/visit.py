"""The exchange page's "Running the visit" section: one panel per app that runs a visit
(logistics and permits, the reception plan's approval, the published programme, sign-in),
each given its own context by its app's ``sections.visit_panel_context``."""

from __future__ import annotations

from civicbridge.approvals import sections as approvals_sections
from civicbridge.attendance import sections as attendance_sections
from civicbridge.logistics import sections as logistics_sections
from civicbridge.releases import sections as releases_sections

PANELS = (
    ("logistics", logistics_sections.visit_panel_context),
    ("approvals", approvals_sections.visit_panel_context),
    ("releases", releases_sections.visit_panel_context),
    ("attendance", attendance_sections.visit_panel_context),
)


def visit_section_context(request, exchange) -> dict:
    ctx: dict = {}
    for _app, panel_context in PANELS:
        ctx.update(panel_context(request, exchange))
    return ctx
