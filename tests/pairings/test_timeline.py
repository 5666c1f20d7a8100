"""A pairing's timeline lists only what involved both of its places: another visit to the same
community, by people of another li, is not this pairing's (nor is a visit of the paired li's
chief to another community)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from civicbridge.directory import services as directory
from civicbridge.directory.models import MAINLAND, TAIWAN, PlaceKind
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ActivityKind, ExchangeStatus, Side
from civicbridge.pairings import selectors
from tests.factories import SHANGHAI
from tests.factories import PairingWorld as World

pytestmark = pytest.mark.django_db


def visit(world, *, title, day, li, person, community, activity_title):
    """An exchange from 臺北市 to 北京市: ``person`` of ``li`` visits ``community``."""
    exchange = exchanges.create_exchange(
        title=title,
        start_date=day,
        end_date=day,
        visiting_place=world.taipei,
        host_place=world.beijing,
        status=ExchangeStatus.HELD,
    )
    exchanges.add_member(exchange=exchange, person=person, side=Side.VISITING, home_place=li)
    activity = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.MEETING,
        title=activity_title,
        starts_at=dt.datetime(day.year, day.month, day.day, 14, 0, tzinfo=SHANGHAI),
        ends_at=dt.datetime(day.year, day.month, day.day, 16, 0, tzinfo=SHANGHAI),
        place=community,
    )
    return exchange, activity


@pytest.fixture
def two_visits():
    """The pairing 阜四社区 ↔ 板溪里 (its 2016 visit), a 2018 visit of 板溪里's chief to
    阜四社区 again, and a 2019 visit to the same community by the chief of another li
    (南門里) of the same district."""
    world = World()
    other_li = directory.create_place(
        name="南門里", kind=PlaceKind.LI, side=TAIWAN, parent=world.zhongzheng
    )
    other_chief = directory.create_person(name="陳美玲", home_place=other_li)
    ours, our_activity = visit(
        world,
        title="板溪里再访阜四社区",
        day=dt.date(2018, 5, 8),
        li=world.li,
        person=world.chief,
        community=world.community,
        activity_title="社区养老座谈",
    )
    theirs, their_activity = visit(
        world,
        title="南門里参访阜四社区",
        day=dt.date(2019, 9, 16),
        li=other_li,
        person=other_chief,
        community=world.community,
        activity_title="参观文化小院（南門里）",
    )
    return world, ours, our_activity, theirs, their_activity


def test_only_exchanges_and_activities_of_both_places(two_visits):
    world, ours, our_activity, theirs, their_activity = two_visits
    events = selectors.timeline(selectors.get_pairing(world.pairing.pk))
    listed = {(e.kind, e.obj.pk) for e in events if e.kind in ("exchange", "activity")}
    assert listed == {
        ("exchange", world.exchange.pk),
        ("activity", world.visit.pk),
        ("exchange", ours.pk),
        ("activity", our_activity.pk),
    }
    directions = {e.obj.pk: e.direction for e in events if e.kind == "exchange"}
    assert directions == {world.exchange.pk: "b_to_a", ours.pk: "b_to_a"}


def test_pairing_page_leaves_out_the_other_visit(two_visits, signed_in):
    world, _ours, _our_activity, _theirs, _their_activity = two_visits
    html = signed_in.get(reverse("pairings:detail", args=[world.pairing.pk])).content.decode()
    assert "社区养老座谈" in html
    assert "板溪里再访阜四社区" in html
    assert "南門里参访阜四社区" not in html
    assert "南门里参访阜四社区" not in html
    assert "参观文化小院（南門里）" not in html
    assert "参观文化小院（南门里）" not in html


def test_the_li_chief_visiting_another_community_is_not_this_pairings(two_visits):
    world, *_ = two_visits
    elsewhere = directory.create_place(
        name="永定路社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=world.street
    )
    trip, activity = visit(
        world,
        title="板溪里参访永定路社区",
        day=dt.date(2020, 10, 1),
        li=world.li,
        person=world.chief,
        community=elsewhere,
        activity_title="永定路社区座谈",
    )
    events = selectors.timeline(selectors.get_pairing(world.pairing.pk))
    assert trip.pk not in {e.obj.pk for e in events if e.kind == "exchange"}
    assert activity.pk not in {e.obj.pk for e in events if e.kind == "activity"}


def test_an_exchange_hosted_by_the_community_itself_counts(two_visits):
    """A return visit: the community's own delegation (its host place) and the li's chief
    on its roster, the activity at the li."""
    world, *_ = two_visits
    back = exchanges.create_exchange(
        title="阜四社区回访板溪里",
        start_date=dt.date(2021, 3, 2),
        visiting_place=world.community,
        host_place=world.li,
        status=ExchangeStatus.HELD,
        timezone="Asia/Taipei",
    )
    events = selectors.timeline(selectors.get_pairing(world.pairing.pk))
    assert back.pk in {e.obj.pk for e in events if e.kind == "exchange"}
