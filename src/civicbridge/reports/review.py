"""The review of a report's reading: its facts grouped as the exchange page groups records,
and the report's text cut into runs, each fact's words marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The exchange page's order: what the visit was, who came, where they went, what was said
# and agreed, what was given, what came before.
SECTIONS = (
    ("overview", _("The exchange"), ("date", "delegation", "host", "escort")),
    ("groups", _("Groups"), ("group",)),
    ("itinerary", _("Places visited"), ("visit",)),
    ("forums", _("Forums"), ("forum",)),
    ("people", _("People"), ("person",)),
    (
        "pairings",
        _("Appointments, pairings and agreements"),
        ("appointment", "pairing", "agreement", "alliance"),
    ),
    ("topics", _("Topics"), ("topic",)),
    ("gifts", _("Gifts"), ("gift",)),
    ("figures", _("Figures and related visits"), ("statistic", "related_exchange")),
)

# The fields a person may correct, per fact type (FACTS.md), in the order shown.
FIELDS = {
    "date": ("start", "end"),
    "delegation": ("organisation", "size", "leader", "leader_title", "leader_place"),
    "host": ("place", "code"),
    "escort": ("organisation",),
    "group": ("name", "host", "size", "leader"),
    "visit": ("venue", "group", "code"),
    "forum": ("theme", "host", "group"),
    "person": ("name", "title", "place", "side", "person_id"),
    "appointment": ("person", "community", "li"),
    "pairing": ("a", "b", "kind"),
    "agreement": ("parties", "subject"),
    "alliance": ("name", "members"),
    "topic": ("topic",),
    "gift": ("from", "to", "what"),
    "statistic": ("figure", "unit", "about"),
    "related_exchange": ("who", "where", "start", "end"),
}
FIELD_LABELS = {
    "start": _("from"),
    "end": _("to"),
    "organisation": _("organisation"),
    "size": _("headcount"),
    "leader": _("leader"),
    "leader_title": _("leader's title"),
    "leader_place": _("leader's li or community"),
    "place": _("place"),
    "name": _("name"),
    "host": _("host"),
    "venue": _("venue"),
    "group": _("group"),
    "theme": _("theme"),
    "title": _("title as written"),
    "side": _("side (mainland or taiwan)"),
    "person": _("person"),
    "community": _("community"),
    "li": _("li"),
    "a": _("one party"),
    "b": _("the other party"),
    "kind": _("kind (honorary, friendly, agreement)"),
    "parties": _("parties (separated by 、)"),
    "subject": _("subject"),
    "members": _("members (separated by 、)"),
    "topic": _("topic as worded"),
    "from": _("from"),
    "to": _("to"),
    "what": _("what"),
    "figure": _("figure"),
    "unit": _("what is counted"),
    "about": _("about"),
    "who": _("who"),
    "where": _("where"),
}
NUMBER_FIELDS = {"size", "figure"}
LIST_FIELDS = {"parties", "members"}
LIST_SEPARATOR = "、"
TYPE_LABELS = {
    "date": _("Dates"),
    "delegation": _("Delegation"),
    "host": _("Host place"),
    "escort": _("Escort"),
    "group": _("Group"),
    "visit": _("Visit"),
    "forum": _("Forum"),
    "person": _("Person"),
    "appointment": _("Appointment"),
    "pairing": _("Pairing"),
    "agreement": _("Agreement"),
    "alliance": _("Alliance"),
    "topic": _("Topic"),
    "gift": _("Gift"),
    "statistic": _("Figure"),
    "related_exchange": _("Related visit"),
}


@dataclass
class Run:
    """A run of the report's text; ``fact`` is the index of the fact whose words it is."""

    text: str
    fact: int | None = None


@dataclass
class Section:
    key: str
    title: str
    facts: list[tuple[int, dict]] = field(default_factory=list)


def runs(text: str, facts: list[dict]) -> list[Run]:
    """The text cut at the facts' spans; where spans overlap the earlier fact keeps its
    words (the later one is still listed, its words inside the earlier's)."""
    marks = sorted(
        (
            (f["span"][0], f["span"][1], i)
            for i, f in enumerate(facts)
            if isinstance(f.get("span"), list)
            and len(f["span"]) == 2
            and 0 <= f["span"][0] < f["span"][1] <= len(text)
        ),
    )
    out: list[Run] = []
    position = 0
    for start, end, index in marks:
        if start < position:
            continue
        if start > position:
            out.append(Run(text[position:start]))
        out.append(Run(text[start:end], index))
        position = end
    if position < len(text):
        out.append(Run(text[position:]))
    return out


def sections(facts: list[dict]) -> list[Section]:
    by_type = {kind: key for key, _title, kinds in SECTIONS for kind in kinds}
    found = {key: Section(key, str(title)) for key, title, _kinds in SECTIONS}
    for index, fact in enumerate(facts):
        key = by_type.get(fact.get("type"))
        if key:
            found[key].facts.append((index, fact))
    return [s for s in found.values() if s.facts]
