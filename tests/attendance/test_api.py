"""The attendance API: the list per activity (in the order of precedence), checking in by
hand, taking it back; refusals as JSON; the list's queries at two sizes."""

import json

import pytest
from django.test import Client

from civicbridge.attendance import services
from civicbridge.attendance.models import Attendance

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def api(world, key="organiser_haidian") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.roles.tokens[key]}")


def url(activity) -> str:
    return f"/api/v1/activities/{activity.pk}/attendance"


def test_the_list_gives_who_checked_in_in_the_order_of_precedence(world):
    services.check_in(activity=world.whole_now, member=world.members[3])
    services.check_in(
        activity=world.whole_now, member=world.members[0], actor=world.roles.users["coordinator"]
    )
    body = api(world, "viewer").get(url(world.whole_now)).json()
    assert body["count"] == 2
    assert [(i["name"], i["method"], i["checked_in_by"]) for i in body["items"]] == [
        ("黃團長", "hand", "coordinator"),
        ("吳里長", "hand", ""),
    ]


def test_check_in_by_hand_and_take_it_back(world):
    client = api(world)
    created = client.post(
        url(world.now),
        data=json.dumps({"member_id": world.members[0].pk, "note": "迟到"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    item = created.json()
    assert (item["member_id"], item["method"], item["note"]) == (
        world.members[0].pk,
        "hand",
        "迟到",
    )
    twice = client.post(
        url(world.now),
        data=json.dumps({"member_id": world.members[0].pk}),
        content_type="application/json",
    )
    assert twice.status_code == 422
    assert list(twice.json()["errors"]) == ["member"]
    assert client.delete(f"/api/v1/attendance/{item['id']}?version=9").status_code == 409
    assert client.delete(f"/api/v1/attendance/{item['id']}?version=1").status_code == 204
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"member_id": 0}, 422),
        ({"member_id": "x"}, 422),
        ({"member_id": 2**60}, 422),
        ({"member_id": 999999}, 422),
        ({"member_id": 1, "note": "x" * 301}, 422),
        ({}, 422),
    ],
)
def test_hostile_bodies_are_refused(world, body, status):
    response = api(world).post(
        url(world.now), data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == status
    assert Attendance.objects.count() == 0


def test_a_member_of_another_exchange_is_a_field_error(world):
    response = api(world).post(
        url(world.now),
        data=json.dumps({"member_id": world.roles.member.pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["member_id"]


def test_refusals(world):
    assert (
        api(world, "organiser_yanqing")
        .post(
            url(world.now),
            data=json.dumps({"member_id": world.members[0].pk}),
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert api(world, "nobody").get(url(world.now)).status_code == 403
    assert Client().get(url(world.now)).status_code == 401
    assert api(world).get("/api/v1/activities/999999/attendance").status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_queries_of_the_list(world, django_assert_num_queries, n):
    for member in world.members[:n]:
        services.check_in(activity=world.whole_now, member=member)
    client = api(world, "viewer")
    client.get(url(world.whole_now))
    # The token with its user, the roles, the activity, the check-ins.
    with django_assert_num_queries(4):
        assert client.get(url(world.whole_now)).json()["count"] == n
