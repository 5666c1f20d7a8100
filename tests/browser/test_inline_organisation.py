"""An organiser (not an administrator) records a visit by a delegation the directory does not
know yet: "New organisation…" in the exchange form opens a small form in place, creates the
association and chooses it, and the exchange is created with it."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civicbridge.directory.models import Organisation
from civicbridge.exchanges.models import Exchange
from tests.browser.test_exchange_flow import pick, sign_in
from tests.factories import make_exchange_world, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_organiser_creates_the_visiting_organisation_inline(live_server, page):
    world = make_exchange_world(with_exchange=False)
    make_user("organiser_haidian", role="organiser", place=world.haidian)
    base = live_server.url
    sign_in(page, base, "organiser_haidian")

    page.goto(base + reverse("exchanges:create"))
    page.fill("#id_title", "高雄市三民区里长参访团")
    page.fill("#id_start_date", "2016-07-05")
    page.fill("#id_end_date", "2016-07-06")
    page.click("text=New organisation…")
    inline = page.locator(".lookup-add__form")
    expect(inline).to_be_visible()
    inline.locator("input[name='new_org-name']").fill("三民区里长联谊会")
    inline.locator("select[name='new_org-kind']").select_option("association")
    pick(page, ".lookup-add__form input[name='new_org-place_q']", "台北市")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "inline-organisation-desktop.png"), full_page=True)
    with page.expect_response(lambda r: r.request.method == "POST"):
        inline.locator("button", has_text="Create and choose it").click()
    expect(page.locator(".lookup-add__done")).to_contain_text("三民区里长联谊会")
    expect(page.locator("#id_visiting_organisation")).to_have_value("三民区里长联谊会")

    pick(page, "#id_visiting_place", "台北市")
    pick(page, "#id_host_place", "海淀区")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("高雄市三民区里长参访团")

    created = Organisation.objects.get(name="三民区里长联谊会")
    assert created.place == world.taipei
    assert Exchange.objects.get(title="高雄市三民区里长参访团").visiting_organisation == created
