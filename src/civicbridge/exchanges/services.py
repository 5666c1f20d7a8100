"""Writes for exchanges: the exchange, its places, organisations, composition, groups,
members, itinerary, statements, labels, gifts and photos. Every entry point (pages, API, importers, the demo) goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import uploads
from civicbridge.core.services import (
    check_dates,
    create_record,
    update_record,
    validate_text,
    validate_text_fields,
)
from civicbridge.directory.models import Organisation, Person, Place, PlaceKind
from civicbridge.exchanges import dates
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    Composition,
    DatePrecision,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    ExchangeStatus,
    Gift,
    GiftDirection,
    Group,
    HeadcountQualifier,
    Label,
    Member,
    MemberRole,
    Photo,
    Registration,
    Side,
    Statement,
    StatementKind,
    TimePrecision,
    ValueBand,
)

# --- who may (``actor``) ----------------------------------------------------------------
#
# Pages and the API pass the acting user as ``actor=``; the services ask the rules
# (exchanges/rules.py) by name, so a page and the API cannot disagree. ``actor=None`` is a
# command, the importer or the demo, which act for the system.


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


def _require_host(actor, place, current=None) -> None:
    """Hosting at ``place`` (a new exchange's or group's host place, or a changed one)."""
    if place is not None and (current is None or place.pk != current.pk):
        _require(actor, "exchanges.host_in_place", place)


def _require_groups(actor, groups, current=()) -> None:
    """Ticking or unticking a group on an activity: every group whose part changes must be
    one the actor may change (exchanges.change_group)."""
    if actor is None or groups is None:
        return
    before = {g.pk: g for g in current}
    after = {g.pk: g for g in groups}
    for pk in sorted(set(before) ^ set(after)):
        _require(actor, "exchanges.change_group", after.get(pk) or before.get(pk))


# --- exchange ------------------------------------------------------------------------


def _validate_exchange(exchange: Exchange) -> None:
    check_dates(start_date=exchange.start_date, end_date=exchange.end_date)
    errors = {}
    if exchange.start_date and exchange.end_date and exchange.end_date < exchange.start_date:
        errors["end_date"] = _("The exchange ends before it starts.")
    if exchange.visiting_place_id and exchange.visiting_place_id == exchange.host_place_id:
        errors["host_place"] = _("The host side and the visiting side must differ.")
    if exchange.timezone not in available_timezones():
        errors["timezone"] = _("Unknown time zone.")
    if exchange.declared_headcount is not None and exchange.declared_headcount > 10000:
        errors["declared_headcount"] = _("That headcount is not plausible.")
    if exchange.status not in ExchangeStatus.values:
        errors["status"] = _("Unknown status.")
    if exchange.date_precision not in DatePrecision.values:
        errors["date_precision"] = _("Unknown date precision.")
    if exchange.headcount_qualifier not in HeadcountQualifier.values:
        errors["headcount_qualifier"] = _("Unknown headcount qualifier.")
    if errors:
        raise ValidationError(errors)


def _default_timezone(host_place) -> str:
    """The time zone of the host side (a visit to a Taiwan li keeps Taipei time)."""
    side = getattr(host_place, "side", None) if host_place is not None else None
    return getattr(side, "timezone", "") or "Asia/Shanghai"


@transaction.atomic
def create_exchange(
    *,
    title: str,
    start_date: dt.date,
    host_place: Place,
    end_date: dt.date | None = None,
    visiting_organisation: Organisation | None = None,
    visiting_place: Place | None = None,
    date_precision: str = DatePrecision.DAY,
    date_note: str = "",
    delegation_name: str = "",
    status: str = ExchangeStatus.PLANNED,
    declared_headcount: int | None = None,
    headcount_qualifier: str = HeadcountQualifier.EXACT,
    timezone: str | None = None,
    summary: str = "",
    source: str = "",
    note: str = "",
    actor=None,
) -> Exchange:
    """``actor`` must be allowed to create exchanges and to host one at ``host_place``.
    The host may be on either side; the visiting organisation and place may be unknown
    (``delegation_name`` then says who came); ``end_date`` may be unknown. ``timezone``
    defaults to the host side's."""
    _require(actor, "exchanges.add_exchange")
    _require_host(actor, host_place)
    exchange = Exchange(
        title=validate_text(title, field="title", max_length=200),
        start_date=start_date,
        end_date=end_date,
        date_precision=date_precision,
        date_note=validate_text(date_note, field="date_note", max_length=300, required=False),
        visiting_organisation=visiting_organisation,
        visiting_place=visiting_place,
        delegation_name=validate_text(
            delegation_name, field="delegation_name", max_length=200, required=False
        ),
        host_place=host_place,
        status=status,
        declared_headcount=declared_headcount,
        headcount_qualifier=headcount_qualifier,
        timezone=timezone or _default_timezone(host_place),
        summary=summary,
        source=source,
        note=note,
    )
    _validate_exchange(exchange)
    validate_text_fields(exchange)
    exchange.save()
    return exchange


