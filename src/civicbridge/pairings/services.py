"""Writes for appointments, pairings and commitments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicbridge.accounts.services import person_of
from civicbridge.core import hans_hant, uploads
from civicbridge.core.services import (
    bump_version,
    check_version,
    create_record,
    validate_text,
    validate_text_fields,
)
from civicbridge.directory.models import (
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
    Position,
    level_index,
)
from civicbridge.directory.services import get_or_create_organisation
from civicbridge.exchanges.models import Activity, Exchange, ExchangeStatus, Side
from civicbridge.exchanges.services import add_exchange_organisation, add_member, create_exchange
from civicbridge.forums.models import Outcome
from civicbridge.pairings.models import (
    Appointment,
    Attachment,
    ChannelMembership,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Message,
    NotificationPreference,
    Pairing,
    ReadMark,
)
from civicbridge.pairings.selectors import current_contacts, may_read_thread, sides_of

HONORARY_DIRECTOR = "荣誉主任"


def next_certificate_number(*, community: Place, year: int) -> str:
    """The next certificate number of ``community`` for ``year``: <code>-<year>-<nnn>."""
    prefix = f"{community.code or f'P{community.pk}'}-{year}-"
    taken = Appointment.objects.filter(
        community=community, certificate_year=year, certificate_number__startswith=prefix
    ).values_list("certificate_number", flat=True)
    numbers = [int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdecimal()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _li_of(person: Person, on: dt.date) -> Place | None:
    """The li (or community) a person headed on a date, else their home place."""
    position = (
        Position.objects.on(on)
        .filter(
            person=person, place__kind__in=[PlaceKind.LI, PlaceKind.COMMUNITY, PlaceKind.VILLAGE]
        )
        .select_related("place")
        .first()
    )
    return position.place if position else person.home_place


@transaction.atomic
def create_pairing(
    *,
    place_a: Place,
    place_b: Place,
    started_on: dt.date,
    origin: str = Pairing.Origin.DIRECT,
    exchange: Exchange | None = None,
    note: str = "",
) -> Pairing:
    if place_a.pk == place_b.pk:
        raise ValidationError({"place_b": _("A pairing links two different places.")})
    if Pairing.objects.filter(
        Q(place_a=place_a, place_b=place_b) | Q(place_a=place_b, place_b=place_a),
        ended_on__isnull=True,
    ).exists():
        raise ValidationError({"place_b": _("These two places are already paired.")})
    return create_record(
        Pairing,
        place_a=place_a,
        place_b=place_b,
        started_on=started_on,
        origin=origin,
        exchange=exchange,
        note=note,
    )


def open_pairing_between(a: Place, b: Place) -> Pairing | None:
    return Pairing.objects.filter(
        Q(place_a=a, place_b=b) | Q(place_a=b, place_b=a), ended_on__isnull=True
    ).first()


@transaction.atomic
def end_pairing(
    *, pairing: Pairing, ended_on: dt.date, expected_version: int | None = None, note: str = ""
) -> Pairing:
    check_version(pairing, expected_version)
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it began.")})
    pairing.ended_on = ended_on
    if note:
        pairing.note = f"{pairing.note}\n{note}".strip()
    validate_text_fields(pairing)
    bump_version(pairing)
    pairing.save()
    return pairing


@transaction.atomic
def appoint(
    *,
    person: Person,
    community: Place,
    appointed_on: dt.date,
    activity: Activity | None = None,
    exchange: Exchange | None = None,
    title: str = HONORARY_DIRECTOR,
    person_place: Place | None = None,
    certificate_number: str | None = None,
    create_pairing_with_place: bool = True,
    note: str = "",
) -> Appointment:
    """Appoint ``person`` (honorary director, by default) of ``community``.

    The certificate number is issued when none is given. The appointee's li is taken from
    their position on that day unless given; the appointment creates (or joins) the
    pairing of that li with the community."""
    errors = {}
    if not community.is_community_level:
        errors["community"] = _("Only a community or village appoints honorary directors.")
    if activity is not None:
        exchange = exchange or activity.exchange
        if activity.exchange_id != exchange.pk:
            errors["activity"] = _("The activity belongs to another exchange.")
    if exchange is not None and not (exchange.start_date <= appointed_on <= exchange.end_date):
        errors["appointed_on"] = _("The date lies outside the exchange's dates.")
    if errors:
        raise ValidationError(errors)
    year = appointed_on.year
    number = (certificate_number or "").strip() or next_certificate_number(
        community=community, year=year
    )
    number = validate_text(number, field="certificate_number", max_length=40)
    if Appointment.objects.filter(
        community=community, certificate_year=year, certificate_number=number
    ).exists():
        raise ValidationError(
            {
                "certificate_number": _(
                    "Certificate number %(n)s is already used by this community in %(y)s."
                )
                % {"n": number, "y": year}
            }
        )
    person_place = person_place or _li_of(person, appointed_on)
    pairing = None
    if create_pairing_with_place and person_place is not None and person_place.pk != community.pk:
        pairing = open_pairing_between(community, person_place) or create_pairing(
            place_a=community,
            place_b=person_place,
            started_on=appointed_on,
            origin=Pairing.Origin.APPOINTMENT,
            exchange=exchange,
        )
    try:
        with transaction.atomic():
            return create_record(
                Appointment,
                person=person,
                community=community,
                person_place=person_place,
                title=validate_text(title, field="title", max_length=100),
                exchange=exchange,
                activity=activity,
                appointed_on=appointed_on,
                certificate_year=year,
                certificate_number=number,
                pairing=pairing,
                note=note,
            )
    except IntegrityError as exc:  # a concurrent appointment took the number
        raise ValidationError(
            {"certificate_number": _("That certificate number was just taken.")}
        ) from exc


@transaction.atomic
def create_commitment(
    *,
    title: str,
    description: str = "",
    exchange: Exchange | None = None,
    activity: Activity | None = None,
    outcome: Outcome | None = None,
    pairing: Pairing | None = None,
    owner_person: Person | None = None,
    owner_organisation: Organisation | None = None,
    due_on: dt.date | None = None,
    status: str = CommitmentStatus.OPEN,
    by=None,
    note: str = "",
    actor=None,
) -> Commitment:
    """Record a commitment. Somebody owns it (a person or an organisation). ``actor``:
    the user recording it (pages and API), who must hold pairings.add_commitment on it
    (the organisers of its pairing or of its exchange); None for commands and the demo."""
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if outcome is not None:
        activity = activity or outcome.forum.activity
    if activity is not None:
        exchange = exchange or activity.exchange
    commitment = Commitment(
        title=validate_text(title, field="title", max_length=300),
        description=description,
        exchange=exchange,
        activity=activity,
        outcome=outcome,
        pairing=pairing,
        owner_person=owner_person,
        owner_organisation=owner_organisation,
        due_on=due_on,
        status=status,
    )
    if actor is not None and not actor.has_perm("pairings.add_commitment", commitment):
        raise PermissionDenied(_("You may not record commitments here."))
    if owner_person is None and owner_organisation is None:
        raise ValidationError(
            {"owner_organisation": _("Name who owns it: a person or an organisation.")}
        )
    validate_text_fields(commitment)
    commitment.save()
    create_record(
        CommitmentEvent,
        commitment=commitment,
        status=status,
        note=note,
        by=by if by is not None else actor,
    )
    return commitment


@transaction.atomic
def change_commitment_status(
    *,
    commitment: Commitment,
    status: str,
    note: str = "",
    by=None,
    expected_version: int | None = None,
) -> Commitment:
    check_version(commitment, expected_version)
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    commitment.status = status
    bump_version(commitment)
    validate_text_fields(commitment)
    commitment.save()
    create_record(CommitmentEvent, commitment=commitment, status=status, note=note, by=by)
    return commitment


# --- the channel ------------------------------------------------------------------------------

MESSAGE_MAX_LENGTH = 10_000
ATTACHMENTS_PER_MESSAGE = 5


def attachment_max_bytes() -> int:

    return int(getattr(settings, "CIVICBRIDGE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def check_attachment(upload):
    """Refuse a file that is too big, empty, or not of an allowed type judged by its
    content (core.uploads.detect_upload: the client's name and declared type are not
    trusted; images are re-encoded). Returns (display name, what was detected)."""

    name = uploads.client_name(upload)
    limit = attachment_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "attachments": _("%(name)s is too large (at most %(mb)s MB).")
                % {"name": name, "mb": round(limit / 1024 / 1024, 1)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"attachments": _("%(name)s is empty.") % {"name": name}})
    try:
        detected = uploads.detect_upload(upload, field="attachments")
    except ValidationError as exc:
        messages = [m if name in m else f"{name}: {m}" for m in exc.messages]
        raise ValidationError({"attachments": messages}) from exc
    return name, detected


def _thread_kwargs(thread) -> dict:
    if isinstance(thread, Pairing):
        return {"pairing": thread}
    if isinstance(thread, Exchange):
        return {"exchange": thread}
    raise TypeError("A thread is a pairing or an exchange.")


@transaction.atomic
def join_channel(*, user, thread, place: Place | None = None, person: Person | None = None):

    if (
        place is not None
        and isinstance(thread, Pairing)
        and place.pk
        not in (
            thread.place_a_id,
            thread.place_b_id,
        )
    ):
        raise ValidationError({"place": _("Choose one of the two places of this pairing.")})
    membership, created = ChannelMembership.objects.get_or_create(
        user=user, **_thread_kwargs(thread), defaults={"place": place, "person": person}
    )
    if not created and (place or person):
        membership.place = place or membership.place
        membership.person = person or membership.person
        bump_version(membership)
        membership.save()
    return membership


@transaction.atomic
def leave_channel(*, user, thread) -> None:

    ChannelMembership.objects.filter(user=user, **_thread_kwargs(thread)).delete()


@transaction.atomic
def mark_read(*, user, thread, up_to: int | None = None):
    """Mark the thread read for ``user`` up to message ``up_to`` (default: the latest)."""

    kwargs = _thread_kwargs(thread)
    if up_to is None:
        up_to = Message.objects.filter(**kwargs).aggregate(m=Max("id"))["m"] or 0
    mark, _created = ReadMark.objects.select_for_update().get_or_create(user=user, **kwargs)
    if up_to > mark.last_read_id:
        mark.last_read_id = up_to
        mark.at = timezone.now()
        mark.save(update_fields=["last_read_id", "at"])
    return mark


def _signature(*, thread, author, author_place: Place | None) -> tuple[Person | None, Place | None]:
    """Who signs a message: the author's person (accounts.PersonLink) and side. In a
    pairing one writes only for one's own side (pairings.speak_for_place): another place
    is refused; none given, one's only side is taken. Without an author (a command) the
    place is kept when it is one of the pairing's."""

    if not isinstance(thread, Pairing):
        return person_of(author), None
    if author is None:
        if author_place is not None and author_place.pk in (thread.place_a_id, thread.place_b_id):
            return None, author_place
        return None, None
    sides = sides_of(author, thread)
    if author_place is None:
        return person_of(author), sides[0] if len(sides) == 1 else None
    if author_place.pk not in {p.pk for p in sides}:
        raise ValidationError({"author_place": _("You may write only for your own side.")})
    return person_of(author), author_place


