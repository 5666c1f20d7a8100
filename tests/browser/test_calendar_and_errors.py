"""In a browser: the 404 page in 繁體 (the site's layout, a next step), the calendar of
exchanges at 1280 px (a month grid, statuses told apart by mark and outline) and at 390 px
(a list by day, no sideways scroll), and copying an exchange from its page. Screenshots
kept in docs/screenshots/."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import DatePrecision, Exchange, ExchangeStatus
from tests.browser.test_exchange_flow import sign_in
from tests.factories import build_roles_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _april(world):
    """April 2016 as a month of exchanges in every status (the roles world's 22–23 April
    visit, held)."""
    exchanges.update_exchange(exchange=world.exchange, status=ExchangeStatus.HELD)
    for title, start, end, host, status in (
        ("延庆区座谈", (4, 5), (4, 5), world.yanqing, ExchangeStatus.HELD),
        ("京台社区大讲堂", (4, 12), (4, 14), world.haidian, ExchangeStatus.CONFIRMED),
        ("石油大院社区参访", (4, 18), (4, 18), world.haidian, ExchangeStatus.CANCELLED),
        ("海淀区回访", (4, 28), (4, 29), world.haidian, ExchangeStatus.PLANNED),
        ("学院路街道交流", (4, 22), (4, 22), world.haidian, ExchangeStatus.PLANNED),
    ):
        exchanges.create_exchange(
            title=title,
            start_date=dt.date(2016, *start),
            end_date=dt.date(2016, *end),
            host_place=host,
            visiting_place=world.taipei,
            status=status,
        )
    exchanges.create_exchange(
        title="四月初里长参访团",
        start_date=dt.date(2016, 4, 1),
        date_precision=DatePrecision.MONTH,
        host_place=world.haidian,
        status=ExchangeStatus.HELD,
    )


def test_404_page_in_traditional(live_server, page):
    build_roles_world()
    base = live_server.url
    page.set_viewport_size(DESK)
    sign_in(page, base, language="zh-hant")
    response = page.goto(base + "/exchanges/987654/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("nav.main-nav")).to_be_visible()
    expect(page.locator("form.language-switcher")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("返回儀表板")
    assert "Not Found" not in page.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "404-hant.png"), full_page=True)
    # The next step: search from the page itself.
    page.fill("#not-found-q", "石油大院")
    page.locator("main form.search-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/search/" in url)
    expect(page.locator("main")).to_contain_text("石油大院社區")


def test_calendar_on_a_desk_and_a_phone(live_server, page):
    world = build_roles_world()
    _april(world)
    base = live_server.url
    page.set_viewport_size(DESK)
    sign_in(page, base, language="zh-hant")
    page.goto(base + reverse("exchanges:list"))
    page.locator(f"main a[href='{reverse('calendar')}']").click()  # from the exchange list
    page.wait_for_url(lambda url: reverse("calendar") in url)
    page.goto(base + reverse("calendar") + "?month=2016-04")
    grid = page.locator("table.calendar-grid")
    expect(grid).to_be_visible()
    expect(page.locator(".calendar-list")).to_be_hidden()
    expect(page.locator("h1")).to_contain_text("2016年4月")
    # 22 April: the held visit (solid) and a planned one (dashed), told by their marks too.
    held = grid.locator("a.cal-entry--held", has_text="基層參訪團北京參訪").first
    planned = grid.locator("a.cal-entry--planned", has_text="學院路街道交流")
    expect(held).to_contain_text("●")
    expect(planned).to_contain_text("○")
    assert held.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    assert planned.evaluate("el => getComputedStyle(el).borderTopStyle") == "dashed"
    # A three-day exchange on each of its days.
    expect(grid.locator("a.cal-entry", has_text="京臺社區大講堂")).to_have_count(3)
    expect(page.locator(".calendar-undated")).to_contain_text("四月初里長參訪團")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(SHOTS / "calendar.png"), full_page=True)

    page.get_by_role("link", name="2016年5月").click()
    expect(page.locator("h1")).to_contain_text("2016年5月")
    expect(page.locator("table.calendar-grid")).to_contain_text("另一次參訪")

    page.set_viewport_size(PHONE)
    page.goto(base + reverse("calendar") + "?month=2016-04")
    expect(page.locator("table.calendar-grid")).to_be_hidden()
    listing = page.locator(".calendar-list")
    expect(listing).to_be_visible()
    expect(listing.locator("h2")).to_have_count(9)  # 5, 12–14, 18, 22, 23, 28, 29 April
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "calendar-phone.png"), full_page=True)


def test_copy_an_exchange_from_its_page(live_server, page):
    world = build_roles_world()
    base = live_server.url
    page.set_viewport_size(DESK)
    sign_in(page, base, language="en")
    page.goto(base + reverse("exchanges:detail", args=[world.exchange.pk]))
    page.get_by_role("link", name="Copy as a new exchange").click()
    page.fill("#copy_start_date", "2017-04-21")
    page.fill("#copy_title", "基层参访团北京再访")
    page.get_by_role("button", name="Preview the dates").click()
    expect(page.locator("main")).to_contain_text("Every date moves by 364 days.")
    expect(page.locator("main")).to_contain_text("2017-04-21 09:00–10:00")
    page.screenshot(path=str(SHOTS / "copy-exchange.png"), full_page=True)
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("h1")).to_have_text("基层参访团北京再访")
    copy = Exchange.objects.get(title="基层参访团北京再访")
    assert (copy.start_date, copy.status) == (dt.date(2017, 4, 21), ExchangeStatus.PLANNED)
    assert copy.activities.count() == 2
