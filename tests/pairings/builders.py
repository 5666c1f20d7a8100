"""Small worlds for pairings tests, built through the services."""

import datetime as dt
from zoneinfo import ZoneInfo

from civicbridge.directory import services as directory
from civicbridge.directory.models import MAINLAND, TAIWAN, OrganisationKind, PlaceKind
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ActivityKind, ExchangeStatus, Side
from civicbridge.pairings import services as pairings

SHANGHAI = ZoneInfo("Asia/Shanghai")


class World:
    """Beijing 海淀区 田村路街道 阜四社区 and Taipei 中正區 板溪里, a chief, an exchange."""

    def __init__(self, n: int = 0):
        self.beijing = directory.create_place(
            name=f"北京市{n or ''}", kind=PlaceKind.CITY, side=MAINLAND, code=f"B{n}"
        )
        self.taipei = directory.create_place(
            name=f"臺北市{n or ''}", kind=PlaceKind.CITY, side=TAIWAN, code=f"T{n}"
        )
        self.haidian = directory.create_place(
            name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=self.beijing
        )
        self.street = directory.create_place(
            name="田村路街道",
            kind=PlaceKind.SUBDISTRICT,
            side=MAINLAND,
            parent=self.haidian,
        )
        self.community = directory.create_place(
            name="阜石路第四社区居委会",
            short_name="阜四社区",
            kind=PlaceKind.COMMUNITY,
            side=MAINLAND,
            parent=self.street,
        )
        self.zhongzheng = directory.create_place(
            name="中正區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=self.taipei
        )
        self.li = directory.create_place(
            name="板溪里", kind=PlaceKind.LI, side=TAIWAN, parent=self.zhongzheng
        )
        self.chief = directory.create_person(name="黃國輝", home_place=self.li)
        directory.add_position(
            person=self.chief,
            title="里長",
            place=self.li,
            start_date=dt.date(2014, 12, 25),
            end_date=dt.date(2026, 12, 24),
        )
        self.association = directory.create_organisation(
            name="臺北市里長聯誼會總會", kind=OrganisationKind.ASSOCIATION, place=self.taipei
        )
        self.exchange = exchanges.create_exchange(
            title="台北市里长联谊会总会基层参访团",
            start_date=dt.date(2016, 4, 22),
            end_date=dt.date(2016, 4, 22),
            visiting_organisation=self.association,
            visiting_place=self.taipei,
            host_place=self.beijing,
            status=ExchangeStatus.HELD,
        )
        exchanges.add_member(
            exchange=self.exchange, person=self.chief, side=Side.VISITING, home_place=self.li
        )
        self.visit = exchanges.create_activity(
            exchange=self.exchange,
            kind=ActivityKind.SITE_VISIT,
            title="参观阜四社区文化小院",
            starts_at=dt.datetime(2016, 4, 22, 9, 0, tzinfo=SHANGHAI),
            ends_at=dt.datetime(2016, 4, 22, 10, 0, tzinfo=SHANGHAI),
            place=self.community,
        )
        self.appointment = pairings.appoint(
            person=self.chief,
            community=self.community,
            appointed_on=dt.date(2016, 4, 22),
            exchange=self.exchange,
        )
        self.pairing = self.appointment.pairing
