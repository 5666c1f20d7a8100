"""Issue 14: the printable programme under our CSP. Its stylesheets and its 打印 button
are static files: on screen the sheet is styled and the button prints; printed, the print
stylesheet applies (the toolbar disappears, the sheet takes the page's width)."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_exchange_flow import sign_in
from tests.factories import build_whole_delegation_exchange, make_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(
        selector, "(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop
    )


def test_programme_page_is_styled_prints_and_applies_the_print_stylesheet(live_server, page):
    world = build_whole_delegation_exchange()
    make_admin()
    base = live_server.url
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    # Record the print instead of opening the dialog.
    page.add_init_script("window.print = () => { window.__printed = true; };")
    sign_in(page, base, language="zh-hans")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + reverse("documents:programme_group", args=[world["group"].pk]))

    # On screen: the sheet's stylesheet applies, the whole delegation's forum is there.
    expect(page.locator("h1")).to_have_text("日程表")
    expect(page.locator("body")).to_contain_text("两岸社区治理论坛")
    assert _style(page, "h2", "color") == "rgb(155, 28, 28)"
    assert _style(page, ".toolbar", "display") == "flex"
    # The 打印 button, shown and bound by programme.js, prints.
    button = page.locator(".toolbar button[data-print]")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.__printed === true")
    expect(page.locator(".toolbar a", has_text="Word")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "programme-desktop.png"), full_page=True)

    # Printed: what only programme-print.css sets.
    page.emulate_media(media="print")
    assert _style(page, ".toolbar", "display") == "none"
    assert _style(page, "body", "max-width") == "none"
    assert _style(page, "h2", "break-after") == "avoid"
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-"
    assert refused == []
