"""The plan page (/approvals/exchanges/<pk>/): the reception plan as it will print, its cost
lines, the reception standards, the approval's buttons and its history. Views parse, ask
the rule, call a service, redirect (or show the page again with the form's errors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.approvals import selectors, services
from civicbridge.approvals.forms import CostLineForm, StandardsForm, StepForm
from civicbridge.approvals.models import CostLine, PlanStatus
from civicbridge.approvals.rules import may_decide_on
from civicbridge.exchanges.forms import apply_errors
from civicbridge.exchanges.models import Exchange


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _exchange(pk: int) -> Exchange:
    try:
        return selectors.plan_exchange(pk)
    except Exchange.DoesNotExist:
        raise Http404 from None


def _url(exchange_id: int, anchor: str = "") -> str:
    return reverse("approvals:plan", args=[exchange_id]) + (f"#{anchor}" if anchor else "")


def _line_data(line: CostLine) -> dict:
    return {
        "category": line.category,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "actual_amount": line.actual_amount,
        "version": line.version,
    }


def _page(request, exchange, *, status=200, **forms):
    data = selectors.plan_data(exchange)
    plan = data.plan
    user = request.user
    saved = plan.pk is not None
    can_edit = user.has_perm("approvals.change_plan", exchange)
    locked = plan.status == PlanStatus.SUBMITTED
    can_submit = user.has_perm("approvals.submit_plan", exchange) and (
        plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED) or data.needs_reapproval
    )
    can_decide = (
        saved
        and plan.status == PlanStatus.SUBMITTED
        and user.has_perm("approvals.approve_plan", plan)
        and may_decide_on(user, plan)
    )
    context = {
        "exchange": exchange,
        "data": data,
        "plan": plan,
        "can_edit": can_edit and not locked,
        "may_edit": can_edit,
        "locked": locked,
        "can_submit": can_submit,
        "can_decide": can_decide,
        "cost_form": forms.get("cost_form") or CostLineForm(),
        "standards_form": forms.get("standards_form")
        or StandardsForm(initial={"standards": plan.standards, "version": plan.version}),
        "submit_form": forms.get("submit_form") or StepForm(),
        "decide_form": forms.get("decide_form") or StepForm(),
        "submitted_by_you": saved
        and plan.status == PlanStatus.SUBMITTED
        and plan.submitted_by_id == user.pk,
    }
    return render(request, "approvals/plan.html", context, status=status)


@login_required
def plan(request, pk: int):
    exchange = _exchange(pk)
    _require(request, "approvals.view_plan", exchange)
    return _page(request, exchange)


def _run(form, perform) -> bool:
    try:
        perform()
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True


@login_required
@require_POST
def cost_line_add(request, pk: int):
    exchange = _exchange(pk)
    _require(request, "approvals.change_plan", exchange)
    form = CostLineForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.add_cost_line(
            exchange=exchange,
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            quantity=form.cleaned_data["quantity"],
            unit_price=form.cleaned_data["unit_price"],
            actual_amount=form.cleaned_data.get("actual_amount"),
            actor=request.user,
        ),
    ):
        messages.success(request, _("The cost line was added."))
        return redirect(_url(pk, "costs"))
    return _page(request, exchange, status=400, cost_form=form)


def _line(pk: int) -> CostLine:
    return get_object_or_404(
        CostLine.objects.select_related("plan__exchange__host_place").filter(
            plan__exchange__deleted_at__isnull=True
        ),
        pk=pk,
    )


@login_required
def cost_line_edit(request, pk: int):
    line = _line(pk)
    _require(request, "approvals.change_plan", line.plan)
    form = CostLineForm(request.POST or None, initial=_line_data(line))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.update_cost_line(
                line=line,
                expected_version=data.get("version"),
                actor=request.user,
                **{k: data.get(k) for k in ("category", "description", "quantity", "unit_price")},
                actual_amount=data.get("actual_amount"),
            ),
        ):
            messages.success(request, _("The cost line was changed."))
            return redirect(_url(line.plan.exchange_id, "costs"))
    return render(
        request,
        "approvals/cost_line_form.html",
        {"form": form, "line": line, "exchange": line.plan.exchange},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def cost_line_delete(request, pk: int):
    line = _line(pk)
    _require(request, "approvals.change_plan", line.plan)
    version = request.POST.get("version", "")
    if not version.isdecimal() or len(version) > 12:
        messages.error(request, _("Reload the page and try again."))
        return redirect(_url(line.plan.exchange_id, "costs"))
    try:
        services.remove_cost_line(line=line, expected_version=int(version), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, line.plan.exchange, status=400)
    messages.success(request, _("The cost line was removed."))
    return redirect(_url(line.plan.exchange_id, "costs"))


@login_required
@require_POST
def standards(request, pk: int):
    exchange = _exchange(pk)
    _require(request, "approvals.change_plan", exchange)
    plan = selectors.plan_of(exchange)
    form = StandardsForm(
        request.POST, initial={"version": plan.version} if plan is not None else {}
    )
    if form.is_valid() and _run(
        form,
        lambda: services.set_standards(
            exchange=exchange,
            standards=form.cleaned_data["standards"],
            expected_version=form.cleaned_data.get("version"),
            actor=request.user,
        ),
    ):
        messages.success(request, _("The reception standards were saved."))
        return redirect(_url(pk, "standards"))
    return _page(request, exchange, status=400, standards_form=form)


@login_required
@require_POST
def submit(request, pk: int):
    exchange = _exchange(pk)
    _require(request, "approvals.submit_plan", exchange)
    form = StepForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.submit_plan(
            exchange=exchange, note=form.cleaned_data["note"], actor=request.user
        ),
    ):
        messages.success(request, _("The plan was submitted for approval."))
        return redirect(_url(pk, "approval"))
    return _page(request, exchange, status=400, submit_form=form)


def _decide(request, pk: int, *, perm: str, service, done: str):
    exchange = _exchange(pk)
    plan = selectors.plan_of(exchange)
    if plan is None:
        raise Http404
    plan.exchange = exchange
    _require(request, perm, plan)
    if not may_decide_on(request.user, plan):
        raise PermissionDenied
    form = StepForm(request.POST)
    if form.is_valid() and _run(
        form, lambda: service(plan=plan, note=form.cleaned_data["note"], actor=request.user)
    ):
        messages.success(request, done)
        return redirect(_url(pk, "approval"))
    return _page(request, exchange, status=400, decide_form=form)


@login_required
@require_POST
def approve(request, pk: int):
    return _decide(
        request,
        pk,
        perm="approvals.approve_plan",
        service=services.approve_plan,
        done=_("The plan was approved."),
    )


@login_required
@require_POST
def return_(request, pk: int):
    return _decide(
        request,
        pk,
        perm="approvals.return_plan",
        service=services.return_plan,
        done=_("The plan was returned."),
    )
