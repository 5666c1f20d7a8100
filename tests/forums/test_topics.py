"""Topics discussed anywhere (the exchange, a group, an activity, a forum) with the source's
wording, resolved against a taxonomy that grows; speakers at any activity. The services,
then the exchange page's "Topics and speakers" section and the taxonomy's pages."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.exchanges import services as exchange_services
from civicbridge.forums import services
from civicbridge.forums.models import Speaker, Topic, TopicMention
from tests.factories import at, make_admin, make_user

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_in(client):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def visit(world):
    return exchange_services.create_activity(
        exchange=world.exchange,
        kind="site_visit",
        title="参观阜四社区文化小院",
        starts_at=at(9),
        ends_at=at(10),
        place=world.community,
    )


@pytest.fixture
def forum(world):
    activity = exchange_services.create_activity(
        exchange=world.exchange, kind="forum", title="京台社区大讲堂", starts_at=at(14),
        ends_at=at(16),
    )  # fmt: skip
    return services.create_forum(activity=activity, theme="走进海淀")


@pytest.fixture
def group(world):
    return exchange_services.create_group(
        exchange=world.exchange, name="第一组", host_place=world.haidian
    )


def code(topic):
    return topic.code if topic else None


# --- the taxonomy ------------------------------------------------------------------------


def test_the_seeded_taxonomy_grows_with_stable_codes():
    names = dict(Topic.objects.values_list("code", "name_hans"))
    for hans in ("环保", "垃圾分类", "长期照顾", "医养结合", "传统文化", "体育", "历史文化名城保护",
                 "社区治理", "社区营造", "志愿服务", "养老服务", "社工服务", "文化建设", "卫生",
                 "治安", "社会福利", "社区养老"):  # fmt: skip
        assert hans in names.values()
    sorting = Topic.objects.get(code="waste-sorting")
    assert (sorting.name_hant, sorting.name_en, sorting.parent.code) == (
        "垃圾分類",
        "Waste sorting",
        "environmental-protection",
    )
    assert Topic.objects.get(code="long-term-care").name_hant == "長期照顧"


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("長照", "long-term-care"),
        ("长照", "long-term-care"),
        ("長期照顧", "long-term-care"),
        (" 垃圾分類 ", "waste-sorting"),
        ("Waste sorting", "waste-sorting"),
        ("为老服务", "elderly-care"),
        ("志工", "volunteering"),
        ("社區營造", "community-building"),
        ("老旧小区改造", None),
        ("", None),
    ],
)
def test_resolve_topic_in_either_script_by_name_or_synonym(wording, expected):
    assert code(services.resolve_topic(wording)) == expected


def test_create_topic_generates_the_code_and_the_traditional_name():
    parent = Topic.objects.get(code="environmental-protection")
    topic = services.create_topic(name_hans="厨余回收", name_en="Kitchen waste", parent=parent)
    assert (topic.code, topic.name_hant, topic.parent) == ("kitchen-waste", "廚餘回收", parent)
    again = services.create_topic(name_hans="社区花园")
    assert (again.code, again.name_hant, again.name_en) == ("topic", "社區花園", "社区花园")
    assert services.resolve_topic("廚餘回收") == topic


def test_create_topic_refuses_a_topic_the_taxonomy_has_in_either_script():
    with pytest.raises(ValidationError) as exc:
        services.create_topic(name_hans="長照")
    assert "name_hans" in exc.value.error_dict


def test_organisers_add_topics_viewers_do_not(roles_world):
    services.create_topic(name_hans="社区花园", actor=roles_world.users["organiser_yanqing"])
    with pytest.raises(PermissionDenied):
        services.create_topic(name_hans="社区食堂", actor=roles_world.users["viewer"])


def test_administrators_rename_and_merge(world, forum):
    admin = make_admin()
    organiser = make_user("org", role="organiser", place=world.haidian)
    sports = Topic.objects.get(code="sports")
    with pytest.raises(PermissionDenied):
        services.rename_topic(topic=sports, name_hans="全民健身", actor=organiser)
    services.rename_topic(topic=sports, name_hans="体育运动", name_en="Sport", actor=admin)
    sports.refresh_from_db()
    assert (sports.code, sports.name_hans, sports.name_hant, sports.name_en) == (
        "sports",
        "体育运动",
        "體育運動",
        "Sport",
    )
    twin = services.create_topic(name_hans="老年服务")
    services.mention_topic(exchange=world.exchange, topic=twin)
    services.mention_topic(exchange=world.exchange, forum=forum, topic=twin, wording="敬老")
    keep = Topic.objects.get(code="elderly-services")
    with pytest.raises(PermissionDenied):
        services.merge_topics(keep=keep, merge=twin, actor=organiser)
    services.merge_topics(keep=keep, merge=twin, actor=admin)
    assert not Topic.objects.filter(pk=twin.pk).exists()
    assert sorted(TopicMention.objects.filter(topic=keep).values_list("wording", flat=True)) == [
        "敬老",
        "老年服务",
    ]
    with pytest.raises(ValidationError):
        services.merge_topics(keep=Topic.objects.get(code="elderly-care"), merge=keep)


# --- topics discussed --------------------------------------------------------------------


def test_topics_at_every_level(world, group, visit, forum):
    ex = world.exchange
    on_exchange = services.mention_topic(exchange=ex, wording="社区治理")
    at_group = services.mention_topic(exchange=ex, group=group, wording="垃圾分類")
    at_visit = services.mention_topic(exchange=ex, activity=visit, wording="長照")
    at_forum = services.mention_topic(exchange=ex, forum=forum, wording="为老服务")
    rows = {
        m.pk: (m.group_id, m.activity_id, m.forum_id, code(m.topic), m.wording)
        for m in TopicMention.objects.all()
    }
    assert rows == {
        on_exchange.pk: (None, None, None, "community-governance", "社区治理"),
        at_group.pk: (group.pk, None, None, "waste-sorting", "垃圾分類"),
        at_visit.pk: (None, visit.pk, None, "long-term-care", "長照"),
        at_forum.pk: (None, forum.activity_id, forum.pk, "elderly-care", "为老服务"),
    }


def test_traditional_and_simplified_wordings_file_under_one_topic(world, visit):
    a = services.mention_topic(exchange=world.exchange, wording="長照")
    b = services.mention_topic(exchange=world.exchange, activity=visit, wording="长照")
    assert a.topic == b.topic == Topic.objects.get(code="long-term-care")


def test_an_unresolved_wording_is_kept_then_filed(world):
    mention = services.mention_topic(exchange=world.exchange, wording="老旧小区改造")
    assert (mention.topic, mention.wording) == (None, "老旧小区改造")
    governance = Topic.objects.get(code="community-governance")
    services.file_topic_mention(mention=mention, topic=governance, expected_version=1)
    mention.refresh_from_db()
    assert (mention.topic, mention.wording, mention.version) == (governance, "老旧小区改造", 2)


def test_mention_refuses_nothing_duplicates_and_places_of_another_exchange(world, visit):
    with pytest.raises(ValidationError) as exc:
        services.mention_topic(exchange=world.exchange, wording="  ")
    assert "wording" in exc.value.error_dict
    services.mention_topic(exchange=world.exchange, wording="长照")
    with pytest.raises(ValidationError) as exc:
        services.mention_topic(exchange=world.exchange, wording="長期照顧")
    assert "topic" in exc.value.error_dict
    other = exchange_services.create_exchange(
        title="另一次", start_date=world.exchange.start_date, end_date=world.exchange.end_date,
        visiting_place=world.taipei, host_place=world.beijing,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.mention_topic(exchange=other, activity=visit, wording="长照")
    assert "activity" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.mention_topic(exchange=world.exchange, wording="a\x00b")
    assert "wording" in exc.value.error_dict


def test_mentions_follow_the_rights_of_where_they_were_discussed(roles_world):
    w = roles_world
    inside, outside = w.users["organiser_haidian"], w.users["organiser_yanqing"]
    services.mention_topic(exchange=w.exchange, group=w.group_haidian, wording="治安", actor=inside)
    services.mention_topic(
        exchange=w.exchange, activity=w.activity_haidian, wording="卫生", actor=inside
    )
    with pytest.raises(PermissionDenied):
        services.mention_topic(exchange=w.exchange, group=w.group_haidian, wording="体育",
                               actor=outside)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.mention_topic(exchange=w.exchange, wording="体育", actor=w.users["viewer"])
    mention = TopicMention.objects.get(wording="卫生")
    with pytest.raises(PermissionDenied):
        services.remove_topic_mention(mention=mention, actor=outside)
    services.remove_topic_mention(mention=mention, actor=inside)
    assert list(TopicMention.objects.values_list("wording", flat=True)) == ["治安"]


def test_set_forum_topics_keeps_the_forums_unfiled_wordings(world, forum):
    services.mention_topic(exchange=world.exchange, forum=forum, wording="老旧小区改造")
    services.set_forum_topics(forum=forum, topics=[(Topic.objects.get(code="sports"), "健身")])
    services.set_forum_topics(forum=forum, topics=[Topic.objects.get(code="health")])
    assert sorted(TopicMention.objects.values_list("topic__code", "wording"), key=str) == [
        ("health", ""),
        (None, "老旧小区改造"),
    ]


# --- speakers at any activity ------------------------------------------------------------


def test_a_speaker_at_a_site_visit(world, visit):
    speaker = services.add_speaker(
        activity=visit, side="host", place=world.community, title="社区书记", summary="介绍文化小院"
    )
    assert (speaker.activity, speaker.order) == (visit, 0)
    with pytest.raises(ValidationError):
        services.add_speaker(activity=visit, side="host")


def test_forum_speakers_are_the_speakers_of_its_activity(world, forum):
    speaker = services.add_speaker(forum=forum, side="visiting", person=world.people[0])
    assert speaker.activity_id == forum.activity_id
    assert list(forum.speakers.all()) == [speaker]
    item = services.add_agenda_item(forum=forum, kind="speech", title="致辞", speakers=[speaker])
    assert list(item.speakers.all()) == [speaker]


def test_speakers_follow_the_rights_of_the_activity(roles_world):
    w = roles_world
    with pytest.raises(PermissionDenied):
        services.add_speaker(activity=w.activity_haidian, side="host", person=w.person,
                             actor=w.users["organiser_yanqing"])  # fmt: skip
    speaker = services.add_speaker(activity=w.activity_haidian, side="host", person=w.person,
                                   actor=w.users["organiser_haidian"])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.remove_speaker(speaker=speaker, actor=w.users["viewer"])


# --- the exchange page -------------------------------------------------------------------


def furl(name, *args):
    return reverse(f"exchanges:forums:{name}", args=args)


def page(client, world) -> str:
    return client.get(reverse("exchanges:detail", args=[world.exchange.pk])).content.decode()


def test_page_records_topics_at_each_level(client_in, world, group, visit, forum):
    url = furl("mention_add", world.exchange.pk)
    form = client_in.get(url, **HX).content.decode()
    assert f'value="g{group.pk}"' in form and f'value="a{visit.pk}"' in form
    for where, wording in (("x", "社区治理"), (f"g{group.pk}", "垃圾分類"),
                           (f"a{visit.pk}", "長照"), (f"a{forum.activity_id}", "为老服务")):  # fmt: skip
        response = client_in.post(url, {"tm-where": where, "tm-wording": wording, "tm-topic": ""})
        assert response.status_code == 302
    assert sorted(
        TopicMention.objects.values_list("topic__code", "group_id", "activity_id", "forum_id")
    ) == sorted(
        [
            ("community-governance", None, None, None),
            ("waste-sorting", group.pk, None, None),
            ("long-term-care", None, visit.pk, None),
            ("elderly-care", None, forum.activity_id, forum.pk),
        ]
    )
    body = page(client_in, world)
    assert 'id="section-topics"' in body
    assert "On the exchange as a whole" in body
    assert "Long-term care" in body and "“长照”" in body  # free text in the reader's script
    assert "Waste sorting" in body and "(Environmental protection)" in body


def test_page_topic_chosen_from_the_taxonomy(client_in, world, visit):
    response = client_in.post(
        furl("mention_add", world.exchange.pk),
        {"tm-where": f"a{visit.pk}", "tm-wording": "", "tm-topic": "sports"},
    )
    assert response.status_code == 302
    assert TopicMention.objects.get().topic.code == "sports"


def test_page_unfiled_wording_shown_then_filed(client_in, world):
    client_in.post(
        furl("mention_add", world.exchange.pk),
        {"tm-where": "x", "tm-wording": "老旧小区改造", "tm-topic": ""},
    )
    mention = TopicMention.objects.get()
    body = page(client_in, world)
    assert "not yet filed" in body
    assert furl("mention_file", world.exchange.pk, mention.pk) not in body  # fetched on demand
    part = client_in.get(furl("mention_add", world.exchange.pk), **HX).content.decode()
    assert furl("mention_file", world.exchange.pk, mention.pk) in part
    assert furl("mention_remove", world.exchange.pk, mention.pk) in part
    assert '<option value="community-governance">— Community governance</option>' in part
    response = client_in.post(
        furl("mention_file", world.exchange.pk, mention.pk), {"topic": "community-governance"}
    )
    assert response.status_code == 302
    mention.refresh_from_db()
    assert (mention.topic.code, mention.wording) == ("community-governance", "老旧小区改造")
    assert "not yet filed" not in page(client_in, world)


def test_page_mention_errors_are_inline(client_in, world):
    url = furl("mention_add", world.exchange.pk)
    for data, message in (
        ({"tm-where": "x", "tm-wording": "", "tm-topic": ""}, "Give the topic"),
        ({"tm-where": "g999999", "tm-wording": "治安", "tm-topic": ""}, "Select a valid choice"),
        ({"tm-where": "x", "tm-wording": "a\x00b", "tm-topic": ""}, 'class="errorlist'),
        ({"tm-where": "x", "tm-wording": "治安", "tm-topic": "<b>x</b>"}, "Select a valid choice"),
        ({"tm-where": "x", "tm-wording": "治" * 101, "tm-topic": ""}, 'class="errorlist'),
    ):
        response = client_in.post(url, data, **HX)
        assert response.status_code == 200
        assert message in response.content.decode()
    bad_file = client_in.post(furl("mention_file", world.exchange.pk, 999999), {"topic": "sports"})
    assert bad_file.status_code == 404
    assert TopicMention.objects.count() == 0


def test_page_remove_a_topic(client_in, world):
    mention = services.mention_topic(exchange=world.exchange, wording="治安")
    response = client_in.post(furl("mention_remove", world.exchange.pk, mention.pk), **HX)
    assert response.status_code == 200
    assert TopicMention.objects.count() == 0


def test_page_topics_in_traditional(client_in, world, visit):
    services.mention_topic(exchange=world.exchange, activity=visit, wording="垃圾分类")
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    body = page(client_in, world)
    assert "垃圾分類" in body and "環保" in body


def test_page_speaker_at_a_site_visit(client_in, world, visit):
    url = furl("activity_speaker_add", world.exchange.pk)
    assert f'value="{visit.pk}"' in client_in.get(url, **HX).content.decode()
    response = client_in.post(
        url,
        {"as-activity": str(visit.pk), "as-side": "host", "as-place": str(world.community.pk),
         "as-title": "社区书记", "as-summary": "介绍文化小院"},
    )  # fmt: skip
    assert response.status_code == 302
    speaker = Speaker.objects.get()
    assert (speaker.activity, speaker.title) == (visit, "社区书记")
    body = page(client_in, world)
    assert "Speakers at activities" in body and "介绍文化小院" in body
    nobody = client_in.post(url, {"as-activity": str(visit.pk), "as-side": "host"}, **HX)
    assert "Name the speaker" in nobody.content.decode()
    removed = client_in.post(furl("activity_speaker_remove", world.exchange.pk, speaker.pk))
    assert removed.status_code == 302
    assert Speaker.objects.count() == 0


def test_page_viewer_sees_topics_without_forms(client, world):
    services.mention_topic(exchange=world.exchange, wording="老旧小区改造")
    client.force_login(make_user("reader", role="viewer"),
                       backend="django.contrib.auth.backends.ModelBackend")  # fmt: skip
    body = page(client, world)
    assert "老旧小区改造" in body
    assert furl("mention_add", world.exchange.pk) not in body
    assert client.get(furl("mention_add", world.exchange.pk)).status_code == 403


def _queries(client, world) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("exchanges:detail", args=[world.exchange.pk]))
    return len(ctx.captured_queries)


def test_topics_section_queries_do_not_grow(client_in, world, group, visit):
    services.mention_topic(exchange=world.exchange, wording="老旧小区改造")
    services.add_speaker(activity=visit, side="host", place=world.community)
    _queries(client_in, world)
    one = _queries(client_in, world)
    for i in range(3):
        a = exchange_services.create_activity(
            exchange=world.exchange, kind="site_visit", title=f"参观{i}", starts_at=at(11 + i),
            ends_at=at(11 + i, 30),
        )  # fmt: skip
        services.add_speaker(activity=a, side="visiting", person=world.people[i])
        services.mention_topic(exchange=world.exchange, activity=a, wording=f"未归类{i}")
        services.mention_topic(
            exchange=world.exchange, group=group, wording=["治安", "卫生", "体育"][i]
        )
    assert _queries(client_in, world) == one


# --- the taxonomy's pages ----------------------------------------------------------------


def test_taxonomy_page_lists_topics_and_adds_one(client_in, world):
    services.mention_topic(exchange=world.exchange, wording="長照")
    body = client_in.get(reverse("topics:list")).content.decode()
    assert "Waste sorting" in body and "topic-depth-1" in body
    assert 'id="topic-long-term-care"' in body
    response = client_in.post(
        reverse("topics:list"),
        {"name_hans": "厨余回收", "name_hant": "", "name_en": "Kitchen waste",
         "parent": "environmental-protection"},
    )  # fmt: skip
    assert response.status_code == 302
    topic = Topic.objects.get(code="kitchen-waste")
    assert (topic.name_hant, topic.parent.code) == ("廚餘回收", "environmental-protection")
    again = client_in.post(
        reverse("topics:list"), {"name_hans": "长照", "name_hant": "", "name_en": "", "parent": ""}
    )
    assert again.status_code == 200
    assert "The taxonomy already has this topic" in again.content.decode()
    hostile = client_in.post(reverse("topics:list"), {"name_hans": "\u202e社区", "parent": "x"})
    assert hostile.status_code == 200


def test_topic_page_lists_where_it_was_discussed(client_in, world, forum, group):
    services.mention_topic(exchange=world.exchange, forum=forum, wording="长照")
    services.mention_topic(exchange=world.exchange, group=group, topic=Topic.objects.get(
        code="medical-elderly-care"))  # fmt: skip
    body = client_in.get(reverse("topics:detail", args=["elderly-services"])).content.decode()
    assert world.exchange.title in body
    assert "走进海淀" in body and "第一组" in body
    assert client_in.get(reverse("topics:detail", args=["no-such-topic"])).status_code == 404


def test_topic_rename_and_merge_pages_are_for_administrators(client, client_in, world):
    response = client_in.post(
        reverse("topics:rename", args=["sports"]),
        {"version": "1", "name_hans": "体育运动", "name_hant": "", "name_en": "Sport"},
    )
    assert response.status_code == 302
    assert Topic.objects.get(code="sports").name_hant == "體育運動"
    twin = services.create_topic(name_hans="老年服务")
    merged = client_in.post(
        reverse("topics:merge", args=["elderly-services"]), {"merge": twin.code}
    )
    assert merged.status_code == 302
    assert not Topic.objects.filter(pk=twin.pk).exists()
    client.force_login(
        make_user("org", role=None), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert client.post(reverse("topics:rename", args=["sports"]), {}).status_code == 403


def test_activity_rows_show_their_topics_and_speakers(client_in, world, visit):
    services.mention_topic(exchange=world.exchange, activity=visit, wording="长照")
    services.mention_topic(exchange=world.exchange, activity=visit, wording="老旧小区改造")
    services.add_speaker(activity=visit, side="host", place=world.community, title="社区书记")
    body = page(client_in, world)
    row = body[body.index(f'id="activity-{visit.pk}"') :]
    row = row[: row.index("</li>")]
    assert "Topics: Long-term care, “老旧小区改造”" in row
    assert "Speakers: 阜四社区 (社区书记)" in row or "Speakers: 阜石路第四社区 (社区书记)" in row
