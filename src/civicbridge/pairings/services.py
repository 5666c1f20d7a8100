"""Writes for appointments, pairings of any kind, batches of pairings, agreements,
alliances, commitments and the channel."""

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
    update_record,
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
    path_within,
)
from civicbridge.directory.services import get_or_create_organisation
from civicbridge.exchanges.models import Activity, Exchange, ExchangeStatus, Side
from civicbridge.exchanges.services import add_exchange_organisation, add_member, create_exchange
from civicbridge.forums.models import Outcome
from civicbridge.pairings.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
    Alliance,
    AllianceMember,
    Appointment,
    Attachment,
    CertificateNumbering,
    ChannelMembership,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Message,
    NotificationPreference,
    Pairing,
    PairingBatch,
    PairingKind,
    ReadMark,
)
from civicbridge.pairings.rules import Proposed
from civicbridge.pairings.selectors import (
    current_contacts,
    may_read_thread,
    pairing_title,
    side_places,
    sides_of,
)

HONORARY_DIRECTOR = "荣誉主任"


def next_certificate_number(*, community: Place, year: int) -> str:
    """The next certificate number of ``community`` for ``year``: in the community's
    pattern (``CertificateNumbering``) when it has one, else <code>-<year>-<nnn>."""
    numbering = CertificateNumbering.objects.filter(community=community).first()
    if numbering is not None:
        taken = Appointment.objects.filter(community=community, certificate_year=year).values_list(
            "certificate_number", flat=True
        )
        seqs = [numbering.sequence_of(n, year=year) for n in taken]
        return numbering.format(year=year, seq=max((s for s in seqs if s), default=0) + 1)
    prefix = f"{community.code or f'P{community.pk}'}-{year}-"
    taken = Appointment.objects.filter(
        community=community, certificate_year=year, certificate_number__startswith=prefix
    ).values_list("certificate_number", flat=True)
    numbers = [int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdecimal()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def set_certificate_numbering(
    *,
    community: Place,
    pattern: str,
    digits: int = 3,
    actor,
    expected_version: int | None = None,
) -> CertificateNumbering:
    """The pattern ``community`` numbers its certificates in (〔{year}〕田阜字第{seq}号):
    set by whoever may record its appointments. Numbers already issued stay as they are."""
    if not actor.has_perm("pairings.add_appointment", community):
        raise PermissionDenied
    pattern = (pattern or "").strip()
    errors = {}
    if not community.is_community_level:
        errors["community"] = _("Only a community or village issues certificates.")
    if pattern.count(CertificateNumbering.SEQ) != 1:
        errors["pattern"] = _("The pattern holds {seq}, the number, exactly once.")
    elif pattern.count(CertificateNumbering.YEAR) > 1:
        errors["pattern"] = _("The pattern holds {year} at most once.")
    elif set("{}") & set(
        pattern.replace(CertificateNumbering.SEQ, "").replace(CertificateNumbering.YEAR, "")
    ):
        errors["pattern"] = _("Only {year} and {seq} may stand in braces.")
    if not 1 <= digits <= 6:
        errors["digits"] = _("A number has 1 to 6 digits.")
    if not errors:
        sample = CertificateNumbering(pattern=pattern, digits=digits).format(
            year=9999, seq=10**digits - 1
        )
        if len(sample) > 40:
            errors["pattern"] = _("A number in this pattern is longer than 40 characters.")
    if errors:
        raise ValidationError(errors)
    numbering = CertificateNumbering.objects.filter(community=community).first()
    if numbering is None:
        return create_record(
            CertificateNumbering, community=community, pattern=pattern, digits=digits
        )
    check_version(numbering, expected_version)
    numbering.pattern = pattern
    numbering.digits = digits
    validate_text_fields(numbering)
    bump_version(numbering)
    numbering.save()
    return numbering


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
    kind: str | None = None,
) -> Pairing:
    """A pairing of two places (commands, the demo, appointments). ``kind`` follows
    ``origin`` unless given: born of an appointment, honorary; otherwise friendly."""
    if kind is None:
        kind = (
            PairingKind.HONORARY if origin == Pairing.Origin.APPOINTMENT else PairingKind.FRIENDLY
        )
    if place_a.pk == place_b.pk:
        raise ValidationError({"place_b": _("A pairing links two different places.")})
    if Pairing.objects.filter(
        Q(place_a=place_a, place_b=place_b) | Q(place_a=place_b, place_b=place_a),
        ended_on__isnull=True,
    ).exists():
        raise ValidationError({"place_b": _("These two places are already paired.")})
    return create_record(
        Pairing,
        kind=kind,
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
    certificate: bool = True,
    status: str = ExchangeStatus.HELD,
    create_pairing_with_place: bool = True,
    note: str = "",
) -> Appointment:
    """Appoint ``person`` (honorary director, by default) of ``community``.

    The certificate number is issued when none is given; ``certificate=False``: the
    sources report no certificate (聘书), none is recorded (no year, no number). The
    appointee's li is taken from their position on that day unless given; the appointment
    creates (or joins) the honorary pairing of that li with the community."""
    errors = {}
    if status not in ExchangeStatus.values:
        errors["status"] = _("Unknown status.")
    if not certificate and (certificate_number or "").strip():
        errors["certificate_number"] = _(
            "A number was given for an appointment without a certificate."
        )
    if not community.is_community_level:
        errors["community"] = _("Only a community or village appoints honorary directors.")
    if activity is not None:
        exchange = exchange or activity.exchange
        if activity.exchange_id != exchange.pk:
            errors["activity"] = _("The activity belongs to another exchange.")
    if exchange is not None and not (
        exchange.start_date <= appointed_on <= (exchange.end_date or exchange.start_date)
    ):
        errors["appointed_on"] = _("The date lies outside the exchange's dates.")
    if errors:
        raise ValidationError(errors)
    year = appointed_on.year if certificate else None
    number = ""
    if certificate:
        number = (certificate_number or "").strip() or next_certificate_number(
            community=community, year=year
        )
        number = validate_text(number, field="certificate_number", max_length=40)
    if (
        certificate
        and Appointment.objects.filter(
            community=community, certificate_year=year, certificate_number=number
        ).exists()
    ):
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
                status=status,
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
        "pairing__organisation_a",
        "pairing__organisation_b",
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
                title = pairing_title(thread, which)
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
    """(the place that hosted, the place that visited) when the pairing began. An
    organisation party stands for the place it is based in."""
    a, b = side_places(pairing)
    if a is None or b is None:
        raise ValidationError(
            {"pairing": _("A return visit needs a place on both sides of the pairing.")}
        )
    exchange = pairing.exchange
    if exchange is not None and exchange.host_place_id and exchange.visiting_place_id:
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


