"""The forums and the "Topics and speakers" sections of the exchange page, and the
itinerary's activity rows with their topics and speakers (``itinerary_context``). The forums
section of the exchange page (京台社区大讲堂: theme, agenda, speakers, topics,
outcomes): what its template (``forums/section.html``) is given. The page and the views
that edit a forum are in the page tier (``civicbridge/pages/exchange/forums.py``).

Permissions: recording a forum on an activity needs ``exchanges.change_activity`` on that
activity; every edit of a forum needs ``forums.change_forum`` on it (the same answer). The
section shows each forum's edit panel only to those."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.core.choices import choice_labels
from civicbridge.exchanges import sections as exchange_sections
from civicbridge.exchanges.models import ActivityKind
from civicbridge.exchanges.rules import editable_activity_ids, editable_group_ids
from civicbridge.exchanges.sections import exchange_activities
from civicbridge.forums import forms
from civicbridge.forums.models import AgendaItem, Forum, Speaker
from civicbridge.forums.selectors import (
    SPEAKER_RELATED,
    exchange_mentions,
    speakers_by_activity,
)

__all__ = [
    "SPEAKER_RELATED",
    "editable_activity_speakers",
    "editable_mentions",
    "forums_section_context",
    "itinerary_context",
    "topics_section_context",
]


def _once(exchange, key: str, read):
    """``read(exchange)`` once per exchange object: the itinerary, forums and topics sections
    of one page share the exchange's speakers and topics discussed (as they share its
    activities, ``exchange_activities``)."""
    cached = exchange.__dict__.get(key)
    if cached is None:
        cached = read(exchange)
        exchange.__dict__[key] = cached
    return cached


def page_speakers(exchange) -> dict:
    return _once(exchange, "_page_speakers", speakers_by_activity)


def page_mentions(exchange) -> list:
    return _once(exchange, "_page_mentions", exchange_mentions)


def page_forum_activities(exchange) -> dict[int, int]:
    """forum id → activity id, for the exchange's forums."""
    return _once(
        exchange,
        "_page_forum_activities",
        lambda e: dict(Forum.objects.filter(activity__exchange=e).values_list("pk", "activity_id")),
    )


def itinerary_context(request, exchange) -> dict:
    """The itinerary section's context (``exchanges.sections.itinerary_context``) with, on
    each activity's row, the topics discussed there and its speakers (but for a forum's
    activity: the forums section shows them with the forum)."""
    ctx = exchange_sections.itinerary_context(request, exchange)
    mentions = defaultdict(list)
    forum_activities = page_forum_activities(exchange)
    for m in page_mentions(exchange):
        activity_id = m.activity_id or forum_activities.get(m.forum_id)
        if activity_id is not None:
            mentions[activity_id].append(m)
    speakers = page_speakers(exchange)
    with_forum = set(forum_activities.values())
    for item in [i for day in ctx["days"] for i in day["items"]] + list(ctx["unscheduled"]):
        pk = item["activity"].pk
        if pk in with_forum:  # a forum's topics and speakers are shown with the forum
            continue
        item["topics"] = [
            forms.topic_label(m.topic) if m.topic else f"“{m.wording}”" for m in mentions[pk]
        ]
        item["speakers"] = speakers.get(pk, [])
    return ctx


def _parts() -> list[tuple[str, str]]:
    """The parts of a forum's edit panel: (URL name in "exchanges:forums", title). The edit
    forms are not rendered in the section: each part is fetched from its own URL when the
    panel is opened (exchanges/includes/lazy_part.html)."""
    return [
        ("topics", _("Topics")),
        ("speaker_add", _("Add a speaker")),
        ("agenda_add", _("Add to the agenda")),
        ("outcome_add", _("Add an outcome")),
        ("edit", _("Theme and summary")),
    ]


