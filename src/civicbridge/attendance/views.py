"""The attendance pages: one activity's attendance (count, names, check in by hand, take
back) and the phone page a member's check-in link opens.

Views parse → call a service → render. Reading needs ``attendance.view_attendance``,
marking ``attendance.check_in`` (attendance/rules.py); a refusal is a 403. A check-in link
that cannot be used (tampered, expired, not open yet, spent, already checked in) is a clear
page with its reason and a 4xx status, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.attendance import links, selectors, services
from civicbridge.attendance.forms import CheckInForm
from civicbridge.attendance.links import LinkRefused
from civicbridge.attendance.models import Attendance
from civicbridge.core.services import StaleVersion
from civicbridge.exchanges.forms import apply_errors
from civicbridge.exchanges.models import Activity, Exchange

# A refused link: its HTTP status.
REFUSAL_STATUS = {
    LinkRefused.TAMPERED: 400,
    LinkRefused.NOT_HIS: 400,
    LinkRefused.UNKNOWN: 404,
    LinkRefused.EXPIRED: 410,
    LinkRefused.CLOSED: 410,
    LinkRefused.NOT_YET: 409,
    LinkRefused.SPENT: 409,
    LinkRefused.ALREADY: 409,
}


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _activity(pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("exchange", "place", "venue").filter(
            exchange__deleted_at__isnull=True
        ),
        pk=pk,
    )


def _page(request, activity, *, form=None, status=200):
    rows = selectors.sheet_rows(activity)
    can_mark = request.user.has_perm("attendance.check_in", activity)
    waiting = [row.member for row in rows if row.attendance is None]
    if can_mark and form is None:
        form = CheckInForm(members=waiting, auto_id="check-in-%s")
    checked = [row for row in rows if row.attendance is not None]
    # Each member's check-in codes (their programme with a QR code per activity).
    can_print = request.user.has_perm("attendance.print_check_in_codes", activity.exchange)
    return render(
        request,
        "attendance/activity.html",
        {
            "activity": activity,
            "exchange": activity.exchange,
            "rows": rows,
            "checked_in": len(checked),
            "expected": len(rows),
            "can_mark": can_mark,
            "can_print": can_print,
            "form": form if can_mark else None,
            "window": links.window(activity),
            "when": selectors.when_label(activity),
        },
        status=status,
    )


@login_required
def activity_attendance(request, pk: int):
    activity = _activity(pk)
    _require(request, "attendance.view_attendance", activity)
    return _page(request, activity)


@login_required
def exchange_attendance(request, pk: int):
    """Every scheduled activity of an exchange with its count of check-ins and its sign-in
    sheet (the exchange page's panel shows the first few)."""
    exchange = get_object_or_404(
        Exchange.objects.prefetch_related("members"), pk=pk, deleted_at__isnull=True
    )
    _require(request, "attendance.view_attendance", exchange)
    rows = selectors.exchange_attendance(exchange)
    return render(
        request,
        "attendance/exchange.html",
        {
            "exchange": exchange,
            "rows": rows,
            "checked_in": sum(done for _a, _expected, done in rows),
        },
    )


@login_required
@require_POST
def mark(request, pk: int):
    activity = _activity(pk)
    _require(request, "attendance.check_in", activity)
    rows = selectors.sheet_rows(activity)
    waiting = [row.member for row in rows if row.attendance is None]
    form = CheckInForm(request.POST, members=waiting, auto_id="check-in-%s")
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.check_in(
                activity=activity,
                member=member,
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": member.person})
            return redirect("attendance:activity", pk=activity.pk)
    return _page(request, activity, form=form, status=200)


@login_required
@require_POST
def undo(request, pk: int):
    attendance = get_object_or_404(
        Attendance.objects.select_related("activity", "member__person"), pk=pk
    )
    _require(request, "attendance.check_in", attendance.activity)
    try:
        services.undo_check_in(
            attendance=attendance,
            expected_version=request.POST.get("version") or None,
            actor=request.user,
        )
    except StaleVersion:
        messages.error(request, _("This check-in was changed meanwhile: reload and try again."))
    except (ValueError, TypeError):
        messages.error(request, _("The request is not valid."))
    else:
        messages.success(
            request,
            _("The check-in of %(name)s was taken back.") % {"name": attendance.member.person},
        )
    return redirect("attendance:activity", pk=attendance.activity_id)


def _refused(request, exc: LinkRefused):
    return render(
        request,
        "attendance/check_in_refused.html",
        {
            "reason": exc.reason,
            "activity": exc.activity,
            "member": exc.member,
            "opens_at": exc.opens_at,
        },
        status=REFUSAL_STATUS.get(exc.reason, 400),
    )


def _activity_choice(request) -> int | None:
    value = request.POST.get("activity") or request.GET.get("activity") or ""
    if not (value.isascii() and value.isdigit() and len(value) <= 16):
        return None
    return int(value) if 0 < int(value) < 2**53 else None


@login_required
def check_in(request, token: str):
    """The phone page of a check-in link: who and where; a POST marks the attendance."""
    if not request.user.has_perm("attendance.check_in"):
        raise PermissionDenied
    chosen = _activity_choice(request)
    try:
        member, activity, _link = services.open_link(token, activity_id=chosen)
    except LinkRefused as exc:
        return _refused(request, exc)
    choices = []
    if activity is None:  # a badge, while several of the member's activities are open
        choices = [a for a in services.activities_of_member(member) if links.is_open(a)]
    elif not request.user.has_perm("attendance.check_in", activity):
        raise PermissionDenied
    if request.method == "POST" and activity is not None:
        try:
            attendance = services.check_in_with_link(
                token=token, activity_id=chosen, actor=request.user
            )
        except LinkRefused as exc:
            return _refused(request, exc)
        return redirect("attendance:checked_in", pk=attendance.pk)
    return render(
        request,
        "attendance/check_in.html",
        {
            "member": member,
            "activity": activity,
            "choices": choices,
            "when": selectors.when_label(activity) if activity is not None else "",
            "action": reverse("attendance:check_in", args=[token]),
        },
    )


@login_required
def checked_in(request, pk: int):
    """After a check-in through a link: done, and how many are in now."""
    attendance = get_object_or_404(
        Attendance.objects.select_related(
            "activity",
            "activity__exchange",
            "activity__place",
            "member__person",
            "member__organisation",
        ),
        pk=pk,
    )
    _require(request, "attendance.view_attendance", attendance.activity)
    count = Attendance.objects.filter(activity_id=attendance.activity_id).count()
    return render(
        request,
        "attendance/checked_in.html",
        {"attendance": attendance, "activity": attendance.activity, "count": count},
    )
