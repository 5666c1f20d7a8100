import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from civicbridge.core.services import StaleVersion
from civicbridge.directory.models import PlaceKind
from civicbridge.exchanges import services
from civicbridge.exchanges.models import ActivityKind
from civicbridge.exchanges.selectors import double_bookings, itinerary_conflicts
from tests.factories import SHANGHAI, ExchangeFactory, GroupFactory, PersonFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def at(hour, day=22):
    return dt.datetime(2016, 4, day, hour, 0, tzinfo=SHANGHAI)


def test_create_exchange_refuses_end_before_start():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as err:
        services.create_exchange(
            title="x",
            start_date=dt.date(2016, 4, 22),
            end_date=dt.date(2016, 4, 21),
            visiting_organisation=exchange.visiting_organisation,
            visiting_place=exchange.visiting_place,
            host_place=exchange.host_place,
        )
    assert list(err.value.message_dict) == ["end_date"]


def test_add_member_refuses_a_group_of_another_exchange():
    group = GroupFactory()
    other = ExchangeFactory()
    with pytest.raises(ValidationError) as err:
        services.add_member(exchange=other, person=PersonFactory(), group=group)
    assert list(err.value.message_dict) == ["group"]


def test_add_member_refuses_the_same_person_twice():
    exchange = ExchangeFactory()
    person = PersonFactory()
    services.add_member(exchange=exchange, person=person)
    with pytest.raises(ValidationError) as err:
        services.add_member(exchange=exchange, person=person)
    assert list(err.value.message_dict) == ["person"]


def test_create_activity_refuses_a_time_outside_the_exchange_dates():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as err:
        services.create_activity(
            exchange=exchange,
            kind=ActivityKind.MEETING,
            title="座谈",
            starts_at=at(9, 23),
            ends_at=at(10, 23),
        )
    assert list(err.value.message_dict) == ["starts_at"]


def test_create_activity_refuses_a_naive_time():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as err:
        services.create_activity(
            exchange=exchange,
            kind=ActivityKind.MEETING,
            title="座谈",
            starts_at=dt.datetime(2016, 4, 22, 9),
            ends_at=dt.datetime(2016, 4, 22, 10),
        )
    assert set(err.value.message_dict) == {"starts_at", "ends_at"}


def test_create_activity_keeps_hostile_text_as_entered():
    exchange = ExchangeFactory()
    title = "<script>alert(1)</script>'; DROP TABLE x;-- 𠀀\ue000"
    activity = services.create_activity(
        exchange=exchange, kind=ActivityKind.MEETING, title=title, starts_at=at(9), ends_at=at(10)
    )
    activity.refresh_from_db()
    assert activity.title == title


def test_create_group_refuses_a_host_that_is_not_a_district():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as err:
        services.create_group(
            exchange=exchange, name="一组", host_place=PlaceFactory(kind=PlaceKind.COMMUNITY)
        )
    assert list(err.value.message_dict) == ["host_place"]


def test_update_activity_refuses_a_stale_version():
    exchange = ExchangeFactory()
    activity = services.create_activity(
        exchange=exchange, kind=ActivityKind.MEETING, title="座谈", starts_at=at(9), ends_at=at(10)
    )
    services.update_activity(activity=activity, expected_version=1, title="座谈会")
    with pytest.raises(StaleVersion):
        services.update_activity(activity=activity, expected_version=1, title="另一个标题")
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("座谈会", 2)


def test_double_bookings_lists_a_person_and_a_group_in_overlapping_activities():
    exchange = ExchangeFactory()
    district = PlaceFactory(kind=PlaceKind.DISTRICT)
    group = services.create_group(exchange=exchange, name="一组", host_place=district)
    person = PersonFactory()
    services.add_member(exchange=exchange, person=person, group=group)
    a = services.create_activity(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="甲",
        starts_at=at(9),
        ends_at=at(11),
        groups=[group],
    )
    b = services.create_activity(
        exchange=exchange,
        kind=ActivityKind.MEETING,
        title="乙",
        starts_at=at(10),
        ends_at=at(12),
        groups=[group],
    )
    services.create_activity(
        exchange=exchange,
        kind=ActivityKind.MEAL,
        title="丙",
        starts_at=at(12),
        ends_at=at(13),
        groups=[group],
    )
    # One conflict for the overlap, naming the group (not its members one by one).
    found = [(c.kind, c.groups, c.people, c.first, c.second) for c in double_bookings(exchange)]
    assert found == [("booking", (group,), (), a, b)]


def test_itinerary_conflicts_lists_one_venue_used_by_two_groups_at_once():
    exchange = ExchangeFactory()
    district = PlaceFactory(kind=PlaceKind.DISTRICT)
    venue_place = PlaceFactory()
    one = services.create_group(exchange=exchange, name="一组", host_place=district)
    two = services.create_group(exchange=exchange, name="二组", host_place=district)
    services.create_activity(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="甲",
        starts_at=at(9),
        ends_at=at(10),
        groups=[one],
        place=venue_place,
    )
    services.create_activity(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="乙",
        starts_at=at(9),
        ends_at=at(10),
        groups=[two],
        place=venue_place,
    )
    assert [c.kind for c in itinerary_conflicts(exchange)] == ["venue"]


def test_itinerary_conflicts_lists_an_activity_left_outside_changed_dates():
    exchange = ExchangeFactory()
    services.create_activity(
        exchange=exchange, kind=ActivityKind.MEETING, title="座谈", starts_at=at(9), ends_at=at(10)
    )
    services.update_exchange(
        exchange=exchange, start_date=dt.date(2016, 4, 23), end_date=dt.date(2016, 4, 24)
    )
    assert [c.kind for c in itinerary_conflicts(exchange)] == ["outside_dates"]
