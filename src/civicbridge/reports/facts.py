"""The facts format (``civicbridge-report-facts``, version 1): what a reading of a news
report prints and what ``record-facts`` records. ``read_document`` checks a document and
returns it as :class:`Document`, or raises :class:`FactsError` listing every problem.

The format (shared/reports/FACTS.md): ``{"format": "civicbridge-report-facts", "version": 1,
"published": "2016-04-25", "facts": [{"type": "date", "start": …, "end": …, "span": [1, 6]},
…]}``. Names are written as the report writes them; a resolved directory record is given
beside them (``code`` for a place, ``register`` for a person), never instead of them.

Besides FACTS.md's fields a document may say where it comes from, for the Source recorded
with it: ``headline``, ``publishers``, ``url``, ``dateline``, ``reporter``, ``script``
("hans"/"hant") and ``text_sha256`` (the text as read; a report is recorded once). ``report``
and ``notes`` (a gold reading's) are accepted and ignored, as are a fact's ``note(s)``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicbridge.core.services import EARLIEST_DATE, LATEST_DATE, validate_text

FORMAT = "civicbridge-report-facts"
VERSION = 1
MAX_FACTS = 2000
MAX_TEXT = 300
MAX_LIST = 50

TEXT, INT, NUMBER, DATE, BOOL, CODE, SIDE, KIND, LIST = (
    "text",
    "int",
    "number",
    "date",
    "bool",
    "code",
    "side",
    "kind",
    "list",
)
SIDES = ("mainland", "taiwan")
PAIRING_KINDS = ("honorary", "friendly", "agreement")

# type: (fields and their types, required fields, "at least one of" fields)
TYPES: dict[str, tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]] = {
    "date": ({"start": DATE, "end": DATE}, ("start", "end"), ()),
    "delegation": (
        {
            "organisation": TEXT,
            "size": INT,
            "leader": TEXT,
            "leader_title": TEXT,
            "leader_place": TEXT,
        },
        ("organisation",),
        (),
    ),
    "host": ({"place": TEXT, "code": CODE}, ("place",), ()),
    "escort": ({"organisation": TEXT}, ("organisation",), ()),
    "group": (
        {"host": TEXT, "size": INT, "leader": TEXT, "name": TEXT},
        (),
        ("host", "name"),
    ),
    "visit": ({"venue": TEXT, "group": TEXT, "code": CODE}, ("venue",), ()),
    "forum": ({"theme": TEXT, "host": TEXT, "group": TEXT}, (), ("theme", "host")),
    "person": (
        {
            "name": TEXT,
            "title": TEXT,
            "place": TEXT,
            "side": SIDE,
            "register": BOOL,
            "person_id": INT,
        },
        ("name",),
        (),
    ),
    "appointment": (
        {"person": TEXT, "community": TEXT, "li": TEXT, "register": BOOL},
        ("person", "community"),
        (),
    ),
    "pairing": ({"a": TEXT, "b": TEXT, "kind": KIND}, ("a", "b"), ()),
    "agreement": ({"parties": LIST, "subject": TEXT}, ("parties",), ()),
    "alliance": ({"name": TEXT, "members": LIST}, ("name",), ()),
    "topic": ({"topic": TEXT}, ("topic",), ()),
    "gift": ({"from": TEXT, "to": TEXT, "what": TEXT}, (), ("from", "to", "what")),
    "statistic": ({"figure": NUMBER, "unit": TEXT, "about": TEXT}, ("figure", "unit"), ()),
    "related_exchange": (
        {"start": DATE, "end": DATE, "who": TEXT, "where": TEXT},
        (),
        ("start", "where"),
    ),
}
# Every fact may carry these besides its type's fields.
COMMON_FIELDS = {"type", "span", "note", "notes"}
# A document may carry these besides format, version, published and facts (ignored).
DOCUMENT_FIELDS = {
    "format",
    "version",
    "published",
    "facts",
    "report",
    "notes",
    "headline",
    "publishers",
    "url",
    "dateline",
    "reporter",
    "script",
    "text_sha256",
}
_CODE = re.compile(r"^[0-9]{2,12}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class FactsError(ValidationError):
    """The document is not a valid facts document; ``problems`` lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(self.problems)


