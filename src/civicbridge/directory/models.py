"""Places, organisations, people and the positions people hold."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Named, SoftDeletable, SoftDeleteQuerySet, Timestamped


class Side(Named):
    """One side of the Strait (mainland, Taiwan): the root of its part of the place tree, with
    the time zone its exchanges keep and the script its documents are written in. Rows, not an
    enum: seeded by a migration (and by the importer and factories, since transactional tests
    flush them). The primary key is the code, so ``place.side_id`` needs no query."""

    code = models.SlugField(_("code"), max_length=16, primary_key=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    script = models.CharField(
        _("script"), max_length=4, choices=[("hans", "简体"), ("hant", "繁體")]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("side")
        verbose_name_plural = _("sides")
        ordering = ["position", "code"]


MAINLAND = "mainland"
TAIWAN = "taiwan"
# The MOI code of 臺北市 (its districts and li codes start with it).
TAIPEI_CODE = "63000"
# The two sides as the migration, the importer and the factories create them.
SIDES = {
    MAINLAND: {
        "name": "中国大陆",
        "name_hans": "中国大陆",
        "name_hant": "中國大陸",
        "timezone": "Asia/Shanghai",
        "script": "hans",
        "position": 1,
    },
    TAIWAN: {
        "name": "臺灣",
        "name_hans": "台湾",
        "name_hant": "臺灣",
        "timezone": "Asia/Taipei",
        "script": "hant",
        "position": 2,
    },
}


def ensure_sides() -> None:
    """Create the two sides if they are missing (idempotent; one query when present)."""
    have = set(Side.objects.filter(code__in=SIDES).values_list("code", flat=True))
    for code, fields in SIDES.items():
        if code not in have:
            Side.objects.create(code=code, **fields)


class PlaceKind(models.TextChoices):
    # mainland, top: province-level (省/自治区/直辖市)
    PROVINCE = "province", _("Province")
    # mainland city level; also a Taiwan county-level city (直轄市/市)
    CITY = "city", _("City")
    MUNICIPAL_DISTRICTS = "municipal_districts", _("Municipal districts (placeholder)")
    DIRECTLY_ADMINISTERED_COUNTIES = (
        "directly_administered_counties",
        _("Directly administered county-level units"),
    )
    # mainland county level; a Taiwan county (縣)
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    COUNTY_LEVEL_CITY = "county_level_city", _("County-level city")
    # Taiwan township level (縣轄市); 區/鄉/鎮 are district/township/town
    COUNTY_ADMINISTERED_CITY = "county_administered_city", _("County-administered city")
    # mainland street level; 鄉/鎮 in Taiwan too
    SUBDISTRICT = "subdistrict", _("Sub-district (street)")
    TOWN = "town", _("Town")
    TOWNSHIP = "township", _("Township")
    AREA = "area", _("Area office")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    # community level; a Taiwan 村 is a village
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    COOPERATIVE_LIVING_AREA = "cooperative_living_area", _("Cooperative living area")
    LI = "li", _("Li")
    # county level or community level (管理区, 生产队 …): NBS's "other"
    OTHER = "other", _("Other unit")


# The levels of each side, top down, and the kinds found at each (a kind may appear at
# more than one level: the level is the place's depth, not its kind).
SIDE_LEVELS = {
    MAINLAND: (
        (PlaceKind.PROVINCE,),
        (
            PlaceKind.CITY,
            PlaceKind.MUNICIPAL_DISTRICTS,
            PlaceKind.DIRECTLY_ADMINISTERED_COUNTIES,
        ),
        (PlaceKind.DISTRICT, PlaceKind.COUNTY, PlaceKind.COUNTY_LEVEL_CITY, PlaceKind.OTHER),
        (
            PlaceKind.SUBDISTRICT,
            PlaceKind.TOWN,
            PlaceKind.TOWNSHIP,
            PlaceKind.AREA,
            PlaceKind.SPECIAL_ZONE,
        ),
        (
            PlaceKind.COMMUNITY,
            PlaceKind.VILLAGE,
            PlaceKind.COOPERATIVE_LIVING_AREA,
            PlaceKind.OTHER,
        ),
    ),
    TAIWAN: (
        (PlaceKind.CITY, PlaceKind.COUNTY),
        (
            PlaceKind.DISTRICT,
            PlaceKind.TOWNSHIP,
            PlaceKind.TOWN,
            PlaceKind.COUNTY_ADMINISTERED_CITY,
        ),
        (PlaceKind.LI, PlaceKind.VILLAGE),
    ),
}
# Placeholders that keep their code but are not a level a user sees (北京市 › 海淀区).
HIDDEN_KINDS = (PlaceKind.MUNICIPAL_DISTRICTS, PlaceKind.DIRECTLY_ADMINISTERED_COUNTIES)

# The level (an index into SIDE_LEVELS) that "the city", "the district", "the street" of a
# place names, per side. Taiwan has no street level.
TOP_LEVELS = {
    "city": {MAINLAND: 1, TAIWAN: 0},
    "district": {MAINLAND: 2, TAIWAN: 1},
    "street": {MAINLAND: 3},
}


def level_index(chain: list, top: str) -> int | None:
    """Where in ``chain`` (places top down) the level ``top`` starts: the first place of a
    kind of that level of its side. A municipality's hidden city level (北京市市辖区) gives
    way to the province above it (北京市). None when the chain has no such level."""
    for i, p in enumerate(chain):
        level = TOP_LEVELS[top].get(p.side_id)
        if level is None or p.kind not in SIDE_LEVELS[p.side_id][level]:
            continue
        if p.kind in HIDDEN_KINDS:
            return i - 1 if i > 0 else None
        return i
    return None


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
# The bottom of either side's tree: a community/village or a li.
LEAF_KINDS = (*COMMUNITY_LEVEL_KINDS, PlaceKind.LI)


class PlaceStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    # No longer a unit (merged away); kept for the records that name it, never offered
    # for new ones.
    FORMER = "former", _("Former")
    # Merged into another place (``merged_into``), which took its aliases and every record
    # that named it; kept so that its code is known (a rerun of the importer leaves it).
    MERGED = "merged", _("Merged")
    # Entered by mistake: kept for the records that name it, never offered for new ones.
    RETIRED = "retired", _("Retired")


# Materialised path: the primary keys from the top down, each zero-padded to this width,
# "/0000001/0000017/0000230/". Fixed width keeps "ORDER BY path" in tree order and
# "path LIKE '/0000001/%'" exact; a wider key still works (only the ordering suffers).
PATH_WIDTH = 7


def within(places, *, field: str = "") -> Q:
    """The one home for "this place and below": a ``Q`` for the records whose place is one
    of ``places`` (a Place, or an iterable of them) or lies below one.

    ``field`` names the Place foreign key of the records filtered (``"host_place"``,
    ``"exchange__host_place"``); leave it empty to filter places themselves. A place at the
    bottom of its tree (a community, village or li) is matched by its key, the others by
    their path (``path LIKE '/0000001/0000006/%'``, served by the path index)."""
    if isinstance(places, Place):
        places = [places]
    prefix = f"{field}__" if field else ""
    places = list(places)
    leaves = [p.pk for p in places if p.kind in LEAF_KINDS]
    # Q(pk__in=[]) matches nothing: the neutral start of an OR.
    condition = Q(**{f"{field}__in" if field else "pk__in": leaves}) if leaves else Q(pk__in=[])
    for place in places:
        if place.kind not in LEAF_KINDS:
            condition |= Q(**{f"{prefix}path__startswith": place.path})
    return condition


def path_within(path: str | None, paths) -> bool:
    """A place with ``path`` is one of the places with ``paths`` or lies below one (the same
    rule as ``within``, for places already read)."""
    return bool(path) and any(p and path.startswith(p) for p in paths)


class PlaceQuerySet(models.QuerySet):
    def within(self, places):
        """``places`` (a Place or several) and every place below them."""
        return self.filter(within(places))

    def rewrite_paths(self, old_prefix: str, new_prefix: str) -> int:
        """Move a subtree in the path column: every place whose path starts with
        ``old_prefix`` (a place that moved, and everything below it) gets ``new_prefix``
        instead (one UPDATE). Paths are only ever written here and by ``Place.path_below``."""
        if old_prefix == new_prefix:
            return 0
        return self.filter(path__startswith=old_prefix).update(
            path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1))
        )

    def communities(self):
        return self.filter(kind__in=COMMUNITY_LEVEL_KINDS)

    def current(self):
        """Places that may be chosen for a new record (not former ones)."""
        return self.filter(status=PlaceStatus.CURRENT)

    def visible(self):
        """Without the placeholders a user never sees (北京市市辖区)."""
        return self.exclude(kind__in=HIDDEN_KINDS)


class Place(Named, Timestamped):
    """One node of the place tree. Mainland: province → city → county/district → street/town →
    community/village; Taiwan: county/city → township/district → village/li (SIDE_LEVELS)."""

    side = models.ForeignKey(
        Side, verbose_name=_("side"), on_delete=models.PROTECT, related_name="places"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PlaceKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=PlaceStatus.choices, default=PlaceStatus.CURRENT
    )
    # For a merged place: the place it was merged into (directory.services.merge_place).
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_places",
        editable=False,
    )
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
    # Materialised path of primary keys (see PATH_WIDTH), for "this place and below"
    # queries. The same for imported and hand-added places; built by Place.path_below and
    # read by Place.path_ids only.
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
            # Among current places: a former village may share its name with the current
            # one that replaced it (臺南市 龜洞里).
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(status="current"),
                name="place_unique_name_per_parent",
            ),
            models.CheckConstraint(
                condition=Q(pilot_since__isnull=True) | Q(is_pilot=True),
                name="place_pilot_year_needs_flag",
            ),
        ]
        indexes = [models.Index(fields=["kind", "side"], name="directory_p_kind_side_idx")]

    @property
    def is_community_level(self) -> bool:
        return self.kind in COMMUNITY_LEVEL_KINDS

    @property
    def is_hidden(self) -> bool:
        """A placeholder level a user never sees (北京市市辖区)."""
        return self.kind in HIDDEN_KINDS

    @property
    def is_current(self) -> bool:
        return self.status == PlaceStatus.CURRENT

    @property
    def timezone_name(self) -> str:
        """The time zone of the place's side (one query unless ``side`` was selected)."""
        return self.side.timezone

    @property
    def script(self) -> str:
        """The script the place's side writes in ("hans" mainland, "hant" Taiwan)."""
        return SIDES[self.side_id]["script"] if self.side_id in SIDES else self.side.script

    # --- the one home of the path format ---------------------------------------------------

    @staticmethod
    def path_below(parent_path: str | None, pk: int) -> str:
        """The path of the place ``pk`` below a parent with ``parent_path`` (None: a root)."""
        return f"{parent_path or '/'}{pk:0{PATH_WIDTH}d}/"

    @staticmethod
    def path_ids(path: str | None) -> list[int]:
        """The primary keys on a path, top down (the place itself last)."""
        return [int(part) for part in (path or "").strip("/").split("/") if part]

    @property
    def ancestor_ids(self) -> list[int]:
        """The primary keys of the places above this one, top down."""
        return [pk for pk in self.path_ids(self.path) if pk != self.pk]

    @property
    def root_id(self) -> int:
        """The top place of this one's tree (a province or a Taiwan county/city)."""
        ids = self.path_ids(self.path)
        return ids[0] if ids else self.pk

    def ancestors(self, *, include_hidden: bool = True) -> list[Place]:
        """The places above this one, top down (one query, read off the path); with
        ``include_hidden=False`` only those a user sees (placeholders such as 北京市市辖区
        left out: a page's breadcrumb)."""
        return Place.ancestors_of([self], include_hidden=include_hidden)[self.pk]

    @staticmethod
    def ancestors_of(places, *, include_hidden: bool = True) -> dict[int, list[Place]]:
        """The one home of "the places above": for each of ``places``, the places above it,
        top down, read off its path — for all of them in one query (none when no place has
        any): ``{place id: [ancestors]}``."""
        places = [p for p in places if p is not None]
        ids = {pk for p in places for pk in p.ancestor_ids}
        by_id = Place.objects.select_related("side").in_bulk(ids) if ids else {}
        return {
            p.pk: [
                by_id[pk]
                for pk in p.ancestor_ids
                if pk in by_id and (include_hidden or not by_id[pk].is_hidden)
            ]
            for p in places
        }

    def get_absolute_url(self) -> str:
        return reverse("directory:place", args=[self.pk])

    def is_within(self, other: Place) -> bool:
        """This place is ``other`` or lies below it."""
        return path_within(self.path, [other.path])

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

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.pk])


