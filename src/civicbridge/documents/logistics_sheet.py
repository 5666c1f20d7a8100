"""The logistics sheet (接送表) of an exchange, a group, one day: who is picked up when and
where — arrivals in time order, then departures — with each member's hotel, room, vehicle
and seat; the dietary needs where the reader may see them (personal data, the roster
surface of exchanges.personal_data). As Excel (formatted as the other exports:
``spreadsheets.to_xlsx``) and as PDF (WeasyPrint, the checked CJK font)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from civicbridge.documents import fonts
from civicbridge.documents.spreadsheets import NUMBER_HEADER, Table, heading_of, to_xlsx
from civicbridge.documents.text import conv, normalise_script
from civicbridge.exchanges.dates import dates_chinese
from civicbridge.exchanges.models import Exchange, Group
from civicbridge.exchanges.personal_data import PersonalView
from civicbridge.logistics import selectors
from civicbridge.logistics.models import Direction

TITLE = "接送表"
MODE_LABELS = {
    "flight": "航班",
    "train": "火车",
    "coach": "大巴",
    "car": "汽车",
    "ship": "船",
    "other": "其他",
}
DIRECTION_LABELS = {Direction.ARRIVAL: "接站", Direction.DEPARTURE: "送站"}
HEADERS = [
    "时间",
    "接/送",
    "姓名",
    "分组",
    "交通",
    "班次",
    "地点",
    "需接送",
    "酒店",
    "房间",
    "车辆",
]
DIETARY_HEADER = "饮食"


@dataclass
class Sheet:
    exchange: Exchange
    group: Group | None
    day: dt.date
    which: str
    title: str
    headers: list[str]
    rows: list[list]
    # Days with travel, for the links between sheets.
    days: list[dt.date]


def _where(leg, which: str) -> str:
    if leg.place_wording:
        return conv(leg.place_wording, which)
    return leg.place.name_in(which) if leg.place_id else ""


def _hotel(row, which: str) -> tuple[str, str]:
    stay = row.stay
    if stay is None:
        return "", ""
    name = stay.hotel.name_in(which) if stay.hotel_id else conv(stay.hotel_wording, which)
    return name, stay.room


def _vehicle(row, day: dt.date, which: str) -> str:
    seat = row.seat_on(day)
    if seat is None:
        return ""
    text = conv(seat.vehicle.name, which)
    return f"{text} {seat.seat}".strip() if seat.seat else text


def default_day(exchange: Exchange, rows) -> dt.date:
    days = selectors.travel_days(rows, exchange.timezone)
    return days[0] if days else exchange.start_date


def build_sheet(
    exchange: Exchange,
    *,
    day: dt.date | None = None,
    group: Group | None = None,
    which: str | None = None,
    personal: PersonalView | None = None,
) -> Sheet:
    """The sheet's rows: one per pickup of ``day`` (the first day with travel when not
    given), for the exchange or one ``group``. ``personal``: what the reader sees of the
    members' needs (the roster surface); without it, none."""
    which = normalise_script(which) if which else "hans"
    personal = personal or PersonalView.nothing("roster")
    rows = selectors.logistics_rows(exchange, personal=personal, group=group)
    day = day or default_day(exchange, rows)
    pickups = selectors.pickups_on(rows, day, exchange.timezone)
    dietary = any(p.row.needs_visible for p in pickups)
    headers = [conv(h, which) for h in HEADERS]
    if dietary:
        headers.append(conv(DIETARY_HEADER, which))
    out = []
    for p in pickups:
        leg, row = p.leg, p.row
        hotel, room = _hotel(row, which)
        cells = [
            p.local_time.strftime("%H:%M"),
            conv(DIRECTION_LABELS[leg.direction], which),
            row.member.person.name_in(which),
            conv(row.member.group.name, which) if row.member.group_id else "",
            conv(MODE_LABELS.get(leg.mode, ""), which),
            leg.number,
            _where(leg, which),
            conv("是", which) if leg.pickup else "",
            hotel,
            room,
            _vehicle(row, day, which),
        ]
        if dietary:
            needs = row.needs if row.needs_visible else None
            cells.append(conv(needs.dietary, which) if needs and needs.dietary else "")
            if needs and needs.dietary:
                personal.disclosed = True
        out.append(cells)
    title = conv(TITLE, which)
    if group is not None:
        title = f"{title} {conv(group.name, which)}"
    title = f"{title} {day.isoformat()}"
    return Sheet(
        exchange=exchange,
        group=group,
        day=day,
        which=which,
        title=title,
        headers=headers,
        rows=out,
        days=selectors.travel_days(rows, exchange.timezone),
    )


def sheet_table(sheet: Sheet) -> Table:
    return Table(
        conv(TITLE, sheet.which),
        sheet.headers,
        sheet.rows,
        heading=heading_of(sheet.exchange, sheet.title, sheet.which),
        numbered=conv(NUMBER_HEADER, sheet.which),
    )


def sheet_xlsx(sheet: Sheet) -> bytes:
    return to_xlsx(sheet_table(sheet))


def sheet_html(sheet: Sheet) -> str:
    return render_to_string(
        "documents/logistics_sheet.html",
        {
            "sheet": sheet,
            "exchange_title": conv(sheet.exchange.title, sheet.which),
            "dates": conv(dates_chinese(sheet.exchange) or "", sheet.which),
            "number_header": conv(NUMBER_HEADER, sheet.which),
            "numbered_rows": list(enumerate(sheet.rows, start=1)),
            "lang": "zh-Hant" if sheet.which == "hant" else "zh-Hans",
        },
    )


STYLESHEET = "civicbridge/logistics-sheet.css"


def sheet_pdf(sheet: Sheet) -> bytes:
    from weasyprint import CSS, HTML  # noqa: PLC0415 (heavy)

    font = fonts.font_stack("sans", sheet.which)
    sheets = [
        CSS(filename=finders.find(STYLESHEET)),
        CSS(
            string=f"body {{ font-family: {font}; }}"
            f" @page {{ @bottom-center {{ font-family: {font}; }} }}"
        ),
    ]
    return HTML(string=sheet_html(sheet)).write_pdf(stylesheets=sheets)
