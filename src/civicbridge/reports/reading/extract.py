"""The report's facts, type by type (FACTS.md), each with its span in the text as read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from dataclasses import dataclass, field

from civicbridge.directory.models import Place, Position
from civicbridge.directory.resolution import CHIEF_TITLES, resolve_li_chief, resolve_place
from civicbridge.reports.reading import dates, people, places
from civicbridge.reports.reading.source import header_of
from civicbridge.reports.reading.text import ReportText

FORMAT = "civicbridge-report-facts"
VERSION = 1

_CN = r"(?:\d{1,4}|[〇零一二两三四五六七八九十百]+)"
GROUP_NOUNS = (
    r"(?:参访团|考察团|交流团|访问团|代表团|参观团|访台团|访问团|交流访问团|参访交流团|采风团)"
)
DELEGATION_SIZE = re.compile(
    rf"一行(?P<n>{_CN})人|共(?P<m>{_CN})人|(?P<k>{_CN})人(?:的)?{GROUP_NOUNS}"
)
DELEGATION_NOUN = re.compile(rf"(?P<org>[\u4e00-\u9fff“”—·\-]{{2,30}}?{GROUP_NOUNS})")
LEADER_BEFORE = re.compile(r"由(?P<who>[\u4e00-\u9fff]{2,20}?)(?:率领|带领|带队|领队)")
LEADER_AFTER = re.compile(r"(?P<who>[\u4e00-\u9fff]{2,24}?)(?:率领|带领|带队|率)")
# 团长由X担任 / 由X担任团长 / 团长为X
LEADER_ROLE = re.compile(
    r"(?:团长|领队)由(?P<a>[\u4e00-\u9fff]{2,24}?)(?:担任|出任)"
    r"|由(?P<b>[\u4e00-\u9fff]{2,24}?)(?:担任|出任)(?:团长|领队)"
    r"|(?:团长|领队)(?:为|是)(?P<c>[\u4e00-\u9fff]{2,24}?)(?=[，。；]|$)"
)
# Words that end the phrase before a delegation's name.
_ORG_START = re.compile(
    r".*(?:率领的|带领的|率领|带领|率|日|上午|下午|晚上|当日|当天|昨日|昨天|近日|日前|期间|，|。|、|：|；|\s|由|邀请|来自)",
    re.DOTALL,
)
_PLACE_ONLY = re.compile(r"^[\u4e00-\u9fff]{0,10}(?:台湾|大陆|省|市|县|区|镇|乡)$")
VISIT_VERBS = re.compile(
    r"(?:先后|首先|随后|还|又|分别|一同|实地)?"
    r"(?:参观考察|参观访问|考察调研|参观学习|参观|走访|考察|拜会|拜访|参访|来到|前往|深入到|深入|到访|造访|观摩|浏览|游览|调研|走进)"
    r"(?!团|者|人员|交流|活动|任务|期间|时|的)(?:了)?"
)
VISIT_STOP = re.compile(
    r"[，。；！？：\n]|后(?:返|回|离|结束|前往)|进行|开展|了解|听取|观看|与|并|就|实地|详细|深入了解|感受|体验|交流|座谈|参观|举办|举行|时|期间|等地|等处|等|"
    r"的(?:基本|发展|建设|工作|情况|历史|管理|成果|环境|特色)|硬件|软件"
)
GO_AND_VISIT = re.compile(
    r"(?:到|在|赴)(?P<x>[^到在赴，。；：\n]{2,40}?)(?:开展|进行)?(?:实地)?(?:参观|考察|参访|交流|做客|访问|调研|座谈|举办|举行|召开)"
)
MEET_AT = re.compile(
    r"与(?P<x>[^与，。；：\n]{3,30}?)(?:[\u4e00-\u9fff]{2,3}(?:女士|先生))?(?:进行了?|开展了?|探讨了?|座谈|交流)"
)
TALK_AT = re.compile(
    r"(?P<x>[^，。；：\n与和]{3,20}?(?:社区|居委会|村))(?:进行|开展|举行)了?(?:交流)?座谈"
)
# 察院场社区举行荣誉主任聘任仪式: an event held at a community, which is visited.
HELD_AT = re.compile(r"(?P<x>[^，。；：\n与和在]{3,24}?(?:社区|居委会|村))(?:隆重)?(?:举行|举办)")
AT_COMMUNITY = re.compile(r"在(?P<x>[^在，。；：\n]{3,30}?)(?=，|的办公室|里，|内，)")
# What a venue's name ends with (a place, a building, an institution).
VENUE_END = re.compile(
    r"(?:社区|居委会|村|里|馆|园|寺|庙|宫|院|中心|基地|公司|学校|小学|中学|大学|街|镇|协会|联谊会|会|港湾|古镇|"
    r"园区|农场|企业|工厂|广场|楼|站|湖|景区|老街|小院|书院|家园|民宿|世界|大厦|集团|酒厂|合作社|开发区|博物馆|"
    r"纪念馆|美术馆|展览馆|科技馆|图书馆|文化宫|礼堂|祠堂|故居|遗址|公园|山庄|农庄|工作室|超市|市场|医院|养老院|幼儿园|"
    r"场地|场馆|巷|巷子|陵|据点|古城|古村|码头|塔|阁|公所)$"
)
# A list of venues that starts by naming no place (当地社区的居民服务站), and facilities
# named by what they do, not by a name of their own (社区服务中心, 长者关怀据点).
_UNNAMED_PLACE = re.compile(r"(?:当地|各|该|这些|有关|相关|附近|周边|多个|一些|部分)")
_SOME_PLACES = re.compile(r"多个|几个|若干|部分|一些|^的")
_GENERIC_FACILITY = re.compile(
    r"(?:社区|长者|老年|老人|居民|青年|日间|党群|便民|综合|邻里|志愿|立|公所|政府|区公所)"
)
# Verbs of seeing a place (参观, 游览 …), and what may follow them as a sight's name.
_SIGHTSEEING = re.compile(r"参观|游览|走访|观摩|浏览")
_SIGHT = re.compile(
    r"^(?![\u4e00-\u9fff]*(?:部分|中的|平米|平方米|万|亩|社会$))[\u4e00-\u9fff]{2,12}$"
)
ROOM_END = re.compile(r"(?:室|厅|大厅|阵地|走廊|墙|长廊|一条街|服务站点|温馨家园)$")
_DESCRIPTOR = re.compile(
    r"^(?:全国重点文物保护单位|国家级|省级|市级|区级|著名的|知名的|具有[^的]{1,10}的|有着[^的]{1,10}的|正在[^的]{1,8}的|"
    r"位于[^的]{1,10}的)"
)
_LEADING_UNIT = re.compile(
    r"^[\u4e00-\u9fff]{1,4}?(?:镇|街道|乡)(?=[\u4e00-\u9fff]{2,8}(?:社区|村))"
)
_NOT_A_VENUE_WORD = re.compile(
    r"开展|进行|举办|参加|居民|干部|工作者|同胞|朋友|客人|负责人|代表|成员|领导|人员|签订|签署|结对|共同|^社区里?$"
)
# A clause telling of an earlier exchange (在五甲里与三板村开展村里交流后).
_EARLIER_CLAUSE = re.compile(r"在[^，。]{2,30}(?:开展|进行)[^，。]{0,6}交流后")


def same_venue_key(words: str) -> str:
    """Venues compared as the scorer does: 乾南社区居委会 is 乾南社区."""
    key = places.search.key_of(words)
    key = re.sub(r"(?:居民委员会|居委会|村民委员会|村委会)$", "", key)
    return key[:-2] if len(key) > 3 and key.endswith("社区") else key


LIST_SPLIT = re.compile(r"、|和|及|以及|与|，")
FORUM_NOUNS = (
    r"(?:京台社区大讲堂|大讲堂|论坛|座谈会|交流会|研讨会|恳谈会|分享会|交流座谈会|沙龙|讲座|工作坊)"
)
QUOTED = re.compile(r"“(?P<q>[^”]{2,40})”")
_VERBS_OF_TALK = (
    r"(?:交流|分享|介绍|探讨|学习|考察|了解|关注|重视|聚焦|涉及|讨论|交换|借鉴|互通|讲述|研讨)"
)
TOPIC_PATTERNS = [
    re.compile(
        r"就(?P<list>[^。；]{2,80}?)(?:等)?"
        r"(?:(?:问题|内容|方面|话题|议题|工作)?(?:与[^。；，、等]{2,12}?)?"
        r"(?:进行|开展|展开|作了|做了|深入|交换|互相)"
        # 就…等议题交流意见: a noun of talk, then the verb
        r"|(?:问题|话题|议题)(?:与[^。；，、等]{2,12}?)?(?:交流|沟通|探讨|座谈|讨论))"
    ),
    re.compile(r"在(?P<list>[^。；，]{2,60}?)等?方面"),
    re.compile(
        r"围绕(?P<list>[^。；，]{2,40}?)(?:等)?(?:话题|议题|问题)?(?:开展|进行|展开|主题|分享|交流|探讨|讨论)"
    ),
    re.compile(
        _VERBS_OF_TALK
        + r"(?:了)?(?P<list>[^。；，“”]{2,60}等[^。；，“”]{0,30}?)等?(?:方面|特色|重点)?(?:的)?(?:内容|经验|做法|情况|工作|理念|问题|运作|运行)"
    ),
    re.compile(_VERBS_OF_TALK + r"(?:了)?(?P<list>[^。；，“”]{2,60}?)等"),
    re.compile(
        _VERBS_OF_TALK
        + r"(?:了)?(?P<list>[^。；，“”]{2,24}?)(?:的)?(?:工作事项|理念|方法|工作方法|先进经验|好做法|做法|经验|模式)"
    ),
    re.compile(r"“(?P<list>[^”]{2,12})”(?:的)?(?:理念|做法|经验|模式)"),
]
_TOPIC_SPLIT = re.compile(r"、|，|以及|及|等|和(?!谐)|在|上")
_TOPIC_TRIM_HEAD = re.compile(
    r"^(?:了|京台两地|两岸|两地|双方|各自|当地|台湾的?|台北的?|大陆的?|加强|关于|有关|推进|推动|促进|开展|进一步|深化|"
    r"共同关注的|的)+"
)
_TOPIC_TRIM_TAIL = re.compile(
    r"(?:等|的|工作|问题|方面|情况|事项|内容|经验|做法|理念|的发展|模式|方法|特色|工作事项)+$"
)
_NOT_TOPICS = re.compile(
    r"^(?:管理|分享|建设|服务|工作|发展|交流|合作|社会|经验|情况|活动|问题|方面|内容|社区|基层|双方|大家|"
    r"两地|互动|沟通|了解|学习|做法|成功案例|新理念|新模式|理念|模式)$|表示|进行|认为|希望|我们|他们|一行|参访团|"
    r"考察团|签订|协议|里长|主任|书记|[0-9]|[（）()]|开展$|先进$|运作$"
)
ESCORT = [
    re.compile(r"与(?P<list>[^。，]{4,80}?)(?:的)?(?:工作人员|有关人员|负责同志|相关负责人)?一同"),
    re.compile(r"在(?P<list>[^。，]{4,60}?)(?:的)?(?:陪同|陪伴)下"),
    re.compile(r"(?P<list>[^。，]{4,40}?)(?:全程)?陪同"),
]
ORG_SUFFIX = re.compile(
    r"(?:台办|社会办|办公室|中心|协会|委员会|政府|局|部|会|联合会|研究会|基金会|学会|促进会|办)$"
)
APPOINTMENT_SENTENCE = re.compile(r"荣誉(?:主任|居委会主任|社区主任)")
FRIENDLY = re.compile(
    r"(?P<a>[^，。]{2,30}?)与(?P<b>[^，。]{2,30}?)(?:正式)?(?:缔结|结为|结成|建立)(?:了)?(?:友好社区|友好关系|友好|结对|对子|姊妹)"
)
AGREEMENT = re.compile(
    r"(?P<a>[^，。；]{2,30}?)与(?P<b>[^，。；]{2,30}?)(?:正式)?(?:签订|签署|签约|缔结)(?:了)?“?(?P<subject>[^，。；”]{0,20}?(?:协议|协议书|备忘录|意向书))"
)
GIFT = [
    re.compile(r"互赠(?:了)?(?P<what>礼物|纪念品|书画|锦旗)?"),
    re.compile(
        r"(?P<from>[^，。]{2,20}?)(?:向|给)(?P<to>[^，。]{2,20}?)(?:赠送|赠予|赠)(?:了)?(?P<what>[^，。]{1,20})"
    ),
    re.compile(r"“(?P<what>[^”]{2,20})”并?(?:赠送|赠予|赠)给(?P<to>[^，。]{2,20})"),
]
STATISTIC = re.compile(
    r"(?P<figure>\d{1,5}|[一二三四五六七八九十百两]+)(?:余|多)?(?P<counter>人次|个|名|位|批|次|对|年|户|家|场)(?P<unit>[^，。、；\d]{2,12}|(?<=人次)(?=[，。；]|$))"
)
# 成员单位共15家: what is counted, then the figure.
STATISTIC_AFTER_UNIT = re.compile(
    r"(?P<unit>[\u4e00-\u9fff]{2,8}?)(?:共计|共有|总数达|达到|共|达)(?P<figure>\d{1,5}|[一二三四五六七八九十百两]+)"
    r"(?:余|多)?(?P<counter>家|个|对|所|支)(?=[，。；]|$)"
)
STATISTIC_CONTEXT = re.compile(
    r"累计|共有|已有|先后|至今|已经|已连续|连续|结成|结对|共计|达到|总计|累积|已|新增|截至|迄今|年来|共选派|共组织|共接待"
)
_UNIT_END = re.compile(r"(?:分别|与|和|签约|开展|并|的|已|共|为|是|参加|来到|赴).*$")
RELATED = re.compile(
    r"(?:曾|此前|上月|去年|前年|早在|年初|今年\d{1,2}月)[^。]{0,30}?(?:赴|到|前往|访问|率团赴|率团到)(?P<where>[^，。、]{2,16}?)(?:参访|考察|访问|交流|进行|开展|，|。)"
)
# 在五甲里与三板村开展村里交流后 (an earlier exchange between two places).
RELATED_BETWEEN = re.compile(
    r"在(?P<who>[^在，。]{2,24}?)与(?P<where>[^，。]{2,16}?)(?:开展|进行)[^，。]{0,6}交流后"
)
# 斗门区委领导在上月赴台参访时专程上门拜访了许厝里
RELATED_CALL = re.compile(
    r"(?P<who>[^，。在]{2,16}?)(?:在)?(?:上月|去年|前年|此前|年初|曾经|曾)[^，。]{0,16}?(?:拜访|访问|参访|考察|走访)(?:了)?(?P<where>[^，。、]{2,12}?)(?=[，。]|$)"
)


@dataclass
class Reading:
    report: ReportText
    published: dt.date | None
    anchor: dt.date | None
    facts: list[dict] = field(default_factory=list)
    chains: list[places.Chain] = field(default_factory=list)
    host_side: str = ""

    def add(self, fact_type: str, span: tuple[int, int], /, **fields) -> dict:
        fact = {"type": fact_type, **{k: v for k, v in fields.items() if v not in (None, "", [])}}
        fact["span"] = [span[0], span[1]]
        self.facts.append(fact)
        return fact

    def words(self, start: int, end: int) -> str:
        return self.report.raw[start:end]


def _number(text: str | None) -> int | None:
    return dates.chinese_number(text) if text else None


def _strip_org(text: str) -> str:
    """The organisation's words at the end of ``text``: after the last word that cannot be
    part of a name (率领的, a date, punctuation); after 的 unless a place precedes it
    (来自台湾基隆市的里长参访团 keeps 台湾基隆市的)."""
    match = _ORG_START.match(text)
    text = text[match.end() :] if match else text
    if "的" in text:
        before, _of, after = text.rpartition("的")
        if not _PLACE_ONLY.match(before) and after:
            text = after
    return text


def _chains(reading: Reading) -> None:
    report = reading.report
    chains = places.chains_of(places.mentions(report))
    resolved: list[Place] = []
    for chain in chains:
        places.resolve_chain(chain, report, context=[])
        if chain.place is not None:
            area = places.area_of(chain)
            if area is not None:
                resolved.append(area)
    for index, chain in enumerate(chains):
        if chain.place is None:
            before = [places.area_of(c) for c in reversed(chains[:index]) if c.place is not None]
            context = []
            for area in [*before, *resolved]:
                if area is not None and area not in context:
                    context.append(area)
            # The cities above them too (东城区 after 西城区: both in 北京市).
            for area in list(context):
                for above in reversed(area.ancestors()):
                    if above not in context:
                        context.append(above)
            places.resolve_chain(chain, report, context=context[:8])
    reading.chains = chains


def _chains_in(reading: Reading, start: int, end: int) -> list[places.Chain]:
    return [c for c in reading.chains if c.start >= start and c.end <= end]


def _chief_named_after(folded: str, at: int) -> str | None:
    """The name after "里长" written right after a li (板溪里里长黄国辉), if any."""
    if not folded.startswith(("里长", "村长"), at):
        return None
    named = people.people_in(folded[at : at + 12])
    return named[0].name if named and named[0].start == 0 else None


def _term_anchor(reading: Reading) -> None:
    """A report with no year: the li chiefs it names (X里里长NAME) say which register term
    it falls in; a day inside every such term stands in for the report's date when reading
    the register (the date itself stays unknown: no date fact is made from it)."""
    if reading.anchor is not None:
        return
    folded = reading.report.folded
    spans: list[tuple[dt.date, dt.date]] = []
    for chain in reading.chains:
        if chain.place is None or chain.place.kind not in ("li", "village"):
            continue
        given = _chief_named_after(folded, chain.end)
        if not given:
            continue
        terms = [
            (p.start_date, p.end_date or dt.date.max)
            for p in Position.objects.filter(
                place=chain.place, title__in=CHIEF_TITLES
            ).select_related("person")
            if p.start_date
            and places.search.key_of(given)
            in {
                places.search.key_of(n)
                for n in (p.person.name, p.person.name_hans, p.person.name_hant)
                if n
            }
        ]
        if len(terms) == 1:
            spans.append(terms[0])
    if not spans:
        return
    start = max(s0 for s0, _e in spans)
    end = min(e0 for _s, e0 in spans)
    if start <= end:
        reading.anchor = start + (min(end, start + dt.timedelta(days=3650)) - start) / 2


def _date(reading: Reading) -> None:
    span = dates.exchange_span(reading.report, published=reading.published)
    if span:
        reading.add("date", span.at, start=span.start.isoformat(), end=span.end.isoformat())
        reading.anchor = span.start


def _delegation(reading: Reading) -> dict | None:
    folded = reading.report.folded
    best = None
    for match in DELEGATION_SIZE.finditer(folded):
        size = _number(match.group("n") or match.group("m") or match.group("k"))
        before_start = max(0, match.start() - 60)
        before = folded[before_start : match.start()]
        org = _strip_org(before)
        org_start = match.start() - len(org)
        named = people.people_in(org)
        leader = leader_title = None
        if named and named[-1].end == len(org):  # 里长黄桂坤一行20人: a person, not an organisation
            leader, leader_title = named[-1].name, named[-1].title
            org = ""
        best = (org, org_start, match.end(), size, leader, leader_title)
        break
    org_match = DELEGATION_NOUN.search(folded)
    if best is None and org_match is None:
        return None
    org, start, end, size, leader, leader_title = best or ("", 0, 0, None, None, None)
    if (not org or not re.search(GROUP_NOUNS + r"|会|协会|团", org)) and org_match:
        candidate = _strip_org(org_match.group("org"))
        org, start = candidate, org_match.end() - len(candidate)
        end = max(end, org_match.end())
    if not org:
        return None
    sentence = reading.report.sentence_at(start)
    if sentence and leader is None:
        text = sentence.folded
        match = LEADER_BEFORE.search(text) or LEADER_AFTER.search(text)
        if match:
            named = people.people_in(match.group("who"))
            if named:
                leader, leader_title = named[-1].name, named[-1].title
    if sentence and leader is None:
        # The leader's role named in this sentence or the next (参访团由X担任团长).
        following = reading.report.sentence_at(sentence.end + 1)
        for part in (sentence, following):
            match = LEADER_ROLE.search(part.folded) if part else None
            named = people.people_in(next(g for g in match.groups() if g)) if match else []
            if named:
                leader, leader_title = named[-1].name, named[-1].title
                break
    association = re.match(
        r"^(?P<org>.{3,30}?(?:联谊会总会|联谊总会|联谊会|总会|协会|联合会|促进会|委员会))(?:基层|里长|社区)?"
        + GROUP_NOUNS
        + "$",
        org,
    )
    if association:
        org = association.group("org")  # 台北市里长联谊会总会基层参访团: the association visits
    raw_org = reading.words(start, start + len(org))
    fact = reading.add(
        "delegation",
        (start, max(end, start + len(org))),
        organisation=raw_org,
        size=size,
        leader=_as_written(reading, leader),
        leader_title=_as_written(reading, leader_title),
    )
    visiting_side = _side_of_text(reading, start, start + len(org)) or (
        "taiwan" if re.search("台湾|台北|高雄|台中|台南|里长|新北|基隆", org) else "mainland"
    )
    reading.host_side = "mainland" if visiting_side == "taiwan" else "taiwan"
    return fact


def _as_written(reading: Reading, folded_words: str | None) -> str | None:
    """The report's own spelling of words found in the folded text."""
    if not folded_words:
        return folded_words
    index = reading.report.folded.find(folded_words)
    return reading.words(index, index + len(folded_words)) if index >= 0 else folded_words


