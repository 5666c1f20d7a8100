"""Small records for the documents' tests, built through the services."""

import datetime as dt
from zoneinfo import ZoneInfo

from civicbridge.directory import services as directory
from civicbridge.directory.models import MAINLAND, TAIWAN, OrganisationKind, PlaceKind
from civicbridge.exchanges import services as exchanges

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour, minute=0, day=22):
    return dt.datetime(2016, 4, day, hour, minute, tzinfo=SHANGHAI)


def build_small_exchange():
    """Taipei (three districts, six li), Beijing (延庆区, a community), an exchange with one
    group and one activity."""
    tw, bj = TAIWAN, MAINLAND
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=tw)
    lis = {}
    for district, names in {
        "北投區": ["大屯里", "永明里"],
        "松山區": ["慈祐里", "龍田里"],
        "信義區": ["四育里", "六合里"],
    }.items():
        d = directory.create_place(name=district, kind=PlaceKind.DISTRICT, side=tw, parent=taipei)
        for li in names:
            lis[li] = directory.create_place(name=li, kind=PlaceKind.LI, side=tw, parent=d)
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=bj)
    yanqing = directory.create_place(
        name="延庆区", kind=PlaceKind.DISTRICT, side=bj, parent=beijing
    )
    street = directory.create_place(
        name="儒林街道", kind=PlaceKind.SUBDISTRICT, side=bj, parent=yanqing
    )
    kangan = directory.create_place(
        name="康安社区居委会",
        kind=PlaceKind.COMMUNITY,
        side=bj,
        parent=street,
        short_name="康安社区",
    )
    association = directory.create_organisation(
        name="台北市里长联谊会总会", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    exchange = exchanges.create_exchange(
        title="测试参访",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 22),
        visiting_organisation=association,
        visiting_place=taipei,
        host_place=beijing,
        declared_headcount=50,
    )
    group = exchanges.create_group(exchange=exchange, name="延庆区参访组", host_place=yanqing)
    host = directory.create_person(name="祁金利", phone="010-0000-0000")
    activity = exchanges.create_activity(
        exchange=exchange,
        kind="site_visit",
        title="参观康安社区",
        starts_at=at(9),
        ends_at=at(10, 30),
        place=kangan,
        groups=[group],
        hosts=[host],
    )
    return {
        "exchange": exchange,
        "group": group,
        "lis": lis,
        "kangan": kangan,
        "activity": activity,
        "host": host,
        "taipei": taipei,
    }
