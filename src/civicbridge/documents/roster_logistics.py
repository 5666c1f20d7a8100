"""The roster's logistics columns (到达航班/车次, 到达时间, 离开航班/车次, 离开时间, 酒店, 房间,
饮食): read from a row, planned against the member's logistics (the import's preview), applied
through logistics/services.py, and written by the roster export. Used by
``documents.spreadsheets`` (``plan_roster``, ``import_roster``, ``roster_table``).

饮食 is personal data (a member's needs, logistics.selectors.needs_visible on the roster
surface): exported and written only for a reader who may see it."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from civicbridge.core.services import EARLIEST_DATE, LATEST_DATE
from civicbridge.exchanges.personal_data import ROSTER, PersonalView
from civicbridge.logistics import selectors
from civicbridge.logistics import services as logistics
from civicbridge.logistics.models import Direction

# (key, canonical header, other spellings): in the order the template and export write them.
COLUMNS = [
    ("arrival_number", "到达航班/车次", ("到达航班", "到达车次", "抵达航班", "抵达航班/车次")),
    ("arrival_at", "到达时间", ("抵达时间",)),
    ("departure_number", "离开航班/车次", ("离开航班", "离开车次", "返程航班", "返程航班/车次")),
    ("departure_at", "离开时间", ("返程时间",)),
    ("hotel", "酒店", ("住宿酒店", "宾馆", "住宿")),
    ("room", "房间", ("房号", "房间号")),
    ("dietary", "饮食", ("饮食需求", "饮食禁忌")),
]
KEYS = tuple(key for key, _h, _a in COLUMNS)
TEXT_LIMITS = {"arrival_number": 40, "departure_number": 40, "hotel": 200, "room": 40}
TIME_KEYS = ("arrival_at", "departure_at")
LEG_OF = {
    "arrival_number": (Direction.ARRIVAL, "number"),
    "arrival_at": (Direction.ARRIVAL, "at"),
    "departure_number": (Direction.DEPARTURE, "number"),
    "departure_at": (Direction.DEPARTURE, "at"),
}
_TIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]*(\d{1,2})[:：时](\d{2})(?:[:：](\d{2}))?分?$"
)


def parse_time(value, zone: str) -> dt.datetime:
    """A moment from a cell, in the exchange's time zone ``zone``: an Excel date-time,
    2016-04-22 09:30, 2016/4/22 9:30, 2016年4月22日 9:30."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).strip()
        m = _TIME.match(text)
        if not m:
            raise ValueError(
                _("%(value)s is not a time (write it as 2016-04-22 09:30).") % {"value": text}
            )
        year, month, day, hour, minute = (int(x) for x in m.groups()[:5])
        try:
            moment = dt.datetime(year, month, day, hour, minute)
        except ValueError as exc:
            raise ValueError(_("%(value)s is not a time that exists.") % {"value": text}) from exc
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise ValueError(_("%(value)s is not a plausible time.") % {"value": value})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def read_cells(get: dict, zone: str) -> tuple[dict, dict[str, str]]:
    """The logistics values a row gives (key → value) and the problems (key → message)."""
    values, problems = {}, {}
    for key in KEYS:
        raw = get.get(key)
        if raw is None:
            continue
        if key in TIME_KEYS:
            try:
                values[key] = parse_time(raw, zone)
            except ValueError as exc:
                problems[key] = str(exc)
            continue
        text = " ".join(str(raw).split())
        limit = TEXT_LIMITS.get(key, 200)
        if len(text) > limit:
            problems[key] = _("At most %(n)s characters.") % {"n": limit}
            continue
        values[key] = text
    return values, problems


def current(exchange) -> dict[int, selectors.LogisticsRow]:
    """The exchange's logistics by member id (a few queries, once per import)."""
    rows = selectors.logistics_rows(exchange, personal=PersonalView.everything(ROSTER))
    return {row.member.pk: row for row in rows}