def _side_of_text(reading: Reading, start: int, end: int) -> str:
    for chain in _chains_in(reading, start, end):
        if chain.place is not None:
            return chain.place.side_id
    return ""


# Words after a place name that make it part of a title or an organisation's name
# (斗门区委领导, 珠海市台办主任, 同安区——梧栖区论坛).
_INSIDE_A_NAME = re.compile(
    r"^(?:台办|区委|市委|县委|镇委|委|政府|人大|政协|统战|社会办|民政|党|书记|主任|区长|市长|县长|镇长|"
    r"副|常委|部长|联谊会|协会|代表|里长|邻长|“|——|—|两岸|同胞|籍|人|方面|海峡|文联|妇联|团委|"
    r"工商|商会|总工会|社工|教育|卫生|公安|分会|[\u4e00-\u9fff]{0,6}(?:团|会|办|局|部|处|所))"
)
_HOST_SENTENCE = re.compile(r"来到|到|赴|在|参观|考察|走访|访问|举办|举行|参访|走进|抵达|前往|交流")


def _hosts(reading: Reading) -> list[dict]:
    found: dict[int, dict] = {}
    folded = reading.report.folded
    for chain in reading.chains:
        if chain.place is None or chain.place.side_id != reading.host_side:
            continue
        area = places.area_of(chain)
        if area is None:
            continue
        local = places.is_local(chain.place)
        sentence = reading.report.sentence_at(chain.start)
        if sentence and (
            dates.OTHER_TIME.search(sentence.folded)
            or _EARLIER_CLAUSE.search(sentence.folded)
            or not _HOST_SENTENCE.search(sentence.folded)
        ):
            continue
        after = folded[chain.end : chain.end + 14]
        if not local and _INSIDE_A_NAME.match(after):
            continue  # 斗门区委领导, 珠海市台办: inside a title or an organisation's name
        if area.pk in found:
            continue
        mention = next(
            (
                m
                for m in chain.mentions
                if places.keyed(reading.report)[m.start : m.end]
                .replace("仲", "中")
                .startswith(
                    places.search.split_suffix(places.search.key_of(area.name_hans or area.name))[
                        0
                    ][:2]
                )
            ),
            chain.mentions[-1] if not local else chain.mentions[0],
        )
        found[area.pk] = {"span": (mention.start, mention.end), "place": area}
    # Bare names after a word of going or being (在厦门参加, 来同安参加).
    for match in re.finditer(
        r"(?:在|到|赴|来|抵达|前往|来到|走进)(?P<name>[\u4e00-\u9fff]{2,4}?)(?=参加|参观|参访|考察|交流|访问|出席|，|。)",
        folded,
    ):
        mention = places.bare_mentions(reading.report, [match.span("name")])
        if not mention:
            continue
        text = reading.words(*match.span("name"))
        resolution = resolve_place(text, side=reading.host_side, limit=3)
        best = resolution.best
        if best and best.place.kind in places.AREA_KINDS and best.place.pk not in found:
            found[best.place.pk] = {"span": match.span("name"), "place": best.place}
    # Bare names listed as places visited (走访了台北、台中、高雄、鹿港等地).
    for match in re.finditer(
        r"(?:走访了|访问了|到访|途经|前往|赴|到)(?P<list>[^。，]{2,40}?)等地", folded
    ):
        offset = match.start("list")
        spans = []
        for item in re.finditer(r"[^、和及与]+", match.group("list")):
            spans.append((offset + item.start(), offset + item.end()))
        for mention in places.bare_mentions(reading.report, spans):
            text = reading.words(mention.start, mention.end)
            resolution = resolve_place(text, side=reading.host_side, limit=3)
            if resolution.best and resolution.best.place.pk not in found:
                found[resolution.best.place.pk] = {
                    "span": mention.span,
                    "place": resolution.best.place,
                }
    facts = []
    # A city and a district below it both named: both are hosts (厦门, 同安区); a province is not.
    for item in found.values():
        place = item["place"]
        facts.append(
            reading.add("host", item["span"], place=reading.words(*item["span"]), code=place.code)
        )
    return facts