EXCHANGE_EDITABLE = {
    "title",
    "start_date",
    "end_date",
    "date_precision",
    "date_note",
    "visiting_organisation",
    "visiting_place",
    "delegation_name",
    "host_place",
    "status",
    "declared_headcount",
    "headcount_qualifier",
    "timezone",
    "summary",
    "source",
    "note",
}


@transaction.atomic
def update_exchange(
    *, exchange: Exchange, expected_version: int | None = None, actor=None, **fields
) -> Exchange:
    """``actor`` must be allowed to change the exchange and, when the host place changes,
    to host at the new one."""
    _require(actor, "exchanges.change_exchange", exchange)
    if "host_place" in fields:
        _require_host(actor, fields["host_place"], exchange.host_place)
    if "title" in fields:
        fields["title"] = validate_text(fields["title"], field="title", max_length=200)
    for name, length in (("date_note", 300), ("delegation_name", 200)):
        if name in fields:
            fields[name] = validate_text(
                fields[name], field=name, max_length=length, required=False
            )
    return update_record(
        exchange,
        fields=fields,
        allowed=EXCHANGE_EDITABLE,
        expected_version=expected_version,
        validate=_validate_exchange,
    )


@transaction.atomic
def add_exchange_organisation(
    *, exchange: Exchange, organisation: Organisation, role: str, note: str = "", actor=None
) -> ExchangeOrganisation:
    """``actor`` must be allowed to change the exchange."""
    _require(actor, "exchanges.change_exchange", exchange)
    if role not in ExchangeOrganisation.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if ExchangeOrganisation.objects.filter(
        exchange=exchange, organisation=organisation, role=role
    ).exists():
        raise ValidationError(
            {"organisation": _("That organisation already has that role in this exchange.")}
        )
    order = ExchangeOrganisation.objects.filter(exchange=exchange, role=role).count()
    return create_record(
        ExchangeOrganisation,
        exchange=exchange,
        organisation=organisation,
        role=role,
        order=order,
        note=note,
    )


# --- further places -------------------------------------------------------------------


@transaction.atomic
def add_exchange_place(
    *, exchange: Exchange, role: str, place: Place | None = None, wording: str = "", actor=None
) -> ExchangePlace:
    """A further visiting or host place (four visiting districts), from the directory or
    as the sources name it (``wording``). ``actor`` must be allowed to change the exchange
    and, for a host place, to host there."""
    _require(actor, "exchanges.change_exchange", exchange)
    if role not in ExchangePlace.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == ExchangePlace.Role.HOST:
        _require_host(actor, place)
    wording = validate_text(wording, field="wording", max_length=200, required=False)
    if place is None and not wording:
        raise ValidationError({"place": _("Choose a place, or write it as the sources name it.")})
    if place is not None:
        main = (
            exchange.host_place_id
            if role == ExchangePlace.Role.HOST
            else exchange.visiting_place_id
        )
        other = (
            exchange.visiting_place_id
            if role == ExchangePlace.Role.HOST
            else exchange.host_place_id
        )
        if (
            place.pk == main
            or ExchangePlace.objects.filter(exchange=exchange, role=role, place=place).exists()
        ):
            raise ValidationError({"place": _("That place is already in this exchange.")})
        if place.pk == other:
            raise ValidationError({"place": _("The host side and the visiting side must differ.")})
    order = ExchangePlace.objects.filter(exchange=exchange, role=role).count()
    return create_record(
        ExchangePlace, exchange=exchange, role=role, place=place, wording=wording, order=order
    )


