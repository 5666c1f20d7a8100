"""Places in the API carry their side (mainland, Taiwan) and status; clients of before
sides were data may still send a ``region`` (beijing, taipei)."""

from __future__ import annotations

import pytest

from civicbridge.directory.models import TAIWAN, Place
from tests.api.test_api import bearer, post

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def test_api_place_shows_its_side_and_status(world):
    li = Place.objects.get(name="龍安里")
    body = bearer(world).get(f"/api/v1/places/{li.pk}").json()
    assert (body["side"], body["status"], body["path"]) == (TAIWAN, "current", li.path)
    assert "region" not in body


def test_api_lists_places_of_one_side_and_reads_the_old_region(world):
    client = bearer(world)
    taiwan = {p["id"] for p in client.get("/api/v1/places?side=taiwan&limit=200").json()["items"]}
    legacy = {p["id"] for p in client.get("/api/v1/places?region=taipei&limit=200").json()["items"]}
    assert (
        taiwan == legacy == set(Place.objects.filter(side_id=TAIWAN).values_list("pk", flat=True))
    )


def test_api_top_place_needs_a_side_and_takes_the_old_region(world):
    client = bearer(world)
    missing = post(client, "/api/v1/places", {"name": "新竹縣", "kind": "county"})
    assert missing.status_code in (400, 422)
    assert Place.objects.filter(name="新竹縣").count() == 0

    created = post(
        client, "/api/v1/places", {"name": "新竹縣", "kind": "county", "region": "taipei"}
    )
    assert created.status_code == 201
    assert created.json()["side"] == TAIWAN
