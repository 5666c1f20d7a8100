"""Issue 9, hole 6: the pages make the checks the API makes — one rule in the service for
each write, asked of the acting user (``actor=``).

The world (tests/factories.py ``build_roles_world``): ``exchange`` is hosted by 北京市 with a 海淀 group and
a 延庆 group (so both districts' organisers may change it); ``activity_haidian`` is for
the 海淀 group."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from civicbridge.exchanges import services
from civicbridge.exchanges.models import Activity, Exchange, Group
from civicbridge.pairings.models import Commitment
from tests.factories import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def world(roles_world):
    return roles_world


def _page(world, role="organiser_haidian") -> Client:
    client = Client()
    client.force_login(world.users[role], backend=BACKEND)
    return client


def _exchange_form(world, **changes):
    data = {
        "title": "海淀组织的参访",
        "start_date": "2017-05-01",
        "end_date": "2017-05-02",
        "visiting_organisation": str(world.association.pk),
        "visiting_place": str(world.taipei.pk),
        "host_place": str(world.yanqing.pk),
        "status": "planned",
        "declared_headcount": "",
        "timezone": "Asia/Shanghai",
        "summary": "",
    }
    data.update(changes)
    return data


def test_hole6_page_refuses_an_exchange_hosted_outside_my_place(world):
    response = _page(world).post(reverse("exchanges:create"), _exchange_form(world))
    assert response.status_code == 403
    assert Exchange.objects.filter(title="海淀组织的参访").count() == 0
    allowed = _page(world).post(
        reverse("exchanges:create"), _exchange_form(world, host_place=str(world.haidian.pk))
    )
    assert allowed.status_code == 302
    assert Exchange.objects.filter(title="海淀组织的参访").count() == 1


def test_hole6_page_refuses_moving_an_exchange_outside_my_place(world):
    exchange = world.exchange
    data = _exchange_form(
        world,
        title=exchange.title,
        start_date=str(exchange.start_date),
        end_date=str(exchange.end_date),
        status=exchange.status,
        version=str(exchange.version),
    )
    response = _page(world).post(reverse("exchanges:edit", args=[exchange.pk]), data)
    assert response.status_code == 403
    assert fresh_exchange(exchange).host_place == world.beijing
    # The same form with the host place left as it is saves.
    data["host_place"] = str(world.beijing.pk)
    data["title"] = "改了标题"
    assert _page(world).post(reverse("exchanges:edit", args=[exchange.pk]), data).status_code == 302
    assert fresh_exchange(exchange).title == "改了标题"


def fresh_exchange(exchange):
    return Exchange.objects.get(pk=exchange.pk)


def test_hole6_page_refuses_a_group_hosted_in_another_district(world):
    data = {
        "name": "第五组",
        "host_place": str(world.yanqing.pk),
        "host_organisation": "",
        "leader": "",
        "declared_headcount": "",
        "headline": "",
    }
    response = _page(world).post(reverse("exchanges:group_add", args=[world.exchange.pk]), data)
    assert response.status_code == 403
    assert Group.objects.filter(name="第五组").count() == 0
    # ...which would have handed the exchange to 延庆: the service refuses it too.
    with pytest.raises(PermissionDenied):
        services.create_group(
            exchange=world.exchange,
            name="第五组",
            host_place=world.yanqing,
            actor=fresh(world.users["organiser_haidian"]),
        )


def _activity_form(world, activity=None, groups=()):
    return {
        "kind": "meeting",
        "title": activity.title if activity else "新座谈",
        "day": "2016-04-22",
        "time_precision": "exact",
        "part_of_day": "",
        "start_time": "09:00" if activity else "11:00",
        "end_time": "10:00" if activity else "12:00",
        "place": str(world.community.pk),
        "venue": "",
        "groups": [str(g.pk) for g in groups],
        "description": "",
        **({"version": str(activity.version)} if activity else {}),
    }


def test_hole6_page_refuses_ticking_another_districts_group(world):
    activity = world.activity_haidian
    url = reverse("exchanges:activity_edit", args=[world.exchange.pk, activity.pk])
    data = _activity_form(world, activity, groups=[world.group_haidian, world.group_yanqing])
    assert _page(world).post(url, data).status_code == 403
    assert list(activity.groups.all()) == [world.group_haidian]


def test_hole6_page_refuses_an_activity_for_another_districts_group(world):
    url = reverse("exchanges:activity_add", args=[world.exchange.pk])
    data = _activity_form(world, groups=[world.group_yanqing])
    assert _page(world).post(url, data).status_code == 403
    assert Activity.objects.filter(title="新座谈").count() == 0
    ok = _page(world).post(url, _activity_form(world, groups=[world.group_haidian]))
    assert ok.status_code == 302
    assert list(Activity.objects.get(title="新座谈").groups.all()) == [world.group_haidian]


def test_hole6_api_refuses_a_commitment_without_owner(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['administrator']}")
    response = client.post(
        "/api/v1/commitments",
        data=json.dumps({"title": "无人负责", "pairing_id": world.pairing.pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["owner_organisation"]
    assert Commitment.objects.filter(title="无人负责").count() == 0