@transaction.atomic
def post_message(*, thread, author, body: str, attachments=(), author_place: Place | None = None):
    """Post a message (stored as entered) with optional attachments, signed by the author's
    person and side; the author follows the thread and has read it; e-mail notices go to
    followers who opted in (and may still read the thread), once committed."""

    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": _("At most %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}}
        )
    attachments = list(attachments or [])
    if len(attachments) > ATTACHMENTS_PER_MESSAGE:
        raise ValidationError(
            {"attachments": _("At most %(n)d files.") % {"n": ATTACHMENTS_PER_MESSAGE}}
        )
    checked = [(upload, *check_attachment(upload)) for upload in attachments]
    kwargs = _thread_kwargs(thread)
    author_person, author_place = _signature(
        thread=thread, author=author, author_place=author_place
    )
    message = create_record(
        Message,
        **kwargs,
        author=author,
        author_person=author_person,
        author_place=author_place,
        body=body,
    )
    for upload, name, detected in checked:
        # An image is stored as we re-encoded it; any other file as uploaded.
        content = ContentFile(detected.encoded.content) if detected.encoded else upload
        attachment = Attachment(
            message=message,
            original_name=name,
            content_type=detected.content_type,
            size=content.size,
        )
        validate_text_fields(attachment)
        attachment.file.save(f"upload.{detected.extension}", content, save=False)
        attachment.save()
    if author is not None:
        join_channel(user=author, thread=thread, place=author_place, person=author_person)
        mark_read(user=author, thread=thread, up_to=message.pk)
    transaction.on_commit(lambda: send_message_notices(message_id=message.pk))
    return message