class Gender(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class PermitKind(models.TextChoices):
    """The travel document a person crosses the Strait with."""

    UNKNOWN = "", _("Not recorded")
    # 台湾居民来往大陆通行证: Taiwan residents visiting the mainland.
    MAINLAND_TRAVEL = "mainland_travel", _("台胞证 (Taiwan residents to the mainland)")
    # 大陆居民赴台入出境许可证: mainland residents visiting Taiwan.
    TAIWAN_ENTRY = "taiwan_entry", _("入台证 (mainland residents to Taiwan)")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other document")


class PermitStatus(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    NEEDED = "needed", _("Needed")
    APPLIED = "applied", _("Applied for")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


class Person(Named, Timestamped, SoftDeletable):
    # Fields that are personal data: masked for readers without the right, left out of
    # their exports and documents.
    PERSONAL_FIELDS = ("phone", "email", "permit_number", "date_of_birth")
    # Stored beside a personal field and shown and left out with it (the permit's expiry,
    # kind and status go with its number).
    PERSONAL_COMPANIONS = {"permit_number": ("permit_expires_on", "permit_kind", "permit_status")}

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
    # The permit's expiry (台胞证 / 入台证): shown wherever its number is.
    permit_expires_on = models.DateField(_("permit valid until"), null=True, blank=True)
    permit_kind = models.CharField(
        _("permit kind"), max_length=16, choices=PermitKind.choices, blank=True
    )
    permit_status = models.CharField(
        _("permit status"), max_length=8, choices=PermitStatus.choices, blank=True
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.pk])


class PersonAlias(Timestamped):
    """Another spelling of a person's name as reports write it (王红薇 for 王鸿薇)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("person alias")
        verbose_name_plural = _("person aliases")
        ordering = ["person", "name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="personalias_unique")
        ]

    def __str__(self) -> str:
        return self.name


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


class PlaceKey(models.Model):
    """A derived row of the search index: one spelling of a place (its name, short name or
    an alias) with the key the resolver looks up (the name without its level suffix, variant
    characters folded: 慈祐里 → 慈佑) and the text type-ahead searches (FTS5 on SQLite,
    pg_trgm/tsvector on PostgreSQL; see directory/search.py). Written only by
    ``directory.search.index_places``; never edited, never exported."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    # "name", "short" or "alias"
    source = models.CharField(max_length=8)
    # the suffix class of the spelling ("community", "village", "li", "district" …) or ""
    level = models.CharField(max_length=16, blank=True)
    key = models.CharField(max_length=200)
    # how deep the place lies (1: a province or a Taiwan county): higher levels first
    depth = models.PositiveSmallIntegerField(default=0)
    spelling = models.TextField()
    # ``spelling`` with a space between characters: what serves 1–2 character queries
    chars = models.TextField()

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["key", "depth"], name="directory_placekey_key_depth")]

    def __str__(self) -> str:
        return self.spelling


class PersonKey(models.Model):
    """A derived row of the people search index (see :class:`PlaceKey`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, db_index=True)
    spelling = models.TextField()
    chars = models.TextField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return self.spelling
