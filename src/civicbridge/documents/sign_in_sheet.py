"""The sign-in sheet (签到表) of one activity, as PDF: the activity, its day, time and place;
a line per member expected (and anyone else who checked in) in the order of precedence,
with 序号, 姓名, 单位/职务, a blank 签名 cell, and ✓ for those already checked in (the
attendance records, ``attendance.selectors.sheet_rows``: the sheet is proof of who came)."""

from __future__ import annotations

from django.template.loader import render_to_string

from civicbridge.attendance.selectors import sheet_rows
from civicbridge.core import hans_hant
from civicbridge.core.part_of_day import CHINESE, time_label
from civicbridge.documents import fonts
from civicbridge.documents.selectors import where_of
from civicbridge.documents.text import (
    arabic_date,
    conv,
    language_of,
    local,
    normalise_script,
    weekday,
)
from civicbridge.exchanges.models import Activity


def sheet_context(activity: Activity, which: str | None) -> dict:
    which = normalise_script(which)
    rows = sheet_rows(activity)
    exchange = activity.exchange
    when = ""
    if activity.starts_at is not None:
        day = local(activity.starts_at, exchange.timezone).date()
        when = f"{arabic_date(day)} {conv(weekday(day), which)} "
        when += time_label(activity, exchange.timezone, words=CHINESE)
    lines = []
    for row in rows:
        member = row.member
        where = member.organisation.name_in(which) if member.organisation else ""
        title = hans_hant.convert_text(member.title, which)
        lines.append(
            {
                "number": row.number,
                "name": member.person.name_in(which),
                "unit": " ".join(part for part in (where, title) if part),
                "checked": row.attendance is not None,
            }
        )
    labels = {
        key: conv(value, which)
        for key, value in {
            "heading": "签到表",
            "activity": "活动",
            "time": "时间",
            "place": "地点",
            "number": "序号",
            "name": "姓名",
            "unit": "单位/职务",
            "signature": "签名",
            "checked": "已签到",
            "total": "应到",
            "present": "已签到",
            "people": "人",
        }.items()
    }
    return {
        "lang": language_of(which),
        "font": fonts.font_stack("sans", which),
        "labels": labels,
        # Stored text, as entered in either script: shown in the sheet's.
        "exchange_title": hans_hant.convert_text(exchange.title, which),
        "title": hans_hant.convert_text(activity.title, which),
        "when": when,
        "where": where_of(activity, which),
        "lines": lines,
        "present": sum(1 for line in lines if line["checked"]),
    }


def sign_in_sheet_html(activity: Activity, which: str | None = None) -> str:
    return render_to_string("documents/sign_in_sheet.html", sheet_context(activity, which))


def sign_in_sheet_pdf(activity: Activity, which: str | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (heavy)

    return HTML(string=sign_in_sheet_html(activity, which)).write_pdf()
