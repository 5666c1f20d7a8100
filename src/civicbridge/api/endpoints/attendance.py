"""Attendance at an activity: the list (who checked in, when, how, by whom, in the order of
precedence), checking a member in by hand, and taking a check-in back.

Each write calls the service the attendance page calls (attendance/services.py) with
``actor=request.user``; the service asks ``attendance.check_in`` (attendance/rules.py).
Reading needs ``attendance.view_attendance``. Checking in through a member's QR link is a
page flow (the phone page, ``/attendance/c/<token>/``), not offered here."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema, Status

from civicbridge.api.core import responses
from civicbridge.api.endpoints.common import Id, PathId, QueryVersion, Text, get, need, ref
from civicbridge.attendance import selectors, services
from civicbridge.attendance.models import Attendance
from civicbridge.exchanges.models import Activity, Member

router = Router(tags=["attendance"])


class AttendanceOut(Schema):
    id: int
    activity_id: int
    member_id: int
    person_id: int
    name: str = Field(description="the member's name as recorded")
    checked_in_at: dt.datetime
    method: str = Field(description="link (QR check-in link) or hand")
    checked_in_by: str = Field(description="the username of who marked it, or empty")
    note: str
    version: int

    @staticmethod
    def resolve_person_id(obj) -> int:
        return obj.member.person_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.member.person.name

    @staticmethod
    def resolve_checked_in_by(obj) -> str:
        return obj.checked_in_by.get_username() if obj.checked_in_by_id else ""


class ActivityAttendanceOut(Schema):
    activity_id: int
    count: int
    items: list[AttendanceOut]


class CheckInIn(Schema):
    member_id: Id
    note: Text(300) = ""


def _activity(activity_id: int) -> Activity:
    return get(
        Activity,
        activity_id,
        Activity.objects.select_related("exchange").filter(exchange__deleted_at__isnull=True),
    )


@router.get(
    "/activities/{activity_id}/attendance",
    response=responses(200, ActivityAttendanceOut),
    summary="Attendance at an activity",
)
def list_attendance(request, activity_id: PathId):
    activity = _activity(activity_id)
    need(request, "attendance.view_attendance", activity)
    items = selectors.attendance_of(activity)
    return {"activity_id": activity.pk, "count": len(items), "items": items}


@router.post(
    "/activities/{activity_id}/attendance",
    response=responses(201, AttendanceOut),
    summary="Check a member in by hand",
)
def check_in(request, activity_id: PathId, payload: CheckInIn):
    activity = _activity(activity_id)
    member = ref(
        Member, payload.member_id, "member_id", Member.objects.filter(exchange=activity.exchange)
    )
    attendance = services.check_in(
        activity=activity, member=member, note=payload.note, actor=request.user
    )
    return Status(201, _one(attendance.pk))


def _one(pk: int) -> Attendance:
    found = (
        Attendance.objects.select_related("member", "member__person", "checked_in_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.delete(
    "/attendance/{attendance_id}",
    response=responses(204, None),
    summary="Take a check-in back",
)
def undo_check_in(request, attendance_id: PathId, version: QueryVersion):
    attendance = get(Attendance, attendance_id, Attendance.objects.select_related("activity"))
    services.undo_check_in(attendance=attendance, expected_version=version, actor=request.user)
    return Status(204, None)
