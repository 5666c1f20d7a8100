"""An overlapping activity shows a conflict warning on the itinerary; moving it away (an
inline HTMX edit) clears the warning."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civicbridge.exchanges import services
from tests.browser.test_exchange_flow import open_panel, sign_in, submit
from tests.factories import at, make_admin, make_exchange_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_overlapping_activity_shows_a_conflict_warning(live_server, page):
    world = make_exchange_world()
    exchange = world.exchange
    group = services.create_group(exchange=exchange, name="海淀组", host_place=world.haidian)
    services.add_member(exchange=exchange, person=world.people[0], group=group)
    services.create_activity(
        exchange=exchange,
        kind="site_visit",
        title="参观文化小院",
        starts_at=at(9),
        ends_at=at(10),
        groups=[group],
    )
    make_admin()
    base = live_server.url
    sign_in(page, base)
    page.goto(base + reverse("exchanges:detail", args=[exchange.pk]))
    expect(page.locator("#itinerary-conflicts")).to_have_count(0)

    # Add a discussion for the same group that starts before the visit ends.
    open_panel(page, "itinerary", "Add an activity")
    form = page.locator("#section-itinerary form.xform", has=page.locator("#activity_title"))
    page.select_option("#activity_kind", "meeting")
    page.fill("#activity_title", "社区座谈")
    page.fill("#activity_start_time", "09:30")
    page.fill("#activity_end_time", "11:00")
    form.locator("label", has_text="海淀组").locator("input").check()
    submit(page, form)

    warning = page.locator("#itinerary-conflicts")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("海淀组 has two activities at once")
    expect(warning).not_to_contain_text("黄国辉")  # one conflict, not one per member
    meeting = page.locator("#section-itinerary li.activity").filter(
        has=page.locator(".activity__title", has_text="社区座谈")
    )
    expect(meeting.locator(".activity__conflicts")).to_contain_text("海淀组")
    expect(page.locator(".timetable__block.has-conflict")).to_have_count(2)

    # Move the discussion to the afternoon in place: the warning goes.
    meeting.get_by_role("link", name="Move").click()
    move_form = meeting.locator("form.xform")
    expect(move_form).to_be_visible()
    move_form.locator("input[name=start_time]").fill("14:00")
    submit(page, move_form)
    expect(page.locator("#itinerary-conflicts")).to_have_count(0)
    expect(meeting.locator(".activity__time")).to_have_text("14:00–15:30")


def test_a_stale_inline_edit_is_refused_in_place(live_server, page):
    """Someone else moves the activity while the inline form is open: saving shows the
    stale-version message above the form, keeps what was typed, and changes nothing."""
    world = make_exchange_world()
    activity = services.create_activity(
        exchange=world.exchange,
        kind="meeting",
        title="社区座谈",
        starts_at=at(9),
        ends_at=at(10),
    )
    make_admin()
    base = live_server.url
    sign_in(page, base)
    page.goto(base + reverse("exchanges:detail", args=[world.exchange.pk]))
    item = page.locator(f"#activity-{activity.pk}")
    item.get_by_role("link", name="Move").click()
    move_form = item.locator("form.xform")
    expect(move_form).to_be_visible()

    services.move_activity(activity=activity, starts_at=at(11))  # the other organiser

    move_form.locator("input[name=start_time]").fill("15:00")
    submit(page, move_form)
    error = item.locator("form.xform .errorlist.nonfield")
    expect(error).to_contain_text("Someone else changed this record")
    expect(item.locator("form.xform input[name=start_time]")).to_have_value("15:00")
    activity.refresh_from_db()
    assert activity.starts_at == at(11)
