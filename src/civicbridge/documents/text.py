"""Small pieces of Chinese text used by every document: dates, parts of the day, script."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from civicbridge.core import hans_hant
from civicbridge.core.part_of_day import part_of_day_chinese

DIGITS = "〇一二三四五六七八九"


def chinese_year(year: int) -> str:
    return "".join(DIGITS[int(c)] for c in str(year))


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals as used in dates: 十, 十二, 二十, 二十二, 三十一."""
    if n < 10:
        return DIGITS[n]
    tens, units = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + (DIGITS[units] if units else "")


def chinese_date(day: dt.date) -> str:
    """二〇一六年四月二十二日."""
    return f"{chinese_year(day.year)}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def arabic_date(day: dt.date) -> str:
    """2016年4月22日."""
    return f"{day.year}年{day.month}月{day.day}日"


WEEKDAYS = "一二三四五六日"


def weekday(day: dt.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


# 上午 / 下午 / 晚上 for a local time (the boundaries are core/part_of_day.py's).
part_of_day = part_of_day_chinese


def local(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone))


def normalise_script(which: str | None) -> str:
    """Accept hans/hant or zh-hans/zh-hant (and zh-tw etc.); default Simplified."""
    if not which:
        return hans_hant.HANS
    which = which.lower()
    if which in (hans_hant.HANS, hans_hant.HANT):
        return which
    return hans_hant.script_of_language(which)


def conv(text: str, which: str) -> str:
    """Document text (written in Simplified here) in script ``which``."""
    if which == hans_hant.HANS:
        return text
    return hans_hant.convert_text(text, which)


def language_of(which: str) -> str:
    return "zh-hant" if which == hans_hant.HANT else "zh-hans"
