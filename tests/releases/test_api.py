"""The releases API: list, publish, changelog, pending changes, subscribe and unsubscribe;
the e-mail only for those who see it; hostile input refused with a 4xx."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

import civicbridge.api.v1  # noqa: F401 (mounts the routers)
from civicbridge.accounts.services import create_token
from civicbridge.exchanges import services as exchanges
from civicbridge.releases.models import NoticeSubscription, Release
from tests.factories import at, build_release_world, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def _client(user) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {create_token(user=user, label='t', read_only=False)[1]}"
    )


def _post(c, url, body):
    return c.post(url, data=json.dumps(body), content_type="application/json")


def test_publish_list_changelog_and_pending_through_the_api(django_capture_on_commit_callbacks):
    w = build_release_world()
    admin = _client(w["admin"])
    base = f"/api/v1/exchanges/{w['exchange'].pk}"
    sub = _post(admin, "/api/v1/release-subscriptions", {"member_id": w["en"].pk, "language": "en"})
    assert sub.status_code == 201
    assert (sub.json()["email"], sub.json()["email_visible"]) == ("alice@example.org", True)
    first = _post(admin, f"{base}/releases", {"note": "初版", "expected_number": 0})
    assert first.status_code == 201
    assert (first.json()["number"], first.json()["published_by"]) == (1, "release_admin")
    a = type(w["activity"]).objects.get(pk=w["activity"].pk)
    exchanges.move_activity(activity=a, starts_at=at(14), expected_version=a.version)
    pending = admin.get(f"{base}/pending-changes").json()
    assert pending["release"] is None
    assert [(c["activity_id"], c["what"]) for c in pending["changes"]] == [(a.pk, "moved")]
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(admin, f"{base}/releases", {"expected_number": 1})
    assert second.status_code == 201 and second.json()["notices_sent"] == 1
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    listed = admin.get(f"{base}/releases").json()
    assert [(r["number"], r["change_count"]) for r in listed["items"]] == [(1, 0), (2, 1)]
    changes = admin.get(f"/api/v1/releases/{second.json()['id']}/changes").json()
    change = changes["changes"][0]
    assert (changes["release"], change["what"], change["group_ids"]) == (
        2,
        "moved",
        [w["group"].pk],
    )
    assert change["starts_before"] == "2016-04-22T01:00:00Z"
    assert change["starts_after"] == "2016-04-22T06:00:00Z"
    # A second publish of the same itinerary: nothing changed, a field error.
    again = _post(admin, f"{base}/releases", {"expected_number": 2})
    assert again.status_code in (400, 422) and Release.objects.count() == 2


def test_viewer_reads_without_the_email_and_writes_nothing():
    w = build_release_world()
    admin, viewer = _client(w["admin"]), _client(make_user("api_viewer"))
    _post(
        admin, "/api/v1/release-subscriptions", {"member_id": w["hant"].pk, "language": "zh-hant"}
    )
    rows = viewer.get(f"/api/v1/release-subscriptions?exchange={w['exchange'].pk}").json()
    assert [(r["email"], r["email_visible"]) for r in rows["items"]] == [("", False)]
    base = f"/api/v1/exchanges/{w['exchange'].pk}"
    assert _post(viewer, f"{base}/releases", {}).status_code == 403
    denied = _post(viewer, "/api/v1/release-subscriptions", {"member_id": w["en"].pk})
    assert denied.status_code == 403
    sub = NoticeSubscription.objects.get()
    assert viewer.delete(f"/api/v1/release-subscriptions/{sub.pk}").status_code == 403
    assert admin.delete(f"/api/v1/release-subscriptions/{sub.pk}").status_code == 204
    assert NoticeSubscription.objects.count() == 0 and Release.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"member_id": 999999999},
        {"member_id": 0},
        {"member_id": "x"},
        {"member_id": "{m}", "email": "no-at"},
        {"member_id": "{m}", "email": "a\u202e@example.org"},
        {"member_id": "{m}", "language": "fr"},
        {"member_id": "{m}", "email": "a" * 300 + "@example.org"},
    ],
)
def test_hostile_subscriptions_are_refused(body):
    w = build_release_world()
    admin = _client(w["admin"])
    body = {k: (w["hant"].pk if v == "{m}" else v) for k, v in body.items()}
    response = _post(admin, "/api/v1/release-subscriptions", body)
    assert 400 <= response.status_code < 500
    assert NoticeSubscription.objects.count() == 0


def test_unknown_exchange_and_release_are_404():
    w = build_release_world()
    admin = _client(w["admin"])
    assert admin.get("/api/v1/exchanges/999999/releases").status_code == 404
    assert admin.get("/api/v1/releases/999999/changes").status_code == 404
    assert _post(admin, "/api/v1/exchanges/999999/releases", {}).status_code == 404
    bad = _post(admin, f"/api/v1/exchanges/{w['exchange'].pk}/releases", {"note": "a\x00"})
    assert bad.status_code in (400, 422)