def stored(row: selectors.LogisticsRow | None, key: str):
    if row is None:
        return None if key in TIME_KEYS else ""
    if key in LEG_OF:
        direction, attr = LEG_OF[key]
        leg = row.arrival if direction == Direction.ARRIVAL else row.departure
        return getattr(leg, attr) if leg is not None else (None if attr == "at" else "")
    if key == "hotel":
        return row.stay.hotel_name if row.stay else ""
    if key == "room":
        return row.stay.room if row.stay else ""
    return row.needs.dietary if row.needs else ""


def shown(value, zone: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    return str(value)


def may_write_needs(actor, person) -> bool:
    """A new person (not yet in the directory) is the importer's own; an existing one's
    needs only for an actor who may see them."""
    return actor is None or person is None or selectors.needs_visible(actor, person, context=ROSTER)


def planned(values: dict, row, actor, person, zone: str) -> tuple[dict, list, list]:
    """What the row changes: (fields to write, [(key, old, new)], [keys not written])."""
    fields, changes, refused = {}, [], []
    for key, new in values.items():
        old = stored(row, key)
        if key == "dietary" and not may_write_needs(actor, person):
            refused.append(key)
            continue
        if new != old:
            fields[key] = new
            changes.append((key, shown(old, zone), shown(new, zone)))
    return fields, changes, refused


def apply(member, fields: dict, actor, row: selectors.LogisticsRow | None) -> None:
    """Write what ``planned`` found, keeping what the sheet does not give."""
    for direction in (Direction.ARRIVAL, Direction.DEPARTURE):
        number_key, at_key = f"{direction}_number", f"{direction}_at"
        if number_key not in fields and at_key not in fields:
            continue
        leg = getattr(row, direction) if row is not None else None
        logistics.set_travel_leg(
            member=member,
            direction=direction,
            mode=leg.mode if leg else "flight",
            number=fields.get(number_key, leg.number if leg else ""),
            at=fields.get(at_key, leg.at if leg else None),
            place=leg.place if leg else None,
            place_wording=leg.place_wording if leg else "",
            pickup=leg.pickup if leg else False,
            note=leg.note if leg else "",
            actor=actor,
        )
    if "hotel" in fields or "room" in fields:
        stay = row.stay if row is not None else None
        hotel = stay.hotel if stay else None
        wording = stay.hotel_wording if stay else ""
        if "hotel" in fields:
            hotel, wording = None, fields["hotel"]
        logistics.set_stay(
            member=member,
            hotel=hotel,
            hotel_wording=wording,
            room=fields.get("room", stay.room if stay else ""),
            nights=stay.nights if stay else None,
            note=stay.note if stay else "",
            actor=actor,
        )
    if "dietary" in fields:
        needs = row.needs if row is not None else None
        logistics.set_needs(
            member=member,
            dietary=fields["dietary"],
            mobility=needs.mobility if needs else "",
            medical=needs.medical if needs else "",
            actor=actor,
        )


def export_cells(row, zone: str, *, dietary: bool, personal: PersonalView | None) -> list:
    """The export's logistics cells of one member (times as local date-times for Excel)."""
    tz = ZoneInfo(zone)
    cells = []
    for key in KEYS:
        if key == "dietary":
            continue
        value = stored(row, key)
        if isinstance(value, dt.datetime):
            value = value.astimezone(tz).replace(tzinfo=None)
        cells.append(value if value not in ("", None) else None)
    if dietary:
        visible = personal is not None and personal.visible(
            row.member.person, selectors.NEEDS_GOVERNED_BY
        )
        value = stored(row, "dietary") if visible else ""
        if value:
            personal.disclosed = True
        cells.append(value or None)
    return cells


def export_headers(members, personal: PersonalView | None) -> tuple[list[str], bool]:
    """The export's logistics headers; 饮食 only when the reader sees someone's needs."""
    dietary = personal is not None and any(
        personal.visible(m.person, selectors.NEEDS_GOVERNED_BY) for m in members
    )
    headers = [header for key, header, _a in COLUMNS if key != "dietary" or dietary]
    return headers, dietary