# --- pairings of any kind, batches, agreements, alliances ------------------------------------

PAIRING_FIELDS = ("kind", "status", "started_on", "ended_on", "exchange", "agreement", "note")
BATCH_FIELDS = ("description", "count", "kind", "status", "started_on", "exchange", "note")
AGREEMENT_FIELDS = ("subject", "kind", "status", "signed_on", "exchange", "activity", "note")
ALLIANCE_FIELDS = ("name", "launched_on", "status", "exchange", "activity", "pledges", "note")
BATCH_MAX = 500
AGREEMENT_MAX_PARTIES = 50
ALLIANCE_MAX_MEMBERS = 500


def _texts(fields: dict, *names: str) -> dict:
    """``fields`` with the text fields among ``names`` that were sent empty (None) as ""."""
    return {k: ("" if v is None and k in names else v) for k, v in fields.items()}


def _check_permission(actor, perm: str, obj, message) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _check_choice(errors: dict, field: str, value, choices) -> None:
    if value not in choices:
        errors[field] = _("Unknown value: %(value)s.") % {"value": str(value)[:40]}


def _exchange_of_activity(errors: dict, exchange, activity):
    if activity is None:
        return exchange
    if exchange is None:
        return activity.exchange
    if activity.exchange_id != exchange.pk:
        errors["activity"] = _("The activity belongs to another exchange.")
    return exchange


