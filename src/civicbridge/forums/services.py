"""Writes for forums (京台社区大讲堂): theme, agenda, speakers, topics, outcomes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant
from civicbridge.core.services import (
    bump_version,
    check_version,
    create_record,
    validate_text,
    validate_text_fields,
)
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges.models import Activity, ActivityKind, Exchange, Group, Side
from civicbridge.forums.models import AgendaItem, Forum, Outcome, Speaker, Topic, TopicMention
from civicbridge.forums.topics import PARENTS, SYNONYMS, TOPICS

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
    side: str,
    activity: Activity | None = None,
    forum: Forum | None = None,
    person: Person | None = None,
    organisation: Organisation | None = None,
    place: Place | None = None,
    title: str = "",
    summary: str = "",
    actor=None,
) -> Speaker:
    """Someone who spoke at ``activity`` (any kind: a forum's, a site visit …). ``forum=``
    names the forum's activity. ``actor`` must be allowed to change the activity (for a
    forum's activity, the same answer as ``forums.change_forum``)."""
    if activity is None:
        if forum is None:
            raise ValidationError({"activity": _("Name the activity the speaker spoke at.")})
        activity = forum.activity
    elif forum is not None and forum.activity_id != activity.pk:
        raise ValidationError({"forum": _("This forum is not held at that activity.")})
    _require(actor, "exchanges.change_activity", activity)
    if side not in Side.values:
        raise ValidationError({"side": _("Unknown side.")})
    if person is None and organisation is None and place is None:
        raise ValidationError(
            {"person": _("Name the speaker, or the organisation or place they spoke for.")}
        )
    return create_record(
        Speaker,
        activity=activity,
        side=side,
        person=person,
        organisation=organisation,
        place=place,
        title=validate_text(title, field="title", max_length=200, required=False),
        summary=summary,
        order=Speaker.objects.filter(activity=activity).count(),
    )


@transaction.atomic
def remove_speaker(*, speaker: Speaker, actor=None) -> None:
    _require(actor, "exchanges.change_activity", speaker.activity)
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
    if any(s.activity_id != forum.activity_id for s in speakers):
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
) -> list[TopicMention]:
    """Replace the forum's filed topics. Each entry is a Topic or (Topic, wording in the
    source). Wordings at the forum not yet filed under a topic are kept."""
    _require(actor, "forums.change_forum", forum)
    TopicMention.objects.filter(forum=forum, topic__isnull=False).delete()
    start = TopicMention.objects.filter(exchange_id=forum.activity.exchange_id).count()
    rows = []
    seen = set()
    for entry in topics:
        topic, wording = entry if isinstance(entry, tuple) else (entry, "")
        if topic.pk in seen:
            continue
        seen.add(topic.pk)
        row = TopicMention(
            exchange_id=forum.activity.exchange_id,
            activity_id=forum.activity_id,
            forum=forum,
            topic=topic,
            wording=validate_text(
                wording, field="wording", max_length=100, required=False, name=True
            ),
            order=start + len(rows),
        )
        validate_text_fields(row)
        rows.append(row)
    return TopicMention.objects.bulk_create(rows)


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
    the migrations seeded), with their broader topics. Returns how many were created."""
    have = set(Topic.objects.values_list("code", flat=True))
    missing = [
        Topic(code=code, name_hans=hans, name_hant=hant, name_en=en, order=order)
        for order, (code, hans, hant, en) in enumerate(TOPICS)
        if code not in have
    ]
    Topic.objects.bulk_create(missing)
    if missing:
        by_code = Topic.objects.in_bulk(field_name="code")
        for code, parent in PARENTS.items():
            topic = by_code.get(code)
            if topic is not None and topic.parent_id is None and parent in by_code:
                topic.parent = by_code[parent]
                topic.save(update_fields=["parent"])
    return len(missing)


# --- the taxonomy -----------------------------------------------------------------------


def _key(text: str) -> str:
    return hans_hant.search_key(text or "")


def resolve_topic(wording: str) -> Topic | None:
    """The topic of the taxonomy a source's wording names: one of its names (Simplified,
    Traditional or English) or a known synonym (``topics.SYNONYMS``), in either script
    (長照 and 长照 are the same). None when nothing matches."""
    key = _key(wording)
    if not key:
        return None
    codes = {code for code, words in SYNONYMS.items() if key in {_key(w) for w in words}}
    for topic in Topic.objects.all():
        names = {_key(topic.name_hans), _key(topic.name_hant), _key(topic.name_en), topic.code}
        if key in names:
            return topic
    if codes:
        return Topic.objects.filter(code__in=codes).order_by("order", "code").first()
    return None


def _topic_code(name_en: str) -> str:
    """A stable, unique code for a new topic: from its English name when it has one."""
    base = slugify(name_en)[:40] or "topic"
    code, n = base, 1
    while Topic.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _topic_names(name_hans, name_hant, name_en, *, topic=None) -> tuple[str, str, str]:
    """Checked names of a new topic (or of ``topic`` renamed): no other topic may already
    be called so, in either script, nor have it as a synonym."""
    hans = validate_text(name_hans, field="name_hans", max_length=50)
    hant = validate_text(name_hant, field="name_hant", max_length=50, required=False)
    hant = hant or hans_hant.convert_text(hans, hans_hant.HANT)
    en = validate_text(name_en, field="name_en", max_length=100, required=False)
    found = resolve_topic(hans)
    if found is not None and found != topic:
        raise ValidationError(
            {"name_hans": _("The taxonomy already has this topic: %(name)s.") % {"name": found}}
        )
    return hans, hant, en


@transaction.atomic
def create_topic(
    *,
    name_hans: str,
    name_hant: str = "",
    name_en: str = "",
    parent: Topic | None = None,
    actor=None,
) -> Topic:
    """Add a topic to the taxonomy (organisers and administrators). Its code is made from
    its English name (or ``topic-N``); its Traditional name, when not given, is converted
    from the Simplified one."""
    _require(actor, "forums.add_topic")
    hans, hant, en = _topic_names(name_hans, name_hant, name_en)
    last = Topic.objects.order_by("-order").values_list("order", flat=True).first() or 0
    return create_record(
        Topic,
        code=_topic_code(en),
        name_hans=hans,
        name_hant=hant,
        name_en=en or hans,
        parent=parent,
        order=last + 1,
    )


@transaction.atomic
def rename_topic(
    *,
    topic: Topic,
    name_hans: str,
    name_hant: str = "",
    name_en: str = "",
    expected_version: int | None = None,
    actor=None,
) -> Topic:
    """Administrators correct a topic's names (its code stays)."""
    _require(actor, "forums.change_topic", topic)
    check_version(topic, expected_version)
    topic.name_hans, topic.name_hant, en = _topic_names(name_hans, name_hant, name_en, topic=topic)
    topic.name_en = en or topic.name_en
    validate_text_fields(topic)
    bump_version(topic)
    topic.save()
    return topic