@transaction.atomic
def remove_exchange_place(*, exchange_place: ExchangePlace, actor=None) -> None:
    _require(actor, "exchanges.change_exchange", exchange_place.exchange)
    exchange_place.delete()


# --- composition -------------------------------------------------------------------------


def _validate_composition(row: Composition) -> None:
    errors = {}
    if row.group_id and row.group.exchange_id != row.exchange_id:
        errors["group"] = _("The group belongs to another exchange.")
    if row.count is not None and not 0 <= row.count <= 10000:
        errors["count"] = _("That headcount is not plausible.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_composition_row(
    *,
    exchange: Exchange,
    label: str,
    count: int | None = None,
    group: Group | None = None,
    actor=None,
) -> Composition:
    """Who the delegation (or a group) is made of: 里长 12, 邻长 (``count`` None: "some").
    ``actor`` must be allowed to change the exchange."""
    _require(actor, "exchanges.change_exchange", exchange)
    row = Composition(
        exchange=exchange,
        group=group,
        label=validate_text(label, field="label", max_length=100),
        count=count,
        order=Composition.objects.filter(exchange=exchange).count(),
    )
    _validate_composition(row)
    validate_text_fields(row)
    row.save()
    return row


COMPOSITION_EDITABLE = {"label", "count", "group", "order"}


@transaction.atomic
def update_composition_row(
    *, row: Composition, expected_version: int | None = None, actor=None, **fields
) -> Composition:
    _require(actor, "exchanges.change_exchange", row.exchange)
    if "label" in fields:
        fields["label"] = validate_text(fields["label"], field="label", max_length=100)
    return update_record(
        row,
        fields=fields,
        allowed=COMPOSITION_EDITABLE,
        expected_version=expected_version,
        validate=_validate_composition,
    )


@transaction.atomic
def remove_composition_row(*, row: Composition, actor=None) -> None:
    _require(actor, "exchanges.change_exchange", row.exchange)
    row.delete()


# --- groups and members --------------------------------------------------------------


def _validate_group(group: Group) -> None:
    errors = {}
    if group.declared_headcount is not None and group.declared_headcount > 10000:
        errors["declared_headcount"] = _("That headcount is not plausible.")
    if group.host_place_id and group.host_place.kind != PlaceKind.DISTRICT:
        errors["host_place"] = _("A group is hosted by a district.")
    if group.headcount_qualifier not in HeadcountQualifier.values:
        errors["headcount_qualifier"] = _("Unknown headcount qualifier.")
    try:
        check_dates(start_date=group.start_date, end_date=group.end_date)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if group.start_date and group.end_date and group.end_date < group.start_date:
        errors["end_date"] = _("The group leaves before it arrives.")
    first, last = dates.bounds(group.exchange)
    for name in ("start_date", "end_date"):
        day = getattr(group, name)
        if day is not None and name not in errors and not dates.within_bounds(day, first, last):
            errors[name] = _("The group's days lie outside the exchange's (%(dates)s).") % {
                "dates": dates.dates_label(group.exchange)
            }
    if group.leader_id and group.leader.exchange_id != group.exchange_id:
        errors["leader"] = _("The leader must be a member of this exchange.")
    if Group.objects.filter(exchange=group.exchange, name=group.name).exclude(pk=group.pk).exists():
        errors["name"] = _("This exchange already has a group of that name.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_group(
    *,
    exchange: Exchange,
    name: str,
    host_place: Place | None = None,
    host_organisation: Organisation | None = None,
    leader: Member | None = None,
    declared_headcount: int | None = None,
    headcount_qualifier: str = HeadcountQualifier.EXACT,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    headline: str = "",
    note: str = "",
    actor=None,
) -> Group:
    """``actor`` must be allowed to change the exchange and to host at ``host_place`` (a
    group hosted in a district hands the exchange to that district's organisers too)."""
    _require(actor, "exchanges.change_exchange", exchange)
    _require_host(actor, host_place)
    group = Group(
        exchange=exchange,
        name=validate_text(name, field="name", max_length=200),
        host_place=host_place,
        host_organisation=host_organisation,
        leader=leader,
        declared_headcount=declared_headcount,
        headcount_qualifier=headcount_qualifier,
        start_date=start_date,
        end_date=end_date,
        headline=headline,
        note=note,
        order=Group.objects.filter(exchange=exchange).count(),
    )
    _validate_group(group)
    validate_text_fields(group)
    group.save()
    if leader is not None and leader.group_id != group.pk:
        assign_member_to_group(member=leader, group=group)
    return group