def forums_section_context(request, exchange) -> dict:
    """The forums of the exchange with everything they show, in a fixed number of queries."""
    # The activities (with their place, venue and groups) are the itinerary's, read once
    # for the page; an agenda item's speakers are the forum's, so only their ids are read.
    activities = {a.pk: a for a in exchange_activities(exchange)}
    forum_list = list(
        Forum.objects.filter(activity__exchange=exchange)
        .prefetch_related("agenda", "outcomes")
        .order_by("activity__starts_at", "id")
    )
    speakers = page_speakers(exchange) if forum_list else {}
    mentions = defaultdict(list)
    for mention in page_mentions(exchange) if forum_list else ():
        if mention.forum_id is not None:
            mentions[mention.forum_id].append(mention)
    item_speakers = defaultdict(set)
    for item_id, speaker_id in AgendaItem.speakers.through.objects.filter(
        agendaitem__forum__activity__exchange=exchange
    ).values_list("agendaitem_id", "speaker_id"):
        item_speakers[item_id].add(speaker_id)
    for forum in forum_list:
        forum.activity = activities[forum.activity_id]
    with_forum = {f.activity_id for f in forum_list}
    waiting = [
        a for a in activities.values() if a.kind == ActivityKind.FORUM and a.pk not in with_forum
    ]
    # forums.change_forum on a forum = exchanges.change_activity on its activity.
    editable = editable_activity_ids(
        request.user, exchange, [f.activity for f in forum_list] + waiting
    )
    parts = _parts()
    sides = choice_labels(Speaker, "side")
    kinds = choice_labels(AgendaItem, "kind")
    rows = []
    for forum in forum_list:
        can_edit = forum.activity_id in editable
        forum_speakers = speakers.get(forum.activity_id, [])
        rows.append(
            {
                "forum": forum,
                "can_edit": can_edit,
                "speakers": [
                    {"speaker": sp, "side": sides.get(sp.side, sp.side)} for sp in forum_speakers
                ],
                "agenda": [
                    {
                        "item": item,
                        "kind": kinds.get(item.kind, item.kind),
                        "speakers": [
                            sp for sp in forum_speakers if sp.pk in item_speakers[item.pk]
                        ],
                    }
                    for item in forum.agenda.all()
                ],
                "outcomes": list(forum.outcomes.all()),
                "topics": [
                    {
                        "label": forms.topic_label(m.topic) if m.topic else m.wording,
                        "wording": m.wording if m.topic else "",
                        "unfiled": m.topic is None,
                    }
                    for m in mentions[forum.pk]
                ],
                "parts": (
                    [
                        {
                            "title": title,
                            "url": reverse(
                                f"exchanges:forums:{name}", args=[exchange.pk, forum.pk]
                            ),
                        }
                        for name, title in parts
                    ]
                    if can_edit
                    else []
                ),
            }
        )
    return {
        "forums": rows,
        "waiting": [
            {
                "activity": a,
                "can_create": a.pk in editable,
                "form": forms.ForumCreateForm(prefix=f"f{a.pk}") if a.pk in editable else None,
                "action": reverse("exchanges:forums:create", args=[exchange.pk, a.pk]),
            }
            for a in waiting
        ],
    }


# --- topics discussed, speakers at activities ----------------------------------------------


def _mention_row(mention) -> dict:
    topic = mention.topic
    return {
        "mention": mention,
        "label": forms.topic_label(topic) if topic else "",
        "broader": forms.topic_label(topic.parent) if topic and topic.parent else "",
        "topic_url": reverse("topics:detail", args=[topic.code]) if topic else "",
    }


def _where_discussed(mention, forum_activities) -> int | None:
    """The activity a topic was discussed at (a forum's: its activity), if any."""
    return mention.activity_id or forum_activities.get(mention.forum_id)


