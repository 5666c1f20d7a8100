"""The demo: the visit of 22 April 2016 as the source report (shared/seed) tells it.

Every fact comes from the report; nothing is invented. Where the report is silent (the
Mentougou group's leader, what the gifts were, exact clock times) the record says so: the
leader stays empty, the gift's description stays empty with a note, and activities known
only as 上午/下午 carry ``time_precision=part_of_day`` (nominal times, shown as 上午/下午).
Where the report names only a li, its chief comes from the li-chief register for that
date; where report and register disagree on a name, the register wins and the report's
spelling is kept as a note. Misspelt places are recorded under the right place, with the
report's spelling as an alias.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from civicbridge.directory import services as directory
from civicbridge.directory.models import (
    TAIPEI_CODE,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceAlias,
    PlaceKind,
    Position,
)
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    ActivityKind,
    Exchange,
    ExchangeOrganisation,
    ExchangeStatus,
    MemberRole,
    Side,
    TimePrecision,
)
from civicbridge.forums import services as forums
from civicbridge.forums.models import AgendaItem, Topic
from civicbridge.pairings import services as pairings

DAY = dt.date(2016, 4, 22)
TZ = ZoneInfo("Asia/Shanghai")
SOURCE = "《基层互动谱写交流合作新篇章》（2016年4月参访报道，shared/seed）"
TITLE = "台北市里长联谊会总会基层参访团北京参访（2016年4月22日）"
REPORT = "据参访报道"

# Beijing places by NBS code.
CODES = {
    "北京市": "11",
    "海淀区": "110108",
    "石景山区": "110107",
    "门头沟区": "110109",
    "延庆区": "110119",
    "田村路街道": "110108021",
    "香山街道": "110108016",
    "苹果园街道": "110107005",
    "八角街道": "110107003",
    "老山街道": "110107002",
    "八宝山街道": "110107001",
    "百泉街道": "110119001",
    "儒林街道": "110119003",
    "大峪街道": "110109001",
    "城子街道": "110109002",
    "龙泉地区": "110109007",
    "阜四社区": "110108021014",
    "南植社区": "110108016008",
    "西山枫林第一社区": "110107005035",
    "八角北里社区": "110107003007",
    "老山东里社区": "110107002013",
    "四季园社区": "110107001012",
    "振兴南社区": "110119001005",
    "振兴北社区": "110119001004",
    "康安社区": "110119003001",
    "峪园社区": "110109001030",
    "龙门新区三区": "110109002022",
    "龙泉务社区": "110109007006",
}

# The twelve li of the report: (district, li as the register spells it, report's spelling).
LI = {
    "板溪里": ("中正區", "板溪里", "板溪里"),
    "建倫里": ("大安區", "建倫里", "建伦里"),
    "綠堤里": ("萬華區", "綠堤里", "绿堤里"),
    "龍田里": ("松山區", "龍田里", "龙田里"),
    "鵬程里": ("松山區", "鵬程里", "鹏程里"),
    "慈祐里": ("松山區", "慈祐里", "慈佑里"),
    "大屯里": ("北投區", "大屯里", "大屯里"),
    "永明里": ("北投區", "永明里", "永明里"),
    "富光里": ("士林區", "富光里", "富光里"),
    "四育里": ("信義區", "四育里", "四育里"),
    "六合里": ("信義區", "六合里", "六合里"),
    "玉成里": ("南港區", "玉成里", "玉成里"),
}


class DemoError(Exception):
    pass


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=TZ)


class _Loader:
    def __init__(self):
        self.places: dict[str, Place] = {}
        self.orgs: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}
        self.members = {}
        forums.ensure_topics()
        self.topics = {t.code: t for t in Topic.objects.all()}

    # --- places ------------------------------------------------------------------------
    def resolve_places(self):
        by_code = {p.code: p for p in Place.objects.filter(code__in=CODES.values())}
        missing = [name for name, code in CODES.items() if code not in by_code]
        if missing:
            raise DemoError(
                "The directory lacks "
                + "、".join(missing)
                + ". Run `civicbridge import_directory` first."
            )
        for name, code in CODES.items():
            self.places[name] = by_code[code]
        taipei = Place.objects.filter(code=TAIPEI_CODE).first()
        if taipei is None:
            raise DemoError("The directory lacks 臺北市. Run `civicbridge import_directory` first.")
        self.places["臺北市"] = taipei
        in_taipei = Place.objects.within(taipei)
        for key, (district, li, _spelling) in LI.items():
            self.places[key] = in_taipei.get(kind=PlaceKind.LI, parent__name=district, name=li)
        for district in (
            "中正區",
            "大安區",
            "萬華區",
            "松山區",
            "北投區",
            "士林區",
            "信義區",
            "南港區",
        ):
            self.places[district] = in_taipei.get(kind=PlaceKind.DISTRICT, name=district)

        # The report's names for places the register spells otherwise.
        fusi = self.places["阜四社区"]
        directory.update_place(place=fusi, short_name="阜四社区")
        directory.add_place_alias(
            place=fusi,
            name="阜四社区",
            kind=PlaceAlias.Kind.COMMON,
            note="报道称“阜四社区”，即统计用区划中的阜石路第四社区居委会。",
        )
        directory.add_place_alias(
            place=self.places["慈祐里"],
            name="慈佑里",
            kind=PlaceAlias.Kind.SOURCE_SPELLING,
            note="报道写作“慈佑里”；里名依内政部资料为“慈祐里”。",
        )
        directory.add_place_alias(
            place=self.places["士林區"],
            name="土林区",
            kind=PlaceAlias.Kind.SOURCE_SPELLING,
            note="报道误作“土林区”，应为士林区。",
        )
        directory.add_place_alias(
            place=self.places["龙泉地区"],
            name="龙泉镇",
            kind=PlaceAlias.Kind.COMMON,
            note="报道称“龙泉镇”；统计用区划代码中登记为龙泉地区（龙泉镇与龙泉地区办事处同址）。",
        )
        directory.add_place_alias(
            place=self.places["龙门新区三区"],
            name="龙门新区三区",
            kind=PlaceAlias.Kind.COMMON,
            note="报道称“城子街道龙门新区三区”。",
        )
        # Pilot communities: the report calls these three 延庆京台交流试点社区.
        for name in ("康安社区", "振兴南社区", "振兴北社区"):
            place = self.places[name]
            if not place.is_pilot:
                directory.update_place(
                    place=place,
                    is_pilot=True,
                    note=(place.note + "\n" if place.note else "")
                    + "报道称其为“延庆京台交流试点社区”，试点起始年份未载明。",
                )

    # --- organisations -------------------------------------------------------------------
    def org(self, key, name, kind, place, **extra):
        self.orgs[key] = directory.get_or_create_organisation(
            name=name, kind=kind, place=place, **extra
        )
        return self.orgs[key]

    def create_organisations(self):
        P = self.places
        K = OrganisationKind
        assoc = self.org(
            "总会",
            "台北市里长联谊会总会",
            K.ASSOCIATION,
            P["臺北市"],
            note="报道亦写作“台北市里长联谊总会”。",
        )
        self.org("北京市台办", "北京市台办", K.GOVERNMENT_OFFICE, P["北京市"])
        self.org("北京市社会办", "北京市社会办", K.GOVERNMENT_OFFICE, P["北京市"])
        self.org("研究中心", "北京海峡两岸社区发展研究中心", K.RESEARCH_CENTRE, P["北京市"])
        for district in ("海淀区", "石景山区", "门头沟区"):
            self.org(f"{district}台办", f"{district}台办", K.GOVERNMENT_OFFICE, P[district])
        for district in ("海淀区", "门头沟区"):
            self.org(f"{district}社会办", f"{district}社会办", K.GOVERNMENT_OFFICE, P[district])
        self.org("延庆区委", "中共北京市延庆区委", K.PARTY_COMMITTEE, P["延庆区"])
        self.org(
            "延庆区委宣传部",
            "中共北京市延庆区委宣传部",
            K.PARTY_COMMITTEE,
            P["延庆区"],
            parent=self.orgs["延庆区委"],
        )
        self.org(
            "延庆区委统战部",
            "中共北京市延庆区委统战部",
            K.PARTY_COMMITTEE,
            P["延庆区"],
            parent=self.orgs["延庆区委"],
        )
        V = K.VENUE
        self.org(
            "阜四小院",
            "阜四社区文化小院",
            V,
            P["阜四社区"],
            short_name="阜四小院",
            description="即阜四社区文化中心，由社区一处年久失修的自行车棚改建而来；海淀区推动社区文化治理的标志性品牌。",
        )
        self.org("植物科普馆", "植物科普馆", V, P["海淀区"], note="报道未写明所在街道。")
        self.org("议事厅", "八角北里社区民主协商议事厅", V, P["八角北里社区"])
        self.org("养老中心", "八角北里社区养老中心", V, P["八角北里社区"])
        self.org(
            "法海寺",
            "法海寺",
            V,
            P["石景山区"],
            description="全国重点文物保护单位，有国宝级的明代艺术壁画。",
        )
        self.org("科普一条街", "振兴南社区科普一条街", V, P["振兴南社区"])
        self.org("温馨家园", "康安社区温馨家园", V, P["康安社区"])
        self.org("延庆西湖", "延庆西湖", V, P["延庆区"])
        self.org("世园会", "2019年世界园艺博览会主场地", V, P["延庆区"])
        self.org("延庆博物馆", "延庆博物馆", V, P["延庆区"])
        self.org("延庆规划馆", "延庆规划馆", V, P["延庆区"])
        self.org(
            "龙泉务小学",
            "龙泉务小学",
            K.SCHOOL,
            P["龙泉务社区"],
            description="具有百年历史的村小学。",
        )
        self.org(
            "童子大鼓老会",
            "童子大鼓老会",
            K.CULTURAL_GROUP,
            P["龙泉务社区"],
            description="北京市级非物质文化遗产传承项目，由龙泉务小学学生表演。",
        )
        self.org("旅游港湾", "龙泉务村旅游港湾", V, P["龙泉务社区"])
        self.org("蝴蝶园", "北京花露蝴蝶园", K.ENTERPRISE, P["门头沟区"])
        self.org(
            "巧娘工作室", "社区蝴蝶画巧娘工作室", V, P["龙泉务社区"], parent=self.orgs["蝴蝶园"]
        )
        return assoc

    # --- people ------------------------------------------------------------------------
    def li_chief(self, li_key: str) -> Person:
        """The li's chief on the day, by the register (directory.resolution)."""
        from civicbridge.directory.resolution import resolve_li_chief

        li = self.places[li_key]
        found = resolve_li_chief(li, on=DAY)
        if found.person is None:
            raise DemoError(f"The li-chief register has no chief of {li.name} on {DAY}.")
        self.people[li_key] = found.person
        return found.person

    def official(self, key, name, titles):
        person = Person.objects.filter(name=name, positions__source=REPORT).first()
        if person is None:
            person = directory.create_person(name=name, note="见于2016年4月22日参访报道。")
        for title, org_key in titles:
            if not Position.objects.filter(
                person=person, title=title, organisation=self.orgs[org_key]
            ).exists():
                directory.add_position(
                    person=person,
                    title=title,
                    organisation=self.orgs[org_key],
                    start_date=None,
                    end_date=None,
                    source=REPORT,
                    note=f"{DAY:%Y-%m-%d} 在任（据报道）。",
                )
        self.people[key] = person
        return person

    def create_people(self):
        for li in LI:
            self.li_chief(li)
        assoc = self.orgs["总会"]
        titles = [
            ("大屯里", "总会长", "报道称“勤荣辉总会长”，延庆组中称“勤荣辉会长”。"),
            ("板溪里", "副会长", "报道称“台北市里长联谊会总会副会长、板溪里里长黄国辉”。"),
            ("慈祐里", "会长", "报道称“李祖民会长”率松山区参访团，未写明所任会长之会。"),
            (
                "建倫里",
                "会长",
                "报道称“参访团三位会长”介绍中正区、大安区、万华区，所任会长之会未写明。",
            ),
            (
                "綠堤里",
                "会长",
                "报道称“参访团三位会长”介绍中正区、大安区、万华区，所任会长之会未写明。",
            ),
        ]
        for li, title, note in titles:
            person = self.people[li]
            if not Position.objects.filter(person=person, title=title, organisation=assoc).exists():
                directory.add_position(
                    person=person, title=title, organisation=assoc, source=REPORT, note=note
                )
        self.official("曹宇明", "曹宇明", [("主任", "海淀区社会办")])
        self.official("王锋", "王锋", [("主任", "海淀区台办")])
        self.official(
            "祁金利",
            "祁金利",
            [("区委常委", "延庆区委"), ("部长", "延庆区委宣传部"), ("部长", "延庆区委统战部")],
        )
        self.official("周博华", "周博华", [("主任", "门头沟区台办")])
        self.official("王培兰", "王培兰", [("主任", "门头沟区社会办")])
        deng = Person.objects.filter(name="邓秀梅", note__contains="北京花露蝴蝶园").first()
        self.people["邓秀梅"] = deng or directory.create_person(
            name="邓秀梅",
            gender="F",
            note="北京花露蝴蝶园邓秀梅女士（报道未写明职务），与参访团探讨社区蝴蝶画巧娘工作室的运作。",
        )

    # --- the exchange --------------------------------------------------------------------
    def create_exchange(self) -> Exchange:
        P, org = self.places, self.orgs
        exchange = exchanges.create_exchange(
            title=TITLE,
            start_date=DAY,
            end_date=DAY,
            visiting_organisation=org["总会"],
            visiting_place=P["臺北市"],
            host_place=P["北京市"],
            status=ExchangeStatus.HELD,
            declared_headcount=50,
            timezone="Asia/Shanghai",
            summary=(
                "4月22日，由勤荣辉总会长率领的台北市里长联谊会总会基层参访团一行50人，与北京市台办、"
                "北京市社会办以及北京海峡两岸社区发展研究中心的工作人员一同来到海淀区、石景山区、门头沟区、"
                "延庆区进行参访。参访团分成四个组，分别参观访问了各区京台试点街道和社区，并与北京基层社区干部"
                "交流畅谈，举办了四场“京台社区大讲堂”活动。"
            ),
            source=SOURCE,
            note="报道载明参访团50人，点名12人（均为里长）；其余团员姓名未载。陪同单位工作人员姓名未载。",
        )
        for key in ("北京市台办", "北京市社会办", "研究中心"):
            exchanges.add_exchange_organisation(
                exchange=exchange, organisation=org[key], role=ExchangeOrganisation.Role.ESCORT
            )
        for key in (
            "海淀区台办",
            "海淀区社会办",
            "石景山区台办",
            "门头沟区台办",
            "门头沟区社会办",
            "延庆区委",
        ):
            exchanges.add_exchange_organisation(
                exchange=exchange, organisation=org[key], role=ExchangeOrganisation.Role.HOST
            )
        return exchange

    def add_members(self, exchange):
        P, org = self.places, self.orgs
        roster = [
            (
                "大屯里",
                MemberRole.LEADER,
                "总会长、大屯里里长",
                "报道写作“秦荣辉”（大屯里里长）；据里长名册为勤榮輝，并与“勤荣辉总会长”为同一人。",
            ),
            ("板溪里", MemberRole.MEMBER, "副会长、板溪里里长", ""),
            ("建倫里", MemberRole.MEMBER, "会长、建伦里里长", ""),
            ("綠堤里", MemberRole.MEMBER, "会长、绿堤里里长", ""),
            ("龍田里", MemberRole.MEMBER, "龙田里里长", "报道只写“龙田里里长”；姓名据里长名册。"),
            ("鵬程里", MemberRole.MEMBER, "鹏程里里长", "报道只写“鹏程里里长”；姓名据里长名册。"),
            ("慈祐里", MemberRole.MEMBER, "会长、慈祐里里长", "报道写作“慈佑里”。"),
            ("永明里", MemberRole.MEMBER, "永明里里长", ""),
            ("富光里", MemberRole.MEMBER, "富光里里长", "报道写作“土林区富光里”，应为士林区。"),
            ("四育里", MemberRole.MEMBER, "四育里里长", "报道只写“四育里”里长；姓名据里长名册。"),
            ("六合里", MemberRole.MEMBER, "六合里里长", "报道只写“六合里”里长；姓名据里长名册。"),
            ("玉成里", MemberRole.MEMBER, "玉成里里长", "报道只写“玉成里”里长；姓名据里长名册。"),
        ]
        for li, role, title, note in roster:
            self.members[li] = exchanges.add_member(
                exchange=exchange,
                person=self.people[li],
                role=role,
                side=Side.VISITING,
                title=title,
                organisation=org["总会"],
                home_place=P[li],
                note=note,
            )

    def create_groups(self, exchange):
        P, org, M = self.places, self.orgs, self.members
        spec = [
            (
                "海淀",
                "海淀区参访组",
                "海淀区",
                "海淀区台办",
                "板溪里",
                12,
                "建立常态互访机制，谱写交流合作新篇章",
                ["板溪里", "建倫里", "綠堤里"],
                "报道称“副会长黄国辉一行12人”。",
            ),
            (
                "石景山",
                "松山区参访团",
                "石景山区",
                "石景山区台办",
                "慈祐里",
                12,
                "京台社区取长补短，共建两岸美好家园",
                ["龍田里", "鵬程里", "慈祐里"],
                "报道称“台北市里长联谊总会松山区参访团一行12人在李祖民会长的率领下”。",
            ),
            (
                "延庆",
                "延庆区参访组",
                "延庆区",
                None,
                "大屯里",
                13,
                "促进京台常来常往，增进基层交往融合",
                ["大屯里", "永明里", "富光里"],
                "报道称“勤荣辉会长一行13人”；报道未写明延庆区接待单位。",
            ),
            (
                "门头沟",
                "信义区、南港区里长参访团",
                "门头沟区",
                "门头沟区台办",
                None,
                13,
                "深化大讲堂交流平台，促进长久合作发展",
                ["四育里", "六合里", "玉成里"],
                "报道称“信义区、南港区里长参访团一行13人”，未写明带队人。",
            ),
        ]
        groups = {}
        for key, name, district, host_org, leader, count, headline, member_keys, note in spec:
            group = exchanges.create_group(
                exchange=exchange,
                name=name,
                host_place=P[district],
                host_organisation=org[host_org] if host_org else None,
                leader=M[leader] if leader else None,
                declared_headcount=count,
                headline=headline,
                note=note,
            )
            for mk in member_keys:
                exchanges.assign_member_to_group(member=M[mk], group=group)
            groups[key] = group
        return groups

    def activity(self, exchange, group, kind, title, start, end, **kw):
        kw.setdefault("time_precision", TimePrecision.PART_OF_DAY)
        return exchanges.create_activity(
            exchange=exchange,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=end,
            groups=[group],
            **kw,
        )

    def forum(self, activity, theme, speakers, agenda, topics, outcomes, summary=""):
        forum = forums.create_forum(activity=activity, theme=theme, summary=summary)
        made = {}
        for key, side, who, title, said in speakers:
            kwargs = {}
            if isinstance(who, Person):
                kwargs["person"] = who
            elif isinstance(who, Organisation):
                kwargs["organisation"] = who
            else:
                kwargs["place"] = who
            made[key] = forums.add_speaker(
                forum=forum, side=side, title=title, summary=said, **kwargs
            )
        for kind, title, speaker_keys, description in agenda:
            forums.add_agenda_item(
                forum=forum,
                kind=kind,
                title=title,
                speakers=[made[k] for k in speaker_keys],
                description=description,
            )
        forums.set_forum_topics(
            forum=forum, topics=[(self.topics[code], wording) for code, wording in topics]
        )
        outs = [forums.add_outcome(forum=forum, text=text) for text in outcomes]
        return forum, outs

    def appoint(self, exchange, activity, community_key, li_key, note=""):
        return pairings.appoint(
            person=self.people[li_key],
            community=self.places[community_key],
            appointed_on=DAY,
            activity=activity,
            exchange=exchange,
            person_place=self.places[li_key],
            note=note,
        )

    # --- the four groups' days -------------------------------------------------------------
    def haidian(self, exchange, group):
        P, org, H = self.places, self.orgs, self.people
        A, S, V = ActivityKind, Side.HOST, Side.VISITING
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "参观田村路街道阜四社区文化小院",
            at(9),
            at(10),
            place=P["阜四社区"],
            venue=org["阜四小院"],
            description="了解阜四小院的前世今生以及在促进和谐社区建设中发挥的积极作用。小院以文化为手段，以各类社会组织为纽带，"
            "成为推进社区教育、促进邻里和谐的重要文化平台，致力于改善日渐疏离的邻里关系，打造老旧小区“一刻钟文化服务圈”，"
            "赢得了参访团的一致赞赏。",
        )
        forum_activity = self.activity(
            exchange,
            group,
            A.FORUM,
            "京台社区大讲堂走进海淀谱新章",
            at(10),
            at(12),
            place=P["田村路街道"],
            hosts=[H["王锋"], H["曹宇明"]],
            note="报道未写明会场；记于田村路街道。",
        )
        forum, outcomes = self.forum(
            forum_activity,
            "走进海淀谱新章",
            speakers=[
                (
                    "黄",
                    V,
                    H["板溪里"],
                    "台北市里长联谊会总会副会长、板溪里里长",
                    "介绍中正区的城市风情和台北社区营造的人文魅力。",
                ),
                (
                    "林",
                    V,
                    H["建倫里"],
                    "会长、建伦里里长",
                    "介绍大安区的城市风情和台北社区营造的人文魅力。",
                ),
                (
                    "邱",
                    V,
                    H["綠堤里"],
                    "会长、绿堤里里长",
                    "介绍万华区的城市风情和台北社区营造的人文魅力。",
                ),
                (
                    "田村路",
                    S,
                    P["田村路街道"],
                    "田村路街道社区干部",
                    "讲述了发生在社区里和居民身边的那些人、那些事。",
                ),
                (
                    "曹",
                    S,
                    H["曹宇明"],
                    "海淀区社会办主任",
                    "就参访团关心的问题做了解答，重点介绍了海淀区社会建设和社区治理现状。",
                ),
                (
                    "王",
                    S,
                    H["王锋"],
                    "海淀区台办主任",
                    "社区治理是两岸文化交流向纵深拓展的一个新领域、新话题。海峡两岸同根同源、同文同种，在基层社区工作中有很多共同语言，"
                    "今后双方可建立常态化的互访机制和沟通渠道，进一步促进京台社区交流与合作发展。",
                ),
            ],
            agenda=[
                (
                    AgendaItem.Kind.PRESENTATION,
                    "京台双方基层工作者代表介绍各自地区及社区的情况和特点",
                    ["田村路", "黄", "林", "邱"],
                    "",
                ),
                (
                    AgendaItem.Kind.PRESENTATION,
                    "台北社区营造经验分享",
                    ["黄", "林", "邱"],
                    "重点分享了当地社区产业链的发展、美食文化、社区养老模式等推动社区福利及保障事业发展的经验。",
                ),
                (
                    AgendaItem.Kind.DISCUSSION,
                    "京台两地社会治理结构、社区志愿服务、弱势群体救助和经费保障等问题深入探讨",
                    [],
                    "",
                ),
                (AgendaItem.Kind.QA, "就参访团关心的问题作解答", ["曹"], ""),
                (AgendaItem.Kind.SPEECH, "海淀区台办主任讲话", ["王"], ""),
                (AgendaItem.Kind.GIFT_EXCHANGE, "双方互赠礼物", [], ""),
                (
                    AgendaItem.Kind.CEREMONY,
                    "社区荣誉主任聘任仪式",
                    [],
                    "田村路街道阜四社区向三位里长颁发社区荣誉主任聘书。",
                ),
                (AgendaItem.Kind.GROUP_PHOTO, "集体合影", [], ""),
            ],
            topics=[
                ("governance", "社会治理结构"),
                ("community-economy", "社区产业链"),
                ("food-culture", "美食文化"),
                ("elderly-care", "社区养老模式"),
                ("volunteering", "社区志愿服务"),
                ("vulnerable-groups", "弱势群体救助"),
                ("funding", "经费保障"),
            ],
            outcomes=[
                "参访团认同社区“弱化办公，强化服务”的理念，并邀请北京的街道赴台交流。",
                "海淀区台办主任王锋提议：双方建立常态化的互访机制和沟通渠道，推动京台社区合作。",
            ],
        )
        pairings.create_commitment(
            title="建立常态化的互访机制和沟通渠道",
            description="海淀区台办主任王锋在“京台社区大讲堂”上提出：今后双方可建立常态化的互访机制和沟通渠道。",
            outcome=outcomes[1],
            owner_organisation=org["海淀区台办"],
            owner_person=H["王锋"],
        )
        pairings.create_commitment(
            title="北京街道到台湾交流经验",
            description="参访团希望北京街道也能多到台湾交流经验。",
            outcome=outcomes[0],
            owner_organisation=org["总会"],
        )
        note = "报道未写明礼品；“双方互赠礼物”，受赠方按本组接待单位记录。"
        exchanges.record_gift(
            exchange=exchange,
            activity=forum_activity,
            giver_organisation=org["总会"],
            recipient_organisation=org["海淀区台办"],
            note=note,
        )
        exchanges.record_gift(
            exchange=exchange,
            activity=forum_activity,
            giver_organisation=org["海淀区台办"],
            recipient_organisation=org["总会"],
            note=note,
        )
        for li in ("板溪里", "建倫里", "綠堤里"):
            self.appoint(exchange, forum_activity, "阜四社区", li)
        exchanges.add_photo(
            exchange=exchange,
            activity=forum_activity,
            caption="海淀区“京台社区大讲堂”举行社区荣誉主任聘任仪式并集体合影。",
            taken_on=DAY,
        )
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "参观植物科普馆",
            at(14),
            at(15),
            venue=org["植物科普馆"],
            place=P["海淀区"],
        )
        self.activity(
            exchange,
            group,
            A.MEETING,
            "与香山街道南植社区交流座谈",
            at(15),
            at(17),
            place=P["南植社区"],
            description="交流活动在融洽的氛围中圆满结束。",
        )

    def shijingshan(self, exchange, group):
        P, org, H = self.places, self.orgs, self.people
        A, S, V = ActivityKind, Side.HOST, Side.VISITING
        day = TimePrecision.DAY
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "参观苹果园街道西山枫林第一社区",
            at(9),
            at(10),
            place=P["西山枫林第一社区"],
            time_precision=day,
            description="参访团对社区防灾救护、科学知识教育、小区环境建设赞叹不已。",
        )
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "观摩八角北里社区民主协商议事厅居民议事",
            at(10),
            at(10, 45),
            place=P["八角北里社区"],
            venue=org["议事厅"],
            time_precision=day,
        )
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "参观八角北里社区养老中心",
            at(10, 45),
            at(11, 30),
            place=P["八角北里社区"],
            venue=org["养老中心"],
            time_precision=day,
        )
        forum_activity = self.activity(
            exchange,
            group,
            A.FORUM,
            "2016京台社区大讲堂（石景山区）",
            at(14),
            at(16),
            place=P["八角北里社区"],
            time_precision=day,
        )
        office = org["石景山区台办"]
        forum, _ = self.forum(
            forum_activity,
            "相聚石景山 交流促发展 建设美好家园",
            speakers=[
                ("龙田", V, H["龍田里"], "松山区龙田里里长", "分享台北社区总体营造的情况和经验。"),
                ("鹏程", V, H["鵬程里"], "松山区鹏程里里长", "分享台北社区总体营造的情况和经验。"),
                ("慈祐", V, H["慈祐里"], "松山区慈祐里里长", "分享台北社区总体营造的情况和经验。"),
                (
                    "八角北里",
                    S,
                    P["八角北里社区"],
                    "八角街道八角北里社区",
                    "介绍石景山区社区养老特色工作。",
                ),
                (
                    "老山东里",
                    S,
                    P["老山东里社区"],
                    "老山街道老山东里社区",
                    "介绍石景山区志愿服务特色工作。",
                ),
                (
                    "四季园",
                    S,
                    P["四季园社区"],
                    "八宝山街道四季园社区",
                    "介绍石景山区综合治理特色工作。",
                ),
                (
                    "台办",
                    S,
                    office,
                    "石景山区台办主任",
                    "我们要把两岸社区交流作为相互了解的重要平台，让两地社区工作者有更多的交流学习机会。两岸社区各有优势，应相互学习，"
                    "取长补短，共同提升社区治理水平，建设两岸美好家园。",
                ),
            ],
            agenda=[
                (
                    AgendaItem.Kind.PRESENTATION,
                    "台北社区总体营造的情况和经验",
                    ["龙田", "鹏程", "慈祐"],
                    "",
                ),
                (
                    AgendaItem.Kind.PRESENTATION,
                    "石景山区社区养老、志愿服务、综合治理等特色工作",
                    ["八角北里", "老山东里", "四季园"],
                    "三个社区分别介绍。",
                ),
                (
                    AgendaItem.Kind.CEREMONY,
                    "聘请三位里长为社区荣誉主任",
                    [],
                    "聘请松山区龙田里、鹏程里、慈佑里三位里长分别为八角北里社区、老山东里社区、四季园社区荣誉主任。",
                ),
                (AgendaItem.Kind.SPEECH, "石景山区台办主任讲话", ["台办"], "报道未写明主任姓名。"),
            ],
            topics=[
                ("community-building", "社区总体营造"),
                ("elderly-care", "社区养老"),
                ("volunteering", "志愿服务"),
                ("governance", "综合治理"),
            ],
            outcomes=[
                "把两岸社区交流作为相互了解的重要平台，让两地社区工作者有更多的交流学习机会。"
            ],
            summary="在八角街道八角北里社区举办的2016京台社区大讲堂。",
        )
        for community, li in (
            ("八角北里社区", "龍田里"),
            ("老山东里社区", "鵬程里"),
            ("四季园社区", "慈祐里"),
        ):
            self.appoint(
                exchange,
                forum_activity,
                community,
                li,
                note="报道写作“慈佑里”。" if li == "慈祐里" else "",
            )
        exchanges.add_photo(
            exchange=exchange,
            activity=forum_activity,
            caption="石景山区“京台社区大讲堂”会场。",
            taken_on=DAY,
        )
        self.activity(
            exchange,
            group,
            A.CULTURAL_VISIT,
            "参观法海寺",
            at(16),
            at(17),
            venue=org["法海寺"],
            place=P["石景山区"],
            time_precision=day,
            description="浏览全国重点文物保护单位法海寺，观赏国宝级的明代艺术壁画。",
        )

    def yanqing(self, exchange, group):
        P, org, H = self.places, self.orgs, self.people
        A, S, V = ActivityKind, Side.HOST, Side.VISITING
        qi = H["祁金利"]
        first = self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "考察百泉街道振兴北社区硬件建设",
            at(9),
            at(10),
            place=P["振兴北社区"],
            participants=[qi],
            description="延庆区委常委、宣传部长、统战部部长祁金利陪同。",
        )
        self.activity(
            exchange,
            group,
            A.PERFORMANCE,
            "观看振兴北社区文艺展演",
            at(10),
            at(10, 30),
            place=P["振兴北社区"],
            participants=[qi],
        )
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "参观百泉街道振兴南社区科普一条街",
            at(10, 30),
            at(11),
            place=P["振兴南社区"],
            venue=org["科普一条街"],
            participants=[qi],
        )
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "走访儒林街道，参观康安社区环境建设和康安社区温馨家园",
            at(11),
            at(12),
            place=P["康安社区"],
            venue=org["温馨家园"],
            description="了解了延庆居民日常丰富多彩的社区文化生活。",
        )
        exchanges.add_photo(
            exchange=exchange,
            activity=first,
            caption="台北市里长联谊总会参访团在延庆区实地考察。",
            taken_on=DAY,
        )
        forum_activity = self.activity(
            exchange, group, A.FORUM, "延庆区“京台社区大讲堂”", at(14), at(16), place=P["康安社区"]
        )
        forum, _ = self.forum(
            forum_activity,
            "交流共融，合作发展",
            speakers=[
                ("勤", V, H["大屯里"], "北投区大屯里里长", "介绍里开展工作的经验做法。"),
                ("何", V, H["永明里"], "北投区永明里里长", "介绍里开展工作的经验做法。"),
                ("许", V, H["富光里"], "士林区富光里里长", "介绍里开展工作的经验做法。"),
                (
                    "康安",
                    S,
                    P["康安社区"],
                    "延庆京台交流试点社区主任",
                    "介绍社区开展工作的经验做法。",
                ),
                (
                    "振兴南",
                    S,
                    P["振兴南社区"],
                    "延庆京台交流试点社区主任",
                    "介绍社区开展工作的经验做法。",
                ),
                (
                    "振兴北",
                    S,
                    P["振兴北社区"],
                    "延庆京台交流试点社区主任",
                    "介绍社区开展工作的经验做法。",
                ),
            ],
            agenda=[
                (
                    AgendaItem.Kind.PRESENTATION,
                    "京台三位里长与三位社区主任介绍社区（里）工作经验做法",
                    ["勤", "何", "许", "康安", "振兴南", "振兴北"],
                    "报道称“台北基层参访团三位里长”，未点名；记为本组三位里长。",
                ),
                (
                    AgendaItem.Kind.DISCUSSION,
                    "社区治安、志愿服务、为老服务、经费保障等内容交流",
                    [],
                    "",
                ),
                (AgendaItem.Kind.CEREMONY, "聘请三位里长为社区荣誉主任", [], ""),
            ],
            topics=[
                ("public-safety", "社区治安"),
                ("volunteering", "志愿服务"),
                ("elderly-care", "为老服务"),
                ("funding", "经费保障"),
            ],
            outcomes=["双方表达了促进今后京台社区间常来常往的愿望。"],
            summary="康安社区举办，主题为“交流共融，合作发展”。",
        )
        for community, li, note in (
            (
                "康安社区",
                "大屯里",
                "报道写作“大屯里里长秦荣辉”；据里长名册，2016年4月大屯里里长为勤榮輝。",
            ),
            ("振兴南社区", "永明里", ""),
            ("振兴北社区", "富光里", "报道写作“土林区富光里”，应为士林区。"),
        ):
            self.appoint(exchange, forum_activity, community, li, note=note)
        for title, key, start, end in (
            ("参观延庆西湖", "延庆西湖", at(16), at(16, 30)),
            ("参观2019年世界园艺博览会主场地", "世园会", at(16, 30), at(17)),
            ("参观延庆博物馆", "延庆博物馆", at(17), at(17, 30)),
            ("参观延庆规划馆", "延庆规划馆", at(17, 30), at(18)),
        ):
            self.activity(
                exchange,
                group,
                A.CULTURAL_VISIT,
                title,
                start,
                end,
                venue=org[key],
                place=P["延庆区"],
                description="了解延庆区的风土人情、历史文化和未来规划。",
            )

    def mentougou(self, exchange, group):
        P, org, H = self.places, self.orgs, self.people
        A, S, V = ActivityKind, Side.HOST, Side.VISITING
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "龙泉镇龙泉务社区实地考察",
            at(9),
            at(10),
            place=P["龙泉务社区"],
        )
        self.activity(
            exchange,
            group,
            A.SITE_VISIT,
            "参访龙泉务小学",
            at(10),
            at(10, 30),
            place=P["龙泉务社区"],
            venue=org["龙泉务小学"],
            description="具有百年历史的村小学。",
        )
        self.activity(
            exchange,
            group,
            A.PERFORMANCE,
            "观看童子大鼓老会表演",
            at(10, 30),
            at(11),
            place=P["龙泉务社区"],
            venue=org["龙泉务小学"],
            description="学生们表演的市级非物质文化遗产传承项目——童子大鼓老会。",
        )
        self.activity(
            exchange,
            group,
            A.MEETING,
            "龙泉务村旅游港湾考察社区文化建设并与居民交流",
            at(11),
            at(12),
            place=P["龙泉务社区"],
            venue=org["旅游港湾"],
            participants=[H["邓秀梅"]],
            description="同社区居民互动交流，并与北京花露蝴蝶园邓秀梅女士探讨了社区蝴蝶画巧娘工作室的运作情况。",
        )
        forum_activity = self.activity(
            exchange,
            group,
            A.FORUM,
            "门头沟区“京台社区大讲堂”",
            at(14),
            at(16),
            place=P["门头沟区"],
            hosts=[H["周博华"], H["王培兰"]],
            note="报道未写明会场与主题。",
        )
        forum, outcomes = self.forum(
            forum_activity,
            "",
            speakers=[
                (
                    "周",
                    S,
                    H["周博华"],
                    "门头沟区台办主任",
                    "台湾社区营造有很多值得我们学习借鉴的地方，北京社区建设也有很多好的做法值得交流和推广，希望我们把社区大讲堂作为一个有效平台，"
                    "在学习中共同发展，在交流中彼此融合。",
                ),
                (
                    "四育",
                    V,
                    H["四育里"],
                    "信义区四育里里长",
                    "表达对门头沟区基层社区建设实地考察的良好印象，介绍台湾社区营造经验。",
                ),
                (
                    "六合",
                    V,
                    H["六合里"],
                    "信义区六合里里长",
                    "表达对门头沟区基层社区建设实地考察的良好印象，介绍台湾社区营造经验。",
                ),
                (
                    "玉成",
                    V,
                    H["玉成里"],
                    "南港区玉成里里长",
                    "表达对门头沟区基层社区建设实地考察的良好印象，介绍台湾社区营造经验。",
                ),
                ("峪园", S, P["峪园社区"], "大峪街道峪园社区主任", "分享社区建设的特点亮点。"),
                (
                    "龙门",
                    S,
                    P["龙门新区三区"],
                    "城子街道龙门新区三区主任",
                    "分享社区建设的特点亮点。",
                ),
                ("龙泉务", S, P["龙泉务社区"], "龙泉镇龙泉务社区主任", "分享社区建设的特点亮点。"),
                (
                    "王",
                    S,
                    H["王培兰"],
                    "门头沟区社会办主任",
                    "两年来，门头沟区在京台两地社区建设方面进行了广泛的交流，今年的京台社区大讲堂是在过去基础上的深化与拓展，"
                    "相信京台两地社区站在新的起点上，将有更多更长久的合作与发展。",
                ),
            ],
            agenda=[
                (AgendaItem.Kind.SPEECH, "致辞", ["周"], ""),
                (
                    AgendaItem.Kind.PRESENTATION,
                    "台北三位里长谈考察印象、介绍台湾社区营造经验",
                    ["四育", "六合", "玉成"],
                    "",
                ),
                (
                    AgendaItem.Kind.PRESENTATION,
                    "门头沟三位社区主任分享社区建设特点亮点",
                    ["峪园", "龙门", "龙泉务"],
                    "",
                ),
                (
                    AgendaItem.Kind.DISCUSSION,
                    "社区文化、社区养老、环境美化、居民参与度等问题交流讨论",
                    [],
                    "",
                ),
                (AgendaItem.Kind.CEREMONY, "聘请三位里长为社区荣誉主任", [], ""),
                (AgendaItem.Kind.SPEECH, "总结", ["王"], ""),
            ],
            topics=[
                ("community-culture", "社区文化"),
                ("elderly-care", "社区养老"),
                ("environment", "环境美化"),
                ("resident-participation", "居民参与度"),
                ("community-building", "台湾社区营造"),
            ],
            outcomes=[
                "认为两岸社区建设有很多值得各自学习借鉴的东西，这样的深入交流应该更多一些。",
                "把社区大讲堂作为一个有效平台，在学习中共同发展，在交流中彼此融合。",
            ],
        )
        pairings.create_commitment(
            title="把京台社区大讲堂作为有效的交流平台持续办下去",
            description="门头沟区台办主任周博华致辞：希望我们把社区大讲堂作为一个有效平台，在学习中共同发展，在交流中彼此融合。",
            outcome=outcomes[1],
            owner_organisation=org["门头沟区台办"],
            owner_person=H["周博华"],
        )
        for community, li in (
            ("峪园社区", "四育里"),
            ("龙门新区三区", "六合里"),
            ("龙泉务社区", "玉成里"),
        ):
            self.appoint(exchange, forum_activity, community, li)
        exchanges.add_photo(
            exchange=exchange,
            activity=forum_activity,
            caption="门头沟区“京台社区大讲堂”会场。",
            taken_on=DAY,
        )


