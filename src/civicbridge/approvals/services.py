"""Writes of the reception plan: cost lines, the reception standards, and the approval's
steps (submit → approve or return → resubmit …). Every entry point (the plan page, the API,
the import) goes through here; each takes ``actor=`` and asks approvals/rules.py by name
(``actor=None``: a command or the system). The audit trail records every write
(accounts/audit.py); each step is kept in the plan's history (``PlanStep``) too."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.approvals import selectors
from civicbridge.approvals.models import (
    CostCategory,
    CostLine,
    PlanStatus,
    PlanStep,
    ReceptionPlan,
    StepAction,
)
from civicbridge.approvals.rules import may_decide_on
from civicbridge.core.services import (
    bump_version,
    check_version,
    validate_text,
    validate_text_fields,
)
from civicbridge.exchanges.models import Exchange

MAX_QUANTITY = Decimal("99999999.99")
MAX_PRICE = Decimal("9999999999.99")
MAX_LINES = 500


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


def _actor_name(actor) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]


def plan_for(exchange: Exchange) -> ReceptionPlan:
    """The exchange's plan, made (as a draft) the first time something is written to it;
    its row is locked for the rest of the transaction."""
    plan = ReceptionPlan.objects.select_for_update().filter(exchange=exchange).first()
    if plan is None:
        plan = ReceptionPlan(exchange=exchange)
        validate_text_fields(plan)
        plan.save()
    plan.exchange = exchange
    return plan


def _editable(plan: ReceptionPlan) -> None:
    """Refuse a change to a plan waiting for approval (its status read again, its row
    locked: the caller's copy may be older)."""
    status = (
        ReceptionPlan.objects.select_for_update()
        .filter(pk=plan.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status == PlanStatus.SUBMITTED:
        raise ValidationError(
            _(
                "The plan is waiting for approval: it can be changed once it is approved or returned."
            )
        )


def _decimal(value, *, field: str, maximum: Decimal, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationError(
            {field: _("Enter a number between 0 and %(max)s.") % {"max": maximum}}
        )
    return number.quantize(selectors.CENT)


def _line_fields(*, category, description, quantity, unit_price, actual_amount) -> dict:
    errors = {}
    out = {}
    if category not in CostCategory.values:
        errors["category"] = _("Unknown category.")
    out["category"] = category
    for key, check in (
        ("description", lambda: validate_text(description, field="description", max_length=200)),
        ("quantity", lambda: _decimal(quantity, field="quantity", maximum=MAX_QUANTITY)),
        ("unit_price", lambda: _decimal(unit_price, field="unit_price", maximum=MAX_PRICE)),
        (
            "actual_amount",
            lambda: _decimal(
                actual_amount, field="actual_amount", maximum=MAX_PRICE, required=False
            ),
        ),
    ):
        try:
            out[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    out["amount"] = (out["quantity"] * out["unit_price"]).quantize(selectors.CENT)
    if out["amount"] > MAX_PRICE:
        raise ValidationError({"unit_price": _("The amount is too large.")})
    return out


@transaction.atomic
def add_cost_line(
    *,
    exchange: Exchange,
    category: str,
    description: str,
    unit_price,
    quantity=1,
    actual_amount=None,
    actor=None,
) -> CostLine:
    """An estimated cost of the reception (quantity × unit price = amount)."""
    _require(actor, "approvals.change_plan", exchange)
    plan = plan_for(exchange)
    _editable(plan)
    if plan.cost_lines.count() >= MAX_LINES:
        raise ValidationError(_("A plan has at most %(n)d cost lines.") % {"n": MAX_LINES})
    fields = _line_fields(
        category=category,
        description=description,
        quantity=quantity,
        unit_price=unit_price,
        actual_amount=actual_amount,
    )
    last = plan.cost_lines.order_by("-order").values_list("order", flat=True).first()
    line = CostLine(plan=plan, order=min((last or 0) + 1, 32767), **fields)
    validate_text_fields(line)
    line.save()
    return line


@transaction.atomic
def update_cost_line(
    *, line: CostLine, expected_version: int | None = None, actor=None, **changes
) -> CostLine:
    """Change a cost line (any of category, description, quantity, unit_price,
    actual_amount); the amount is computed again."""
    _require(actor, "approvals.change_plan", line.plan)
    unknown = set(changes) - {"category", "description", "quantity", "unit_price", "actual_amount"}
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    _editable(line.plan)
    check_version(line, expected_version)
    current = {
        "category": line.category,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "actual_amount": line.actual_amount,
    }
    current.update(changes)
    for key, value in _line_fields(**current).items():
        setattr(line, key, value)
    validate_text_fields(line)
    bump_version(line)
    line.save()
    return line


@transaction.atomic
def remove_cost_line(*, line: CostLine, expected_version: int | None = None, actor=None) -> None:
    _require(actor, "approvals.change_plan", line.plan)
    _editable(line.plan)
    check_version(line, expected_version)
    line.delete()


@transaction.atomic
def set_standards(
    *, exchange: Exchange, standards: str, expected_version: int | None = None, actor=None
) -> ReceptionPlan:
    """The reception standards (接待标准) of the plan, as free text."""
    _require(actor, "approvals.change_plan", exchange)
    plan = plan_for(exchange)
    _editable(plan)
    check_version(plan, expected_version)
    plan.standards = validate_text(
        standards, field="standards", max_length=5000, required=False, multiline=True
    )
    validate_text_fields(plan)
    bump_version(plan)
    plan.save()
    return plan


def _step(plan: ReceptionPlan, action: str, actor, note: str) -> PlanStep:
    step = PlanStep(
        plan=plan,
        action=action,
        round=plan.round,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=_actor_name(actor),
        at=timezone.now(),
        note=note,
    )
    validate_text_fields(step)
    step.save()
    return step


def _note(note: str, *, required: bool = False) -> str:
    return validate_text(note, field="note", max_length=2000, required=required, multiline=True)


@transaction.atomic
def submit_plan(*, exchange: Exchange, note: str = "", actor=None) -> ReceptionPlan:
    """Submit the plan for approval. A returned plan, or an approved one whose record
    changed since, is resubmitted: a new round."""
    _require(actor, "approvals.submit_plan", exchange)
    note = _note(note)
    plan = plan_for(exchange)
    if plan.status == PlanStatus.SUBMITTED:
        raise ValidationError(_("The plan is already waiting for approval."))
    if plan.status == PlanStatus.APPROVED:
        now = selectors.current_snapshot(exchange, plan)
        if plan.approved_snapshot and json.loads(plan.approved_snapshot) == now:
            raise ValidationError(_("Nothing changed since the plan was approved."))
    plan.status = PlanStatus.SUBMITTED
    plan.round += 1
    plan.submitted_by = actor if actor is not None and actor.pk else None
    plan.submitted_at = timezone.now()
    plan.decided_by = None
    plan.decided_at = None
    bump_version(plan)
    plan.save()
    _step(plan, StepAction.SUBMIT, actor, note)
    return plan


def _decision(plan: ReceptionPlan, perm: str, actor) -> ReceptionPlan:
    plan = (
        ReceptionPlan.objects.select_for_update()
        .select_related("exchange__host_place")
        .get(pk=plan.pk)
    )
    if actor is not None and not (actor.has_perm(perm, plan) and may_decide_on(actor, plan)):
        raise PermissionDenied(_("You are not allowed to do that."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a plan submitted for approval can be approved or returned."))
    return plan


@transaction.atomic
def approve_plan(*, plan: ReceptionPlan, note: str = "", actor=None) -> ReceptionPlan:
    """Approve the submitted plan (事前审批): what it holds now is kept as the snapshot
    later changes are compared with."""
    plan = _decision(plan, "approvals.approve_plan", actor)
    note = _note(note)
    exchange = selectors.plan_exchange(plan.exchange_id)
    plan.approved_snapshot = json.dumps(
        selectors.current_snapshot(exchange, plan), ensure_ascii=False, sort_keys=True
    )
    plan.status = PlanStatus.APPROVED
    plan.decided_by = actor if actor is not None and actor.pk else None
    plan.decided_at = timezone.now()
    bump_version(plan)
    plan.save()
    _step(plan, StepAction.APPROVE, actor, note)
    return plan


@transaction.atomic
def return_plan(*, plan: ReceptionPlan, note: str, actor=None) -> ReceptionPlan:
    """Return the submitted plan to its organisers, saying why (the note is required)."""
    plan = _decision(plan, "approvals.return_plan", actor)
    note = _note(note, required=True)
    plan.status = PlanStatus.RETURNED
    plan.decided_by = actor if actor is not None and actor.pk else None
    plan.decided_at = timezone.now()
    bump_version(plan)
    plan.save()
    _step(plan, StepAction.RETURN, actor, note)
    return plan
