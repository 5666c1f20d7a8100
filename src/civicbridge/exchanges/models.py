"""Exchanges: the delegation, its groups, the itinerary, gifts and photos."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core import uploads
from civicbridge.core.models import SoftDeletable, SoftDeleteQuerySet, Timestamped
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges import gifts


class ExchangeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class DatePrecision(models.TextChoices):
    """How much of an exchange's (or group's) dates the sources give."""

    DAY = "day", _("Exact days")
    MONTH = "month", _("Month only (7月初)")
    BEFORE = "before", _("Approximate: on or before the date (日前)")


class HeadcountQualifier(models.TextChoices):
    EXACT = "exact", _("Exactly")
    AT_LEAST = "at_least", _("At least")
    ABOUT = "about", _("About (130多人)")


class Exchange(Timestamped, SoftDeletable):
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    # Empty when the sources do not say when the visit ended.
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # How the dates were read, e.g. "year from the dateline (2016年10月8日)".
    date_note = models.CharField(_("how the dates were read"), max_length=300, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.PLANNED
    )
    # A report may name only "li chiefs of 三民区": the organisation is then empty and the
    # delegation is described by ``delegation_name``.
    visiting_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("visiting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_made",
    )
    delegation_name = models.CharField(
        _("delegation as the sources name it"), max_length=200, blank=True
    )
    # The main visiting place; further ones (four Kaohsiung districts) are ExchangePlace rows.
    visiting_place = models.ForeignKey(
        Place,
        verbose_name=_("visiting side"),
        null=True,
        blank=True,
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
    headcount_qualifier = models.CharField(
        _("headcount is"),
        max_length=8,
        choices=HeadcountQualifier.choices,
        default=HeadcountQualifier.EXACT,
    )
    labels = models.ManyToManyField(
        "Label", verbose_name=_("labels"), blank=True, related_name="exchanges"
    )
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
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="exchange_dates_in_order",
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


class ExchangePlace(Timestamped):
    """A further visiting or host place of an exchange (the main ones are on the exchange):
    four Kaohsiung districts visiting, three Beijing districts hosting. ``wording`` keeps the
    source's name; ``place`` is empty while it is not resolved against the directory."""

    class Role(models.TextChoices):
        VISITING = "visiting", _("Visiting place")
        HOST = "host", _("Host place")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="places")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_places",
    )
    wording = models.CharField(_("as the sources name it"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("place in an exchange")
        verbose_name_plural = _("places in an exchange")
        ordering = ["exchange", "role", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False) | ~Q(wording=""), name="exchangeplace_named"
            ),
            models.UniqueConstraint(
                fields=["exchange", "role", "place"], name="exchangeplace_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.place or self.wording)


class ExchangeOrganisation(Timestamped):
    """An organisation's part in an exchange: host, escort, co-organiser, inviter, or one of
    several visiting parties (an association and a performing troupe)."""

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        ESCORT = "escort", _("Escort (陪同单位)")
        CO_ORGANISER = "co_organiser", _("Co-organiser")
        INVITER = "inviter", _("Inviter (邀请单位)")
        VISITING = "visiting", _("Visiting party")
        PERFORMING = "performing", _("Performing troupe")

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
    """A group or sub-delegation (分团, 东线/西线), with its own days when they differ from
    the exchange's (one arrives on the 23rd, the other on the 25th)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    host_place = models.ForeignKey(
        Place,
        verbose_name=_("host district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups_hosted",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
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
    headcount_qualifier = models.CharField(
        _("headcount is"),
        max_length=8,
        choices=HeadcountQualifier.choices,
        default=HeadcountQualifier.EXACT,
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["exchange", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "name"], name="group_unique_name"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="group_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Composition(Timestamped):
    """Who a delegation (or a group) is made of, as the sources count it: 里长 12, 邻长,
    发展协会理事长 … ``count`` is empty for "some"."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="composition")
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="composition",
    )
    label = models.CharField(_("who"), max_length=100)
    count = models.PositiveIntegerField(_("how many"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("composition row")
        verbose_name_plural = _("composition")
        ordering = ["exchange", "group", "order", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.count if self.count is not None else '…'}"


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
    MEETING = "meeting", _("Meeting or seminar")
    FORUM = "forum", _("Forum")
    CEREMONY = "ceremony", _("Ceremony")
    SIGNING = "signing", _("Signing")
    PERFORMANCE = "performance", _("Performance")
    CULTURAL_VISIT = "cultural_visit", _("Cultural visit")
    SPORT = "sport", _("Sport or friendly match")
    VOLUNTEERING = "volunteering", _("Volunteering")
    WORKSHOP = "workshop", _("Hands-on workshop")
    CONTEST = "contest", _("Contest")
    WALK = "walk", _("Walk or tour")
    MEAL = "meal", _("Meal or banquet")
    TRAVEL = "travel", _("Travel")
    ARRIVAL = "arrival", _("Arrival or departure")


class TimePrecision(models.TextChoices):
    EXACT = "exact", _("Exact time")
    PART_OF_DAY = "part_of_day", _("Morning or afternoon only")
    DAY = "day", _("Date only")


class Activity(Timestamped):
    """An itinerary item."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.PLANNED
    )
    # Both empty for an activity not yet scheduled: it is kept apart from the timetable and
    # the calendars.
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
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
                condition=Q(ends_at__gte=models.F("starts_at"))
                | Q(starts_at__isnull=True, ends_at__isnull=True),
                name="activity_times_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class GiftDirection(models.TextChoices):
    """Relative to the host side (as ``Member.side``): what our side gave, or received."""

    GIVEN = "given", _("Given by the host side")
    RECEIVED = "received", _("Received by the host side")


class ValueBand(models.TextChoices):
    UNKNOWN = "unknown", _("None or not known")
    UNDER_200 = "under_200", _("Under ¥200")
    FROM_200 = "200_500", _("¥200–500")
    FROM_500 = "500_1000", _("¥500–1,000")
    OVER_1000 = "over_1000", _("Over ¥1,000")


class Registration(models.TextChoices):
    """A gift's registration with the discipline office (纪检), due within a month."""

    NOT_REQUIRED = "not_required", _("Not required")
    TO_REGISTER = "to_register", _("To register")
    REGISTERED = "registered", _("Registered")


def gift_photo_upload_to(instance, filename: str) -> str:
    """A generated name (core.uploads), as for photos: only our extension is kept."""
    return uploads.generated_name(Gift.UPLOAD_DIR, filename.rsplit(".", 1)[-1])


class GiftQuerySet(models.QuerySet):
    def to_register(self):
        return self.filter(registration=Registration.TO_REGISTER)

    def overdue_on(self, day, timezones):
        """Gifts still to register whose deadline (``Gift.deadline``) is before ``day``.
        ``timezones``: the time zones of the exchanges concerned (an activity's date is
        its local date), e.g. ``gifts.exchange_timezones()``. The same answer as
        ``Gift.is_overdue_on(day)`` for each gift, in one filter."""
        return self.to_register().filter(gifts.dated_before(gifts.overdue_cutoff(day), timezones))


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
    # The giver and recipient as the sources write them ("台湾朋友", "北京市台办"), kept beside
    # (or, while unresolved, instead of) the person or organisation.
    giver_wording = models.CharField(_("from (as written)"), max_length=200, blank=True)
    recipient_wording = models.CharField(_("to (as written)"), max_length=200, blank=True)
    # Empty when the source does not say what was given.
    description = models.CharField(_("what"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Empty when the sources do not say which side gave it (a mutual exchange, 互赠).
    direction = models.CharField(
        _("direction"), max_length=16, choices=GiftDirection.choices, blank=True
    )
    value_band = models.CharField(
        _("estimated value"), max_length=16, choices=ValueBand.choices, default=ValueBand.UNKNOWN
    )
    # The picture re-encoded from the upload (core.uploads), sent only by the gift's photo
    # view; the thumbnail is always a JPEG.
    photo = models.ImageField(
        _("photo"), upload_to=gift_photo_upload_to, blank=True, editable=False
    )
    thumbnail = models.ImageField(upload_to=gift_photo_upload_to, blank=True, editable=False)
    photo_type = models.CharField(_("photo type"), max_length=100, blank=True, editable=False)
    photo_name = models.CharField(_("photo file name"), max_length=255, blank=True, editable=False)
    registration = models.CharField(
        _("registration"),
        max_length=16,
        choices=Registration.choices,
        default=Registration.NOT_REQUIRED,
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    register_number = models.CharField(_("register number"), max_length=100, blank=True)
    handled_by = models.CharField(_("handled by"), max_length=100, blank=True)

    objects = GiftQuerySet.as_manager()

    UPLOAD_DIR = "gifts"
    THUMBNAIL_TYPE = "image/jpeg"

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["exchange", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(giver_person__isnull=False)
                | Q(giver_organisation__isnull=False)
                | ~Q(giver_wording="")
                | ~Q(recipient_wording="")
                | ~Q(description=""),
                name="gift_has_giver",
            ),
            models.CheckConstraint(
                condition=Q(recipient_person__isnull=False)
                | Q(recipient_organisation__isnull=False)
                | ~Q(giver_wording="")
                | ~Q(recipient_wording="")
                | ~Q(description=""),
                name="gift_has_recipient",
            ),
        ]

    @property
    def giver(self):
        return self.giver_person or self.giver_organisation or self.giver_wording

    @property
    def recipient(self):
        return self.recipient_person or self.recipient_organisation or self.recipient_wording

    def __str__(self) -> str:
        return f"{self.giver} → {self.recipient}: {self.description or '—'}"

    @property
    def given_on(self):
        """The gift's date: its activity's (local) date, else the exchange's end or start."""
        return gifts.date_of(self)

    @property
    def deadline(self):
        """The last day to register it: its date plus one month (``gifts.add_month``)."""
        return gifts.add_month(self.given_on)

    def is_overdue_on(self, day) -> bool:
        return self.registration == Registration.TO_REGISTER and day > self.deadline


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


class StatementKind(models.TextChoices):
    QUOTE = "quote", _("Quote")
    IMPRESSION = "impression", _("Impression")
    INTENTION = "intention", _("Intention or pledge")


class Statement(Timestamped):
    """What somebody said, as the sources give it verbatim: a quote, an impression, an
    intention. The speaker is a person, or a side or organisation ("台湾朋友")."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="statements")
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=StatementKind.choices, default=StatementKind.QUOTE
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("speaker (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("speaker (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices, blank=True)
    speaker_wording = models.CharField(_("speaker as written"), max_length=200, blank=True)
    text = models.TextField(_("what was said"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["exchange", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Label(Timestamped):
    """A tag on places and exchanges: "北京市首个冬奥社区", "first delegation after …"."""

    name = models.CharField(_("label"), max_length=200, unique=True)
    places = models.ManyToManyField(
        Place, verbose_name=_("places"), blank=True, related_name="labels"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