def _items(text: str, offset: int, keep=()):
    """(part, offset of the part) of a list written with 、, 和, 及, 与 or commas; never
    inside one of the spans ``keep`` (和平区, 和平里街道: a place's name holds 和)."""
    start = 0
    for separator in LIST_SPLIT.finditer(text):
        at = offset + separator.start()
        if any(s0 <= at < e0 for s0, e0 in keep):
            continue
        yield text[start : separator.start()], offset + start
        start = separator.end()
    yield text[start:], offset + start


def _venue(reading: Reading, start: int, end: int) -> tuple[str, int, str | None]:
    """The venue's words (leading areas dropped: 台北市文山区忠顺社区 → 忠顺社区) and code."""
    chains = _chains_in(reading, start, end)
    code = None
    if chains:
        chain = chains[0]
        if chain.start == start:
            # Drop the areas the chain starts with; keep from its first local mention on.
            local_start = next(
                (
                    m.start
                    for m, p in zip(chain.mentions, _pad(chain), strict=False)
                    if m.level in places.LOCAL_LEVELS and m.level != "subdistrict"
                ),
                None,
            )
            if local_start is not None:
                start = local_start
            if chain.end == end and chain.place is not None and places.is_local(chain.place):
                code = chain.place.code
    return reading.words(start, end), start, code


def _pad(chain):
    return list(chain.places) + [None] * (len(chain.mentions) - len(chain.places))


_NOT_VENUES_EXTRA = re.compile(r"^(?:两区|各区|该区|两地|各地|各街道|两个|这些|有关|相关)|的社区$")
_NOT_VENUES = re.compile(
    r"^(?:社区|街道|各区|当地|台湾|大陆|两岸|基层|活动|现场|这里|此|其|该)|京台试点"
)


