"""Issue 16: a viewer (a leader) filters the statistics by district and downloads the
yearly workbook; the page at 1280 and 390 px (tables as cards) in docs/screenshots/, with
no CSP refusals."""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from benchmarks.world import build_world
from tests.browser.test_exchange_flow import sign_in
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_a_viewer_filters_by_district_and_downloads_the_workbook(live_server, page):
    world = build_world(years=10, scale=0.02, seed=5, today=timezone.localdate())
    district = world.mainland_districts[0]
    make_user("leader", role="viewer")
    base = live_server.url
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, base, username="leader", language="zh-hans")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/")
    page.locator(".main-nav a[href='/statistics/']").click()
    expect(page.locator("h1")).to_have_count(1)
    page.select_option("#id_place", str(district.pk))
    page.locator(".statistics-filters button[type=submit]").click()
    page.wait_for_url(lambda url: f"place={district.pk}" in url)
    expect(page.locator(".statistics-scope")).to_contain_text(district.name_hans)
    expect(page.locator("#figure-exchanges svg.chart").first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "statistics-desktop.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator(".statistics-filters a[href*='report.xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(wb.sheetnames) == 7
    assert district.name_hans in wb.worksheets[0]["A1"].value

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    # Below 600 px each table row is a card: its cells are blocks with their labels.
    cell = page.locator("#figure-exchanges tbody td").first
    assert cell.evaluate("el => getComputedStyle(el).display") == "block"
    label = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert label not in ("none", "normal", "")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(SHOTS / "statistics-phone.png"), full_page=True)
    assert refused == []
