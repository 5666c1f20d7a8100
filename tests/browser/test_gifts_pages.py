"""The gifts register in a real browser: an organiser records a gift's registration in the
exchange page's gifts section (HTMX form), the register page filters overdue gifts, the
dashboard shows the overdue ones; no CSP refusals; the register fits a phone in 繁體.
Screenshots kept (docs/screenshots/gifts-*.png)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_exchange_flow import sign_in
from tests.factories import build_gifts_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _fits(page, width: int) -> tuple:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate(
        f"() => Array.from(document.querySelectorAll('main *'))"
        f".filter(e => e.getBoundingClientRect().right > {width + 1})"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    return scroll, wide


def test_register_a_gift_then_the_register_and_dashboard(live_server, page):
    w = build_gifts_world()
    base = live_server.url
    refused = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and refused.append((page.url, m.text)),
    )
    sign_in(page, base, username="org_haidian", language="en")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The dashboard: the 34- and 36-day-old gifts are overdue, the 20-day-old one is not.
    page.goto(base + "/")
    card = page.locator(".gift-overdue")
    expect(card.locator("li")).to_have_count(2)
    expect(card).to_contain_text("茶叶")
    expect(card).not_to_contain_text("花瓶")
    card.screenshot(path=str(SHOTS / "gifts-dashboard-desktop.png"))

    # The exchange page: record the registration of the overdue gift.
    page.goto(base + reverse("exchanges:detail", args=[w.old.exchange_id]))
    gift = page.locator(f"#gift-{w.old.pk}")
    expect(gift.locator(".badge--danger")).to_have_text("Registration overdue")
    gift.get_by_role("link", name="Edit").click()
    form = page.locator("#gifts-edit form")
    expect(form).to_be_visible()
    form.locator("select[name=registration]").select_option("registered")
    form.locator("input[name=registered_on]").fill(w.today.isoformat())
    form.locator("input[name=register_number]").fill("纪登-2026-15")
    form.locator("input[name=handled_by]").fill("王科长")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#section-gifts").screenshot(path=str(SHOTS / "gifts-edit-desktop.png"))
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#gift-{w.old.pk} .badge--ok")).to_have_text("Registered")
    expect(page.locator(f"#gift-{w.old.pk}")).to_contain_text("纪登-2026-15")
    page.locator("#section-gifts").screenshot(path=str(SHOTS / "gifts-section-desktop.png"))

    # The register: only the 36-day-old gift is still overdue in 海淀.
    page.goto(base + reverse("exchanges:gift_register"))
    expect(page.locator(".gift-register tbody tr")).to_have_count(5)
    page.locator("#register_overdue").check()
    page.locator(".gift-filters button[type=submit]").click()
    expect(page.locator(".gift-register tbody tr")).to_have_count(1)
    expect(page.locator(".gift-register tbody")).to_contain_text("瓷盘")
    page.goto(base + reverse("exchanges:gift_register"))
    page.screenshot(path=str(SHOTS / "gifts-register-desktop.png"), full_page=True)

    # A phone, in Traditional: nothing wider than the screen.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hant", "url": base}]
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + reverse("exchanges:gift_register"))
    expect(page.locator(".gift-register tbody tr").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "gifts-register-phone-hant.png"), full_page=True)
    assert _fits(page, 390) == (390, [])
    page.goto(base + reverse("exchanges:detail", args=[w.old.exchange_id]) + "#section-gifts")
    page.locator("#section-gifts").screenshot(path=str(SHOTS / "gifts-section-phone-hant.png"))
    assert _fits(page, 390) == (390, [])
    assert refused == []
