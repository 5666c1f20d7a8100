"""Reads shared by the pages, the API and the documents: the speakers and the topics
discussed of an exchange, the taxonomy with how often each topic was discussed, and where
a topic was discussed. Each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from civicbridge.forums.models import Speaker, Topic, TopicMention

SPEAKER_RELATED = ("person", "organisation", "place")


def speakers_by_activity(exchange) -> dict[int, list[Speaker]]:
    """The speakers of every activity of the exchange (a forum's are its activity's), by
    activity id, in their order."""
    out: dict[int, list[Speaker]] = defaultdict(list)
    for speaker in (
        Speaker.objects.filter(activity__exchange=exchange)
        .select_related(*SPEAKER_RELATED)
        .order_by("activity_id", "order", "id")
    ):
        out[speaker.activity_id].append(speaker)
    return out


def exchange_mentions(exchange) -> list[TopicMention]:
    """Every topic discussed in the exchange (on it, at its groups, activities and forums),
    with its topic and broader topic."""
    return list(
        TopicMention.objects.filter(exchange=exchange)
        .select_related("topic__parent")
        .order_by("order", "id")
    )


def taxonomy():
    """Every topic with its broader topic and how many times it was discussed (in exchanges
    not deleted), broader topics before their narrower ones."""
    topics = list(
        Topic.objects.select_related("parent").annotate(
            discussed=Count(
                "mentions", filter=Q(mentions__exchange__deleted_at__isnull=True), distinct=True
            )
        )
    )
    children = defaultdict(list)
    for t in topics:
        children[t.parent_id].append(t)
    ordered: list = []

    def walk(parent_id, depth):
        for t in children.get(parent_id, []):
            t.depth = depth
            ordered.append(t)
            walk(t.pk, depth + 1)

    walk(None, 0)
    return ordered


def topic_with_narrower(topic) -> list[int]:
    """The ids of ``topic`` and every topic below it."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    ids = {topic.pk}
    grew = True
    while grew:
        more = {pk for pk, parent in parents.items() if parent in ids and pk not in ids}
        ids |= more
        grew = bool(more)
    return sorted(ids)


def discussions_of(topic) -> list[TopicMention]:
    """Where ``topic`` (or a narrower one) was discussed: its mentions in exchanges not
    deleted, with their exchange, group, activity and forum, latest exchange first."""
    return list(
        TopicMention.objects.filter(
            topic_id__in=topic_with_narrower(topic), exchange__deleted_at__isnull=True
        )
        .select_related("topic", "exchange", "group__host_place", "activity", "forum")
        .order_by("-exchange__start_date", "exchange_id", "order", "id")
    )
