"""A li chief's phone, in 繁體: at 390 px the pairings list, the quiet pairings and the pairing
page never scroll sideways, the lists' rows are cards (site.css ``table-cards``) with each
value under its label, and the pairing's name reads on one or two lines (it wrapped one
character per line). Screenshots kept in docs/screenshots/."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_exchange_flow import sign_in
from tests.factories import build_leaders_world, make_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_pairings_on_a_phone_in_traditional(live_server, page):
    world = build_leaders_world()
    make_admin()
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, language="zh-hant")

    # The list: one card per pairing, no sideways scroll.
    page.goto(base + reverse("pairings:list") + "?health=all")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    rows = page.locator("table.table-cards tr.pairing-row")
    expect(rows).to_have_count(4)
    assert scroll_width(page) <= 390
    card = page.locator(f"tr[data-pairing='{world.p1.pk}']")
    assert card.evaluate("el => getComputedStyle(el).display") == "block"
    box = card.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    # The name reads across the card: a line is far wider than one character.
    name = card.locator("a.pairing-name")
    expect(name).to_contain_text("阜四社區")
    name_box = name.bounding_box()
    assert name_box["width"] > 100
    assert name_box["height"] < 80
    # Each value under its label (the cell's data-label, drawn by ::before).
    since = card.locator("td[data-label]").first
    label = since.get_attribute("data-label")
    assert label
    shown = since.evaluate("el => getComputedStyle(el, '::before').content")
    assert shown == f'"{label}"'
    # The column headers are kept for screen readers only.
    head = page.locator("table.table-cards thead").bounding_box()
    assert head["width"] <= 1 and head["height"] <= 1
    text = page.locator("main").inner_text()
    assert "社區" in text
    assert "社区" not in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "pairings-phone.png"), full_page=True)

    # The quiet pairings: cards too, with the return visit to propose.
    page.goto(base + reverse("pairings:quiet"))
    expect(page.locator("tr.pairing-row")).to_have_count(2)
    assert scroll_width(page) <= 390
    expect(page.locator("form.propose-return button").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "quiet-pairings-phone.png"), full_page=True)

    # The pairing page: its sides, health, commitments and timeline fit the screen.
    page.goto(base + reverse("pairings:detail", args=[world.p1.pk]))
    expect(page.locator("h1")).to_contain_text("阜四社區")
    expect(page.locator(".timeline")).to_be_visible()
    assert scroll_width(page) <= 390
    main_text = page.locator("main").inner_text()
    assert "黃國輝" in main_text
    assert "社区" not in main_text
    for selector in (".pairing-side", ".health-card", ".timeline"):
        region = page.locator(selector).first.bounding_box()
        assert region["x"] >= 0
        assert region["x"] + region["width"] <= 390
    page.screenshot(path=str(SHOTS / "pairing-phone-hant.png"), full_page=True)

    # Exchanges per district: its tables are cards too.
    page.goto(base + reverse("exchanges_by_district"))
    expect(page.locator("#areas-mainland tr[data-area]")).to_have_count(2)
    assert scroll_width(page) <= 390
    page.screenshot(path=str(SHOTS / "exchanges-by-district-phone.png"), full_page=True)

    # On a desk the list is a table again.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + reverse("pairings:list") + "?health=all")
    card = page.locator(f"tr[data-pairing='{world.p1.pk}']")
    assert card.evaluate("el => getComputedStyle(el).display") == "table-row"
    page.screenshot(path=str(SHOTS / "pairings-desktop.png"), full_page=True)
