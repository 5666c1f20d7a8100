"""Forums (京台社区大讲堂): the forum, its speakers, agenda, topics (from the shared
taxonomy, with the source's own wording) and outcomes.

Each write calls the service the page calls (forums/services.py) with
``actor=request.user``; the service asks the page's permission by name
(``exchanges.change_activity`` to record a forum on an activity, ``forums.change_forum``
for every edit of a forum). Reading needs ``forums.view_forum``. As on the pages, speakers
and agenda items are added and removed, outcomes added, and the topics replaced as a
whole; a removal carries the record's ``version`` (409 when it changed meanwhile)."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from civicbridge.api.core import page_of, paginate, responses
from civicbridge.api.endpoints.common import (
    Id,
    Limit,
    Offset,
    OptId,
    PathId,
    QueryVersion,
    Text,
    Version,
    get,
    need,
    ref,
    refs,
)
from civicbridge.core.services import check_version
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges.models import Activity, Exchange, Group, Side
from civicbridge.forums import services
from civicbridge.forums.models import AgendaItem, Forum, Outcome, Speaker, Topic, TopicMention

router = Router(tags=["forums"])


class ForumTopicOut(Schema):
    code: str
    name_hans: str
    name_hant: str
    name_en: str
    wording: str = Field(description="the words the source used, when they differ")


class ForumOut(Schema):
    id: int
    activity_id: int
    exchange_id: int
    theme: str
    summary: str
    topics: list[str]
    topic_entries: list[ForumTopicOut]
    version: int

    @staticmethod
    def resolve_exchange_id(obj) -> int:
        return obj.activity.exchange_id

    @staticmethod
    def resolve_topics(obj) -> list[str]:
        return [m.topic.code for m in obj.topic_mentions.all() if m.topic is not None]

    @staticmethod
    def resolve_topic_entries(obj) -> list[dict]:
        return [
            {
                "code": m.topic.code,
                "name_hans": m.topic.name_hans,
                "name_hant": m.topic.name_hant,
                "name_en": m.topic.name_en,
                "wording": m.wording,
            }
            for m in obj.topic_mentions.all()
            if m.topic is not None
        ]


class ForumIn(Schema):
    activity_id: Id
    theme: Text(200) = ""
    summary: Text(20000) = ""


class ForumPatch(Schema):
    version: Version
    theme: Text(200) | None = None
    summary: Text(20000) | None = None


def _forums():
    return (
        Forum.objects.filter(activity__exchange__deleted_at__isnull=True)
        .select_related("activity")
        .prefetch_related("topic_mentions__topic")
    )


@router.get("/forums", response=responses(200, page_of(ForumOut)), summary="List forums")
def list_forums(request, exchange: OptId = None, limit: Limit = 50, offset: Offset = 0):
    need(request, "forums.view_forum")
    forums = _forums()
    if exchange is not None:
        forums = forums.filter(activity__exchange_id=exchange)
    return paginate(forums, limit, offset)


@router.get("/forums/{forum_id}", response=responses(200, ForumOut), summary="One forum")
def get_forum(request, forum_id: PathId):
    need(request, "forums.view_forum")
    return get(Forum, forum_id, _forums())


@router.post("/forums", response=responses(201, ForumOut), summary="Create a forum")
def create_forum(request, payload: ForumIn):
    activity = ref(
        Activity,
        payload.activity_id,
        "activity_id",
        Activity.objects.filter(exchange__deleted_at__isnull=True),
    )
    forum = services.create_forum(
        activity=activity, theme=payload.theme, summary=payload.summary, actor=request.user
    )
    return Status(201, get(Forum, forum.pk, _forums()))


@router.patch("/forums/{forum_id}", response=responses(200, ForumOut), summary="Change a forum")
def update_forum(request, forum_id: PathId, payload: ForumPatch):
    forum = get(Forum, forum_id, _forums())
    services.update_forum(
        forum=forum,
        expected_version=payload.version,
        theme=payload.theme,
        summary=payload.summary,
        actor=request.user,
    )
    return get(Forum, forum.pk, _forums())


def _forum(pk):
    """The forum a body field names (422 when there is none)."""
    return ref(Forum, pk, "forum_id", _forums())


# --- topics -----------------------------------------------------------------------------


class TopicOut(Schema):
    id: int
    code: str
    name_hans: str
    name_hant: str
    name_en: str
    parent_id: int | None
    parent_code: str | None
    order: int
    version: int

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class TopicIn(Schema):
    name_hans: Text(50)
    name_hant: Text(50) = ""
    name_en: Text(100) = ""
    parent_id: Id | None = None


class TopicPatch(Schema):
    version: Version
    name_hans: Text(50)
    name_hant: Text(50) = ""
    name_en: Text(100) = ""


class TopicMergeIn(Schema):
    merge_id: Id = Field(description="the topic merged into this one (it goes)")


def _topics():
    return Topic.objects.select_related("parent")


@router.get("/topics", response=responses(200, page_of(TopicOut)), summary="The topic taxonomy")
def list_topics(request, limit: Limit = 500, offset: Offset = 0):
    need(request, "forums.view_forum")
    return paginate(_topics(), limit, offset)


@router.get("/topics/{topic_id}", response=responses(200, TopicOut), summary="One topic")
def get_topic(request, topic_id: PathId):
    need(request, "forums.view_forum")
    return get(Topic, topic_id, _topics())


@router.post("/topics", response=responses(201, TopicOut), summary="Add a topic to the taxonomy")
def create_topic(request, payload: TopicIn):
    """Organisers and administrators. The code is made from the English name; the
    Traditional name, when not given, is converted from the Simplified one."""
    topic = services.create_topic(
        name_hans=payload.name_hans,
        name_hant=payload.name_hant,
        name_en=payload.name_en,
        parent=ref(Topic, payload.parent_id, "parent_id"),
        actor=request.user,
    )
    return Status(201, get(Topic, topic.pk, _topics()))


@router.patch("/topics/{topic_id}", response=responses(200, TopicOut), summary="Rename a topic")
def rename_topic(request, topic_id: PathId, payload: TopicPatch):
    """Administrators; the code stays."""
    topic = get(Topic, topic_id, _topics())
    services.rename_topic(
        topic=topic,
        name_hans=payload.name_hans,
        name_hant=payload.name_hant,
        name_en=payload.name_en,
        expected_version=payload.version,
        actor=request.user,
    )
    return get(Topic, topic.pk, _topics())


@router.post(
    "/topics/{topic_id}/merge",
    response=responses(200, TopicOut),
    summary="Merge another topic into this one",
)
def merge_topics(request, topic_id: PathId, payload: TopicMergeIn):
    """Administrators. The merged topic's mentions and narrower topics move here."""
    keep = get(Topic, topic_id, _topics())
    merge = ref(Topic, payload.merge_id, "merge_id", _topics())
    services.merge_topics(keep=keep, merge=merge, actor=request.user)
    return get(Topic, keep.pk, _topics())