def _venue_words(reading: Reading, start: int, end: int):
    """(start, end, code) of a venue inside [start, end): leading areas and descriptors
    dropped (台北市文山区忠顺社区 → 忠顺社区, 全国重点文物保护单位法海寺 → 法海寺); a room of
    a community gives the community (燕子山社区居委会为民服务大厅 → 燕子山社区居委会)."""
    folded = reading.report.folded
    text = folded[start:end]
    if "——" in text:
        start += text.rindex("——") + 2
    descriptor = _DESCRIPTOR.match(folded[start:end])
    if descriptor:
        start += descriptor.end()
    first = _chains_in(reading, start, end)
    if (
        first
        and 0 < first[0].start - start <= 4
        and places.bare_mentions(reading.report, [(start, first[0].start)])
    ):
        start = first[0].start  # 珠海斗门区…: a bare city name before the chain
    code = None
    local_end = None
    for chain in _chains_in(reading, start, end):
        if chain.start != start and local_end is None:
            break
        for mention in chain.mentions:
            if mention.level in ("community", "village", "li") or (
                mention is chain.mentions[-1]
                and chain.place is not None
                and places.is_local(chain.place)
                and chain.place.kind != "subdistrict"
            ):
                if local_end is None:
                    start = mention.start
                local_end = mention.end
                if (
                    chain.place is not None
                    and places.is_local(chain.place)
                    and mention is chain.mentions[-1]
                ):
                    code = chain.place.code
            elif local_end is None:
                start = mention.end
        break
    while start < end and folded[start] in "的之":
        start += 1  # 儒林街道的康安社区
    unit = _LEADING_UNIT.match(folded[start:end])
    if unit and not any(c.start == start for c in reading.chains):
        start += unit.end()  # 芦台镇光明社区 (芦台 is a street in the directory)
    rest = folded[local_end:end] if local_end else ""
    if local_end and rest and (ROOM_END.search(rest) or not VENUE_END.search(rest)):
        end = local_end  # a room, or words about the community: the community is the venue
    elif local_end and rest:
        code = None  # 八角北里社区养老中心: a venue in the community
    return start, end, code


def _community_before(reading: Reading, offset: int) -> str:
    """The words of the last community named before ``offset`` in its paragraph."""
    paragraph_start = reading.report.folded.rfind("\n", 0, offset) + 1
    for chain in reversed(reading.chains):
        if paragraph_start <= chain.start < offset and chain.mentions[-1].level == "community":
            last = chain.mentions[-1]
            return (
                reading.words(last.start, last.end - 2)
                if reading.words(last.start, last.end).endswith(("社区", "社區"))
                else reading.words(last.start, last.end)
            )
    return ""


def _visits(reading: Reading, groups: list[dict]) -> list[dict]:
    folded = reading.report.folded
    facts = []
    seen: dict[str, dict] = {}
    spans = []
    for verb in VISIT_VERBS.finditer(folded):
        rest_start = verb.end()
        stop = VISIT_STOP.search(folded, rest_start)
        rest_end = stop.start() if stop else len(folded)
        if 2 <= rest_end - rest_start <= 80:
            # 参观了X和Y: what is seen is a venue whatever its name ends with.
            spans.append((rest_start, rest_end, bool(_SIGHTSEEING.search(verb.group()))))
    for pattern in (GO_AND_VISIT, MEET_AT, AT_COMMUNITY, TALK_AT, HELD_AT):
        for match in pattern.finditer(folded):
            sentence = reading.report.sentence_at(match.start())
            if sentence and dates.OTHER_TIME.search(sentence.folded):
                continue
            spans.append((*match.span("x"), False))
    headline = _headline_span(reading.report)
    for rest_start, rest_end, seen_there in sorted(spans):
        if headline and headline[0] <= rest_start < headline[1]:
            continue  # the headline sums up what the text tells
        sentence = reading.report.sentence_at(rest_start)
        if sentence and (
            dates.OTHER_TIME.search(sentence.folded) or _EARLIER_CLAUSE.search(sentence.folded)
        ):
            continue
        if _UNNAMED_PLACE.match(folded, rest_start):
            continue  # 走访了当地社区的居民服务站: no place named
        names = [m.span for c in reading.chains for m in c.mentions]
        for part, offset in _items(folded[rest_start:rest_end], rest_start, keep=names):
            stripped = part.strip()
            offset += part.find(stripped) if stripped else 0
            part = stripped
            lead = VISIT_VERBS.match(part)
            if lead:
                offset += lead.end()
                part = part[lead.end() :]
            prefix = ""
            if part.startswith("社区") and VENUE_END.search(part) and not ROOM_END.search(part):
                prefix = _community_before(reading, offset)  # 社区养老中心 of 八角北里社区
            elif len(part) < 2 or _NOT_VENUES.search(part) or _NOT_VENUES_EXTRA.search(part):
                continue

            if _SOME_PLACES.search(part):
                continue  # 唐家墩街道的多个社区: no place named
            start, end, code = _venue_words(reading, offset, offset + len(part))
            if start > offset and not code and _GENERIC_FACILITY.match(folded, start):
                # 板桥区长者关怀据点: a facility named by its area keeps the area's name.
                area = next((m for c in reading.chains for m in c.mentions if m.end == start), None)
                if area is not None and area.start >= offset:
                    start = area.start
            words = folded[start:end]
            named = (
                VENUE_END.search(words)
                or code
                or (
                    seen_there
                    and _SIGHT.match(words)
                    and not places.bare_mentions(reading.report, [(start, end)])  # 台北、台中
                )
            )
            if len(words) < 2 or ROOM_END.search(words) or not named:
                continue
            if _NOT_A_VENUE_WORD.search(words):
                continue
            chains = _chains_in(reading, start, end)
            whole = (
                chains and chains[0].start == start and chains[-1].end == end and chains[-1].place
            )
            if whole and (not places.is_local(whole) or whole.kind == "subdistrict"):
                continue  # 来到海淀区: an area is a host, not a venue
            key = same_venue_key(prefix + words)
            if key in seen:
                if code and not seen[key].get("code"):
                    seen[key]["code"] = code
                continue
            group = _group_at(groups, start)
            venue = prefix + reading.words(start, end)
            seen[key] = reading.add("visit", (start, end), venue=venue, code=code, group=group)
            facts.append(seen[key])
    return facts


def _group_at(groups: list[dict], offset: int) -> str | None:
    current = None
    for group in groups:
        if group["span"][0] <= offset < group.get("_until", sys.maxsize):
            current = group.get("host") or group.get("name")
    return current


_SECTION = re.compile(r"(?m)^(?P<name>[\u4e00-\u9fff]{2,8}(?:区|县|市|线|组|团))[：:]")
_SUB_DELEGATION = re.compile(
    rf"(?P<who>[\u4e00-\u9fff、]{{2,40}}?)一行(?P<n>{_CN})人(?:来到|到|赴|走进|抵达|前往)(?P<where>[\u4e00-\u9fff]{{2,8}}?(?:区|县|市))"
)


# 分为三个小组：第一组12人由X带领，前往Y区…；第二组12人前往Z区… (groups told inline).
_SPLIT_INTO = re.compile(rf"分(?:成|为)(?:{_CN})(?:个)?(?:小)?(?:组|路|队)")
_INLINE_GROUP = re.compile(
    rf"(?P<name>第(?:{_CN})(?:小)?组|(?<![\u4e00-\u9fff])[一二三四五六](?:小)?组|另一组|其中一组|[A-D]组)"
    rf"(?:(?P<n>{_CN})人)?"
)


def _inline_groups(reading: Reading, total: int | None) -> list[dict]:
    folded = reading.report.folded
    facts = []
    for split in _SPLIT_INTO.finditer(folded):
        sentence = reading.report.sentence_at(split.start())
        if sentence is None:
            continue
        stop = folded.find("。", split.end())
        stop = stop if stop >= 0 else len(folded)
        found = [m for m in _INLINE_GROUP.finditer(folded, split.end(), stop) if m.group("name")]
        for index, match in enumerate(found):
            body_end = found[index + 1].start() if index + 1 < len(found) else stop
            size = _number(match.group("n")) if match.group("n") else None
            if size is not None and total is not None and size >= total:
                size = None
            leader = None
            body = folded[match.end() : body_end]
            lead = LEADER_BEFORE.search(body) or LEADER_AFTER.search(body)
            named = people.people_in(lead.group("who")) if lead else []
            if named:
                leader = _as_written(reading, named[-1].name)
            # Where the group goes: the first area its part of the sentence names.
            host = None
            for chain in _chains_in(reading, match.end(), body_end):
                area = next(
                    (m for m in chain.mentions if m.level not in ("community", "village", "li")),
                    None,
                )
                if area is not None:
                    host = reading.words(area.start, area.end)
                    break
            facts.append(
                reading.add(
                    "group",
                    match.span("name"),
                    name=reading.words(*match.span("name")),
                    host=host,
                    size=size,
                    leader=leader,
                    body=(match.end(), body_end),
                )
            )
    return facts


def _groups(reading: Reading, delegation: dict | None) -> list[dict]:
    folded = reading.report.folded
    if not re.search(rf"分(?:成|为)(?:{_CN})(?:个)?(?:小)?(?:组|团|分团|路|线)|分团|分组", folded):
        return []
    total = delegation.get("size") if delegation else None
    facts = []
    sections = list(_SECTION.finditer(folded))
    if not sections:
        inline = _inline_groups(reading, total)
        for fact in inline:
            # An area a group goes to is the group's, not a host of the whole exchange.
            start, end = fact.pop("body")
            fact["_until"] = end  # what the report tells after this part is the whole party's
            reading.facts[:] = [
                f
                for f in reading.facts
                if not (f["type"] == "host" and start <= f["span"][0] < end)
            ]
        return inline
    for index, section in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(folded)
        body = folded[section.end() : end]
        host = reading.words(section.start("name"), section.end("name"))
        size = leader = None
        sub = _SUB_DELEGATION.search(body)
        if sub:
            size = _number(sub.group("n"))
            named = people.people_in(sub.group("who"))
            if named:
                leader = _as_written(reading, named[-1].name)
        if size is None:
            match = re.search(rf"(?:一行|共)(?P<n>{_CN})人", body)
            size = _number(match.group("n")) if match else None
        if size is not None and total is not None and size >= total:
            size = None
        facts.append(
            reading.add(
                "group",
                (section.start("name"), section.end("name")),
                host=host,
                size=size,
                leader=leader,
            )
        )
    return facts