def _party(entry: dict, *, field: str, index: int) -> dict:
    """One party of an agreement or an alliance: exactly one of ``place``, ``organisation``
    or ``wording`` (the sources' name while unresolved)."""
    if not isinstance(entry, dict):
        raise ValidationError({field: _("Party %(n)d is not described.") % {"n": index + 1}})
    place = entry.get("place")
    organisation = entry.get("organisation")
    wording = validate_text(
        entry.get("wording") or "", field=field, max_length=200, required=False, name=True
    )
    named = [x for x in (place, organisation, wording) if x]
    if len(named) != 1:
        raise ValidationError(
            {
                field: _(
                    "Party %(n)d: name one place, one organisation or, while it is not in "
                    "the directory, how the sources name it."
                )
                % {"n": index + 1}
            }
        )
    if place is not None and not isinstance(place, Place):
        raise ValidationError({field: _("Party %(n)d: not a place.") % {"n": index + 1}})
    if organisation is not None and not isinstance(organisation, Organisation):
        raise ValidationError({field: _("Party %(n)d: not an organisation.") % {"n": index + 1}})
    return {"place": place, "organisation": organisation, "wording": wording}


def _same_party(a: dict, b: dict) -> bool:
    for key in ("place", "organisation"):
        if a[key] is not None and b[key] is not None and a[key].pk == b[key].pk:
            return True
    return bool(a["wording"]) and a["wording"] == b["wording"]


def _check_pairing_parties(*, place_a, place_b, organisation_a, organisation_b) -> None:
    errors = {}
    if (place_a is None) == (organisation_a is None):
        errors["place_a"] = _("Name one party on each side: a place or an organisation.")
    if (place_b is None) == (organisation_b is None):
        errors["place_b"] = _("Name one party on each side: a place or an organisation.")
    if errors:
        raise ValidationError(errors)
    if (place_a is not None and place_b is not None and place_a.pk == place_b.pk) or (
        organisation_a is not None
        and organisation_b is not None
        and organisation_a.pk == organisation_b.pk
    ):
        raise ValidationError({"place_b": _("A pairing links two different parties.")})
    if place_a is not None and place_b is not None and open_pairing_between(place_a, place_b):
        raise ValidationError({"place_b": _("These two places are already paired.")})
    both = organisation_a is not None and organisation_b is not None
    if both and (
        Pairing.objects.filter(
            Q(organisation_a=organisation_a, organisation_b=organisation_b)
            | Q(organisation_a=organisation_b, organisation_b=organisation_a),
            ended_on__isnull=True,
        ).exists()
    ):
        raise ValidationError({"organisation_b": _("These two are already paired.")})


@transaction.atomic
def record_pairing(
    *,
    kind: str,
    place_a: Place | None = None,
    place_b: Place | None = None,
    organisation_a: Organisation | None = None,
    organisation_b: Organisation | None = None,
    started_on: dt.date,
    status: str = ExchangeStatus.HELD,
    exchange: Exchange | None = None,
    agreement: Agreement | None = None,
    batch: PairingBatch | None = None,
    note: str = "",
    actor=None,
) -> Pairing:
    """Record a pairing of two parties (each a place or an organisation) of a kind
    (honorary, friendly, by agreement). ``actor`` must hold pairings.add_pairing on it: an
    organiser of one party's place or of the exchange's host place; administrators."""
    errors: dict = {}
    _check_choice(errors, "kind", kind, PairingKind.values)
    _check_choice(errors, "status", status, ExchangeStatus.values)
    if started_on is None:
        errors["started_on"] = _("Give the day the pairing began.")
    if errors:
        raise ValidationError(errors)
    pairing = Pairing(
        kind=kind,
        status=status,
        place_a=place_a,
        place_b=place_b,
        organisation_a=organisation_a,
        organisation_b=organisation_b,
        started_on=started_on,
        exchange=exchange,
        agreement=agreement,
        batch=batch,
        origin=Pairing.Origin.APPOINTMENT
        if kind == PairingKind.HONORARY
        else Pairing.Origin.DIRECT,
        note=validate_text(note, field="note", max_length=5000, required=False, multiline=True),
    )
    if batch is None:
        _check_permission(
            actor, "pairings.add_pairing", pairing, _("You may not record this pairing.")
        )
    _check_pairing_parties(
        place_a=place_a,
        place_b=place_b,
        organisation_a=organisation_a,
        organisation_b=organisation_b,
    )
    validate_text_fields(pairing)
    pairing.save()
    return pairing


