"""The API of an exchange's organisations, gifts and photos: reads, who may write (an
organiser of the host place; not a viewer, not an organiser of another place), photo
uploads through core/uploads.py (the URL of the permission-checked view, never a media
path), hostile input (a clear 4xx) and the lists' queries at 1 and 3 items. The page ↔ API
parity of each write is in test_write_parity.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import civicbridge.api.v1  # noqa: F401 (mounts the routers)
from civicbridge.core import uploads
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import Gift, Photo
from tests.factories import MODEL_BACKEND, png

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def api(world, actor="organiser_haidian") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[actor]}")


def _image(content=None, name="合影.png"):
    return SimpleUploadedFile(name, content or png(), content_type="image/png")


def test_an_organiser_adds_an_escort_and_reads_it_back(forum_world):
    w = forum_world
    body = {"exchange_id": w.hd.pk, "organisation_id": w.other_org.pk, "role": "escort"}
    response = api(w).post("/api/v1/exchange-organisations", body, content_type="application/json")
    assert response.status_code == 201
    row = response.json()
    assert (row["organisation_id"], row["role"]) == (w.other_org.pk, "escort")
    listed = api(w, "viewer").get(f"/api/v1/exchange-organisations?exchange={w.hd.pk}").json()
    assert [r["id"] for r in listed["items"]] == [row["id"]]
    one = api(w, "viewer").get(f"/api/v1/exchange-organisations/{row['id']}")
    assert one.json() == row
    again = api(w).post("/api/v1/exchange-organisations", body, content_type="application/json")
    assert again.status_code == 422
    assert "organisation" in again.json()["errors"]


@pytest.mark.parametrize("actor", ["viewer", "organiser_yanqing"])
def test_a_viewer_and_an_organiser_elsewhere_are_refused(forum_world, actor):
    w = forum_world
    client = api(w, actor)
    gift = {"exchange_id": w.hd.pk, "giver_organisation_id": w.association.pk,
            "recipient_person_id": w.hd_person.pk}  # fmt: skip
    assert client.post("/api/v1/gifts", gift, content_type="application/json").status_code == 403
    photo = client.post("/api/v1/photos", {"exchange_id": w.hd.pk, "caption": "合影"})
    assert photo.status_code == 403
    org = {"exchange_id": w.hd.pk, "organisation_id": w.other_org.pk, "role": "host"}
    response = client.post("/api/v1/exchange-organisations", org, content_type="application/json")
    assert response.status_code == 403
    assert Gift.objects.filter(exchange=w.hd).count() == 0
    assert Photo.objects.filter(exchange=w.hd).count() == 0


def test_a_gift_needs_a_giver_and_a_recipient(forum_world):
    w = forum_world
    response = api(w).post(
        "/api/v1/gifts", {"exchange_id": w.hd.pk, "description": "锦旗"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"giver_person", "recipient_person"}
    ok = api(w).post(
        "/api/v1/gifts",
        {"exchange_id": w.hd.pk, "giver_organisation_id": w.association.pk,
         "recipient_person_id": w.hd_person.pk, "description": "锦旗"},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 201
    gift = api(w, "viewer").get(f"/api/v1/gifts/{ok.json()['id']}").json()
    assert (gift["giver_organisation_id"], gift["recipient_person_id"], gift["description"]) == (
        w.association.pk,
        w.hd_person.pk,
        "锦旗",
    )


def test_an_uploaded_photo_is_served_only_by_the_photo_view(forum_world):
    w = forum_world
    response = api(w).post(
        "/api/v1/photos", {"exchange_id": w.hd.pk, "caption": "合影", "image": _image()}
    )
    assert response.status_code == 201
    out = response.json()
    assert out["image_url"] == reverse("exchanges:photo_image", args=[out["id"]])
    assert out["thumbnail_url"] == reverse("exchanges:photo_thumbnail", args=[out["id"]])
    assert out["content_type"] == "image/png"
    assert "media" not in response.content.decode()
    photo = Photo.objects.get(pk=out["id"])
    assert uploads.is_generated_name(photo.image.name.rsplit("/", 1)[-1])
    assert "合影" not in photo.image.name
    viewer = Client()
    viewer.force_login(w.users["viewer"], backend=MODEL_BACKEND)
    served = viewer.get(out["image_url"])
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    served.close()
    assert Client().get(out["image_url"]).status_code == 302  # signed out: to the sign-in


def test_a_caption_only_photo_has_no_urls(forum_world):
    w = forum_world
    response = api(w).post("/api/v1/photos", {"exchange_id": w.hd.pk, "caption": "合影"})
    assert response.status_code == 201
    assert (response.json()["image_url"], response.json()["thumbnail_url"]) == (None, None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"caption": "合影", "image": _image(b"<script>alert(1)</script>", "x.png")}, "image"),
        ({"caption": "合影", "image": _image(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)}, "image"),
        ({"caption": "合\x00影"}, "caption"),
        ({"caption": "x" * 501}, "caption"),
        ({"caption": "合影", "taken_on": "2016-02-30"}, "taken_on"),
        ({"caption": "合影", "activity_id": "99999999"}, "activity_id"),
    ],
    ids=["markup as an image", "a broken PNG", "NUL", "too long", "bad date", "no activity"],
)
def test_hostile_photo_uploads_are_refused_clearly(forum_world, fields, field):
    w = forum_world
    data = {"exchange_id": str(w.hd.pk), **fields}
    if "image" in data:
        data["image"].seek(0)
    response = api(w).post("/api/v1/photos", data)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Photo.objects.filter(exchange=w.hd).count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"exchange_id": 2**60, "organisation_id": 1, "role": "host"},
        {"exchange_id": 99999999, "organisation_id": 1, "role": "host"},
        {"exchange_id": 1, "organisation_id": 1, "role": "<b>host</b>"},
    ],
    ids=["huge id", "no such exchange", "markup role"],
)
def test_hostile_organisation_bodies_are_422(forum_world, body):
    response = api(forum_world).post(
        "/api/v1/exchange-organisations", body, content_type="application/json"
    )
    assert response.status_code == 422


def _site(n: int, world):
    for i in range(n):
        exchanges.record_gift(
            exchange=world.hd, giver_organisation=world.association,
            recipient_person=world.hd_person, description=f"礼物{i}",
        )  # fmt: skip
        exchanges.add_photo(exchange=world.hd, caption=f"照片{i}")
        exchanges.add_exchange_organisation(
            exchange=world.hd, organisation=world.other_org if i == 0 else world.association,
            role=["host", "escort", "co_organiser"][i],
        )  # fmt: skip


@pytest.mark.parametrize("path", ["/api/v1/gifts", "/api/v1/photos",
                                  "/api/v1/exchange-organisations"])  # fmt: skip
@pytest.mark.parametrize("n", [1, 3])
def test_lists_run_the_same_queries_at_1_and_3_items(
    forum_world, django_assert_num_queries, path, n
):
    _site(n, forum_world)
    client = api(forum_world, "viewer")
    assert client.get(path).json()["count"] == n
    with django_assert_num_queries(4):  # the token, its user, their roles, count + page
        client.get(path)
