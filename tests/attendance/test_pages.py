"""The attendance pages: an activity's attendance (count, names, by hand, take back), the
phone page of a check-in link (used, expired, tampered, not open: a clear page, never a
500), the exchange page's panel, and the number of queries of each."""

import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from civicbridge.attendance import links, services
from civicbridge.attendance.models import Attendance
from civicbridge.attendance.sections import visit_panel_context
from civicbridge.exchanges import services as services_exchanges
from civicbridge.exchanges.models import Exchange

pytestmark = pytest.mark.django_db


def page_url(activity) -> str:
    return reverse("attendance:activity", args=[activity.pk])


def link_url(member, activity=None) -> str:
    return links.link_path(links.make_token(member, activity))


def test_the_phone_page_shows_member_and_activity_and_marks_on_post(world, client_of):
    client = client_of(world, "organiser_haidian")
    member = world.members[0]
    url = link_url(member, world.now)

    shown = client.get(url)
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "黄团长" in text and "社区治理座谈" in text
    assert 'name="csrfmiddlewaretoken"' in text and "<script>" not in text.split("<main")[1]
    assert Attendance.objects.count() == 0  # opening it marks nothing

    done = client.post(url)
    assert done.status_code == 302
    attendance = Attendance.objects.get()
    assert done["Location"] == reverse("attendance:checked_in", args=[attendance.pk])
    assert (attendance.member, attendance.activity) == (member, world.now)
    assert attendance.checked_in_by == world.roles.users["organiser_haidian"]
    assert "1" in client.get(done["Location"]).content.decode()

    again = client.get(url)
    assert again.status_code == 409
    assert 'data-reason="spent"' in again.content.decode()
    assert client.post(url).status_code == 409
    assert Attendance.objects.count() == 1


def test_the_phone_page_speaks_the_readers_language(world, client_of):
    client = client_of(world, "organiser_haidian")
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.get(link_url(world.members[0], world.now), HTTP_ACCEPT_LANGUAGE="en")
    assert "Check in" in response.content.decode()


class SignedLongAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time() - links.MAX_AGE.total_seconds() - 60))


@pytest.mark.parametrize(
    ("make", "status", "reason"),
    [
        (
            lambda w: SignedLongAgo(salt=links.SALT).sign_object(
                {"m": w.members[0].pk, "a": w.now.pk, "n": "old"}
            ),
            410,
            "expired",
        ),
        (lambda w: links.make_token(w.members[0], w.now)[:-2] + "xx", 400, "tampered"),
        (lambda w: "%E2%80%AE" + links.make_token(w.members[0], w.now), 400, "tampered"),
        (lambda w: links.make_token(w.members[0], w.later), 409, "not_yet"),
        (lambda w: links.make_token(w.members[0], w.earlier), 410, "closed"),
        (lambda w: links.make_token(w.roles.member, w.now), 400, "not_his"),
    ],
)
def test_a_link_that_cannot_be_used_is_a_clear_page(world, client_of, make, status, reason):
    client = client_of(world, "organiser_haidian")
    url = reverse("attendance:check_in", args=["TOKEN"]).replace("TOKEN", make(world))
    for response in (client.get(url), client.post(url)):
        assert response.status_code == status
        assert f'data-reason="{reason}"' in response.content.decode()
    assert Attendance.objects.count() == 0


def test_a_link_needs_a_signed_in_scanner_who_may_check_in(world, client, client_of):
    url = link_url(world.members[0], world.now)
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client_of(world, "viewer").get(url).status_code == 403
    assert client_of(world, "organiser_yanqing").post(url).status_code == 403
    assert Attendance.objects.count() == 0


def test_a_badge_asks_which_activity_when_two_are_open(world, client_of):
    client = client_of(world, "organiser_haidian")
    url = link_url(world.members[0])
    text = client.get(url).content.decode()
    assert text.count('name="activity"') == 2
    assert client.post(url, {"activity": str(world.whole_now.pk)}).status_code == 302
    assert Attendance.objects.get().activity == world.whole_now
    assert client.post(url, {"activity": str(world.whole_now.pk)}).status_code == 409
    assert client.post(url, {"activity": "99999999"}).status_code == 400
    for bad in ("²", "1\x00", "-1", "9" * 40):  # not an id: the question again
        assert client.post(url, {"activity": bad}).status_code == 200
    assert Attendance.objects.count() == 1


def test_the_attendance_page_lists_who_is_in(world, client_of):
    services.check_in(activity=world.now, member=world.members[2])
    text = client_of(world, "viewer").get(page_url(world.now)).content.decode()
    assert '<span class="attendance-total__count" id="attendance-count">1</span>' in text
    assert "陈里长" in text and "黄团长" in text
    assert "Take back" not in text and "撤销" not in text
    assert reverse("documents:sign_in_sheet", args=[world.now.pk]) in text


