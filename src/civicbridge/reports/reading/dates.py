"""Dates in a report: the dateline and publication date, the days the exchange took.

A date without a year takes the dateline's (or publication's) year; a month-less day takes the
dateline's month, or the month before when that would put it after the dispatch. Relative words
(昨日, 前天, 当日) count from the dispatch; vague ones (日前, 近日, 月初) give no day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from civicbridge.reports.reading.text import ReportText

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_number(text: str) -> int | None:
    """21, 二十一, 一百二十, 十二 → int; None for text that is no number."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in units:
            total += (current or 1) * units[ch]
            current = 0
        else:
            return None
    return total + current


_NUM = r"(?:\d{1,4}|[〇零一二两三四五六七八九十百]+)"
# A dispatch: 中新社太原4月24日电, 中国台湾网10月8日天津讯, 本报讯 … 4月24日
DATELINE = re.compile(
    r"(?:社|网|报|台|电视台)(?:[\u4e00-\u9fff]{0,6}?)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:[\u4e00-\u9fff]{0,6}?)(?:电|讯)"
)
_STAMP = re.compile(r"(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})日?\s+\d{1,2}[:：]\d{2}")
_PUBLISHED_LINE = re.compile(
    r"(?:发布日期|发布时间|日期|时间)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})"
)
# A day, with optional year and month; an optional second day (a range).
DAY = re.compile(
    r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})(?:日|号)"
    r"(?:\s*(?:至|到|-|—|–|~|～)\s*(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})(?:日|号))?"
)
_DAY_RANGE_BARE = re.compile(r"(?:(\d{1,2})月)?(\d{1,2})\s*(?:-|—|–|~|～|至)\s*(\d{1,2})日")
RELATIVE = {"昨日": -1, "昨天": -1, "前日": -2, "前天": -2, "今天": 0, "今日": 0}
# Sentences that tell of other times: an earlier or later visit, a history.
OTHER_TIME = re.compile(r"(曾|去年|前年|上月|此前|以前|早在|历年|将于|将在|明年|以来|成立于|始于)")


@dataclass
class Day:
    date: dt.date
    start: int
    end: int


@dataclass
class Span:
    start: dt.date
    end: dt.date
    at: tuple[int, int]


def _safe(year, month, day) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


def dateline(report: ReportText, published: dt.date | None) -> Day | None:
    """The dispatch's date (its year from itself or the publication date)."""
    match = DATELINE.search(report.folded[:1500])
    if not match:
        return None
    year = int(match.group(1)) if match.group(1) else (published.year if published else None)
    date = _safe(year, int(match.group(2)), int(match.group(3)))
    if date and published and date > published + dt.timedelta(days=1):
        date = _safe(year - 1, date.month, date.day)
    return Day(date, match.start(), match.end()) if date else None


def publication_date(report: ReportText) -> dt.date | None:
    """A date stamped on the page (2023-04-25 09:26:00, 发布日期:2018-07-13)."""
    for pattern in (_PUBLISHED_LINE, _STAMP):
        match = pattern.search(report.folded[:2000])
        if match:
            date = _safe(*(int(g) for g in match.groups()))
            if date:
                return date
    return None


def _resolve(year, month, day, anchor: dt.date | None, *, ahead: bool = False) -> dt.date | None:
    """A day as the report means it: a day without month or year is in the anchor's month
    (the month before when it would be after the anchor, unless ``ahead``: 预定9日返回)."""
    if year is None:
        if anchor is None:
            return None
        year = anchor.year
        if month is None:
            month = anchor.month
            candidate = _safe(year, month, day)
            if candidate and candidate > anchor and not ahead:
                month -= 1
                if month == 0:
                    year, month = year - 1, 12
            return _safe(year, month, day)
        candidate = _safe(year, month, day)
        if candidate and candidate > anchor + dt.timedelta(days=62):
            return _safe(year - 1, month, day)
        return candidate
    if month is None:
        month = anchor.month if anchor else None
    return _safe(year, month, day)