_NAMED_FORUM = re.compile(
    r"(?:参加|举办|举行|召开|出席|开展)(?:了)?(?P<theme>[^，。、“”在]{4,40}?" + FORUM_NOUNS + ")"
)


def _last_community_before(reading: Reading, offset: int, floor: int) -> str | None:
    """The last community named in [floor, offset) (a forum's host when the sentence names
    none: the community the group was visiting)."""
    for chain in reversed(reading.chains):
        if floor <= chain.start < offset and chain.mentions[-1].level == "community":
            last = chain.mentions[-1]
            if not any(
                word in reading.report.folded[last.start : last.end]
                for word in places._GENERIC_STEMS
            ):
                return reading.words(last.start, last.end)
    return None


_FORUM_WHERE = re.compile(r"在(?P<w>[^在，。]{2,30}?)(?:举办|举行|召开|开展|签订|签署)")
# 在同安大同东山古庙海峡两岸交流基地喜结秦晋之好: a venue, whatever happened there.
_FORUM_VENUE = re.compile(
    r"在(?P<w>[^在，。]{2,30}?(?:基地|中心|会堂|礼堂|广场|会议室|大厅|馆|社区|居委会))"
    r"(?=[^，。]{0,8}(?:举办|举行|召开|签|喜结|结为|缔结|进行|开展))"
)


def _forum_themes(sentence) -> list[tuple[str | None, tuple[int, int] | None, int]]:
    """(theme, span, where it is) of each forum a sentence names: a quoted theme next to a
    forum noun, or a forum named by its full name (参加同安区——梧棲区两岸社区治理论坛)."""
    text = sentence.folded
    out = []
    for quoted in QUOTED.finditer(text):
        words = quoted.group("q")
        clean = re.sub(r"^(?:京台社区大讲堂|大讲堂)", "", words)
        if re.fullmatch(FORUM_NOUNS, words) or not clean or re.search(GROUP_NOUNS + "$", words):
            continue
        after = text[quoted.end() : quoted.end() + 12]
        before = text[max(0, quoted.start() - 6) : quoted.start()]
        if re.search(r"组织[^，。]{0,12}参加", text[: quoted.start()]):
            continue  # 组织干部参加“两湖论坛”: others attend it, not this delegation
        if (
            re.search(FORUM_NOUNS + "|活动|为主题|为题|^(?:进行|举行|召开)?座谈", after)
            or re.search("主题|题为", before)
            or re.search(FORUM_NOUNS, words)
        ):
            shift = len(words) - len(clean)
            span = (sentence.start + quoted.start("q") + shift, sentence.start + quoted.end("q"))
            out.append((clean, span, quoted.start()))
    for named in _NAMED_FORUM.finditer(text):
        theme = named.group("theme")
        if re.fullmatch(r"(?:京台社区)?大讲堂|论坛|座谈会", theme):
            continue
        if any(
            o[1]
            and o[1][0] - sentence.start >= named.start("theme") - 1
            and o[1][1] - sentence.start <= named.end("theme") + 1
            for o in out
        ):
            continue
        out.append(
            (
                theme,
                (sentence.start + named.start("theme"), sentence.start + named.end("theme")),
                named.start(),
            )
        )
    if not out and (
        re.search(r"(?:举办|举行|召开)(?:了)?[^，。]{0,20}" + FORUM_NOUNS, text)
        or re.search(FORUM_NOUNS + r"[^，。]{0,30}?(?:举办|举行|召开|隆重举行|开讲|开课)", text)
    ):
        noun = re.search(FORUM_NOUNS, text)
        out.append((None, None, noun.start() if noun else 0))
    return out


def _forums(reading: Reading, groups: list[dict]) -> list[dict]:
    facts = []
    by_group: dict[str | None, list[dict]] = {}
    themes_seen = set()
    sentences = reading.report.sentences
    for index, sentence in enumerate(sentences):
        text = sentence.folded
        if not re.search(FORUM_NOUNS + "|座谈", text):
            continue
        window = text + (sentences[index + 1].folded if index + 1 < len(sentences) else "")
        for theme, theme_span, at in _forum_themes(sentence):
            if theme and places.search.key_of(theme) in themes_seen:
                continue
            offset = sentence.start + at
            group = _group_at(groups, offset)
            if theme is None and by_group.get(group):
                continue  # the same group's forum told again (a photo's caption)
            host = None
            # A place written right before the forum (门头沟区“京台社区大讲堂”).
            before = next(
                (c for c in reading.chains if c.end == offset or c.end == offset - 1), None
            )
            if before is not None and before.place is not None:
                host = before.text(reading.report)
            for where in (_FORUM_WHERE.search(window, at), _FORUM_VENUE.search(window, at)):
                if host is not None or not where or where.start("w") >= len(text) + 40:
                    continue
                w_start = sentence.start + where.start("w")
                w_end = sentence.start + where.end("w")
                start, end, _code = _venue_words(reading, w_start, w_end)
                words = reading.report.folded[start:end]
                if VENUE_END.search(words) or _chains_in(reading, start, end):
                    host = reading.words(start, end)
            if host is None and groups:
                floor = max((g["span"][0] for g in groups if g["span"][0] <= offset), default=0)
                host = _last_community_before(reading, offset, floor)
            if host is None and group and not theme:
                host = group
            if theme is None and host is None:
                continue
            span = theme_span or (sentence.start, sentence.end)
            fact = reading.add(
                "forum",
                span,
                theme=reading.words(*theme_span) if theme_span else None,
                host=host,
                group=group,
            )
            facts.append(fact)
            by_group.setdefault(group, []).append(fact)
            if theme:
                themes_seen.add(places.search.key_of(theme))
    return facts


def _disagreement(given: str, chief) -> str:
    """Both spellings, when a name the report gives disagrees with the register."""
    term = chief.position.start_date.year if chief.position and chief.position.start_date else ""
    register = chief.person.name
    return (
        f"来源写作“{given}”；里长名册（{term}年届）为“{register}”"
        if term
        else f"来源写作“{given}”；里长名册为“{register}”"
    )


def _people(reading: Reading) -> dict[str, dict]:
    found: dict[str, dict] = {}
    notes: dict[str, str] = {}
    folded = reading.report.folded
    for sentence in reading.report.sentences:
        named_here = people.people_in(sentence.folded, sentence.start)
        named_here += [
            n
            for n in people.org_people_in(sentence.folded, sentence.start)
            if not any(m.name == n.name for m in named_here)
        ]
        for named in named_here:
            if named.name in found:
                continue
            if named.name[0] in "来去赴到回" and places.bare_mentions(
                reading.report, [(named.name_start + 1, named.name_start + len(named.name))]
            ):
                continue  # 来长宁: a verb and a place, not a name
            inside = next(
                (
                    m
                    for c in reading.chains
                    for m in c.mentions
                    if m.start < named.start < m.end <= named.name_start
                ),
                None,
            )
            if inside is not None:  # 永和区福林里里长: the title was cut inside 永和区
                named = dataclasses.replace(named, start=inside.start)
            title = reading.words(named.start, named.name_start).removesuffix("的")
            if named.start == named.name_start:  # 勤荣辉总会长: the title after the name
                title = reading.words(named.name_start + len(named.name), named.end)
            if not title:  # 里长董进龙、黄日新: the title the first name was given
                title = _as_written(reading, named.title)
            name = reading.words(named.name_start, named.name_start + len(named.name))
            side = _side_of_text(reading, named.start, named.name_start) or people.side_of_title(
                named.title
            )
            if named.title.endswith("里长"):
                side = "taiwan"  # a li's chief (文化里里长, whatever 文化里 resolves to)
            li = None
            for chain in _chains_in(reading, named.start, named.name_start):
                if (
                    chain.place is not None
                    and chain.place.kind in ("li", "village")
                    and chain.place.side_id == "taiwan"
                ):
                    li = reading.words(chain.mentions[-1].start, chain.mentions[-1].end)
            register = None
            if "里长" not in named.title:
                li = None  # a li named in an organisation's name is not the person's li
            if li and reading.anchor:
                li_place = next(
                    (
                        c.place
                        for c in _chains_in(reading, named.start, named.name_start)
                        if c.place is not None and c.place.kind == "li"
                    ),
                    None,
                )
                chief = resolve_li_chief(li_place or li, on=reading.anchor, name=named.name)
                if chief.person is not None and chief.name_matches is False:
                    # 秦荣辉 for the register's 勤荣辉: the register's name, the same person.
                    person = chief.person
                    name = (
                        person.name_hant if reading.report.traditional else person.name_hans
                    ) or person.name
                    disagreement = _disagreement(named.name, chief)
                    if name in found:
                        found[name].setdefault("place", li)
                        found[name].setdefault("note", disagreement)
                        continue
                    notes[name] = disagreement
            found[named.name] = reading.add(
                "person",
                (named.start, named.name_start + len(named.name)),
                note=notes.pop(name, None),
                name=name,
                title=title,
                place=li,
                side=side or None,
                register=register,
            )
    # 尊贤里的潘里长: the register names the chief.
    for match in people.LI_AND_SURNAME.finditer(folded):
        if not reading.anchor:
            break
        li_text = reading.words(match.start("li"), match.end("li"))
        chain = next((c for c in reading.chains if c.start <= match.start("li") < c.end), None)
        target = chain.place if chain is not None and chain.place is not None else li_text
        chief = resolve_li_chief(target, on=reading.anchor)
        if chief.person is None or not chief.person.name.startswith(match.group("surname")):
            continue
        name = chief.person.name_hans if not reading.report.traditional else chief.person.name
        if name in found:
            continue
        found[name] = reading.add(
            "person",
            (match.start(), match.end()),
            name=name,
            title="里长",
            place=li_text,
            side="taiwan",
            register=True,
        )
    return found