GROUP_EDITABLE = {
    "name",
    "host_place",
    "host_organisation",
    "leader",
    "declared_headcount",
    "headcount_qualifier",
    "start_date",
    "end_date",
    "headline",
    "note",
    "order",
}


@transaction.atomic
def update_group(
    *, group: Group, expected_version: int | None = None, actor=None, **fields
) -> Group:
    _require(actor, "exchanges.change_group", group)
    if "host_place" in fields:
        _require_host(actor, fields["host_place"], group.host_place)
    update_record(
        group,
        fields=fields,
        allowed=GROUP_EDITABLE,
        expected_version=expected_version,
        validate=_validate_group,
    )
    if group.leader_id and group.leader.group_id != group.pk:
        assign_member_to_group(member=group.leader, group=group)
    return group


def _validate_member(member: Member) -> None:
    errors = {}
    if member.group_id and member.group.exchange_id != member.exchange_id:
        errors["group"] = _("The group belongs to another exchange.")
    if member.role not in MemberRole.values:
        errors["role"] = _("Unknown role.")
    if member.side not in Side.values:
        errors["side"] = _("Unknown side.")
    if (
        member.person_id
        and Member.objects.filter(exchange=member.exchange, person=member.person)
        .exclude(pk=member.pk)
        .exists()
    ):
        errors["person"] = _("This person is already a member of this exchange.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_member(
    *,
    exchange: Exchange,
    person: Person,
    role: str = MemberRole.MEMBER,
    side: str = Side.VISITING,
    title: str = "",
    organisation: Organisation | None = None,
    home_place: Place | None = None,
    group: Group | None = None,
    note: str = "",
) -> Member:
    member = Member(
        exchange=exchange,
        person=person,
        role=role,
        side=side,
        title=validate_text(title, field="title", max_length=100, required=False),
        organisation=organisation,
        home_place=home_place if home_place is not None else person.home_place,
        group=group,
        note=note,
        order=Member.objects.filter(exchange=exchange).count(),
    )
    _validate_member(member)
    validate_text_fields(member)
    member.save()
    return member


MEMBER_EDITABLE = {"role", "side", "title", "organisation", "home_place", "group", "note", "order"}


@transaction.atomic
def update_member(*, member: Member, expected_version: int | None = None, **fields) -> Member:
    return update_record(
        member,
        fields=fields,
        allowed=MEMBER_EDITABLE,
        expected_version=expected_version,
        validate=_validate_member,
    )


@transaction.atomic
def assign_member_to_group(*, member: Member, group: Group | None) -> Member:
    member.group = group
    _validate_member(member)
    if group is None:
        Group.objects.filter(leader=member).update(leader=None)
    member.save(update_fields=["group", "updated_at"])
    return member


@transaction.atomic
def remove_member(*, member: Member) -> None:
    """Take a person off the roster (the person stays in the directory)."""
    Group.objects.filter(leader=member).update(leader=None)
    member.delete()


# --- activities ----------------------------------------------------------------------


