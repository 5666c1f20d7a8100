"""Itinerary conflicts that are honest (issue 12): only activities with exact times can
overlap; a date-only or part-of-day activity never conflicts; one overlap of two activities
is one conflict naming the groups and people concerned, not one per member. Read through
the selector, the exchange page's itinerary section and a group's timetable."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from civicbridge.core.part_of_day import NOMINAL_TIMES
from civicbridge.exchanges import selectors, services
from civicbridge.exchanges.models import TimePrecision
from civicbridge.exchanges.selectors import double_bookings, itinerary_conflicts
from tests.factories import at, make_admin

pytestmark = pytest.mark.django_db

DAY, PART = TimePrecision.DAY, TimePrecision.PART_OF_DAY


@pytest.fixture
def client_in(client):
    user = make_admin()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def group(world):
    """海淀组 with three members (黄国辉 and two more)."""
    group = services.create_group(exchange=world.exchange, name="海淀组", host_place=world.haidian)
    for person in world.people[:3]:
        services.add_member(exchange=world.exchange, person=person, group=group)
    return group


def nominal(part):
    """The stored (nominal) start and end of an activity known by its part of the day or
    (``part="day"``) its date only."""
    start, end = NOMINAL_TIMES[part]
    return at(start.hour), at(end.hour)


def activity(world, title, starts_at, ends_at, *, precision=TimePrecision.EXACT, **extra):
    return services.create_activity(
        exchange=world.exchange,
        kind="site_visit",
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        time_precision=precision,
        **extra,
    )


def eight_date_only(world, group):
    """A date-only day of eight activities, all for the same group, hosted by the same
    person, at the same place: the shape that gave 10–18 false conflicts."""
    start, end = nominal(DAY)
    return [
        activity(
            world,
            f"参观{i + 1}",
            start,
            end,
            precision=DAY,
            groups=[group],
            hosts=[world.people[5]],
            participants=[world.people[4]],
            place=world.community,
        )
        for i in range(8)
    ]


def overlap(world, group):
    first = activity(world, "参观甲", at(9), at(10), groups=[group])
    second = activity(world, "座谈乙", at(9, 30), at(11), groups=[group])
    return first, second


def page(client, world):
    return client.get(reverse("exchanges:detail", args=[world.exchange.pk])).content.decode()


def group_page(client, world, group):
    response = client.get(reverse("exchanges:group", args=[world.exchange.pk, group.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- the rule, read through the selector ------------------------------------------------------


def test_eight_date_only_activities_give_no_conflict(world, group):
    eight_date_only(world, group)
    assert itinerary_conflicts(world.exchange) == []


def test_a_real_overlap_is_one_conflict_naming_the_group_not_its_members(world, group):
    first, second = overlap(world, group)
    conflicts = itinerary_conflicts(world.exchange)
    assert [(c.kind, c.first, c.second, c.groups, c.people) for c in conflicts] == [
        ("booking", first, second, (group,), ())
    ]
    assert double_bookings(world.exchange) == conflicts


def test_an_overlap_names_the_people_in_both_besides_the_groups(world, group):
    """黄国辉 is in 海淀组 (covered by the group); 林 hosts both: named once."""
    host = world.people[5]
    first = activity(world, "参观甲", at(9), at(10), groups=[group], hosts=[host])
    second = activity(world, "座谈乙", at(9, 30), at(11), groups=[group], participants=[host])
    [conflict] = itinerary_conflicts(world.exchange)
    assert (conflict.first, conflict.second, conflict.groups, conflict.people) == (
        first,
        second,
        (group,),
        (host,),
    )


def test_two_activities_in_the_same_part_of_the_day_do_not_conflict(world, group):
    """上午参观…，随后座谈: a sequence, not a clash."""
    start, end = nominal("morning")
    activity(world, "参观甲", start, end, precision=PART, groups=[group])
    activity(world, "座谈乙", start, end, precision=PART, groups=[group])
    assert itinerary_conflicts(world.exchange) == []


def test_a_part_of_the_day_does_not_conflict_with_exact_times_in_it(world, group):
    start, end = nominal("afternoon")
    activity(world, "参观甲", start, end, precision=PART, groups=[group])
    activity(world, "座谈乙", at(14), at(17), groups=[group])
    activity(world, "晚宴", *nominal("evening"), precision=PART, groups=[group])
    assert itinerary_conflicts(world.exchange) == []


def test_a_date_only_activity_does_not_conflict_with_exact_times(world, group):
    activity(world, "参观甲", *nominal(DAY), precision=DAY, groups=[group])
    activity(world, "座谈乙", at(10), at(11), groups=[group], place=world.community)
    assert itinerary_conflicts(world.exchange) == []


def test_a_date_only_activity_outside_the_dates_is_still_reported(world, group):
    outside = activity(world, "参观甲", *nominal(DAY), precision=DAY)
    services.update_exchange(
        exchange=world.exchange, start_date=dt.date(2016, 4, 23), end_date=dt.date(2016, 4, 23)
    )
    assert [(c.kind, c.first) for c in itinerary_conflicts(world.exchange)] == [
        ("outside_dates", outside)
    ]


def test_one_place_used_by_two_groups_at_once_is_one_venue_conflict(world, group):
    other = services.create_group(
        exchange=world.exchange, name="石景山组", host_place=world.haidian
    )
    services.add_member(exchange=world.exchange, person=world.people[3], group=other)
    activity(world, "参观甲", at(9), at(10), groups=[group], place=world.community)
    activity(world, "参观乙", at(9), at(10), groups=[other], place=world.community)
    activity(world, "参观丙", *nominal("morning"), precision=PART, place=world.community)
    [conflict] = itinerary_conflicts(world.exchange)
    assert (conflict.kind, conflict.venue, conflict.groups, conflict.people) == (
        "venue",
        world.community,
        (),
        (),
    )


def test_moments_touching_an_activity_do_not_overlap_it(world, group):
    activity(world, "参观甲", at(9), at(10), groups=[group])
    activity(world, "合影", at(10), at(10), groups=[group])
    activity(world, "抵达", at(9), at(9), groups=[group])
    inside = activity(world, "致辞", at(9, 30), at(9, 30), groups=[group])
    assert [c.second for c in itinerary_conflicts(world.exchange)] == [inside]


# --- the pages -------------------------------------------------------------------------------


def test_eight_date_only_activities_show_no_conflict_on_the_pages(client_in, world, group):
    eight_date_only(world, group)
    body = page(client_in, world)
    assert "参观8" in body
    assert 'id="itinerary-conflicts"' not in body
    assert "activity__conflicts" not in body
    assert "has-conflict" not in body
    body = group_page(client_in, world, group)
    assert "参观8" in body
    assert "activity__conflicts" not in body
    assert "has-conflict" not in body


def test_a_real_overlap_shows_one_conflict_on_the_pages(client_in, world, group):
    overlap(world, group)
    message = "海淀组 has two activities at once: “参观甲” and “座谈乙”."
    body = page(client_in, world)
    assert "1 conflict in the itinerary" in body
    assert body.count('<li class="conflict--booking">') == 1
    assert body.count(message) == 3  # the list, and each of the two activities
    assert "黄国辉 is in two activities at once" not in body
    body = group_page(client_in, world, group)
    assert body.count(message) == 2  # each of the two activities
    assert "黄国辉 is in" not in body


def test_an_overlap_of_groups_and_people_is_one_message_naming_them(client_in, world, group):
    other = services.create_group(
        exchange=world.exchange, name="石景山组", host_place=world.haidian
    )
    guide, host = world.people[4], world.people[5]
    activity(world, "参观甲", at(9), at(10), groups=[group, other], hosts=[host, guide])
    activity(world, "座谈乙", at(9, 30), at(11), groups=[group, other], participants=[host, guide])
    body = page(client_in, world)
    assert "1 conflict in the itinerary" in body
    names = sorted([guide, host], key=lambda p: p.pk)
    assert (
        f"海淀组, 石景山组, {names[0].name} and {names[1].name} are in two activities at once: "
        "“参观甲” and “座谈乙”."
    ) in body


def test_two_groups_sharing_a_person_and_a_place_is_one_message(client_in, world, group):
    other = services.create_group(
        exchange=world.exchange, name="石景山组", host_place=world.haidian
    )
    host = world.people[5]
    activity(world, "参观甲", at(9), at(10), groups=[group], hosts=[host], place=world.community)
    activity(world, "参观乙", at(9), at(10), groups=[other], hosts=[host], place=world.community)
    body = page(client_in, world)
    assert "1 conflict in the itinerary" in body
    assert (
        f"{host.name} is in two activities at once: “参观甲” and “参观乙”. Both are at 阜四社区."
    ) in body


@pytest.mark.parametrize("overlaps", [1, 3])
def test_the_conflicts_are_read_in_fixed_queries(world, group, django_assert_num_queries, overlaps):
    """Without overlaps nothing is read; with them the roster once and the people named once,
    however many overlaps there are."""
    host = world.people[5]
    for i in range(overlaps):
        activity(world, f"参观{i}", at(9 + 2 * i), at(10 + 2 * i), groups=[group], hosts=[host])
        activity(world, f"座谈{i}", at(9 + 2 * i), at(10 + 2 * i), groups=[group], hosts=[host])
    activity(world, "参观全天", *nominal(DAY), precision=DAY, groups=[group], hosts=[host])
    activities = list(selectors.activities_for(world.exchange))
    with django_assert_num_queries(2):
        assert len(itinerary_conflicts(world.exchange, activities)) == overlaps
    dated = [a for a in activities if a.time_precision == DAY]
    with django_assert_num_queries(0):
        assert itinerary_conflicts(world.exchange, dated) == []
