"""Parts of the day (上午 / 中午 / 下午 / 晚上) and how an activity's time is written.

The one home for the boundaries (noon, evening), the nominal times a part of the day stands
for when a source gives no clock time, and ``time_label``: the exchange page, the group
itinerary, the activity form and the documents (programmes, calendars, briefs, Excel) all
read them from here.

Core knows no domain app: an activity is read by duck typing (``starts_at``, ``ends_at``,
``time_precision``) and the precisions are compared with the values of
``exchanges.models.TimePrecision`` (a TextChoices, so its members equal these strings).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

NOON_HOUR = 12
EVENING = 18

MORNING, NOON, AFTERNOON, NIGHT = "morning", "noon", "afternoon", "evening"

# exchanges.models.TimePrecision values
EXACT = "exact"
PART_OF_DAY = "part_of_day"
DAY = "day"

# The nominal times stored for an activity known only by its part of the day (or its date).
NOMINAL_TIMES = {
    MORNING: (dt.time(9, 0), dt.time(12, 0)),
    # 中午: a lunch, a noon break. Its nominal times are its own (12:00–13:30), so an
    # activity stored with them reads back as 中午 (the hour boundaries say "afternoon").
    NOON: (dt.time(12, 0), dt.time(13, 30)),
    AFTERNOON: (dt.time(14, 0), dt.time(17, 0)),
    NIGHT: (dt.time(19, 0), dt.time(21, 0)),
    DAY: (dt.time(9, 0), dt.time(17, 0)),
}

# The words of the pages (the reader's language) ...
LABELS = {
    MORNING: _("Morning (上午)"),
    NOON: _("Noon (中午)"),
    AFTERNOON: _("Afternoon (下午)"),
    NIGHT: _("Evening (晚上)"),
    DAY: _("Time not recorded"),
}
UNSCHEDULED = _("Not yet scheduled")
# ... and of the documents, which are written in Chinese whatever the reader's language
# (converted to Traditional by the document when needed).
CHINESE = {MORNING: "上午", NOON: "中午", AFTERNOON: "下午", NIGHT: "晚上", DAY: "全天"}


def part_of_day(moment: dt.datetime | dt.time) -> str:
    """``"morning"``, ``"afternoon"`` or ``"evening"`` for a local time."""
    if moment.hour < NOON_HOUR:
        return MORNING
    if moment.hour < EVENING:
        return AFTERNOON
    return NIGHT


def part_of_day_label(moment: dt.datetime | dt.time) -> str:
    """Morning (上午) / Afternoon (下午) / Evening (晚上), in the reader's language."""
    return str(LABELS[part_of_day(moment)])


def part_of_day_chinese(moment: dt.datetime | dt.time) -> str:
    """上午 / 下午 / 晚上, for the documents."""
    return CHINESE[part_of_day(moment)]


def part_of_activity(start: dt.datetime | dt.time, end: dt.datetime | dt.time) -> str:
    """The part of the day of an activity known only by it (local start and end): 中午 when
    it has noon's nominal times, otherwise the part its start falls in."""
    start_t = start.time() if isinstance(start, dt.datetime) else start
    end_t = end.time() if isinstance(end, dt.datetime) else end
    if (start_t, end_t) == NOMINAL_TIMES[NOON]:
        return NOON
    return part_of_day(start_t)


def part_of_activity_chinese(start, end) -> str:
    """上午 / 中午 / 下午 / 晚上 of an activity known only by its part of the day."""
    return CHINESE[part_of_activity(start, end)]


def time_label(activity, tz: ZoneInfo | str, *, words: dict | None = None) -> str:
    """How an activity's time is written: exact times (``09:00–10:30``; an activity that
    ends on a later day: ``21:00 – 04-23 01:00``; one that ends when it starts: ``09:00``), its part of the day, or for a date only
    ``words[DAY]``. ``words``: ``LABELS`` (the pages, the default) or ``CHINESE`` (the
    documents)."""
    words = LABELS if words is None else words
    if activity.starts_at is None:  # not yet scheduled
        return str(UNSCHEDULED if words is LABELS else "待定")
    if isinstance(tz, str):
        tz = ZoneInfo(tz)
    start = activity.starts_at.astimezone(tz)
    end = activity.ends_at.astimezone(tz)
    if activity.time_precision == PART_OF_DAY:
        return str(words[part_of_activity(start, end)])
    if activity.time_precision == DAY:
        return str(words[DAY])
    if end <= start:  # a moment (a photo call, an arrival): its time alone
        return f"{start:%H:%M}"
    if start.date() != end.date():
        return f"{start:%H:%M} – {end:%m-%d %H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"