def _validate_activity(activity: Activity) -> None:
    errors = {}
    if activity.kind not in ActivityKind.values:
        errors["kind"] = _("Unknown kind of activity.")
    if activity.time_precision not in TimePrecision.values:
        errors["time_precision"] = _("Unknown time precision.")
    if activity.status not in ExchangeStatus.values:
        errors["status"] = _("Unknown status.")
    if activity.starts_at is None and activity.ends_at is None:
        # Not yet scheduled: kept apart from the timetable, the calendars and the checks.
        if errors:
            raise ValidationError(errors)
        return
    for name in ("starts_at", "ends_at"):
        value = getattr(activity, name)
        if value is None:
            errors[name] = _("Give both the start and the end, or neither (not yet scheduled).")
        elif value.tzinfo is None:
            errors[name] = _("A time needs a time zone.")
    if not errors:
        check_dates(starts_at=activity.starts_at, ends_at=activity.ends_at)
    if not errors and activity.ends_at < activity.starts_at:
        errors["ends_at"] = _("The activity ends before it starts.")
    if not errors:
        tz = ZoneInfo(activity.exchange.timezone)
        start_day = activity.starts_at.astimezone(tz).date()
        end_day = activity.ends_at.astimezone(tz).date()
        first, last = dates.bounds(activity.exchange)
        if not (
            dates.within_bounds(start_day, first, last)
            and dates.within_bounds(end_day, first, last)
        ):
            errors["starts_at"] = _(
                "The activity lies outside the exchange's dates (%(dates)s)."
            ) % {"dates": dates.dates_label(activity.exchange)}
    if errors:
        raise ValidationError(errors)


def _set_relations(activity: Activity, groups, hosts, participants) -> None:
    if groups is not None:
        groups = list(groups)
        foreign = [g for g in groups if g.exchange_id != activity.exchange_id]
        if foreign:
            raise ValidationError({"groups": _("A group of another exchange cannot take part.")})
        activity.groups.set(groups)
    if hosts is not None:
        activity.hosts.set(list(hosts))
    if participants is not None:
        activity.participants.set(list(participants))


@transaction.atomic
def create_activity(
    *,
    exchange: Exchange,
    kind: str,
    title: str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    time_precision: str = TimePrecision.EXACT,
    status: str | None = None,
    place: Place | None = None,
    venue: Organisation | None = None,
    groups: Iterable[Group] = (),
    hosts: Iterable[Person] = (),
    participants: Iterable[Person] = (),
    description: str = "",
    note: str = "",
    actor=None,
) -> Activity:
    """``actor`` must be allowed to add activities to the exchange and to change every
    group the activity is for. Without ``starts_at`` and ``ends_at`` the activity is not
    yet scheduled. ``status`` defaults to the exchange's."""
    _require(actor, "exchanges.add_activity", exchange)
    groups = list(groups) if groups is not None else None
    _require_groups(actor, groups)
    activity = Activity(
        exchange=exchange,
        kind=kind,
        title=validate_text(title, field="title", max_length=200),
        starts_at=starts_at,
        ends_at=ends_at,
        time_precision=time_precision,
        status=status or exchange.status,
        place=place,
        venue=venue,
        description=description,
        note=note,
        order=Activity.objects.filter(exchange=exchange).count(),
    )
    _validate_activity(activity)
    validate_text_fields(activity)
    activity.save()
    _set_relations(activity, groups, hosts, participants)
    return activity


ACTIVITY_EDITABLE = {
    "kind",
    "title",
    "status",
    "starts_at",
    "ends_at",
    "time_precision",
    "place",
    "venue",
    "description",
    "note",
    "order",
}


@transaction.atomic
def update_activity(
    *,
    activity: Activity,
    expected_version: int | None = None,
    groups: Iterable[Group] | None = None,
    hosts: Iterable[Person] | None = None,
    participants: Iterable[Person] | None = None,
    actor=None,
    **fields,
) -> Activity:
    """``actor`` must be allowed to change the activity and every group ticked or unticked."""
    _require(actor, "exchanges.change_activity", activity)
    if groups is not None:
        groups = list(groups)
        _require_groups(actor, groups, activity.groups.all())
    if "title" in fields:
        fields["title"] = validate_text(fields["title"], field="title", max_length=200)
    update_record(
        activity,
        fields=fields,
        allowed=ACTIVITY_EDITABLE,
        expected_version=expected_version,
        validate=_validate_activity,
    )
    _set_relations(activity, groups, hosts, participants)
    return activity


@transaction.atomic
def move_activity(
    *,
    activity: Activity,
    starts_at: dt.datetime,
    expected_version: int | None = None,
    actor=None,
) -> Activity:
    """Move an activity to a new start, keeping its length."""
    check_dates(starts_at=starts_at)
    if activity.starts_at is None:
        raise ValidationError(
            {"starts_at": _("This activity is not scheduled yet: edit it to give its times.")}
        )
    length = activity.ends_at - activity.starts_at
    return update_activity(
        activity=activity,
        expected_version=expected_version,
        actor=actor,
        starts_at=starts_at,
        ends_at=starts_at + length,
    )


