"""Badges (胸牌) and table place cards (桌签) of an exchange's roster, as PDF.

Names are printed in the reader's script (or the one chosen), with the member's title and
organisation and their side (参访团 / 接待方), in the order of precedence
(``attendance.selectors.precedence_key``: the visiting side, then the host side; leaders,
deputies, members, staff; then the roster's order).

- Badges: eight per A4 sheet (90 × 60 mm), each inside a dashed cut line with crop room
  around it; the member's QR code (their badge's check-in link, attendance/links.py) on
  the right.
- Place cards: one folded A4 each (landscape, folded along the middle into a tent): the
  name large on the lower half and an upside-down copy on the upper half, so it reads from
  both sides of the table.

The QR codes are made with segno (SVG), also for the check-in codes page."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from django.template.loader import render_to_string

from civicbridge.attendance import links
from civicbridge.attendance.selectors import roster
from civicbridge.core import hans_hant
from civicbridge.documents import fonts
from civicbridge.documents.text import conv, language_of, normalise_script
from civicbridge.exchanges.models import Exchange, Member, MemberRole, Side

BADGES_PER_SHEET = 8
# Document words (written in Simplified; converted for a Traditional badge).
SIDE_WORDS = {Side.VISITING: "参访团", Side.HOST: "接待方"}
ROLE_WORDS = {
    MemberRole.LEADER: "团长",
    MemberRole.DEPUTY_LEADER: "副团长",
    MemberRole.MEMBER: "",
    MemberRole.STAFF: "工作人员",
}


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as SVG markup (no size: it fills its box)."""
    import segno  # noqa: PLC0415 (heavy)

    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, nl=False, border=2, omitsize=True
    )
    return out.getvalue().decode()


def qr_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode()).decode()


@dataclass
class NameCard:
    """What a badge or place card prints of one member, in its script."""

    member: Member
    name: str
    title: str
    organisation: str
    side: str
    side_label: str
    role_label: str
    qr: str = ""


def card_of(member: Member, which: str) -> NameCard:
    organisation = ""
    if member.organisation is not None:
        organisation = member.organisation.name_in(which)
    elif member.home_place is not None:
        organisation = member.home_place.display_name_in(which)
    return NameCard(
        member=member,
        name=member.person.name_in(which),
        # Stored text (as entered, in either script): converted to the card's.
        title=hans_hant.convert_text(member.title, which),
        organisation=organisation,
        side=member.side,
        side_label=conv(SIDE_WORDS.get(member.side, ""), which),
        role_label=conv(ROLE_WORDS.get(member.role, ""), which),
    )


def cards(exchange: Exchange, which: str, *, side: str | None = None) -> list[NameCard]:
    return [card_of(m, which) for m in roster(exchange, side=side)]


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (heavy)

    return HTML(string=html).write_pdf()


def badges_html(exchange: Exchange, which: str | None, *, base_url: str, side=None) -> str:
    """``base_url``: the site's address (``https://host``) the QR codes' links start with."""
    which = normalise_script(which)
    items = cards(exchange, which, side=side)
    for card in items:
        card.qr = qr_data_uri(base_url.rstrip("/") + links.link_path(links.make_token(card.member)))
    sheets = [items[i : i + BADGES_PER_SHEET] for i in range(0, len(items), BADGES_PER_SHEET)]
    return render_to_string(
        "documents/badges.html",
        {
            "lang": language_of(which),
            "font": fonts.font_stack("sans", which),
            "sheets": sheets,
            "exchange_title": hans_hant.convert_text(exchange.title, which),
            "heading": conv("胸牌", which),
        },
    )


def badges_pdf(exchange: Exchange, which: str | None, *, base_url: str, side=None) -> bytes:
    return _pdf(badges_html(exchange, which, base_url=base_url, side=side))


def name_size(name: str) -> int:
    """The place card's name size in points: as large as the half sheet takes."""
    length = len(name)
    if length <= 3:
        return 110
    if length <= 4:
        return 92
    if length <= 6:
        return 66
    return 44


def place_cards_html(exchange: Exchange, which: str | None, *, side=None) -> str:
    which = normalise_script(which)
    items = [(card, name_size(card.name)) for card in cards(exchange, which, side=side)]
    return render_to_string(
        "documents/place_cards.html",
        {
            "lang": language_of(which),
            "font": fonts.font_stack("sans", which),
            "cards": items,
            "heading": conv("桌签", which),
        },
    )


def place_cards_pdf(exchange: Exchange, which: str | None, *, side=None) -> bytes:
    return _pdf(place_cards_html(exchange, which, side=side))
