"""Simplified/Traditional conversion for display.

Content is stored as entered and converted for the reader. Two rules keep names right:

* Names (people, places, organisations) are converted once, when they are written, by
  :func:`convert_name`, and stored in both scripts on the record; the stored pair can be
  corrected by hand. Plain character conversion gets names wrong (邱郁惠 would become
  邱鬱惠, 慈佑里 would become 慈佑裡), so characters that are almost always themselves in
  names are kept as written.
* Free text (descriptions, messages) goes through OpenCC's ``s2tw``/``tw2s`` (never
  ``s2twp``, which rewrites vocabulary: 社区 → 社群), then through a phrase table of the
  names we know, so a name inside a sentence comes out the way the record spells it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from functools import lru_cache

HANS = "hans"
HANT = "hant"

# Characters that a name keeps whatever the script: surnames and given-name characters
# whose first OpenCC candidate is a different word (郁→鬱, 余→餘, 于→於, 游→遊, 朴→樸),
# and 里 (a Taipei li is 里, never 裡).
NAME_KEEP = frozenset("郁余于游朴里谷范沈姜后佑杰咸")


@lru_cache(maxsize=4)
def _opencc(config: str):
    import opencc  # noqa: PLC0415 (heavy)

    return opencc.OpenCC(config)


def _raw(text: str, to: str) -> str:
    return _opencc("s2tw" if to == HANT else "tw2s").convert(text)


def script_of_language(language_code: str | None) -> str:
    """The script a reader of ``language_code`` reads: zh-hant/zh-tw/zh-hk → Traditional."""
    code = (language_code or "").lower()
    if code.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")):
        return HANT
    return HANS


def convert_name(name: str, to: str) -> str:
    """Convert a person's or place's name to script ``to``, keeping name characters."""
    if not name:
        return name
    out = _raw(name, to)
    if len(out) != len(name):  # a phrase changed length; trust OpenCC
        return out
    return "".join(src if src in NAME_KEEP else dst for src, dst in zip(name, out, strict=True))


def convert_names(names: list[str], to: str) -> list[str]:
    """:func:`convert_name` for many names in one OpenCC call (much faster for imports)."""
    if not names:
        return []
    if any("\n" in n for n in names):
        return [convert_name(n, to) for n in names]
    raw = _raw("\n".join(names), to).split("\n")
    if len(raw) != len(names):
        return [convert_name(n, to) for n in names]
    out = []
    for name, conv in zip(names, raw, strict=True):
        # Only a changed name holding a kept character needs mending (most need none: the
        # national directory converts 690,000 names in one import).
        if len(conv) == len(name) and conv != name and not NAME_KEEP.isdisjoint(name):
            conv = "".join(s if s in NAME_KEEP else d for s, d in zip(name, conv, strict=True))
        out.append(conv)
    return out


def name_pair(name: str) -> tuple[str, str]:
    """(Simplified, Traditional) forms of a name, for storing on the record."""
    return convert_name(name, HANS), convert_name(name, HANT)


# Spaces, and what no stored name holds and PostgreSQL cannot take in a query (NUL and
# the other controls, lone surrogates): dropped from search keys.
_NOT_IN_KEYS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+")


def search_key(text: str) -> str:
    """A normal form for matching in either script: Simplified, 臺→台, lower-case, no spaces
    (nor control characters, which a query may carry and no name holds)."""
    if not text:
        return ""
    return _NOT_IN_KEYS.sub("", _raw(_NOT_IN_KEYS.sub(" ", text), HANS).replace("臺", "台")).lower()


def search_key_of_simplified(text: str) -> str:
    """:func:`search_key` of a text already in Simplified (skips the conversion)."""
    return _NOT_IN_KEYS.sub("", text.replace("臺", "台")).lower()


# No name or title is longer (Named.name, Exchange.title): a longer query matches nothing,
# and SQLite refuses LIKE patterns of more than 50,000 characters.
MAX_QUERY_LENGTH = 200


def query_text(text: str) -> str:
    """A typed query as it may be sent to the database: controls and lone surrogates
    become spaces, then trimmed; "" for a query longer than any name (it matches nothing)."""
    text = _NOT_IN_KEYS.sub(" ", text or "").strip() if text else ""
    return "" if len(text) > MAX_QUERY_LENGTH else text


# --- free text -------------------------------------------------------------------------

# Providers return (simplified, traditional) pairs of names the database knows.
_providers: list[Callable[[], Iterable[tuple[str, str]]]] = []
_fix_lock = threading.Lock()
_fixes: dict[str, tuple[dict[str, str], re.Pattern | None, float]] = {}


def register_name_provider(provider: Callable[[], Iterable[tuple[str, str]]]) -> None:
    """Let an app contribute the names it stores (called from AppConfig.ready)."""
    _providers.append(provider)
    invalidate_names()


def invalidate_names() -> None:
    with _fix_lock:
        _fixes.clear()


# Fixed corrections after s2tw: 里 as in 里長 (li chief) is never 裡, even when the text was
# Traditional already (s2tw turns 里長 into 裡長).
STATIC_FIXES = {
    HANT: {"裡長": "里長", "裡民": "里民", "裡辦公處": "里辦公處", "裡幹事": "里幹事"},
    HANS: {},
}
FIX_TABLE_SECONDS = 300  # other processes' new names reach this one within five minutes


def _fix_table(to: str) -> tuple[dict[str, str], re.Pattern | None]:
    now = time.monotonic()
    with _fix_lock:
        cached = _fixes.get(to)
    if cached is not None and now - cached[2] < FIX_TABLE_SECONDS:
        return cached[0], cached[1]
    sources: list[str] = []
    wanted: list[str] = []
    for provider in _providers:
        try:
            pairs = list(provider())
        except Exception:  # noqa: BLE001 — no database (yet): convert without name fixes
            pairs = []
        for hans, hant in pairs:
            if hans and hant and "\n" not in hans and "\n" not in hant:
                sources.append(hans if to == HANT else hant)
                wanted.append(hant if to == HANT else hans)
    table: dict[str, str] = {}
    if sources:
        converted = _raw("\n".join(sources), to).split("\n")
        if len(converted) == len(sources):
            for wrong, right in zip(converted, wanted, strict=True):
                if wrong != right and len(wrong) > 1:
                    table[wrong] = right
    table.update(STATIC_FIXES[to])
    pattern = (
        re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
        if table
        else None
    )
    with _fix_lock:
        _fixes[to] = (table, pattern, now)
    return table, pattern


def convert_text(text: str, to: str) -> str:
    """Convert free text to script ``to``; known names come out as their records spell them."""
    if not text:
        return text
    out = _raw(text, to)
    table, pattern = _fix_table(to)
    if pattern is not None:
        out = pattern.sub(lambda m: table[m.group(0)], out)
    return out
