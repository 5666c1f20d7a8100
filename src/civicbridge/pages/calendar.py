"""The calendar of exchanges: /calendar/?month=2016-04 — a month as a grid (weeks × days,
Monday first), each exchange an entry on every day it lasts; on a phone (under 600 px, CSS)
a list by day instead. Planned, confirmed, held and cancelled exchanges differ by a mark
and a word, not only by colour. Exchanges whose sources give only the month (7月初) are
listed above the grid ("day not known").

Whose exchanges: the user's scope (``exchanges.selectors.exchanges_in_scope``: all for
administrators and viewers, those hosted in their places for organisers and community
members, their delegations' for coordinators); reading needs ``exchanges.view_exchange``.
One query for the month's exchanges, whatever their number (pinned in the tests).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicbridge.core.services import EARLIEST_DATE, LATEST_DATE
from civicbridge.core.views import require_perm
from civicbridge.exchanges import dates
from civicbridge.exchanges.models import Exchange, ExchangeStatus
from civicbridge.exchanges.selectors import exchanges_in_scope

MONTH_PARAM = re.compile(r"([0-9]{4})-([0-9]{2})")
# Monday first, as calendars are printed on both sides of the Strait (Django's own words:
# 星期一 … in both scripts, Mon … in English).
WEEKDAYS = [WEEKDAYS_ABBR[i] for i in range(7)]
# Marks beside the status word: the status is told by shape and text, not by colour alone.
MARKS = {
    ExchangeStatus.PLANNED: "○",
    ExchangeStatus.CONFIRMED: "◐",
    ExchangeStatus.HELD: "●",
    ExchangeStatus.CANCELLED: "✕",
}
# An exchange longer than this is shown on its first and last days only (and marked as
# going on between): a programme "all year" must not fill the month.
LONGEST_SHOWN = 31


@dataclass
class Entry:
    exchange: Exchange
    starts: bool  # the exchange's first day
    ends: bool  # its last day
    mark: str


@dataclass
class Day:
    date: dt.date
    in_month: bool
    today: bool
    weekday: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        """22 Apr 2016 · Fri / 2016年4月22日 · 周五 (the list by day)."""
        return f"{dates.day_text(self.date)} · {self.weekday}"


class BadMonth(ValueError):
    pass


def parse_month(value: str | None, today: dt.date) -> dt.date:
    """The first day of the month ``YYYY-MM`` (this month when not given)."""
    if not value:
        return today.replace(day=1)
    match = MONTH_PARAM.fullmatch(value.strip())
    if not match:
        raise BadMonth(value)
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise BadMonth(value)
    first = dt.date(year, month, 1)
    if not EARLIEST_DATE <= first <= LATEST_DATE:
        raise BadMonth(value)
    return first


def _shift_month(first: dt.date, months: int) -> dt.date | None:
    index = first.year * 12 + first.month - 1 + months
    day = dt.date(index // 12, index % 12 + 1, 1) if 1 <= index // 12 <= 9999 else None
    return day if day is not None and EARLIEST_DATE <= day <= LATEST_DATE else None


def month_exchanges(user, first: dt.date, last: dt.date):
    """The living exchanges in ``user``'s scope with a day between ``first`` and ``last``
    (an unknown end counts as the start day), in one query."""
    qs = (
        Exchange.objects.alive()
        .filter(start_date__lte=last)
        .filter(Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
        .select_related("host_place")
        .order_by("start_date", "id")
    )
    scope = exchanges_in_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def _days_of(exchange: Exchange) -> list[dt.date]:
    start, end = exchange.start_date, exchange.end_date
    if end is None or end < start:
        return [start]
    length = (end - start).days + 1
    if length > LONGEST_SHOWN:
        return [start, end]
    return [start + dt.timedelta(days=n) for n in range(length)]


def month_grid(exchanges, first: dt.date, today: dt.date):
    """(weeks, days with entries, exchanges whose day is not known) for the month."""
    weekday_names = [str(w) for w in WEEKDAYS]
    weeks = [
        [Day(d, d.month == first.month, d == today, weekday_names[d.weekday()]) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    by_date = {day.date: day for week in weeks for day in week}
    undated = []
    for exchange in exchanges:
        mark = MARKS.get(exchange.status, "")
        if exchange.date_precision == dates.MONTH:
            undated.append(Entry(exchange, starts=True, ends=True, mark=mark))
            continue
        days = _days_of(exchange)
        for d in days:
            if d in by_date:
                by_date[d].entries.append(
                    Entry(exchange, starts=d == days[0], ends=d == days[-1], mark=mark)
                )
    listed = [day for week in weeks for day in week if day.in_month and day.entries]
    return weeks, listed, undated


def month_title(first: dt.date) -> str:
    return dates.month_text(first)


def _month_url(day: dt.date | None) -> str:
    return f"{reverse('calendar')}?month={day:%Y-%m}" if day else ""


@login_required
@require_GET
def calendar_month(request):
    require_perm(request, "exchanges.view_exchange")
    today = timezone.localdate()
    status = 200
    error = ""
    try:
        first = parse_month(request.GET.get("month"), today)
    except BadMonth:
        first, status = today.replace(day=1), 400
        error = _("“%(month)s” is not a month. Write it as year and month, e.g. 2016-04.") % {
            "month": request.GET.get("month", "")[:20]
        }
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    exchanges = list(month_exchanges(request.user, first, last))
    weeks, listed, undated = month_grid(exchanges, first, today)
    previous, following = _shift_month(first, -1), _shift_month(first, 1)
    context = {
        "first": first,
        "month_title": month_title(first),
        "weekdays": [str(w) for w in WEEKDAYS],
        "weeks": weeks,
        "listed": listed,
        "undated": undated,
        "count": len(exchanges),
        "previous_url": _month_url(previous),
        "previous_title": month_title(previous) if previous else "",
        "next_url": _month_url(following),
        "next_title": month_title(following) if following else "",
        "this_month_url": _month_url(today.replace(day=1)),
        "is_this_month": first == today.replace(day=1),
        "marks": [(MARKS[s], label) for s, label in ExchangeStatus.choices],
        "error": error,
    }
    return render(request, "pages/calendar.html", context, status=status)
