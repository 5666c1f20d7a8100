"""Releases, their snapshots and changelogs, and the notice subscriptions in the
whole-database export: round trip identical; the subscribers' e-mail (personal data) out of
the personal-data-free export."""

from __future__ import annotations

import json

import pytest

from civicbridge.api import interchange
from civicbridge.exchanges import services as exchanges
from civicbridge.releases import services
from civicbridge.releases.models import NoticeSubscription, Release, ReleaseChange
from tests.api.test_interchange import empty_domain_tables, export_text
from tests.factories import at, build_release_world

pytestmark = pytest.mark.django_db


def _published_twice():
    w = build_release_world()
    services.subscribe_member(member=w["hant"], language="zh-hant", actor=w["admin"])
    services.publish_release(exchange=w["exchange"], note="初版", actor=w["admin"])
    a = type(w["activity"]).objects.get(pk=w["activity"].pk)
    exchanges.move_activity(activity=a, starts_at=at(14), expected_version=a.version)
    services.publish_release(exchange=w["exchange"], actor=w["admin"])
    return w


def test_releases_round_trip_identical():
    w = _published_twice()
    before = export_text()
    document = json.loads(before)
    exchange = next(e for e in document["exchanges"] if e["id"] == w["exchange"].pk)
    assert [r["number"] for r in exchange["releases"]] == [1, 2]
    assert exchange["releases"][0]["published_by"] == "release_admin"
    assert len(exchange["releases"][0]["activities"]) == 2
    assert [c["what"] for c in exchange["releases"][1]["changes"]] == ["moved"]
    assert [s["email"] for s in exchange["notice_subscriptions"]] == ["lin@example.tw"]
    empty_domain_tables()
    assert Release.objects.count() == 0
    interchange.import_document(json.loads(before))
    assert export_text() == before
    assert ReleaseChange.objects.get().starts_after == at(14)


def test_personal_free_export_leaves_the_subscribers_email_out():
    w = _published_twice()
    document = interchange.export_document(include_personal=False, timestamp=False)
    exchange = next(e for e in document["exchanges"] if e["id"] == w["exchange"].pk)
    rows = exchange["notice_subscriptions"]
    assert [("email" in s, s["language"]) for s in rows] == [(False, "zh-hant")]
    assert "lin@example.tw" not in interchange.dump(document)
    assert NoticeSubscription.objects.get().email == "lin@example.tw"
