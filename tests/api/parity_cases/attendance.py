"""Attendance (attendance/services.py): checking a member in by hand (the activity's
attendance page, POST /activities/{id}/attendance) and taking it back (the page's "take
back", DELETE /attendance/{id}).

Who may: the organisers of the activity (海淀's, for the 海淀 exchange's whole-delegation
meeting), administrators and the delegation's coordinator; 延庆's organiser and a viewer
may not. Checking in through a member's QR link is a page flow only (the phone page)."""

from __future__ import annotations

from civicbridge.attendance import services
from civicbridge.attendance.models import Attendance


def _count(w) -> int:
    return Attendance.objects.filter(activity=w.hd_activity).count()


def _checked_in(w) -> None:
    w.hd_attendance = services.check_in(activity=w.hd_activity, member=w.hd_member)


def scenarios(p):
    S, only, INSIDE = p.S, p.only, p.INSIDE
    return [
        S(
            ("POST", "/activities/{activity_id}/attendance"),
            "a 海淀 member at the 海淀 meeting, by hand",
            only(INSIDE),
            api=lambda w: (
                "post",
                f"/api/v1/activities/{w.hd_activity.pk}/attendance",
                {"member_id": w.hd_member.pk},
            ),
            page=lambda w: (
                p._url("attendance:mark", w.hd_activity.pk),
                {"member": str(w.hd_member.pk)},
            ),
            probe=_count,
        ),
        S(
            ("DELETE", "/attendance/{attendance_id}"),
            "take back a check-in at the 海淀 meeting",
            only(INSIDE),
            setup=_checked_in,
            api=lambda w: (
                "delete",
                f"/api/v1/attendance/{w.hd_attendance.pk}?version={p._version(w.hd_attendance)}",
                None,
            ),
            page=lambda w: (
                p._url("attendance:undo", w.hd_attendance.pk),
                {"version": str(p._version(w.hd_attendance))},
            ),
            probe=_count,
        ),
    ]
