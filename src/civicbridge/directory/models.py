"""Places, organisations, people and the positions people hold."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Named, SoftDeletable, SoftDeleteQuerySet, Timestamped


class Region(models.TextChoices):
    BEIJING = "beijing", _("Beijing")
    TAIPEI = "taipei", _("Taipei")


REGION_TIMEZONES = {Region.BEIJING: "Asia/Shanghai", Region.TAIPEI: "Asia/Taipei"}


class PlaceKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Sub-district (street)")
    TOWN = "town", _("Town")
    TOWNSHIP = "township", _("Township")
    AREA = "area", _("Area office")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    COOPERATIVE_LIVING_AREA = "cooperative_living_area", _("Cooperative living area")
    LI = "li", _("Li")


STREET_LEVEL_KINDS = (
    PlaceKind.SUBDISTRICT,
    PlaceKind.TOWN,
    PlaceKind.TOWNSHIP,
    PlaceKind.AREA,
    PlaceKind.SPECIAL_ZONE,
)
COMMUNITY_LEVEL_KINDS = (
    PlaceKind.COMMUNITY,
    PlaceKind.VILLAGE,
    PlaceKind.COOPERATIVE_LIVING_AREA,
)


class PlaceQuerySet(models.QuerySet):
    def within(self, place):
        """``place`` and every place below it."""
        return self.filter(path__startswith=place.path)

    def communities(self):
        return self.filter(kind__in=COMMUNITY_LEVEL_KINDS)


class Place(Named, Timestamped):
    """One node of the tree city → district → street/town → community/village, or city → district → li."""

    region = models.CharField(_("region"), max_length=16, choices=Region.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=PlaceKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("official code"), max_length=20, null=True, blank=True, unique=True)
    # A shorter everyday name (阜石路第四社区居委会 → 阜四社区); empty when none.
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    short_name_hans = models.CharField(max_length=100, blank=True)
    short_name_hant = models.CharField(max_length=100, blank=True)
    # Materialised path of primary keys, "/1/17/230/", for "this place and below" queries.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    search_text = models.TextField(blank=True, editable=False)
    is_pilot = models.BooleanField(_("京台 pilot"), default=False)
    pilot_since = models.PositiveSmallIntegerField(_("pilot since (year)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="place_unique_name_per_parent"),
            models.CheckConstraint(
                condition=Q(pilot_since__isnull=True) | Q(is_pilot=True),
                name="place_pilot_year_needs_flag",
            ),
        ]
        indexes = [models.Index(fields=["kind", "region"])]

    @property
    def is_community_level(self) -> bool:
        return self.kind in COMMUNITY_LEVEL_KINDS

    @property
    def timezone_name(self) -> str:
        return REGION_TIMEZONES[Region(self.region)]

    def display_name_in(self, which: str) -> str:
        if self.short_name:
            return (
                self.short_name_hant if which == "hant" else self.short_name_hans
            ) or self.short_name
        return self.name_in(which)


class PlaceAlias(Timestamped):
    """Another spelling of a place: a common short name, a report's spelling, a former name."""

    class Kind(models.TextChoices):
        COMMON = "common", _("Common name")
        SOURCE_SPELLING = "source_spelling", _("Spelling in a source")
        FORMER = "former", _("Former name")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMON)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="placealias_unique")]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    GOVERNMENT_OFFICE = "government_office", _("Government office")
    PARTY_COMMITTEE = "party_committee", _("Party committee or department")
    ASSOCIATION = "association", _("Association")
    ASSOCIATION_BRANCH = "association_branch", _("Association branch")
    RESEARCH_CENTRE = "research_centre", _("Research centre")
    COMMUNITY_COMMITTEE = "community_committee", _("Community committee")
    SCHOOL = "school", _("School")
    VENUE = "venue", _("Venue")
    ENTERPRISE = "enterprise", _("Enterprise")
    CULTURAL_GROUP = "cultural_group", _("Cultural group")
    OTHER = "other", _("Other")


class Organisation(Named, Timestamped, SoftDeletable):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "name"], name="organisation_unique_name_per_place"
            )
        ]


class Gender(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Person(Named, Timestamped, SoftDeletable):
    # Fields that are personal data: masked for readers without the right, left out of
    # their exports and documents.
    PERSONAL_FIELDS = ("phone", "email", "permit_number", "date_of_birth")

    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    home_place = models.ForeignKey(
        Place,
        verbose_name=_("home place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    permit_number = models.CharField(_("travel permit or ID number"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]


class PositionQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Position(Timestamped):
    """A title a person holds in an organisation or a place, from a date to a date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("title"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(place__isnull=False),
                name="position_has_organisation_or_place",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.place
        return f"{self.person} · {where} {self.title}"
