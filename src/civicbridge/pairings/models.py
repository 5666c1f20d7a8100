"""Appointments of honorary directors, pairings of places, and commitments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core import uploads
from civicbridge.core.models import SoftDeletable, SoftDeleteQuerySet, Timestamped
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges.models import Activity, Exchange, ExchangeStatus
from civicbridge.forums.models import Outcome


class PairingKind(models.TextChoices):
    HONORARY = "honorary", _("Honorary (from appointments)")
    FRIENDLY = "friendly", _("Friendly (友好社区, 结对)")
    AGREEMENT = "agreement", _("By agreement (签约)")


def party_q(prefix: str = "") -> Q:
    """A party names a place, an organisation or (while unresolved) the sources' wording."""
    return (
        Q(**{f"{prefix}place__isnull": False})
        | Q(**{f"{prefix}organisation__isnull": False})
        | ~Q(**{f"{prefix}wording": ""})
    )


class Agreement(Timestamped):
    """A signed agreement (合作协议, 交流合作协议, 结对协议) between two or more parties."""

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("Cooperation agreement (合作协议)")
        EXCHANGE = "exchange", _("Exchange and cooperation agreement (交流合作协议)")
        PAIRING = "pairing", _("Pairing agreement (结对协议)")
        MEMORANDUM = "memorandum", _("Memorandum")

    subject = models.CharField(_("subject"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.COOPERATION
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.HELD
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("signed at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    # The signed text, stored under a generated name (core.uploads) and served by our view.
    document = models.FileField(
        _("document"), upload_to="agreements/", blank=True, editable=False, max_length=255
    )
    document_type = models.CharField(max_length=100, blank=True, editable=False)
    document_name = models.CharField(max_length=255, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("pairings:agreement", args=[self.pk])


class AgreementParty(Timestamped):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    wording = models.CharField(_("as the sources name it"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("party to an agreement")
        verbose_name_plural = _("parties to an agreement")
        ordering = ["agreement", "order", "id"]
        constraints = [models.CheckConstraint(condition=party_q(), name="agreementparty_named")]

    def __str__(self) -> str:
        return str(self.place or self.organisation or self.wording)


class AgreementSignatory(Timestamped):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("for party"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signatories",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements_signed",
    )
    wording = models.CharField(_("as the sources name them"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["agreement", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(wording=""), name="signatory_named"
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.wording)


class Alliance(Timestamped):
    """An alliance or network of places and organisations (a 京台 community alliance)."""

    name = models.CharField(_("name"), max_length=200)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.HELD
    )
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("launched at exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alliances",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("launched at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alliances",
    )
    pledges = models.TextField(_("pledges"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["-launched_on", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pairings:alliance", args=[self.pk])


class AllianceMember(Timestamped):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="members")
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
    )
    wording = models.CharField(_("as the sources name it"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    founder = models.BooleanField(_("founding member"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        ordering = ["alliance", "order", "id"]
        constraints = [models.CheckConstraint(condition=party_q(), name="alliancemember_named")]

    def __str__(self) -> str:
        return str(self.place or self.organisation or self.wording)


class PairingBatch(Timestamped):
    """Pairings stated before their parties are known: "six 居委会 of 虹口/黄浦/嘉定/闵行 ↔
    six li of 士林/信义/中山/大同". The districts stand in for the parties; pairings are added
    to the batch as they become known, and the rest are shown as still to be named."""

    description = models.CharField(_("as the sources state it"), max_length=300)
    count = models.PositiveSmallIntegerField(_("number of pairings"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=PairingKind.choices, default=PairingKind.FRIENDLY
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.HELD
    )
    districts_a = models.ManyToManyField(
        Place, verbose_name=_("districts on one side"), related_name="pairing_batches_a"
    )
    districts_b = models.ManyToManyField(
        Place, verbose_name=_("districts on the other side"), related_name="pairing_batches_b"
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("stated at exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairing_batches",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairing_batches",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("batch of pairings")
        verbose_name_plural = _("batches of pairings")
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("pairings:batch", args=[self.pk])


class Pairing(Timestamped):
    """A lasting link between two parties: places of any level (a community and a li, a
    street and a li) or organisations, of a kind (honorary, friendly, by agreement)."""

    class Origin(models.TextChoices):
        APPOINTMENT = "appointment", _("Born of an appointment")
        DIRECT = "direct", _("Recorded directly")

    kind = models.CharField(
        _("kind"), max_length=16, choices=PairingKind.choices, default=PairingKind.FRIENDLY
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.HELD
    )
    place_a = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings_a",
    )
    place_b = models.ForeignKey(
        Place,
        verbose_name=_("paired place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings_b",
    )
    organisation_a = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings_a",
    )
    organisation_b = models.ForeignKey(
        Organisation,
        verbose_name=_("paired organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings_b",
    )
    batch = models.ForeignKey(
        PairingBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings",
    )
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.DIRECT
    )
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("begun at exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place_a=models.F("place_b")), name="pairing_two_places"
            ),
            models.CheckConstraint(
                condition=Q(place_a__isnull=False) | Q(organisation_a__isnull=False),
                name="pairing_has_party_a",
            ),
            models.CheckConstraint(
                condition=Q(place_b__isnull=False) | Q(organisation_b__isnull=False),
                name="pairing_has_party_b",
            ),
            models.UniqueConstraint(
                fields=["place_a", "place_b"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pairing_dates_in_order",
            ),
        ]

    @property
    def party_a(self):
        return self.place_a or self.organisation_a

    @property
    def party_b(self):
        return self.place_b or self.organisation_b

    def __str__(self) -> str:
        return f"{self.party_a} ↔ {self.party_b}"

    def get_absolute_url(self) -> str:
        return reverse("pairings:detail", args=[self.pk])


class Appointment(Timestamped, SoftDeletable):
    """A person appointed (honorary director, usually) of a community by that community."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appointments"
    )
    community = models.ForeignKey(
        Place,
        verbose_name=_("appointing community"),
        on_delete=models.PROTECT,
        related_name="appointments_made",
    )
    # Where the appointee came from (their li) at the time of appointment.
    person_place = models.ForeignKey(
        Place,
        verbose_name=_("appointee's li or community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments_received",
    )
    title = models.CharField(_("title"), max_length=100, default="荣誉主任")
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.HELD
    )
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    appointed_on = models.DateField(_("appointed on"))
    # Empty when the appointment was reported without a certificate (聘书).
    certificate_year = models.PositiveSmallIntegerField(
        _("certificate year"), null=True, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    note = models.TextField(_("note"), blank=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["appointed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "certificate_year", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="appointment_certificate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.community} {self.title}"


class CertificateNumbering(Timestamped):
    """How a community numbers its certificates (聘书): a formal pattern such as
    ``〔{year}〕田阜字第{seq}号`` (``{seq}`` zero-padded to ``digits``), read by
    ``pairings.services.next_certificate_number``; numbers stay unique per community and
    year (``appointment_certificate_unique``)."""

    YEAR = "{year}"
    SEQ = "{seq}"

    community = models.OneToOneField(
        Place,
        verbose_name=_("issuing community"),
        on_delete=models.CASCADE,
        related_name="certificate_numbering",
    )
    pattern = models.CharField(
        _("number pattern"),
        max_length=60,
        help_text=_("{year} is the year of the appointment, {seq} its number in that year."),
    )
    digits = models.PositiveSmallIntegerField(_("digits of the number"), default=3)

    class Meta:
        verbose_name = _("certificate numbering")
        verbose_name_plural = _("certificate numberings")

    def __str__(self) -> str:
        return f"{self.community} {self.pattern}"

    def format(self, *, year: int, seq: int) -> str:
        return self.pattern.replace(self.YEAR, str(year)).replace(
            self.SEQ, f"{seq:0{self.digits}d}"
        )

    def sequence_of(self, number: str, *, year: int) -> int | None:
        """The ``{seq}`` of a number written in this pattern for ``year``, else None."""
        before, _seq, after = self.pattern.replace(self.YEAR, str(year)).partition(self.SEQ)
        if not (number.startswith(before) and number.endswith(after)):
            return None
        middle = number[len(before) : len(number) - len(after)]
        return int(middle) if middle.isdecimal() else None


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# The one definition of an "open" commitment (not yet done or dropped); an open one is
# "overdue" on a day after its due date.
OPEN_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS)


def overdue_q(day) -> Q:
    """The condition of ``CommitmentQuerySet.overdue_on`` (for counting in aggregates)."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=day)


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        """Commitments not yet done or dropped (``OPEN_STATUSES``)."""
        return self.filter(status__in=OPEN_STATUSES)

    def overdue_on(self, day):
        """Open commitments whose due date lies before ``day``."""
        return self.filter(overdue_q(day))


class Commitment(Timestamped):
    """An outcome or follow-up somebody owns: 建立常态化的互访机制和沟通渠道."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("forum outcome"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("owner (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, day) -> bool:
        """Open and due before ``day`` (the same rule as ``Commitment.objects.overdue_on``)."""
        return bool(self.status in OPEN_STATUSES and self.due_on and self.due_on < day)


class CommitmentEvent(models.Model):
    """One step of a commitment's status history."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("commitment status change")
        verbose_name_plural = _("commitment status changes")
        ordering = ["commitment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.status}"


# --- the channel: messages between paired places (and within an exchange) -----------------


class ThreadQuerySet(SoftDeleteQuerySet):
    def of(self, thread):
        """Rows of one thread: a Pairing or an Exchange."""
        if isinstance(thread, Pairing):
            return self.filter(pairing=thread)
        return self.filter(exchange=thread)


def _one_thread_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(pairing__isnull=False) & Q(exchange__isnull=True))
        | (Q(pairing__isnull=True) & Q(exchange__isnull=False)),
        name=name,
    )


class Message(Timestamped, SoftDeletable):
    """One message in a pairing's or an exchange's thread, stored as entered."""

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("exchange"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="civicbridge_messages",
    )
    # The author's person (accounts.PersonLink) when they wrote: the message's signature.
    author_person = models.ForeignKey(
        Person,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The place the author wrote for (their side of the pairing), when known.
    author_place = models.ForeignKey(
        Place,
        verbose_name=_("writing for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        constraints = [_one_thread_constraint("message_one_thread")]
        indexes = [
            models.Index(fields=["pairing", "id"]),
            models.Index(fields=["exchange", "id"]),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def thread(self):
        return self.pairing or self.exchange


def attachment_upload_to(instance, filename: str) -> str:
    """A generated name (core.uploads): only the extension of ``filename``, one of ours, is
    kept. The client's name is ``original_name``; it never reaches the disk."""
    return uploads.generated_name(Attachment.UPLOAD_DIR, filename.rsplit(".", 1)[-1])


class Attachment(Timestamped):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    # Stored under a generated name with the extension of the type we detected
    # (core.uploads.detect_upload); sent only by the attachment view, after the thread's
    # read permission, with ``content_type`` from this record.
    UPLOAD_DIR = "attachments"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReadMark(models.Model):
    """How far a user has read a thread: every message up to ``last_read_id``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="civicbridge_readmarks"
    )
    pairing = models.ForeignKey(
        Pairing, null=True, blank=True, on_delete=models.CASCADE, related_name="read_marks"
    )
    exchange = models.ForeignKey(
        Exchange, null=True, blank=True, on_delete=models.CASCADE, related_name="read_marks"
    )
    last_read_id = models.PositiveBigIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [
            _one_thread_constraint("readmark_one_thread"),
            models.UniqueConstraint(
                fields=["user", "pairing"],
                condition=Q(pairing__isnull=False),
                name="readmark_once_per_pairing",
            ),
            models.UniqueConstraint(
                fields=["user", "exchange"],
                condition=Q(exchange__isnull=False),
                name="readmark_once_per_exchange",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_read_id}"


class ChannelMembership(Timestamped):
    """A user taking part in a thread (and receiving its notices when opted in). Who may
    read a thread at all is decided elsewhere (permissions); this records who follows it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="civicbridge_channels"
    )
    pairing = models.ForeignKey(
        Pairing, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    exchange = models.ForeignKey(
        Exchange,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channel_memberships",
    )
    # The side (one of the pairing's places) the user speaks for, when known.
    place = models.ForeignKey(
        Place,
        verbose_name=_("side"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel membership")
        verbose_name_plural = _("channel memberships")
        constraints = [
            _one_thread_constraint("channelmembership_one_thread"),
            models.UniqueConstraint(
                fields=["user", "pairing"],
                condition=Q(pairing__isnull=False),
                name="channelmembership_once_per_pairing",
            ),
            models.UniqueConstraint(
                fields=["user", "exchange"],
                condition=Q(exchange__isnull=False),
                name="channelmembership_once_per_exchange",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.pairing_id or self.exchange_id}"


class NotificationPreference(models.Model):
    """What a user wants to hear about by e-mail. No row: no e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="civicbridge_notifications",
    )
    email_messages = models.BooleanField(
        _("e-mail me new messages in the channels I follow"), default=False
    )
    email_commitments = models.BooleanField(
        _("e-mail me changes to commitments of my channels"), default=False
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: messages={self.email_messages}"
