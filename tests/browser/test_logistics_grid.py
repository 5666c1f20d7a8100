"""Issue 15: the logistics grid in a real browser. An organiser of the 20-member two-group
visit types a new arrival into one cell and a bad time into another: the page shows the
error in its cell and keeps both; corrected, every row is saved in one POST. At 1280 px and
at 390 px (a phone) the page itself does not scroll sideways: the grid scrolls inside its
frame, the member column stays in view. Screenshots into docs/screenshots/."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civicbridge.logistics.models import TravelLeg
from tests.browser.test_exchange_flow import sign_in
from tests.factories import build_logistics_visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_the_grid_saves_every_row_and_shows_errors_in_their_cells(live_server, page):
    visit = build_logistics_visit()
    base = live_server.url
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, base, username="org_haidian", language="zh-hans")
    page.set_viewport_size({"width": 1280, "height": 900})
    url = base + reverse("logistics:grid", args=[visit.exchange.pk])
    page.goto(url)
    expect(page.locator("table.logistics-grid tbody tr")).to_have_count(20)

    page.fill("#id_rows-0-arrival_number", "CA185")
    page.fill("#id_rows-1-seat", "1")  # 林里长01's seat in 1号车
    page.click(".logistics-grid-form button[type=submit]")
    cell = page.locator(f"#member-{visit.members[1].pk} td.cell-seat")
    expect(cell.locator(".errorlist")).to_contain_text("林里长01")
    expect(page.locator("#id_rows-0-arrival_number")).to_have_value("CA185")
    assert TravelLeg.objects.filter(number="CA185").count() == 0

    page.fill("#id_rows-1-seat", "12")
    page.click(".logistics-grid-form button[type=submit]")
    expect(page.locator("#id_rows-0-arrival_number")).to_have_value("CA185")
    assert TravelLeg.objects.filter(number="CA185").count() == 1
    assert not _page_scrolls_sideways(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "logistics-grid.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(page.locator("table.logistics-grid tbody tr")).to_have_count(20)
    assert not _page_scrolls_sideways(page)
    page.screenshot(path=str(SHOTS / "logistics-grid-phone.png"))
    assert refused == []