@transaction.atomic
def update_pairing(
    *, pairing: Pairing, fields: dict, expected_version: int | None = None, actor=None
) -> Pairing:
    """Change a pairing's kind, status, dates, exchange, agreement or note."""
    _check_permission(
        actor, "pairings.change_pairing", pairing, _("You may not change this pairing.")
    )
    errors: dict = {}
    if "kind" in fields:
        _check_choice(errors, "kind", fields["kind"], PairingKind.values)
    if "status" in fields:
        _check_choice(errors, "status", fields["status"], ExchangeStatus.values)
    if "started_on" in fields and fields["started_on"] is None:
        errors["started_on"] = _("Give the day the pairing began.")
    if errors:
        raise ValidationError(errors)
    if "note" in fields:
        fields = {
            **fields,
            "note": validate_text(
                fields["note"] or "", field="note", max_length=5000, required=False, multiline=True
            ),
        }
    if "kind" in fields:
        fields["origin"] = (
            Pairing.Origin.APPOINTMENT
            if fields["kind"] == PairingKind.HONORARY
            else Pairing.Origin.DIRECT
        )

    def check(obj):
        if obj.ended_on is not None and obj.ended_on < obj.started_on:
            raise ValidationError({"ended_on": _("A pairing cannot end before it began.")})

    return update_record(
        pairing,
        fields=fields,
        allowed=(*PAIRING_FIELDS, "origin"),
        expected_version=expected_version,
        validate=check,
    )


def _places(values, field: str) -> list[Place]:
    places = list(dict.fromkeys(values or []))
    if not places:
        raise ValidationError({field: _("Name at least one district.")})
    if any(not isinstance(p, Place) for p in places):
        raise ValidationError({field: _("Choose places from the directory.")})
    return places


@transaction.atomic
def record_pairing_batch(
    *,
    description: str,
    count: int,
    kind: str = PairingKind.FRIENDLY,
    districts_a,
    districts_b,
    started_on: dt.date | None = None,
    status: str = ExchangeStatus.HELD,
    exchange: Exchange | None = None,
    agreement: Agreement | None = None,
    note: str = "",
    actor=None,
) -> PairingBatch:
    """Pairings stated before their parties are known ("six 居委会 of 虹口/黄浦/嘉定/闵行 ↔ six
    li of 士林/信义/中山/大同"): ``count`` pairings between places of ``districts_a`` and of
    ``districts_b``, named later one by one (``complete_batch_pairing``)."""
    errors: dict = {}
    _check_choice(errors, "kind", kind, PairingKind.values)
    _check_choice(errors, "status", status, ExchangeStatus.values)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= BATCH_MAX:
        errors["count"] = _("Between 1 and %(max)d pairings.") % {"max": BATCH_MAX}
    try:
        districts_a = _places(districts_a, "districts_a")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        districts_b = _places(districts_b, "districts_b")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if {p.pk for p in districts_a} & {p.pk for p in districts_b}:
        raise ValidationError({"districts_b": _("A district cannot be on both sides.")})
    _check_permission(
        actor,
        "pairings.add_batch",
        Proposed(places=(*districts_a, *districts_b), exchange=exchange),
        _("You may not record pairings of these districts."),
    )
    batch = create_record(
        PairingBatch,
        description=validate_text(description, field="description", max_length=300),
        count=count,
        kind=kind,
        status=status,
        started_on=started_on,
        exchange=exchange,
        agreement=agreement,
        note=validate_text(note, field="note", max_length=5000, required=False, multiline=True),
    )
    batch.districts_a.set(districts_a)
    batch.districts_b.set(districts_b)
    return batch


