"""Check-in links (signed, expiring, single use) and the attendance services: who may mark,
one record per member and activity, taking a check-in back."""

import datetime as dt
import time

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError

from civicbridge.accounts.audit import acting_as
from civicbridge.accounts.models import AuditEntry
from civicbridge.attendance import links, selectors, services
from civicbridge.attendance.links import LinkRefused
from civicbridge.attendance.models import Attendance, CheckInMethod
from civicbridge.core.services import StaleVersion

pytestmark = pytest.mark.django_db


class SignedLongAgo(signing.TimestampSigner):
    """Django's own signer, at a fixed moment of the past (a badge of an earlier visit)."""

    def timestamp(self):
        return signing.b62_encode(int(time.time() - links.MAX_AGE.total_seconds() - 3600))


def old_token(member, activity) -> str:
    payload = {"m": member.pk, "a": activity.pk, "n": "old"}
    return SignedLongAgo(salt=links.SALT).sign_object(payload)


def test_a_token_names_its_member_and_activity(world):
    member = world.members[0]
    link = links.read_token(links.make_token(member, world.now))
    assert (link.member_id, link.activity_id) == (member.pk, world.now.pk)
    badge = links.read_token(links.make_token(member))
    assert (badge.member_id, badge.activity_id) == (member.pk, None)
    assert links.make_token(member, world.now) != links.make_token(member, world.now)


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: "x" + t,  # the payload
        lambda t: t.split(":")[0],  # cut off
        lambda t: "",
        lambda t: "\x00:\u202e:abc",
    ],
)
def test_a_tampered_token_is_refused(world, change):
    token = links.make_token(world.members[0], world.now)
    with pytest.raises(LinkRefused) as refused:
        links.read_token(change(token))
    assert refused.value.reason == LinkRefused.TAMPERED


def test_another_salt_is_refused(world):
    token = signing.TimestampSigner(salt="another").sign_object({"m": 1, "a": 1, "n": "x"})
    with pytest.raises(LinkRefused) as refused:
        links.read_token(token)
    assert refused.value.reason == LinkRefused.TAMPERED


def test_a_token_signed_long_ago_is_expired(world):
    with pytest.raises(LinkRefused) as refused:
        links.read_token(old_token(world.members[0], world.now))
    assert refused.value.reason == LinkRefused.EXPIRED


@pytest.mark.parametrize(
    "payload",
    [[1, 2], {"m": "1", "a": 1, "n": "x"}, {"m": 1, "a": -1, "n": "x"}, {"m": 1, "a": 1}],
)
def test_a_signed_token_of_the_wrong_shape_is_refused(world, payload):
    token = signing.TimestampSigner(salt=links.SALT).sign_object(payload)
    with pytest.raises(LinkRefused) as refused:
        links.read_token(token)
    assert refused.value.reason == LinkRefused.TAMPERED


def test_the_window_opens_before_the_activity_and_closes_after_it():
    class Timed:
        starts_at = dt.datetime(2016, 4, 22, 9, tzinfo=dt.UTC)
        ends_at = dt.datetime(2016, 4, 22, 10, tzinfo=dt.UTC)

    opens, closes = links.window(Timed)
    assert (opens, closes) == (Timed.starts_at - links.OPENS_BEFORE, Timed.ends_at + links.GRACE)
    assert links.is_open(Timed, opens) is True
    assert links.is_open(Timed, opens - dt.timedelta(seconds=1)) is False
    assert links.is_open(Timed, closes + dt.timedelta(seconds=1)) is False


def test_an_organiser_of_the_host_district_checks_a_member_in_by_hand(world):
    organiser = world.roles.users["organiser_haidian"]
    attendance = services.check_in(activity=world.now, member=world.members[0], actor=organiser)
    assert (attendance.method, attendance.checked_in_by) == (CheckInMethod.HAND, organiser)
    assert [a.member for a in selectors.attendance_of(world.now)] == [world.members[0]]


@pytest.mark.parametrize("key", ["organiser_yanqing", "viewer", "community_member", "nobody"])
def test_others_may_not_check_anyone_in(world, key):
    with pytest.raises(PermissionDenied):
        services.check_in(activity=world.now, member=world.members[0], actor=world.roles.users[key])
    assert Attendance.objects.count() == 0


def test_the_delegations_coordinator_may_check_in(world):
    coordinator = world.roles.users["coordinator"]
    services.check_in(activity=world.now, member=world.members[0], actor=coordinator)
    with pytest.raises(PermissionDenied):
        services.check_in(
            activity=world.now,
            member=world.members[1],
            actor=world.roles.users["coordinator_other"],
        )
    assert Attendance.objects.count() == 1


def test_a_member_is_checked_in_once(world):
    services.check_in(activity=world.now, member=world.members[0])
    with pytest.raises(services.AlreadyCheckedIn):
        services.check_in(activity=world.now, member=world.members[0])
    assert Attendance.objects.count() == 1


def test_a_member_of_another_exchange_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.check_in(activity=world.now, member=world.roles.member)
    assert list(refused.value.message_dict) == ["member"]


