"""Writes for attendance: checking a member in by hand, through their check-in link, and
taking a check-in back. Pages and the API call these with ``actor=``; the permission is
asked by name (attendance/rules.py). Audited by the audit trail's signals (accounts/audit.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.attendance import links
from civicbridge.attendance.links import LinkRefused
from civicbridge.attendance.models import Attendance, CheckInMethod, SpentCheckInLink
from civicbridge.core.services import check_version, validate_text
from civicbridge.exchanges.models import Activity, Member


class AlreadyCheckedIn(ValidationError):
    """The member is already checked in at the activity (one record per pair)."""


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


def _user(actor):
    return actor if actor is not None and getattr(actor, "pk", None) else None


@transaction.atomic
def check_in(
    *,
    activity: Activity,
    member: Member,
    actor=None,
    method: str = CheckInMethod.HAND,
    at: dt.datetime | None = None,
    note: str = "",
) -> Attendance:
    """Record that ``member`` attended ``activity`` (``at``: now when not given). A member
    of another exchange is refused (``member``); a member already checked in too."""
    _require(actor, "attendance.check_in", activity)
    if member.exchange_id != activity.exchange_id:
        raise ValidationError({"member": _("This person is not on this exchange's roster.")})
    if method not in CheckInMethod.values:
        raise ValidationError({"method": _("Unknown way of checking in.")})
    note = validate_text(note, field="note", max_length=300, required=False)
    existing = Attendance.objects.filter(activity=activity, member=member).first()
    if existing is not None:
        raise AlreadyCheckedIn(
            {"member": _("%(name)s is already checked in.") % {"name": member.person}},
            code="duplicate",
        )
    attendance = Attendance(
        activity=activity,
        member=member,
        checked_in_at=at or timezone.now(),
        method=method,
        checked_in_by=_user(actor),
        note=note,
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError as exc:  # checked in meanwhile by someone else
        raise AlreadyCheckedIn(
            {"member": _("%(name)s is already checked in.") % {"name": member.person}},
            code="duplicate",
        ) from exc
    return attendance


@transaction.atomic
def undo_check_in(*, attendance: Attendance, actor=None, expected_version=None) -> None:
    """Take a check-in back (marked by mistake). A spent link stays spent."""
    _require(actor, "attendance.check_in", attendance.activity)
    check_version(attendance, expected_version)
    attendance.delete()


def open_link(token: str, *, activity_id: int | None = None):
    """What a check-in link is for, before anything is written: ``(member, activity,
    link)``, or ``LinkRefused`` (tampered, expired, not open yet or closed, spent, already
    checked in). For a badge's link, ``activity_id`` chooses among the member's activities
    open now; without it the only one open is taken (``activity`` None when several are:
    the page asks)."""
    link = links.read_token(token)
    member = (
        Member.objects.select_related("person", "organisation", "exchange", "group")
        .filter(pk=link.member_id, exchange__deleted_at__isnull=True)
        .first()
    )
    if member is None:
        raise LinkRefused(LinkRefused.UNKNOWN)
    wanted = link.activity_id or activity_id
    if link.activity_id and activity_id and activity_id != link.activity_id:
        raise LinkRefused(LinkRefused.NOT_HIS, member=member)
    if wanted is None:
        open_now = [a for a in activities_of_member(member) if links.is_open(a)]
        if not open_now:
            raise LinkRefused(LinkRefused.NOT_YET, member=member)
        if len(open_now) > 1:
            return member, None, link
        wanted = open_now[0].pk
    activity = (
        Activity.objects.select_related("exchange", "place", "venue")
        .filter(pk=wanted, exchange_id=member.exchange_id)
        .first()
    )
    if activity is None:
        raise LinkRefused(LinkRefused.NOT_HIS, member=member)
    links.check_window(activity)
    if SpentCheckInLink.objects.filter(nonce=link.nonce, activity=activity).exists():
        raise LinkRefused(LinkRefused.SPENT, activity=activity, member=member)
    done = Attendance.objects.filter(activity=activity, member=member).first()
    if done is not None:
        raise LinkRefused(LinkRefused.ALREADY, activity=activity, member=member)
    return member, activity, link


def activities_of_member(member: Member) -> list[Activity]:
    """The scheduled activities of ``member``'s exchange they take part in: their group's
    and the whole delegation's (an activity without groups)."""
    qs = (
        Activity.objects.filter(exchange_id=member.exchange_id, starts_at__isnull=False)
        .prefetch_related("groups")
        .order_by("starts_at", "order", "id")
    )
    out = []
    for activity in qs:
        groups = {g.pk for g in activity.groups.all()}
        if not groups or member.group_id in groups:
            out.append(activity)
    return out


@transaction.atomic
def check_in_with_link(*, token: str, actor, activity_id: int | None = None) -> Attendance:
    """Check the member of a link in (``open_link``'s checks, again, inside the
    transaction) and spend the link for that activity."""
    member, activity, link = open_link(token, activity_id=activity_id)
    if activity is None:
        raise ValidationError({"activity": _("Choose the activity.")})
    _require(actor, "attendance.check_in", activity)
    now = timezone.now()
    try:
        with transaction.atomic():
            SpentCheckInLink.objects.create(
                nonce=link.nonce,
                member=member,
                activity=activity,
                used_at=now,
                used_by=_user(actor),
            )
    except IntegrityError as exc:  # the same link opened twice at once
        raise LinkRefused(LinkRefused.SPENT, activity=activity, member=member) from exc
    try:
        return check_in(
            activity=activity, member=member, actor=actor, method=CheckInMethod.LINK, at=now
        )
    except AlreadyCheckedIn as exc:
        raise LinkRefused(LinkRefused.ALREADY, activity=activity, member=member) from exc