def _lis_in(reading: Reading, start: int, end: int):
    """(li words, li place, chief's name given or None, span) in order."""
    folded = reading.report.folded
    out = []
    for chain in _chains_in(reading, start, end):
        last = chain.mentions[-1]
        if last.level != "li" and not (chain.place is not None and chain.place.kind == "li"):
            continue
        given = _chief_named_after(folded, chain.end)
        out.append(
            (reading.words(last.start, last.end), chain.place, given, (last.start, chain.end))
        )
    return out


def _communities_in(reading: Reading, start: int, end: int):
    out = []
    for chain in _chains_in(reading, start, end):
        place = chain.place
        last = chain.mentions[-1]
        mainland_local = (
            place is not None
            and place.side_id == "mainland"
            and places.is_local(place)
            and place.kind != "subdistrict"
        )
        if mainland_local or (place is None and last.level == "community"):
            out.append((reading.words(last.start, last.end), place, (last.start, last.end)))
    return out


def _unique(items):
    """The first of each place named twice (by its words, as the scorer compares them)."""
    seen, out = set(), []
    for item in items:
        key = same_venue_key(item[0])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _local_words(reading: Reading, start: int, end: int) -> str:
    """A party's own name: what follows the areas and streets written before it and a
    leading 的-phrase (欧阳路街道蒋家桥居委会 → 蒋家桥居委会, 台中市梧棲区的文化里 → 文化里)."""
    folded = reading.report.folded
    text = folded[start:end]
    if "的" in text[:-1]:
        cut = text.rindex("的", 0, len(text) - 1) + 1
        if end - (start + cut) >= 2:
            start += cut
    for chain in _chains_in(reading, start, end):
        if chain.start != start:
            break
        if (
            chain.place is None
            or chain.places[-1] is not chain.place
            or not places.is_local(chain.place)
        ):
            break  # 基隆市安乐区莺歌社区: not in the directory, so its areas say where it is
        for mention in chain.mentions[:-1]:
            start = mention.end
        last = chain.mentions[-1]
        if last.end < end and last.level not in ("community", "village", "li"):
            start = last.end
        break
    bare = re.match(
        r"[\u4e00-\u9fff]{2,3}(?=[\u4e00-\u9fff]{2,6}(?:社区|里|村|居委会)$)", folded[start:end]
    )
    if bare and places.bare_mentions(reading.report, [(start, start + bare.end())]):
        start += bare.end()  # 同安东山社区 → 东山社区
    return reading.words(start, end)


def _pairs(text: str, offset: int):
    """(a, b) spans of "A与B、C与D" (or one pair); "A与B、C、D等5个里" pairs A with each."""
    out = []
    position = 0
    parts = []
    for part in re.split(r"、|，", text):
        begin = offset + text.find(part, position)
        position = text.find(part, position) + len(part)
        parts.append((part, begin))
    if len([p for p, _b in parts if "与" in p]) == 1 and "与" in parts[0][0] and len(parts) > 1:
        first, begin = parts[0]
        left, _and, right = first.partition("与")
        a = (begin, begin + len(left))
        out.append((a, (begin + len(left) + 1, begin + len(first))))
        for part, at in parts[1:]:
            name = re.sub(r"等.*$", "", part)  # 苓中里等5个里
            if name:
                out.append((a, (at, at + len(name))))
        return out
    for part, begin in parts:
        if "与" in part:
            left, _and, right = part.partition("与")
            out.append(((begin, begin + len(left)), (begin + len(left) + 1, begin + len(part))))
    return out


# 昆明路社区聘请庄水狮为社区荣誉主任，西宁道社区聘请文化里里长陈水上、光明里里长吕嘉慧为…:
# each clause names its community, then whom it appoints.
_APPOINT_CLAUSE = re.compile(
    r"(?P<community>[^，。；]*?)(?:聘请|聘任|特聘|聘)(?P<people>[^，。；]+?)为[^，。；]{0,8}?荣誉(?:主任|居委会主任|社区主任)"
)


def _appointed_by_clause(reading: Reading, sentence, persons: dict[str, dict]):
    """((li words, li place, name given, span), community) of each person appointed, read
    clause by clause; None when the sentence has fewer than two such clauses (the sentence is
    then read whole)."""
    clauses = list(_APPOINT_CLAUSE.finditer(sentence.folded))
    if len(clauses) < 2:
        return None
    pairs = []
    community = None
    for clause in clauses:
        c_start, c_end = (sentence.start + i for i in clause.span("community"))
        named = _communities_in(reading, c_start, c_end)
        community = named[-1] if named else community
        if community is None:
            return None
        p_start = sentence.start + clause.start("people")
        p_end = sentence.start + clause.end("people")
        for part, start in _items(reading.report.folded[p_start:p_end], p_start):
            part_end = start + len(part)
            lis = _lis_in(reading, start, part_end)
            if lis:
                pairs.append((lis[0], community))
                continue
            name = part.strip()
            known = persons.get(name)
            if known is None or not known.get("place"):
                continue
            # A chief named without his li here (庄水狮), whose li the report gave earlier.
            pairs.append(((known["place"], None, name, (start, part_end)), community))
    return pairs


def _appointments(reading: Reading, persons: dict[str, dict]) -> list[dict]:
    facts = []
    for sentence in reading.report.sentences:
        if not APPOINTMENT_SENTENCE.search(sentence.folded) or not re.search(
            r"聘|颁发|担任|授予", sentence.folded
        ):
            continue
        pairs = _appointed_by_clause(reading, sentence, persons)
        if pairs is None:
            lis = _unique(_lis_in(reading, sentence.start, sentence.end))
            communities = _unique(_communities_in(reading, sentence.start, sentence.end))
            if not lis or not communities:
                continue
            if len(communities) == len(lis):
                pairs = list(zip(lis, communities, strict=True))
            elif len(communities) == 1:
                pairs = [(li, communities[0]) for li in lis]
            else:
                continue
        for (li_words, li_place, given, span), (community_words, _c, _cs) in pairs:
            register = note = None
            name = _as_written(reading, given) if given else given
            if reading.anchor and li_place is not None:
                chief = resolve_li_chief(li_place, on=reading.anchor, name=given)
                if chief.person is not None:
                    register_name = (
                        chief.person.name_hant
                        if reading.report.traditional
                        else chief.person.name_hans
                    )
                    register_name = register_name or chief.person.name
                    if given is None:
                        name, register = register_name, True
                    elif chief.name_matches is False:
                        name = register_name
                        note = _disagreement(given, chief)
            if not name:
                continue
            facts.append(
                reading.add(
                    "appointment",
                    span,
                    note=note,
                    person=name,
                    community=community_words,
                    li=li_words,
                    register=register,
                )
            )
            reading.add("pairing", span, a=li_words, b=community_words, kind="honorary")
            if name in persons and li_words:
                # The register's li (慈祐里), in the report's script, when the person's place
                # comes from the appointment rather than from the person's own words.
                official = (
                    li_place.name
                    if reading.report.traditional
                    else (li_place.name_hans or li_place.name)
                )
                persons[name].setdefault("place", official if register else li_words)
    return facts


def _party_words(reading: Reading, start: int, end: int) -> str:
    text = reading.report.folded[start:end]
    trimmed = re.sub(r"^.*?(?:由|和|是|，|下午|上午|座谈会后|会后|最后|同时|并)", "", text) or text
    shift = len(text) - len(trimmed)
    return reading.words(start + shift, end)


PAIRED = re.compile(
    r"(?P<pairs>[^。；\n]{4,120}?)(?:共同|正式|分别)?(?:签订|签署|签约|缔结|结为|结成|建立)(?:了)?“?(?P<what>[^，。；”]{0,20}?(?:协议书|协议|备忘录|意向书)|友好社区|友好关系|友好|结对|对子|姊妹)"
)
LI_COMMUNITY_EXCHANGE = re.compile(
    r"(?P<pairs>[^。；，]{4,60}?)(?:开展|举行)?交流(?:活动|和互访|互访)"
)


_NO_PARTY = re.compile(r"\d|[一二三四五六七八九十两几多]个|^的|的里$|的社区$|^各|等")


def _pair_party(reading: Reading, span: tuple[int, int]) -> str:
    start, end = span
    text = reading.report.folded[start:end]
    lead = re.match(r"^.*?(?:由|和|是|下午|上午|座谈会后|会后|最后|同时|并|就|的)", text)
    if (
        lead
        and end - (start + lead.end()) >= 2
        and re.search(r"(?:社区|里|村|居委会|街道|协会|会)$", text)
    ):
        cut = start + lead.end()
        if any(c.start == cut or c.start > cut for c in _chains_in(reading, cut, end)):
            start = cut
    text = reading.report.folded[start:end]
    tail = re.search(r"(?:共同|正式|分别|还|也|已|签约)$", text)
    if tail:
        end -= len(tail.group())
    return _local_words(reading, start, end)


