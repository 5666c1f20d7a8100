"""Issue 15: a member's check-in link scanned on a phone (390 × 844). The organiser at the
door, signed in on their phone, opens the member's link: the page shows the member and the
activity, one tap checks them in and the activity shows one more attendee. The same link
opened again is refused, and so is an expired one; the pages fit the phone's width and
run no inline script (CSP)."""

import time
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse
from playwright.sync_api import expect

from civicbridge.attendance import links
from tests.browser.test_exchange_flow import sign_in
from tests.factories import build_attendance_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


class SignedLongAgo(signing.TimestampSigner):
    """Django's signer at a moment past the links' maximum age."""

    def timestamp(self):
        return signing.b62_encode(int(time.time() - links.MAX_AGE.total_seconds() - 60))


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_phone_opens_a_check_in_link_once(live_server, page):
    world = build_attendance_world()
    member, activity = world.members[2], world.now
    base = live_server.url
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.set_viewport_size(PHONE)
    sign_in(page, base, username="org_haidian", language="zh-hans")

    attendance = base + reverse("attendance:activity", args=[activity.pk])
    page.goto(attendance)
    expect(page.locator("#attendance-count")).to_have_text("0")

    link = base + links.link_path(links.make_token(member, activity))
    page.goto(link)
    expect(page.locator("h1")).to_have_text("陈里长")
    expect(page.locator(".check-in__title")).to_have_text("社区治理座谈")
    assert _fits(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "check-in-phone.png"), full_page=True)

    page.locator("button.check-in__button").click()
    expect(page.locator(".check-in--done h1")).to_be_visible()
    expect(page.locator(".check-in__name")).to_have_text("陈里长")
    assert _fits(page)

    page.goto(attendance)
    expect(page.locator("#attendance-count")).to_have_text("1")
    expect(page.locator("tr.attendance--in")).to_contain_text("陈里长")

    # The same link again: refused, nothing changes.
    response = page.goto(link)
    assert response.status == 409
    expect(page.locator(".check-in--refused")).to_have_attribute("data-reason", "spent")
    assert _fits(page)
    page.screenshot(path=str(SHOTS / "check-in-phone-refused.png"), full_page=True)

    # An expired link (signed too long ago, with signing's own signer): refused.
    old = SignedLongAgo(salt=links.SALT).sign_object(
        {"m": world.members[0].pk, "a": activity.pk, "n": "old"}
    )
    response = page.goto(base + links.link_path(old))
    assert response.status == 410
    expect(page.locator(".check-in--refused")).to_have_attribute("data-reason", "expired")

    page.goto(attendance)
    expect(page.locator("#attendance-count")).to_have_text("1")
    page.screenshot(path=str(SHOTS / "attendance-phone.png"), full_page=True)
    assert _fits(page)

    # On a desk: the activity's attendance, and the exchange page's panel.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(attendance)
    page.screenshot(path=str(SHOTS / "attendance-desktop.png"), full_page=True)
    page.goto(base + world.exchange.get_absolute_url())
    panel = page.locator(f'.attendance-panel__count[data-activity="{activity.pk}"]')
    expect(panel).to_contain_text("1")
    page.locator("#section-visit").screenshot(path=str(SHOTS / "attendance-panel.png"))
    # The member's programme with a QR code per activity (and the badge's).
    page.goto(base + reverse("documents:check_in_codes", args=[member.pk]))
    expect(page.locator("svg.segno")).to_have_count(5)
    page.screenshot(path=str(SHOTS / "check-in-codes.png"), full_page=True)
    assert refused == []