def send_message_notices(*, message_id: int) -> int:
    """E-mail a new message to the thread's followers who opted in (not its author), each in
    their own language and script. Returns the number of e-mails sent."""

    message = Message.objects.select_related(
        "pairing__place_a",
        "pairing__place_b",
        "exchange",
        "author",
        "author_person",
        "author_place",
    ).get(pk=message_id)
    thread = message.thread
    members = (
        ChannelMembership.objects.of(thread)
        .filter(user__civicbridge_notifications__email_messages=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user__preference")
    )

    if message.author_id:
        members = members.exclude(user_id=message.author_id)
    if isinstance(thread, Pairing):
        url = reverse("pairings:messages", args=[thread.pk])
    else:
        url = reverse("pairings:exchange_messages", args=[thread.pk])
    base = getattr(settings, "CIVICBRIDGE_SITE_URL", "").rstrip("/")
    emails = []
    for membership in members:
        user = membership.user
        # The right of today, not of the day they began to follow the thread.
        if not may_read_thread(user, thread):
            continue
        language = getattr(getattr(user, "preference", None), "language", "") or (
            settings.LANGUAGE_CODE
        )
        which = hans_hant.script_of_language(language)
        with translation.override(language):
            if isinstance(thread, Pairing):
                title = (
                    f"{thread.place_a.display_name_in(which)} ↔ "
                    f"{thread.place_b.display_name_in(which)}"
                )
            else:
                title = hans_hant.convert_text(thread.title, which)
            author = signature_of(message, which)
            subject = _("New message: %(thread)s") % {"thread": title}
            text = "\n\n".join(
                [
                    _("%(author)s wrote in %(thread)s:") % {"author": author, "thread": title},
                    hans_hant.convert_text(message.body, which),
                    _("Read and answer: %(url)s") % {"url": f"{base}{url}"},
                    _("You receive this because you asked for e-mail notices of new messages."),
                ]
            )
        emails.append(EmailMessage(subject, text, to=[user.email]))
    if not emails:
        return 0
    return get_connection().send_messages(emails) or 0


def signature_of(message, which: str = "hans") -> str:
    """How a message is signed: its person (else the account's full name) and side, never
    the login name."""
    if message.author_person_id:
        name = message.author_person.name_in(which)
    elif message.author is not None and message.author.get_full_name():
        name = message.author.get_full_name()
    else:
        name = _("(name not recorded)")
    if message.author_place_id:
        return _("%(name)s, for %(place)s") % {
            "name": name,
            "place": message.author_place.display_name_in(which),
        }
    return name


@transaction.atomic
def set_notification_preference(*, user, email_messages: bool, email_commitments: bool = False):

    preference, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={"email_messages": email_messages, "email_commitments": email_commitments},
    )
    return preference