def topics_section_context(request, exchange) -> dict:
    """The topics discussed in the exchange, grouped by where they were discussed (the
    exchange as a whole, each group, each activity; a forum's are shown with the forum, in
    the forums section), the wordings not yet filed marked; and the speakers at activities
    other than forums (a forum's, likewise, are in the forums section). The forms (for
    every topic the user may change, a forum's too) are fetched on demand. A fixed number
    of queries."""
    activities = exchange_activities(exchange)
    mentions = page_mentions(exchange)
    speakers = page_speakers(exchange)
    forum_activities = page_forum_activities(exchange)
    user = request.user
    editable_acts = editable_activity_ids(user, exchange, activities)
    can_mention = (
        bool(editable_acts)
        or bool(editable_group_ids(user, exchange))
        or user.has_perm("exchanges.change_exchange", exchange)
    )
    on_exchange, by_group, by_activity = [], defaultdict(list), defaultdict(list)
    at_forums = 0
    for m in mentions:
        if m.forum_id is not None:  # shown with its forum (the forums section)
            at_forums += 1
            continue
        row = _mention_row(m)
        activity_id = _where_discussed(m, forum_activities)
        if activity_id is not None:
            by_activity[activity_id].append(row)
        elif m.group_id is not None:
            by_group[m.group_id].append(row)
        else:
            on_exchange.append(row)
    places = []
    if on_exchange:
        places.append({"label": _("On the exchange as a whole"), "rows": on_exchange})
    for g in exchange.groups.all():
        if by_group[g.pk]:
            places.append({"label": g.name, "kind": _("Group"), "rows": by_group[g.pk]})
    with_forum = set(forum_activities.values())
    for a in activities:
        if by_activity[a.pk]:
            places.append(
                {
                    "label": a.title,
                    "kind": _("Forum") if a.pk in with_forum else _("Activity"),
                    "when": a.starts_at,
                    "rows": by_activity[a.pk],
                }
            )
    sides = choice_labels(Speaker, "side")
    speaker_rows = [
        {
            "activity": a,
            "speakers": [
                {"speaker": sp, "side": sides.get(sp.side, sp.side)} for sp in speakers[a.pk]
            ],
        }
        for a in activities
        if a.pk not in with_forum and speakers.get(a.pk)
    ]
    return {
        "topic_places": places,
        "unfiled_count": sum(1 for m in mentions if m.topic_id is None),
        "at_forums": at_forums,
        "activity_speakers": speaker_rows,
        "mention_add_url": (
            reverse("exchanges:forums:mention_add", args=[exchange.pk]) if can_mention else ""
        ),
        "speaker_add_url": (
            reverse("exchanges:forums:activity_speaker_add", args=[exchange.pk])
            if editable_acts
            else ""
        ),
        "taxonomy_url": reverse("topics:list"),
    }


def editable_mentions(request, exchange) -> list[dict]:
    """The topics discussed in the exchange that the user may file or remove (the rule of
    ``forums.change_topicmention``: by where they were discussed), each with where, and its
    file and remove URLs."""
    activities = exchange_activities(exchange)
    by_id = {a.pk: a for a in activities}
    groups = {g.pk: g for g in exchange.groups.all()}
    user = request.user
    editable_acts = editable_activity_ids(user, exchange, activities)
    editable_groups = editable_group_ids(user, exchange)
    can_exchange = user.has_perm("exchanges.change_exchange", exchange)
    forum_activities = page_forum_activities(exchange)
    rows = []
    for m in page_mentions(exchange):
        activity_id = _where_discussed(m, forum_activities)
        if activity_id is not None:
            can, where = activity_id in editable_acts, by_id[activity_id].title
        elif m.group_id is not None:
            can, where = m.group_id in editable_groups, groups[m.group_id].name
        else:
            can, where = can_exchange, str(_("the exchange as a whole"))
        if not can:
            continue
        row = _mention_row(m)
        row["where"] = where
        row["remove_url"] = reverse("exchanges:forums:mention_remove", args=[exchange.pk, m.pk])
        row["file_url"] = (
            reverse("exchanges:forums:mention_file", args=[exchange.pk, m.pk])
            if m.topic_id is None
            else ""
        )
        rows.append(row)
    return rows


def editable_activity_speakers(request, exchange) -> list:
    """The speakers at activities other than forums that the user may remove, each with its
    ``remove_url`` and ``activity``."""
    activities = exchange_activities(exchange)
    editable = editable_activity_ids(request.user, exchange, activities)
    with_forum = set(page_forum_activities(exchange).values())
    speakers = page_speakers(exchange)
    out = []
    for a in activities:
        if a.pk in editable and a.pk not in with_forum:
            for sp in speakers.get(a.pk, []):
                sp.activity = a
                sp.remove_url = reverse(
                    "exchanges:forums:activity_speaker_remove", args=[exchange.pk, sp.pk]
                )
                out.append(sp)
    return out
