"""The yearly report upward (年度统计报表): the workbook opens in openpyxl with a sheet per
table, formatted as the exports are; the PDF holds the charts and embeds subset CJK fonts;
a district's report covers its own district only."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_user
from tests.statistics.counting import Count
from tests.statistics.test_page import busiest_district

pytestmark = pytest.mark.django_db

SHEETS = 7


def _get(client, user, fmt, params=None):
    client.force_login(user)
    response = client.get(reverse("documents:yearly_report", args=[fmt]), params or {})
    assert response.status_code == 200
    return response


def test_the_workbook_has_a_sheet_per_table(client, world):
    admin = make_user("stat-admin", role="administrator")
    response = _get(client, admin, "xlsx", {"year_from": 2017, "year_to": 2026})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "statistics-2017-2026.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == SHEETS
    ws = wb[wb.sheetnames[0]]
    assert "2017–2026" in ws["A1"].value
    assert ws["A2"].value == "序号"
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
    years = list(range(2017, 2027))
    count = Count(world, None, years)
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [*range(1, len(years) + 2)]
    assert {r[1]: r[2] for r in rows[:-1]} == count.exchanges_per_year()
    assert rows[-1][2] == sum(count.exchanges_per_year().values())


def test_a_districts_workbook_covers_its_district(client, world):
    district = busiest_district(world)
    organiser = make_user("stat-organiser", role="organiser", place=district)
    response = _get(client, organiser, "xlsx", {"year_from": 2017, "year_to": 2026})
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert district.name_hans in ws["A1"].value
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    count = Count(world, [district], list(range(2017, 2027)))
    assert {r[1]: r[2] for r in rows[:-1]} == count.exchanges_per_year()


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_the_pdf_holds_the_charts_and_subset_cjk_fonts(client, world, tmp_path):
    admin = make_user("stat-admin", role="administrator")
    client.cookies["django_language"] = "zh-hant"
    response = _get(client, admin, "pdf", {"year_from": 2017, "year_to": 2026})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Axis labels and legends of the charts (SVG, drawn as text), and the matrix's names.
    for label in ("2017", "2026", "海淀區", "石景山區"):
        assert label in text
    assert text.count("2020") >= 6  # each year chart's axis and each table
    fonts = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [shutil.which("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert cjk
    for line in cjk:
        name, *_rest = line.split()
        assert "+" in name  # a subset: ABCDEF+Noto-Sans-CJK-TC
        assert " yes yes " in line  # embedded, subset
