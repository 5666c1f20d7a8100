"""The forum section of the exchange page: theme, speakers, agenda, topics and outcomes,
each form's happy path and error path."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.exchanges import services as exchange_services
from civicbridge.forums import services
from civicbridge.forums.models import AgendaItem, Forum, Outcome, Speaker, Topic, TopicMention
from tests.factories import at, make_admin

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_in(client):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def activity(world):
    return exchange_services.create_activity(
        exchange=world.exchange,
        kind="forum",
        title="京台社区大讲堂",
        starts_at=at(10),
        ends_at=at(12),
    )


@pytest.fixture
def forum(activity):
    return services.create_forum(activity=activity, theme="京台社区大讲堂走进海淀谱新章")


def furl(name, *args):
    return reverse(f"exchanges:forums:{name}", args=args)


def page(client, world) -> str:
    return client.get(reverse("exchanges:detail", args=[world.exchange.pk])).content.decode()


def test_forum_activity_without_details_offers_to_record_it(client_in, world, activity):
    body = page(client_in, world)
    assert 'id="section-forums"' in body
    assert furl("create", world.exchange.pk, activity.pk) in body


def test_forum_create_happy_path(client_in, world, activity):
    response = client_in.post(
        furl("create", world.exchange.pk, activity.pk), {f"f{activity.pk}-theme": "走进海淀"}
    )
    assert response.status_code == 302
    assert Forum.objects.get(activity=activity).theme == "走进海淀"
    assert "走进海淀" in page(client_in, world)


def test_forum_create_on_a_site_visit_is_an_inline_error(client_in, world):
    visit = exchange_services.create_activity(
        exchange=world.exchange, kind="site_visit", title="参观", starts_at=at(9), ends_at=at(10)
    )
    body = client_in.post(
        furl("create", world.exchange.pk, visit.pk), {f"f{visit.pk}-theme": "主题"}, **HX
    ).content.decode()
    assert "Only an activity of kind forum can hold a forum." in body
    assert 'value="主题"' in body
    assert Forum.objects.count() == 0


def test_forum_edit_saves_and_refuses_a_stale_version(client_in, world, forum):
    data = {"version": str(forum.version), "theme": "新主题", "summary": "纪要"}
    assert client_in.post(furl("edit", world.exchange.pk, forum.pk), data).status_code == 302
    body = client_in.post(
        furl("edit", world.exchange.pk, forum.pk), {**data, "theme": "又一个"}, **HX
    ).content.decode()
    assert "Someone else changed this record" in body
    forum.refresh_from_db()
    assert forum.theme == "新主题"


def test_speaker_add_person_and_place(client_in, world, forum):
    p = f"s{forum.pk}-"
    r1 = client_in.post(
        furl("speaker_add", world.exchange.pk, forum.pk),
        {p + "side": "visiting", p + "person": str(world.people[0].pk), p + "title": "副会长"},
    )
    r2 = client_in.post(
        furl("speaker_add", world.exchange.pk, forum.pk),
        {p + "side": "host", p + "place_q": "阜四社区", p + "title": "社区主任"},
    )
    assert (r1.status_code, r2.status_code) == (302, 302)
    assert [(s.person, s.place) for s in Speaker.objects.order_by("order")] == [
        (world.people[0], None),
        (None, world.community),
    ]
    body = page(client_in, world)
    assert "社区主任" in body


def test_speaker_add_without_anyone_is_an_inline_error(client_in, world, forum):
    p = f"s{forum.pk}-"
    body = client_in.post(
        furl("speaker_add", world.exchange.pk, forum.pk),
        {p + "side": "host", p + "title": "三位主任"},
        **HX,
    ).content.decode()
    assert "Name the speaker, or the organisation or place they spoke for." in body
    assert 'value="三位主任"' in body
    assert Speaker.objects.count() == 0


def test_speaker_remove(client_in, world, forum):
    speaker = services.add_speaker(forum=forum, side="host", place=world.community)
    client_in.post(furl("speaker_remove", world.exchange.pk, forum.pk, speaker.pk))
    assert Speaker.objects.count() == 0


def test_agenda_add_with_speakers(client_in, world, forum):
    speaker = services.add_speaker(forum=forum, side="visiting", person=world.people[0])
    p = f"a{forum.pk}-"
    response = client_in.post(
        furl("agenda_add", world.exchange.pk, forum.pk),
        {
            p + "kind": "presentation",
            p + "title": "介绍台北社区营造",
            p + "speakers": [str(speaker.pk)],
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert list(item.speakers.all()) == [speaker]
    assert "介绍台北社区营造" in page(client_in, world)


def test_agenda_add_without_title_is_an_inline_error(client_in, world, forum):
    p = f"a{forum.pk}-"
    body = client_in.post(
        furl("agenda_add", world.exchange.pk, forum.pk),
        {p + "kind": "qa", p + "title": "", p + "description": "问答环节"},
        **HX,
    ).content.decode()
    assert "This field is required." in body
    assert "问答环节" in body
    assert AgendaItem.objects.count() == 0


def test_agenda_remove(client_in, world, forum):
    item = services.add_agenda_item(forum=forum, kind="qa", title="问答")
    client_in.post(furl("agenda_remove", world.exchange.pk, forum.pk, item.pk))
    assert AgendaItem.objects.count() == 0


def test_topics_two_with_wording(client_in, world, forum):
    p = f"t{forum.pk}-"
    response = client_in.post(
        furl("topics", world.exchange.pk, forum.pk),
        {
            p + "topic_elderly-care": "on",
            p + "wording_elderly-care": "社区养老模式",
            p + "topic_volunteering": "on",
        },
        **HX,
    )
    assert response.status_code == 200
    assert sorted(TopicMention.objects.values_list("topic__code", "wording")) == [
        ("elderly-care", "社区养老模式"),
        ("volunteering", ""),
    ]
    body = response.content.decode()
    assert "Elderly care" in body
    assert "社区养老模式" in body


def test_topics_wording_without_tick_is_an_inline_error(client_in, world, forum):
    p = f"t{forum.pk}-"
    body = client_in.post(
        furl("topics", world.exchange.pk, forum.pk),
        {p + "wording_funding": "经费", p + "topic_volunteering": "on"},
        **HX,
    ).content.decode()
    assert "Tick the topic too, or leave its wording empty." in body
    assert 'value="经费"' in body
    assert TopicMention.objects.count() == 0


def test_topics_in_traditional_for_a_traditional_reader(client_in, world, forum):
    services.set_forum_topics(forum=forum, topics=[Topic.objects.get(code="elderly-care")])
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    body = page(client_in, world)
    assert "社區養老" in body
    assert "走進海淀" in body


def test_outcome_add_and_error(client_in, world, forum):
    p = f"o{forum.pk}-"
    ok = client_in.post(
        furl("outcome_add", world.exchange.pk, forum.pk),
        {p + "text": "建立常态化的互访机制和沟通渠道"},
    )
    assert ok.status_code == 302
    assert Outcome.objects.get().text == "建立常态化的互访机制和沟通渠道"
    body = client_in.post(
        furl("outcome_add", world.exchange.pk, forum.pk), {p + "text": "  "}, **HX
    ).content.decode()
    assert "This field is required." in body


def _queries(client, world) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("exchanges:detail", args=[world.exchange.pk]))
    return len(ctx.captured_queries)


def test_forum_section_queries_do_not_grow(client_in, world, forum):
    speaker = services.add_speaker(forum=forum, side="host", place=world.community)
    services.add_agenda_item(forum=forum, kind="speech", title="致辞", speakers=[speaker])
    services.add_outcome(forum=forum, text="成果")
    services.set_forum_topics(forum=forum, topics=list(Topic.objects.all()[:1]))
    _queries(client_in, world)
    one = _queries(client_in, world)
    for i in range(4):
        a = exchange_services.create_activity(
            exchange=world.exchange,
            kind="forum",
            title=f"论坛{i}",
            starts_at=at(13 + i),
            ends_at=at(13 + i, 30),
        )
        f = services.create_forum(activity=a, theme=f"主题{i}")
        s = services.add_speaker(forum=f, side="visiting", person=world.people[i])
        services.add_agenda_item(forum=f, kind="speech", title="致辞", speakers=[s])
        services.add_outcome(forum=f, text="成果")
        services.set_forum_topics(forum=f, topics=list(Topic.objects.all()[:2]))
    assert _queries(client_in, world) == one