def test_checking_in_by_hand_and_taking_it_back_on_the_page(world, client_of):
    client = client_of(world, "organiser_haidian")
    member = world.members[0]
    response = client.post(
        reverse("attendance:mark", args=[world.now.pk]), {"member": str(member.pk)}
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.method == "hand"
    # Checked in already: no longer offered; the form shows the error in place.
    again = client.post(reverse("attendance:mark", args=[world.now.pk]), {"member": str(member.pk)})
    assert again.status_code == 200
    assert "errorlist" in again.content.decode()
    stale = client.post(
        reverse("attendance:undo", args=[attendance.pk]), {"version": str(attendance.version + 1)}
    )
    assert stale.status_code == 302 and Attendance.objects.count() == 1
    client.post(
        reverse("attendance:undo", args=[attendance.pk]), {"version": str(attendance.version)}
    )
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("bad", ["", "abc", "0", "-1", "99999999999999999999", "1\x00"])
def test_hostile_member_ids_are_form_errors(world, client_of, bad):
    client = client_of(world, "organiser_haidian")
    response = client.post(reverse("attendance:mark", args=[world.now.pk]), {"member": bad})
    assert response.status_code == 200
    assert Attendance.objects.count() == 0


def test_others_may_not_mark_on_the_page(world, client_of):
    for key in ("viewer", "organiser_yanqing"):
        response = client_of(world, key).post(
            reverse("attendance:mark", args=[world.now.pk]), {"member": str(world.members[0].pk)}
        )
        assert response.status_code == 403
    assert Attendance.objects.count() == 0


def test_the_exchange_page_shows_attendance_per_activity(world, client_of):
    services.check_in(activity=world.now, member=world.members[0])
    with translation.override("en"):
        client = client_of(world, "viewer")
        client.cookies["django_language"] = "en"
        text = client.get(world.exchange.get_absolute_url()).content.decode()
    assert f'data-activity="{world.now.pk}">1 of 5 checked in' in text
    assert f'data-activity="{world.whole_now.pk}">0 of 7 checked in' in text


def _check_in_some(world, n):
    for member in world.members[:n]:
        services.check_in(activity=world.whole_now, member=member)


# The session, the user, the activity, the roles, the roster's activity with its groups,
# the roster, the check-ins; the rule reads the activity's groups and the exchange's host
# place and groups (a whole-delegation activity); the check-in codes' rule the exchange's
# groups again.
@pytest.mark.parametrize(("n", "queries"), [(1, 12), (3, 12)])
def test_queries_of_the_attendance_page(world, client_of, django_assert_num_queries, n, queries):
    _check_in_some(world, n)
    client = client_of(world, "organiser_haidian")
    url = page_url(world.whole_now)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("n", "queries"), [(1, 10), (3, 10)])
def test_queries_of_the_phone_page(world, client_of, django_assert_num_queries, n, queries):
    _check_in_some(world, n)
    client = client_of(world, "organiser_haidian")
    url = link_url(world.members[5], world.whole_now)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_the_panel_costs_three_queries(world, rf, django_assert_num_queries, n):
    _check_in_some(world, n)
    request = rf.get("/")
    request.user = world.roles.users["viewer"]
    # The roles and Django's own permissions: read once per request (the page asked before).
    request.user.has_perm("attendance.check_in")
    exchange = Exchange.objects.prefetch_related("members").get(pk=world.exchange.pk)
    with django_assert_num_queries(3):  # the activities, their groups, the counts
        context = visit_panel_context(request, exchange)
    assert context["attendance_checked_in"] == n


# The session, the user, the check-in with its activity and member, the roles, the count.
@pytest.mark.parametrize(("n", "queries"), [(1, 5), (3, 5)])
def test_queries_of_the_page_after_a_check_in(
    world, client_of, django_assert_num_queries, n, queries
):
    _check_in_some(world, n)
    client = client_of(world, "organiser_haidian")
    url = reverse("attendance:checked_in", args=[Attendance.objects.first().pk])
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# The session, the user, the member, the roles, the rule's host place and groups, the
# activities with their groups, hosts and participants (documents.selectors.activities_for).
@pytest.mark.parametrize(("n", "queries"), [(1, 10), (3, 10)])
def test_queries_of_the_check_in_codes_page(
    world, client_of, django_assert_num_queries, n, queries
):
    for i in range(n):
        services_exchanges.create_activity(
            exchange=world.exchange,
            kind="meal",
            title=f"午餐{i}",
            starts_at=world.later.starts_at,
            ends_at=world.later.ends_at,
            hosts=[world.escort.person],
        )
    client = client_of(world, "organiser_haidian")
    url = reverse("documents:check_in_codes", args=[world.members[0].pk])
    client.get(url)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count('class="segno"') == 5 + n


@pytest.mark.parametrize(("n", "queries"), [(1, 8), (3, 8)])
def test_the_exchange_attendance_page_lists_every_activity(
    world, client_of, django_assert_num_queries, n, queries
):
    _check_in_some(world, n)
    client = client_of(world, "viewer")
    url = reverse("attendance:exchange", args=[world.exchange.pk])
    client.get(url)
    with django_assert_num_queries(queries):
        response = client.get(url)
    body = response.content.decode()
    activities = [world.earlier, world.now, world.whole_now, world.later]
    assert (response.status_code, [a.title in body for a in activities]) == (200, [True] * 4)
    assert body.count(reverse("documents:sign_in_sheet", args=[world.now.pk])) == 1


def test_the_panel_shows_the_first_activities_still_to_come(world, rf):
    request = rf.get("/")
    request.user = world.roles.users["viewer"]
    exchange = Exchange.objects.prefetch_related("members").get(pk=world.exchange.pk)
    context = visit_panel_context(request, exchange)
    shown = [activity for activity, _expected, _done in context["attendance_rows"]]
    # ``earlier`` ended this morning: the panel starts with what is on now.
    assert (world.earlier in shown, shown[0] in (world.now, world.whole_now)) == (False, True)
    assert context["attendance_more"] == 1
