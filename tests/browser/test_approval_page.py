"""Issue 15: the reception plan's approval page in a real browser. The 北京市 organiser (a
higher office than the 海淀 host) approves the plan the 海淀 organiser submitted; a change
of the itinerary afterwards flags it on the page. At 1280 px and at 390 px (a phone), no
horizontal scrolling; screenshots into docs/screenshots/."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civicbridge.approvals import services
from civicbridge.exchanges import services as exchanges
from tests.browser.test_exchange_flow import sign_in
from tests.factories import at, build_reception_visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_higher_office_approves_and_a_later_change_is_flagged(live_server, page):
    visit = build_reception_visit()
    inside = visit.world.users["organiser_haidian"]
    for category, description, quantity, price in (
        ("accommodation", "友谊宾馆住宿（标准间，2晚）", 20, "380"),
        ("meals", "欢迎晚宴", 2, "1500"),
        ("meals", "工作午餐", 22, "60"),
        ("transport", "大巴（2辆，2天）", 4, "900"),
        ("printing", "日程表、桌签", 1, "300"),
    ):
        services.add_cost_line(
            exchange=visit.exchange,
            category=category,
            description=description,
            quantity=quantity,
            unit_price=price,
            actor=inside,
        )
    services.set_standards(
        exchange=visit.exchange, standards="工作餐四菜一汤；住宿标准间。", actor=inside
    )
    services.submit_plan(exchange=visit.exchange, note="请审批", actor=inside)
    base = live_server.url
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, base, username="org_beijing", language="zh-hans")
    page.set_viewport_size({"width": 1280, "height": 900})
    url = base + reverse("approvals:plan", args=[visit.exchange.pk])
    page.goto(url)
    expect(page.locator("h1")).to_contain_text("接待方案")
    expect(page.locator(".plan-itinerary tbody tr")).to_have_count(6)
    expect(page.locator(".plan-total")).to_have_text("15820.00")
    page.fill("#id_step_note", "同意，按标准执行")
    page.locator("button[formaction$='/approve/']").click()
    expect(page.locator(".plan-history li")).to_have_count(2)
    expect(page.locator(".plan-status").first).to_have_class(
        "badge plan-status plan-status--approved badge--ok"
    )

    forum = visit.activities["forum"]
    exchanges.update_activity(
        activity=forum,
        starts_at=at(15, day=22),
        ends_at=at(17, day=22),
        expected_version=forum.version,
        actor=inside,
    )
    page.goto(url)
    expect(page.locator(".plan-changes--flag")).to_contain_text("4月22日 14:00")
    assert _no_sideways_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "approval.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(page.locator(".plan-changes--flag")).to_be_visible()
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "approval-phone.png"), full_page=True)

    # The exchange page's "Running the visit" section flags it too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + reverse("exchanges:detail", args=[visit.exchange.pk]))
    panel = page.locator(".visit-panel", has=page.locator(".approval-panel-links"))
    expect(panel.locator(".plan-changes--flag")).to_contain_text("4月22日 14:00")
    panel.screenshot(path=str(SHOTS / "approval-panel.png"))
    assert refused == []
