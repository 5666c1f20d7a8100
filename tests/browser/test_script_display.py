"""With 繁體 chosen, the demo exchange shows its content in Traditional characters: the
visiting association and the community it toured (阜四社區)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_exchange_flow import sign_in
from tests.factories import make_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_traditional_reader_sees_the_demo_exchange_in_traditional(live_server, page, demo):
    make_admin()
    base = live_server.url
    sign_in(page, base, language="zh-hant")
    page.goto(base + reverse("exchanges:detail", args=[demo.pk]))
    main = page.locator("main")
    expect(main).to_contain_text("里長聯誼會總會")
    text = main.inner_text()
    assert "臺北市里長聯誼會總會" in text
    expect(main).to_contain_text("阜四社區")
    assert "阜四社区" not in text
    expect(page.locator("h1")).to_have_count(1)

    # The printable itinerary of a group, too.
    page.locator("#section-groups .group-card h3 a").first.click()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main table.itinerary")).to_be_visible()
    assert "社区" not in page.locator("main").inner_text()
