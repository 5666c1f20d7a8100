"""Published programmes: an exchange's releases, publishing one, a release's changelog and
the changes not yet published, and change-notice subscriptions (subscribe, unsubscribe).

Each write calls the service the releases page calls (releases/services.py) with
``actor=request.user``; the service asks the rules by name (``releases.publish_release``:
who may edit the itinerary; ``releases.change_subscription``). Reading needs
``releases.view_release`` (who may read the exchange). A subscription's e-mail is personal
data: given only to those who see the member's e-mail (exchanges.personal_data, the API
surface), else empty with ``email_visible: false``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
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
    get,
    need,
    ref,
)
from civicbridge.core.services import check_version
from civicbridge.exchanges.models import Exchange, Member
from civicbridge.exchanges.personal_data import API, personal_field_visible, prime_personal_fields
from civicbridge.releases import presentation, selectors, services
from civicbridge.releases.models import NoticeLanguage, NoticeSubscription, Release

router = Router(tags=["releases"])


def _readable_exchange(request, pk: int) -> Exchange:
    exchange = get(Exchange, pk, Exchange.objects.alive())
    need(request, "releases.view_release", exchange)
    return exchange


class ReleaseOut(Schema):
    id: int
    exchange_id: int
    number: int
    published_at: dt.datetime
    published_by: str | None = Field(None, description="the publisher's user name")
    note: str
    notices_sent: int
    change_count: int

    @staticmethod
    def resolve_published_by(obj) -> str | None:
        return obj.published_by.get_username() if obj.published_by_id else None

    @staticmethod
    def resolve_change_count(obj) -> int:
        count = getattr(obj, "change_count", None)
        return obj.changes.count() if count is None else count


class PublishIn(Schema):
    note: Text(2000) = ""
    expected_number: int | None = Field(
        None, ge=0, le=10**6, description="the number of the last release you saw (0: none)"
    )


class ChangeOut(Schema):
    activity_id: int = Field(description="the activity's stable id (the calendars' UID)")
    title: str
    what: str = Field(
        description="added, removed, cancelled, status, moved, place, renamed, groups"
    )
    what_label: str
    before: str = Field(description="from, as the reader reads it")
    after: str = Field(description="to, as the reader reads it")
    starts_before: dt.datetime | None = None
    ends_before: dt.datetime | None = None
    starts_after: dt.datetime | None = None
    ends_after: dt.datetime | None = None
    group_ids: list[int]
    whole_delegation: bool


class ChangelogOut(Schema):
    release: int | None = Field(description="the release's number; null: not yet published")
    changes: list[ChangeOut]


def _change_out(change, zone) -> dict:
    line = presentation.present(change, zone)
    keys = change.group_keys if isinstance(change.group_keys, str) else ""
    return {
        "activity_id": line.key,
        "title": line.title,
        "what": line.what,
        "what_label": line.what_label,
        "before": line.before,
        "after": line.after,
        "starts_before": change.starts_before,
        "ends_before": change.ends_before,
        "starts_after": change.starts_after,
        "ends_after": change.ends_after,
        "group_ids": [int(k) for k in keys.split(",") if k],
        "whole_delegation": change.whole_delegation,
    }


@router.get(
    "/exchanges/{exchange_id}/releases",
    response=responses(200, page_of(ReleaseOut)),
    summary="List the published versions of an exchange's programme",
)
def list_releases(request, exchange_id: PathId, limit: Limit = 50, offset: Offset = 0):
    exchange = _readable_exchange(request, exchange_id)
    rows = Release.objects.filter(exchange=exchange).select_related("published_by")
    return paginate(rows.annotate(change_count=Count("changes")), limit, offset)


@router.post(
    "/exchanges/{exchange_id}/releases",
    response=responses(201, ReleaseOut),
    summary="Publish the exchange's itinerary as a new version (and send the change notices)",
)
def publish_release(request, exchange_id: PathId, payload: PublishIn):
    exchange = _readable_exchange(request, exchange_id)
    release = services.publish_release(
        exchange=exchange,
        note=payload.note,
        expected_number=payload.expected_number,
        actor=request.user,
    )
    return Status(201, release)


@router.get(
    "/releases/{release_id}/changes",
    response=responses(200, ChangelogOut),
    summary="The changelog of one release (against the release before it)",
)
def release_changes(request, release_id: PathId):
    release = get(Release, release_id, Release.objects.filter(exchange__deleted_at__isnull=True))
    need(request, "releases.view_release", release.exchange)
    zone = ZoneInfo(release.exchange.timezone)
    changes = release.changes.order_by("order", "id")
    return {"release": release.number, "changes": [_change_out(c, zone) for c in changes]}


@router.get(
    "/exchanges/{exchange_id}/pending-changes",
    response=responses(200, ChangelogOut),
    summary="The changes since the last release, not yet published",
)
def pending_changes(request, exchange_id: PathId):
    exchange = _readable_exchange(request, exchange_id)
    zone = ZoneInfo(exchange.timezone)
    changes = selectors.pending_changes(exchange)
    return {"release": None, "changes": [_change_out(c, zone) for c in changes]}


# --- subscriptions ---------------------------------------------------------------------


class SubscriptionOut(Schema):
    id: int
    exchange_id: int
    member_id: int
    language: str
    email: str = Field(description="empty unless you may see the member's e-mail")
    email_visible: bool
    version: int


class SubscriptionIn(Schema):
    member_id: Id
    email: Text(254) = Field("", description="empty: the e-mail recorded for the person")
    language: NoticeLanguage = NoticeLanguage.HANS


def _subscription_out(request, subscription) -> dict:
    visible = personal_field_visible(request.user, subscription.member.person, "email", context=API)
    return {
        "id": subscription.pk,
        "exchange_id": subscription.exchange_id,
        "member_id": subscription.member_id,
        "language": subscription.language,
        "email": subscription.email if visible else "",
        "email_visible": visible,
        "version": subscription.version,
    }


def _subscriptions():
    return NoticeSubscription.objects.filter(exchange__deleted_at__isnull=True).select_related(
        "member__person", "member__exchange"
    )


@router.get(
    "/release-subscriptions",
    response=responses(200, page_of(SubscriptionOut)),
    summary="List the members who asked for change notices",
)
def list_subscriptions(request, exchange: OptId = None, limit: Limit = 50, offset: Offset = 0):
    need(request, "releases.view_release")
    rows = _subscriptions()
    if exchange is not None:
        rows = rows.filter(exchange_id=exchange)
    page = paginate(rows, limit, offset)
    readable = [
        s for s in page["items"] if request.user.has_perm("releases.view_release", s.exchange)
    ]
    prime_personal_fields(request.user, [s.member.person for s in readable])
    page["items"] = [_subscription_out(request, s) for s in readable]
    return page


@router.post(
    "/release-subscriptions",
    response=responses(201, SubscriptionOut),
    summary="Opt a member in to change notices (again: the address and language are replaced)",
)
def subscribe(request, payload: SubscriptionIn):
    member = ref(
        Member,
        payload.member_id,
        "member_id",
        Member.objects.filter(exchange__deleted_at__isnull=True).select_related("person"),
    )
    if not request.user.has_perm("releases.view_release", member.exchange):
        raise PermissionDenied(_("You are not allowed to do that."))
    subscription = services.subscribe_member(
        member=member, email=payload.email, language=payload.language, actor=request.user
    )
    return Status(201, _subscription_out(request, subscription))


@router.delete(
    "/release-subscriptions/{subscription_id}",
    response=responses(204, None),
    summary="Opt a member out of change notices (the address is removed)",
)
def unsubscribe(request, subscription_id: PathId, version: QueryVersion | None = None):
    subscription = get(NoticeSubscription, subscription_id, _subscriptions())
    need(request, "releases.view_release", subscription.exchange)
    need(request, "releases.change_subscription", subscription)
    with transaction.atomic():
        check_version(subscription, version)
        services.unsubscribe_member(subscription=subscription, actor=request.user)
    return Status(204, None)
