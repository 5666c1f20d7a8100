"""The forums section of the exchange page (京台社区大讲堂: theme, agenda, speakers, topics,
outcomes): what its template (``forums/section.html``) is given. The page and the views
that edit a forum are in the page tier (``civicbridge/pages/exchange/forums.py``).

Permissions: recording a forum on an activity needs ``exchanges.change_activity`` on that
activity; every edit of a forum needs ``forums.change_forum`` on it (the same answer). The
section shows each forum's edit panel only to those."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.core.choices import choice_labels
from civicbridge.exchanges.models import ActivityKind
from civicbridge.exchanges.rules import editable_activity_ids
from civicbridge.exchanges.sections import exchange_activities
from civicbridge.forums import forms
from civicbridge.forums.models import AgendaItem, Forum, ForumTopic, Speaker

SPEAKER_RELATED = ("person", "organisation", "place")


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
        .prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.select_related(*SPEAKER_RELATED)),
            "agenda",
            Prefetch("forum_topics", queryset=ForumTopic.objects.select_related("topic")),
            "outcomes",
        )
        .order_by("activity__starts_at", "id")
    )
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
        forum_speakers = list(forum.speakers.all())
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
                    {"label": forms.topic_label(ft.topic), "wording": ft.wording}
                    for ft in forum.forum_topics.all()
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
