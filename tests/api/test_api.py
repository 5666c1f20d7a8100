"""The REST API at /api/v1/: authentication, errors, pagination, filters, versions."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest
from django.test import Client
from ninja import Schema

import civicbridge.api.endpoints as endpoints
from civicbridge.accounts.models import AuditEntry
from civicbridge.exchanges.models import Activity, Exchange

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def bearer(world, key="administrator"):
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[key]}")


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_api_unauthenticated_is_401_json(world):
    response = Client().get("/api/v1/exchanges")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_api_bad_token_is_401(world):
    response = Client(HTTP_AUTHORIZATION="Bearer cb_nonsense").get("/api/v1/exchanges")
    assert response.status_code == 401


def test_api_read_only_token_refuses_writes(world):
    client = bearer(world, "admin_read_only")
    assert client.get(f"/api/v1/exchanges/{world.exchange.pk}").status_code == 200
    response = patch(
        client,
        f"/api/v1/exchanges/{world.exchange.pk}",
        {"version": world.exchange.version, "note": "x"},
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert Exchange.objects.get(pk=world.exchange.pk).note == ""


def test_api_stale_update_is_409(world):
    client = bearer(world)
    url = f"/api/v1/activities/{world.activity_yanqing.pk}"
    version = world.activity_yanqing.version
    assert patch(client, url, {"version": version, "title": "第一次"}).status_code == 200
    response = patch(client, url, {"version": version, "title": "第二次"})
    assert response.status_code == 409
    assert Activity.objects.get(pk=world.activity_yanqing.pk).title == "第一次"


def test_api_update_needs_version(world):
    response = patch(bearer(world), f"/api/v1/exchanges/{world.exchange.pk}", {"note": "x"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]


def test_api_validation_error_is_422_with_field_errors(world):
    response = patch(
        bearer(world),
        f"/api/v1/activities/{world.activity_yanqing.pk}",
        {
            "version": world.activity_yanqing.version,
            "starts_at": "2016-05-30T09:00:00+08:00",
            "ends_at": "2016-05-30T10:00:00+08:00",
        },
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["starts_at"]


def test_api_unknown_reference_is_422(world):
    body = {
        "exchange_id": world.exchange.pk,
        "kind": "meeting",
        "title": "座谈",
        "starts_at": "2016-04-22T09:00:00+08:00",
        "ends_at": "2016-04-22T10:00:00+08:00",
        "group_ids": [999999],
    }
    response = post(bearer(world), "/api/v1/activities", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["group_ids"]


def test_api_not_found_is_404(world):
    assert bearer(world).get("/api/v1/exchanges/999999").status_code == 404


def test_api_organiser_of_haidian_cannot_edit_yanqing_activity(world):
    client = bearer(world, "organiser_haidian")
    url = f"/api/v1/activities/{world.activity_yanqing.pk}"
    response = patch(client, url, {"version": world.activity_yanqing.version, "title": "改"})
    assert response.status_code == 403
    response = patch(
        client,
        f"/api/v1/activities/{world.activity_haidian.pk}",
        {"version": world.activity_haidian.version, "title": "改"},
    )
    assert response.status_code == 200


def test_api_organiser_cannot_add_activity_for_another_districts_group(world):
    body = {
        "exchange_id": world.exchange.pk,
        "kind": "meeting",
        "title": "座谈",
        "starts_at": "2016-04-22T09:00:00+08:00",
        "ends_at": "2016-04-22T10:00:00+08:00",
        "group_ids": [world.group_yanqing.pk],
    }
    assert post(bearer(world, "organiser_haidian"), "/api/v1/activities", body).status_code == 403
    assert post(bearer(world, "organiser_yanqing"), "/api/v1/activities", body).status_code == 201


def test_api_create_activity_returns_it(world):
    body = {
        "exchange_id": world.exchange.pk,
        "kind": "meeting",
        "title": "座谈",
        "starts_at": "2016-04-22T09:00:00+08:00",
        "ends_at": "2016-04-22T10:00:00+08:00",
        "group_ids": [world.group_haidian.pk],
    }
    response = post(bearer(world), "/api/v1/activities", body)
    assert response.status_code == 201
    data = response.json()
    assert data["group_ids"] == [world.group_haidian.pk]
    assert data["version"] == 1


def test_api_pagination_total_and_stable_order(world):
    client = bearer(world)
    first = client.get("/api/v1/places?limit=3&offset=0").json()
    second = client.get("/api/v1/places?limit=3&offset=3").json()
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert first["count"] == 11
    assert ids == sorted(ids)
    assert len(set(ids)) == 6


def test_api_filter_places_within(world):
    data = bearer(world).get(f"/api/v1/places?within={world.haidian.pk}").json()
    assert {p["name"] for p in data["items"]} == {"海淀区", "学院路街道", "石油大院社区"}


def test_api_filter_exchanges_by_place_date_and_status(world):
    client = bearer(world)
    hosted = client.get(f"/api/v1/exchanges?place={world.yanqing.pk}").json()
    assert [e["id"] for e in hosted["items"]] == [world.exchange.pk]
    dated = client.get("/api/v1/exchanges?date_from=2016-05-01&date_to=2016-05-31").json()
    assert [e["id"] for e in dated["items"]] == [world.other_exchange.pk]
    assert client.get("/api/v1/exchanges?status=held").json()["count"] == 0


def test_api_community_member_lists_own_pairings_only(world):
    data = bearer(world, "community_member").get("/api/v1/pairings").json()
    assert [p["id"] for p in data["items"]] == [world.pairing.pk]


def test_api_renders_chinese_unescaped(world):
    response = bearer(world).get(f"/api/v1/exchanges/{world.exchange.pk}")
    assert "基层参访团北京参访" in response.content.decode("utf-8")
    assert "\\u" not in response.content.decode("utf-8")


def test_api_session_write_needs_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["administrator"])
    url = f"/api/v1/exchanges/{world.exchange.pk}"
    assert client.get(url).status_code == 200
    response = patch(client, url, {"version": world.exchange.version, "note": "x"})
    assert response.status_code == 403
    client.get("/accounts/tokens/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(
        url,
        data=json.dumps({"version": world.exchange.version, "note": "x"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_api_export_leaves_out_personal_data_for_viewer(world):
    # Issue 9 (hole 4): the export of the whole database is an administrator's tool; a
    # viewer is refused (it used to get the document without personal fields).
    refused = bearer(world, "viewer").get("/api/v1/export")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "13912345678" not in text and "T98765432" not in text
    text = bearer(world).get("/api/v1/export").content.decode()
    assert "13912345678" in text
    entries = AuditEntry.objects.filter(action="export").order_by("id")
    assert [(e.username, e.after["includes_personal_data"]) for e in entries] == [
        ("admin", True),
    ]


def test_api_openapi_lists_every_resource(world):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for resource in (
        "exchanges",
        "groups",
        "members",
        "activities",
        "forums",
        "appointments",
        "pairings",
        "commitments",
        "places",
        "people",
    ):
        assert f"/api/v1/{resource}" in paths
        assert (
            f"/api/v1/{resource}/{{{resource[:-1] if resource != 'people' else 'person'}_id}}"
            in paths
            or any(p.startswith(f"/api/v1/{resource}/{{") for p in paths)
        )


def test_api_docs_load_no_external_url(world):
    client = Client()
    client.force_login(world.users["viewer"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
    assert urls
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "cdn" not in html.lower()


def test_no_two_api_schemas_share_a_name():
    """django-ninja files schemas under their class name in the OpenAPI document: two of the
    same name (an alliance's MemberOut and an exchange's) would describe one with the other."""
    names: dict[str, list[str]] = {}
    for module_info in pkgutil.iter_modules(endpoints.__path__):
        module = importlib.import_module(f"{endpoints.__name__}.{module_info.name}")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                names.setdefault(name, []).append(module_info.name)
    assert {name: where for name, where in names.items() if len(where) > 1} == {}
