"""The exchange page stays light: add-forms and edit forms are fetched when asked for (the
page links to them), the rows carry only their "Edit"/"Move" links, and the demo exchange's
page stays within a size budget."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from civicbridge.exchanges import itinerary, services
from civicbridge.exchanges.models import Activity
from tests.factories import at, make_admin

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_in(client):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, *args):
    return reverse(f"exchanges:{name}", args=args)


def body_of(client, exchange) -> str:
    response = client.get(url("detail", exchange.pk))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def planned(world):
    """The exchange with a member and an activity, so no add-form opens by itself."""
    ex = world.exchange
    member = services.add_member(exchange=ex, person=world.people[0])
    activity = services.create_activity(
        exchange=ex, kind="meeting", title="社区座谈", starts_at=at(9), ends_at=at(10)
    )
    return ex, member, activity


def test_add_forms_are_links_fetched_on_demand(client_in, planned):
    ex, _member, _activity = planned
    body = body_of(client_in, ex)
    for name in ("organisation_add", "member_add", "group_add", "activity_add", "gift_add"):
        assert f'href="{url(name, ex.pk)}" data-lazy' in body
        fetched = client_in.get(url(name, ex.pk), **HX).content.decode()
        assert f'hx-post="{url(name, ex.pk)}"' in fetched
        assert "<h1" not in fetched
    assert f'href="{url("photo_add", ex.pk)}" data-lazy' in body
    assert 'id="member_person"' not in body  # the member form is not on the page
    assert 'id="activity_title"' not in body


def test_add_forms_open_on_the_page_while_roster_and_itinerary_are_empty(client_in, world):
    body = body_of(client_in, world.exchange)
    assert 'id="member_person"' in body
    assert 'id="activity_title"' in body
    assert f'hx-post="{url("member_add", world.exchange.pk)}"' in body


def test_add_form_without_javascript_is_a_page_with_the_form(client_in, planned):
    ex, _member, _activity = planned
    response = client_in.get(url("member_add", ex.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert 'id="member_person"' in body


def test_rows_carry_edit_and_move_links_without_their_forms(client_in, planned):
    ex, member, activity = planned
    body = body_of(client_in, ex)
    assert (
        f'href="{url("activity_edit", ex.pk, activity.pk)}" data-into="activity-{activity.pk}-edit"'
        in body
    )
    assert (
        f'href="{url("activity_move", ex.pk, activity.pk)}" data-into="activity-{activity.pk}-edit"'
        in body
    )
    assert f'href="{url("member_edit", ex.pk, member.pk)}" data-into="roster-edit"' in body
    assert 'name="start_time"' not in body
    # Removing is offered inside the edit forms, not on every row.
    assert url("activity_delete", ex.pk, activity.pk) not in body
    assert url("member_remove", ex.pk, member.pk) not in body


def test_activity_edit_form_offers_its_removal(client_in, planned):
    ex, _member, activity = planned
    body = client_in.get(url("activity_edit", ex.pk, activity.pk), **HX).content.decode()
    delete = url("activity_delete", ex.pk, activity.pk)
    assert f'formaction="{delete}"' in body
    assert f'hx-post="{delete}"' in body
    assert "Remove from the itinerary" in body
    moved = client_in.get(url("activity_move", ex.pk, activity.pk), **HX).content.decode()
    assert delete not in moved


def test_member_edit_form_offers_taking_them_off_the_roster(client_in, planned):
    ex, member, _activity = planned
    body = client_in.get(url("member_edit", ex.pk, member.pk), **HX).content.decode()
    assert f'formaction="{url("member_remove", ex.pk, member.pk)}"' in body
    assert "Take off the roster" in body


def test_remove_button_of_the_edit_form_removes_without_javascript(client_in, planned):
    ex, _member, activity = planned
    data = {"version": activity.version, "title": ""}  # the edit form's fields go along
    response = client_in.post(url("activity_delete", ex.pk, activity.pk), data)
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_itinerary_items_carry_kind_label_and_title_in_the_reader_script(world):
    activity = services.create_activity(
        exchange=world.exchange,
        kind="forum",
        title="京台社区大讲堂",
        starts_at=at(9),
        ends_at=at(10),
    )
    with translation.override("zh-hant"):
        days = itinerary.build_days(world.exchange, [activity], [])
        item = days[0]["items"][0]
        assert item["title"] == "京臺社區大講堂"
        assert item["kind_label"] == activity.get_kind_display()


def test_demo_exchange_page_stays_within_its_budget(client, demo):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    body = client.get(url("detail", demo.pk)).content
    # 228 KB before the forms were fetched on demand; about 98 KB after (of which about
    # 30 KB are the layout and the pairings and documents sections); 117 KB with the
    # sections issue 12 added (statements, topics, programmes, sources: 110 KB) and the
    # "Running the visit" summary (6.5 KB: each panel links to its page for the rest).
    assert len(body) < 120_000
    assert body.count(b"<form") < 12
