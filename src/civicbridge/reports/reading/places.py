"""Places named in a report: spotted with a gazetteer of the directory's search keys (every
stem with its level class), joined into chains (山西省太原市滨河社区), and resolved with the
directory's resolver, in the context of the places the report is about."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from django.db.models import Count, Max

from civicbridge.directory import search
from civicbridge.directory.models import Place, PlaceKey
from civicbridge.directory.resolution import resolve_place
from civicbridge.reports.reading.text import ReportText

_SUFFIXES = sorted(search.SUFFIXES, key=lambda item: -len(item[0]))
MAX_STEM = 10
# Levels, coarse to fine; a chain's host is its finest place above the community level.
AREA_LEVELS = ("province", "city", "county", "district", "town", "township")
LOCAL_LEVELS = ("subdistrict", "community", "village", "li")


@dataclass
class Gazetteer:
    """Every search key of the directory's places: key → the level classes it is a stem of
    (``""`` for a key that is a whole name)."""

    levels: dict[str, set[str]]
    seconds: float
    size: int

    def knows(self, stem: str, level: str) -> bool:
        found = self.levels.get(stem)
        return bool(found) and (level in found or "" in found)


_GAZETTEER: dict[str, Gazetteer] = {}


def _fingerprint() -> str:
    """Changes when the directory's keys change (an import, a place added)."""
    row = PlaceKey.objects.aggregate(n=Count("id"), last=Max("id"))
    return f"{row['n']}:{row['last']}"


def gazetteer(*, check: bool = True) -> Gazetteer:
    """Built from the directory (PlaceKey) once, and again when the directory changes
    (``check``: one query; a reading checks once, when it spots the report's places)."""
    if not check and _GAZETTEER:
        return next(iter(_GAZETTEER.values()))
    fingerprint = _fingerprint()
    if fingerprint in _GAZETTEER:
        return _GAZETTEER[fingerprint]
    started = time.perf_counter()
    levels: dict[str, set[str]] = {}
    for key, level in PlaceKey.objects.values_list("key", "level").iterator(chunk_size=20000):
        levels.setdefault(key, set()).add(level)
    _GAZETTEER.clear()
    _GAZETTEER[fingerprint] = Gazetteer(levels, time.perf_counter() - started, len(levels))
    return _GAZETTEER[fingerprint]


def reset_gazetteer() -> None:
    _GAZETTEER.clear()


@dataclass
class Mention:
    start: int
    end: int
    level: str  # the class of its suffix, "" for a bare stem

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Chain:
    """Mentions written one after another (台北市文山区忠顺社区)."""

    mentions: list[Mention]
    places: list[Place | None] = field(default_factory=list)
    ambiguous: bool = False

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end

    def text(self, report: ReportText) -> str:
        return report.raw[self.start : self.end]

    @property
    def place(self) -> Place | None:
        return self.places[-1] if self.places else None


def keyed(report: ReportText) -> str:
    """The folded text as search keys are written (variants and look-alikes folded)."""
    return search.fold(report.folded).lower()


def mentions(report: ReportText, *, bare_min: int = 2) -> list[Mention]:
    """Place names ending in a level suffix whose stem the gazetteer knows for that level;
    of overlapping readings the earlier (then the longer) wins, and a shorter reading of the
    same name is kept when it starts where the one before ends (大安区|仁爱里, not 大安|区仁爱里)."""
    text = keyed(report)
    known = gazetteer()
    found: list[Mention] = []
    n = len(text)
    for end in range(2, n + 1):
        for suffix, level in _SUFFIXES:
            if not text.endswith(suffix, 0, end):
                continue
            stem_end = end - len(suffix)
            for length in range(min(MAX_STEM, stem_end), 1, -1):
                stem = text[stem_end - length : stem_end]
                if not stem.isalnum():
                    continue
                if known.knows(stem, level) or (
                    "仲" in stem and known.knows(stem.replace("仲", "中"), level)
                ):  # 仲正区: a mirror's 仲 for 中
                    found.append(Mention(stem_end - length, end, level))
                    continue
                whole = known.levels.get(stem + suffix)
                if whole and length >= 3:  # 龙门新区三区: a community's whole name
                    found.append(Mention(stem_end - length, end, sorted(whole)[-1]))
            break  # the longest suffix that ends here decides
    # Communities the gazetteer does not know by that stem (阜四社区 for 阜石路第四社区): a
    # short stem before 社区, after a known place or a word that cannot be part of a name.
    covered = [(m.start, m.end) for m in found]
    for index in _all(text, "社区"):
        if any(s <= index < e for s, e in covered):
            continue
        left = index
        while (
            left > 0
            and index - left < 5
            and text[left - 1] not in _BOUNDARY
            and not any(e == left for _s, e in covered)
        ):
            left -= 1
        stem = text[left:index]
        if any(word in stem for word in _GENERIC_STEMS) or _TWO_PLACES.match(stem):
            continue
        if 2 <= index - left <= 5 and (
            left == 0 or text[left - 1] in _BOUNDARY or any(e == left for _s, e in covered)
        ):
            found.append(Mention(left, index + 2, "community"))
    # Keep the longest of overlapping mentions that end at the same place, then drop ones
    # inside another.
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            # 八角北里|社区 read after 八角北|里: the longer reading wins.
            longer = (mention.end - mention.start) > (kept[-1].end - kept[-1].start)
            if mention.end > kept[-1].end and mention.start == kept[-1].start and longer:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


