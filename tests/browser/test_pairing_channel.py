"""One side of a pairing posts a message; the other side sees it unread, and in
Traditional script when reading in 繁體."""

import pytest
from django.urls import reverse

from civicbridge.accounts.services import assign_role
from tests.factories import PairingWorld

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # pytest-base-url's session fixture (pulled in by pytest-playwright) trips a pytest notice.
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

PASSWORD = "x-y-z-123456"


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_pairing_message_seen_unread_in_traditional(live_server, browser, django_user_model):
    world = PairingWorld()
    pairing = world.pairing
    # Community members of each side: they read and write in their own pairing's channel.
    beijing_user = django_user_model.objects.create_user("beijing", password=PASSWORD)
    assign_role(user=beijing_user, role="community_member", place=world.community)
    taipei_user = django_user_model.objects.create_user("taipei", password=PASSWORD)
    assign_role(user=taipei_user, role="community_member", place=world.li)
    base = live_server.url

    # The Beijing side writes, in Simplified, for 阜四社区.
    beijing = browser.new_context().new_page()
    _sign_in(beijing, base, "beijing")
    beijing.goto(base + reverse("pairings:messages", args=[pairing.pk]))
    beijing.fill("textarea[name=body]", "欢迎你们再来社区养老中心参观")
    beijing.select_option("select[name=author_place]", str(world.community.pk))
    beijing.click("form.message-form button[type=submit]")
    beijing.wait_for_selector(".message-item")
    assert "欢迎你们再来社区养老中心参观" in beijing.inner_text(".message-list")

    # The Taipei side reads in 繁體: the list shows one unread message...
    taipei = browser.new_context().new_page()
    _sign_in(taipei, base, "taipei")
    taipei.click(".language-switcher button[value=zh-hant]")
    taipei.wait_for_selector("html[lang=zh-hant]")
    taipei.goto(base + reverse("pairings:list"))
    row = taipei.locator(f"tr[data-pairing='{pairing.pk}']")
    assert row.locator(".unread-count").get_attribute("data-unread") == "1"
    assert "阜四社區" in row.inner_text()

    # ...and the thread shows it marked new, converted to Traditional.
    row.locator("a").first.click()
    taipei.click(f"a[href='{reverse('pairings:messages', args=[pairing.pk])}']")
    assert taipei.locator(".thread-unread").get_attribute("data-unread") == "1"
    unread = taipei.locator(".message-item.is-unread")
    assert unread.count() == 1
    assert "歡迎你們再來社區養老中心參觀" in unread.inner_text()

    # Read now: back on the list, no unread badge.
    taipei.goto(base + reverse("pairings:list"))
    assert taipei.locator(f"tr[data-pairing='{pairing.pk}'] .unread-count").count() == 0
