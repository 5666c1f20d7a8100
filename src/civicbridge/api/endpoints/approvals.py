"""The reception plan (接待方案) of an exchange: read it (generated from the record, with
its cost lines, approval history and the changes since its approval), write its cost lines
and reception standards, and submit, approve or return it.

Each write calls the service the plan page calls (approvals/services.py) with
``actor=request.user``; the service asks approvals/rules.py by name (``change_plan``,
``submit_plan``, ``approve_plan``, ``return_plan``). Reading needs ``approvals.view_plan``.
A change or removal of a cost line carries its ``version`` (409 when it changed meanwhile)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from civicbridge.api.core import responses
from civicbridge.api.endpoints.common import PathId, QueryVersion, Text, Version, changes, need
from civicbridge.approvals import selectors, services
from civicbridge.approvals.models import CostLine, ReceptionPlan
from civicbridge.exchanges.models import Exchange

router = Router(tags=["approvals"])

Category = Literal["accommodation", "meals", "transport", "venue", "gifts", "printing", "other"]
Quantity = Annotated[
    Decimal, Field(ge=0, le=services.MAX_QUANTITY, max_digits=10, decimal_places=2)
]
Price = Annotated[Decimal, Field(ge=0, le=services.MAX_PRICE, max_digits=12, decimal_places=2)]


class CostLineOut(Schema):
    id: int
    category: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal = Field(description="quantity × unit price")
    actual_amount: Decimal | None = Field(description="what was spent (after the visit)")
    version: int


class StepOut(Schema):
    action: str
    round: int
    by: str = Field(description="the actor's name as it was")
    at: dt.datetime
    note: str

    @staticmethod
    def resolve_by(obj) -> str:
        return obj.actor_name


class LineOut(Schema):
    activity_id: int
    day: dt.date | None
    time: str
    title: str
    kind: str
    where: str
    hosts: list[str]
    meal: bool


class PlanOut(Schema):
    exchange_id: int
    status: Literal["draft", "submitted", "approved", "returned"]
    round: int
    standards: str
    version: int | None = Field(description="the plan's version (none before its first write)")
    submitted_by: str | None
    submitted_at: dt.datetime | None
    decided_by: str | None = Field(description="who approved or returned it")
    decided_at: dt.datetime | None
    needs_reapproval: bool
    changes: list[str] = Field(description="what changed since the approval")
    party: dict
    size: dict
    dates: dict
    itinerary: list[LineOut]
    cost_lines: list[CostLineOut]
    total: Decimal
    steps: list[StepOut]


class CostLineIn(Schema):
    category: Category
    description: Text(200)
    quantity: Quantity = Decimal(1)
    unit_price: Price
    actual_amount: Price | None = None


class CostLinePatch(Schema):
    version: Version
    category: Category | None = None
    description: Text(200) | None = None
    quantity: Quantity | None = None
    unit_price: Price | None = None
    actual_amount: Price | None = None


class StandardsIn(Schema):
    standards: Text(5000)
    version: Version | None = Field(None, description="the plan's version you read")


class StepIn(Schema):
    note: Text(2000) = ""


def _exchange(exchange_id: int) -> Exchange:
    try:
        return selectors.plan_exchange(exchange_id)
    except Exchange.DoesNotExist:
        raise Http404 from None


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _out(exchange: Exchange) -> dict:
    data = selectors.plan_data(exchange)
    plan = data.plan
    return {
        "exchange_id": exchange.pk,
        "status": plan.status,
        "round": plan.round,
        "standards": plan.standards,
        "version": plan.version if plan.pk else None,
        "submitted_by": _username(plan.submitted_by),
        "submitted_at": plan.submitted_at,
        "decided_by": _username(plan.decided_by),
        "decided_at": plan.decided_at,
        "needs_reapproval": data.needs_reapproval,
        "changes": data.changes,
        "party": data.snapshot["party"],
        "size": data.snapshot["size"],
        "dates": data.snapshot["dates"],
        "itinerary": [
            {
                "activity_id": line.activity.pk,
                "day": line.day,
                "time": line.time,
                "title": line.activity.title,
                "kind": line.activity.kind,
                "where": line.where,
                "hosts": line.hosts,
                "meal": line.meal,
            }
            for line in data.lines
        ],
        "cost_lines": data.cost_lines,
        "total": data.total,
        "steps": data.steps,
    }


def _line(line_id: int) -> CostLine:
    line = (
        CostLine.objects.select_related("plan__exchange__host_place")
        .filter(pk=line_id, plan__exchange__deleted_at__isnull=True)
        .first()
    )
    if line is None:
        raise Http404
    return line


def _plan(exchange: Exchange) -> ReceptionPlan:
    plan = selectors.plan_of(exchange)
    if plan is None:
        raise Http404
    plan.exchange = exchange
    return plan


@router.get(
    "/exchanges/{exchange_id}/reception-plan",
    response=responses(200, PlanOut),
    summary="An exchange's reception plan",
)
def get_plan(request, exchange_id: PathId):
    exchange = _exchange(exchange_id)
    need(request, "approvals.view_plan", exchange)
    return _out(exchange)


@router.put(
    "/exchanges/{exchange_id}/reception-plan/standards",
    response=responses(200, PlanOut),
    summary="Set the reception standards (接待标准)",
)
def set_standards(request, exchange_id: PathId, payload: StandardsIn):
    exchange = _exchange(exchange_id)
    services.set_standards(
        exchange=exchange,
        standards=payload.standards,
        expected_version=payload.version,
        actor=request.user,
    )
    return _out(exchange)


@router.post(
    "/exchanges/{exchange_id}/reception-plan/cost-lines",
    response=responses(201, CostLineOut),
    summary="Add a cost line",
)
def add_cost_line(request, exchange_id: PathId, payload: CostLineIn):
    exchange = _exchange(exchange_id)
    line = services.add_cost_line(exchange=exchange, **payload.dict(), actor=request.user)
    return Status(201, line)


@router.patch(
    "/reception-plan/cost-lines/{line_id}",
    response=responses(200, CostLineOut),
    summary="Change a cost line",
)
def update_cost_line(request, line_id: PathId, payload: CostLinePatch):
    line = _line(line_id)
    fields = changes(payload)
    for key in ("category", "description", "quantity", "unit_price"):  # null: unchanged
        if key in fields and fields[key] is None:
            del fields[key]
    return services.update_cost_line(
        line=line, expected_version=payload.version, actor=request.user, **fields
    )


@router.delete(
    "/reception-plan/cost-lines/{line_id}",
    response=responses(204, None),
    summary="Remove a cost line",
)
def delete_cost_line(request, line_id: PathId, version: QueryVersion):
    line = _line(line_id)
    services.remove_cost_line(line=line, expected_version=version, actor=request.user)
    return Status(204, None)


@router.post(
    "/exchanges/{exchange_id}/reception-plan/submit",
    response=responses(200, PlanOut),
    summary="Submit the plan for approval",
)
def submit_plan(request, exchange_id: PathId, payload: StepIn):
    exchange = _exchange(exchange_id)
    services.submit_plan(exchange=exchange, note=payload.note, actor=request.user)
    return _out(exchange)


@router.post(
    "/exchanges/{exchange_id}/reception-plan/approve",
    response=responses(200, PlanOut),
    summary="Approve the submitted plan",
)
def approve_plan(request, exchange_id: PathId, payload: StepIn):
    exchange = _exchange(exchange_id)
    services.approve_plan(plan=_plan(exchange), note=payload.note, actor=request.user)
    return _out(exchange)


@router.post(
    "/exchanges/{exchange_id}/reception-plan/return",
    response=responses(200, PlanOut),
    summary="Return the submitted plan with a note",
)
def return_plan(request, exchange_id: PathId, payload: StepIn):
    exchange = _exchange(exchange_id)
    services.return_plan(plan=_plan(exchange), note=payload.note, actor=request.user)
    return _out(exchange)