def test_a_note_with_control_characters_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.check_in(activity=world.now, member=world.members[0], note="a\x00b")
    assert list(refused.value.message_dict) == ["note"]


def test_a_check_in_is_taken_back_with_its_version(world):
    attendance = services.check_in(activity=world.now, member=world.members[0])
    with pytest.raises(StaleVersion):
        services.undo_check_in(attendance=attendance, expected_version=attendance.version + 1)
    with pytest.raises(PermissionDenied):
        services.undo_check_in(attendance=attendance, actor=world.roles.users["viewer"])
    services.undo_check_in(attendance=attendance, expected_version=attendance.version)
    assert Attendance.objects.count() == 0


def test_a_link_is_spent_once_used_even_after_the_check_in_is_taken_back(world):
    organiser = world.roles.users["organiser_haidian"]
    token = links.make_token(world.members[0], world.now)
    attendance = services.check_in_with_link(token=token, actor=organiser)
    assert attendance.method == CheckInMethod.LINK
    with pytest.raises(LinkRefused) as refused:
        services.check_in_with_link(token=token, actor=organiser)
    assert refused.value.reason == LinkRefused.SPENT
    services.undo_check_in(attendance=attendance)
    with pytest.raises(LinkRefused) as refused:
        services.check_in_with_link(token=token, actor=organiser)
    assert refused.value.reason == LinkRefused.SPENT
    assert Attendance.objects.count() == 0


def test_a_link_of_a_member_checked_in_by_hand_says_so(world):
    services.check_in(activity=world.now, member=world.members[0])
    with pytest.raises(LinkRefused) as refused:
        services.open_link(links.make_token(world.members[0], world.now))
    assert refused.value.reason == LinkRefused.ALREADY


def test_a_link_works_only_while_its_activity_is_open(world):
    member = world.members[0]
    for activity, reason in ((world.later, LinkRefused.NOT_YET), (world.earlier, "closed")):
        with pytest.raises(LinkRefused) as refused:
            services.open_link(links.make_token(member, activity))
        assert refused.value.reason == reason


def test_a_badge_checks_in_at_the_activity_open_now_once_per_activity(world):
    organiser = world.roles.users["organiser_haidian"]
    second_group = world.members[1]  # only the whole delegation's visit is open for them
    token = links.make_token(second_group)
    member, activity, _link = services.open_link(token)
    assert (member, activity) == (second_group, world.whole_now)
    services.check_in_with_link(token=token, actor=organiser)
    with pytest.raises(LinkRefused):
        services.check_in_with_link(token=token, actor=organiser)

    first_group = world.members[0]  # two open: the page asks which
    token = links.make_token(first_group)
    assert services.open_link(token)[1] is None
    services.check_in_with_link(token=token, activity_id=world.now.pk, actor=organiser)
    services.check_in_with_link(token=token, activity_id=world.whole_now.pk, actor=organiser)
    with pytest.raises(LinkRefused) as refused:
        services.open_link(token, activity_id=world.later.pk)
    assert refused.value.reason == LinkRefused.NOT_YET
    assert Attendance.objects.count() == 3


def test_an_activity_link_cannot_be_turned_to_another_activity(world):
    token = links.make_token(world.members[0], world.now)
    with pytest.raises(LinkRefused) as refused:
        services.open_link(token, activity_id=world.whole_now.pk)
    assert refused.value.reason == LinkRefused.NOT_HIS


def test_the_order_of_precedence_puts_leaders_first_and_the_host_side_after(world):
    names = [m.person.name for m in selectors.roster(world.exchange)]
    assert names == ["黃團長", "林副團長", "陳里長", "吳里長", "周里長1", "周里長2", "王主任"]


def test_expected_members_of_a_group_activity_and_of_the_whole_delegation(world):
    rows = selectors.sheet_rows(world.now)
    assert [r.member.person.name for r in rows] == [
        "黃團長",
        "陳里長",
        "周里長1",
        "周里長2",
        "王主任",
    ]
    services.check_in(activity=world.now, member=world.members[1])  # from the other group
    rows = selectors.sheet_rows(world.now)
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r.member.person.name for r in rows if r.attendance] == ["林副團長"]
    assert len(selectors.sheet_rows(world.whole_now)) == 7


def test_attendance_counts_in_one_query(world, django_assert_num_queries):
    services.check_in(activity=world.now, member=world.members[0])
    services.check_in(activity=world.now, member=world.members[2])
    services.check_in(activity=world.whole_now, member=world.members[1])
    with django_assert_num_queries(1):
        counts = selectors.attendance_counts([world.now, world.whole_now, world.later])
    assert counts == {world.now.pk: 2, world.whole_now.pk: 1}


def test_check_ins_and_their_taking_back_are_in_the_audit_trail(world):
    organiser = world.roles.users["organiser_haidian"]
    with acting_as(organiser):
        attendance = services.check_in(activity=world.now, member=world.members[0], actor=organiser)
        services.undo_check_in(attendance=attendance, actor=organiser)
    entries = AuditEntry.objects.filter(model="attendance.attendance").order_by("id")
    assert [(e.action, e.username) for e in entries] == [
        ("create", "org_haidian"),
        ("delete", "org_haidian"),
    ]
