"""Writes for exchanges: the exchange, its organisations, groups, members, itinerary,
gifts and photos. Every entry point (pages, API, importers, the demo) goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core.services import update_record, validate_text
from civicbridge.directory.models import Organisation, Person, Place, PlaceKind
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    Exchange,
    ExchangeOrganisation,
    ExchangeStatus,
    Gift,
    Group,
    Member,
    MemberRole,
    Photo,
    Side,
    TimePrecision,
)

# --- exchange ------------------------------------------------------------------------


def _validate_exchange(exchange: Exchange) -> None:
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
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_exchange(
    *,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    visiting_organisation: Organisation,
    visiting_place: Place,
    host_place: Place,
    status: str = ExchangeStatus.PLANNED,
    declared_headcount: int | None = None,
    timezone: str = "Asia/Shanghai",
    summary: str = "",
    source: str = "",
    note: str = "",
) -> Exchange:
    exchange = Exchange(
        title=validate_text(title, field="title", max_length=200),
        start_date=start_date,
        end_date=end_date,
        visiting_organisation=visiting_organisation,
        visiting_place=visiting_place,
        host_place=host_place,
        status=status,
        declared_headcount=declared_headcount,
        timezone=timezone,
        summary=summary,
        source=source,
        note=note,
    )
    _validate_exchange(exchange)
    exchange.save()
    return exchange


EXCHANGE_EDITABLE = {
    "title",
    "start_date",
    "end_date",
    "visiting_organisation",
    "visiting_place",
    "host_place",
    "status",
    "declared_headcount",
    "timezone",
    "summary",
    "source",
    "note",
}


@transaction.atomic
def update_exchange(
    *, exchange: Exchange, expected_version: int | None = None, **fields
) -> Exchange:
    if "title" in fields:
        fields["title"] = validate_text(fields["title"], field="title", max_length=200)
    return update_record(
        exchange,
        fields=fields,
        allowed=EXCHANGE_EDITABLE,
        expected_version=expected_version,
        validate=_validate_exchange,
    )


@transaction.atomic
def add_exchange_organisation(
    *, exchange: Exchange, organisation: Organisation, role: str, note: str = ""
) -> ExchangeOrganisation:
    if role not in ExchangeOrganisation.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if ExchangeOrganisation.objects.filter(
        exchange=exchange, organisation=organisation, role=role
    ).exists():
        raise ValidationError(
            {"organisation": _("That organisation already has that role in this exchange.")}
        )
    order = ExchangeOrganisation.objects.filter(exchange=exchange, role=role).count()
    return ExchangeOrganisation.objects.create(
        exchange=exchange, organisation=organisation, role=role, order=order, note=note
    )


# --- groups and members --------------------------------------------------------------


def _validate_group(group: Group) -> None:
    errors = {}
    if group.host_place_id and group.host_place.kind != PlaceKind.DISTRICT:
        errors["host_place"] = _("A group is hosted by a district.")
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
    host_place: Place,
    host_organisation: Organisation | None = None,
    leader: Member | None = None,
    declared_headcount: int | None = None,
    headline: str = "",
    note: str = "",
) -> Group:
    group = Group(
        exchange=exchange,
        name=validate_text(name, field="name", max_length=200),
        host_place=host_place,
        host_organisation=host_organisation,
        leader=leader,
        declared_headcount=declared_headcount,
        headline=headline,
        note=note,
        order=Group.objects.filter(exchange=exchange).count(),
    )
    _validate_group(group)
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
    "headline",
    "note",
    "order",
}


@transaction.atomic
def update_group(*, group: Group, expected_version: int | None = None, **fields) -> Group:
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
    for name in ("starts_at", "ends_at"):
        value = getattr(activity, name)
        if value is None:
            errors[name] = _("This field is required.")
        elif value.tzinfo is None:
            errors[name] = _("A time needs a time zone.")
    if not errors and activity.ends_at < activity.starts_at:
        errors["ends_at"] = _("The activity ends before it starts.")
    if not errors:
        tz = ZoneInfo(activity.exchange.timezone)
        start_day = activity.starts_at.astimezone(tz).date()
        end_day = activity.ends_at.astimezone(tz).date()
        if start_day < activity.exchange.start_date or end_day > activity.exchange.end_date:
            errors["starts_at"] = _(
                "The activity lies outside the exchange's dates (%(start)s – %(end)s)."
            ) % {
                "start": activity.exchange.start_date,
                "end": activity.exchange.end_date,
            }
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
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_precision: str = TimePrecision.EXACT,
    place: Place | None = None,
    venue: Organisation | None = None,
    groups: Iterable[Group] = (),
    hosts: Iterable[Person] = (),
    participants: Iterable[Person] = (),
    description: str = "",
    note: str = "",
) -> Activity:
    activity = Activity(
        exchange=exchange,
        kind=kind,
        title=validate_text(title, field="title", max_length=200),
        starts_at=starts_at,
        ends_at=ends_at,
        time_precision=time_precision,
        place=place,
        venue=venue,
        description=description,
        note=note,
        order=Activity.objects.filter(exchange=exchange).count(),
    )
    _validate_activity(activity)
    activity.save()
    _set_relations(activity, groups, hosts, participants)
    return activity


ACTIVITY_EDITABLE = {
    "kind",
    "title",
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
    **fields,
) -> Activity:
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
    *, activity: Activity, starts_at: dt.datetime, expected_version: int | None = None
) -> Activity:
    """Move an activity to a new start, keeping its length."""
    length = activity.ends_at - activity.starts_at
    return update_activity(
        activity=activity,
        expected_version=expected_version,
        starts_at=starts_at,
        ends_at=starts_at + length,
    )


@transaction.atomic
def delete_activity(*, activity: Activity) -> None:
    activity.delete()


# --- gifts and photos ----------------------------------------------------------------


@transaction.atomic
def record_gift(
    *,
    exchange: Exchange,
    activity: Activity | None = None,
    giver_person: Person | None = None,
    giver_organisation: Organisation | None = None,
    recipient_person: Person | None = None,
    recipient_organisation: Organisation | None = None,
    description: str = "",
    note: str = "",
) -> Gift:
    errors = {}
    if giver_person is None and giver_organisation is None:
        errors["giver_person"] = _("Say who gave the gift.")
    if recipient_person is None and recipient_organisation is None:
        errors["recipient_person"] = _("Say who received the gift.")
    if activity is not None and activity.exchange_id != exchange.pk:
        errors["activity"] = _("The activity belongs to another exchange.")
    if errors:
        raise ValidationError(errors)
    return Gift.objects.create(
        exchange=exchange,
        activity=activity,
        giver_person=giver_person,
        giver_organisation=giver_organisation,
        recipient_person=recipient_person,
        recipient_organisation=recipient_organisation,
        description=validate_text(description, field="description", max_length=300, required=False),
        note=note,
    )


THUMBNAIL_SIZE = (480, 480)
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def _make_thumbnail(upload):
    """Validate an uploaded image with Pillow and return (original, thumbnail) files."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError({"image": _("The image is larger than 20 MB.")})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            if img.format not in {"JPEG", "PNG", "WEBP", "GIF"}:
                raise ValidationError({"image": _("Upload a JPEG, PNG, WebP or GIF image.")})
            img = ImageOps.exif_transpose(img)
            img.thumbnail(THUMBNAIL_SIZE)
            out = BytesIO()
            img.convert("RGB").save(out, "JPEG", quality=82)
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError({"image": _("This file is not an image we can read.")}) from exc
    upload.seek(0)
    stem = (getattr(upload, "name", "photo") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0][:60]
    return ContentFile(out.getvalue(), name=f"{stem}-thumb.jpg")


@transaction.atomic
def add_photo(
    *,
    exchange: Exchange,
    caption: str,
    activity: Activity | None = None,
    image=None,
    taken_on: dt.date | None = None,
    credit: str = "",
) -> Photo:
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
        thumb = _make_thumbnail(image)
        photo.image.save(getattr(image, "name", "photo.jpg").rsplit("/", 1)[-1], image, save=False)
        photo.thumbnail.save(thumb.name, thumb, save=False)
    photo.save()
    return photo
