"""The logistics API: rows per member with the needs masked for a reader who may not see
them, create-or-change writes with versions, vehicles, permit warnings, and the people API's
permit fields under the personal-data rule."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from civicbridge.logistics.models import Needs, TravelLeg

pytestmark = pytest.mark.django_db


def _api(visit, key) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {visit.world.tokens[key]}")


def _put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def test_rows_mask_needs_for_a_viewer(visit):
    url = f"/api/v1/exchanges/{visit.exchange.pk}/logistics"
    admin = _api(visit, "administrator").get(url).json()
    assert len(admin) == 20
    first = admin[0]
    assert first["arrival"]["number"] == "CI500"
    assert first["arrival"]["at"] == "2016-04-22T01:00:00Z"
    assert first["stay"]["room"] == "801"
    assert first["needs"]["dietary"] == "素食"
    assert first["seats"][0]["seat"] == "1"
    viewer = _api(visit, "viewer").get(url).json()
    assert [(r["needs_visible"], r["needs"]) for r in viewer] == [(False, None)] * 20
    assert viewer[0]["arrival"]["number"] == "CI500"
    assert "素食" not in json.dumps(viewer, ensure_ascii=False)


def test_writes_check_versions_and_permissions(visit):
    member = visit.members[0]
    url = f"/api/v1/members/{member.pk}/travel-legs/arrival"
    body = {"version": 1, "number": "CA185", "at": "2016-04-22T07:45:00+08:00", "pickup": True}
    assert _put(_api(visit, "viewer"), url, body).status_code == 403
    client = _api(visit, "organiser_haidian")
    response = _put(client, url, body)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert _put(client, url, body).status_code == 409  # version 1 is stale now
    assert TravelLeg.objects.get(member=member, direction="arrival").number == "CA185"
    # "0": I saw none — refused when there is one.
    assert _put(client, url, {**body, "version": 0}).status_code == 409
    bad = _put(client, url, {**body, "version": 2, "at": "2016-04-22T07:45:00"})
    assert bad.status_code == 422


def test_needs_are_written_only_by_who_may_see_them(visit):
    # 延庆's organiser edits the roster, but may not see the first group's needs.
    member = visit.members[0]
    url = f"/api/v1/members/{member.pk}/needs"
    response = _put(_api(visit, "organiser_yanqing"), url, {"version": 1, "dietary": "清真"})
    assert response.status_code == 403
    assert Needs.objects.get(member=member).dietary == "素食"
    response = _put(_api(visit, "organiser_haidian"), url, {"version": 1, "dietary": "清真"})
    assert response.status_code == 200
    assert Needs.objects.get(member=member).dietary == "清真"


def test_seats_and_vehicles(visit):
    client = _api(visit, "organiser_haidian")
    bus = client.post(
        f"/api/v1/exchanges/{visit.exchange.pk}/vehicles",
        data=json.dumps({"name": "3号车", "seats": 1}),
        content_type="application/json",
    ).json()
    one, two = visit.members[0], visit.members[1]
    seat = _put(client, f"/api/v1/members/{one.pk}/seat", {"version": 1, "vehicle_id": bus["id"]})
    assert seat.status_code == 200, seat.content
    full = _put(client, f"/api/v1/members/{two.pk}/seat", {"version": 1, "vehicle_id": bus["id"]})
    assert full.status_code == 422
    assert "3号车 已满（1 座）。" in full.content.decode()
    vehicles = client.get(f"/api/v1/exchanges/{visit.exchange.pk}/vehicles").json()
    assert [v["name"] for v in vehicles] == ["1号车", "2号车", "3号车"]


def test_permit_warnings_and_people_permit_fields(visit):
    url = f"/api/v1/exchanges/{visit.exchange.pk}/permit-warnings"
    inside = _api(visit, "organiser_haidian").get(url).json()
    assert [(w["person_name"], w["reasons"], w["permit_expires_on"]) for w in inside] == [
        ("林里长02", ["expires"], "2016-04-24"),
        ("林里长03", ["missing"], None),
    ]
    yanqing = _api(visit, "organiser_yanqing").get(url).json()
    assert [(w["permit_number"], w["permit_expires_on"]) for w in yanqing] == [
        ("•••", None),
        ("", None),
    ]
    assert _api(visit, "viewer").get(url).status_code == 403
    person = visit.expiring.person
    shown = _api(visit, "organiser_haidian").get(f"/api/v1/people/{person.pk}").json()
    assert (shown["permit_expires_on"], shown["permit_kind"], shown["permit_status"]) == (
        "2016-04-24",
        "mainland_travel",
        "issued",
    )
    hidden = _api(visit, "viewer").get(f"/api/v1/people/{person.pk}").json()
    assert (hidden["permit_number"], hidden["permit_expires_on"], hidden["permit_kind"]) == (
        None,
        None,
        None,
    )
    admin = _api(visit, "administrator")
    changed = admin.patch(
        f"/api/v1/people/{person.pk}",
        data=json.dumps(
            {
                "version": person.version,
                "permit_expires_on": "2030-01-01",
                "permit_status": "issued",
            }
        ),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert [w["person_name"] for w in admin.get(url).json()] == ["林里长03"]
