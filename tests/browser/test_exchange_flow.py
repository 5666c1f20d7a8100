"""An organiser plans a visit end to end in the browser: create the exchange, add six
members from the directory with the type-ahead, split them into two groups, add three
activities (one a forum with two topics), record an appointment, and see it all."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from civicbridge.exchanges import services
from civicbridge.exchanges.models import Activity
from civicbridge.forums.services import ensure_topics
from tests.factories import EXCHANGE_PEOPLE as NAMES
from tests.factories import PASSWORD, at, make_admin, make_exchange_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # pytest-base-url's session fixture (pulled in by pytest-playwright) trips a pytest notice.
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def sign_in(page, base: str, username: str = "admin", language: str = "en") -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def pick(page, input_selector: str, text: str, option_text: str | None = None) -> None:
    """Type into a type-ahead and choose the option that shows ``option_text``."""
    field = page.locator(input_selector)
    field.fill(text)
    lookup = field.locator("xpath=ancestor::div[contains(@class, 'lookup')][1]")
    option = lookup.locator('[role="option"]', has_text=option_text or text).first
    try:
        option.wait_for(timeout=10_000)
    except PlaywrightTimeoutError:
        # On a loaded machine the live server may drop the lookup's request (the script
        # aborts a slow one when the text changes): type the name again, as a person would.
        field.fill("")
        field.fill(text)
    option.click()
    expect(lookup.locator('[role="listbox"]')).to_be_hidden()


def open_panel(page, section: str, summary: str) -> None:
    details = page.locator(f"#section-{section} details.add-form", has_text=summary).first
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()


def submit(page, form_locator) -> None:
    with page.expect_response(lambda r: r.request.method == "POST"):
        form_locator.locator("button[type=submit]").first.click()


def test_plan_an_exchange_end_to_end(live_server, page):
    ensure_topics()
    world = make_exchange_world(with_exchange=False)
    make_admin()
    base = live_server.url
    sign_in(page, base)

    # 1. A new exchange, its organisation and places chosen with the type-ahead.
    page.goto(base + reverse("exchanges:list"))
    page.click("text=New exchange")
    page.fill("#id_title", "台北里长参访团")
    page.fill("#id_start_date", "2016-04-22")
    page.fill("#id_end_date", "2016-04-22")
    pick(page, "#id_visiting_organisation", "里長聯誼", "台北市里长联谊会总会")
    pick(page, "#id_visiting_place", "台北市")
    pick(page, "#id_host_place", "北京市")
    page.fill("#id_declared_headcount", "50")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("台北里长参访团")

    # 2. Six members from the directory.
    for name in NAMES:
        open_panel(page, "roster", "Add a member")
        form = page.locator("#section-roster form.xform").last
        pick(page, "#member_person", name)
        submit(page, form)
        expect(page.locator("#section-roster table.roster")).to_contain_text(name)
    expect(page.locator("#section-overview")).to_contain_text("50 declared, 6 named")

    # 3. Two groups, then the split in one form.
    for name, district in (("海淀组", "海淀区"), ("石景山组", "石景山区")):
        open_panel(page, "groups", "Add a group")
        form = page.locator("#section-groups form.xform", has=page.locator("#group_name"))
        page.fill("#group_name", name)
        pick(page, "#group_host_place", district)
        submit(page, form)
        expect(page.locator("#section-groups .group-card", has_text=name)).to_be_visible()
    open_panel(page, "groups", "Split into groups")
    selects = page.locator("#section-groups form.split-form select")
    expect(selects).to_have_count(6)
    for i in range(6):
        selects.nth(i).select_option(label="海淀组" if i < 3 else "石景山组")
    submit(page, page.locator("#section-groups form.split-form"))
    haidian = page.locator("#section-groups .group-card", has_text="海淀组")
    for name in NAMES[:3]:
        expect(haidian).to_contain_text(name)

    # 4. Three activities, one of them a forum.
    activities = [
        ("site_visit", "参观阜四社区文化小院", "09:00", "10:00", "海淀组"),
        ("meeting", "石景山座谈", "09:00", "10:30", "石景山组"),
        ("forum", "京台社区大讲堂", "14:00", "16:00", None),
    ]
    for kind, title, start, end, group in activities:
        open_panel(page, "itinerary", "Add an activity")
        form = page.locator("#section-itinerary form.xform", has=page.locator("#activity_title"))
        page.select_option("#activity_kind", kind)
        page.fill("#activity_title", title)
        page.fill("#activity_start_time", start)
        page.fill("#activity_end_time", end)
        if group:
            form.locator("label", has_text=group).locator("input").check()
        submit(page, form)
        expect(page.locator("#section-itinerary .activity-list")).to_contain_text(title)

    # The forum: its theme, then two topics.
    forum_form = page.locator("#section-forums form.xform").first
    forum_form.locator("input[name$='theme']").fill("京台社区大讲堂走进海淀")
    submit(page, forum_form)
    expect(page.locator("#section-forums h3")).to_have_text("京台社区大讲堂走进海淀")
    page.locator("#section-forums details.forum-edit summary").click()
    topics = page.locator("#section-forums form.topics-form")
    topics.get_by_role("checkbox", name="Elderly care", exact=True).check()
    topics.locator("label", has_text="Volunteering").locator("input").check()
    submit(page, topics)
    topic_list = page.locator("#section-forums .topic-list")
    expect(topic_list).to_contain_text("Elderly care")
    expect(topic_list).to_contain_text("Volunteering")

    # 5. An appointment, through the pairings section's form.
    open_panel(page, "appointments", "Record an appointment")
    form = page.locator("#section-appointments form.xform")
    pick(page, "#section-appointments input[name='person_q']", "黄国辉")
    pick(page, "#section-appointments input[name='community_q']", "阜四社区")
    submit(page, form)
    expect(page.locator("#section-appointments table")).to_contain_text("黄国辉")

    # 6. All of it on the exchange page, after a reload.
    page.reload()
    body = page.locator("main")
    for name in NAMES:
        expect(body).to_contain_text(name)
    for _kind, title, *_ in activities:
        expect(page.locator("#section-itinerary")).to_contain_text(title)
    expect(page.locator("#section-groups .group-card")).to_have_count(2)
    expect(page.locator("#section-forums")).to_contain_text("Elderly care")
    expect(page.locator("#section-appointments")).to_contain_text("阜四社区")
    expect(page.locator("h1")).to_have_count(1)
    assert world.exchange is None  # the exchange was made in the browser, not by the test


def test_edit_and_remove_an_activity_in_place(live_server, page):
    """ "Edit" loads the activity's form into its row; the form's "Remove from the itinerary"
    asks first, then removes it and refreshes the page's sections."""
    world = make_exchange_world()
    keep = services.create_activity(
        exchange=world.exchange, kind="meal", title="午餐", starts_at=at(12), ends_at=at(13)
    )
    gone = services.create_activity(
        exchange=world.exchange, kind="meeting", title="社区座谈", starts_at=at(9), ends_at=at(10)
    )
    make_admin()
    base = live_server.url
    sign_in(page, base)
    page.goto(base + reverse("exchanges:detail", args=[world.exchange.pk]))
    item = page.locator(f"#activity-{gone.pk}")
    expect(item.locator("form.xform")).to_have_count(0)
    item.get_by_role("link", name="Edit").click()
    form = item.locator("form.xform")
    expect(form.locator("input[name=title]")).to_have_value("社区座谈")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.get_by_role("button", name="Remove from the itinerary").click()
    expect(page.locator(f"#activity-{gone.pk}")).to_have_count(0)
    expect(page.locator(f"#activity-{keep.pk}")).to_be_visible()
    expect(page.locator("#exchange-sections .message")).to_contain_text("The activity was removed")
    assert list(Activity.objects.values_list("pk", flat=True)) == [keep.pk]
