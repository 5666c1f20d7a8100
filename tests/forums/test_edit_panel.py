"""A forum's edit panel is fetched part by part when opened: the page links to each part;
the "Add a speaker" and "Add to the agenda" parts list what is there with "Remove" buttons."""

import pytest
from django.conf import settings
from django.urls import reverse

from civicbridge.exchanges import services as exchange_services
from civicbridge.forums import services
from tests.factories import at, make_admin

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_in(client):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def forum(world):
    activity = exchange_services.create_activity(
        exchange=world.exchange,
        kind="forum",
        title="京台社区大讲堂",
        starts_at=at(10),
        ends_at=at(12),
    )
    return services.create_forum(activity=activity, theme="走进海淀")


def furl(name, *args):
    return reverse(f"exchanges:forums:{name}", args=args)


def test_page_links_to_each_part_of_the_edit_panel(client_in, world, forum):
    speaker = services.add_speaker(forum=forum, side="host", place=world.community)
    item = services.add_agenda_item(
        forum=forum, kind="presentation", title="经验分享", speakers=[speaker]
    )
    body = client_in.get(reverse("exchanges:detail", args=[world.exchange.pk])).content.decode()
    pk = world.exchange.pk
    for name in ("topics", "speaker_add", "agenda_add", "outcome_add", "edit"):
        assert f'href="{furl(name, pk, forum.pk)}" data-lazy' in body
    assert 'class="xform topics-form"' not in body
    assert "经验分享" in body  # the agenda itself is shown, with its speaker and kind
    assert "— 阜四社区" in body
    assert "Presentation" in body
    assert furl("speaker_remove", pk, forum.pk, speaker.pk) not in body
    assert furl("agenda_remove", pk, forum.pk, item.pk) not in body


def test_speaker_part_lists_the_speakers_with_remove_buttons(client_in, world, forum):
    speaker = services.add_speaker(forum=forum, side="host", place=world.community)
    pk = world.exchange.pk
    body = client_in.get(furl("speaker_add", pk, forum.pk), **HX).content.decode()
    remove = furl("speaker_remove", pk, forum.pk, speaker.pk)
    assert f'hx-post="{remove}"' in body
    assert f'action="{remove}"' in body
    assert "阜四社区" in body
    assert f'hx-post="{furl("speaker_add", pk, forum.pk)}"' in body


def test_speaker_part_with_errors_comes_back_as_the_form_alone(client_in, world, forum):
    speaker = services.add_speaker(forum=forum, side="host", place=world.community)
    pk = world.exchange.pk
    p = f"s{forum.pk}-"
    body = client_in.post(
        furl("speaker_add", pk, forum.pk), {p + "side": "host", p + "title": "主任"}, **HX
    ).content.decode()
    assert body.lstrip().startswith('<form class="xform')
    assert furl("speaker_remove", pk, forum.pk, speaker.pk) not in body


def test_agenda_part_lists_the_items_with_remove_buttons(client_in, world, forum):
    item = services.add_agenda_item(forum=forum, kind="presentation", title="经验分享")
    pk = world.exchange.pk
    body = client_in.get(furl("agenda_add", pk, forum.pk), **HX).content.decode()
    assert f'hx-post="{furl("agenda_remove", pk, forum.pk, item.pk)}"' in body
    assert "经验分享" in body
