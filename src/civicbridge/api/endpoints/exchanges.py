"""Exchanges, groups, members and activities."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator

from civicbridge.accounts.services import restore, soft_delete
from civicbridge.api.core import page_of, paginate, responses
from civicbridge.api.endpoints.common import (
    Date,
    Headcount,
    Id,
    Limit,
    Offset,
    OptId,
    Order,
    PathId,
    QueryVersion,
    Text,
    Version,
    changes,
    get,
    need,
    ref,
    refs,
    within_dates,
)
from civicbridge.api.endpoints.exchange_records import (
    CompositionOut,
    ExchangeOrganisationOut,
    ExchangePlaceOut,
    GiftOut,
    StatementOut,
)
from civicbridge.core.services import check_version
from civicbridge.directory.models import Organisation, Person, Place, within
from civicbridge.exchanges import services
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    DatePrecision,
    Exchange,
    ExchangeStatus,
    Gift,
    Group,
    HeadcountQualifier,
    Member,
    MemberRole,
    Side,
    TimePrecision,
)

router = Router(tags=["exchanges"])

Timezone = Annotated[str, Field(max_length=64)]
AwareDateTime = Annotated[
    dt.datetime,
    Field(description="ISO 8601 with a UTC offset, e.g. 2016-04-22T09:00:00+08:00"),
    AfterValidator(within_dates),
]


def _fk(data: dict, name: str, model, queryset=None) -> None:
    key = f"{name}_id"
    if key in data:
        data[name] = ref(model, data.pop(key), key, queryset)


# --- exchanges --------------------------------------------------------------------------


class ExchangeOut(Schema):
    id: int
    title: str
    start_date: dt.date
    end_date: dt.date | None
    date_precision: str
    date_note: str
    timezone: str
    status: str
    visiting_organisation_id: int | None
    delegation_name: str
    visiting_place_id: int | None
    host_place_id: int
    declared_headcount: int | None
    headcount_qualifier: str
    label_names: list[str]
    summary: str
    source: str
    note: str
    version: int
    deleted: bool

    @staticmethod
    def resolve_deleted(obj) -> bool:
        return obj.deleted_at is not None

    @staticmethod
    def resolve_label_names(obj) -> list[str]:
        return sorted(label.name for label in obj.labels.all())


class ExchangeIn(Schema):
    """The host may be on either side; ``visiting_organisation_id`` and
    ``visiting_place_id`` may be left out (``delegation_name`` says who came), and so may
    ``end_date`` (unknown end). ``timezone`` defaults to the host side's."""

    title: Text(200)
    start_date: Date
    end_date: Date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    date_note: Text(300) = ""
    visiting_organisation_id: Id | None = None
    delegation_name: Text(200) = ""
    visiting_place_id: Id | None = None
    host_place_id: Id
    status: ExchangeStatus = ExchangeStatus.PLANNED
    declared_headcount: Headcount = None
    headcount_qualifier: HeadcountQualifier = HeadcountQualifier.EXACT
    timezone: Timezone | None = None
    summary: Text(20000) = ""
    source: Text(20000) = ""
    note: Text(5000) = ""


class ExchangePatch(Schema):
    version: Version
    title: Text(200) | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    date_precision: DatePrecision | None = None
    date_note: Text(300) | None = None
    visiting_organisation_id: Id | None = None
    delegation_name: Text(200) | None = None
    visiting_place_id: Id | None = None
    host_place_id: Id | None = None
    status: ExchangeStatus | None = None
    declared_headcount: Headcount = None
    headcount_qualifier: HeadcountQualifier | None = None
    timezone: Timezone | None = None
    summary: Text(20000) | None = None
    source: Text(20000) | None = None
    note: Text(5000) | None = None


def _exchange_fields(data: dict) -> dict:
    _fk(data, "visiting_organisation", Organisation, Organisation.objects.alive())
    _fk(data, "visiting_place", Place)
    _fk(data, "host_place", Place)
    # end_date, visiting_organisation and visiting_place may be null (unknown).
    for key in ("title", "start_date", "status", "host_place", "date_precision",
                "headcount_qualifier"):  # fmt: skip
        if key in data and data[key] is None:
            raise ValidationError({key: "This field cannot be empty."})
    if "timezone" in data and data["timezone"] is None:
        data.pop("timezone")
    for key in ("summary", "source", "note", "date_note", "delegation_name"):
        if key in data and data[key] is None:
            data[key] = ""
    return data


