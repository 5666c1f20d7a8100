"""A small copy of the demo visit (the Yanqing and Haidian groups) built with factories,
for tests that must not wait for the full demo."""

import datetime as dt
from zoneinfo import ZoneInfo

from civicbridge.core import script
from civicbridge.directory.models import Gender, OrganisationKind, PlaceKind, Position, Region
from civicbridge.exchanges.models import ActivityKind, MemberRole, TimePrecision
from civicbridge.forums.models import Forum, ForumTopic, Topic
from civicbridge.twinning.models import Appointment
from tests.factories import (
    ActivityFactory,
    ExchangeFactory,
    GroupFactory,
    MemberFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2016, 4, 22)


def at(hour, minute=0):
    return dt.datetime(2016, 4, 22, hour, minute, tzinfo=SHANGHAI)


def place(name, parent, kind, region, short=""):
    p = PlaceFactory(name=name, parent=parent, kind=kind, region=region)
    if short:
        p.short_name = short
        p.short_name_hans = script.convert_name(short, script.HANS)
        p.short_name_hant = script.convert_name(short, script.HANT)
        p.save()
    return p


def build_mini_demo():
    """Return a dict of the records: exchange, groups, the 大屯里 appointment, …"""
    tw = Region.TAIPEI
    bj = Region.BEIJING
    taipei = place("臺北市", None, PlaceKind.CITY, tw)
    beitou = place("北投區", taipei, PlaceKind.DISTRICT, tw)
    datun = place("大屯里", beitou, PlaceKind.LI, tw)
    yongming = place("永明里", beitou, PlaceKind.LI, tw)
    zhongzheng = place("中正區", taipei, PlaceKind.DISTRICT, tw)
    banxi = place("板溪里", zhongzheng, PlaceKind.LI, tw)
    beijing = place("北京市", None, PlaceKind.CITY, bj)
    yanqing = place("延庆区", beijing, PlaceKind.DISTRICT, bj)
    rulin = place("儒林街道", yanqing, PlaceKind.SUBDISTRICT, bj)
    kangan = place("康安社区居委会", rulin, PlaceKind.COMMUNITY, bj, short="康安社区")
    baiquan = place("百泉街道", yanqing, PlaceKind.SUBDISTRICT, bj)
    zxn = place("振兴南社区居委会", baiquan, PlaceKind.COMMUNITY, bj, short="振兴南社区")
    haidian = place("海淀区", beijing, PlaceKind.DISTRICT, bj)
    tiancun = place("田村路街道", haidian, PlaceKind.SUBDISTRICT, bj)
    fusi = place("阜石路第四社区居委会", tiancun, PlaceKind.COMMUNITY, bj, short="阜四社区")

    association = OrganisationFactory(
        name="台北市里长联谊会总会", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    exchange = ExchangeFactory(
        title="台北市里长联谊会总会基层参访团北京参访",
        visiting_place=taipei,
        host_place=beijing,
        visiting_organisation=association,
        declared_headcount=50,
        timezone="Asia/Shanghai",
    )
    yanqing_office = OrganisationFactory(name="延庆区台办", place=yanqing)
    g_yanqing = GroupFactory(
        exchange=exchange,
        name="延庆组",
        host_place=yanqing,
        host_organisation=yanqing_office,
        declared_headcount=13,
        order=4,
    )
    g_haidian = GroupFactory(
        exchange=exchange, name="海淀组", host_place=haidian, declared_headcount=12, order=1
    )

    qin = PersonFactory(name="勤荣辉", gender=Gender.MALE, home_place=datun, phone="0912-345-678")
    Position.objects.create(person=qin, title="里长", place=datun, start_date=dt.date(2014, 12, 25))
    he = PersonFactory(name="何丽玲", gender=Gender.FEMALE, home_place=yongming)
    Position.objects.create(
        person=he, title="里长", place=yongming, start_date=dt.date(2014, 12, 25)
    )
    huang = PersonFactory(name="黄国辉", gender=Gender.MALE, home_place=banxi)
    m_qin = MemberFactory(
        exchange=exchange,
        person=qin,
        role=MemberRole.LEADER,
        group=g_yanqing,
        home_place=datun,
        title="总会长",
    )
    MemberFactory(exchange=exchange, person=he, group=g_yanqing, home_place=yongming)
    m_huang = MemberFactory(
        exchange=exchange, person=huang, group=g_haidian, home_place=banxi, title="副会长"
    )
    g_yanqing.leader = m_qin
    g_yanqing.save()
    g_haidian.leader = m_huang
    g_haidian.save()

    qi = PersonFactory(name="祁金利", gender=Gender.MALE, phone="010-6910-0000")
    kangan_org = OrganisationFactory(
        name="康安社区居委会", kind=OrganisationKind.COMMUNITY_COMMITTEE, place=kangan
    )
    visit = ActivityFactory(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="参观振兴北社区硬件建设",
        starts_at=at(9),
        ends_at=at(10, 30),
        time_precision=TimePrecision.PART_OF_DAY,
        place=zxn,
    )
    visit.groups.add(g_yanqing)
    visit.hosts.add(qi)
    lunch = ActivityFactory(
        exchange=exchange,
        kind=ActivityKind.MEAL,
        title="午餐",
        starts_at=at(12),
        ends_at=at(13),
        time_precision=TimePrecision.EXACT,
        place=kangan,
    )
    lunch.groups.add(g_yanqing)
    forum_act = ActivityFactory(
        exchange=exchange,
        kind=ActivityKind.FORUM,
        title="延庆区“京台社区大讲堂”",
        starts_at=at(14),
        ends_at=at(16),
        time_precision=TimePrecision.PART_OF_DAY,
        place=kangan,
        venue=kangan_org,
    )
    forum_act.groups.add(g_yanqing)
    forum = Forum.objects.create(activity=forum_act, theme="交流共融，合作发展")
    for code in ("public-safety", "volunteering", "elderly-care", "funding"):
        ForumTopic.objects.create(forum=forum, topic=Topic.objects.get(code=code))
    h_visit = ActivityFactory(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="参观阜四社区文化小院",
        starts_at=at(9),
        ends_at=at(10),
        time_precision=TimePrecision.PART_OF_DAY,
        place=fusi,
    )
    h_visit.groups.add(g_haidian)

    a_qin = Appointment.objects.create(
        person=qin,
        community=kangan,
        person_place=datun,
        exchange=exchange,
        activity=forum_act,
        appointed_on=DAY,
        certificate_year=2016,
        certificate_number="2016-延庆-001",
    )
    a_he = Appointment.objects.create(
        person=he,
        community=zxn,
        person_place=yongming,
        exchange=exchange,
        activity=forum_act,
        appointed_on=DAY,
        certificate_year=2016,
        certificate_number="2016-延庆-002",
    )
    a_huang = Appointment.objects.create(
        person=huang,
        community=fusi,
        person_place=banxi,
        exchange=exchange,
        appointed_on=DAY,
        certificate_year=2016,
        certificate_number="2016-海淀-001",
    )
    return {
        "exchange": exchange,
        "yanqing": g_yanqing,
        "haidian": g_haidian,
        "forum": forum,
        "qin": qin,
        "appointment": a_qin,
        "appointments": [a_qin, a_he, a_huang],
        "activities": [visit, lunch, forum_act],
        "places": {"datun": datun, "yongming": yongming, "banxi": banxi, "kangan": kangan},
    }