@transaction.atomic
def update_batch(
    *, batch: PairingBatch, fields: dict, expected_version: int | None = None, actor=None
) -> PairingBatch:
    _check_permission(actor, "pairings.change_batch", batch, _("You may not change this batch."))
    fields = _texts(fields, "note")
    errors: dict = {}
    if "kind" in fields:
        _check_choice(errors, "kind", fields["kind"], PairingKind.values)
    if "status" in fields:
        _check_choice(errors, "status", fields["status"], ExchangeStatus.values)
    if "count" in fields:
        count = fields["count"]
        named = batch.pairings.count()
        if not isinstance(count, int) or not max(1, named) <= count <= BATCH_MAX:
            errors["count"] = _("Between %(min)d (already named) and %(max)d pairings.") % {
                "min": max(1, named),
                "max": BATCH_MAX,
            }
    if "description" in fields:
        try:
            fields = {
                **fields,
                "description": validate_text(
                    fields["description"], field="description", max_length=300
                ),
            }
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return update_record(
        batch, fields=fields, allowed=BATCH_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def complete_batch_pairing(
    *,
    batch: PairingBatch,
    place_a: Place,
    place_b: Place,
    started_on: dt.date | None = None,
    actor=None,
) -> Pairing:
    """Name one pairing of ``batch``: ``place_a`` within one of its districts on the one
    side, ``place_b`` on the other. At most ``batch.count`` pairings."""
    _check_permission(
        actor, "pairings.change_batch", batch, _("You may not add pairings to this batch.")
    )
    batch = PairingBatch.objects.select_for_update().get(pk=batch.pk)
    errors: dict = {}
    if place_a is None:
        errors["place_a"] = _("Name the place on this side.")
    elif not path_within(place_a.path, [d.path for d in batch.districts_a.all()]):
        errors["place_a"] = _("This place does not lie within the batch's districts on this side.")
    if place_b is None:
        errors["place_b"] = _("Name the place on this side.")
    elif not path_within(place_b.path, [d.path for d in batch.districts_b.all()]):
        errors["place_b"] = _("This place does not lie within the batch's districts on this side.")
    started_on = started_on or batch.started_on
    if started_on is None:
        errors["started_on"] = _("Give the day the pairing began.")
    if errors:
        raise ValidationError(errors)
    if batch.pairings.count() >= batch.count:
        raise ValidationError(
            {
                "place_a": _("All %(n)d pairings of this batch are already named.")
                % {"n": batch.count}
            }
        )
    pairing = record_pairing(
        kind=batch.kind,
        place_a=place_a,
        place_b=place_b,
        started_on=started_on,
        status=batch.status,
        exchange=batch.exchange,
        agreement=batch.agreement,
        batch=batch,
    )
    bump_version(batch)
    batch.save(update_fields=["version", "updated_at"])
    return pairing


def _parties(parties, *, field: str, minimum: int, maximum: int) -> list[dict]:
    parties = list(parties or [])
    if len(parties) < minimum:
        raise ValidationError({field: _("Name at least %(n)d parties.") % {"n": minimum}})
    if len(parties) > maximum:
        raise ValidationError({field: _("At most %(n)d.") % {"n": maximum}})
    checked = [_party(entry, field=field, index=i) for i, entry in enumerate(parties)]
    for i, a in enumerate(checked):
        for b in checked[:i]:
            if _same_party(a, b):
                raise ValidationError({field: _("A party is named twice.")})
    return checked


@transaction.atomic
def record_agreement(
    *,
    subject: str,
    kind: str = Agreement.Kind.COOPERATION,
    parties,
    signed_on: dt.date | None = None,
    status: str = ExchangeStatus.HELD,
    exchange: Exchange | None = None,
    activity: Activity | None = None,
    signatories=(),
    note: str = "",
    actor=None,
) -> Agreement:
    """Record an agreement between two or more parties (each ``{"place": …}``,
    ``{"organisation": …}`` or ``{"wording": "…"}``), signed by ``signatories``
    (``{"person": … or "wording": "…", "title": "…", "party_index": i}``), at an activity
    of an exchange. ``actor``: pairings.add_agreement (organisers of a party's place or of
    the exchange's host place; administrators)."""
    errors: dict = {}
    _check_choice(errors, "kind", kind, Agreement.Kind.values)
    _check_choice(errors, "status", status, ExchangeStatus.values)
    exchange = _exchange_of_activity(errors, exchange, activity)
    try:
        subject = validate_text(subject, field="subject", max_length=300)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        checked = _parties(parties, field="parties", minimum=2, maximum=AGREEMENT_MAX_PARTIES)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        checked = []
    signers = []
    for i, entry in enumerate(list(signatories or [])):
        if not isinstance(entry, dict):
            errors["signatories"] = _("Signatory %(n)d is not described.") % {"n": i + 1}
            break
        person = entry.get("person")
        wording = validate_text(
            entry.get("wording") or "", field="signatories", max_length=200, required=False
        )
        if (person is None) == (not wording):
            errors["signatories"] = _(
                "Signatory %(n)d: name a person or write how the sources name them."
            ) % {"n": i + 1}
            break
        index = entry.get("party_index")
        if index is not None and (
            isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(checked)
        ):
            errors["signatories"] = _("Signatory %(n)d: no such party.") % {"n": i + 1}
            break
        signers.append(
            {
                "person": person,
                "wording": wording,
                "title": validate_text(
                    entry.get("title") or "", field="signatories", max_length=200, required=False
                ),
                "party_index": index,
            }
        )
    if errors:
        raise ValidationError(errors)
    _check_permission(
        actor,
        "pairings.add_agreement",
        Proposed(
            places=tuple(p["place"] for p in checked if p["place"]),
            organisations=tuple(p["organisation"] for p in checked if p["organisation"]),
            exchange=exchange,
        ),
        _("You may not record this agreement."),
    )
    agreement = create_record(
        Agreement,
        subject=subject,
        kind=kind,
        status=status,
        signed_on=signed_on,
        exchange=exchange,
        activity=activity,
        note=validate_text(note, field="note", max_length=5000, required=False, multiline=True),
    )
    rows = [
        create_record(AgreementParty, agreement=agreement, order=i, **party)
        for i, party in enumerate(checked)
    ]
    for i, signer in enumerate(signers):
        index = signer.pop("party_index")
        create_record(
            AgreementSignatory,
            agreement=agreement,
            party=rows[index] if index is not None else None,
            order=i,
            **signer,
        )
    return agreement


@transaction.atomic
def update_agreement(
    *, agreement: Agreement, fields: dict, expected_version: int | None = None, actor=None
) -> Agreement:
    _check_permission(
        actor, "pairings.change_agreement", agreement, _("You may not change this agreement.")
    )
    fields = _texts(fields, "note")
    errors: dict = {}
    if "kind" in fields:
        _check_choice(errors, "kind", fields["kind"], Agreement.Kind.values)
    if "status" in fields:
        _check_choice(errors, "status", fields["status"], ExchangeStatus.values)
    if "activity" in fields or "exchange" in fields:
        exchange = fields.get("exchange", agreement.exchange)
        activity = fields.get("activity", agreement.activity)
        fields = {**fields, "exchange": _exchange_of_activity(errors, exchange, activity)}
    if "subject" in fields:
        try:
            fields = {
                **fields,
                "subject": validate_text(fields["subject"], field="subject", max_length=300),
            }
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return update_record(
        agreement, fields=fields, allowed=AGREEMENT_FIELDS, expected_version=expected_version
    )


def check_upload(upload, *, field: str):
    """``check_attachment``'s rules (size, content type judged by content) for any field."""
    try:
        return check_attachment(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


@transaction.atomic
def attach_agreement_document(*, agreement: Agreement, upload, actor=None) -> Agreement:
    """Store the signed text of ``agreement`` (replacing an earlier one) under a generated
    name with the type we detected; it is sent only by pairings:agreement_document, after
    pairings.view_agreement."""
    _check_permission(
        actor, "pairings.change_agreement", agreement, _("You may not change this agreement.")
    )
    if upload is None:
        raise ValidationError({"document": _("Choose a file.")})
    name, detected = check_upload(upload, field="document")
    content = ContentFile(detected.encoded.content) if detected.encoded else upload
    old = agreement.document.name if agreement.document else ""
    stored = uploads.generated_name("agreements", detected.extension).split("/", 1)[1]
    agreement.document.save(stored, content, save=False)
    agreement.document_type = detected.content_type
    agreement.document_name = name
    validate_text_fields(agreement)
    bump_version(agreement)
    agreement.save()
    if old and old != agreement.document.name:
        storage = agreement.document.storage
        transaction.on_commit(lambda: storage.delete(old))
    return agreement


def _members(members) -> list[dict]:
    # An alliance may be reported before its members are named (成立京台社区联盟).
    checked = _parties(members, field="members", minimum=0, maximum=ALLIANCE_MAX_MEMBERS)
    for entry, member in zip(list(members), checked, strict=True):
        member["joined_on"] = entry.get("joined_on")
        member["founder"] = bool(entry.get("founder"))
    return checked


@transaction.atomic
def launch_alliance(
    *,
    name: str,
    members,
    launched_on: dt.date | None = None,
    status: str = ExchangeStatus.HELD,
    exchange: Exchange | None = None,
    activity: Activity | None = None,
    pledges: str = "",
    note: str = "",
    actor=None,
) -> Alliance:
    """Launch an alliance of places and organisations (``members``: each ``{"place" |
    "organisation" | "wording", "joined_on", "founder"}``; a member without a day joined on
    the launch day; none: members named later, ``add_alliance_member``). ``actor``:
    pairings.add_alliance (organisers of a member's place or of the exchange's host)."""
    errors: dict = {}
    _check_choice(errors, "status", status, ExchangeStatus.values)
    exchange = _exchange_of_activity(errors, exchange, activity)
    try:
        name = validate_text(name, field="name", max_length=200, name=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        checked = _members(members)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        checked = []
    if errors:
        raise ValidationError(errors)
    _check_permission(
        actor,
        "pairings.add_alliance",
        Proposed(
            places=tuple(m["place"] for m in checked if m["place"]),
            organisations=tuple(m["organisation"] for m in checked if m["organisation"]),
            exchange=exchange,
        ),
        _("You may not record this alliance."),
    )
    alliance = create_record(
        Alliance,
        name=name,
        launched_on=launched_on,
        status=status,
        exchange=exchange,
        activity=activity,
        pledges=validate_text(
            pledges, field="pledges", max_length=20000, required=False, multiline=True
        ),
        note=validate_text(note, field="note", max_length=5000, required=False, multiline=True),
    )
    for i, member in enumerate(checked):
        member["joined_on"] = member["joined_on"] or launched_on
        create_record(AllianceMember, alliance=alliance, order=i, **member)
    return alliance


@transaction.atomic
def update_alliance(
    *, alliance: Alliance, fields: dict, expected_version: int | None = None, actor=None
) -> Alliance:
    _check_permission(
        actor, "pairings.change_alliance", alliance, _("You may not change this alliance.")
    )
    fields = _texts(fields, "note", "pledges")
    errors: dict = {}
    if "status" in fields:
        _check_choice(errors, "status", fields["status"], ExchangeStatus.values)
    if "activity" in fields or "exchange" in fields:
        exchange = fields.get("exchange", alliance.exchange)
        activity = fields.get("activity", alliance.activity)
        fields = {**fields, "exchange": _exchange_of_activity(errors, exchange, activity)}
    for field, length in (("name", 200), ("pledges", 20000)):
        if field in fields:
            try:
                fields = {
                    **fields,
                    field: validate_text(
                        fields[field] or "",
                        field=field,
                        max_length=length,
                        required=field == "name",
                        multiline=field == "pledges",
                    ),
                }
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return update_record(
        alliance, fields=fields, allowed=ALLIANCE_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def add_alliance_member(
    *,
    alliance: Alliance,
    place: Place | None = None,
    organisation: Organisation | None = None,
    wording: str = "",
    joined_on: dt.date | None = None,
    founder: bool = False,
    actor=None,
) -> AllianceMember:
    """A member joins ``alliance`` (a place, an organisation or the sources' wording).
    ``actor``: pairings.change_alliance."""
    _check_permission(
        actor, "pairings.change_alliance", alliance, _("You may not change this alliance.")
    )
    member = _party(
        {"place": place, "organisation": organisation, "wording": wording},
        field="members",
        index=alliance.members.count(),
    )
    existing = [
        {"place": m.place, "organisation": m.organisation, "wording": m.wording}
        for m in alliance.members.select_related("place", "organisation")
    ]
    if any(_same_party(member, other) for other in existing):
        raise ValidationError({"members": _("Already a member of this alliance.")})
    order = (alliance.members.aggregate(m=Max("order"))["m"] or 0) + 1
    row = create_record(
        AllianceMember,
        alliance=alliance,
        order=order,
        joined_on=joined_on,
        founder=bool(founder),
        **member,
    )
    bump_version(alliance)
    alliance.save(update_fields=["version", "updated_at"])
    return row
