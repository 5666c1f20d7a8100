"""The published programme page in a real browser: publish, move an activity, publish
again through the page's form; the changelog shows from → to; no CSP refusals; the page
fits a phone. Screenshots kept (docs/screenshots/releases*.png)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from civicbridge.exchanges import services as exchanges
from civicbridge.releases import services
from tests.browser.test_exchange_flow import sign_in
from tests.factories import at, build_release_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_publish_move_publish_shows_the_changelog(live_server, page):
    w = build_release_world()
    services.subscribe_member(member=w["hant"], language="zh-hant", actor=w["admin"])
    services.subscribe_member(member=w["en"], language="en", actor=w["admin"])
    base = live_server.url
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, base, username="release_admin", language="zh-hans")
    page.set_viewport_size({"width": 1280, "height": 900})
    url = base + reverse("releases:exchange", args=[w["exchange"].pk])
    page.goto(url)
    page.locator("#publish button[type=submit]").click()
    page.wait_for_url(lambda u: "#release-1" in u)
    expect(page.locator("#release-1")).to_be_visible()
    a = type(w["activity"]).objects.get(pk=w["activity"].pk)
    exchanges.move_activity(activity=a, starts_at=at(14), expected_version=a.version)
    b = type(w["activity2"]).objects.get(pk=w["activity2"].pk)
    exchanges.update_activity(activity=b, expected_version=b.version, title="第二组座谈会")
    page.goto(url)
    expect(page.locator("#publish .release-change")).to_have_count(2)
    page.fill("#id_note", "参观康安社区改到下午")
    page.locator("#publish button[type=submit]").click()
    page.wait_for_url(lambda u: "#release-2" in u)
    moved = page.locator("#release-2 .release-change--moved")
    expect(moved.locator("del")).to_have_text("04-22 09:00–10:30")
    expect(moved.locator("ins")).to_have_text("04-22 14:00–15:30")
    expect(page.locator("#release-2 .release-change--renamed ins")).to_have_text("第二组座谈会")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "releases.png"), full_page=True)
    # A phone, in Traditional: nothing wider than the screen.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hant", "url": base}]
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(page.locator("#release-2 .release-change--moved ins")).to_be_visible()
    page.screenshot(path=str(SHOTS / "releases-phone.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('main *'))"
        ".filter(e => e.getBoundingClientRect().right > 391)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert (width, wide) == (390, [])
    assert refused == []
