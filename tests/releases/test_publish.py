"""Publishing an exchange's programme: the changelog from → to, the change notices to the
members who opted in (in their language and script), the calendars' SEQUENCE."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from icalendar import Calendar

from civicbridge.documents import calendars
from civicbridge.exchanges import services as exchanges
from civicbridge.releases import selectors, services
from civicbridge.releases.changelog import compare
from civicbridge.releases.models import ChangeKind, NoticeSubscription, Release, ReleaseChange
from tests.factories import at, build_release_world

pytestmark = pytest.mark.django_db


def _event(ics: bytes, activity):
    events = {str(e["UID"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    return events[f"activity-{activity.pk}@civicbridge"]


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """``services.publish_release`` with its after-commit work (the notices) run."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.publish_release(**kwargs)

    return run


def _subscribe(w):
    services.subscribe_member(member=w["hant"], language="zh-hant", actor=w["admin"])
    services.subscribe_member(member=w["en"], language="en", actor=w["admin"])
    services.subscribe_member(member=w["other"], language="zh-hans", actor=w["admin"])


def test_publish_move_publish_changelog_notices_and_calendar(publish):
    w = build_release_world()
    _subscribe(w)
    exchange, activity = w["exchange"], w["activity"]
    first = publish(exchange=exchange, note="初版", actor=w["admin"])
    assert (first.number, first.published_by, first.notices_sent) == (1, w["admin"], 0)
    assert first.changes.count() == 0
    assert sorted(first.activities.values_list("activity_key", flat=True)) == sorted(
        [activity.pk, w["activity2"].pk]
    )
    assert mail.outbox == []
    person = w["hant"].person
    before = _event(calendars.person_calendar(person), activity)
    assert int(before["SEQUENCE"]) == 0

    exchanges.move_activity(
        activity=_fresh(activity), starts_at=at(14), expected_version=_fresh(activity).version
    )
    pending = selectors.pending_changes(exchange)
    assert [(c.key, c.what) for c in pending] == [(activity.pk, ChangeKind.MOVED)]

    second = publish(exchange=exchange, note="参观改到下午", expected_number=1, actor=w["admin"])
    change = ReleaseChange.objects.get(release=second)
    assert (change.activity_key, change.what) == (activity.pk, "moved")
    assert (change.starts_before, change.ends_before) == (at(9), at(10, 30))
    assert (change.starts_after, change.ends_after) == (at(14), at(15, 30))
    assert selectors.pending_changes(exchange) == []

    # The two subscribers of the activity's group, not the unsubscribed member of the same
    # group, nor the subscriber of the other group (whose activity did not change).
    assert second.notices_sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "lin@example.tw"]
    by_to = {m.to[0]: m for m in mail.outbox}
    hant, en = by_to["lin@example.tw"], by_to["alice@example.org"]
    with translation.override("zh-hant"):
        moved_hant = str(ChangeKind.MOVED.label)
    with translation.override("en"):
        moved_en = str(ChangeKind.MOVED.label)
    # Content in the reader's script, words in the reader's language.
    assert "測試參訪" in hant.subject and "2" in hant.subject
    assert "测试参访" not in hant.subject
    assert "參觀康安社區" in hant.body and "参观康安社区" not in hant.body
    assert moved_hant in hant.body
    assert "04-22 09:00–10:30 → 04-22 14:00–15:30" in hant.body
    assert "參觀改到下午" in hant.body
    assert "林美華" in hant.body
    assert en.subject == "测试参访: programme version 2"
    assert "参观康安社区: Moved (04-22 09:00–10:30 → 04-22 14:00–15:30)" in en.body
    assert moved_en == "Moved"
    assert "第二组座谈" not in en.body

    after = _event(calendars.person_calendar(person), activity)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == at(14)
    # The other group's activity did not change: its SEQUENCE stays.
    other = _event(calendars.group_calendar(w["group2"]), w["activity2"])
    assert int(other["SEQUENCE"]) == 0


def test_sequence_counts_releases_not_edits(publish):
    w = build_release_world()
    exchange, activity = w["exchange"], w["activity"]
    publish(exchange=exchange, actor=w["admin"])
    for hour in (11, 12, 13):  # three edits, one release
        a = _fresh(activity)
        exchanges.move_activity(activity=a, starts_at=at(hour), expected_version=a.version)
    assert int(_event(calendars.group_calendar(w["group"]), activity)["SEQUENCE"]) == 1
    publish(exchange=exchange, actor=w["admin"])
    assert int(_event(calendars.group_calendar(w["group"]), activity)["SEQUENCE"]) == 1
    a = _fresh(activity)
    exchanges.update_activity(activity=a, expected_version=a.version, title="参观康安社区（改）")
    publish(exchange=exchange, actor=w["admin"])
    assert int(_event(calendars.group_calendar(w["group"]), activity)["SEQUENCE"]) == 2


