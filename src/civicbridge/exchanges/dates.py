"""An exchange's (or a group's) dates as the sources give them: exact days, a month only
(7月初), or "on or before" a date (日前), with or without a known end.

The one home for how such dates are written (``dates_label``: the pages in the reader's
language, ``dates_chinese``: the documents) and for the days they allow (``bounds``: the
services, the itinerary and the conflict check). The API gives the raw fields."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

DAY, MONTH, BEFORE = "day", "month", "before"  # exchanges.models.DatePrecision values


def _chinese_reader() -> bool:
    return (translation.get_language() or "").lower().startswith("zh")


def day_text(day: dt.date) -> str:
    """7 Jul 2018 / 2018年7月7日, in the reader's language."""
    if _chinese_reader():
        return f"{day.year}年{day.month}月{day.day}日"
    return date_format(day, "j M Y")


def month_text(day: dt.date) -> str:
    """July 2018 / 2018年7月."""
    if _chinese_reader():
        return f"{day.year}年{day.month}月"
    return date_format(day, "F Y")


def _fields(obj) -> tuple[dt.date | None, dt.date | None, str]:
    return (
        getattr(obj, "start_date", None),
        getattr(obj, "end_date", None),
        getattr(obj, "date_precision", DAY) or DAY,
    )


def dates_label(obj, *, precision: str | None = None) -> str:
    """An exchange's (or group's) dates in the reader's language:

    - exact days: ``7 Jul 2018``, ``7 Jul 2018 – 9 Jul 2018``, or with no known end
      ``from 7 Jul 2018 (end unknown)``;
    - month only: ``July 2018`` (``July 2018 – August 2018``);
    - before: ``on or before 13 Jul 2018 (日前)``.

    ``precision`` overrides the object's (a group has none: it takes its exchange's)."""
    start, end, own = _fields(obj)
    precision = precision or own
    if start is None:
        return ""
    if precision == MONTH:
        if end is not None and (end.year, end.month) != (start.year, start.month):
            return _("%(start)s – %(end)s") % {"start": month_text(start), "end": month_text(end)}
        return month_text(start)
    if precision == BEFORE:
        return _("on or before %(day)s (日前)") % {"day": day_text(end or start)}
    if end is None:
        return _("from %(day)s (end unknown)") % {"day": day_text(start)}
    if end == start:
        return day_text(start)
    return _("%(start)s – %(end)s") % {"start": day_text(start), "end": day_text(end)}


def dates_chinese(obj, *, precision: str | None = None) -> str:
    """The same in Chinese, for the documents (converted to Traditional by the document):
    2018年7月7日起（结束日期不详）, 2018年7月, 2018年7月13日或之前（日前）."""
    start, end, own = _fields(obj)
    precision = precision or own

    def day(d):
        return f"{d.year}年{d.month}月{d.day}日"

    def month(d):
        return f"{d.year}年{d.month}月"

    if start is None:
        return ""
    if precision == MONTH:
        if end is not None and (end.year, end.month) != (start.year, start.month):
            return f"{month(start)}—{month(end)}"
        return month(start)
    if precision == BEFORE:
        return f"{day(end or start)}或之前（日前）"
    if end is None:
        return f"{day(start)}起（结束日期不详）"
    if end == start:
        return day(start)
    return f"{day(start)}—{day(end)}"


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def bounds(obj, *, precision: str | None = None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day the dates allow (None: not known).

    Exact days: start and end (no end: open). A month: the first of the start month to the
    last of the end month (no end: open). Before: open to the date."""
    start, end, own = _fields(obj)
    precision = precision or own
    if start is None:
        return None, None
    if precision == MONTH:
        return start.replace(day=1), (_month_end(end) if end is not None else None)
    if precision == BEFORE:
        return None, end or start
    return start, end


def within_bounds(day: dt.date, first: dt.date | None, last: dt.date | None) -> bool:
    return (first is None or day >= first) and (last is None or day <= last)


def known_days(obj, *, limit: int = 31) -> list[dt.date]:
    """The days an itinerary lays out even when nothing is planned on them: the exchange's
    days when they are exact and known (at most ``limit``), otherwise its start day only
    (month and "before" precisions: none)."""
    start, end, precision = _fields(obj)
    if start is None or precision != DAY:
        return []
    if end is None:
        return [start]
    return [start + dt.timedelta(d) for d in range(min((end - start).days + 1, limit))]
