"""The API of a forum's speakers, agenda, topics and outcomes: reads, who may write (an
organiser of the forum's place; not a viewer, not an organiser of another place), the
version on removals, hostile input (a clear 4xx) and the lists' queries at 1 and 3 items.
The page ↔ API parity of each write is in test_write_parity.py."""

from __future__ import annotations

import json

import pytest
from django.test import Client

import civicbridge.api.v1  # noqa: F401 (mounts the routers)
from civicbridge.exchanges import services as exchanges
from civicbridge.forums import services as forums
from civicbridge.forums.models import AgendaItem, Outcome, Speaker, TopicMention

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def api(world, actor="organiser_haidian") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[actor]}")


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_speakers_and_agenda_round_trip(forum_world):
    w = forum_world
    client = api(w)
    speaker = post(
        client,
        "/api/v1/speakers",
        {"forum_id": w.hd_forum.pk, "side": "host", "person_id": w.hd_person.pk,
         "title": "社区书记"},
    )  # fmt: skip
    assert speaker.status_code == 201
    sid = speaker.json()["id"]
    item = post(
        client,
        "/api/v1/agenda-items",
        {"forum_id": w.hd_forum.pk, "kind": "speech", "title": "致辞", "speaker_ids": [sid]},
    )
    assert item.status_code == 201
    assert item.json()["speaker_ids"] == [sid]
    viewer = api(w, "viewer")
    assert viewer.get(f"/api/v1/speakers?forum={w.hd_forum.pk}").json()["count"] == 1
    assert viewer.get(f"/api/v1/speakers/{sid}").json()["title"] == "社区书记"
    assert viewer.get(f"/api/v1/agenda-items/{item.json()['id']}").json()["title"] == "致辞"
    stale = client.delete(f"/api/v1/agenda-items/{item.json()['id']}?version=7")
    assert stale.status_code == 409
    gone = client.delete(f"/api/v1/agenda-items/{item.json()['id']}?version=1")
    assert gone.status_code == 204
    assert client.delete(f"/api/v1/speakers/{sid}?version=1").status_code == 204
    assert Speaker.objects.filter(activity=w.hd_forum_activity).count() == 0