@transaction.atomic
def delete_activity(*, activity: Activity) -> None:
    activity.delete()


# --- gifts and photos ----------------------------------------------------------------


def _validate_gift(gift: Gift, *, today: dt.date | None = None) -> None:
    errors = {}
    if not (gift.giver_person_id or gift.giver_organisation_id or gift.giver_wording):
        errors["giver_person"] = _("Say who gave the gift.")
    if not (gift.recipient_person_id or gift.recipient_organisation_id or gift.recipient_wording):
        errors["recipient_person"] = _("Say who received the gift.")
    if gift.activity_id and gift.activity.exchange_id != gift.exchange_id:
        errors["activity"] = _("The activity belongs to another exchange.")
    if gift.direction not in ("", *GiftDirection.values):
        errors["direction"] = _("Unknown direction.")
    if gift.value_band not in ValueBand.values:
        errors["value_band"] = _("Unknown value band.")
    if gift.registration not in Registration.values:
        errors["registration"] = _("Unknown registration status.")
    elif gift.registration == Registration.REGISTERED:
        if gift.registered_on is None:
            errors["registered_on"] = _("Say when the gift was registered.")
        elif gift.registered_on > (today or timezone.localdate()):
            errors["registered_on"] = _("The registration date is in the future.")
    elif gift.registered_on is not None or gift.register_number:
        errors["registration"] = _(
            "A registration date or number is given: set the status to “Registered”."
        )
    if errors:
        raise ValidationError(errors)


def _gift_text(fields: dict) -> dict:
    """The gift's text fields trimmed and checked (those given)."""
    limits = {
        "giver_wording": 200,
        "recipient_wording": 200,
        "description": 300,
        "register_number": 100,
        "handled_by": 100,
    }
    for key, limit in limits.items():
        if key in fields:
            fields[key] = validate_text(
                fields[key] or "", field=key, max_length=limit, required=False
            )
    if "note" in fields:
        fields["note"] = validate_text(
            fields["note"] or "", field="note", max_length=5000, required=False, multiline=True
        )
    if "direction" in fields and fields["direction"] is None:
        fields["direction"] = ""
    return fields


GIFT_PHOTO_FIELDS = ["photo", "thumbnail", "photo_type", "photo_name"]


def _encode_gift_photo(photo):
    """An uploaded picture of the gift, checked and re-encoded as a photo's (core.uploads):
    (image, thumbnail). Raises ValidationError on ``photo`` before anything is stored."""
    if (photo.size or 0) > MAX_IMAGE_BYTES:
        raise ValidationError({"photo": _("The image is larger than 20 MB.")})
    return uploads.reencode_image(photo, field="photo", thumbnail_size=THUMBNAIL_SIZE)


def _attach_gift_photo(gift: Gift, photo, encoded) -> None:
    """Store the re-encoded picture under generated names (the gift is saved by the caller)."""
    image, thumb = encoded
    gift.photo_type = image.content_type
    gift.photo_name = uploads.client_name(photo, default="gift")
    gift.photo.save(f"gift.{image.extension}", ContentFile(image.content), save=False)
    gift.thumbnail.save(f"thumb.{thumb.extension}", ContentFile(thumb.content), save=False)