def _pairings_and_agreements(reading: Reading) -> None:
    folded = reading.report.folded
    pairs_seen = set()
    headline = _headline_span(reading.report)
    for match in PAIRED.finditer(folded):
        if headline and headline[0] <= match.start() < headline[1]:
            continue  # the headline sums up what the text tells
        what = match.group("what")
        agreement = bool(re.search("协议|备忘录|意向书", what))
        text = match.group("pairs")
        text_start = match.start("pairs")
        # The parties are in the clause before the verb.
        # (A headline's words are separated by spaces: a clause starts after one.)
        clause_start = max(text.rfind(mark) for mark in ("，", "。", " ", "\u3000")) + 1
        # A…与B、C，D与E分别签订: earlier clauses that are pairs too belong to the list.
        while clause_start > 0 and text[clause_start - 1] == "，":
            before = text.rfind("，", 0, clause_start - 1) + 1
            segment = text[before : clause_start - 1]
            if not re.fullmatch(r"[^与，。]{2,16}与[^与，。]{2,40}", segment) or re.search(
                r"签|举行|举办|仪式|上午|下午|当天", segment
            ):
                break
            clause_start = before
        pairs = _pairs(text[clause_start:], text_start + clause_start)
        for a_span, b_span in pairs:
            a = _pair_party(reading, a_span)
            b = _pair_party(reading, b_span)
            if len(a) < 2 or len(b) < 2 or _NO_PARTY.search(a) or _NO_PARTY.search(b):
                continue  # 已有6个社区与竹南镇的里: counted, not named
            key = frozenset((same_venue_key(a), same_venue_key(b)))
            if key in pairs_seen:
                continue
            pairs_seen.add(key)
            span = (a_span[0], match.end())
            if agreement:
                reading.add(
                    "agreement", span, parties=[a, b], subject=reading.words(*match.span("what"))
                )
            kind = "agreement" if agreement else "friendly"
            reading.add("pairing", span, a=a, b=b, kind=kind)
    # 许厝里与乾南社区交流活动: a li and a community in exchange are paired (村里交流).
    for match in LI_COMMUNITY_EXCHANGE.finditer(folded):
        for a_span, b_span in _pairs(match.group("pairs"), match.start("pairs"))[:1]:
            a_chain = [c for c in _chains_in(reading, *a_span) if c.place is not None]
            b_chain = [c for c in _chains_in(reading, *b_span) if c.place is not None]
            if not a_chain or not b_chain:
                continue
            kinds = {a_chain[-1].place.kind, b_chain[-1].place.kind}
            if not ({"li", "village"} & kinds and {"community", "village"} & kinds):
                continue
            if a_chain[-1].place.side_id == b_chain[-1].place.side_id:
                continue
            a = _pair_party(reading, a_span)
            b = _pair_party(reading, b_span)
            key = frozenset((same_venue_key(a), same_venue_key(b)))
            if key in pairs_seen:
                continue
            pairs_seen.add(key)
            reading.add("pairing", (a_span[0], match.end()), a=a, b=b, kind="friendly")


# Words that end like a venue's name but name an activity or body of talk (居民议事会).
_TOPIC_NOT_PLACE = re.compile(r"(?:议事会|理事会|协商会|恳谈会|座谈会|茶话会|运动会|联欢会)$")


def _topics(reading: Reading) -> None:
    folded = reading.report.folded
    seen = set()
    venues = {same_venue_key(f["venue"]) for f in reading.facts if f["type"] == "visit"}
    taken_places = [(c.start, c.end) for c in reading.chains]
    for pattern in TOPIC_PATTERNS:
        for match in pattern.finditer(folded):
            sentence = reading.report.sentence_at(match.start())
            if sentence and re.search(r"协议|约定|签订|签署", sentence.folded):
                continue  # an agreement's content is not a topic discussed
            if sentence and re.search(r"(?:两|三|四|五|几|多|近)年来|以来", sentence.folded):
                continue  # what the sides have done over the years, not this visit's talk
            if re.match(r"(?:介绍|分享)", match.group()) and re.search(
                r"(?:的)?(?:情况和)?经验$", match.group()
            ):
                continue  # a side presenting its own experience (介绍了台湾社区营造经验): not a topic discussed
            offset = match.start("list")
            text = match.group("list")
            purpose = re.search(r"等(?=推动|促进|推进|加强|提升|助力|带动|实现)", text)
            if purpose:
                text = text[: purpose.start()]  # …等推动社区福利…的经验: what follows says what for
            position = 0
            for part in _TOPIC_SPLIT.split(text):
                start = offset + text.find(part, position)
                position = text.find(part, position) + len(part)
                if "的" in part[:-1]:
                    cut_at = part.rindex("的", 0, len(part) - 1) + 1
                    if _NOT_TOPICS.search(part[cut_at:]) and cut_at - 1 >= 2:
                        part = part[: cut_at - 1]  # 社区产业链的发展: the chain, not 发展
                    elif len(part) - cut_at >= 2:
                        start += cut_at
                        part = part[cut_at:]
                quoted = re.fullmatch(r"“([^“”]{2,})”", part)
                if quoted:
                    start += 1  # 围绕“社区营造与基层治理”: the words inside the marks
                    part = quoted.group(1)
                head = _TOPIC_TRIM_HEAD.match(part)
                cut = head.end() if head else 0
                words = _TOPIC_TRIM_TAIL.sub("", part[cut:])
                begin = start + cut
                if (
                    not 2 <= len(words) <= 14
                    or re.search(r"[“”：\s]", words)
                    or _NOT_TOPICS.search(words)
                ):
                    continue
                lead = next(
                    (c for c in reading.chains if c.start == begin and c.end < begin + len(words)),
                    None,
                )
                if lead is not None and lead.place is not None and not places.is_local(lead.place):
                    begin = lead.end  # 石景山区社区养老: the district is where, not what
                    words = folded[begin : begin + len(words) - (lead.end - lead.start)]
                if len(words) < 2 or any(
                    s0 <= begin and begin + len(words) <= e0 for s0, e0 in taken_places
                ):
                    continue  # a place's name
                if same_venue_key(words) in venues or (
                    VENUE_END.search(words) and not _TOPIC_NOT_PLACE.search(words)
                ):
                    continue  # a place visited
                if places.bare_mentions(reading.report, [(begin, begin + len(words))]):
                    continue
                key = places.search.key_of(words)
                if key in seen:
                    continue
                seen.add(key)
                reading.add(
                    "topic",
                    (begin, begin + len(words)),
                    topic=reading.words(begin, begin + len(words)),
                )


def _escorts(reading: Reading, delegation: dict | None) -> None:
    folded = reading.report.folded
    seen = set()
    for pattern in ESCORT:
        for match in pattern.finditer(folded):
            for part, start in _items(match.group("list"), match.start("list")):
                stripped = part.strip()
                start += part.find(stripped) if stripped else 0
                words = re.sub(r"^.*?(?:与|在|由)", "", stripped)
                start += len(stripped) - len(words)
                words = re.sub(
                    r"的?(?:工作人员|有关人员|负责同志|相关负责人|负责人|领导|同志)$", "", words
                )
                named = people.people_in(words)
                if named and named[-1].end == len(words):
                    # 南京市台办副主任孙志刚全程陪同: the office the person speaks for.
                    office = people.office_of(named[-1].title)
                    if re.search(r"[省市区县]", office):  # an office of a place, not 统战部
                        words = words[: named[-1].start + len(office)]
                if not ORG_SUFFIX.search(words) or len(words) < 3 or words in seen:
                    continue
                seen.add(words)
                reading.add(
                    "escort",
                    (start, start + len(words)),
                    organisation=reading.words(start, start + len(words)),
                )


def _gifts(reading: Reading, delegation: dict | None, forums: list[dict]) -> None:
    folded = reading.report.folded
    for pattern in GIFT:
        for match in pattern.finditer(folded):
            fields = {
                k: reading.words(*match.span(k))
                for k in ("from", "to", "what")
                if k in pattern.groupindex and match.group(k)
            }
            sentence = reading.report.sentence_at(match.start())
            if "from" not in fields and sentence:
                # The giver: the person last named before it, else the host community of the
                # forum it belongs to (互赠礼物 at a forum: host to visitors).
                before = [
                    f
                    for f in reading.facts
                    if f["type"] == "person" and sentence.start <= f["span"][0] < match.start()
                ]
                if before:
                    fields["from"] = before[-1]["name"]
                elif match.re is GIFT[0]:
                    forum = next(
                        (f for f in reversed(forums) if f["span"][0] <= match.start()), None
                    )
                    if forum and forum.get("host"):
                        fields["from"] = forum["host"]
            if "to" not in fields and match.re is GIFT[0] and delegation:
                fields["to"] = delegation["organisation"]
            for role in ("from", "to"):
                if role in fields and role in pattern.groupindex:
                    inside = [
                        f
                        for f in reading.facts
                        if f["type"] == "person"
                        and match.start(role) <= f["span"][0] < match.end(role) + 1
                        and f["name"] in fields[role]
                    ]
                    if inside:
                        fields[role] = inside[-1]["name"]  # 锦华里里长温美珠 → 温美珠
            if fields.get("what") in ("礼物", "禮物"):
                fields.pop("what")
            reading.add("gift", match.span(), **fields)
            return


