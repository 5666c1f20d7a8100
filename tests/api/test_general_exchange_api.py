"""The API of the general exchange (issue 12): the exchange detail with every new field and
row, an exchange without a visiting organisation or end, unscheduled activities (null
times), further places, composition rows, statements and labels; who may write (an
organiser of the host place), hostile input (a clear 4xx). Page ↔ API parity of each write
is in test_write_parity.py; the queries of the lists in tests/pages/test_query_counts.py."""

from __future__ import annotations

import pytest
from django.test import Client

import civicbridge.api.v1  # noqa: F401 (mounts the routers)
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import Exchange, Statement
from tests.factories import at

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

JSON = "application/json"


def api(world, actor="organiser_haidian") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[actor]}")


def post(client, path, body):
    return client.post(path, body, content_type=JSON)


def test_an_exchange_without_visiting_organisation_or_end(forum_world):
    w = forum_world
    body = {
        "title": "三民区里长参访团",
        "start_date": "2018-07-01",
        "date_precision": "month",
        "delegation_name": "高雄市三民区里长",
        "host_place_id": w.haidian.pk,
        "declared_headcount": 130,
        "headcount_qualifier": "about",
    }
    response = post(api(w), "/api/v1/exchanges", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["end_date"], out["visiting_organisation_id"], out["visiting_place_id"]) == (
        None,
        None,
        None,
    )
    assert (out["date_precision"], out["headcount_qualifier"], out["timezone"]) == (
        "month",
        "about",
        "Asia/Shanghai",
    )
    patch = {"version": out["version"], "end_date": "2018-07-03", "date_precision": "day"}
    changed = api(w).patch(f"/api/v1/exchanges/{out['id']}", patch, content_type=JSON).json()
    assert changed["end_date"] == "2018-07-03"
    cleared = api(w).patch(
        f"/api/v1/exchanges/{out['id']}",
        {"version": changed["version"], "end_date": None},
        content_type=JSON,
    )
    assert cleared.json()["end_date"] is None
    refused = api(w).patch(
        f"/api/v1/exchanges/{out['id']}",
        {"version": cleared.json()["version"], "host_place_id": None},
        content_type=JSON,
    )
    assert refused.status_code == 422


def test_the_detail_has_every_row(forum_world):
    w = forum_world
    ex = w.hd
    exchanges.add_exchange_place(exchange=ex, role="visiting", place=w.daan)
    exchanges.add_exchange_place(exchange=ex, role="visiting", wording="中山区")
    exchanges.add_composition_row(exchange=ex, label="里长", count=12)
    exchanges.add_composition_row(exchange=ex, label="邻长")
    exchanges.create_group(exchange=ex, name="海淀组", start_date=ex.start_date)
    later = exchanges.create_activity(exchange=ex, kind="sport", title="友谊赛", status="planned")
    exchanges.add_statement(
        exchange=ex, text="宾至如归", speaker_wording="台湾朋友", activity=w.hd_forum_activity
    )
    exchanges.label_exchange(exchange=ex, name="首个参访团")
    exchanges.record_gift(exchange=ex, giver_wording="台湾朋友", recipient_person=w.hd_person)
    out = api(w, "viewer").get(f"/api/v1/exchanges/{ex.pk}").json()
    assert [(p["place_id"], p["wording"]) for p in out["places"]] == [
        (w.daan.pk, ""),
        (None, "中山区"),
    ]
    assert [(c["label"], c["count"]) for c in out["composition"]] == [("里长", 12), ("邻长", None)]
    assert [g["start_date"] for g in out["groups"]] == [ex.start_date.isoformat()]
    unscheduled = [a for a in out["activities"] if a["id"] == later.pk][0]
    assert (unscheduled["starts_at"], unscheduled["ends_at"], unscheduled["status"]) == (
        None,
        None,
        "planned",
    )
    assert [(s["text"], s["speaker_wording"]) for s in out["statements"]] == [
        ("宾至如归", "台湾朋友")
    ]
    assert [lb["name"] for lb in out["labels"]] == ["首个参访团"]
    assert out["label_names"] == ["首个参访团"]
    assert [(g["giver_wording"], g["recipient_person_id"]) for g in out["gifts"]] == [
        ("台湾朋友", w.hd_person.pk)
    ]


