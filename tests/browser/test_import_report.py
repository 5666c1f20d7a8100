"""An organiser imports a news report: uploads it, sees every fact beside its words, corrects
one, drops one, records the draft exchange and lands on its page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from civicbridge.directory.models import Place
from civicbridge.exchanges.models import Exchange
from tests.browser.test_exchange_flow import sign_in
from tests.factories import make_user
from tests.reports.test_reading import TO_BEIJING

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_organiser_imports_a_report_corrects_a_fact_drops_one_and_records(
    live_server, page, directory, tmp_path
):
    make_user("beijing_organiser", role="organiser", place=Place.objects.get(code="11"))
    report = tmp_path / "report.txt"
    report.write_text(TO_BEIJING, encoding="utf-8")
    base = live_server.url
    sign_in(page, base, "beijing_organiser")

    page.goto(base + "/reports/import/")
    page.set_input_files("input[name=file]", str(report))
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Review the report's facts")

    museum = page.locator(".review__fact", has=page.locator("input[value='故宫博物院']"))
    museum.locator("input[value='故宫博物院']").fill("故宫博物院（午门）")
    governance = page.locator(".review__fact", has=page.locator("input[value='社区治理']"))
    governance.locator("input[type=checkbox]").uncheck()
    # A fact's words are one click away.
    page.locator(".review__fact", has=page.locator("input[value='钟声社区文化中心']")).locator(
        ".review__words-link"
    ).click()
    expect(page.locator(".review__mark:target")).to_have_text("钟声社区文化中心")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "import-report-review-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "import-report-review-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("text=Record the draft exchange")

    exchange = Exchange.objects.get()
    page.wait_for_url(f"**{exchange.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(exchange.title)
    assert "故宫博物院（午门）" in {a.title for a in exchange.activities.all()}
    assert "社区治理" not in {m.wording for m in exchange.topic_mentions.all()}
    expect(page.locator("main")).to_contain_text("故宫博物院（午门）")
