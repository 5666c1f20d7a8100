"""Programmes (日程表) per group and for the whole exchange: printable HTML, PDF and Word.

The page links its stylesheets and script as static files (our CSP allows nothing inline):
``civicbridge/programme.css`` (the sheet), ``programme-print.css`` (paper only) and
``programme.js`` (the 打印 button). The PDF is given the same two stylesheets."""

from __future__ import annotations

import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

from civicbridge.documents import fonts, selectors
from civicbridge.documents.places import script_of_place
from civicbridge.documents.text import arabic_date, conv, language_of, normalise_script, weekday
from civicbridge.exchanges import dates as exchange_dates
from civicbridge.exchanges.models import Exchange, Group
from civicbridge.exchanges.personal_data import PersonalView


def programme_context(
    exchange: Exchange,
    which: str | None = None,
    *,
    group: Group | None = None,
    personal: PersonalView | None = None,
) -> dict:
    """``personal``: what the reader sees of hosts' and organisers' phones and e-mail
    (exchanges.personal_data.PersonalView on the programme surface); without it, none."""
    which = normalise_script(which) if which else _default_script(exchange)
    days = selectors.programme_days(exchange, which, group=group, personal=personal)
    contacts = selectors.organiser_contacts(exchange, which, group=group, personal=personal)
    for day in days:
        day.label = f"{arabic_date(day.date)} {conv(weekday(day.date), which)}"
    title = conv(exchange.title, which)
    if group is not None:
        subtitle = conv(group.name, which)
        if group.host_place_id:
            subtitle += " · " + group.host_place.display_name_in(which)
        leader = group.leader.person.name_in(which) if group.leader_id else ""
    else:
        subtitle = ""
        leader = ""
    dates = conv(exchange_dates.dates_chinese(exchange), which)
    return {
        "script": which,
        "lang": language_of(which),
        "exchange": exchange,
        "group": group,
        "heading": conv("日程表", which),
        "title": title,
        "subtitle": subtitle,
        "dates": dates,
        "leader": leader,
        "leader_label": conv("带队", which),
        "days": days,
        "show_contacts": bool(contacts),
        "contacts": contacts,
        "labels": {
            key: conv(value, which)
            for key, value in {
                "time": "时间",
                "activity": "活动",
                "where": "地点",
                "hosts": "接待",
                "groups": "分组",
                "contacts": "联系人",
                "phone": "电话",
                "email": "电子邮件",
                "empty": "暂无日程。",
                "zone": "时间均为当地时间",
            }.items()
        },
        "zone": exchange.timezone,
        **_download_urls(exchange, group, which),
    }


def _download_urls(exchange: Exchange, group: Group | None, which: str) -> dict:
    """The PDF and Word versions of the same programme, in the same script."""
    query = f"?script={language_of(which)}"
    if group is not None:
        pdf = reverse("documents:programme_group_pdf", args=[group.pk])
        docx = reverse("documents:programme_group_docx", args=[group.pk])
    else:
        pdf = reverse("documents:programme_exchange_pdf", args=[exchange.pk])
        docx = reverse("documents:programme_exchange_docx", args=[exchange.pk])
    return {"pdf_url": pdf + query, "docx_url": docx + query}


def _default_script(exchange: Exchange) -> str:
    # A programme is read by the visitors: the visiting side's script.
    return script_of_place(exchange.visiting_place) or "hans"


def programme_html(exchange, which=None, *, group=None, personal=None, for_pdf=False) -> str:
    context = programme_context(exchange, which, group=group, personal=personal)
    context["for_pdf"] = for_pdf
    return render_to_string("documents/programme.html", context)


# The programme's stylesheets (static files), in the order the page links them.
STYLESHEETS = ("civicbridge/programme.css", "civicbridge/programme-print.css")


def programme_pdf(exchange, which=None, *, group=None, personal=None) -> bytes:
    from weasyprint import CSS, HTML  # noqa: PLC0415 (heavy)

    which = normalise_script(which) if which else _default_script(exchange)
    font = fonts.font_stack("sans", which)
    html = programme_html(exchange, which, group=group, personal=personal, for_pdf=True)
    sheets = [CSS(filename=finders.find(name)) for name in STYLESHEETS]
    # The checked CJK family, for the sheet and for the page numbers (a margin box does
    # not inherit the body's font).
    sheets.append(
        CSS(
            string=f"body.programme {{ font-family: {font}; }}"
            f" @page {{ @bottom-center {{ font-family: {font}; }} }}"
        )
    )
    return HTML(string=html).write_pdf(stylesheets=sheets)


