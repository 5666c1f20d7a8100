"""The plan's workflow and its one rule (approvals/rules.py), through the services and
through the pages and the API with the same actors: the 海淀 organiser (inside) writes and
submits; the 北京市 organiser (a higher office) or an administrator approves; the submitter,
the 延庆 organiser and a viewer are refused."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from civicbridge.accounts.models import AuditEntry
from civicbridge.approvals import selectors, services
from civicbridge.approvals.models import CostLine, PlanStatus, PlanStep, ReceptionPlan
from civicbridge.approvals.rules import may_decide_on
from civicbridge.directory import services as directory
from civicbridge.exchanges import services as exchanges
from tests.factories import at, fresh

pytestmark = pytest.mark.django_db


def _costs(visit, actor):
    services.add_cost_line(
        exchange=visit.exchange,
        category="accommodation",
        description="友谊宾馆 2晚",
        quantity=40,
        unit_price="380",
        actor=actor,
    )
    services.add_cost_line(
        exchange=visit.exchange,
        category="meals",
        description="欢迎晚宴",
        quantity=2,
        unit_price="1500.50",
        actor=actor,
    )


def _plan(visit) -> ReceptionPlan:
    return ReceptionPlan.objects.get(exchange=visit.exchange)


def _users(visit):
    users = visit.world.users
    return {
        "inside": fresh(users["organiser_haidian"]),
        "outside": fresh(users["organiser_yanqing"]),
        "viewer": fresh(users["viewer"]),
        "admin": fresh(users["administrator"]),
        "higher": fresh(visit.org_beijing),
    }


def test_cost_lines_amount_and_total(visit):
    u = _users(visit)
    _costs(visit, u["inside"])
    data = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk))
    assert [c.amount for c in data.cost_lines] == [Decimal("15200.00"), Decimal("3001.00")]
    assert data.total == Decimal("18201.00")


def test_who_may_write_and_submit(visit):
    u = _users(visit)
    for who in ("outside", "viewer"):
        with pytest.raises(PermissionDenied):
            _costs(visit, u[who])
        with pytest.raises(PermissionDenied):
            services.submit_plan(exchange=visit.exchange, actor=u[who])
    assert ReceptionPlan.objects.count() == 0
    _costs(visit, u["inside"])
    services.submit_plan(exchange=visit.exchange, note="请审批", actor=u["inside"])
    plan = _plan(visit)
    assert (plan.status, plan.round, plan.submitted_by_id) == ("submitted", 1, u["inside"].pk)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("inside", False), ("outside", False), ("viewer", False), ("higher", True), ("admin", True)],
)
def test_who_may_approve(visit, who, allowed):
    u = _users(visit)
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    plan = _plan(visit)
    assert may_decide_on(u[who], plan) == allowed
    if allowed:
        services.approve_plan(plan=plan, actor=u[who])
        assert _plan(visit).status == "approved"
    else:
        with pytest.raises(PermissionDenied):
            services.approve_plan(plan=plan, actor=u[who])
        assert _plan(visit).status == "submitted"


def test_the_submitter_never_approves_even_an_administrator(visit):
    u = _users(visit)
    services.submit_plan(exchange=visit.exchange, actor=u["admin"])
    plan = _plan(visit)
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan=plan, actor=u["admin"])
    services.approve_plan(plan=plan, actor=u["higher"])
    assert _plan(visit).decided_by_id == u["higher"].pk


def test_same_scope_organiser_is_not_a_higher_office(visit):
    """The 海淀 organiser may change the 海淀 exchange but not approve its plan, even one
    submitted by somebody else."""
    u = _users(visit)
    services.submit_plan(exchange=visit.exchange, actor=u["admin"])
    assert u["inside"].has_perm("approvals.change_plan", visit.exchange) is True
    assert may_decide_on(u["inside"], _plan(visit)) is False


def test_return_needs_a_note_then_resubmit_starts_a_new_round(visit):
    u = _users(visit)
    _costs(visit, u["inside"])
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    with pytest.raises(ValidationError) as exc:
        services.return_plan(plan=_plan(visit), note="  ", actor=u["higher"])
    assert list(exc.value.message_dict) == ["note"]
    services.return_plan(plan=_plan(visit), note="住宿超标准", actor=u["higher"])
    assert _plan(visit).status == "returned"
    line = CostLine.objects.get(description="友谊宾馆 2晚")
    services.update_cost_line(
        line=line, expected_version=line.version, unit_price="300", actor=u["inside"]
    )
    services.submit_plan(exchange=visit.exchange, note="已调整", actor=u["inside"])
    services.approve_plan(plan=_plan(visit), note="同意", actor=u["admin"])
    steps = list(PlanStep.objects.values_list("action", "round", "actor_name", "note"))
    assert steps == [
        ("submit", 1, "org_haidian", ""),
        ("return", 1, "org_beijing", "住宿超标准"),
        ("submit", 2, "org_haidian", "已调整"),
        ("approve", 2, "admin", "同意"),
    ]


def test_locked_while_submitted_and_no_double_submission(visit):
    u = _users(visit)
    _costs(visit, u["inside"])
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    with pytest.raises(ValidationError):
        services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    with pytest.raises(ValidationError):
        _costs(visit, u["inside"])
    with pytest.raises(ValidationError):
        services.set_standards(exchange=visit.exchange, standards="四菜一汤", actor=u["inside"])


def test_steps_and_plan_are_audited(visit):
    u = _users(visit)
    _costs(visit, u["inside"])
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    services.approve_plan(plan=_plan(visit), actor=u["higher"])
    models = set(
        AuditEntry.objects.filter(model__startswith="approvals.").values_list("model", "action")
    )
    assert models == {
        ("approvals.receptionplan", "create"),
        ("approvals.receptionplan", "update"),
        ("approvals.costline", "create"),
        ("approvals.planstep", "create"),
    }


def _approved(visit):
    u = _users(visit)
    _costs(visit, u["inside"])
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    services.approve_plan(plan=_plan(visit), actor=u["higher"])
    return u


def test_a_change_after_approval_is_flagged_and_listed(visit):
    u = _approved(visit)
    data = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk))
    assert (data.changes, data.needs_reapproval) == ([], False)
    forum = visit.activities["forum"]
    exchanges.update_activity(
        activity=forum,
        starts_at=at(15, day=22),
        ends_at=at(17, day=22),
        expected_version=forum.version,
        actor=u["inside"],
    )
    exchanges.add_member(exchange=visit.exchange, person=directory.create_person(name="新里長"))
    with translation.override("en"):
        data = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk))
    assert data.needs_reapproval is True
    assert data.changes == [
        "Number of members: 20 → 21",
        "Activity “京台社区大讲堂” moved from 22 Apr 14:00 to 15:00",
    ]
    with translation.override("zh-hans"):  # the day as a Chinese reader writes it
        moved = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk)).changes[1]
    assert "4月22日 14:00" in moved
    assert moved.endswith("15:00")


def test_a_change_after_approval_then_resubmission_clears_the_flag(visit):
    u = _approved(visit)
    with pytest.raises(ValidationError):  # nothing changed
        services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    exchanges.delete_activity(activity=visit.activities["walk"])
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    plan = _plan(visit)
    assert (plan.status, plan.round) == ("submitted", 2)
    services.approve_plan(plan=plan, actor=u["admin"])
    data = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk))
    assert (data.needs_reapproval, data.changes) == (False, [])
    assert [line["title"] for line in json.loads(_plan(visit).approved_snapshot)["itinerary"]] == [
        "参观石油大院社区",
        "午餐",
        "京台社区大讲堂",
        "欢迎晚宴",
        "海淀座谈",
    ]


def test_recording_actual_amounts_is_not_a_change(visit):
    u = _approved(visit)
    line = CostLine.objects.get(description="欢迎晚宴")
    services.update_cost_line(
        line=line, expected_version=line.version, actual_amount="2800", actor=u["inside"]
    )
    data = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk))
    assert (data.changes, data.actual_total) == ([], Decimal("18000.00"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unit_price", "-1"),
        ("unit_price", "NaN"),
        ("unit_price", "1e400"),
        ("quantity", "abc"),
        ("description", "\x00"),
        ("category", "bribes"),
    ],
)
def test_hostile_cost_line_values_are_field_errors(visit, field, value):
    u = _users(visit)
    kwargs = {
        "category": "other",
        "description": "茶歇",
        "quantity": 1,
        "unit_price": "10",
        field: value,
    }
    with pytest.raises(ValidationError) as exc:
        services.add_cost_line(exchange=visit.exchange, actor=u["inside"], **kwargs)
    assert list(exc.value.message_dict) == [field]


# --- the same actors through the page and the API -------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [("inside", 302), ("higher", 302), ("admin", 302), ("outside", 403), ("viewer", 403)],
)
def test_page_submit_and_add_by_role(visit, who, status):
    u = _users(visit)
    url = reverse("approvals:cost_line_add", args=[visit.exchange.pk])
    data = {"category": "transport", "description": "大巴", "quantity": "2", "unit_price": "900"}
    assert _client(u[who]).post(url, data).status_code == status
    submit = reverse("approvals:submit", args=[visit.exchange.pk])
    assert _client(u[who]).post(submit, {"note": ""}).status_code == status
    plan = ReceptionPlan.objects.filter(exchange=visit.exchange).first()
    assert (plan.status if plan else None) == ("submitted" if status == 302 else None)


@pytest.mark.parametrize(
    ("who", "page_status", "api_status"),
    [
        ("inside", 403, 403),  # the submitter (and only the same scope)
        ("outside", 403, 403),
        ("viewer", 403, 403),
        ("higher", 302, 200),
        ("admin", 302, 200),
    ],
)
def test_page_and_api_approve_by_role(visit, who, page_status, api_status):
    u = _users(visit)
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    url = reverse("approvals:approve", args=[visit.exchange.pk])
    assert _client(u[who]).post(url, {"note": "同意"}).status_code == page_status
    assert _plan(visit).status == ("approved" if page_status == 302 else "submitted")
    if page_status == 302:  # back to submitted for the API's turn
        plan = _plan(visit)
        plan.status = PlanStatus.SUBMITTED
        plan.save()
    client = _client(u[who])
    response = client.post(
        f"/api/v1/exchanges/{visit.exchange.pk}/reception-plan/approve",
        data=json.dumps({"note": "同意"}),
        content_type="application/json",
    )
    assert response.status_code == api_status
    assert _plan(visit).status == ("approved" if api_status == 200 else "submitted")


def test_page_return_without_note_shows_the_error_and_changes_nothing(visit):
    u = _users(visit)
    services.submit_plan(exchange=visit.exchange, actor=u["inside"])
    response = _client(u["higher"]).post(
        reverse("approvals:return", args=[visit.exchange.pk]), {"note": ""}
    )
    assert response.status_code == 400
    assert _plan(visit).status == "submitted"
    assert "errorlist" in response.content.decode()


def test_api_reads_the_plan(visit):
    u = _approved(visit)
    client = _client(u["viewer"])
    body = client.get(f"/api/v1/exchanges/{visit.exchange.pk}/reception-plan").json()
    assert (body["status"], body["round"], body["total"], body["decided_by"]) == (
        "approved",
        1,
        "18201.00",
        "org_beijing",
    )
    assert [line["title"] for line in body["itinerary"]][:2] == ["参观石油大院社区", "午餐"]
    assert body["size"] == {"members": 20, "groups": 2, "declared": 20}
    assert [s["action"] for s in body["steps"]] == ["submit", "approve"]


def test_page_flags_the_change_after_approval(visit):
    u = _approved(visit)
    forum = visit.activities["forum"]
    exchanges.update_activity(
        activity=forum,
        starts_at=at(15, day=22),
        ends_at=at(17, day=22),
        expected_version=forum.version,
        actor=u["inside"],
    )
    client = _client(u["viewer"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("approvals:plan", args=[visit.exchange.pk])).content.decode()
    assert "Needs re-approval" in html
    assert "Activity “京台社区大讲堂” moved from 22 Apr 14:00 to 15:00" in html
    page = client.get(reverse("exchanges:detail", args=[visit.exchange.pk])).content.decode()
    assert "Needs re-approval" in page
    assert "moved from 22 Apr 14:00 to 15:00" in page


def test_hostile_ids_are_404(visit):
    u = _users(visit)
    client = _client(u["admin"])
    assert client.get("/approvals/exchanges/99999999/").status_code == 404
    assert (
        client.post("/approvals/cost-lines/99999999/delete/", {"version": "1"}).status_code == 404
    )
    assert client.get("/documents/exchanges/99999999/reception-plan.pdf").status_code == 404
    assert (
        client.post(
            reverse("approvals:cost_line_add", args=[visit.exchange.pk]),
            {
                "category": "other",
                "description": "x\u202ey",
                "quantity": "1",
                "unit_price": "99999999999999",
            },
        ).status_code
        == 400
    )


def test_dates_are_unchanged_in_snapshot(visit):
    u = _approved(visit)
    exchanges.update_exchange(
        exchange=visit.exchange,
        end_date=dt.date(2016, 4, 24),
        expected_version=visit.exchange.version,
        actor=u["admin"],
    )
    with translation.override("en"):
        data = selectors.plan_data(selectors.plan_exchange(visit.exchange.pk))
    assert data.changes == ["Dates: 2016-04-22 – 2016-04-23 → 2016-04-22 – 2016-04-24"]


def test_plan_page_in_traditional_shows_the_record_in_the_readers_script(visit):
    u = _approved(visit)
    client = _client(u["viewer"])
    client.cookies["django_language"] = "zh-hant"
    html = client.get(reverse("approvals:plan", args=[visit.exchange.pk])).content.decode()
    assert "歡迎晚宴" in html  # entered as 欢迎晚宴
    assert "陳里長01" in html
    assert "18201.00" in html


def test_cost_line_edit_keeps_what_was_typed_next_to_the_error(visit):
    u = _users(visit)
    _costs(visit, u["inside"])
    line = CostLine.objects.get(description="欢迎晚宴")
    client = _client(u["inside"])
    response = client.post(
        reverse("approvals:cost_line_edit", args=[line.pk]),
        {
            "category": "meals",
            "description": "欢迎晚宴（加菜）",
            "quantity": "2",
            "unit_price": "-5",
            "version": str(line.version),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "欢迎晚宴（加菜）" in html
    assert 'id="id_cost_unit_price_errors"' in html
    assert CostLine.objects.get(pk=line.pk).unit_price == Decimal("1500.50")


def test_stale_cost_line_edit_is_refused(visit):
    u = _users(visit)
    _costs(visit, u["inside"])
    line = CostLine.objects.get(description="欢迎晚宴")
    services.update_cost_line(
        line=line, expected_version=line.version, quantity=3, actor=u["inside"]
    )
    response = _client(u["inside"]).post(
        reverse("approvals:cost_line_edit", args=[line.pk]),
        {
            "category": "meals",
            "description": "欢迎晚宴",
            "quantity": "4",
            "unit_price": "1500.50",
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert CostLine.objects.get(pk=line.pk).quantity == Decimal(3)
