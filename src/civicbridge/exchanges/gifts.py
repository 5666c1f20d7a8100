"""The gifts register's one rule of time: a gift received (or given) must be registered with
the discipline office (纪检) within one month of its date.

- A gift's date (``date_of``): its activity's local date (in the exchange's time zone),
  else the exchange's end date, else its start date.
- Its deadline: that date plus one calendar month (``add_month``: 31 January → 28 or 29
  February; the day is kept where the month has it).
- Overdue on ``day``: still to register and ``day`` after the deadline
  (``Gift.is_overdue_on(day)``; in SQL ``Gift.objects.overdue_on(day, timezones)``, which
  compares the gift's date with ``overdue_cutoff(day)``: the same answer, one filter).

This module knows no model (models.py imports it), so it takes records by their fields.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q


def add_month(day: dt.date) -> dt.date:
    """``day`` one calendar month later, clamped to the end of a shorter month."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def overdue_cutoff(day: dt.date) -> dt.date:
    """The earliest date whose deadline is on or after ``day``: a gift dated before it is
    overdue on ``day`` (``add_month`` never decreases, so this is one comparison)."""
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    candidate = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    candidate -= dt.timedelta(days=3)
    while add_month(candidate) < day:
        candidate += dt.timedelta(days=1)
    return candidate


def date_of(gift) -> dt.date:
    """The gift's date (see the module's docstring); ``gift`` with its activity and exchange."""
    exchange = gift.exchange
    activity = gift.activity if gift.activity_id else None
    if activity is not None and activity.starts_at is not None:
        return activity.starts_at.astimezone(ZoneInfo(exchange.timezone)).date()
    return exchange.end_date or exchange.start_date


def dated_before(cutoff: dt.date, timezones) -> Q:
    """A ``Q`` on gifts: their date (``date_of``) is before ``cutoff``. An activity's local
    date is read in its exchange's time zone, one of ``timezones`` (each zone's midnight
    is a moment, compared with the activity's start)."""
    timed = Q(pk__in=[])
    for name in sorted(set(timezones)):
        midnight = dt.datetime.combine(cutoff, dt.time(0), tzinfo=ZoneInfo(name))
        timed |= Q(exchange__timezone=name, activity__starts_at__lt=midnight)
    untimed = Q(activity__isnull=True) | Q(activity__starts_at__isnull=True)
    by_exchange = Q(exchange__end_date__lt=cutoff) | Q(
        exchange__end_date__isnull=True, exchange__start_date__lt=cutoff
    )
    return (Q(activity__starts_at__isnull=False) & timed) | (untimed & by_exchange)