@transaction.atomic
def merge_topics(*, keep: Topic, merge: Topic, actor=None) -> Topic:
    """Administrators merge ``merge`` into ``keep``: its mentions (keeping their wording,
    or its name as their wording) and narrower topics move to ``keep``; ``merge`` goes."""
    _require(actor, "forums.change_topic", keep)
    if keep.pk == merge.pk:
        raise ValidationError({"merge": _("A topic cannot be merged into itself.")})
    ancestor = keep
    while ancestor is not None:
        if ancestor.pk == merge.pk:
            raise ValidationError({"merge": _("A topic cannot be merged into a narrower one.")})
        ancestor = ancestor.parent
    TopicMention.objects.filter(topic=merge, wording="").update(wording=merge.name_hans)
    TopicMention.objects.filter(topic=merge).update(topic=keep)
    Topic.objects.filter(parent=merge).update(parent=keep)
    merge.delete()
    bump_version(keep)
    keep.save()
    return keep


# --- topics discussed -------------------------------------------------------------------


def _where(exchange, group, activity, forum) -> dict:
    """Check that the places a topic was discussed at belong together; fill the activity of
    a forum."""
    if group is not None and group.exchange_id != exchange.pk:
        raise ValidationError({"group": _("This group is not in the exchange.")})
    if forum is not None:
        if activity is not None and forum.activity_id != activity.pk:
            raise ValidationError({"forum": _("This forum is not held at that activity.")})
        activity = forum.activity
    if activity is not None and activity.exchange_id != exchange.pk:
        raise ValidationError({"activity": _("This activity is not in the exchange.")})
    return {"exchange": exchange, "group": group, "activity": activity, "forum": forum}


@transaction.atomic
def mention_topic(
    *,
    exchange: Exchange,
    wording: str = "",
    topic: Topic | None = None,
    group: Group | None = None,
    activity: Activity | None = None,
    forum: Forum | None = None,
    actor=None,
) -> TopicMention:
    """Record a topic discussed on the exchange, at a group, an activity or a forum, with
    the source's wording. Without ``topic`` the wording is resolved against the taxonomy
    (``resolve_topic``); a wording that resolves to nothing is kept, not yet filed. The
    same topic (or the same unfiled wording) twice at one place is refused under ``topic``."""
    wording = validate_text(wording, field="wording", max_length=100, required=False, name=True)
    if topic is None and not wording:
        raise ValidationError({"wording": _("Give the topic, or the source's words for it.")})
    if topic is None:
        topic = resolve_topic(wording)
    mention = TopicMention(topic=topic, wording=wording, **_where(exchange, group, activity, forum))
    _require(actor, "forums.change_topicmention", mention)
    same = TopicMention.objects.filter(
        exchange=exchange, group=group, activity=mention.activity, forum=forum
    )
    if topic is not None and same.filter(topic=topic).exists():
        raise ValidationError({"topic": _("This topic is already recorded there.")})
    if topic is None and same.filter(topic__isnull=True, wording=wording).exists():
        raise ValidationError({"topic": _("This wording is already recorded there.")})
    mention.order = TopicMention.objects.filter(exchange=exchange).count()
    validate_text_fields(mention)
    mention.save()
    return mention


@transaction.atomic
def file_topic_mention(
    *, mention: TopicMention, topic: Topic, expected_version: int | None = None, actor=None
) -> TopicMention:
    """File a topic discussed under a topic of the taxonomy (the wording stays)."""
    _require(actor, "forums.change_topicmention", mention)
    check_version(mention, expected_version)
    mention.topic = topic
    bump_version(mention)
    mention.save()
    return mention


@transaction.atomic
def remove_topic_mention(*, mention: TopicMention, actor=None) -> None:
    _require(actor, "forums.change_topicmention", mention)
    mention.delete()