_BOUNDARY = set("，。、；：！？“”（）()\n 的了在到与和及向对由为是把被给从并将")


# Words before 社区 that make no community's name (各自社区, 台湾社区, 基层社区).
_GENERIC_STEMS = (
    "各自",
    "台湾",
    "大陆",
    "基层",
    "两岸",
    "京台",
    "试点",
    "和谐",
    "城市",
    "农村",
    "这个",
    "所在",
    "我们",
    "他们",
    "当地",
    "本",
    "该",
    "每个",
    "各个",
    "各",
    "全国",
    "全市",
    "全区",
    "网络",
    "幸福",
    "文明",
    "美丽",
    "智慧",
    "友好",
    "结对",
    "签约",
    "优秀",
    "示范",
    "老旧",
    "新型",
    "现代",
    "国际",
    "两地",
    "推进",
    "促进",
    "推动",
    "建设",
    "发展",
    "服务",
    "管理",
    "治理",
    "加强",
    "开展",
    "打造",
    "参与",
    "营造",
    # verbs of going and seeing (参观社区养老服务中心)
    "参观",
    "走访",
    "考察",
    "来到",
    "走进",
    "深入",
    "前往",
)
# Two places' one-character names before 社区 (京台, 沪台, 蓉台社区治理论坛): the exchange
# between them, not a community.
_TWO_PLACES = re.compile(r"^[\u4e00-\u9fff](?:台|陆)$")


def _all(text: str, word: str):
    index = text.find(word)
    while index >= 0:
        yield index
        index = text.find(word, index + 1)


def bare_mentions(report: ReportText, spans: list[tuple[int, int]]) -> list[Mention]:
    """Names written without their suffix (臺北, 高雄, 鹿港) inside the given spans, when the
    gazetteer knows them as an area's stem."""
    text = keyed(report)
    known = gazetteer(check=False)
    out = []
    for start, end in spans:
        stem = text[start:end]
        if 2 <= len(stem) <= MAX_STEM and any(
            known.knows(stem, level) for level in ("city", "county", "district", "town")
        ):
            out.append(Mention(start, end, ""))
    return out


def chains_of(found: list[Mention]) -> list[Chain]:
    chains: list[Chain] = []
    for mention in found:
        if chains and chains[-1].end == mention.start:
            chains[-1].mentions.append(mention)
        else:
            chains.append(Chain([mention]))
    return chains


def _best(text: str, *, within=None, side=None):
    resolution = resolve_place(text, within=within, side=side, limit=5)
    if not resolution and "仲" in text:  # a mirror's 仲 for 中 (仲正区)
        resolution = resolve_place(text.replace("仲", "中"), within=within, side=side, limit=5)
    if (
        not resolution
        and within is not None
        and within.side_id == "taiwan"
        and text.endswith(("社区", "社區"))
    ):
        # A Taiwanese 社区 (community-development area) takes its same-name li.
        resolution = resolve_place(text[:-2] + "里", within=within, side=side, limit=5)
    return resolution.best.place if resolution.best else None, resolution.ambiguous


AREA_KINDS = {
    "city",
    "district",
    "county",
    "county_level_city",
    "county_administered_city",
    "town",
    "township",
}
LOCAL_KINDS = {
    "subdistrict",
    "community",
    "village",
    "li",
    "cooperative_living_area",
    "area",
    "other",
}


def resolve_chain(chain: Chain, report: ReportText, *, context: list[Place], side=None) -> None:
    """The chain's place, read as a whole by the resolver (the context's places tried as
    ``within`` when the chain alone is ambiguous or unknown), and the places above it the
    chain names (its areas: 台北市 and 文山区 of 台北市文山区忠顺社区)."""
    whole = chain.text(report)
    place, ambiguous = _best(whole, side=side)
    if place is None:
        for area in context:
            place, _ambiguous = _best(whole, within=area, side=side)
            if place is not None:
                ambiguous = False
                break
    if place is None and len(chain.mentions) > 1:
        # 高雄市三民区安泰社区: the areas resolve though the community is not in the directory.
        head = report.raw[chain.start : chain.mentions[-1].start]
        place, ambiguous = _best(head, side=side)
        if place is not None and is_local(place) and place.kind != "subdistrict":
            place = None
        if place is not None:
            # 历下区燕子山社区: the community is found below the area the chain names.
            last = chain.mentions[-1]
            local, _tie = _best(report.raw[last.start : last.end], within=place, side=side)
            if local is not None:
                place = local
    chain.ambiguous = ambiguous and place is None
    chain.places = []
    if place is None:
        return
    typed = search.key_of(whole) + "|" + search.key_of(whole.replace("仲", "中"))
    for candidate in [place, *place.ancestors()]:
        stem, _level = search.split_suffix(search.key_of(candidate.name_hans or candidate.name))
        short = search.key_of(candidate.short_name_hans or candidate.short_name or "")
        if candidate is place or (len(stem) >= 2 and stem in typed) or (short and short in typed):
            chain.places.append(candidate)
    chain.places.sort(key=lambda p: len(p.path or ""))  # coarse to fine


def area_of(chain: Chain) -> Place | None:
    """The finest place of the chain at the area level (city, district, county, town)."""
    areas = [p for p in chain.places if p.kind in AREA_KINDS]
    return areas[-1] if areas else None


def is_local(place: Place) -> bool:
    return place.kind in LOCAL_KINDS
