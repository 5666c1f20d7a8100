"""The releases page, the exchange page's panel, publishing and subscribing through the
page: who may, what is shown, errors in place, queries pinned at two sizes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from civicbridge.accounts.models import PersonLink
from civicbridge.directory import services as directory
from civicbridge.exchanges import services as exchanges
from civicbridge.releases import services
from civicbridge.releases.models import NoticeSubscription, Release
from tests.factories import at, build_release_world, h1_count, make_user

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client


def _url(w, name="releases:exchange", *args):
    return reverse(name, args=[w["exchange"].pk, *args])


def _moved(w, hour=14):
    a = type(w["activity"]).objects.get(pk=w["activity"].pk)
    exchanges.move_activity(activity=a, starts_at=at(hour), expected_version=a.version)


def test_page_shows_programme_pending_changes_and_changelog(client):
    w = build_release_world()
    services.publish_release(exchange=w["exchange"], actor=w["admin"])
    _moved(w)
    c = _client(client, w["admin"])
    page = c.get(_url(w)).content.decode()
    assert "1 change not yet published" in page
    assert "Publish version 2" in page
    assert "04-22 09:00–10:30" in page and "04-22 14:00–15:30" in page
    response = c.post(_url(w, "releases:publish"), {"note": "改到下午", "expected_number": "1"})
    assert response.status_code == 302
    assert response["Location"] == _url(w) + "#release-2"
    page = c.get(_url(w)).content.decode()
    assert "Version 2" in page and "Up to date" in page and "First published version." in page
    assert page.count('class="release-change release-change--moved"') == 1


def test_exchange_page_panel_says_published_and_pending(client):
    w = build_release_world()
    c = _client(client, w["admin"])
    detail = reverse("exchanges:detail", args=[w["exchange"].pk])
    assert "Not published yet." in c.get(detail).content.decode()
    services.publish_release(exchange=w["exchange"], actor=w["admin"])
    _moved(w)
    page = c.get(detail).content.decode()
    with translation.override("en"):
        assert "Published v1 on" in page
    assert "1 change not yet published" in page
    assert _url(w) in page


def test_viewer_reads_but_may_not_publish_or_subscribe(client):
    w = build_release_world()
    services.publish_release(exchange=w["exchange"], actor=w["admin"])
    services.subscribe_member(member=w["hant"], language="zh-hant", actor=w["admin"])
    viewer = make_user("release_viewer")
    c = _client(client, viewer)
    response = c.get(_url(w))
    assert response.status_code == 200 and h1_count(response) == 1
    page = response.content.decode()
    assert "Publish version" not in page and "Ask for change notices" not in page
    # The e-mail is personal: a viewer sees that there is one, not what it is.
    assert "lin@example.tw" not in page and "hidden" in page
    _moved(w)
    assert c.post(_url(w, "releases:publish"), {"expected_number": "1"}).status_code == 403
    member = w["quiet"].pk
    assert (
        c.post(_url(w, "releases:subscribe"), {"member": member, "language": "en"}).status_code
        == 403
    )
    sub = NoticeSubscription.objects.get(member=w["hant"])
    assert c.post(_url(w, "releases:unsubscribe", sub.pk)).status_code == 403
    assert Release.objects.count() == 1 and NoticeSubscription.objects.count() == 1
    nobody = _client(client, make_user("release_nobody", role=None))
    assert nobody.get(_url(w)).status_code == 403


def test_subscribe_and_unsubscribe_through_the_page(client):
    w = build_release_world()
    c = _client(client, w["admin"])
    response = c.post(
        _url(w, "releases:subscribe"),
        {"member": w["hant"].pk, "email": "", "language": "zh-hant"},
    )
    assert response.status_code == 302
    sub = NoticeSubscription.objects.get(member=w["hant"])
    assert (sub.email, sub.language) == ("lin@example.tw", "zh-hant")
    assert "lin@example.tw" in c.get(_url(w)).content.decode()
    assert c.post(_url(w, "releases:unsubscribe", sub.pk)).status_code == 302
    assert NoticeSubscription.objects.count() == 0


def test_the_member_themselves_may_subscribe(client):
    w = build_release_world()
    user = make_user("lin_account", role="viewer")
    PersonLink.objects.create(user=user, person=w["hant"].person)
    c = _client(client, user)
    ok = c.post(_url(w, "releases:subscribe"), {"member": w["hant"].pk, "language": "zh-hant"})
    assert ok.status_code == 302
    other = c.post(_url(w, "releases:subscribe"), {"member": w["en"].pk, "language": "en"})
    assert other.status_code == 400
    assert list(NoticeSubscription.objects.values_list("member_id", flat=True)) == [w["hant"].pk]


@pytest.mark.parametrize(
    "data",
    [
        {"member": "x", "language": "en"},
        {"member": "999999999", "language": "en"},
        {"language": "en"},
        {"member": "{hant}", "language": "fr"},
        {"member": "{hant}", "email": "no-at-sign", "language": "en"},
        {"member": "{hant}", "email": "a\u202e@example.org", "language": "en"},
        {"member": "{hant}", "email": "a\x00@example.org", "language": "en"},
    ],
)
def test_hostile_subscriptions_are_form_errors(client, data):
    w = build_release_world()
    c = _client(client, w["admin"])
    data = {k: v.format(hant=w["hant"].pk) for k, v in data.items()}
    response = c.post(_url(w, "releases:subscribe"), data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert NoticeSubscription.objects.count() == 0


def test_publish_errors_are_shown_in_place(client):
    w = build_release_world()
    c = _client(client, w["admin"])
    services.publish_release(exchange=w["exchange"], actor=w["admin"])
    nothing = c.post(_url(w, "releases:publish"), {"expected_number": "1", "note": "x"})
    assert (
        nothing.status_code == 400
        and "Nothing changed since version 1." in nothing.content.decode()
    )
    _moved(w)
    stale = c.post(_url(w, "releases:publish"), {"expected_number": "0", "note": "再版"})
    body = stale.content.decode()
    assert stale.status_code == 400 and "published meanwhile" in body and "再版" in body
    for bad in (
        {"expected_number": "-1"},
        {"expected_number": "x"},
        {"note": "a\x00b", "expected_number": "1"},
    ):
        assert c.post(_url(w, "releases:publish"), bad).status_code == 400
    assert c.get(reverse("releases:exchange", args=[999999])).status_code == 404
    assert c.get(_url(w, "releases:publish")).status_code == 405
    assert Release.objects.count() == 1 and mail.outbox == []


def _grow(w, n):
    """``n`` releases, each after a change, ``n`` more activities and ``n`` subscribers."""
    members = [w["hant"], w["en"], w["quiet"], w["other"]]
    for i in range(n):
        exchanges.create_activity(
            exchange=w["exchange"],
            kind="meeting",
            title=f"座谈{i}",
            starts_at=at(17 + i),
            ends_at=at(18 + i),
            groups=[w["group"]],
        )
        services.subscribe_member(member=members[i], language="en", actor=w["admin"])
        services.publish_release(exchange=w["exchange"], actor=w["admin"])
    _moved(w, hour=8)
    person = directory.create_person(name=f"新成员{n}")
    exchanges.add_member(exchange=w["exchange"], person=person, group=w["group2"])


@pytest.mark.parametrize(("size", "queries"), [(1, 11), (3, 11)])
def test_releases_page_queries_do_not_grow(client, django_assert_num_queries, size, queries):
    w = build_release_world()
    _grow(w, size)
    c = _client(client, w["admin"])
    c.get(_url(w))  # warm the session and the caches
    with django_assert_num_queries(queries):
        response = c.get(_url(w))
    assert response.status_code == 200
    assert response.content.decode().count('id="release-') == size
