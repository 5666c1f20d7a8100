import pytest

from civicbridge.demo.visit2016 import DemoError, load_demo
from civicbridge.directory.models import Place, PlaceKind
from civicbridge.exchanges.models import ActivityKind, ExchangeStatus
from civicbridge.exchanges.selectors import itinerary_conflicts
from civicbridge.forums.models import Forum
from civicbridge.pairings.models import Appointment, Pairing

# (li chief per the register, li, district, appointing community's code) from the report
APPOINTMENTS = {
    ("黃國輝", "板溪里", "中正區", "110108021014"),
    ("林正達", "建倫里", "大安區", "110108021014"),
    ("邱郁惠", "綠堤里", "萬華區", "110108021014"),
    ("袁俊麒", "龍田里", "松山區", "110107003007"),
    ("許顏建", "鵬程里", "松山區", "110107002013"),
    ("李祖民", "慈祐里", "松山區", "110107001012"),
    ("勤榮輝", "大屯里", "北投區", "110119003001"),
    ("何麗玲", "永明里", "北投區", "110119001005"),
    ("許振通", "富光里", "士林區", "110119001004"),
    ("連圀堂", "四育里", "信義區", "110109001030"),
    ("全宏強", "六合里", "信義區", "110109002022"),
    ("黃聰智", "玉成里", "南港區", "110109007006"),
}


def test_demo_exchange_holds_the_delegation_honestly(demo):
    assert demo.status == ExchangeStatus.HELD
    assert demo.declared_headcount == 50
    assert demo.members.count() == 12
    assert demo.visiting_organisation.name_hant == "臺北市里長聯誼會總會"
    escorts = set(
        demo.organisations.filter(role="escort").values_list("organisation__name", flat=True)
    )
    assert escorts == {"北京市台办", "北京市社会办", "北京海峡两岸社区发展研究中心"}


def test_demo_groups_have_hosts_leaders_and_headcounts(demo):
    groups = [
        (
            g.host_place.name,
            g.declared_headcount,
            g.leader.person.name if g.leader else None,
            g.members.count(),
        )
        for g in demo.groups.order_by("order")
    ]
    assert groups == [
        ("海淀区", 12, "黃國輝", 3),
        ("石景山区", 12, "李祖民", 3),
        ("延庆区", 13, "勤榮輝", 3),
        ("门头沟区", 13, None, 3),
    ]


def test_demo_appointments_agree_with_report_and_register(demo):
    rows = {
        (a.person.name, a.person_place.name, a.person_place.parent.name, a.community.code)
        for a in Appointment.objects.select_related("person", "person_place__parent", "community")
    }
    assert rows == APPOINTMENTS
    assert all(a.community.kind == PlaceKind.COMMUNITY for a in Appointment.objects.all())


def test_demo_keeps_the_reports_spelling_as_a_note(demo):
    appointment = Appointment.objects.get(person_place__name="大屯里")
    assert "秦荣辉" in appointment.note
    assert appointment.person.name == "勤榮輝"


def test_demo_records_misspelt_places_under_the_right_place(demo):
    assert Place.objects.get(aliases__name="土林区").name == "士林區"
    assert Place.objects.get(aliases__name="慈佑里").name == "慈祐里"
    assert Place.objects.get(aliases__name="阜四社区").name == "阜石路第四社区居委会"


def test_demo_has_four_forums_with_the_reports_themes(demo):
    themes = sorted(Forum.objects.values_list("theme", flat=True))
    assert themes == sorted(
        ["走进海淀谱新章", "相聚石景山 交流促发展 建设美好家园", "交流共融，合作发展", ""]
    )
    # Topics discussed, with the report's wording (社区营造, what the li chiefs told of, is none).
    topics = {f.theme: f.topic_mentions.count() for f in Forum.objects.all()}
    assert topics == {
        "走进海淀谱新章": 7,
        "相聚石景山 交流促发展 建设美好家园": 3,
        "交流共融，合作发展": 4,
        "": 4,
    }


def test_demo_appointments_create_twelve_pairings(demo):
    assert Pairing.objects.count() == 12
    assert Pairing.objects.filter(place_a__code="110108021014").count() == 3


def test_demo_itinerary_has_no_conflicts(demo):
    assert itinerary_conflicts(demo) == []
    assert demo.activities.filter(kind=ActivityKind.FORUM).count() == 4
    assert demo.activities.filter(kind=ActivityKind.CULTURAL_VISIT).count() == 5


def test_demo_loads_only_once(demo):
    with pytest.raises(DemoError):
        load_demo()


def test_demo_records_one_exchange_of_gifts_with_nothing_said_of_what(demo):
    """双方互赠礼物 at the 海淀 forum: one exchange, given by 阜四社区 (as the report names it,
    a place), received by the association; the report does not say what was given."""
    gifts = [
        (
            g.giver_wording,
            g.giver_organisation,
            g.recipient_organisation.name,
            g.description,
            g.activity.forum.theme,
        )
        for g in demo.gifts.select_related("recipient_organisation", "activity__forum")
    ]
    assert gifts == [("阜四社区", None, "台北市里长联谊会总会", "", "走进海淀谱新章")]


def test_demo_visits_venues_not_rooms_of_a_community(demo):
    """Rooms visited (议事厅, 温馨家园, 科普一条街) are no venues: their activities are at the
    community. The 阜四小院 is visited as a venue (at 阜四社区), from its subdistrict."""
    venues = sorted(
        demo.activities.filter(venue__isnull=False).values_list("venue__name", flat=True)
    )
    assert venues == sorted(
        [
            "阜四社区文化小院",
            "植物科普馆",
            "八角北里社区养老中心",
            "法海寺",
            "延庆西湖",
            "2019年世界园艺博览会主场地",
            "延庆博物馆",
            "延庆规划馆",
            "龙泉务小学",
            "龙泉务小学",
            "龙泉务村旅游港湾",
            "北京花露蝴蝶园",
        ]
    )
    rooms = demo.activities.filter(title__contains="议事厅") | demo.activities.filter(
        title__contains="温馨家园"
    )
    # 八角北里社区, 康安社区
    assert sorted(a.place.code for a in rooms) == ["110107003007", "110119003001"]
    xiaoyuan = demo.activities.get(venue__name="阜四社区文化小院")
    # at 田村路街道; the 小院 at 阜四社区
    assert (xiaoyuan.place.code, xiaoyuan.venue.place.code) == ("110108021", "110108021014")
