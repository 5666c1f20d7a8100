"""Exchanges: the delegation, its groups, the itinerary, gifts and photos."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core import uploads
from civicbridge.core.models import SoftDeletable, SoftDeleteQuerySet, Timestamped
from civicbridge.directory.models import Organisation, Person, Place


class ExchangeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Exchange(Timestamped, SoftDeletable):
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.PLANNED
    )
    visiting_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("visiting organisation"),
        on_delete=models.PROTECT,
        related_name="visits_made",
    )
    visiting_place = models.ForeignKey(
        Place,
        verbose_name=_("visiting side"),
        on_delete=models.PROTECT,
        related_name="exchanges_visiting",
    )
    host_place = models.ForeignKey(
        Place,
        verbose_name=_("host side"),
        on_delete=models.PROTECT,
        related_name="exchanges_hosted",
    )
    # What the sources say of the size; named members may be fewer (50 people, 12 named).
    declared_headcount = models.PositiveIntegerField(_("declared headcount"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="exchange_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(visiting_place=models.F("host_place")),
                name="exchange_sides_differ",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchanges:detail", args=[self.pk])


class ExchangeOrganisation(Timestamped):
    """An organisation's part in an exchange other than visiting: host, escort, co-organiser."""

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        ESCORT = "escort", _("Escort (陪同单位)")
        CO_ORGANISER = "co_organiser", _("Co-organiser")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("organisation in an exchange")
        verbose_name_plural = _("organisations in an exchange")
        ordering = ["exchange", "role", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "organisation", "role"], name="exchangeorganisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Group(Timestamped):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    host_place = models.ForeignKey(
        Place,
        verbose_name=_("host district"),
        on_delete=models.PROTECT,
        related_name="groups_hosted",
    )
    host_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups_hosted",
    )
    leader = models.ForeignKey(
        "Member",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups_led",
    )
    declared_headcount = models.PositiveIntegerField(_("declared headcount"), null=True, blank=True)
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["exchange", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "name"], name="group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Leader (团长)")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader (副团长)")
    MEMBER = "member", _("Member (团员)")
    STAFF = "staff", _("Escort or staff (陪同/工作人员)")


class Side(models.TextChoices):
    VISITING = "visiting", _("Visiting side")
    HOST = "host", _("Host side")


class Member(Timestamped):
    """A named person in an exchange's delegation (or escorting it)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices, default=Side.VISITING)
    title = models.CharField(_("title in the delegation"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_place = models.ForeignKey(
        Place,
        verbose_name=_("home li or community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["exchange", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "person"], name="member_once_per_exchange")
        ]

    def __str__(self) -> str:
        return str(self.person)


class ActivityKind(models.TextChoices):
    SITE_VISIT = "site_visit", _("Site visit")
    MEETING = "meeting", _("Meeting or discussion")
    FORUM = "forum", _("Forum")
    CEREMONY = "ceremony", _("Ceremony")
    PERFORMANCE = "performance", _("Performance")
    CULTURAL_VISIT = "cultural_visit", _("Cultural visit")
    MEAL = "meal", _("Meal")
    TRAVEL = "travel", _("Travel")


class TimePrecision(models.TextChoices):
    EXACT = "exact", _("Exact time")
    PART_OF_DAY = "part_of_day", _("Morning or afternoon only")
    DAY = "day", _("Date only")


class Activity(Timestamped):
    """An itinerary item."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The sources often say only 上午/下午: the times are then nominal and shown as such.
    time_precision = models.CharField(
        _("time precision"),
        max_length=16,
        choices=TimePrecision.choices,
        default=TimePrecision.EXACT,
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    venue = models.ForeignKey(
        Organisation,
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities_hosted",
    )
    groups = models.ManyToManyField(
        Group, verbose_name=_("groups"), blank=True, related_name="activities"
    )
    hosts = models.ManyToManyField(
        Person, verbose_name=_("hosts"), blank=True, related_name="activities_hosted"
    )
    # People taking part besides the groups' members (officials who accompany, guests).
    participants = models.ManyToManyField(
        Person, verbose_name=_("other participants"), blank=True, related_name="activities_joined"
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["exchange", "starts_at", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="activity_times_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Gift(Timestamped):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="gifts")
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gifts",
    )
    giver_person = models.ForeignKey(
        Person,
        verbose_name=_("from (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts_given",
    )
    giver_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("from (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts_given",
    )
    recipient_person = models.ForeignKey(
        Person,
        verbose_name=_("to (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts_received",
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts_received",
    )
    # Empty when the source does not say what was given.
    description = models.CharField(_("what"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["exchange", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(giver_person__isnull=False) | Q(giver_organisation__isnull=False),
                name="gift_has_giver",
            ),
            models.CheckConstraint(
                condition=Q(recipient_person__isnull=False)
                | Q(recipient_organisation__isnull=False),
                name="gift_has_recipient",
            ),
        ]

    @property
    def giver(self):
        return self.giver_person or self.giver_organisation

    @property
    def recipient(self):
        return self.recipient_person or self.recipient_organisation

    def __str__(self) -> str:
        return f"{self.giver} → {self.recipient}: {self.description or '—'}"


def photo_upload_to(instance, filename: str) -> str:
    """A generated name (core.uploads): only the extension of ``filename``, one of ours, is
    kept. The client's name never reaches the disk."""
    return uploads.generated_name(Photo.UPLOAD_DIR, filename.rsplit(".", 1)[-1])


class Photo(Timestamped):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="photos")
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )
    # The picture as we re-encoded it from the upload (core.uploads: no metadata, our own
    # PNG/JPEG/WebP), stored under a generated name and sent only by the photo view;
    # empty when only the caption is known (the report's photos were not in the source).
    image = models.ImageField(_("image"), upload_to=photo_upload_to, blank=True, editable=False)
    thumbnail = models.ImageField(upload_to=photo_upload_to, blank=True, editable=False)
    # The type of ``image`` (the thumbnail is always a JPEG) and the uploader's file name,
    # for display and as the download name only.
    content_type = models.CharField(_("type"), max_length=100, blank=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=500)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    UPLOAD_DIR = "photos"
    THUMBNAIL_TYPE = "image/jpeg"

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["exchange", "order", "id"]

    def __str__(self) -> str:
        return self.caption