# The Chinese fonts a Word programme names (an office's Windows has them): 宋体 / 新細明體.
WORD_FONTS = {"hans": "宋体", "hant": "新細明體"}
WORD_LATIN_FONT = "Times New Roman"


def _set_font(run_or_style, east_asian: str, size_pt: float | None = None, bold=None) -> None:
    from docx.oxml.ns import qn  # noqa: PLC0415 (heavy)
    from docx.shared import Pt  # noqa: PLC0415 (heavy)

    font = run_or_style.font
    font.name = WORD_LATIN_FONT
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts_el = rpr.find(qn("w:rFonts"))
    if fonts_el is None:
        fonts_el = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts_el)
    fonts_el.set(qn("w:eastAsia"), east_asian)


def _paragraph(document, text: str, east_asian: str, *, size=None, bold=None, center=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415 (heavy)

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(paragraph.add_run(text), east_asian, size, bold)
    return paragraph


def _cell(cell, lines, east_asian: str, *, bold=False) -> None:
    """Write ``lines`` (text, or (text, smaller)) into a table cell, one paragraph each."""
    first = True
    for line in lines:
        text, small = (line, False) if isinstance(line, str) else line
        if not text:
            continue
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        _set_font(paragraph.add_run(text), east_asian, 9 if small else 10.5, bold)


def programme_docx(exchange, which=None, *, group=None, personal=None) -> bytes:
    """The programme as a Word document: its title, the exchange and its dates, then a
    table per day (time, activity, place, hosts) and the organisers' contacts the reader
    may see (``personal``, as on the page)."""
    import docx  # noqa: PLC0415 (heavy)
    from docx.shared import Mm  # noqa: PLC0415 (heavy)

    context = programme_context(exchange, which, group=group, personal=personal)
    east_asian = WORD_FONTS.get(context["script"], WORD_FONTS["hans"])
    labels = context["labels"]
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin = section.bottom_margin = Mm(20)
    _set_font(document.styles["Normal"], east_asian, 10.5)
    document.core_properties.title = f"{context['heading']} · {context['title']}"
    document.core_properties.language = context["lang"]

    _paragraph(document, context["heading"], east_asian, size=22, bold=True, center=True)
    _paragraph(document, context["title"], east_asian, size=14, center=True)
    meta = [context["subtitle"], context["dates"]]
    if context["leader"]:
        meta.append(f"{context['leader_label']}：{context['leader']}")
    _paragraph(document, " · ".join(m for m in meta if m), east_asian, size=10.5, center=True)

    widths = (Mm(28), Mm(64), Mm(44), Mm(38))
    for day in context["days"]:
        _paragraph(document, day.label, east_asian, size=12.5, bold=True)
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        heads = (labels["time"], labels["activity"], labels["where"], labels["hosts"])
        for cell, head in zip(table.rows[0].cells, heads, strict=True):
            _cell(cell, [head], east_asian, bold=True)
        for row in day.rows:
            cells = table.add_row().cells
            kind = row.kind
            if kind and group is None and row.groups:
                kind += " · " + "、".join(row.groups)
            hosts = [
                " ".join(part for part in (h.name, h.role, h.phone) if part) for h in row.hosts
            ]
            _cell(cells[0], [row.time], east_asian)
            _cell(cells[1], [row.title, (kind, True), (row.description, True)], east_asian)
            _cell(cells[2], [row.where], east_asian)
            _cell(cells[3], hosts, east_asian)
        for table_row in table.rows:
            for cell, width in zip(table_row.cells, widths, strict=True):
                cell.width = width
    if not context["days"]:
        _paragraph(document, labels["empty"], east_asian)
    if context["show_contacts"]:
        _paragraph(document, labels["contacts"], east_asian, size=12.5, bold=True)
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        heads = (labels["contacts"], "", labels["phone"], labels["email"])
        for cell, head in zip(table.rows[0].cells, heads, strict=True):
            _cell(cell, [head], east_asian, bold=True)
        for contact in context["contacts"]:
            cells = table.add_row().cells
            for cell, value in zip(
                cells, (contact.name, contact.role, contact.phone, contact.email), strict=True
            ):
                _cell(cell, [value], east_asian)
    _paragraph(document, f"{labels['zone']}（{context['zone']}）", east_asian, size=9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
