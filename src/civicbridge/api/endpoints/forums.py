"""Forums (京台社区大讲堂)."""

from __future__ import annotations

from ninja import Router, Schema, Status

from civicbridge.api.core import page_of, paginate, responses
from civicbridge.api.endpoints.common import (
    Id,
    Limit,
    Offset,
    OptId,
    PathId,
    Text,
    Version,
    get,
    need,
    ref,
)
from civicbridge.exchanges.models import Activity
from civicbridge.forums import services
from civicbridge.forums.models import Forum

router = Router(tags=["forums"])


class ForumOut(Schema):
    id: int
    activity_id: int
    exchange_id: int
    theme: str
    summary: str
    topics: list[str]
    version: int

    @staticmethod
    def resolve_exchange_id(obj) -> int:
        return obj.activity.exchange_id

    @staticmethod
    def resolve_topics(obj) -> list[str]:
        return [ft.topic.code for ft in obj.forum_topics.all()]


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
        .prefetch_related("forum_topics__topic")
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
    need(request, "exchanges.change_activity", activity)
    forum = services.create_forum(activity=activity, theme=payload.theme, summary=payload.summary)
    return Status(201, get(Forum, forum.pk, _forums()))


@router.patch("/forums/{forum_id}", response=responses(200, ForumOut), summary="Change a forum")
def update_forum(request, forum_id: PathId, payload: ForumPatch):
    forum = get(Forum, forum_id, _forums())
    need(request, "forums.change_forum", forum)
    services.update_forum(
        forum=forum, expected_version=payload.version, theme=payload.theme, summary=payload.summary
    )
    return get(Forum, forum.pk, _forums())
