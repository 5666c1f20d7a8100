"""Issue 14: the news brief page shows the brief as it prints (headline, paragraphs in the
brief's stylesheet, no CSP refusals) with its Word and PDF downloads; screenshot kept."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_exchange_flow import sign_in
from tests.factories import build_brief_two_days_two_groups, make_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_brief_page_shows_the_brief_and_its_downloads(live_server, page):
    world = build_brief_two_days_two_groups()
    make_admin()
    base = live_server.url
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, base, language="zh-hans")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + reverse("documents:brief", args=[world["exchange"].pk]))
    preview = page.locator(".brief-preview")
    expect(preview.locator("h2")).to_have_text(
        "台北市里长联谊会总会参访团赴海淀区、石景山区参访交流"
    )
    expect(preview.locator("p").first).to_contain_text("北京市讯")
    assert preview.locator("p").count() == 7
    text_indent = preview.locator("p").first.evaluate("el => getComputedStyle(el).textIndent")
    assert text_indent != "0px"  # brief.css applies
    expect(page.locator("a", has_text="Word")).to_be_visible()
    expect(page.locator("a", has_text="PDF")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "brief-desktop.png"), full_page=True)
    assert refused == []
