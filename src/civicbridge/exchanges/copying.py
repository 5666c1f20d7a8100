"""Copying a previous exchange as a new, planned one (a yearly visit planned from last
year's): the copy page (``exchanges/copy_views.py``, /exchanges/<id>/copy/) and the API
(``POST /api/v1/exchanges/{id}/copy``) both call ``copy_exchange``; the page shows
``preview_copy`` first.

What is copied: the exchange's own fields (title, host and visiting sides, delegation,
headcount, time zone, summary), its further places and organisations, its composition,
its groups (host districts, leaders) and roster (people, roles, sides, titles), and its
itinerary (activities with their places, venues, groups, hosts and participants).
Every date moves by the same number of days: the exchange's, the groups' and the
activities' (an activity keeps its time of day in the exchange's time zone, so 09:00 in
Beijing stays 09:00 in Beijing). What is not copied: what happened (statements, gifts,
photos, attendance), what was recorded of it (sources, the way the dates were read) and
what other apps made of it (appointments, pairings, forums, topics): those belong to the
visit that was held. The copy and every record in it are planned.

Every record is written by the exchange services (so validated as any other) and audited
by the audit trail; the copy's exchange also gets an entry saying what it was copied from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.accounts import audit
from civicbridge.core.services import check_dates
from civicbridge.exchanges import services
from civicbridge.exchanges.models import (
    Activity,
    DatePrecision,
    Exchange,
    ExchangeStatus,
    Group,
    Member,
)

PERMISSION = "exchanges.copy_exchange"


def shift_days(exchange: Exchange, start_date: dt.date) -> int:
    """The number of days every date moves by (negative: earlier)."""
    return (start_date - exchange.start_date).days


def _shift_date(day: dt.date | None, days: int) -> dt.date | None:
    return None if day is None else day + dt.timedelta(days=days)


def shift_moment(moment: dt.datetime | None, days: int, tz: ZoneInfo) -> dt.datetime | None:
    """``moment`` moved by ``days`` days keeping its local time of day in ``tz`` (across a
    change of summer time the wall clock is kept, not the number of hours)."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    return dt.datetime.combine(
        local.date() + dt.timedelta(days=days), local.time().replace(tzinfo=None), tzinfo=tz
    )


@dataclass(frozen=True)
class ShiftRow:
    """One line of the preview: what moves, from when to when (dates, or local times)."""

    kind: str  # "exchange", "group", "activity"
    record: object
    before: object
    after: object


@dataclass(frozen=True)
class CopyPreview:
    days: int
    start_date: dt.date
    end_date: dt.date | None
    rows: list[ShiftRow]
    members: int
    groups: int
    activities: int


def _end_date(exchange: Exchange, days: int, latest: dt.date | None) -> dt.date | None:
    """The copy's end: the original's, shifted; for an original whose dates the sources
    gave only roughly (a month, 日前), at least the last shifted day of its itinerary."""
    end = _shift_date(exchange.end_date, days)
    if end is not None and latest is not None and latest > end:
        end = latest
    return end


def _activities(exchange: Exchange):
    return (
        Activity.objects.filter(exchange=exchange)
        .select_related("place", "venue")
        .prefetch_related("groups", "hosts", "participants")
        .order_by("order", "id")
    )


def preview_copy(*, exchange: Exchange, start_date: dt.date) -> CopyPreview:
    """What ``copy_exchange`` would do: the shift and every date before and after (the
    copy page shows it before the planner confirms). Three queries, whatever its size."""
    check_dates(start_date=start_date)
    days = shift_days(exchange, start_date)
    tz = ZoneInfo(exchange.timezone)
    groups = list(Group.objects.filter(exchange=exchange).order_by("order", "id"))
    activities = list(Activity.objects.filter(exchange=exchange).order_by("order", "id"))
    latest = _latest_day(groups, activities, days, tz)
    end = _end_date(exchange, days, latest)
    rows = [
        ShiftRow("exchange", exchange, (exchange.start_date, exchange.end_date), (start_date, end))
    ]
    rows += [
        ShiftRow(
            "group",
            g,
            (g.start_date, g.end_date),
            (_shift_date(g.start_date, days), _shift_date(g.end_date, days)),
        )
        for g in groups
        if g.start_date or g.end_date
    ]
    for a in activities:
        if a.starts_at is None:
            continue
        rows.append(
            ShiftRow(
                "activity",
                a,
                (a.starts_at.astimezone(tz), a.ends_at.astimezone(tz)),
                (shift_moment(a.starts_at, days, tz), shift_moment(a.ends_at, days, tz)),
            )
        )
    return CopyPreview(
        days=days,
        start_date=start_date,
        end_date=end,
        rows=rows,
        members=Member.objects.filter(exchange=exchange).count(),
        groups=len(groups),
        activities=len(activities),
    )