@dataclass
class Fact:
    index: int
    type: str
    values: dict
    span: tuple[int, int] | None = None

    def get(self, name: str, default=None):
        value = self.values.get(name)
        return default if value in (None, "", []) else value


@dataclass
class Document:
    published: dt.date | None
    facts: list[Fact] = field(default_factory=list)
    source: dict = field(default_factory=dict)

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.type == kind]


def parse_date(value) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) within the project's range, else None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


# Fields that hold a name (of a place, organisation or person): no direction overrides.
NAME_FIELDS = {
    "organisation", "leader", "leader_place", "place", "host", "name", "venue", "group",
    "person", "community", "li", "a", "b", "parties", "members", "from", "to", "who", "where",
}  # fmt: skip


def _text_problem(value, where: str, *, max_length: int = MAX_TEXT, name=False) -> str | None:
    if not isinstance(value, str):
        return _("%(where)s must be a text.") % {"where": where}
    try:
        validate_text(value, field="text", max_length=max_length, required=False, name=name)
    except ValidationError as exc:
        messages = [m for ms in exc.message_dict.values() for m in ms]
        return f"{where}: {' '.join(messages)}"
    return None


def _check_value(kind: str, value, where: str, *, name: bool = False) -> str | None:
    if kind == TEXT:
        return _text_problem(value, where, name=name)
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100000:
            return _("%(where)s must be a whole number from 0 to 100000.") % {"where": where}
        return None
    if kind == NUMBER:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or value != value  # NaN
            or not -1e10 < value < 1e10
        ):
            return _("%(where)s must be a number.") % {"where": where}
        return None
    if kind == DATE:
        if parse_date(value) is None:
            return _("%(where)s must be an ISO date (YYYY-MM-DD) between %(a)s and %(b)s.") % {
                "where": where,
                "a": EARLIEST_DATE.isoformat(),
                "b": LATEST_DATE.isoformat(),
            }
        return None
    if kind == BOOL:
        if not isinstance(value, bool):
            return _("%(where)s must be true or false.") % {"where": where}
        return None
    if kind == CODE:
        if not isinstance(value, str) or not _CODE.match(value):
            return _("%(where)s must be a division code (2 to 12 digits).") % {"where": where}
        return None
    if kind == SIDE:
        if value not in SIDES:
            return _("%(where)s must be “mainland” or “taiwan”.") % {"where": where}
        return None
    if kind == KIND:
        if value not in PAIRING_KINDS:
            return _("%(where)s must be “honorary”, “friendly” or “agreement”.") % {"where": where}
        return None
    if kind == LIST:
        if not isinstance(value, list) or len(value) > MAX_LIST:
            return _("%(where)s must be a list of at most %(n)s names.") % {
                "where": where,
                "n": MAX_LIST,
            }
        for i, item in enumerate(value):
            problem = _text_problem(item, f"{where}[{i}]", name=True)
            if problem is None and not item.strip():
                problem = _("%(where)s is empty.") % {"where": f"{where}[{i}]"}
            if problem:
                return problem
        return None
    raise AssertionError(kind)  # pragma: no cover


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _check_fact(i: int, raw, problems: list[str]) -> Fact | None:
    where = f"facts[{i}]"
    if not isinstance(raw, dict):
        problems.append(_("%(where)s must be an object.") % {"where": where})
        return None
    kind = raw.get("type")
    if kind not in TYPES:
        problems.append(
            _("%(where)s: unknown type %(type)s.") % {"where": where, "type": repr(kind)[:40]}
        )
        return None
    where = f"facts[{i}] ({kind})"
    fields, required, one_of = TYPES[kind]
    before = len(problems)
    for name in sorted(set(raw) - set(fields) - COMMON_FIELDS, key=str):
        problems.append(
            _("%(where)s: unknown field %(field)s.") % {"where": where, "field": repr(name)[:40]}
        )
    for name in required:
        if _empty(raw.get(name)):
            problems.append(
                _("%(where)s: %(field)s is required.") % {"where": where, "field": name}
            )
    if one_of and all(_empty(raw.get(name)) for name in one_of):
        problems.append(
            _("%(where)s: give at least one of %(fields)s.")
            % {"where": where, "fields": ", ".join(one_of)}
        )
    values = {}
    for name, type_ in fields.items():
        value = raw.get(name)
        if value is None or (type_ == TEXT and value == ""):
            continue
        problem = _check_value(type_, value, f"{where} {name}", name=name in NAME_FIELDS)
        if problem:
            problems.append(problem)
        else:
            values[name] = value.strip() if isinstance(value, str) else value
    if kind in ("date", "related_exchange") and not problems[before:]:
        start, end = parse_date(values.get("start")), parse_date(values.get("end"))
        if start and end and end < start:
            problems.append(_("%(where)s: end is before start.") % {"where": where})
    parties = values.get("parties")
    if kind == "agreement" and isinstance(parties, list) and len(parties) < 2:
        problems.append(_("%(where)s: an agreement has two parties or more.") % {"where": where})
    span = raw.get("span")
    if span is not None and not (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in span)
        and 0 <= span[0] <= span[1] <= 10_000_000
    ):
        problems.append(_("%(where)s: span must be [start, end), two offsets.") % {"where": where})
        span = None
    if len(problems) > before:
        return None
    return Fact(index=i, type=kind, values=values, span=tuple(span) if span else None)