def test_topics_keep_the_sources_wording(forum_world):
    w = forum_world
    response = api(w).put(
        f"/api/v1/forums/{w.hd_forum.pk}/topics",
        json.dumps({"topics": [{"code": "elderly-care", "wording": "为老服务"},
                               {"code": "volunteering"}]}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    out = response.json()
    assert out["topics"] == ["elderly-care", "volunteering"]
    assert [(t["code"], t["name_hans"], t["wording"]) for t in out["topic_entries"]] == [
        ("elderly-care", "社区养老", "为老服务"),
        ("volunteering", "志愿服务", ""),
    ]
    taxonomy = api(w, "viewer").get("/api/v1/topics").json()
    assert "elderly-care" in [t["code"] for t in taxonomy["items"]]
    cleared = api(w).put(
        f"/api/v1/forums/{w.hd_forum.pk}/topics",
        json.dumps({"topics": []}),
        content_type="application/json",
    )
    assert cleared.json()["topics"] == []


def test_an_outcome_is_added_and_read(forum_world):
    w = forum_world
    response = post(
        api(w), "/api/v1/outcomes", {"forum_id": w.hd_forum.pk, "text": "建立常态化的互访机制"}
    )
    assert response.status_code == 201
    listed = api(w, "viewer").get(f"/api/v1/outcomes?exchange={w.hd.pk}").json()
    assert [o["text"] for o in listed["items"]] == ["建立常态化的互访机制"]


@pytest.mark.parametrize("actor", ["viewer", "organiser_yanqing"])
def test_a_viewer_and_an_organiser_elsewhere_are_refused(forum_world, actor):
    w = forum_world
    client = api(w, actor)
    f = w.hd_forum.pk
    assert post(client, "/api/v1/speakers", {"forum_id": f, "side": "host",
                "person_id": w.hd_person.pk}).status_code == 403  # fmt: skip
    assert post(client, "/api/v1/agenda-items",
                {"forum_id": f, "kind": "speech", "title": "致辞"}).status_code == 403  # fmt: skip
    assert post(client, "/api/v1/outcomes", {"forum_id": f, "text": "x"}).status_code == 403
    topics = client.put(
        f"/api/v1/forums/{f}/topics",
        json.dumps({"topics": [{"code": "elderly-care"}]}),
        content_type="application/json",
    )
    assert topics.status_code == 403
    speaker = forums.add_speaker(forum=w.hd_forum, side="host", person=w.hd_person)
    item = forums.add_agenda_item(forum=w.hd_forum, kind="speech", title="致辞")
    assert client.delete(f"/api/v1/speakers/{speaker.pk}?version=1").status_code == 403
    assert client.delete(f"/api/v1/agenda-items/{item.pk}?version=1").status_code == 403
    assert Speaker.objects.filter(activity=w.hd_forum_activity).count() == 1
    assert AgendaItem.objects.filter(forum=w.hd_forum).count() == 1
    assert Outcome.objects.filter(forum=w.hd_forum).count() == 0
    assert TopicMention.objects.filter(forum=w.hd_forum).count() == 0


PERSON, PLACE = "<a person of the world>", "<a place of the world>"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/speakers", {"side": "host"}, "person"),
        ("/api/v1/speakers", {"side": "<i>host</i>", "person_id": PERSON}, "side"),
        ("/api/v1/speakers", {"side": "host", "person_id": 2**60}, "person_id"),
        ("/api/v1/speakers", {"side": "host", "person_id": 99999999}, "person_id"),
        ("/api/v1/speakers", {"side": "host", "place_id": PLACE, "title": "a\x00b"}, "title"),
        ("/api/v1/agenda-items", {"kind": "speech", "title": ""}, "title"),
        ("/api/v1/agenda-items", {"kind": "speech", "title": "x" * 201}, "title"),
        ("/api/v1/agenda-items", {"kind": "speech", "title": "t", "speaker_ids": [99999999]},
         "speaker_ids"),
        ("/api/v1/outcomes", {"text": "a\x00b"}, "text"),
        ("/api/v1/outcomes", {"text": "x" * 5001}, "text"),
    ],
    ids=["nobody", "markup side", "huge id", "no such person", "NUL title", "empty title",
         "long title", "no such speaker", "NUL outcome", "huge outcome"],
)  # fmt: skip
def test_hostile_bodies_are_422(forum_world, path, body, field):
    w = forum_world
    # ids of records that exist in this world (ids are not reset between tests on PostgreSQL)
    real = {PERSON: w.hd_person.pk, PLACE: w.haidian.pk}
    body = {k: real.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = post(api(w), path, {"forum_id": w.hd_forum.pk, **body})
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_a_speaker_of_another_forum_cannot_be_on_the_agenda(forum_world):
    w = forum_world
    lecture = exchanges.create_activity(
        exchange=w.hd,
        kind="forum",
        title="另一讲堂",
        starts_at=w.hd_forum_activity.starts_at,
        ends_at=w.hd_forum_activity.ends_at,
    )
    other = forums.create_forum(activity=lecture)
    speaker = forums.add_speaker(forum=other, side="host", person=w.hd_person)
    response = post(
        api(w),
        "/api/v1/agenda-items",
        {"forum_id": w.hd_forum.pk, "kind": "speech", "title": "t", "speaker_ids": [speaker.pk]},
    )
    assert response.status_code == 422
    assert "speakers" in response.json()["errors"]


def test_unknown_topics_and_forums_are_refused(forum_world):
    w = forum_world
    unknown = api(w).put(
        f"/api/v1/forums/{w.hd_forum.pk}/topics",
        json.dumps({"topics": [{"code": "<script>"}]}),
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert "topics" in unknown.json()["errors"]
    missing = api(w).put(
        "/api/v1/forums/99999999/topics",
        json.dumps({"topics": []}),
        content_type="application/json",
    )
    assert missing.status_code == 404
    no_forum = post(api(w), "/api/v1/outcomes", {"forum_id": 99999999, "text": "x"})
    assert no_forum.status_code == 422
    assert "forum_id" in no_forum.json()["errors"]


def _site(n, w):
    for i in range(n):
        speaker = forums.add_speaker(forum=w.hd_forum, side="host", person=w.hd_person)
        item = forums.add_agenda_item(forum=w.hd_forum, kind="speech", title=f"致辞{i}")
        item.speakers.set([speaker])
        forums.add_outcome(forum=w.hd_forum, text=f"成果{i}")


@pytest.mark.parametrize("path", ["/api/v1/speakers", "/api/v1/agenda-items",
                                  "/api/v1/outcomes"])  # fmt: skip
@pytest.mark.parametrize("n", [1, 3])
def test_lists_run_the_same_queries_at_1_and_3_items(
    forum_world, django_assert_num_queries, path, n
):
    _site(n, forum_world)
    client = api(forum_world, "viewer")
    assert client.get(path).json()["count"] == n
    expected = {"/api/v1/agenda-items": 5}.get(path, 4)  # the agenda: and its speakers
    with django_assert_num_queries(expected):
        client.get(path)


# --- topics discussed anywhere, speakers at any activity, the taxonomy --------------------


def _group(w):
    return exchanges.create_group(exchange=w.hd, name="海淀组", host_place=w.haidian)


def _meeting(w):
    return exchanges.create_activity(
        exchange=w.hd, kind="meeting", title="海淀座谈", starts_at=w.hd_forum_activity.starts_at,
        ends_at=w.hd_forum_activity.ends_at, place=w.community,
    )  # fmt: skip


def test_topic_mentions_at_every_level_through_the_api(forum_world):
    w = forum_world
    client = api(w)
    group, meeting = _group(w), _meeting(w)
    url = f"/api/v1/exchanges/{w.hd.pk}/topic-mentions"
    made = [
        post(client, url, {"wording": "社区治理"}),
        post(client, url, {"wording": "垃圾分類", "group_id": group.pk}),
        post(client, url, {"wording": "長照", "activity_id": meeting.pk}),
        post(client, url, {"topic_code": "elderly-care", "wording": "为老服务",
                           "forum_id": w.hd_forum.pk}),
    ]  # fmt: skip
    assert [r.status_code for r in made] == [201] * 4
    rows = [
        (
            r.json()["topic_code"],
            r.json()["group_id"],
            r.json()["activity_id"],
            r.json()["forum_id"],
        )
        for r in made
    ]
    assert rows == [
        ("community-governance", None, None, None),
        ("waste-sorting", group.pk, None, None),
        ("long-term-care", None, meeting.pk, None),
        ("elderly-care", None, w.hd_forum_activity.pk, w.hd_forum.pk),
    ]
    viewer = api(w, "viewer")
    listed = viewer.get(url).json()
    assert listed["count"] == 4
    assert [m["wording"] for m in listed["items"]] == ["社区治理", "垃圾分類", "長照", "为老服务"]
    forum = viewer.get(f"/api/v1/forums/{w.hd_forum.pk}").json()
    assert forum["topics"] == ["elderly-care"]


def test_an_unresolved_wording_is_kept_then_filed_through_the_api(forum_world):
    w = forum_world
    client = api(w)
    url = f"/api/v1/exchanges/{w.hd.pk}/topic-mentions"
    made = post(client, url, {"wording": "老旧小区改造"})
    assert made.status_code == 201
    body = made.json()
    assert (body["topic_code"], body["filed"], body["wording"]) == (None, False, "老旧小区改造")
    assert api(w, "viewer").get(url + "?filed=false").json()["count"] == 1
    mid = body["id"]
    stale = post(client, f"/api/v1/topic-mentions/{mid}/file",
                 {"version": 9, "topic_code": "community-governance"})  # fmt: skip
    assert stale.status_code == 409
    unknown = post(client, f"/api/v1/topic-mentions/{mid}/file",
                   {"version": 1, "topic_code": "no-such"})  # fmt: skip
    assert unknown.status_code == 422
    filed = post(client, f"/api/v1/topic-mentions/{mid}/file",
                 {"version": 1, "topic_code": "community-governance"})  # fmt: skip
    assert filed.status_code == 200
    assert (filed.json()["topic_code"], filed.json()["wording"], filed.json()["version"]) == (
        "community-governance",
        "老旧小区改造",
        2,
    )
    assert client.delete(f"/api/v1/topic-mentions/{mid}?version=1").status_code == 409
    assert client.delete(f"/api/v1/topic-mentions/{mid}?version=2").status_code == 204
    assert TopicMention.objects.filter(exchange=w.hd).count() == 0


def test_topic_mentions_refused_outside_the_scope_and_for_hostile_input(forum_world):
    w = forum_world
    url = f"/api/v1/exchanges/{w.hd.pk}/topic-mentions"
    assert post(api(w, "organiser_yanqing"), url, {"wording": "治安"}).status_code == 403
    assert post(api(w, "viewer"), url, {"wording": "治安"}).status_code == 403
    client = api(w)
    for body, field in (
        ({}, "wording"),
        ({"wording": "a\x00b"}, "wording"),
        ({"wording": "\u202e治安"}, "wording"),
        ({"wording": "治" * 101}, "wording"),
        ({"wording": "治安", "group_id": 99999999}, "group_id"),
        ({"wording": "治安", "activity_id": w.activity_yanqing.pk}, "activity_id"),
        ({"topic_code": "<b>x</b>"}, "topic_code"),
        ({"wording": "治安", "topic_id": 2**60}, "topic_id"),
    ):
        response = post(client, url, body)
        assert response.status_code in (400, 422), (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    assert client.get("/api/v1/exchanges/99999999/topic-mentions").status_code == 404
    assert TopicMention.objects.count() == 0


def test_speakers_at_any_activity_through_the_api(forum_world):
    w = forum_world
    meeting = _meeting(w)
    client = api(w)
    made = post(client, "/api/v1/speakers", {"activity_id": meeting.pk, "side": "host",
                                             "place_id": w.community.pk, "title": "社区书记"})  # fmt: skip
    assert made.status_code == 201
    assert (made.json()["activity_id"], made.json()["forum_id"]) == (meeting.pk, None)
    at_forum = post(client, "/api/v1/speakers",
                    {"forum_id": w.hd_forum.pk, "side": "host", "person_id": w.hd_person.pk})  # fmt: skip
    assert at_forum.json()["activity_id"] == w.hd_forum_activity.pk
    assert at_forum.json()["forum_id"] == w.hd_forum.pk
    viewer = api(w, "viewer")
    assert viewer.get(f"/api/v1/speakers?activity={meeting.pk}").json()["count"] == 1
    assert viewer.get(f"/api/v1/speakers?exchange={w.hd.pk}").json()["count"] == 2
    assert post(client, "/api/v1/speakers", {"side": "host", "place_id": w.community.pk}
                ).status_code == 422  # fmt: skip
    refused = post(api(w, "organiser_yanqing"), "/api/v1/speakers",
                   {"activity_id": meeting.pk, "side": "host", "place_id": w.community.pk})  # fmt: skip
    assert refused.status_code == 403


def test_the_taxonomy_through_the_api(forum_world):
    w = forum_world
    viewer = api(w, "viewer")
    topics = {t["code"]: t for t in viewer.get("/api/v1/topics").json()["items"]}
    assert topics["waste-sorting"]["parent_code"] == "environmental-protection"
    assert topics["long-term-care"]["name_hant"] == "長期照顧"
    parent = topics["environmental-protection"]["id"]
    made = post(api(w, "organiser_yanqing"), "/api/v1/topics",
                {"name_hans": "厨余回收", "name_en": "Kitchen waste", "parent_id": parent})  # fmt: skip
    assert made.status_code == 201
    assert (made.json()["code"], made.json()["name_hant"], made.json()["parent_code"]) == (
        "kitchen-waste",
        "廚餘回收",
        "environmental-protection",
    )
    assert post(viewer, "/api/v1/topics", {"name_hans": "社区花园"}).status_code == 403
    assert post(api(w), "/api/v1/topics", {"name_hans": "長照"}).status_code == 422
    sports = topics["sports"]["id"]
    patch = {"version": 1, "name_hans": "体育运动"}
    organiser = api(w).patch(f"/api/v1/topics/{sports}", json.dumps(patch),
                             content_type="application/json")  # fmt: skip
    assert organiser.status_code == 403
    admin = api(w, "administrator")
    renamed = admin.patch(f"/api/v1/topics/{sports}", json.dumps(patch),
                          content_type="application/json")  # fmt: skip
    assert (renamed.status_code, renamed.json()["name_hant"]) == (200, "體育運動")
    kitchen = made.json()["id"]
    merged = post(admin, f"/api/v1/topics/{parent}/merge", {"merge_id": kitchen})
    assert merged.status_code == 200
    assert viewer.get(f"/api/v1/topics/{kitchen}").status_code == 404
    assert post(admin, f"/api/v1/topics/{parent}/merge", {"merge_id": parent}).status_code == 422