def _statistics(reading: Reading) -> None:
    seen: set[int] = set()
    for sentence in reading.report.sentences:
        if not STATISTIC_CONTEXT.search(sentence.folded) and not STATISTIC_AFTER_UNIT.search(
            sentence.folded
        ):
            continue
        for match in STATISTIC.finditer(sentence.folded):
            if not STATISTIC_CONTEXT.search(sentence.folded):
                break
            figure = _number(match.group("figure"))
            if match.group("counter") == "年" and re.fullmatch(
                r"(?:19|20)\d\d", match.group("figure")
            ):
                continue  # 自2015年以来: a year, not a figure
            if figure is None or figure in seen:
                continue  # the same figure told again (the headline, then the text)
            counter = match.group("counter")
            unit_start = sentence.start + match.start("unit")
            unit_folded = match.group("unit")
            if counter in ("年", "次", "场", "人次"):
                unit_start, unit_folded = sentence.start + match.start("counter"), counter
            else:
                unit_folded = _UNIT_END.sub("", unit_folded)
            if len(unit_folded) < 1:
                continue
            seen.add(figure)
            start = sentence.start + match.start()
            unit = reading.words(unit_start, unit_start + len(unit_folded))
            reading.add(
                "statistic", (start, sentence.start + match.end()), figure=figure, unit=unit
            )
        for match in STATISTIC_AFTER_UNIT.finditer(sentence.folded):
            figure = _number(match.group("figure"))
            if figure is None or figure in seen:
                continue
            seen.add(figure)
            reading.add(
                "statistic",
                (sentence.start + match.start(), sentence.start + match.end()),
                figure=figure,
                unit=reading.words(
                    sentence.start + match.start("unit"), sentence.start + match.end("unit")
                ),
            )


ALLIANCE = re.compile(
    r"(?:发起|成立|组建|启动|建立|共建|宣告成立)(?:了)?“?(?P<name>[^，。；“”]{2,30}?(?:联盟|联合会|共同体|协作网|网络|联席会))”?"
)
# Who launched it: "A、B和C共同发起…", "由A、B等发起…"
_FOUNDERS = re.compile(
    r"(?:由)?(?P<list>[^，。；：]{2,80}?)(?:等)?(?:共同|联合|一起)?(?:发起|成立|组建|共建)"
)


# “海峡两岸社区服务联盟”成立大会: the name first; who launched it in a later sentence
# (联盟由A、B的社区服务中心和C的协会共同发起).
ALLIANCE_NAMED_FIRST = re.compile(
    r"“(?P<name>[^，。；“”]{2,30}?(?:联盟|联合会|共同体|协作网|联席会))”(?:成立大会|成立仪式|正式成立|宣告成立|揭牌)"
)
_LAUNCHED_BY = re.compile(
    r"(?:联盟|该联盟)由(?P<list>[^。；：]{2,120}?)(?:等)?(?:共同|联合)?(?:发起|组建|成立)"
)


def _distributed(text: str, offset: int):
    """(words, offset) of each party of "A、B的社区服务中心和C的协会": the parties before one
    written with 的 take its kind (A社区服务中心)."""
    position = 0
    for group in re.split(r"和|及|以及", text):
        at = text.find(group, position)
        position = at + len(group)
        parts = group.split("、")
        kind = ""
        if "的" in parts[-1]:
            head, kind = parts[-1].rsplit("的", 1)
            parts[-1] = head
        cursor = at
        for part in parts:
            start = text.find(part, cursor)
            cursor = start + len(part)
            if part.strip():
                yield part.strip() + kind, offset + start, len(part)


def _alliances(reading: Reading) -> None:
    folded = reading.report.folded
    for match in ALLIANCE_NAMED_FIRST.finditer(folded):
        paragraph_end = folded.find("\n", match.end())
        launched = _LAUNCHED_BY.search(
            folded, match.end(), paragraph_end if paragraph_end > 0 else len(folded)
        )
        members = []
        if launched:
            # Split the words as written (the folding keeps 、, 和 and 的 where they are).
            as_written = reading.words(*launched.span("list"))
            members = [w for w, _s, _n in _distributed(as_written, launched.start("list"))]
        reading.add(
            "alliance", match.span("name"), name=reading.words(*match.span("name")), members=members
        )
    for match in ALLIANCE.finditer(folded):
        name = reading.words(*match.span("name"))
        members = []
        clause_start = (
            max(folded.rfind("，", 0, match.start()), folded.rfind("。", 0, match.start())) + 1
        )
        founders = _FOUNDERS.match(folded, clause_start, match.end())
        if founders:
            for part, start in _items(founders.group("list"), founders.start("list")):
                part = part.strip()
                if not part:
                    continue
                chains = _chains_in(reading, start, start + len(part))
                if chains or re.search(r"(?:社区|里|村|街道|协会|会|中心)$", part):
                    members.append(
                        _local_words(
                            reading, start + (len(part) - len(part.lstrip())), start + len(part)
                        )
                    )
        reading.add("alliance", match.span(), name=name, members=members)


def _related(reading: Reading) -> None:
    folded = reading.report.folded
    taken = []
    for pattern in (RELATED_BETWEEN, RELATED_CALL, RELATED):
        for match in pattern.finditer(folded):
            if any(s0 <= match.start("where") < e0 for s0, e0 in taken):
                continue
            if "who" in pattern.groupindex:
                who = reading.words(*match.span("who"))
            else:  # the clause's subject, before 曾 (此前，锦华里里长温美珠曾…到钟声社区)
                clause = (
                    max(folded.rfind("，", 0, match.start()), folded.rfind("。", 0, match.start()))
                    + 1
                )
                segment = folded[clause : match.start("where")]
                subject = re.match(
                    r"^(?:此前|上月|去年|前年|早在|年初|今年\d{1,2}月)?[，\s]*(?P<who>[^，。]{2,30}?)(?:一行\d+人)?(?:曾|于|在|率|到|赴|已)",
                    segment,
                )
                who = (
                    reading.words(clause + subject.start("who"), clause + subject.end("who"))
                    if subject
                    else None
                )
            if who:
                lead = re.match(r"^.*?(?:，|。|：|在)", who)
                who = who[lead.end() :] if lead else who
            where_start, where_end = match.span("where")
            verb = list(
                re.finditer(r"(?:拜访|访问|参访|考察|走访)(?:了)?", folded[where_start:where_end])
            )
            if verb:
                where_start += verb[-1].end()
            side = re.match(r"(?:台湾|大陆|祖国大陆)(?=..)", folded[where_start:where_end])
            if side:
                where_start += side.end()  # 赴台湾高雄: 高雄
            where = reading.words(where_start, where_end)
            where_folded = folded[where_start:where_end]
            if not (
                VENUE_END.search(where_folded)
                or _chains_in(reading, where_start, where_end)
                or places.bare_mentions(reading.report, [(where_start, where_end)])
            ):
                continue  # 率团到钟声社区参访交流: 交流 is what they did, not where
            taken.append(match.span())
            reading.add("related_exchange", match.span(), who=who, where=where)


def read_report(text: str, *, published: dt.date | None = None, url: str = "") -> dict:
    """The facts document of a report's text (FACTS.md)."""
    header_url, header_published = header_of(text)
    report = ReportText(text)
    published = published or header_published or dates.publication_date(report)
    reading = Reading(report=report, published=published, anchor=published)
    _chains(reading)
    _date(reading)
    _term_anchor(reading)
    delegation = _delegation(reading)
    if not reading.host_side:
        reading.host_side = "mainland"
    _hosts(reading)
    _escorts(reading, delegation)
    groups = _groups(reading, delegation)
    _visits(reading, groups)
    forum_facts = _forums(reading, groups)
    persons = _people(reading)
    _appointments(reading, persons)
    _pairings_and_agreements(reading)
    _topics(reading)
    _gifts(reading, delegation, forum_facts)
    _statistics(reading)
    _alliances(reading)
    _related(reading)
    for fact in reading.facts:
        fact.pop("_until", None)
    reading.facts.sort(key=lambda f: (f["span"][0], f["type"]))
    return {
        "format": FORMAT,
        "version": VERSION,
        "published": published.isoformat() if published else None,
        "script": "hant" if report.traditional else "hans",
        **_source_fields(report, url or header_url),
        "facts": reading.facts,
    }


_PUBLISHER = re.compile(r"(?:来源|来自)[：]\s*(?P<p>[^\s作者浏览]{2,30})")


def _source_fields(report: ReportText, url: str) -> dict:
    """The report's headline (its first line of text), publisher, dateline and address."""
    out = {}
    if url.startswith(("http://", "https://")):
        out["url"] = url
    for line_start, line in _lines(report.raw):
        folded = report.folded[line_start : line_start + len(line)]
        if not line.strip() or re.match(r"^(?:source|published|url|date)\s*:", line, re.I):
            continue
        if 4 <= len(line.strip()) <= 80 and not re.search(
            r"\d{4}-\d{1,2}-\d{1,2}|[。]$", folded.strip()
        ):
            out["headline"] = line.strip()
        break
    match = _PUBLISHER.search(report.folded[:1500])
    if match:
        out["publishers"] = report.raw[match.start("p") : match.end("p")]
    line = dates.DATELINE.search(report.folded[:1500])
    if line:
        start = line.start()
        while (
            start > 0
            and "\u4e00" <= report.folded[start - 1] <= "\u9fff"
            and line.start() - start < 4
        ):
            start -= 1  # 中新社太原4月24日电: the agency's name
        out["dateline"] = report.raw[start : line.end()]
    return out


def _headline_span(report: ReportText) -> tuple[int, int] | None:
    for line_start, line in _lines(report.raw):
        if not line.strip() or re.match(r"^(?:source|published|url|date)\s*:", line, re.I):
            continue
        folded = report.folded[line_start : line_start + len(line)]
        if len(line.strip()) <= 80 and not folded.strip().endswith("。"):
            return (line_start, line_start + len(line))
        return None
    return None


def _lines(text: str):
    position = 0
    for line in text.split("\n"):
        yield position, line
        position += len(line) + 1