# The demo's own directory rows (names, codes and kinds of the few dozen places it needs,
# and the terms of its twelve li chiefs), in the national files' formats: a clone with no
# shared/data beside it still records the whole visit.
BUNDLED_DIRECTORY = Path(__file__).with_name("directory")
# With the national files at hand the demo loads these subtrees (Beijing, Taipei); see
# README ("The directory") for why not the whole country, which import-directory adds.
DEMO_SUBTREES = ("11", TAIPEI_CODE)


def _directory_ready() -> bool:
    codes = {*CODES.values(), TAIPEI_CODE}
    if Place.objects.filter(code__in=codes).count() < len(codes):
        return False
    return Position.objects.filter(place__code__startswith=TAIPEI_CODE, title="里長").exists()


def ensure_directory(*, stdout=None) -> str:
    """Load what the demo needs of the directory, unless it is there: the Beijing and Taipei
    subtrees of the national files in CIVICBRIDGE_DATA_DIR, or, without them, the demo's
    own rows. Returns "present", "national" or "bundled"."""
    from django.conf import settings

    from civicbridge.directory.importers import import_directory, missing_files

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    if _directory_ready():
        return "present"
    data_dir = Path(settings.CIVICBRIDGE_DATA_DIR)
    if not missing_files(data_dir, DEMO_SUBTREES):
        report = import_directory(data_dir, only=DEMO_SUBTREES)
        say(
            f"Loaded {report.total:,} directory records of Beijing and Taipei from {data_dir}. "
            "`civicbridge import-directory` adds the rest of the country."
        )
        return "national"
    report = import_directory(BUNDLED_DIRECTORY)
    say(
        f"The reference data is not in {data_dir}: loaded the demo's own "
        f"{report.total:,} directory records instead. For the whole directory (every mainland "
        "community and Taiwan village, and the li chiefs), put the data files there (or set "
        "CIVICBRIDGE_DATA_DIR to their folder) and run `civicbridge import-directory`."
    )
    return "bundled"


def demo_exchange() -> Exchange | None:
    return Exchange.objects.filter(title=TITLE, start_date=DAY).first()


@transaction.atomic
def load_demo() -> Exchange:
    """Record the visit. Refuses to load twice."""
    if demo_exchange() is not None:
        raise DemoError("The demo visit is already loaded.")
    loader = _Loader()
    loader.resolve_places()
    loader.create_organisations()
    loader.create_people()
    exchange = loader.create_exchange()
    loader.add_members(exchange)
    groups = loader.create_groups(exchange)
    loader.haidian(exchange, groups["海淀"])
    loader.shijingshan(exchange, groups["石景山"])
    loader.yanqing(exchange, groups["延庆"])
    loader.mentougou(exchange, groups["门头沟"])
    pairings.create_commitment(
        title="促进今后京台社区间常来常往",
        description="延庆区：经过一天的交流活动，双方表达了促进今后京台社区间常来常往的愿望。",
        exchange=exchange,
        owner_organisation=loader.orgs["总会"],
    )
    return exchange


__all__ = ["DemoError", "ValidationError", "demo_exchange", "load_demo"]