@transaction.atomic
def record_gift(
    *,
    exchange: Exchange,
    activity: Activity | None = None,
    giver_person: Person | None = None,
    giver_organisation: Organisation | None = None,
    recipient_person: Person | None = None,
    recipient_organisation: Organisation | None = None,
    giver_wording: str = "",
    recipient_wording: str = "",
    description: str = "",
    note: str = "",
    direction: str = "",
    value_band: str = ValueBand.UNKNOWN,
    registration: str = Registration.NOT_REQUIRED,
    registered_on: dt.date | None = None,
    register_number: str = "",
    handled_by: str = "",
    photo=None,
    actor=None,
) -> Gift:
    """Who gave it and who received it: a person, an organisation, or as the sources write
    it ("台湾朋友"); which way it went (``direction``, relative to the host side), its
    estimated value band, a photo (re-encoded by core.uploads) and its registration with
    the discipline office (due a month after the gift's date, ``exchanges.gifts``).
    ``actor`` must be allowed to change the exchange."""
    _require(actor, "exchanges.change_exchange", exchange)
    fields = _gift_text(
        {
            "giver_wording": giver_wording,
            "recipient_wording": recipient_wording,
            "description": description,
            "note": note,
            "direction": direction,
            "register_number": register_number,
            "handled_by": handled_by,
        }
    )
    gift = Gift(
        exchange=exchange,
        activity=activity,
        giver_person=giver_person,
        giver_organisation=giver_organisation,
        recipient_person=recipient_person,
        recipient_organisation=recipient_organisation,
        value_band=value_band or ValueBand.UNKNOWN,
        registration=registration or Registration.NOT_REQUIRED,
        registered_on=registered_on,
        **fields,
    )
    _validate_gift(gift)
    validate_text_fields(gift)
    if photo is not None:
        _attach_gift_photo(gift, photo, _encode_gift_photo(photo))
    gift.save()
    return gift


GIFT_EDITABLE = {
    "activity",
    "giver_person",
    "giver_organisation",
    "recipient_person",
    "recipient_organisation",
    "giver_wording",
    "recipient_wording",
    "description",
    "note",
    "direction",
    "value_band",
    "registration",
    "registered_on",
    "register_number",
    "handled_by",
}


@transaction.atomic
def update_gift(
    *, gift: Gift, expected_version: int | None = None, photo=None, actor=None, **fields
) -> Gift:
    """Correct a gift or record its registration (status, date, number, who handled it);
    ``photo``: a new picture (replacing the old one). Refused when the gift changed since
    ``expected_version``. ``actor`` must be allowed to change the exchange."""
    _require(actor, "exchanges.change_exchange", gift.exchange)
    fields = _gift_text(fields)
    # The picture is checked first; it is stored only once the rest of the edit is saved.
    encoded = _encode_gift_photo(photo) if photo is not None else None
    gift = update_record(
        gift,
        fields=fields,
        allowed=GIFT_EDITABLE,
        expected_version=expected_version,
        validate=_validate_gift,
    )
    if encoded is not None:
        _attach_gift_photo(gift, photo, encoded)
        gift.save(update_fields=GIFT_PHOTO_FIELDS)
    return gift


# --- statements and labels -----------------------------------------------------------


def _validate_statement(statement: Statement) -> None:
    errors = {}
    if statement.kind not in StatementKind.values:
        errors["kind"] = _("Unknown kind of statement.")
    if statement.side and statement.side not in Side.values:
        errors["side"] = _("Unknown side.")
    if (
        statement.person_id is None
        and statement.organisation_id is None
        and not statement.speaker_wording
    ):
        errors["person"] = _("Say who said it: a person, an organisation, or as written.")
    if statement.activity_id and statement.activity.exchange_id != statement.exchange_id:
        errors["activity"] = _("The activity belongs to another exchange.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_statement(
    *,
    exchange: Exchange,
    text: str,
    kind: str = StatementKind.QUOTE,
    person: Person | None = None,
    organisation: Organisation | None = None,
    side: str = "",
    speaker_wording: str = "",
    activity: Activity | None = None,
    actor=None,
) -> Statement:
    """What somebody said, verbatim (a quote, an impression, an intention); the speaker is
    a person, an organisation or as the sources write it ("台湾朋友"), with their side.
    ``actor`` must be allowed to change the exchange."""
    _require(actor, "exchanges.change_exchange", exchange)
    statement = Statement(
        exchange=exchange,
        text=validate_text(text, field="text", max_length=5000, multiline=True),
        kind=kind,
        person=person,
        organisation=organisation,
        side=side or "",
        speaker_wording=validate_text(
            speaker_wording, field="speaker_wording", max_length=200, required=False
        ),
        activity=activity,
        order=Statement.objects.filter(exchange=exchange).count(),
    )
    _validate_statement(statement)
    validate_text_fields(statement)
    statement.save()
    return statement


STATEMENT_EDITABLE = {
    "text",
    "kind",
    "person",
    "organisation",
    "side",
    "speaker_wording",
    "activity",
    "order",
}