class TopicChoice(Schema):
    code: Text(50)
    wording: Text(100) = ""


class ForumTopicsIn(Schema):
    topics: Annotated[list[TopicChoice], Field(max_length=200)]


@router.put(
    "/forums/{forum_id}/topics",
    response=responses(200, ForumOut),
    summary="Set a forum's topics (replacing them)",
)
def set_forum_topics(request, forum_id: PathId, payload: ForumTopicsIn):
    """Each topic by its code in the taxonomy (``GET /topics``), with the source's own
    wording when it differs (为老服务 for 社区养老)."""
    forum = get(Forum, forum_id, _forums())
    codes = [choice.code for choice in payload.topics]
    found = Topic.objects.in_bulk(codes, field_name="code")
    missing = [code for code in dict.fromkeys(codes) if code not in found]
    if missing:
        raise ValidationError(
            {"topics": _("Unknown topic: %(codes)s.") % {"codes": ", ".join(missing)}}
        )
    services.set_forum_topics(
        forum=forum,
        topics=[(found[c.code], c.wording.strip()) for c in payload.topics],
        actor=request.user,
    )
    return get(Forum, forum.pk, _forums())


# --- speakers ---------------------------------------------------------------------------


class SpeakerOut(Schema):
    id: int
    activity_id: int
    forum_id: int | None = Field(description="the forum held at the activity, if any")
    side: str
    person_id: int | None
    organisation_id: int | None
    place_id: int | None
    title: str
    summary: str
    order: int
    version: int

    @staticmethod
    def resolve_forum_id(obj) -> int | None:
        forum = getattr(obj.activity, "forum", None)  # none: RelatedObjectDoesNotExist
        return forum.pk if forum is not None else None


