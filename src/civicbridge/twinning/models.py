"""Appointments of honorary directors, pairings of places, and commitments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import SoftDeletable, SoftDeleteQuerySet, Timestamped
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges.models import Activity, Exchange
from civicbridge.forums.models import Outcome


class Pairing(Timestamped):
    """A lasting link between two places (a Beijing community and a Taipei li, say)."""

    class Origin(models.TextChoices):
        APPOINTMENT = "appointment", _("Born of an appointment")
        DIRECT = "direct", _("Recorded directly")

    place_a = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="pairings_a"
    )
    place_b = models.ForeignKey(
        Place, verbose_name=_("paired place"), on_delete=models.PROTECT, related_name="pairings_b"
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

    def __str__(self) -> str:
        return f"{self.place_a} ↔ {self.place_b}"


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
    certificate_year = models.PositiveSmallIntegerField(_("certificate year"))
    certificate_number = models.CharField(_("certificate number"), max_length=40)
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
                name="appointment_certificate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.community} {self.title}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


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

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


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