@transaction.atomic
def update_statement(
    *, statement: Statement, expected_version: int | None = None, actor=None, **fields
) -> Statement:
    _require(actor, "exchanges.change_exchange", statement.exchange)
    if "text" in fields:
        fields["text"] = validate_text(
            fields["text"], field="text", max_length=5000, multiline=True
        )
    if "speaker_wording" in fields:
        fields["speaker_wording"] = validate_text(
            fields["speaker_wording"], field="speaker_wording", max_length=200, required=False
        )
    if "side" in fields and fields["side"] is None:
        fields["side"] = ""
    return update_record(
        statement,
        fields=fields,
        allowed=STATEMENT_EDITABLE,
        expected_version=expected_version,
        validate=_validate_statement,
    )


@transaction.atomic
def remove_statement(*, statement: Statement, actor=None) -> None:
    _require(actor, "exchanges.change_exchange", statement.exchange)
    statement.delete()


def _label_named(name: str) -> Label:
    """The label of that name, made on first use (names compared as stored, trimmed)."""
    name = validate_text(name, field="name", max_length=200)
    label = Label.objects.filter(name=name).first()
    if label is None:
        label = create_record(Label, name=name)
    return label


@transaction.atomic
def label_exchange(*, exchange: Exchange, name: str, actor=None) -> Label:
    """Put the label ``name`` on the exchange ("first delegation after …"); the label is
    made on first use. ``actor`` must be allowed to change the exchange."""
    _require(actor, "exchanges.change_exchange", exchange)
    label = _label_named(name)
    exchange.labels.add(label)
    return label


@transaction.atomic
def unlabel_exchange(*, exchange: Exchange, label: Label, actor=None) -> None:
    _require(actor, "exchanges.change_exchange", exchange)
    exchange.labels.remove(label)


@transaction.atomic
def label_place(*, place: Place, name: str, actor=None) -> Label:
    """Put the label ``name`` on a place ("北京市首个冬奥社区"). ``actor`` must organise
    the place (exchanges.label_place)."""
    _require(actor, "exchanges.label_place", place)
    label = _label_named(name)
    label.places.add(place)
    return label


@transaction.atomic
def unlabel_place(*, place: Place, label: Label, actor=None) -> None:
    _require(actor, "exchanges.label_place", place)
    label.places.remove(place)


THUMBNAIL_SIZE = (480, 480)
MAX_IMAGE_BYTES = 20 * 1024 * 1024


@transaction.atomic
def add_photo(
    *,
    exchange: Exchange,
    caption: str,
    activity: Activity | None = None,
    image=None,
    taken_on: dt.date | None = None,
    credit: str = "",
    actor=None,
) -> Photo:
    """Record a photo (or only its caption). An uploaded image is decoded and re-encoded by
    core.uploads (JPEG, PNG, WebP or GIF in; our own PNG/JPEG/WebP and a JPEG thumbnail
    out, no metadata, within the pixel limit) and stored under a generated name.
    ``actor`` must be allowed to change the exchange."""
    _require(actor, "exchanges.change_exchange", exchange)
    caption = validate_text(caption, field="caption", max_length=500)
    if activity is not None and activity.exchange_id != exchange.pk:
        raise ValidationError({"activity": _("The activity belongs to another exchange.")})
    photo = Photo(
        exchange=exchange,
        activity=activity,
        caption=caption,
        taken_on=taken_on,
        credit=credit,
        order=Photo.objects.filter(exchange=exchange).count(),
    )
    if image is not None:
        if (image.size or 0) > MAX_IMAGE_BYTES:
            raise ValidationError({"image": _("The image is larger than 20 MB.")})
        encoded, thumb = uploads.reencode_image(image, field="image", thumbnail_size=THUMBNAIL_SIZE)
        photo.content_type = encoded.content_type
        photo.original_name = uploads.client_name(image, default="photo")
        photo.image.save(f"photo.{encoded.extension}", ContentFile(encoded.content), save=False)
        photo.thumbnail.save(f"thumb.{thumb.extension}", ContentFile(thumb.content), save=False)
    validate_text_fields(photo)
    photo.save()
    return photo
