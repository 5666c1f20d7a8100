"""A small world built through the services, for the exchange view and browser tests."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from civicbridge.directory import services as directory
from civicbridge.directory.models import MAINLAND, TAIWAN, OrganisationKind, PlaceKind
from civicbridge.exchanges import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct horse battery"  # noqa: S105

NAMES = ["黄国辉", "林正达", "邱郁惠", "勤荣辉", "陈美玲", "张志明"]


@dataclass
class World:
    beijing: object
    haidian: object
    shijingshan: object
    community: object
    taipei: object
    zhongzheng: object
    li: object
    association: object
    office: object
    people: list = field(default_factory=list)
    exchange: object = None


def make_world(*, with_exchange: bool = True) -> World:
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = directory.create_place(
        name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    shijingshan = directory.create_place(
        name="石景山区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    street = directory.create_place(
        name="田村路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian
    )
    community = directory.create_place(
        name="阜石路第四社区",
        short_name="阜四社区",
        kind=PlaceKind.COMMUNITY,
        side=MAINLAND,
        parent=street,
    )
    taipei = directory.create_place(name="台北市", kind=PlaceKind.CITY, side=TAIWAN)
    zhongzheng = directory.create_place(
        name="中正区", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    li = directory.create_place(name="板溪里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng)
    association = directory.create_organisation(
        name="台北市里长联谊会总会", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    office = directory.create_organisation(
        name="北京市台办", kind=OrganisationKind.GOVERNMENT_OFFICE, place=beijing
    )
    world = World(
        beijing, haidian, shijingshan, community, taipei, zhongzheng, li, association, office
    )
    world.people = [directory.create_person(name=n, home_place=li) for n in NAMES]
    if with_exchange:
        world.exchange = services.create_exchange(
            title="台北市里长联谊会总会基层参访团",
            start_date=dt.date(2016, 4, 22),
            end_date=dt.date(2016, 4, 22),
            visiting_organisation=association,
            visiting_place=taipei,
            host_place=beijing,
            declared_headcount=50,
        )
    return world


def at(hour: int, minute: int = 0, day: int = 22) -> dt.datetime:
    return dt.datetime(2016, 4, day, hour, minute, tzinfo=SHANGHAI)


def make_user(username: str = "organiser"):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD
    )
    _grant_organiser(user)
    return user


def _grant_organiser(user) -> None:
    """An administrator role, so the pages' permission checks (accounts.rules) let the user
    edit every exchange."""
    from civicbridge.accounts.services import assign_role

    assign_role(user=user, role="administrator")
