"""A small world for permission tests, built through the services: Beijing with two
districts (海淀区, 延庆区), Taipei with a li, one exchange with a group in each district,
a member with personal data, a pairing, and one user per role and scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from civicbridge.accounts.services import assign_role, create_token
from civicbridge.directory import services as directory
from civicbridge.directory.models import MAINLAND, TAIWAN, OrganisationKind, PlaceKind
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ActivityKind
from civicbridge.pairings import services as pairings

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct horse battery staple"

PHONE = "13912345678"
PERMIT = "T98765432"


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2016, 4, day, hour, 0, tzinfo=SHANGHAI)


@dataclass
class World:
    beijing: object
    haidian: object
    yanqing: object
    street: object
    community: object
    other_community: object
    taipei: object
    daan: object
    li: object
    association: object
    other_org: object
    exchange: object
    other_exchange: object
    group_haidian: object
    group_yanqing: object
    activity_haidian: object
    activity_yanqing: object
    member: object
    person: object
    outsider: object
    pairing: object
    other_pairing: object
    users: dict
    tokens: dict


def user(username: str):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD
    )


def build() -> World:
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = directory.create_place(
        name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    yanqing = directory.create_place(
        name="延庆区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    street = directory.create_place(
        name="学院路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian
    )
    community = directory.create_place(
        name="石油大院社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=street
    )
    y_street = directory.create_place(
        name="百泉街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=yanqing
    )
    other_community = directory.create_place(
        name="湖南社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=y_street
    )
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    daan = directory.create_place(
        name="大安區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    li = directory.create_place(name="龍安里", kind=PlaceKind.LI, side=TAIWAN, parent=daan)
    li2 = directory.create_place(name="錦安里", kind=PlaceKind.LI, side=TAIWAN, parent=daan)
    association = directory.create_organisation(
        name="臺北市里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    other_org = directory.create_organisation(
        name="新北市里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    exchange = exchanges.create_exchange(
        title="基层参访团北京参访",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 23),
        visiting_organisation=association,
        visiting_place=taipei,
        host_place=beijing,
    )
    other_exchange = exchanges.create_exchange(
        title="另一次参访",
        start_date=dt.date(2016, 5, 2),
        end_date=dt.date(2016, 5, 2),
        visiting_organisation=other_org,
        visiting_place=taipei,
        host_place=beijing,
    )
    group_haidian = exchanges.create_group(exchange=exchange, name="第一组", host_place=haidian)
    group_yanqing = exchanges.create_group(exchange=exchange, name="第三组", host_place=yanqing)
    activity_haidian = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="参观石油大院社区",
        starts_at=at(22, 9),
        ends_at=at(22, 10),
        place=community,
        groups=[group_haidian],
    )
    activity_yanqing = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.MEETING,
        title="延庆座谈",
        starts_at=at(22, 14),
        ends_at=at(22, 16),
        place=other_community,
        groups=[group_yanqing],
    )
    person = directory.create_person(
        name="李里长", home_place=li, phone=PHONE, permit_number=PERMIT, email="li@example.tw"
    )
    member = exchanges.add_member(exchange=exchange, person=person, group=group_yanqing)
    outsider = directory.create_person(name="王外人", phone="0911000111", permit_number="X1234567")
    exchanges.add_member(exchange=other_exchange, person=outsider)
    pairing = pairings.create_pairing(
        place_a=community, place_b=li, started_on=dt.date(2016, 4, 22)
    )
    other_pairing = pairings.create_pairing(
        place_a=other_community, place_b=li2, started_on=dt.date(2016, 4, 22)
    )
    users = {
        "administrator": user("admin"),
        "organiser_haidian": user("org_haidian"),
        "organiser_yanqing": user("org_yanqing"),
        "coordinator": user("coordinator"),
        "coordinator_other": user("coordinator_other"),
        "community_member": user("community"),
        "viewer": user("viewer"),
        "nobody": user("nobody"),
    }
    assign_role(user=users["administrator"], role="administrator")
    assign_role(user=users["organiser_haidian"], role="organiser", place=haidian)
    assign_role(user=users["organiser_yanqing"], role="organiser", place=yanqing)
    assign_role(user=users["coordinator"], role="coordinator", organisation=association)
    assign_role(user=users["coordinator_other"], role="coordinator", organisation=other_org)
    assign_role(user=users["community_member"], role="community_member", place=community)
    assign_role(user=users["viewer"], role="viewer")
    tokens = {}
    for key, u in users.items():
        tokens[key] = create_token(user=u, label="tests", read_only=False)[1]
    tokens["viewer_read_only"] = create_token(user=users["viewer"], label="ro", read_only=True)[1]
    tokens["admin_read_only"] = create_token(
        user=users["administrator"], label="ro", read_only=True
    )[1]
    return World(
        beijing=beijing,
        haidian=haidian,
        yanqing=yanqing,
        street=street,
        community=community,
        other_community=other_community,
        taipei=taipei,
        daan=daan,
        li=li,
        association=association,
        other_org=other_org,
        exchange=exchange,
        other_exchange=other_exchange,
        group_haidian=group_haidian,
        group_yanqing=group_yanqing,
        activity_haidian=activity_haidian,
        activity_yanqing=activity_yanqing,
        member=member,
        person=person,
        outsider=outsider,
        pairing=pairing,
        other_pairing=other_pairing,
        users=users,
        tokens=tokens,
    )


def fresh(user_obj):
    """The user re-read (roles are cached on a user object)."""
    return get_user_model().objects.get(pk=user_obj.pk)
