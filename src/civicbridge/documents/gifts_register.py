"""The gifts register for the discipline office (纪检): every gift of the register's rows
(``exchanges.selectors.gift_register``: the reader's scope and filters) as an .xlsx
formatted as the other exports (``documents.spreadsheets``: title row, 序号, widths, frozen
header, A4 landscape).

Columns: date, exchange, direction, giver, recipient, what, value band, registration status,
registered on, register number, deadline, overdue. Text in the reader's script; dates as
dates. A gift that needs no registration has no deadline and is never overdue."""

from __future__ import annotations

import datetime as dt

from civicbridge.documents.spreadsheets import Table, to_xlsx
from civicbridge.documents.text import conv
from civicbridge.exchanges.models import GiftDirection, Registration, ValueBand

TITLE = "礼品登记"
HEADERS = [
    "日期",
    "交流活动",
    "方向",
    "赠送方",
    "接收方",
    "礼品",
    "估计价值",
    "登记状态",
    "登记日期",
    "登记编号",
    "登记期限",
    "是否逾期",
]
DIRECTIONS = {GiftDirection.GIVEN: "我方赠送", GiftDirection.RECEIVED: "我方收受"}
VALUE_BANDS = {
    ValueBand.UNKNOWN: "无/不详",
    ValueBand.UNDER_200: "200元以下",
    ValueBand.FROM_200: "200–500元",
    ValueBand.FROM_500: "500–1000元",
    ValueBand.OVER_1000: "1000元以上",
}
STATUSES = {
    Registration.NOT_REQUIRED: "无需登记",
    Registration.TO_REGISTER: "待登记",
    Registration.REGISTERED: "已登记",
}


def _party(party, which: str) -> str:
    """A giver or recipient: a person or organisation in ``which`` script, or the wording."""
    if not party:
        return ""
    return party.name_in(which) if hasattr(party, "name_in") else conv(party, which)


def register_table(gifts, which: str = "hans", *, today: dt.date) -> Table:
    """The register's rows (gifts with their exchange, activity, giver and recipient read)
    as a table, in the order given."""
    rows = []
    for g in gifts:
        needs = g.registration != Registration.NOT_REQUIRED
        rows.append(
            [
                g.given_on,
                conv(g.exchange.title, which),
                conv(DIRECTIONS.get(g.direction, "互赠/未说明"), which),
                _party(g.giver, which),
                _party(g.recipient, which),
                conv(g.description, which),
                conv(VALUE_BANDS.get(g.value_band, ""), which),
                conv(STATUSES.get(g.registration, ""), which),
                g.registered_on,
                g.register_number,
                g.deadline if needs else None,
                conv("是" if g.is_overdue_on(today) else "否", which) if needs else "",
            ]
        )
    title = conv(TITLE, which)
    return Table(
        title,
        [conv(h, which) for h in HEADERS],
        rows,
        heading=f"{title}　{conv('制表日期', which)}：{today.isoformat()}",
        numbered=conv("序号", which),
    )


def register_xlsx(gifts, which: str = "hans", *, today: dt.date) -> bytes:
    return to_xlsx(register_table(gifts, which, today=today))
