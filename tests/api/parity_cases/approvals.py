"""The reception plan (approvals/): cost lines, the reception standards, submitting,
approving and returning.

Who may: writing and submitting the 海淀 exchange's plan is changing the exchange (海淀's
organiser, not 延庆's, not a viewer). Approving or returning needs a higher office than the
host: ``extend`` adds an exchange hosted by 湖南社区, below 延庆, whose plan (submitted by
the system in ``setup``) the 延庆 organiser may approve, and neither 海淀's nor a viewer."""

from __future__ import annotations

from decimal import Decimal

from civicbridge.approvals import services
from civicbridge.approvals.models import CostLine, ReceptionPlan
from civicbridge.exchanges import services as exchanges


def extend(world):
    world.ap = exchanges.create_exchange(
        title="湖南社区接待",
        start_date=world.hd.start_date,
        end_date=world.hd.end_date,
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.other_community,
    )


def _line(w):
    w.cost_line = services.add_cost_line(
        exchange=w.hd, category="meals", description="午餐", quantity=20, unit_price="60"
    )


def _submitted(w):
    services.add_cost_line(
        exchange=w.ap, category="transport", description="大巴", quantity=1, unit_price="900"
    )
    services.submit_plan(exchange=w.ap)


def _status(exchange):
    return ReceptionPlan.objects.filter(exchange=exchange).values_list("status", flat=True).first()


def _line_form(w, **changes):
    line = CostLine.objects.get(pk=w.cost_line.pk)
    data = {
        "category": line.category,
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "actual_amount": "",
        "version": str(line.version),
    }
    data.update(changes)
    return data


def scenarios(p):
    S, only = p.S, p.only
    return [
        S(
            ("POST", "/exchanges/{exchange_id}/reception-plan/cost-lines"),
            "a cost line of the 海淀 plan",
            only(p.INSIDE),
            api=lambda w: (
                "post",
                f"/api/v1/exchanges/{w.hd.pk}/reception-plan/cost-lines",
                {"category": "transport", "description": "大巴", "quantity": 2, "unit_price": 900},
            ),
            page=lambda w: (
                p._url("approvals:cost_line_add", w.hd.pk),
                {
                    "category": "transport",
                    "description": "大巴",
                    "quantity": "2",
                    "unit_price": "900",
                },
            ),
            probe=lambda w: CostLine.objects.filter(plan__exchange=w.hd).count(),
        ),
        S(
            ("PATCH", "/reception-plan/cost-lines/{line_id}"),
            "change a cost line of the 海淀 plan",
            only(p.INSIDE),
            setup=_line,
            api=lambda w: (
                "patch",
                f"/api/v1/reception-plan/cost-lines/{w.cost_line.pk}",
                {"version": p._version(w.cost_line), "unit_price": 80},
            ),
            page=lambda w: (
                p._url("approvals:cost_line_edit", w.cost_line.pk),
                _line_form(w, unit_price="80"),
            ),
            probe=lambda w: p._fresh(w.cost_line).unit_price == Decimal(80),
        ),
        S(
            ("DELETE", "/reception-plan/cost-lines/{line_id}"),
            "remove a cost line of the 海淀 plan",
            only(p.INSIDE),
            setup=_line,
            api=lambda w: (
                "delete",
                f"/api/v1/reception-plan/cost-lines/{w.cost_line.pk}"
                f"?version={p._version(w.cost_line)}",
                None,
            ),
            page=lambda w: (
                p._url("approvals:cost_line_delete", w.cost_line.pk),
                {"version": str(p._version(w.cost_line))},
            ),
            probe=lambda w: CostLine.objects.filter(pk=w.cost_line.pk).count(),
        ),
        S(
            ("PUT", "/exchanges/{exchange_id}/reception-plan/standards"),
            "the 海淀 plan's reception standards",
            only(p.INSIDE),
            api=lambda w: (
                "put",
                f"/api/v1/exchanges/{w.hd.pk}/reception-plan/standards",
                {"standards": "四菜一汤"},
            ),
            page=lambda w: (p._url("approvals:standards", w.hd.pk), {"standards": "四菜一汤"}),
            probe=lambda w: (
                ReceptionPlan.objects.filter(exchange=w.hd)
                .values_list("standards", flat=True)
                .first()
            ),
        ),
        S(
            ("POST", "/exchanges/{exchange_id}/reception-plan/submit"),
            "submit the 海淀 plan",
            only(p.INSIDE),
            api=lambda w: (
                "post",
                f"/api/v1/exchanges/{w.hd.pk}/reception-plan/submit",
                {"note": "请审批"},
            ),
            page=lambda w: (p._url("approvals:submit", w.hd.pk), {"note": "请审批"}),
            probe=lambda w: _status(w.hd),
        ),
        S(
            ("POST", "/exchanges/{exchange_id}/reception-plan/approve"),
            "approve the 湖南社区 plan (延庆 is the higher office)",
            only(p.OUTSIDE),
            setup=_submitted,
            api=lambda w: (
                "post",
                f"/api/v1/exchanges/{w.ap.pk}/reception-plan/approve",
                {"note": "同意"},
            ),
            page=lambda w: (p._url("approvals:approve", w.ap.pk), {"note": "同意"}),
            probe=lambda w: _status(w.ap),
        ),
        S(
            ("POST", "/exchanges/{exchange_id}/reception-plan/return"),
            "return the 湖南社区 plan with a note",
            only(p.OUTSIDE),
            setup=_submitted,
            api=lambda w: (
                "post",
                f"/api/v1/exchanges/{w.ap.pk}/reception-plan/return",
                {"note": "超标准"},
            ),
            page=lambda w: (p._url("approvals:return", w.ap.pk), {"note": "超标准"}),
            probe=lambda w: _status(w.ap),
        ),
    ]