# --- return visit -----------------------------------------------------------------------------


def _city_of(place: Place) -> Place:
    """The city (a municipality, a Taiwan county or city) a place lies in: read off its
    ancestors, the same for imported and hand-added places."""

    chain = [*place.ancestors(), place]
    i = level_index(chain, "city")
    return chain[i if i is not None else 0]


def _former_host_and_visitor(pairing: Pairing) -> tuple[Place, Place]:
    """(the place that hosted, the place that visited) when the pairing began."""
    a, b = pairing.place_a, pairing.place_b
    exchange = pairing.exchange
    if exchange is not None:
        if (
            exchange.host_place.side_id == b.side_id
            and exchange.visiting_place.side_id == a.side_id
        ):
            return b, a
        return a, b
    # Without an exchange the appointing community hosted (place_a, by convention).
    return a, b


def _committee_of(place: Place) -> Organisation:
    """The organisation that speaks for a community (its committee) or a li (its office)."""

    existing = (
        Organisation.objects.alive()
        .filter(place=place, kind=OrganisationKind.COMMUNITY_COMMITTEE)
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    if place.kind == PlaceKind.LI:
        name = f"{place.name}辦公處"
    elif place.name.endswith(("居委会", "居民委员会", "村委会", "村民委员会")):
        name = place.name
    else:
        name = f"{place.name}居委会" if place.kind == PlaceKind.COMMUNITY else f"{place.name}委员会"
    return get_or_create_organisation(
        name=name, kind=OrganisationKind.COMMUNITY_COMMITTEE, place=place
    )


@transaction.atomic
def propose_return_visit(
    *,
    pairing: Pairing,
    start_date: dt.date,
    end_date: dt.date | None = None,
    title: str = "",
    by=None,
) -> Exchange:
    """A draft exchange (planned) with the sides reversed: the former host's city visits the
    former visitor's city, sent by the former host community's committee; members suggested
    from both places (present contacts and the pairing's appointees)."""

    end_date = end_date or start_date
    if end_date < start_date:
        raise ValidationError({"end_date": _("The visit ends before it starts.")})
    former_host, former_visitor = _former_host_and_visitor(pairing)
    visiting_place = _city_of(former_host)
    host_place = _city_of(former_visitor)
    if visiting_place.pk == host_place.pk:
        visiting_place, host_place = former_host, former_visitor
    organisation = _committee_of(former_host)
    exchange = create_exchange(
        title=title.strip()
        or f"{former_host.display_name_in('hans')}回访{former_visitor.display_name_in('hans')}",
        start_date=start_date,
        end_date=end_date,
        visiting_organisation=organisation,
        visiting_place=visiting_place,
        host_place=host_place,
        status=ExchangeStatus.PLANNED,
        timezone=former_visitor.timezone_name,
        note=f"Return visit proposed from pairing #{pairing.pk}.",
    )
    # The host side's office receives the visit.
    add_exchange_organisation(
        exchange=exchange, organisation=_committee_of(former_visitor), role="host"
    )
    contacts = current_contacts([former_host, former_visitor], start_date)
    suggested: list[tuple[Person, str, Place]] = []
    if former_host.pk in contacts:
        suggested.append((contacts[former_host.pk].person, Side.VISITING, former_host))
    if former_visitor.pk in contacts:
        suggested.append((contacts[former_visitor.pk].person, Side.HOST, former_visitor))
    for appointment in pairing.appointments.alive().select_related("person").order_by("id"):
        side_place = appointment.person_place or former_visitor
        side = Side.VISITING if side_place.pk == former_host.pk else Side.HOST
        suggested.append((appointment.person, side, side_place))
    seen: set[int] = set()
    for person, side, home in suggested:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        add_member(
            exchange=exchange,
            person=person,
            side=side,
            home_place=home,
            note="suggested",
        )
    return exchange
