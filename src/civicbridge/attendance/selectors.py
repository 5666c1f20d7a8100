"""Reads of attendance shared by the pages, the API, the documents and reports.

``attendance_of(activity)`` is the proof that someone was there: who checked in, when, how
and marked by whom, in the order of precedence of the roster. The order of precedence
(``precedence_key``) is also that of badges, place cards and sign-in sheets: the visiting
side first (the guests), then the host side; on each side the delegation leader, deputy
leaders, members, then escorts and staff; then the roster's own order."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch

from civicbridge.attendance.models import Attendance
from civicbridge.core.part_of_day import time_label
from civicbridge.exchanges.models import Activity, Member, MemberRole, Side

ROLE_RANK = {
    MemberRole.LEADER: 0,
    MemberRole.DEPUTY_LEADER: 1,
    MemberRole.MEMBER: 2,
    MemberRole.STAFF: 3,
}
SIDE_RANK = {Side.VISITING: 0, Side.HOST: 1}


def precedence_key(member: Member) -> tuple:
    return (
        SIDE_RANK.get(member.side, 9),
        ROLE_RANK.get(member.role, 9),
        member.order,
        member.pk,
    )


def in_precedence(members) -> list[Member]:
    return sorted(members, key=precedence_key)


def roster(exchange, *, side: str | None = None) -> list[Member]:
    """The exchange's members in the order of precedence (one query)."""
    qs = Member.objects.filter(exchange=exchange).select_related("person", "organisation", "group")
    if side:
        qs = qs.filter(side=side)
    return in_precedence(qs)


def attendance_of(activity: Activity) -> list[Attendance]:
    """Who checked in at ``activity``, in the order of precedence (one query)."""
    rows = Attendance.objects.filter(activity=activity).select_related(
        "member", "member__person", "member__organisation", "checked_in_by"
    )
    return sorted(rows, key=lambda a: precedence_key(a.member))


def attendance_counts(activities) -> dict[int, int]:
    """Activity id → how many checked in (one query for all)."""
    ids = [a.pk for a in activities]
    if not ids:
        return {}
    rows = (
        Attendance.objects.filter(activity_id__in=ids)
        .order_by()
        .values("activity_id")
        .annotate(n=Count("id"))
    )
    return {row["activity_id"]: row["n"] for row in rows}


def expected_members(activity: Activity, members: list[Member]) -> list[Member]:
    """Of ``members`` (the exchange's roster), those who take part in ``activity``: every
    member for a whole-delegation activity (no group ticked), else the groups' members.
    ``activity.groups`` should be prefetched."""
    groups = {g.pk for g in activity.groups.all()}
    return [m for m in members if not groups or m.group_id in groups]


@dataclass
class SheetRow:
    """A line of the sign-in sheet or the attendance page: a member, and their check-in."""

    number: int
    member: Member
    attendance: Attendance | None


def sheet_rows(activity: Activity) -> list[SheetRow]:
    """Everyone expected at ``activity`` and anyone else who checked in, in the order of
    precedence, each with their check-in (two queries, with the activity's groups)."""
    activity = (
        Activity.objects.select_related("exchange", "place", "venue")
        .prefetch_related("groups")
        .get(pk=activity.pk)
    )
    members = roster(activity.exchange)
    done = {a.member_id: a for a in attendance_of(activity)}
    chosen = expected_members(activity, members)
    chosen_ids = {m.pk for m in chosen}
    chosen += [m for m in members if m.pk in done and m.pk not in chosen_ids]
    chosen = in_precedence(chosen)
    return [SheetRow(i, m, done.get(m.pk)) for i, m in enumerate(chosen, start=1)]


def exchange_attendance(exchange) -> list[tuple[Activity, int, int]]:
    """The exchange's scheduled activities with (expected, checked in), for the exchange
    page's panel (three queries: activities, their groups, the counts; the roster is the
    exchange's prefetched ``members``)."""
    activities = list(
        exchange.activities.filter(starts_at__isnull=False)
        .select_related("place", "venue")
        .prefetch_related(Prefetch("groups"))
        .order_by("starts_at", "order", "id")
    )
    members = list(exchange.members.all())
    counts = attendance_counts(activities)
    return [(a, len(expected_members(a, members)), counts.get(a.pk, 0)) for a in activities]


def when_label(activity: Activity) -> str:
    """The activity's day and time in its exchange's zone (pages): ``2016-04-22 09:00–10:00``."""
    if activity.starts_at is None:
        return time_label(activity, activity.exchange.timezone)
    zone = ZoneInfo(activity.exchange.timezone)
    day = activity.starts_at.astimezone(zone).date().isoformat()
    return f"{day} {time_label(activity, zone)}"