def test_every_kind_of_change_is_listed_from_to(publish):
    w = build_release_world()
    exchange, activity, a2 = w["exchange"], w["activity"], w["activity2"]
    publish(exchange=exchange, actor=w["admin"])
    a = _fresh(activity)
    exchanges.update_activity(
        activity=a,
        expected_version=a.version,
        title="走访康安社区",
        place=w["taipei"],
        groups=[w["group"], w["group2"]],
    )
    b = _fresh(a2)
    exchanges.update_activity(activity=b, expected_version=b.version, status="cancelled")
    added = exchanges.create_activity(
        exchange=exchange, kind="meal", title="午餐", starts_at=at(12), ends_at=at(13)
    )
    release = publish(exchange=exchange, actor=w["admin"])
    rows = list(release.changes.values_list("activity_key", "what", "before", "after"))
    assert rows == [
        (activity.pk, "place", "康安社区居委会", "臺北市"),
        (activity.pk, "renamed", "参观康安社区", "走访康安社区"),
        (activity.pk, "groups", "延庆区参访组", "延庆区参访组、第二组"),
        (added.pk, "added", "", "午餐"),
        (a2.pk, "cancelled", "planned", "cancelled"),
    ]
    added_key = added.pk
    exchanges.delete_activity(activity=added)
    removed = publish(exchange=exchange, actor=w["admin"])
    assert list(removed.changes.values_list("activity_key", "what")) == [(added_key, "removed")]


def test_nothing_changed_refuses_a_new_version_and_a_stale_publish_is_refused(publish):
    w = build_release_world()
    exchange = w["exchange"]
    publish(exchange=exchange, actor=w["admin"])
    with pytest.raises(ValidationError) as nothing:
        publish(exchange=exchange, actor=w["admin"])
    assert "note" in nothing.value.message_dict
    a = _fresh(w["activity"])
    exchanges.move_activity(activity=a, starts_at=at(15), expected_version=a.version)
    with pytest.raises(ValidationError) as stale:
        publish(exchange=exchange, expected_number=0, actor=w["admin"])
    assert "expected_number" in stale.value.message_dict
    assert Release.objects.filter(exchange=exchange).count() == 1


def test_notices_follow_groups_whole_delegation_and_leaders(publish):
    w = build_release_world()
    _subscribe(w)
    exchange = w["exchange"]
    # 赵二组 leads the first group too: told of its changes.
    exchanges.update_group(group=w["group"], leader=w["other"])
    publish(exchange=exchange, actor=w["admin"])
    exchanges.create_activity(
        exchange=exchange, kind="meal", title="全团晚宴", starts_at=at(18), ends_at=at(20)
    )
    publish(exchange=exchange, actor=w["admin"])
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "lin@example.tw",
        "zhao@example.cn",
    ]
    mail.outbox.clear()
    a = _fresh(w["activity"])
    exchanges.move_activity(activity=a, starts_at=at(11), expected_version=a.version)
    publish(exchange=exchange, actor=w["admin"])
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "lin@example.tw",
        "zhao@example.cn",
    ]


def test_unsubscribed_member_gets_no_notice_and_the_address_is_gone(publish):
    w = build_release_world()
    _subscribe(w)
    exchange = w["exchange"]
    publish(exchange=exchange, actor=w["admin"])
    subscription = NoticeSubscription.objects.get(member=w["en"])
    services.unsubscribe_member(subscription=subscription, actor=w["admin"])
    assert not NoticeSubscription.objects.filter(email="alice@example.org").exists()
    a = _fresh(w["activity"])
    exchanges.move_activity(activity=a, starts_at=at(11), expected_version=a.version)
    publish(exchange=exchange, actor=w["admin"])
    assert [m.to for m in mail.outbox] == [["lin@example.tw"]]


def test_subscription_defaults_to_the_persons_email_and_refuses_a_bad_one():
    w = build_release_world()
    s = services.subscribe_member(member=w["quiet"], actor=w["admin"])
    assert (s.email, s.language) == ("chen@example.tw", "zh-hans")
    again = services.subscribe_member(
        member=w["quiet"], email="c2@example.tw", language="en", actor=w["admin"]
    )
    assert (again.pk, again.email, again.language) == (s.pk, "c2@example.tw", "en")
    for bad in ("not-an-address", "a\x00@example.org", "x@exa\u202emple.org"):
        with pytest.raises(ValidationError) as exc:
            services.subscribe_member(member=w["quiet"], email=bad, actor=w["admin"])
        assert "email" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.subscribe_member(member=w["quiet"], language="fr", actor=w["admin"])
    assert "language" in exc.value.message_dict


def test_compare_is_empty_for_the_same_itinerary():
    w = build_release_world()
    live = selectors.live_itinerary(w["exchange"])
    assert compare(live, live) == []
