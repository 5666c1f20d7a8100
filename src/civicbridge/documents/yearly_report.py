"""The yearly report upward (年度统计报表): the statistics page's figures for a year (or
the years asked) and a scope, as an Excel workbook (a sheet per table, formatted as the
exports are: title row, 序号, widths, frozen header, A4 landscape) and as a PDF with the
charts (the same SVG, which WeasyPrint renders) and the tables, its CJK fonts embedded as
subsets."""

from __future__ import annotations

import datetime as dt
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from civicbridge.documents import fonts
from civicbridge.documents.spreadsheets import NUMBER_HEADER, Table, format_sheet, safe_row
from civicbridge.documents.text import conv
from civicbridge.statistics import report
from civicbridge.statistics.selectors import Filters


def report_title(filters: Filters) -> str:
    years = (
        str(filters.year_from)
        if filters.year_from == filters.year_to
        else f"{filters.year_from}–{filters.year_to}"
    )
    return _("%(years)s yearly statistics report") % {"years": years}


def tables(sections: list[report.Section], heading: str, which: str) -> list[Table]:
    """One table per section: its rows, its totals last."""
    out = []
    for section in sections:
        rows = [list(r) for r in section.rows]
        if section.total is not None:
            rows.append(list(section.total))
        out.append(
            Table(
                title=section.title,
                headers=list(section.headers),
                rows=rows,
                heading=f"{heading} · {section.title}",
                numbered=conv(NUMBER_HEADER, which),
            )
        )
    return out


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def workbook(filters: Filters, user, *, which: str, today: dt.date | None = None) -> bytes:
    """The report as an .xlsx: a sheet per table (see the module's docstring)."""
    from openpyxl import Workbook  # noqa: PLC0415 (heavy)
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 (heavy)

    sections = report.sections(filters, user, today=today, which=which)
    heading = f"{report_title(filters)} · {report.scope_label(filters, user, which)}"
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables(sections, heading, which):
        ws = wb.create_sheet(_sheet_name(table.title, used))
        headers = [table.numbered, *table.headers]
        ws.append(safe_row([table.heading]))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28
        ws.append(safe_row(headers))
        for number, row in enumerate(table.rows, start=1):
            ws.append(safe_row([number, *row]))
        format_sheet(ws, header_row=2)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def pdf(filters: Filters, user, *, which: str, today: dt.date | None = None) -> bytes:
    """The report as a PDF: each section's charts and table (A4 landscape)."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 (heavy)

    family = fonts.require_cjk_font("sans", which)
    sections = report.sections(filters, user, today=today, which=which, font=family)
    html = render_to_string(
        "documents/yearly_report.html",
        {
            "title": report_title(filters),
            "scope": report.scope_label(filters, user, which),
            "sections": sections,
            "lang": "zh-hant" if which == "hant" else "zh-hans",
        },
    )
    font = fonts.font_stack("sans", which)
    css = CSS(
        string=(
            "@page { size: A4 landscape; margin: 1.6cm 1.5cm;"
            f" @bottom-center {{ content: counter(page) ' / ' counter(pages);"
            f" font-family: {font}; font-size: 9pt; }} }}"
            f"body {{ font-family: {font}; font-size: 10pt; color: #222; }}"
            "h1 { font-size: 18pt; text-align: center; margin: 0 0 4pt; }"
            ".scope { text-align: center; margin: 0 0 12pt; }"
            "section { break-inside: auto; margin-bottom: 14pt; }"
            "h2 { font-size: 13pt; margin: 10pt 0 4pt; break-after: avoid; }"
            ".note { font-size: 9pt; color: #444; margin: 0 0 6pt; break-after: avoid; }"
            ".charts { break-inside: avoid; }"
            ".charts svg { display: inline-block; width: 12.6cm; height: auto;"
            " margin: 0 0.3cm 0.3cm 0; vertical-align: top; }"
            "table { border-collapse: collapse; width: 100%; margin-top: 6pt; }"
            "th, td { border: 0.5pt solid #999; padding: 2pt 4pt; text-align: right; }"
            "th:first-child, td:first-child { text-align: left; }"
            "th { background: #f3efe6; }"
            "tfoot td { font-weight: bold; }"
        )
    )
    return HTML(string=html).write_pdf(stylesheets=[css])