def test_unscheduled_activities_and_their_status(forum_world):
    w = forum_world
    body = {"exchange_id": w.hd.pk, "kind": "sport", "title": "友谊赛"}
    response = post(api(w), "/api/v1/activities", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["starts_at"], out["status"]) == (None, w.hd.status)
    half = post(api(w), "/api/v1/activities", {**body, "starts_at": at(9).isoformat()})
    assert half.status_code == 422
    scheduled = (
        api(w)
        .patch(
            f"/api/v1/activities/{out['id']}",
            {
                "version": out["version"],
                "starts_at": at(15).isoformat(),
                "ends_at": at(16).isoformat(),
                "status": "confirmed",
            },
            content_type=JSON,
        )
        .json()
    )
    assert scheduled["status"] == "confirmed" and scheduled["starts_at"] is not None
    unscheduled = (
        api(w)
        .patch(
            f"/api/v1/activities/{out['id']}",
            {"version": scheduled["version"], "starts_at": None, "ends_at": None},
            content_type=JSON,
        )
        .json()
    )
    assert unscheduled["starts_at"] is None


def test_places_composition_statements_and_labels(forum_world):
    w = forum_world
    client = api(w)
    place = post(
        client,
        "/api/v1/exchange-places",
        {"exchange_id": w.hd.pk, "role": "visiting", "wording": "前镇区"},
    )
    assert place.status_code == 201
    nothing = post(client, "/api/v1/exchange-places", {"exchange_id": w.hd.pk, "role": "host"})
    assert nothing.status_code == 422
    row = post(client, "/api/v1/composition-rows", {"exchange_id": w.hd.pk, "label": "邻长"})
    assert (row.status_code, row.json()["count"]) == (201, None)
    listed = api(w, "viewer").get(f"/api/v1/composition-rows?exchange={w.hd.pk}").json()
    assert [r["label"] for r in listed["items"]] == ["邻长"]
    statement = post(
        client,
        "/api/v1/statements",
        {"exchange_id": w.hd.pk, "text": "我们还会再来", "kind": "intention",
         "person_id": w.hd_person.pk, "activity_id": w.hd_forum_activity.pk},
    )  # fmt: skip
    assert statement.status_code == 201, statement.content
    sid = statement.json()["id"]
    assert api(w, "viewer").get(f"/api/v1/statements/{sid}").json()["kind"] == "intention"
    no_speaker = post(client, "/api/v1/statements", {"exchange_id": w.hd.pk, "text": "说了"})
    assert no_speaker.status_code == 422
    label = post(client, f"/api/v1/exchanges/{w.hd.pk}/labels", {"name": "首个参访团"})
    assert label.status_code == 201 and label.json()["exchange_ids"] == [w.hd.pk]
    place_label = post(client, f"/api/v1/places/{w.community.pk}/labels", {"name": "首个参访团"})
    assert place_label.json()["id"] == label.json()["id"]
    assert place_label.json()["place_ids"] == [w.community.pk]
    labels = api(w, "viewer").get(f"/api/v1/labels?place={w.community.pk}").json()
    assert [lb["name"] for lb in labels["items"]] == ["首个参访团"]
    gone = client.delete(f"/api/v1/exchanges/{w.hd.pk}/labels/{label.json()['id']}")
    assert gone.status_code == 204
    assert list(Exchange.objects.get(pk=w.hd.pk).labels.all()) == []


@pytest.mark.parametrize("actor", ["viewer", "organiser_yanqing"])
def test_others_are_refused(forum_world, actor):
    w = forum_world
    client = api(w, actor)
    body = {"exchange_id": w.hd.pk, "text": "宾至如归", "speaker_wording": "台湾朋友"}
    assert post(client, "/api/v1/statements", body).status_code == 403
    row = {"exchange_id": w.hd.pk, "label": "里长", "count": 12}
    assert post(client, "/api/v1/composition-rows", row).status_code == 403
    label = post(client, f"/api/v1/places/{w.community.pk}/labels", {"name": "x"})
    assert label.status_code == 403
    assert Statement.objects.filter(exchange=w.hd).count() == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/statements", {"text": "a\x00b", "speaker_wording": "某人"}),
        ("/api/v1/statements", {"text": "x" * 5001, "speaker_wording": "某人"}),
        ("/api/v1/composition-rows", {"label": "里长", "count": -1}),
        ("/api/v1/composition-rows", {"label": "\u202e", "count": 1}),
        ("/api/v1/exchange-places", {"role": "visiting", "place_id": 10**12}),
        ("/api/v1/exchange-places", {"role": "nowhere", "wording": "x"}),
    ],
)
def test_hostile_bodies_are_4xx(forum_world, path, body):
    w = forum_world
    response = post(api(w), path, {"exchange_id": w.hd.pk, **body})
    assert 400 <= response.status_code < 500, response.content
