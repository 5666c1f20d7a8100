"""The reception plan in the whole-database export (api/interchange.py): the plan, its cost
lines and its history round-trip byte-identical; the approved snapshot comes back with it."""

from __future__ import annotations

import json

import pytest

from civicbridge.api import interchange
from civicbridge.approvals import selectors, services
from civicbridge.approvals.models import CostLine, PlanStep, ReceptionPlan
from tests.api.test_interchange import empty_domain_tables, export_text
from tests.factories import build_reception_visit, fresh

pytestmark = pytest.mark.django_db


def test_plan_lines_and_history_round_trip():
    visit = build_reception_visit(3)
    inside = fresh(visit.world.users["organiser_haidian"])
    services.add_cost_line(
        exchange=visit.exchange,
        category="meals",
        description="欢迎晚宴",
        quantity=2,
        unit_price="1500.50",
        actual_amount="2800",
        actor=inside,
    )
    services.set_standards(exchange=visit.exchange, standards="四菜一汤\n标准间", actor=inside)
    services.submit_plan(exchange=visit.exchange, note="请审批", actor=inside)
    services.approve_plan(
        plan=ReceptionPlan.objects.get(), note="同意", actor=fresh(visit.org_beijing)
    )
    before = export_text()
    document = json.loads(before)
    exported = next(e for e in document["exchanges"] if e["id"] == visit.exchange.pk)
    (plan,) = exported["reception_plan"]
    assert (plan["status"], plan["submitted_by"], plan["decided_by"]) == (
        "approved",
        "org_haidian",
        "org_beijing",
    )
    assert [c["amount"] for c in plan["cost_lines"]] == ["3001.00"]
    assert [s["action"] for s in plan["steps"]] == ["submit", "approve"]
    empty_domain_tables()

    interchange.import_document(json.loads(before))

    assert export_text() == before
    assert (ReceptionPlan.objects.count(), CostLine.objects.count(), PlanStep.objects.count()) == (
        1,
        1,
        2,
    )
    data = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk))
    assert (data.plan.status, data.changes) == ("approved", [])
