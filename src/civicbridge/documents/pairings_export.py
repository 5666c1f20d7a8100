"""The pairings list as an Excel workbook (结对名单), as offices make their exports: a title
row (the list, its filters, the day it was made), 序号, widths, the header frozen, A4
landscape (``documents.spreadsheets.to_xlsx``). The rows are the list's, filtered and sorted
alike (``pairings.selectors.listed_pairings``), each with the one health rule.

Each pairing is written mainland side first when its parties are on the two sides of the
Strait (a community and a li); otherwise in its own order. No personal data: the present
contacts are named, never their phones."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civicbridge.core import hans_hant
from civicbridge.directory.models import MAINLAND, TAIWAN, Place
from civicbridge.documents.spreadsheets import NUMBER_HEADER, Table, to_xlsx
from civicbridge.documents.text import conv
from civicbridge.exchanges.models import ExchangeStatus
from civicbridge.pairings.models import PairingKind
from civicbridge.pairings.selectors import Health, area_in_chain, place_chains, side_places

TITLE = "结对名单"
HEADERS = [
    "大陆一方",
    "所在区县",
    "台湾一方",
    "所在县市",
    "结对类型",
    "状态",
    "结对时间",
    "结束时间",
    "大陆一方联系人",
    "台湾一方联系人",
    "最近联系",
    "往来次数",
    "未办承诺",
    "健康状况",
]
KINDS = {
    PairingKind.HONORARY: "荣誉主任结对",
    PairingKind.FRIENDLY: "友好社区",
    PairingKind.AGREEMENT: "签约结对",
}
STATUSES = {
    ExchangeStatus.PLANNED: "计划",
    ExchangeStatus.CONFIRMED: "已确认",
    ExchangeStatus.HELD: "已结对",
    ExchangeStatus.CANCELLED: "已取消",
}
HEALTH = {"active": "活跃", "quiet": "沉寂", "ended": "已结束"}
HEALTH_FILTER = {"current": "", "active": "活跃", "quiet": "沉寂", "ended": "已结束", "all": ""}


def health_word(health: Health) -> str:
    """The health as the list's badge says it (ended, quiet, active)."""
    if health.pairing.ended_on is not None:
        return HEALTH["ended"]
    return HEALTH["quiet"] if health.is_quiet else HEALTH["active"]


def _party_name(party, place, chains, which: str) -> str:
    """A place with its parents from its district down (海淀区田村路街道阜四社区); an
    organisation by its name."""
    if party is None:
        return ""
    if not isinstance(party, Place):
        return party.name_in(which)
    chain = chains.get(place.path) or [place]
    area = area_in_chain(chain)
    if area is not None:
        chain = chain[chain.index(area) :]
    return "".join(p.display_name_in(which) for p in chain if not p.is_hidden)


def _area(place, chains, which: str) -> str:
    if place is None:
        return ""
    area = area_in_chain(chains.get(place.path) or [place])
    if area is None:
        return ""
    city = getattr(area, "area_city", None)
    name = area.display_name_in(which)
    return f"{city.display_name_in(which)}{name}" if city is not None else name


def _contact(position, which: str) -> str:
    if position is None:
        return ""
    return f"{position.person.name_in(which)}（{hans_hant.convert_text(position.title, which)}）"


def pairing_row(health: Health, which: str, chains: dict) -> list:
    """One pairing's row; ``chains``: the places above its parties (``place_chains``)."""
    pairing = health.pairing
    place_a, place_b = side_places(pairing)
    parties = [
        (pairing.party_a, place_a, health.contact_a),
        (pairing.party_b, place_b, health.contact_b),
    ]
    sides = [place.side_id if place is not None else None for _party, place, _c in parties]
    if sides == [TAIWAN, MAINLAND]:
        parties.reverse()
    (party_1, place_1, contact_1), (party_2, place_2, contact_2) = parties
    return [
        _party_name(party_1, place_1, chains, which),
        _area(place_1, chains, which),
        _party_name(party_2, place_2, chains, which),
        _area(place_2, chains, which),
        conv(KINDS.get(pairing.kind, pairing.kind), which),
        conv(STATUSES.get(pairing.status, pairing.status), which),
        pairing.started_on,
        pairing.ended_on,
        _contact(contact_1, which),
        _contact(contact_2, which),
        health.last_contact,
        health.visits,
        health.open_commitments,
        conv(health_word(health), which),
    ]


def heading(filters, which: str, *, today: dt.date | None = None) -> str:
    """结对名单（海淀区 · 臺北市 · 友好社区 · 沉寂）　制表日期：2026-12-01"""
    parts = []
    for place in (filters.district, filters.county, filters.place):
        if place is not None:
            parts.append(place.display_name_in(which))
    if filters.kind:
        parts.append(conv(KINDS.get(filters.kind, filters.kind), which))
    if HEALTH_FILTER.get(filters.health):
        parts.append(conv(HEALTH_FILTER[filters.health], which))
    text = conv(TITLE, which)
    if parts:
        text += f"（{' · '.join(parts)}）"
    today = today or timezone.localdate()
    return f"{text}　{conv('制表日期', which)}：{today.isoformat()}"


def pairings_table(rows: list[Health], filters, which: str = "hans") -> Table:
    """The rows (``listed_pairings``) as a table in ``which`` script."""
    paths = [p.path for h in rows for p in side_places(h.pairing) if p is not None]
    chains = place_chains(paths)
    return Table(
        title=conv(TITLE, which),
        headers=[conv(h, which) for h in HEADERS],
        rows=[pairing_row(h, which, chains) for h in rows],
        heading=heading(filters, which),
        numbered=conv(NUMBER_HEADER, which),
    )


def pairings_xlsx(rows: list[Health], filters, which: str = "hans") -> bytes:
    return to_xlsx(pairings_table(rows, filters, which))