@router.get("/exchanges", response=responses(200, page_of(ExchangeOut)), summary="List exchanges")
def list_exchanges(
    request,
    status: ExchangeStatus | None = None,
    date_from: Date | None = None,
    date_to: Date | None = None,
    place: OptId = None,
    deleted: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Exchanges by id. ``date_from``/``date_to``: overlapping that range. ``place``: hosted
    in that place or below (the exchange's host place or one of its groups')."""
    need(request, "exchanges.view_exchange")
    if deleted:
        need(request, "accounts.restore")
        exchanges = Exchange.objects.deleted()
    else:
        exchanges = Exchange.objects.alive()
    if status:
        exchanges = exchanges.filter(status=status)
    if date_from:  # an unknown end counts as the start day
        exchanges = exchanges.filter(
            Q(end_date__gte=date_from) | Q(end_date__isnull=True, start_date__gte=date_from)
        )
    if date_to:
        exchanges = exchanges.filter(start_date__lte=date_to)
    if place is not None:
        place = get(Place, place)
        ids = Exchange.objects.filter(
            within(place, field="host_place") | within(place, field="groups__host_place")
        ).values("id")
        exchanges = exchanges.filter(id__in=ids)
    return paginate(exchanges.prefetch_related("labels"), limit, offset)


@router.post("/exchanges", response=responses(201, ExchangeOut), summary="Create an exchange")
def create_exchange(request, payload: ExchangeIn):
    data = _exchange_fields(payload.dict())
    # An organiser creates exchanges hosted in their own places (the service's rule).
    return Status(201, services.create_exchange(**data, actor=request.user))


@router.patch(
    "/exchanges/{exchange_id}", response=responses(200, ExchangeOut), summary="Change an exchange"
)
def update_exchange(request, exchange_id: PathId, payload: ExchangePatch):
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    need(request, "exchanges.change_exchange", exchange)
    data = _exchange_fields(changes(payload))
    return services.update_exchange(
        exchange=exchange, expected_version=payload.version, actor=request.user, **data
    )


@router.delete(
    "/exchanges/{exchange_id}",
    response=responses(200, ExchangeOut),
    summary="Delete an exchange (softly)",
)
def delete_exchange(request, exchange_id: PathId, version: QueryVersion):
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    need(request, "exchanges.delete_exchange", exchange)
    return soft_delete(exchange, by=request.user, expected_version=version)


@router.post(
    "/exchanges/{exchange_id}/restore",
    response=responses(200, ExchangeOut),
    summary="Restore a deleted exchange",
)
def restore_exchange(request, exchange_id: PathId, version: QueryVersion):
    exchange = get(Exchange, exchange_id, Exchange.objects.deleted())
    need(request, "accounts.restore", exchange)
    return restore(exchange, by=request.user, expected_version=version)


def _alive_exchange(pk):
    return ref(Exchange, pk, "exchange_id", Exchange.objects.alive())


# --- groups -----------------------------------------------------------------------------


class GroupOut(Schema):
    id: int
    exchange_id: int
    name: str
    host_place_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    host_organisation_id: int | None
    leader_id: int | None
    declared_headcount: int | None
    headcount_qualifier: str
    headline: str
    order: int
    note: str
    version: int


class GroupIn(Schema):
    exchange_id: Id
    name: Text(200)
    host_place_id: Id | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    host_organisation_id: Id | None = None
    leader_id: Id | None = None
    declared_headcount: Headcount = None
    headcount_qualifier: HeadcountQualifier = HeadcountQualifier.EXACT
    headline: Text(200) = ""
    note: Text(5000) = ""


class GroupPatch(Schema):
    version: Version
    name: Text(200) | None = None
    host_place_id: Id | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    host_organisation_id: Id | None = None
    leader_id: Id | None = None
    declared_headcount: Headcount = None
    headcount_qualifier: HeadcountQualifier | None = None
    headline: Text(200) | None = None
    note: Text(5000) | None = None
    order: Order | None = None


def _group_fields(data: dict) -> dict:
    _fk(data, "host_place", Place)
    _fk(data, "host_organisation", Organisation, Organisation.objects.alive())
    _fk(data, "leader", Member)
    for key in ("headline", "note"):
        if key in data and data[key] is None:
            data[key] = ""
    for key in ("name", "order", "headcount_qualifier"):  # host_place: null is "not known"
        if key in data and data[key] is None:
            data.pop(key)
    return data


def _groups_of_alive_exchanges():
    return Group.objects.filter(exchange__deleted_at__isnull=True)


@router.get("/groups", response=responses(200, page_of(GroupOut)), summary="List groups")
def list_groups(
    request, exchange: OptId = None, place: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "exchanges.view_exchange")
    groups = _groups_of_alive_exchanges()
    if exchange is not None:
        groups = groups.filter(exchange_id=exchange)
    if place is not None:
        groups = groups.filter(within(get(Place, place), field="host_place"))
    return paginate(groups, limit, offset)


@router.get("/groups/{group_id}", response=responses(200, GroupOut), summary="One group")
def get_group(request, group_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Group, group_id, _groups_of_alive_exchanges())


@router.post("/groups", response=responses(201, GroupOut), summary="Create a group")
def create_group(request, payload: GroupIn):
    data = payload.dict()
    exchange = _alive_exchange(data.pop("exchange_id"))
    data = _group_fields(data)
    return Status(201, services.create_group(exchange=exchange, actor=request.user, **data))


@router.patch("/groups/{group_id}", response=responses(200, GroupOut), summary="Change a group")
def update_group(request, group_id: PathId, payload: GroupPatch):
    group = get(Group, group_id, _groups_of_alive_exchanges())
    need(request, "exchanges.change_group", group)
    data = _group_fields(changes(payload))
    return services.update_group(
        group=group, expected_version=payload.version, actor=request.user, **data
    )


# --- members ----------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    exchange_id: int
    person_id: int
    person_name: str
    role: str
    side: str
    title: str
    organisation_id: int | None
    home_place_id: int | None
    group_id: int | None
    order: int
    note: str
    version: int

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class MemberIn(Schema):
    exchange_id: Id
    person_id: Id
    role: MemberRole = MemberRole.MEMBER
    side: Side = Side.VISITING
    title: Text(100) = ""
    organisation_id: Id | None = None
    home_place_id: Id | None = None
    group_id: Id | None = None
    note: Text(5000) = ""


class MemberPatch(Schema):
    version: Version
    role: MemberRole | None = None
    side: Side | None = None
    title: Text(100) | None = None
    organisation_id: Id | None = None
    home_place_id: Id | None = None
    group_id: Id | None = None
    note: Text(5000) | None = None
    order: Order | None = None


def _member_fields(data: dict) -> dict:
    _fk(data, "organisation", Organisation, Organisation.objects.alive())
    _fk(data, "home_place", Place)
    _fk(data, "group", Group)
    for key in ("title", "note"):
        if key in data and data[key] is None:
            data[key] = ""
    for key in ("role", "side", "order"):
        if key in data and data[key] is None:
            data.pop(key)
    return data


def _members():
    return Member.objects.filter(exchange__deleted_at__isnull=True).select_related("person")


@router.get("/members", response=responses(200, page_of(MemberOut)), summary="List members")
def list_members(
    request, exchange: OptId = None, group: OptId = None, limit: Limit = 50, offset: Offset = 0
):
    need(request, "exchanges.view_exchange")
    members = _members()
    if exchange is not None:
        members = members.filter(exchange_id=exchange)
    if group is not None:
        members = members.filter(group_id=group)
    return paginate(members, limit, offset)


@router.get("/members/{member_id}", response=responses(200, MemberOut), summary="One member")
def get_member(request, member_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Member, member_id, _members())


@router.post("/members", response=responses(201, MemberOut), summary="Add a member")
def create_member(request, payload: MemberIn):
    data = payload.dict()
    exchange = _alive_exchange(data.pop("exchange_id"))
    person = ref(Person, data.pop("person_id"), "person_id", Person.objects.alive())
    need(request, "exchanges.change_member", exchange)
    return Status(
        201, services.add_member(exchange=exchange, person=person, **_member_fields(data))
    )


@router.patch("/members/{member_id}", response=responses(200, MemberOut), summary="Change a member")
def update_member(request, member_id: PathId, payload: MemberPatch):
    member = get(Member, member_id, _members())
    need(request, "exchanges.change_member", member)
    data = _member_fields(changes(payload))
    return services.update_member(member=member, expected_version=payload.version, **data)


@router.delete(
    "/members/{member_id}", response=responses(204, None), summary="Take a member off the roster"
)
def delete_member(request, member_id: PathId, version: QueryVersion):
    member = get(Member, member_id, _members())
    need(request, "exchanges.change_member", member)
    with transaction.atomic():
        check_version(member, version)
        services.remove_member(member=member)
    return Status(204, None)


# --- activities -------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    exchange_id: int
    kind: str
    title: str
    status: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_precision: str
    place_id: int | None
    venue_id: int | None
    group_ids: list[int]
    host_ids: list[int]
    participant_ids: list[int]
    description: str
    order: int
    note: str
    version: int

    @staticmethod
    def resolve_group_ids(obj) -> list[int]:
        return sorted(g.pk for g in obj.groups.all())

    @staticmethod
    def resolve_host_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.hosts.all())

    @staticmethod
    def resolve_participant_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.participants.all())


IdList = Annotated[list[Id], Field(max_length=500)]


class ActivityIn(Schema):
    """Leave out ``starts_at`` and ``ends_at`` for an activity not yet scheduled.
    ``status`` defaults to the exchange's."""

    exchange_id: Id
    kind: ActivityKind
    title: Text(200)
    status: ExchangeStatus | None = None
    starts_at: AwareDateTime | None = None
    ends_at: AwareDateTime | None = None
    time_precision: TimePrecision = TimePrecision.EXACT
    place_id: Id | None = None
    venue_id: Id | None = None
    group_ids: IdList = []
    host_ids: IdList = []
    participant_ids: IdList = []
    description: Text(20000) = ""
    note: Text(5000) = ""


class ActivityPatch(Schema):
    version: Version
    kind: ActivityKind | None = None
    title: Text(200) | None = None
    status: ExchangeStatus | None = None
    starts_at: AwareDateTime | None = None
    ends_at: AwareDateTime | None = None
    time_precision: TimePrecision | None = None
    place_id: Id | None = None
    venue_id: Id | None = None
    group_ids: IdList | None = None
    host_ids: IdList | None = None
    participant_ids: IdList | None = None
    description: Text(20000) | None = None
    note: Text(5000) | None = None
    order: Order | None = None


def _activity_fields(data: dict) -> dict:
    _fk(data, "place", Place)
    _fk(data, "venue", Organisation, Organisation.objects.alive())
    for key, model, name in (
        ("group_ids", Group, "groups"),
        ("host_ids", Person, "hosts"),
        ("participant_ids", Person, "participants"),
    ):
        if key in data:
            ids = data.pop(key)
            data[name] = None if ids is None else refs(model, ids, key)
    for key in ("description", "note"):
        if key in data and data[key] is None:
            data[key] = ""
    # starts_at and ends_at null (both): not yet scheduled.
    for key in ("kind", "title", "status", "time_precision", "order"):
        if key in data and data[key] is None:
            data.pop(key)
    return data


def _activities():
    return Activity.objects.filter(exchange__deleted_at__isnull=True).prefetch_related(
        "groups", "hosts", "participants"
    )


@router.get("/activities", response=responses(200, page_of(ActivityOut)), summary="List activities")
def list_activities(
    request,
    exchange: OptId = None,
    group: OptId = None,
    place: OptId = None,
    date_from: Date | None = None,
    date_to: Date | None = None,
    kind: ActivityKind | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Activities by id. ``place``: at that place or below. ``date_from``/``date_to``: days
    (in the server's time zone) the activity overlaps."""
    need(request, "exchanges.view_exchange")
    activities = _activities()
    if exchange is not None:
        activities = activities.filter(exchange_id=exchange)
    if group is not None:
        activities = activities.filter(groups__id=group)
    if place is not None:
        activities = activities.filter(within(get(Place, place), field="place"))
    if date_from:
        activities = activities.filter(ends_at__date__gte=date_from)
    if date_to:
        activities = activities.filter(starts_at__date__lte=date_to)
    if kind:
        activities = activities.filter(kind=kind)
    return paginate(activities.distinct(), limit, offset)


@router.get(
    "/activities/{activity_id}", response=responses(200, ActivityOut), summary="One activity"
)
def get_activity(request, activity_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Activity, activity_id, _activities())


@router.post("/activities", response=responses(201, ActivityOut), summary="Create an activity")
def create_activity(request, payload: ActivityIn):
    data = payload.dict()
    exchange = _alive_exchange(data.pop("exchange_id"))
    data = _activity_fields(data)
    return Status(201, services.create_activity(exchange=exchange, actor=request.user, **data))


@router.patch(
    "/activities/{activity_id}", response=responses(200, ActivityOut), summary="Change an activity"
)
def update_activity(request, activity_id: PathId, payload: ActivityPatch):
    activity = get(Activity, activity_id, _activities())
    need(request, "exchanges.change_activity", activity)
    data = _activity_fields(changes(payload))
    activity = services.update_activity(
        activity=activity, expected_version=payload.version, actor=request.user, **data
    )
    return get(Activity, activity.pk, _activities())


@router.delete(
    "/activities/{activity_id}", response=responses(204, None), summary="Delete an activity"
)
def delete_activity(request, activity_id: PathId, version: QueryVersion):
    activity = get(Activity, activity_id, _activities())
    need(request, "exchanges.delete_activity", activity)
    with transaction.atomic():
        check_version(activity, version)
        services.delete_activity(activity=activity)
    return Status(204, None)


# --- one exchange, with everything recorded of it -----------------------------------------


class ExchangeDetailOut(ExchangeOut):
    """The exchange with its rows: further places, organisations, composition, groups (with
    their days), activities (with their status; null times: not yet scheduled), statements,
    labels and gifts."""

    places: list[ExchangePlaceOut]
    organisations: list[ExchangeOrganisationOut]
    composition: list[CompositionOut]
    groups: list[GroupOut]
    activities: list[ActivityOut]
    statements: list[StatementOut]
    labels: list[LabelRef]
    gifts: list[GiftOut]

    @staticmethod
    def resolve_places(obj):
        return list(obj.places.all())

    @staticmethod
    def resolve_organisations(obj):
        return list(obj.organisations.all())

    @staticmethod
    def resolve_composition(obj):
        return list(obj.composition.all())

    @staticmethod
    def resolve_groups(obj):
        return list(obj.groups.all())

    @staticmethod
    def resolve_activities(obj):
        return list(obj.activities.all())

    @staticmethod
    def resolve_statements(obj):
        return list(obj.statements.all())

    @staticmethod
    def resolve_labels(obj):
        return list(obj.labels.all())

    @staticmethod
    def resolve_gifts(obj):
        return list(obj.gifts.all())


class LabelRef(Schema):
    id: int
    name: str


ExchangeDetailOut.model_rebuild()


@router.get(
    "/exchanges/{exchange_id}",
    response=responses(200, ExchangeDetailOut),
    summary="One exchange, with its places, composition, groups, activities, statements, "
    "labels and gifts",
)
def get_exchange(request, exchange_id: PathId):
    exchange = get(
        Exchange,
        exchange_id,
        Exchange.objects.alive().prefetch_related(
            "places",
            "organisations",
            "composition",
            "groups",
            Prefetch(
                "activities",
                queryset=Activity.objects.prefetch_related("groups", "hosts", "participants"),
            ),
            "statements",
            "labels",
            # A gift's date (and deadline) is its activity's.
            Prefetch("gifts", queryset=Gift.objects.select_related("activity")),
        ),
    )
    need(request, "exchanges.view_exchange", exchange)
    return exchange