def _latest_day(groups, activities, days: int, tz: ZoneInfo) -> dt.date | None:
    days_seen = [_shift_date(g.end_date or g.start_date, days) for g in groups]
    days_seen += [shift_moment(a.ends_at, days, tz).date() for a in activities if a.ends_at]
    days_seen = [d for d in days_seen if d is not None]
    return max(days_seen) if days_seen else None


@transaction.atomic
def copy_exchange(
    *, exchange: Exchange, start_date: dt.date, by=None, title: str | None = None
) -> Exchange:
    """A new, planned exchange like ``exchange``, starting on ``start_date``: every date of
    the exchange, its groups and its activities moved by the same number of days (see the
    module's docstring for what is copied and what is not). ``by`` (the acting user; None:
    a command) must hold ``exchanges.copy_exchange`` on ``exchange``: may read it and host
    an exchange where it and its groups were hosted. ``title``: the copy's (default: the
    original's)."""
    if exchange.is_deleted:
        raise ValidationError({"exchange": _("A deleted exchange cannot be copied.")})
    if by is not None and not by.has_perm(PERMISSION, exchange):
        raise PermissionDenied(_("You are not allowed to do that."))
    check_dates(start_date=start_date)
    days = shift_days(exchange, start_date)
    tz = ZoneInfo(exchange.timezone)
    source_groups = list(
        Group.objects.filter(exchange=exchange)
        .select_related("host_place", "host_organisation")
        .order_by("order", "id")
    )
    source_members = list(
        Member.objects.filter(exchange=exchange)
        .select_related("person", "organisation", "home_place")
        .order_by("order", "id")
    )
    source_activities = list(_activities(exchange))
    end = _end_date(exchange, days, _latest_day(source_groups, source_activities, days, tz))
    check_dates(end_date=end)

    with _acting(by):
        copy = services.create_exchange(
            title=exchange.title if title is None else title,
            start_date=start_date,
            end_date=end,
            date_precision=DatePrecision.DAY,
            visiting_organisation=exchange.visiting_organisation,
            visiting_place=exchange.visiting_place,
            delegation_name=exchange.delegation_name,
            host_place=exchange.host_place,
            status=ExchangeStatus.PLANNED,
            declared_headcount=exchange.declared_headcount,
            headcount_qualifier=exchange.headcount_qualifier,
            timezone=exchange.timezone,
            summary=exchange.summary,
        )
        for row in exchange.places.select_related("place").order_by("role", "order", "id"):
            services.add_exchange_place(
                exchange=copy, role=row.role, place=row.place, wording=row.wording
            )
        for row in exchange.organisations.select_related("organisation").order_by(
            "role", "order", "id"
        ):
            services.add_exchange_organisation(
                exchange=copy, organisation=row.organisation, role=row.role, note=row.note
            )
        groups: dict[int, Group] = {}
        for g in source_groups:
            groups[g.pk] = services.create_group(
                exchange=copy,
                name=g.name,
                host_place=g.host_place,
                host_organisation=g.host_organisation,
                declared_headcount=g.declared_headcount,
                headcount_qualifier=g.headcount_qualifier,
                start_date=_shift_date(g.start_date, days),
                end_date=_shift_date(g.end_date, days),
                headline=g.headline,
                note=g.note,
            )
        for row in exchange.composition.order_by("order", "id"):
            services.add_composition_row(
                exchange=copy,
                label=row.label,
                count=row.count,
                group=groups.get(row.group_id),
            )
        members: dict[int, Member] = {}
        for m in source_members:
            members[m.pk] = services.add_member(
                exchange=copy,
                person=m.person,
                role=m.role,
                side=m.side,
                title=m.title,
                organisation=m.organisation,
                home_place=m.home_place,
                group=groups.get(m.group_id),
                note=m.note,
            )
        for g in source_groups:
            if g.leader_id in members:
                services.update_group(group=groups[g.pk], leader=members[g.leader_id])
        for a in source_activities:
            services.create_activity(
                exchange=copy,
                kind=a.kind,
                title=a.title,
                starts_at=shift_moment(a.starts_at, days, tz),
                ends_at=shift_moment(a.ends_at, days, tz),
                time_precision=a.time_precision,
                status=ExchangeStatus.PLANNED,
                place=a.place,
                venue=a.venue,
                groups=[groups[g.pk] for g in a.groups.all()],
                hosts=list(a.hosts.all()),
                participants=list(a.participants.all()),
                description=a.description,
                note=a.note,
            )
        audit.write_entry(
            action="create",
            obj=copy,
            after={"copied_from": exchange.pk, "days_shifted": days},
            note=f"copy of exchange {exchange.pk}, dates moved by {days} days",
        )
    return copy


class _acting:
    """Attribute the copy's audit entries to ``by`` (a page or API request already does)."""

    def __init__(self, user):
        self.cm = None
        if user is not None and audit.current_user() is None:
            self.cm = audit.acting_as(user, via="command")

    def __enter__(self):
        if self.cm is not None:
            self.cm.__enter__()

    def __exit__(self, *exc):
        return self.cm.__exit__(*exc) if self.cm is not None else False
