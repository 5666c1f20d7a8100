"""Issue 9, holes 9 and 10, on the exchange pages and the API: ids beyond 64 bits, dates
out of range, a missing version, and text SQLite takes but PostgreSQL refuses each get a
form error or a clear 4xx, never a 500, and change nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from civicbridge.exchanges.models import Activity, Exchange, Group, Member
from civicbridge.exchanges.services import update_exchange

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

HUGE = [str(2**63), str(2**64), "99999999999999999999999999"]


@pytest.fixture
def world(roles_world):
    return roles_world


@pytest.fixture
def admin(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["administrator"])
    return client


@pytest.fixture
def api(world):
    return Client(
        raise_request_exception=False,
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['administrator']}",
    )


def _form_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return dict(response.context["form"].errors)


def _activity_form(world, **changes) -> dict:
    data = {
        "version": world.activity_haidian.version,
        "kind": world.activity_haidian.kind,
        "title": "参观",
        "day": "2016-04-22",
        "time_precision": "exact",
        "start_time": "09:00",
        "end_time": "10:00",
        "place": str(world.community.pk),
        "groups": [str(world.group_haidian.pk)],
    }
    data.update(changes)
    return data


# --- hole 9: ids above 2^63 -------------------------------------------------------------


@pytest.mark.parametrize("huge", HUGE)
def test_hole9_ids_above_2_63_in_urls_are_404(admin, world, huge):
    pk = world.exchange.pk
    for url in (
        f"/exchanges/{huge}/",
        f"/exchanges/{pk}/members/{huge}/edit/",
        f"/exchanges/{pk}/activities/{huge}/move/",
        f"/pairings/{huge}/",
        f"/directory/people/{huge}/",
        f"/documents/certificates/{huge}.pdf",
    ):
        assert admin.get(url).status_code == 404, url


@pytest.mark.parametrize("huge", HUGE)
def test_hole9_ids_above_2_63_in_page_forms_are_form_errors(admin, world, huge):
    pk = world.exchange.pk
    members = Member.objects.count()
    response = admin.post(
        f"/exchanges/{pk}/members/add/",
        {"person": huge, "role": "member", "side": "visiting", "group": huge},
    )
    assert set(_form_errors(response)) >= {"person", "group"}
    response = admin.post(
        f"/exchanges/{pk}/groups/add/",
        {"name": "第五组", "host_place": huge, "leader": huge, "declared_headcount": huge},
    )
    assert set(_form_errors(response)) >= {"host_place", "leader", "declared_headcount"}
    response = admin.post(
        f"/exchanges/{pk}/activities/add/",
        _activity_form(world, version="", groups=[huge], hosts=[huge], venue=huge),
    )
    assert set(_form_errors(response)) >= {"groups", "hosts", "venue"}
    response = admin.post(
        f"/exchanges/{pk}/edit/",
        {
            "version": huge,
            "title": "x",
            "start_date": "2016-04-22",
            "end_date": "2016-04-23",
            "visiting_organisation": huge,
            "visiting_place": huge,
            "host_place": huge,
            "status": "planned",
            "timezone": "Asia/Shanghai",
        },
    )
    assert set(_form_errors(response)) >= {"visiting_organisation", "host_place"}
    assert Member.objects.count() == members
    assert Group.objects.filter(name="第五组").count() == 0


# --- hole 9: dates out of range ---------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_hole9_moving_an_activity_to_an_impossible_day_is_a_form_error(admin, world, day):
    activity = world.activity_haidian
    before = (activity.starts_at, activity.version)
    response = admin.post(
        f"/exchanges/{world.exchange.pk}/activities/{activity.pk}/move/",
        {"version": activity.version, "day": day, "start_time": "23:30"},
    )
    assert list(_form_errors(response)) == ["day"]
    activity.refresh_from_db()
    assert (activity.starts_at, activity.version) == before


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_hole9_page_forms_take_the_api_date_limit(admin, api, world, day):
    response = admin.post(
        "/exchanges/new/",
        {
            "title": "远期参访",
            "start_date": day,
            "end_date": day,
            "visiting_organisation": str(world.association.pk),
            "visiting_place": str(world.taipei.pk),
            "host_place": str(world.beijing.pk),
            "status": "planned",
            "timezone": "Asia/Shanghai",
        },
    )
    assert set(_form_errors(response)) == {"start_date", "end_date"}
    # the API refuses the same dates
    response = api.post(
        "/api/v1/exchanges",
        data=json.dumps(
            {
                "title": "远期参访",
                "start_date": day,
                "end_date": day,
                "visiting_organisation_id": world.association.pk,
                "visiting_place_id": world.taipei.pk,
                "host_place_id": world.beijing.pk,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Exchange.objects.filter(title="远期参访").count() == 0


def test_hole9_api_refuses_an_activity_moved_to_9999(api, world):
    activity = world.activity_haidian
    response = api.patch(
        f"/api/v1/activities/{activity.pk}",
        data=json.dumps(
            {
                "version": activity.version,
                "starts_at": "9999-12-31T23:30:00+08:00",
                "ends_at": "9999-12-31T23:59:00+08:00",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Activity.objects.get(pk=activity.pk).starts_at == activity.starts_at


# --- hole 10: the version is required ---------------------------------------------------


def test_hole10_page_form_without_its_version_does_not_overwrite(admin, world):
    exchange = world.exchange
    update_exchange(exchange=exchange, expected_version=exchange.version, title="别人改的标题")
    data = {
        "title": "我的标题",
        "start_date": "2016-04-22",
        "end_date": "2016-04-23",
        "visiting_organisation": str(world.association.pk),
        "visiting_place": str(world.taipei.pk),
        "host_place": str(world.beijing.pk),
        "status": "planned",
        "timezone": "Asia/Shanghai",
    }
    response = admin.post(f"/exchanges/{exchange.pk}/edit/", data)
    assert list(_form_errors(response)) == ["version"]
    assert (
        "此表单缺少所编辑记录的版本号，他人在此期间所做的修改可能因此丢失。请重新加载页面后再修改一次。"
        in response.content.decode()
    )
    exchange.refresh_from_db()
    assert exchange.title == "别人改的标题"


def test_hole10_move_and_activity_edit_without_version_are_refused(admin, world):
    activity = world.activity_haidian
    pk = world.exchange.pk
    response = admin.post(
        f"/exchanges/{pk}/activities/{activity.pk}/move/",
        {"day": "2016-04-23", "start_time": "09:00"},
    )
    assert list(_form_errors(response)) == ["version"]
    response = admin.post(
        f"/exchanges/{pk}/activities/{activity.pk}/edit/", _activity_form(world, version="")
    )
    assert "version" in _form_errors(response)
    assert Activity.objects.get(pk=activity.pk).version == activity.version


def test_hole10_create_forms_need_no_version(admin, world):
    response = admin.post(
        f"/exchanges/{world.exchange.pk}/groups/add/",
        {"name": "第五组", "host_place": str(world.haidian.pk)},
    )
    assert response.status_code == 302
    assert Group.objects.filter(name="第五组").count() == 1


# --- hole 10: text every database accepts -----------------------------------------------


@pytest.mark.parametrize("name", ["a\x00b", "\u200b\ufeff", "李\u202e长", "\x1b[31m", "a\ud800"])
def test_hole10_names_refused_alike_by_pages_and_api(admin, api, world, name):
    response = api.post(
        "/api/v1/people", data=json.dumps({"name": name}), content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]
    if "\ud800" in name:
        return  # a browser cannot send a lone surrogate in a form
    response = admin.post(
        f"/exchanges/{world.exchange.pk}/groups/add/",
        {"name": name, "host_place": str(world.haidian.pk)},
    )
    assert "name" in _form_errors(response)
    assert Group.objects.filter(exchange=world.exchange).count() == 2


def test_hole10_free_text_with_controls_refused_newlines_kept(admin, world):
    exchange = world.exchange
    data = {
        "version": exchange.version,
        "title": exchange.title,
        "start_date": "2016-04-22",
        "end_date": "2016-04-23",
        "visiting_organisation": str(world.association.pk),
        "visiting_place": str(world.taipei.pk),
        "host_place": str(world.beijing.pk),
        "status": "planned",
        "timezone": "Asia/Shanghai",
        "summary": "第一段\x07",
    }
    response = admin.post(f"/exchanges/{exchange.pk}/edit/", data)
    assert list(_form_errors(response)) == ["summary"]
    response = admin.post(
        f"/exchanges/{exchange.pk}/edit/", {**data, "summary": "第一段\r\n\t第二段 𠀋\ue008"}
    )
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.summary == "第一段\n\t第二段 𠀋\ue008"


def test_hole10_private_use_and_rare_cjk_names_stay_allowed(api):
    response = api.post(
        "/api/v1/people", data=json.dumps({"name": "𠀋\ue008"}), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["name"] == "𠀋\ue008"