# Words before a day that put it ahead of the report (预定9日返回, 将于12日举行).
_AHEAD = re.compile(r"预定|预计|将于|将在|计划|拟于|定于")
# 将在苏州停留4天, 为期三天: how many days the visit lasts from the day named before it.
_LASTING = re.compile(r"(?:停留|为期|历时)(?P<n>\d{1,2}|[一二两三四五六七八九十]+)天")


def days_in(
    report: ReportText, anchor: dt.date | None, *, skip: set[tuple[int, int]] = frozenset()
):
    """Every day the text names (with the range's last day), outside ``skip`` spans."""
    folded = report.folded
    found: list[tuple[Day, Day | None]] = []
    for match in _DAY_RANGE_BARE.finditer(folded):
        month = int(match.group(1)) if match.group(1) else None
        last = _resolve(None, month, int(match.group(3)), anchor)
        first = _safe(last.year, last.month, int(match.group(2))) if last else None
        if first and last and last >= first:
            found.append(
                (Day(first, match.start(), match.end()), Day(last, match.start(), match.end()))
            )
    taken = [(d.start, d.end) for d, _ in found]
    for match in DAY.finditer(folded):
        if any(s <= match.start() < e for s, e in taken) or (match.start(), match.end()) in skip:
            continue
        if any(s <= match.start() < e for s, e in skip):
            continue
        y1, m1, d1, y2, m2, d2 = match.groups()
        if m1 is None and y1 is None and match.start() > 0 and folded[match.start() - 1].isdigit():
            continue
        ahead = bool(_AHEAD.search(folded, max(0, match.start() - 6), match.start()))
        first = _resolve(
            int(y1) if y1 else None, int(m1) if m1 else None, int(d1), anchor, ahead=ahead
        )
        if not first:
            continue
        last = None
        if d2:
            last = _resolve(
                int(y2) if y2 else first.year, int(m2) if m2 else first.month, int(d2), anchor
            )
        found.append(
            (
                Day(first, match.start(), match.end()),
                Day(last, match.start(), match.end()) if last else None,
            )
        )
    return found


def relative_days(report: ReportText, anchor: dt.date | None):
    if anchor is None:
        return []
    out = []
    for word, delta in RELATIVE.items():
        for match in re.finditer(word, report.folded):
            out.append(Day(anchor + dt.timedelta(days=delta), match.start(), match.end()))
    return out


def exchange_span(report: ReportText, *, published: dt.date | None) -> Span | None:
    """The days of the exchange the report tells of: the days it names in sentences about the
    visit itself (not an earlier or later one), from the first to the last."""
    line = dateline(report, published)
    anchor = line.date if line else (published or publication_date(report))
    skip = {(line.start, line.end)} if line else set()
    stamp = _STAMP.search(report.folded[:2000]) or _PUBLISHED_LINE.search(report.folded[:2000])
    if stamp:
        skip.add((stamp.start(), stamp.end()))
    header_end = report.folded.find("\n\n") if report.folded.startswith(("source:", "url:")) else -1
    days: list[Day] = []
    for first, last in days_in(report, anchor, skip=skip):
        if first.start < header_end:
            continue
        sentence = report.sentence_at(first.start)
        if sentence and OTHER_TIME.search(sentence.folded):
            continue
        days.append(first)
        if last:
            days.append(last)
        lasting = _LASTING.search(sentence.folded) if sentence and not last else None
        if lasting and (n := chinese_number(lasting.group("n"))) and 1 < n <= 31:
            days.append(Day(first.date + dt.timedelta(days=n - 1), first.start, first.end))
    if days:
        # 今天到士林区参访 beside a day named ahead (预定9日返回): today is one of the days.
        for day in relative_days(report, anchor):
            sentence = report.sentence_at(day.start)
            if day.date <= (anchor or day.date) and not (
                sentence and OTHER_TIME.search(sentence.folded)
            ):
                days.append(day)
    if not days:
        relative = [d for d in relative_days(report, anchor) if d.date <= (anchor or d.date)]
        if relative:
            days = relative[:1]
    if not days:
        return None
    # Days far from the first one named belong to another story (a history, a plan).
    first = days[0]
    near = [d for d in days if abs((d.date - first.date).days) <= 31]
    start = min(d.date for d in near)
    end = max(d.date for d in near)
    return Span(start, end, (first.start, first.end))
