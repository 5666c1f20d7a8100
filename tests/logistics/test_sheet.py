"""The logistics sheet of day 1 of the 20-member two-group visit: pickups in time order
(arrivals, then departures), with hotel, room and vehicle, in Excel and PDF."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

DAY_1 = dt.date(2016, 4, 22)


def _expected_day_1(n: int = 20) -> list[tuple[str, str, str]]:
    """(time, 接/送, name) of day 1 as the world was built: member i arrives at 09:00 plus
    ((i * 7) % n) half hours; member 1 (i = 0) leaves at 20:00."""
    arrivals = sorted(range(n), key=lambda i: (i * 7) % n)
    rows = []
    for i in arrivals:
        minutes = ((i * 7) % n) * 30
        rows.append((f"{9 + minutes // 60:02d}:{minutes % 60:02d}", "接站", f"林里长{i + 1:02d}"))
    rows.append(("20:00", "送站", "林里长01"))
    return rows


def _sheet_rows(content: bytes) -> tuple[list, list[list]]:
    ws = load_workbook(io.BytesIO(content)).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return values[1], values[2:]  # the title row, the header, the rows


def test_day_one_excel_lists_pickups_in_time_order(visit, client_for):
    url = reverse("documents:logistics_sheet", args=[visit.exchange.pk, "xlsx"])
    response = client_for("administrator").get(url, {"day": "2016-04-22"})
    assert response.status_code == 200
    header, rows = _sheet_rows(response.content)
    assert header == [
        "序号",
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
        "饮食",
    ]
    assert [(r[1], r[2], r[3]) for r in rows] == _expected_day_1()
    assert [r[0] for r in rows] == list(range(1, 22))
    first = rows[0]  # 林里长01 (i = 0) arrives at 09:00 on CI500
    assert first[4:] == [
        "第一组",
        "航班",
        "CI500",
        "首都机场T3",
        "是",
        "北京友谊宾馆",
        "801",
        "1号车 1",
        "素食",
    ]
    last = rows[-1]
    assert last[1:9] == ["20:00", "送站", "林里长01", "第一组", "航班", "CI600", "首都机场T3", None]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.freeze_panes == "A3"
    assert ws["A1"].value.startswith("臺北市里長北京參訪團 接送表 2016-04-22")


def test_a_group_sheet_lists_only_that_group(visit, client_for):
    second = visit.groups[1]
    url = reverse("documents:logistics_sheet", args=[visit.exchange.pk, "xlsx"])
    response = client_for("administrator").get(url, {"day": "2016-04-22", "group": second.pk})
    _header, rows = _sheet_rows(response.content)
    names = [f"林里长{i + 1:02d}" for i in range(10, 20)]
    assert [r[3] for r in rows] == [n for _t, _d, n in _expected_day_1() if n in names]
    assert {r[4] for r in rows} == {"第二组"}


def test_day_one_pdf_text_lists_pickups_in_time_order(visit, client_for):
    url = reverse("documents:logistics_sheet", args=[visit.exchange.pk, "pdf"])
    response = client_for("administrator").get(url, {"day": "2016-04-22"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(  # noqa: S603 - a fixed system tool, no shell
        [shutil.which("pdftotext"), "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    lines = [line.split() for line in text.splitlines() if "林里长" in line]
    assert [(cells[1], cells[2], cells[3]) for cells in lines] == _expected_day_1()
    assert "北京友谊宾馆" in text
    assert "接送表 2016-04-22" in text


def test_the_viewer_gets_no_dietary_column(visit, client_for):
    url = reverse("documents:logistics_sheet", args=[visit.exchange.pk, "xlsx"])
    response = client_for("viewer").get(url, {"day": "2016-04-22"})
    header, rows = _sheet_rows(response.content)
    assert "饮食" not in header
    assert all("素食" not in r for r in rows)
    assert len(rows) == 21


def test_a_bad_day_is_a_400(visit, client_for):
    url = reverse("documents:logistics_sheet", args=[visit.exchange.pk, "xlsx"])
    client = client_for("administrator")
    assert client.get(url, {"day": "2016-13-45"}).status_code == 400
    assert client.get(url, {"day": "9999-01-01"}).status_code == 400
    assert client.get(url, {"group": "x"}).status_code == 400
    assert client.get(url, {"group": "999999"}).status_code == 404