class SpeakerIn(Schema):
    activity_id: Id | None = Field(None, description="the activity spoken at (any kind)")
    forum_id: Id | None = Field(None, description="or the forum, for its activity")
    side: Side
    person_id: Id | None = None
    organisation_id: Id | None = None
    place_id: Id | None = None
    title: Text(200) = ""
    summary: Text(20000) = ""


def _speakers():
    return Speaker.objects.filter(activity__exchange__deleted_at__isnull=True).select_related(
        "activity__forum"
    )


@router.get("/speakers", response=responses(200, page_of(SpeakerOut)), summary="List speakers")
def list_speakers(
    request,
    forum: OptId = None,
    activity: OptId = None,
    exchange: OptId = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    need(request, "forums.view_forum")
    speakers = _speakers()
    if forum is not None:
        speakers = speakers.filter(activity__forum=forum)
    if activity is not None:
        speakers = speakers.filter(activity_id=activity)
    if exchange is not None:
        speakers = speakers.filter(activity__exchange_id=exchange)
    return paginate(speakers, limit, offset)


@router.get("/speakers/{speaker_id}", response=responses(200, SpeakerOut), summary="One speaker")
def get_speaker(request, speaker_id: PathId):
    need(request, "forums.view_forum")
    return get(Speaker, speaker_id, _speakers())


@router.post(
    "/speakers", response=responses(201, SpeakerOut), summary="Add a speaker to an activity"
)
def create_speaker(request, payload: SpeakerIn):
    """At any activity (``activity_id``) or a forum's (``forum_id``): a person, or (when
    the source names only whom they spoke for) an organisation or a place, under the title
    they spoke as."""
    if payload.activity_id is None and payload.forum_id is None:
        raise ValidationError({"activity_id": _("Name the activity the speaker spoke at.")})
    speaker = services.add_speaker(
        activity=ref(
            Activity,
            payload.activity_id,
            "activity_id",
            Activity.objects.filter(exchange__deleted_at__isnull=True),
        ),
        forum=_forum(payload.forum_id) if payload.forum_id is not None else None,
        side=payload.side,
        person=ref(Person, payload.person_id, "person_id", Person.objects.alive()),
        organisation=ref(
            Organisation, payload.organisation_id, "organisation_id", Organisation.objects.alive()
        ),
        place=ref(Place, payload.place_id, "place_id"),
        title=payload.title,
        summary=payload.summary,
        actor=request.user,
    )
    return Status(201, get(Speaker, speaker.pk, _speakers()))


@router.delete("/speakers/{speaker_id}", response=responses(204, None), summary="Remove a speaker")
def delete_speaker(request, speaker_id: PathId, version: QueryVersion):
    speaker = get(Speaker, speaker_id, _speakers())
    with transaction.atomic():
        check_version(speaker, version)
        services.remove_speaker(speaker=speaker, actor=request.user)
    return Status(204, None)


# --- topics discussed -------------------------------------------------------------------


class TopicMentionOut(Schema):
    id: int
    exchange_id: int
    group_id: int | None
    activity_id: int | None
    forum_id: int | None
    topic_id: int | None
    topic_code: str | None = Field(description="empty while the wording is not yet filed")
    wording: str
    filed: bool
    order: int
    version: int

    @staticmethod
    def resolve_topic_code(obj) -> str | None:
        return obj.topic.code if obj.topic_id else None

    @staticmethod
    def resolve_filed(obj) -> bool:
        return obj.topic_id is not None


class TopicMentionIn(Schema):
    wording: Text(100) = Field("", description="the source's words; resolved to a topic")
    topic_id: Id | None = None
    topic_code: Text(50) | None = None
    group_id: Id | None = None
    activity_id: Id | None = None
    forum_id: Id | None = None


class TopicMentionFile(Schema):
    version: Version
    topic_id: Id | None = None
    topic_code: Text(50) | None = None


def _mentions():
    return TopicMention.objects.filter(exchange__deleted_at__isnull=True).select_related(
        "topic", "exchange", "group__exchange", "activity", "forum__activity"
    )


def _topic_of(payload, required: bool):
    if payload.topic_id is not None:
        return ref(Topic, payload.topic_id, "topic_id")
    if payload.topic_code:
        found = Topic.objects.filter(code=payload.topic_code).first()
        if found is None:
            raise ValidationError({"topic_code": _("Unknown topic.")})
        return found
    if required:
        raise ValidationError({"topic_id": _("Choose a topic.")})
    return None


@router.get(
    "/exchanges/{exchange_id}/topic-mentions",
    response=responses(200, page_of(TopicMentionOut)),
    summary="Topics discussed in an exchange",
)
def list_topic_mentions(
    request, exchange_id: PathId, filed: bool | None = None, limit: Limit = 200, offset: Offset = 0
):
    """On the exchange, at its groups, activities and forums; ``filed=false`` for the
    wordings not yet filed under the taxonomy."""
    need(request, "exchanges.view_exchange")
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    mentions = _mentions().filter(exchange=exchange).order_by("order", "id")
    if filed is not None:
        mentions = mentions.filter(topic__isnull=not filed)
    return paginate(mentions, limit, offset)


@router.post(
    "/exchanges/{exchange_id}/topic-mentions",
    response=responses(201, TopicMentionOut),
    summary="Record a topic discussed",
)
def create_topic_mention(request, exchange_id: PathId, payload: TopicMentionIn):
    """Where: the exchange (no ids), a group, an activity or a forum of it. The topic by
    ``topic_id``/``topic_code``, or resolved from ``wording``; a wording that names no
    topic is kept, not yet filed."""
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    mention = services.mention_topic(
        exchange=exchange,
        wording=payload.wording,
        topic=_topic_of(payload, required=False),
        group=ref(Group, payload.group_id, "group_id", Group.objects.filter(exchange=exchange)),
        activity=ref(
            Activity,
            payload.activity_id,
            "activity_id",
            Activity.objects.filter(exchange=exchange),
        ),
        forum=ref(
            Forum,
            payload.forum_id,
            "forum_id",
            Forum.objects.filter(activity__exchange=exchange).select_related("activity"),
        ),
        actor=request.user,
    )
    return Status(201, get(TopicMention, mention.pk, _mentions()))


@router.get(
    "/topic-mentions/{mention_id}",
    response=responses(200, TopicMentionOut),
    summary="One topic discussed",
)
def get_topic_mention(request, mention_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(TopicMention, mention_id, _mentions())


@router.post(
    "/topic-mentions/{mention_id}/file",
    response=responses(200, TopicMentionOut),
    summary="File a topic discussed under the taxonomy",
)
def file_topic_mention(request, mention_id: PathId, payload: TopicMentionFile):
    mention = get(TopicMention, mention_id, _mentions())
    services.file_topic_mention(
        mention=mention,
        topic=_topic_of(payload, required=True),
        expected_version=payload.version,
        actor=request.user,
    )
    return get(TopicMention, mention.pk, _mentions())


@router.delete(
    "/topic-mentions/{mention_id}",
    response=responses(204, None),
    summary="Remove a topic discussed",
)
def delete_topic_mention(request, mention_id: PathId, version: QueryVersion):
    mention = get(TopicMention, mention_id, _mentions())
    with transaction.atomic():
        check_version(mention, version)
        services.remove_topic_mention(mention=mention, actor=request.user)
    return Status(204, None)


# --- agenda -----------------------------------------------------------------------------


class AgendaItemOut(Schema):
    id: int
    forum_id: int
    order: int
    kind: str
    title: str
    speaker_ids: list[int]
    description: str
    version: int

    @staticmethod
    def resolve_speaker_ids(obj) -> list[int]:
        return sorted(s.pk for s in obj.speakers.all())


class AgendaItemIn(Schema):
    forum_id: Id
    kind: AgendaItem.Kind
    title: Text(200)
    speaker_ids: Annotated[list[Id], Field(max_length=500)] = []
    description: Text(20000) = ""


def _agenda():
    return AgendaItem.objects.filter(
        forum__activity__exchange__deleted_at__isnull=True
    ).prefetch_related("speakers")


@router.get(
    "/agenda-items", response=responses(200, page_of(AgendaItemOut)), summary="List agenda items"
)
def list_agenda_items(
    request, forum: OptId = None, exchange: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "forums.view_forum")
    items = _agenda()
    if forum is not None:
        items = items.filter(forum_id=forum)
    if exchange is not None:
        items = items.filter(forum__activity__exchange_id=exchange)
    return paginate(items, limit, offset)


@router.get(
    "/agenda-items/{item_id}", response=responses(200, AgendaItemOut), summary="One agenda item"
)
def get_agenda_item(request, item_id: PathId):
    need(request, "forums.view_forum")
    return get(AgendaItem, item_id, _agenda())


@router.post(
    "/agenda-items", response=responses(201, AgendaItemOut), summary="Add to a forum's agenda"
)
def create_agenda_item(request, payload: AgendaItemIn):
    """Its speakers must be speakers of the same forum (``POST /speakers`` first)."""
    item = services.add_agenda_item(
        forum=_forum(payload.forum_id),
        kind=payload.kind,
        title=payload.title,
        speakers=refs(Speaker, payload.speaker_ids, "speaker_ids"),
        description=payload.description,
        actor=request.user,
    )
    return Status(201, get(AgendaItem, item.pk, _agenda()))


@router.delete(
    "/agenda-items/{item_id}", response=responses(204, None), summary="Remove an agenda item"
)
def delete_agenda_item(request, item_id: PathId, version: QueryVersion):
    item = get(AgendaItem, item_id, _agenda().select_related("forum__activity"))
    with transaction.atomic():
        check_version(item, version)
        services.remove_agenda_item(item=item, actor=request.user)
    return Status(204, None)


# --- outcomes ---------------------------------------------------------------------------


class OutcomeOut(Schema):
    id: int
    forum_id: int
    text: str
    order: int
    version: int


class OutcomeIn(Schema):
    forum_id: Id
    text: Text(5000)


def _outcomes():
    return Outcome.objects.filter(forum__activity__exchange__deleted_at__isnull=True)


@router.get("/outcomes", response=responses(200, page_of(OutcomeOut)), summary="List outcomes")
def list_outcomes(
    request, forum: OptId = None, exchange: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "forums.view_forum")
    outcomes = _outcomes()
    if forum is not None:
        outcomes = outcomes.filter(forum_id=forum)
    if exchange is not None:
        outcomes = outcomes.filter(forum__activity__exchange_id=exchange)
    return paginate(outcomes, limit, offset)


@router.get("/outcomes/{outcome_id}", response=responses(200, OutcomeOut), summary="One outcome")
def get_outcome(request, outcome_id: PathId):
    need(request, "forums.view_forum")
    return get(Outcome, outcome_id, _outcomes())


@router.post("/outcomes", response=responses(201, OutcomeOut), summary="Add a forum's outcome")
def create_outcome(request, payload: OutcomeIn):
    outcome = services.add_outcome(
        forum=_forum(payload.forum_id), text=payload.text, actor=request.user
    )
    return Status(201, outcome)
