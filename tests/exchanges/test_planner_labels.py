"""The exchange, group, member and activity forms speak to planners: plain 时间 with the
part-of-day choice, headcount rather than "declared headcount"; a source's own wording is
kept, labelled for what it is and grouped under "As the source writes it" (a <details>)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from civicbridge.exchanges import forms
from civicbridge.exchanges import services as exchanges
from tests.factories import MODEL_BACKEND

pytestmark = pytest.mark.django_db

TRANSCRIBER_WORDING = (
    "资料中记载的时间",
    "资料来源对日期的说法",
    "资料中给出的人数",
    "What the source says",
)


def _page(client, w, url, language="zh-hans"):
    client.force_login(w.users["administrator"], backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _details(html: str) -> str:
    match = re.search(r'<details class="xform__source"[^>]*>.*?</details>', html, flags=re.S)
    assert match, "no source-wording group"
    return match[0]


def test_activity_form_asks_plain_time_with_the_part_of_day(client, roles_world):
    html = _page(
        client, roles_world, reverse("exchanges:activity_add", args=[roles_world.exchange.pk])
    )
    assert '<label for="activity_time_precision" class="required">时间</label>' in html
    assert '<label for="activity_part_of_day">时段</label>' in html
    for key in ("morning", "afternoon", "evening"):
        assert f'<option value="{key}">' in html
    for words in TRANSCRIBER_WORDING:
        assert words not in html


def test_new_exchange_groups_the_source_wording_closed(client, roles_world):
    html = _page(client, roles_world, reverse("exchanges:create"))
    group = _details(html)
    assert '<details class="xform__source">' in group  # closed: nothing typed
    for name in ("delegation_name", "date_precision", "date_note"):
        assert f'name="{name}"' in group
        assert html.count(f'name="{name}"') == 1
    # what planners fill in stays outside the group
    for name in ("title", "host_place", "start_date", "end_date", "declared_headcount"):
        assert f'name="{name}"' not in group
    with translation.override("zh-hans"):
        assert translation.gettext("As the source writes it") in group
    for words in TRANSCRIBER_WORDING:
        assert words not in html


def test_the_group_opens_when_it_holds_a_value(client, roles_world):
    w = roles_world
    exchanges.update_exchange(exchange=w.exchange, date_note="年份据电头（2016年4月23日）")
    html = _page(client, w, reverse("exchanges:edit", args=[w.exchange.pk]), language="en")
    group = _details(html)
    assert group.startswith('<details class="xform__source" open>')
    assert "How the source gives the dates (optional)" in group
    assert "年份据电头" in group


def test_errors_in_the_group_open_it_and_keep_what_was_typed(roles_world):
    form = forms.ExchangeForm(
        {
            "title": "x",
            "delegation_name": "y" * 300,
            "start_date": "2017-05-01",
            "status": "planned",
        }
    )
    assert not form.is_valid()
    assert form.wording_open()
    assert [f.name for f in form.wording_fields()] == [
        "delegation_name",
        "date_precision",
        "date_note",
    ]
    assert "delegation_name" not in [f.name for f in form.plain_fields()]


def test_labels_in_english_speak_of_planning():
    with translation.override("en"):
        activity = forms.ActivityForm.base_fields
        assert str(activity["time_precision"].label) == "Time"
        exchange = forms.ExchangeForm.base_fields
        assert str(exchange["declared_headcount"].label) == "Headcount"
        assert str(exchange["delegation_name"].label).endswith("(optional)")
        assert str(forms.GroupForm.base_fields["declared_headcount"].label) == "Headcount"
        assert str(forms.ExchangePlaceForm.base_fields["wording"].label).endswith("(optional)")
        assert forms.ExchangePlaceForm.source_fields == ("wording",)
