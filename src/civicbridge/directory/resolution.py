"""Finding the place a text means, and the li chief a text names.

``resolve_place("高雄市三民区鼎金里")`` reads the text left to right against the tree: each
piece must name a place below the one before (levels may be left out: 高雄市鼎金里), the
whole text must be read, and every piece is matched by the same rules — the official name in
either script, a short name or alias, the level-suffix conventions (阜石路第四社区 ↔
阜石路第四社区居委会, 龙泉镇 ↔ 龙泉地区, 高雄 ↔ 高雄市), variant characters (慈佑里 ↔ 慈祐里),
characters a report mistypes (土林区 ↔ 士林区) and, last, abbreviations (阜四社区 ↔
阜石路第四社区居委会). Candidates come back ranked with their reasons; when the best ones tie
(中山区: Taipei, Dalian, Keelung …) the result says it is ambiguous and guesses nothing.

``resolve_li_chief("三民区鼎金里里长", on=date)`` resolves the li and reads the li-chief
register for that date; a name given that disagrees with the register is reported, the
register wins and the source's spelling is kept as a note.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q

from civicbridge.directory import search
from civicbridge.directory.models import (
    HIDDEN_KINDS,
    Person,
    Place,
    PlaceKey,
    PlaceKind,
    PlaceStatus,
    Position,
)

# Reasons, and how much each costs a candidate (lower ranks first).
EXACT = "exact"
SCRIPT = "script"
ALIAS = "alias"
SUFFIX = "suffix"
VARIANT = "variant"
ABBREVIATION = "abbreviation"
LOOKALIKE = "lookalike"
PARENT_CONTEXT = "parent context"
SCOPE = "scope"
COST = {EXACT: 0, SCRIPT: 0, ALIAS: 1, SUFFIX: 1, VARIANT: 2, ABBREVIATION: 3, LOOKALIKE: 4}

_SEPARATORS = re.compile(r"[\s,，、;；/／|｜›>＞·・\-—–()（）\[\]【】]+")
MAX_SEGMENT = 40
MAX_TEXT = 120


@dataclass
class Candidate:
    """A place the text may mean: ``reasons`` says how it matched (the leaf's reason first,
    then ``parent context`` when the text named places above it); ``chain`` the pieces of
    the text and the place each named; lower ``rank`` is better."""

    place: Place
    rank: int
    reasons: list[str]
    chain: list[tuple[str, Place]] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return self.reasons[0]


class Resolution(list):
    """The ranked candidates of :func:`resolve_place` (a list), with ``ambiguous`` set when
    several share the best rank; ``best`` is the one candidate, or None when there is none
    or the text is ambiguous."""

    def __init__(self, text: str, candidates=(), *, ambiguous: bool = False):
        super().__init__(candidates)
        self.text = text
        self.ambiguous = ambiguous

    @property
    def best(self) -> Candidate | None:
        return self[0] if self and not self.ambiguous else None

    @property
    def tied(self) -> list[Candidate]:
        """The candidates that share the best rank."""
        return [c for c in self if c.rank == self[0].rank] if self else []


@dataclass(frozen=True)
class _Row:
    place_id: int
    path: str
    kind: str
    status: str
    source: str
    level: str
    key: str
    full: str


def _chunks(text: str) -> list[str]:
    return [c for c in (search.key_of(part) for part in _SEPARATORS.split(text)) if c]


def _segments(chunks: list[str]):
    """(start, end, text) of every piece a chunk may be cut into, positions counted over
    the chunks laid end to end (a piece never spans two chunks)."""
    offset = 0
    for chunk in chunks:
        for i in range(len(chunk)):
            for j in range(i + 1, min(len(chunk), i + MAX_SEGMENT) + 1):
                yield offset + i, offset + j, chunk[i:j], i == 0 and j == len(chunk)
        offset += len(chunk)


def _readings(segment: str, whole_chunk: bool) -> list[tuple[str, str]]:
    # A one-character stem (沙 of 沙市) is read only when it is all the user typed in that
    # chunk: inside a longer text it would match thousands of places.
    return [
        (stem, level)
        for stem, level in search.readings(segment)
        if len(stem) >= 2 or (whole_chunk and stem)
    ]


def _reason(segment: str, stem: str, row: _Row) -> str:
    if row.full == segment:
        return EXACT if row.source == "name" else ALIAS
    row_stems = {s for s, _level in search.stems_of(row.full)}
    if stem in row_stems:
        return ALIAS if row.source != "name" else SUFFIX
    if search.fold_variants(stem) in {search.fold_variants(s) for s in row_stems}:
        return VARIANT
    return LOOKALIKE


def _compatible(level: str, row_level: str) -> bool:
    return not level or not row_level or level == row_level


def _is_abbreviation(short: str, stem: str) -> bool:
    """阜四 abbreviates 阜石路第四: same first and last character, the rest in order."""
    if len(stem) <= len(short) or short[0] != stem[0] or short[-1] != stem[-1]:
        return False
    rest = iter(stem[1:-1])
    return all(ch in rest for ch in short[1:-1])


def resolve_place(
    text: str,
    *,
    within: Place | None = None,
    on: dt.date | None = None,
    kinds=None,
    side: str | None = None,
    include_former: bool = False,
    limit: int = 10,
) -> Resolution:
    """The places ``text`` may mean, best first (see the module's docstring).

    ``within``: only that place and below (the caller's scope). ``kinds``: only places of
    these kinds; ``side``: only on that side ("mainland", "taiwan"). Former places (merged away) are offered only with ``include_former`` or
    when ``on`` is a date the register shows them existing (a chief in office)."""
    text = (text or "").strip()[:MAX_TEXT]
    chunks = _chunks(text)
    if not chunks:
        return Resolution(text)
    typed_of = _typed_pieces(text, chunks)
    segments = list(_segments(chunks))
    wanted: dict[str, list[tuple[int, int, str, str, str]]] = {}
    for start, end, segment, whole in segments:
        for stem, level in _readings(segment, whole):
            wanted.setdefault(search.fold(stem), []).append((start, end, segment, stem, level))
    rows: dict[str, list[_Row]] = {}
    keys = PlaceKey.objects.filter(key__in=list(wanted))
    if side:
        keys = keys.filter(place__side_id=side)
    for values in keys.values_list(
        "place_id",
        "place__path",
        "place__kind",
        "place__status",
        "source",
        "level",
        "key",
        "spelling",
    ).iterator(chunk_size=5000):
        row = _Row(*values)
        rows.setdefault(row.key, []).append(row)

    # matches[(start, end)] = {place_id: (cost, reason, path)}
    matches: dict[tuple[int, int], dict[int, tuple[int, str, str]]] = {}
    for key, uses in wanted.items():
        for start, end, segment, stem, level in uses:
            for row in rows.get(key, ()):
                if not _compatible(level, row.level):
                    continue
                reason = _reason(segment, stem, row)
                found = matches.setdefault((start, end), {})
                cost = COST[reason]
                if row.place_id not in found or cost < found[row.place_id][0]:
                    found[row.place_id] = (cost, reason, row.path)
    total = sum(len(c) for c in chunks)
    complete = _chains(matches, total)
    if not complete:
        complete = _abbreviations(chunks, matches, total, within)
    return _rank(text, complete, typed_of, within=within, on=on, kinds=kinds,
                 include_former=include_former, limit=limit)  # fmt: skip


def _typed_pieces(text: str, chunks: list[str]) -> dict[tuple[int, int], str]:
    """The text as typed for each piece, where keying kept its length (so a piece typed
    in the other script than the record is told apart: 士林区 for 士林區)."""
    out = {}
    raw_chunks = [c for c in (re.sub(r"\s+", "", p) for p in _SEPARATORS.split(text)) if c]
    if len(raw_chunks) != len(chunks):
        return out
    offset = 0
    for raw, chunk in zip(raw_chunks, chunks, strict=True):
        if len(raw) == len(chunk):
            for i in range(len(chunk)):
                for j in range(i + 1, min(len(chunk), i + MAX_SEGMENT) + 1):
                    out[(offset + i, offset + j)] = raw[i:j]
        offset += len(chunk)
    return out


def _chains(matches, total: int) -> dict[int, tuple[int, list]]:
    """Every reading of the whole text as a chain of places, each below the one before:
    {leaf place id: (rank, [(start, end, place id, reason), ...])}, the best per leaf."""
    by_end: dict[int, list[tuple[int, dict]]] = {}
    for (start, end), found in matches.items():
        by_end.setdefault(end, []).append((start, found))
    best: dict[int, dict[int | None, tuple[int, list]]] = {0: {None: (0, [])}}
    for end in range(1, total + 1):
        here: dict[int | None, tuple[int, list]] = {}
        for start, found in by_end.get(end, ()):
            before = best.get(start)
            if not before:
                continue
            for place_id, (cost, reason, path) in found.items():
                options = []
                if None in before:
                    options.append(before[None])
                for ancestor in Place.path_ids(path)[:-1]:
                    if ancestor in before:
                        options.append(before[ancestor])
                for rank, chain in options:
                    candidate = (rank + cost, [*chain, (start, end, place_id, reason)])
                    if place_id not in here or candidate[0] < here[place_id][0]:
                        here[place_id] = candidate
        if here:
            best[end] = here
    return {pk: value for pk, value in best.get(total, {}).items() if pk is not None}


def _abbreviations(chunks, matches, total: int, within: Place | None):
    """When nothing reads the whole text, the last piece may abbreviate a name (阜四社区 →
    阜石路第四社区居委会, 广内街道 → 广安门内街道): searched below the places the text named
    before it, or the caller's scope, or everywhere when the text is only that piece."""
    last = chunks[-1]
    start_of_last = total - len(last)
    found: dict[int, tuple[int, list]] = {}
    for i in range(len(last)):
        start = start_of_last + i
        before = _chains(matches, start) if start else {None: (0, [])}
        if not before:
            continue
        segment = last[i:]
        stem, level = search.split_suffix(segment)
        if not level or not 2 <= len(stem) <= 4:
            continue
        scopes = [pk for pk in before if pk is not None][:5]
        where, params = ["o.status = %s"], [PlaceStatus.CURRENT]
        if scopes:
            paths = list(Place.objects.filter(pk__in=scopes).values_list("path", flat=True))
            where.append("(" + " OR ".join(["o.path LIKE %s"] * len(paths)) + ")")
            params += [p + "%" for p in paths]
        elif within is not None:
            where.append("o.path LIKE %s")
            params.append(within.path + "%")
        hits = search.all_chars_ids(
            "directory_placekey",
            "place_id",
            stem,
            limit=2000,
            where=" AND ".join(where),
            params=params,
        )
        ids = []
        for place_id, full in hits:
            for row_stem, row_level in search.stems_of(full):
                if _compatible(level, row_level) and _is_abbreviation(stem, row_stem):
                    ids.append(place_id)
                    break
        paths = dict(Place.objects.filter(pk__in=ids).values_list("pk", "path"))
        for place_id in ids:
            ancestors = Place.path_ids(paths.get(place_id, ""))[:-1]
            for prefix in [None, *ancestors]:
                if prefix in before:
                    rank, chain = before[prefix]
                    entry = (
                        rank + COST[ABBREVIATION],
                        [*chain, (start, total, place_id, ABBREVIATION)],
                    )
                    if place_id not in found or entry[0] < found[place_id][0]:
                        found[place_id] = entry
                    break
    return found


def _existed_on(place_ids: list[int], on: dt.date) -> set[int]:
    """Former places the register shows in existence on ``on`` (a position held there)."""
    return set(
        Position.objects.on(on).filter(place_id__in=place_ids).values_list("place_id", flat=True)
    )


def _as_typed(chain, typed_of, places):
    """A piece matched exactly by its key but typed in the other script than the record
    (士林区 for 士林區, 台北 for 臺北) is a match by script."""
    out = []
    for start, end, pk, reason in chain:
        typed = typed_of.get((start, end))
        place = places.get(pk)
        if (
            reason == EXACT
            and typed
            and place is not None
            and typed not in (place.name, place.name_hans, place.name_hant)
        ):
            reason = SCRIPT
        out.append((start, end, pk, reason))
    return out


def _rank(text, complete, typed_of, *, within, on, kinds, include_former, limit) -> Resolution:
    if not complete:
        return Resolution(text)
    ids = {pk for _rank_, chain in complete.values() for _s, _e, pk, _r in chain}
    places = Place.objects.select_related("parent", "side").in_bulk(ids)
    former = [pk for pk in complete if pk in places and places[pk].status != PlaceStatus.CURRENT]
    allowed_former = set()
    if include_former:
        allowed_former = set(former)
    elif on is not None and former:
        allowed_former = _existed_on(former, on)
    kinds = set(kinds) if kinds else None
    candidates = []
    for pk, (rank, chain) in complete.items():
        place = places.get(pk)
        if place is None or place.kind in HIDDEN_KINDS:
            continue
        if place.status != PlaceStatus.CURRENT and pk not in allowed_former:
            continue
        if kinds and place.kind not in kinds:
            continue
        if within is not None and not place.is_within(within):
            continue
        chain = _as_typed(chain, typed_of, places)
        reasons = [chain[-1][3]]
        if len(chain) > 1:
            reasons.append(PARENT_CONTEXT)
        if within is not None:
            reasons.append(SCOPE)
        for _s, _e, _pk, reason in chain[:-1]:
            if reason not in (EXACT, SCRIPT, *reasons):
                reasons.append(reason)
        pieces = [(_piece(text, s, e), places[p]) for s, e, p, _r in chain if p in places]
        candidates.append(Candidate(place=place, rank=rank, reasons=reasons, chain=pieces))
    candidates.sort(key=lambda c: (c.rank, len(c.place.path), c.place.path))
    ambiguous = len(candidates) > 1 and candidates[0].rank == candidates[1].rank
    return Resolution(text, candidates[:limit], ambiguous=ambiguous)


def _piece(text: str, start: int, end: int) -> str:
    keyed = "".join(_chunks(text))
    return keyed[start:end]


# --- li chiefs ----------------------------------------------------------------------------

CHIEF_TITLES = ("里長", "村長")
_TITLE_SUFFIX = re.compile(r"(里长|村长|里長|村長)$")
CHIEF_KINDS = (PlaceKind.LI, PlaceKind.VILLAGE)


@dataclass
class ChiefResolution:
    """Who held the chief's office of a li on a date, by the register.

    ``person`` is None when the li is not found, ambiguous (``places`` says which) or had no
    chief that day. ``name_given``/``name_matches``: the name the source wrote, and whether
    the register agrees; when it does not, the register wins and ``note`` keeps the
    source's spelling."""

    text: str
    on: dt.date
    places: Resolution
    place: Place | None = None
    person: Person | None = None
    position: Position | None = None
    name_given: str = ""
    name_matches: bool | None = None
    note: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.places.ambiguous


def _same_name(name: str, person: Person) -> bool:
    key = search.key_of(name)
    names = [person.name, person.name_hans, person.name_hant]
    names += person.aliases.values_list("name", flat=True)  # other spellings (王红薇)
    return key in {search.key_of(n) for n in names if n}


def disagreement_note(*, name_given: str, person: Person, place: Place, on: dt.date) -> str:
    """The note kept when a source's name for a chief disagrees with the register (written
    in the record's language, like the demo's notes)."""
    return (
        f"来源写作“{name_given}”；据里长名册，{on.year}年{on.month}月{on.day}日"
        f"{place.name}里长为{person.name}。"
    )


def resolve_li_chief(
    li_text_or_place: str | Place,
    *,
    on: dt.date,
    name: str | None = None,
    within: Place | None = None,
) -> ChiefResolution:
    """The chief of a li (or Taiwan village) on ``on``: from a text (三民区鼎金里里长,
    高雄市三民區鼎金里) or a place."""
    if isinstance(li_text_or_place, Place):
        place = li_text_or_place
        text = place.name
        places = Resolution(text, [Candidate(place=place, rank=0, reasons=[EXACT])])
    else:
        text = (li_text_or_place or "").strip()
        bare = _TITLE_SUFFIX.sub("", re.sub(r"\s+", "", text)) or text
        places = resolve_place(bare, within=within, on=on, kinds=CHIEF_KINDS)
        place = places.best.place if places.best else None
    result = ChiefResolution(text=text, on=on, places=places, place=place, name_given=name or "")
    if place is None:
        return result
    position = (
        Position.objects.on(on)
        .filter(place=place, title__in=CHIEF_TITLES)
        .filter(Q(person__deleted_at__isnull=True))
        .select_related("person")
        .order_by("-start_date", "id")
        .first()
    )
    if position is None:
        return result
    result.position = position
    result.person = position.person
    if name:
        result.name_matches = _same_name(name, position.person)
        if not result.name_matches:
            result.note = disagreement_note(
                name_given=name, person=position.person, place=place, on=on
            )
    return result
