"""Writes for forums (京台社区大讲堂): theme, agenda, speakers, topics, outcomes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core.services import (
    bump_version,
    check_version,
    create_record,
    validate_text,
    validate_text_fields,
)
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges.models import Activity, ActivityKind, Side
from civicbridge.forums.models import AgendaItem, Forum, ForumTopic, Outcome, Speaker, Topic
from civicbridge.forums.topics import TOPICS

# Pages and the API pass the acting user as ``actor=`` and the services ask the rules
# (forums/rules.py, exchanges/rules.py) by name; ``actor=None`` is the system (the demo,
# the import).


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


@transaction.atomic
def create_forum(*, activity: Activity, theme: str = "", summary: str = "", actor=None) -> Forum:
    """``actor`` must be allowed to change the activity."""
    _require(actor, "exchanges.change_activity", activity)
    if activity.kind != ActivityKind.FORUM:
        raise ValidationError({"activity": _("Only an activity of kind forum can hold a forum.")})
    if Forum.objects.filter(activity=activity).exists():
        raise ValidationError({"activity": _("This activity already has a forum.")})
    return create_record(
        Forum,
        activity=activity,
        theme=validate_text(theme, field="theme", max_length=200, required=False),
        summary=summary,
    )


@transaction.atomic
def update_forum(
    *, forum: Forum, expected_version: int | None = None, theme=None, summary=None, actor=None
) -> Forum:
    _require(actor, "forums.change_forum", forum)
    check_version(forum, expected_version)
    if theme is not None:
        forum.theme = validate_text(theme, field="theme", max_length=200, required=False)
    if summary is not None:
        forum.summary = summary
    validate_text_fields(forum)
    bump_version(forum)
    forum.save()
    return forum


@transaction.atomic
def add_speaker(
    *,
    forum: Forum,
    side: str,
    person: Person | None = None,
    organisation: Organisation | None = None,
    place: Place | None = None,
    title: str = "",
    summary: str = "",
    actor=None,
) -> Speaker:
    _require(actor, "forums.change_forum", forum)
    if side not in Side.values:
        raise ValidationError({"side": _("Unknown side.")})
    if person is None and organisation is None and place is None:
        raise ValidationError(
            {"person": _("Name the speaker, or the organisation or place they spoke for.")}
        )
    return create_record(
        Speaker,
        forum=forum,
        side=side,
        person=person,
        organisation=organisation,
        place=place,
        title=validate_text(title, field="title", max_length=200, required=False),
        summary=summary,
        order=Speaker.objects.filter(forum=forum).count(),
    )


@transaction.atomic
def remove_speaker(*, speaker: Speaker, actor=None) -> None:
    _require(actor, "forums.change_forum", speaker.forum)
    speaker.delete()


@transaction.atomic
def add_agenda_item(
    *,
    forum: Forum,
    kind: str,
    title: str,
    speakers: Iterable[Speaker] = (),
    description: str = "",
    order: int | None = None,
    actor=None,
) -> AgendaItem:
    _require(actor, "forums.change_forum", forum)
    if kind not in AgendaItem.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of agenda item.")})
    speakers = list(speakers)
    if any(s.forum_id != forum.pk for s in speakers):
        raise ValidationError(
            {"speakers": _("A speaker of another forum cannot be on this agenda.")}
        )
    item = create_record(
        AgendaItem,
        forum=forum,
        kind=kind,
        title=validate_text(title, field="title", max_length=200),
        description=description,
        order=order if order is not None else AgendaItem.objects.filter(forum=forum).count(),
    )
    item.speakers.set(speakers)
    return item


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem, actor=None) -> None:
    _require(actor, "forums.change_forum", item.forum)
    item.delete()


@transaction.atomic
def set_forum_topics(
    *, forum: Forum, topics: Iterable[Topic | tuple[Topic, str]], actor=None
) -> list[ForumTopic]:
    """Replace the forum's topics. Each entry is a Topic or (Topic, wording in the source)."""
    _require(actor, "forums.change_forum", forum)
    ForumTopic.objects.filter(forum=forum).delete()
    rows = []
    seen = set()
    for entry in topics:
        topic, wording = entry if isinstance(entry, tuple) else (entry, "")
        if topic.pk in seen:
            continue
        seen.add(topic.pk)
        row = ForumTopic(forum=forum, topic=topic, wording=wording)
        validate_text_fields(row)
        rows.append(row)
    return ForumTopic.objects.bulk_create(rows)


@transaction.atomic
def add_outcome(*, forum: Forum, text: str, actor=None) -> Outcome:
    _require(actor, "forums.change_forum", forum)
    return create_record(
        Outcome,
        forum=forum,
        text=validate_text(text, field="text", max_length=5000),
        order=Outcome.objects.filter(forum=forum).count(),
    )


@transaction.atomic
def ensure_topics() -> int:
    """Create the taxonomy's topics that are missing (a flushed database loses the ones
    the migration seeded). Returns how many were created."""
    have = set(Topic.objects.values_list("code", flat=True))
    missing = [
        Topic(code=code, name_hans=hans, name_hant=hant, name_en=en, order=order)
        for order, (code, hans, hant, en) in enumerate(TOPICS)
        if code not in have
    ]
    Topic.objects.bulk_create(missing)
    return len(missing)