def read_document(document) -> Document:
    """Check ``document`` (the parsed JSON) and return it read; raise FactsError with
    every problem found (nothing is recorded from an invalid document)."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise FactsError([_("The document must be a JSON object.")])
    if document.get("format") != FORMAT:
        problems.append(_("format must be “%(format)s”.") % {"format": FORMAT})
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        problems.append(_("version must be %(version)s.") % {"version": VERSION})
    for name in sorted(set(document) - DOCUMENT_FIELDS, key=str):
        problems.append(_("unknown field %(field)s.") % {"field": repr(name)[:40]})
    published = None
    if document.get("published") is not None:
        published = parse_date(document["published"])
        if published is None:
            problems.append(_("published must be an ISO date (YYYY-MM-DD) or null."))
    source = {}
    for name, limit in (
        ("headline", 300),
        ("publishers", 300),
        ("url", 1000),
        ("dateline", 200),
        ("reporter", 200),
    ):
        value = document.get(name)
        if value in (None, ""):
            continue
        problem = _text_problem(value, name, max_length=limit)
        if problem:
            problems.append(problem)
        else:
            source[name] = value.strip()
    if source.get("url") and not re.match(r"^https?://\S+$", source["url"]):
        problems.append(_("url must be an http(s) address."))
    if document.get("script") not in (None, "", "hans", "hant"):
        problems.append(_("script must be “hans” or “hant”."))
    elif document.get("script"):
        source["script"] = document["script"]
    sha = document.get("text_sha256")
    if sha not in (None, ""):
        if not isinstance(sha, str) or not _SHA256.match(sha):
            problems.append(_("text_sha256 must be 64 lower-case hex digits."))
        else:
            source["text_sha256"] = sha
    raw_facts = document.get("facts")
    facts: list[Fact] = []
    if not isinstance(raw_facts, list):
        problems.append(_("facts must be a list."))
    elif len(raw_facts) > MAX_FACTS:
        problems.append(_("At most %(n)s facts in one document.") % {"n": MAX_FACTS})
    else:
        for i, raw in enumerate(raw_facts):
            fact = _check_fact(i, raw, problems)
            if fact is not None:
                facts.append(fact)
        if len([f for f in facts if f.type == "date"]) > 1:
            problems.append(_("At most one date fact (the exchange's span of days)."))
    if problems:
        raise FactsError(problems)
    return Document(published=published, facts=facts, source=source)
