"""Every factory and builder of test data, in one place.

- factory_boy factories (``PlaceFactory``, ``ExchangeFactory``, ``PairingFactory`` …) build
  records through the models directly, where a service would add nothing;
- users: ``make_user`` (a role, viewer by default) and ``make_admin``;
- worlds built through the services (tests of rules call the services):
  ``build_roles_world`` (one user per role and scope), ``build_personal_world`` (the same,
  with six people with personal data), ``make_exchange_world`` (the exchange pages'),
  ``PairingWorld`` (a community paired with a li) and ``build_small_exchange`` (the
  documents'). The fixtures that replay them into each test live in the conftest.py files;
- files for the upload tests (images, polyglots, Office packages, spreadsheets by hand)."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from civicbridge.accounts.services import assign_role, create_token
from civicbridge.core import hans_hant
from civicbridge.directory import search
from civicbridge.directory import services as directory
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
    Position,
    ensure_sides,
)
from civicbridge.exchanges import models as exchange_models
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    Exchange,
    ExchangeStatus,
    Group,
    Member,
    MemberRole,
    Side,
)
from civicbridge.forums import models as forum_models
from civicbridge.forums import services as forums
from civicbridge.logistics import services as logistics
from civicbridge.pairings import models as pairing_models
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import Appointment, Commitment, Pairing
from civicbridge.programmes import models as programme_models
from civicbridge.programmes import services as programme_services
from civicbridge.reports import models as report_models

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct horse battery"  # noqa: S105 — every user the tests make has it
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class NamedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    name_hans = factory.LazyAttribute(lambda o: hans_hant.convert_name(o.name, hans_hant.HANS))
    name_hant = factory.LazyAttribute(lambda o: hans_hant.convert_name(o.name, hans_hant.HANT))


class PlaceFactory(NamedFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True

    side_id = MAINLAND
    kind = PlaceKind.COMMUNITY
    name = factory.Sequence(lambda n: f"测试{n}社区")
    parent = None
    code = factory.Sequence(lambda n: f"T{n:08d}")
    path = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        ensure_sides()  # seeded by a migration, but transactional tests flush them
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def _path(obj, create, extracted, **kwargs):
        obj.path = Place.path_below(obj.parent.path if obj.parent else None, obj.pk)
        obj.search_text = hans_hant.search_key(obj.name)
        if create:
            obj.save(update_fields=["path", "search_text"])
            search.index_places([obj.pk])  # what the services do (directory/search.py)


class OrganisationFactory(NamedFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganisationKind.GOVERNMENT_OFFICE
    place = factory.SubFactory(PlaceFactory, kind=PlaceKind.CITY)


class PersonFactory(NamedFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"张{n}")

    @factory.post_generation
    def _index(obj, create, extracted, **kwargs):
        if create:
            search.index_people([obj.pk])  # what the services do (directory/search.py)


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    title = factory.Sequence(lambda n: f"交流 {n}")
    start_date = dt.date(2016, 4, 22)
    end_date = dt.date(2016, 4, 22)
    visiting_place = factory.SubFactory(PlaceFactory, side_id=TAIWAN, kind=PlaceKind.CITY)
    host_place = factory.SubFactory(PlaceFactory, side_id=MAINLAND, kind=PlaceKind.CITY)
    visiting_organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.ASSOCIATION,
        place=factory.SelfAttribute("..visiting_place"),
    )


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    exchange = factory.SubFactory(ExchangeFactory)
    name = factory.Sequence(lambda n: f"第{n}组")
    host_place = factory.SubFactory(PlaceFactory, kind=PlaceKind.DISTRICT)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    exchange = factory.SubFactory(ExchangeFactory)
    person = factory.SubFactory(PersonFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    exchange = factory.SubFactory(ExchangeFactory)
    kind = ActivityKind.SITE_VISIT
    title = factory.Sequence(lambda n: f"参观 {n}")
    starts_at = dt.datetime(2016, 4, 22, 9, 0, tzinfo=SHANGHAI)
    ends_at = dt.datetime(2016, 4, 22, 10, 0, tzinfo=SHANGHAI)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    title = "里长"
    place = factory.SubFactory(PlaceFactory)
    start_date = dt.date(2018, 12, 25)


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    place_a = factory.SubFactory(PlaceFactory)
    place_b = factory.SubFactory(PlaceFactory, side_id=TAIWAN, kind=PlaceKind.LI)
    started_on = dt.date(2016, 4, 22)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    community = factory.SubFactory(PlaceFactory)
    appointed_on = dt.date(2016, 4, 22)
    certificate_year = 2016
    certificate_number = factory.Sequence(lambda n: f"{n:03d}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    title = factory.Sequence(lambda n: f"建立常态化的互访机制 {n}")


# --- time, users, page helpers ----------------------------------------------------------------


def at(hour: int, minute: int = 0, day: int = 22) -> dt.datetime:
    """A moment of April 2016 in Beijing (the 22nd by default)."""
    return dt.datetime(2016, 4, day, hour, minute, tzinfo=SHANGHAI)


def at_day(day: int, hour: int) -> dt.datetime:
    """The full hour ``hour`` of ``day`` April 2016 in Beijing."""
    return at(hour, day=day)


def make_user(
    username: str = "user",
    password: str = PASSWORD,
    *,
    role: str | None = "viewer",
    place=None,
    organisation=None,
    **extra,
):
    """A user with a role: viewer by default; ``role=None`` for none (it reads nothing);
    ``place``/``organisation`` for scoped roles; ``extra`` for other user fields."""
    extra.setdefault("email", f"{username}@example.org")
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    if role:
        assign_role(user=user, role=role, place=place, organisation=organisation)
    return user


def make_admin(username: str = "admin", **extra):
    """An administrator: the pages' permission checks let it edit every record."""
    return make_user(username, role="administrator", **extra)


def fresh(user_obj):
    """The user re-read (roles are cached on a user object)."""
    return get_user_model().objects.get(pk=user_obj.pk)


H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


def h1_count(response) -> int:
    return len(H1.findall(response.content.decode()))


# --- the roles world: one user per role and scope ---------------------------------------------

PHONE = "13912345678"
PERMIT = "T98765432"


@dataclass
class RolesWorld:
    beijing: object
    haidian: object
    yanqing: object
    street: object
    community: object
    other_community: object
    taipei: object
    daan: object
    li: object
    association: object
    other_org: object
    exchange: object
    other_exchange: object
    group_haidian: object
    group_yanqing: object
    activity_haidian: object
    activity_yanqing: object
    member: object
    person: object
    outsider: object
    pairing: object
    other_pairing: object
    users: dict
    tokens: dict


def build_roles_world() -> RolesWorld:
    """Beijing with two districts (海淀区, 延庆区), Taipei with a li, one exchange with a group
    in each district, a member with personal data, a pairing, and one user per role and
    scope (with an API token each), built through the services."""
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = directory.create_place(
        name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    yanqing = directory.create_place(
        name="延庆区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    street = directory.create_place(
        name="学院路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian
    )
    community = directory.create_place(
        name="石油大院社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=street
    )
    y_street = directory.create_place(
        name="百泉街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=yanqing
    )
    other_community = directory.create_place(
        name="湖南社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=y_street
    )
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    daan = directory.create_place(
        name="大安區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    li = directory.create_place(name="龍安里", kind=PlaceKind.LI, side=TAIWAN, parent=daan)
    li2 = directory.create_place(name="錦安里", kind=PlaceKind.LI, side=TAIWAN, parent=daan)
    association = directory.create_organisation(
        name="臺北市里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    other_org = directory.create_organisation(
        name="新北市里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    exchange = exchanges.create_exchange(
        title="基层参访团北京参访",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 23),
        visiting_organisation=association,
        visiting_place=taipei,
        host_place=beijing,
    )
    other_exchange = exchanges.create_exchange(
        title="另一次参访",
        start_date=dt.date(2016, 5, 2),
        end_date=dt.date(2016, 5, 2),
        visiting_organisation=other_org,
        visiting_place=taipei,
        host_place=beijing,
    )
    group_haidian = exchanges.create_group(exchange=exchange, name="第一组", host_place=haidian)
    group_yanqing = exchanges.create_group(exchange=exchange, name="第三组", host_place=yanqing)
    activity_haidian = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="参观石油大院社区",
        starts_at=at_day(22, 9),
        ends_at=at_day(22, 10),
        place=community,
        groups=[group_haidian],
    )
    activity_yanqing = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.MEETING,
        title="延庆座谈",
        starts_at=at_day(22, 14),
        ends_at=at_day(22, 16),
        place=other_community,
        groups=[group_yanqing],
    )
    person = directory.create_person(
        name="李里长", home_place=li, phone=PHONE, permit_number=PERMIT, email="li@example.tw"
    )
    member = exchanges.add_member(exchange=exchange, person=person, group=group_yanqing)
    outsider = directory.create_person(name="王外人", phone="0911000111", permit_number="X1234567")
    exchanges.add_member(exchange=other_exchange, person=outsider)
    pairing = pairings.create_pairing(
        place_a=community, place_b=li, started_on=dt.date(2016, 4, 22)
    )
    other_pairing = pairings.create_pairing(
        place_a=other_community, place_b=li2, started_on=dt.date(2016, 4, 22)
    )
    users = {
        key: make_user(username, role=None)
        for key, username in (
            ("administrator", "admin"),
            ("organiser_haidian", "org_haidian"),
            ("organiser_yanqing", "org_yanqing"),
            ("coordinator", "coordinator"),
            ("coordinator_other", "coordinator_other"),
            ("community_member", "community"),
            ("viewer", "viewer"),
            ("nobody", "nobody"),
        )
    }
    assign_role(user=users["administrator"], role="administrator")
    assign_role(user=users["organiser_haidian"], role="organiser", place=haidian)
    assign_role(user=users["organiser_yanqing"], role="organiser", place=yanqing)
    assign_role(user=users["coordinator"], role="coordinator", organisation=association)
    assign_role(user=users["coordinator_other"], role="coordinator", organisation=other_org)
    assign_role(user=users["community_member"], role="community_member", place=community)
    assign_role(user=users["viewer"], role="viewer")
    tokens = {}
    for key, u in users.items():
        tokens[key] = create_token(user=u, label="tests", read_only=False)[1]
    tokens["viewer_read_only"] = create_token(user=users["viewer"], label="ro", read_only=True)[1]
    tokens["admin_read_only"] = create_token(
        user=users["administrator"], label="ro", read_only=True
    )[1]
    return RolesWorld(
        beijing=beijing,
        haidian=haidian,
        yanqing=yanqing,
        street=street,
        community=community,
        other_community=other_community,
        taipei=taipei,
        daan=daan,
        li=li,
        association=association,
        other_org=other_org,
        exchange=exchange,
        other_exchange=other_exchange,
        group_haidian=group_haidian,
        group_yanqing=group_yanqing,
        activity_haidian=activity_haidian,
        activity_yanqing=activity_yanqing,
        member=member,
        person=person,
        outsider=outsider,
        pairing=pairing,
        other_pairing=other_pairing,
        users=users,
        tokens=tokens,
    )


# --- the personal-data world ------------------------------------------------------------------
# The roles world plus six people with every personal field recorded, one per relation:
#
# - ``yq_resident``: lives in 延庆 (the 延庆 organiser's own directory entry); escorts the 延庆
#   group (host side of the roster).
# - ``member``: a Taipei li chief in the 延庆 group (on the 延庆 organiser's roster, the
#   association coordinator's delegation).
# - ``hd_member``: a Taipei visitor in the 海淀 group (another district's roster).
# - ``hd_resident``: lives in 海淀 but was put on the 延庆 group's roster as a visitor (the
#   roster must not hand a 海淀 entry to 延庆, nor to the coordinator).
# - ``host``: lives in 海淀 and hosts the 延庆 activity (an activity host).
# - ``outsider``: recorded nowhere, on another organisation's delegation (unrelated to all but
#   that organisation's coordinator).
#
# Every one of them hosts the 延庆 activity too, so the programme lists all of them.

PEOPLE = ("yq_resident", "member", "hd_member", "hd_resident", "host", "outsider")
FIELDS = ("phone", "email", "permit_number", "date_of_birth")
ROLES = {
    "administrator": "admin",
    "organiser_inside": "org_yanqing",
    "organiser_outside": "org_haidian",
    "coordinator": "coordinator",
    "coordinator_other": "coordinator_other",
    "community_member": "community",
    "viewer": "viewer",
}
NAMES = {
    "yq_resident": "赵延庆",
    "member": "李里长",  # world.person
    "hd_member": "陈海淀组",
    "hd_resident": "钱海淀",
    "host": "孙接待",
    "outsider": "王外人",  # world.outsider
}


def add_haidian_forum(world: RolesWorld) -> RolesWorld:
    """The roles world plus an exchange hosted in 海淀 only (``hd``: its organisers may
    change it, 延庆's may not) with a forum (``hd_forum`` on ``hd_forum_activity``) and a
    member (``hd_person``), built through the services."""
    world.hd = exchanges.create_exchange(
        title="海淀区接待",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 23),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.haidian,
    )
    world.hd_person = directory.create_person(name="张团员")
    exchanges.add_member(exchange=world.hd, person=world.hd_person)
    world.hd_forum_activity = exchanges.create_activity(
        exchange=world.hd,
        kind=ActivityKind.FORUM,
        title="京台社区大讲堂",
        starts_at=at_day(22, 14),
        ends_at=at_day(22, 16),
        place=world.community,
    )
    world.hd_forum = forums.create_forum(activity=world.hd_forum_activity, theme="走进海淀")
    return world


def values(index: int) -> dict:
    """Distinct values, none a substring of another's."""
    return {
        "phone": f"1397{index}0{index}0{index}55",
        "email": f"person{index}.matrix@example.org",
        "permit_number": f"MX{index}7{index}3{index}9",
        "date_of_birth": dt.date(1950 + index, 3, 10 + index),
    }


VALUES = {key: values(i + 1) for i, key in enumerate(PEOPLE)}


def text_of(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else value


def build_personal_world() -> None:
    w = build_roles_world()
    people = {
        "yq_resident": directory.create_person(
            name=NAMES["yq_resident"], home_place=w.other_community
        ),
        "member": w.person,
        "hd_member": directory.create_person(name=NAMES["hd_member"], home_place=w.daan),
        "hd_resident": directory.create_person(name=NAMES["hd_resident"], home_place=w.community),
        "host": directory.create_person(name=NAMES["host"], home_place=w.street),
        "outsider": w.outsider,
    }
    for key, person in people.items():
        person.refresh_from_db()
        directory.update_person(person=person, **VALUES[key])
    exchanges.add_member(
        exchange=w.exchange, person=people["yq_resident"], group=w.group_yanqing, side=Side.HOST
    )
    exchanges.add_member(exchange=w.exchange, person=people["hd_member"], group=w.group_haidian)
    exchanges.add_member(exchange=w.exchange, person=people["hd_resident"], group=w.group_yanqing)
    w.activity_yanqing.hosts.set([people[key] for key in PEOPLE])


class PersonalWorld:
    """Handles on the rows of ``build_personal_world`` (looked up by name: replayed rows are
    new in every test)."""

    def __init__(self):
        users = get_user_model().objects
        self.users = {role: users.get(username=name) for role, name in ROLES.items()}
        self.nobody = users.get(username="nobody")
        self.people = {key: Person.objects.get(name=name) for key, name in NAMES.items()}
        self.exchange = Exchange.objects.get(title="基层参访团北京参访")
        self.activity = Activity.objects.get(title="延庆座谈")
        self.roster = {"yq_resident", "member", "hd_member", "hd_resident"}


# --- the exchange pages' world ----------------------------------------------------------------

EXCHANGE_PEOPLE = ["黄国辉", "林正达", "邱郁惠", "勤荣辉", "陈美玲", "张志明"]


@dataclass
class ExchangeWorld:
    beijing: object
    haidian: object
    shijingshan: object
    community: object
    taipei: object
    zhongzheng: object
    li: object
    association: object
    office: object
    people: list = field(default_factory=list)
    exchange: object = None


def make_exchange_world(*, with_exchange: bool = True) -> ExchangeWorld:
    """Beijing (海淀区 with 阜四社区, 石景山区), Taipei (中正区 板溪里), the association, the
    Beijing office, six people of the li, and (unless told) the association's exchange."""
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = directory.create_place(
        name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    shijingshan = directory.create_place(
        name="石景山区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    street = directory.create_place(
        name="田村路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian
    )
    community = directory.create_place(
        name="阜石路第四社区",
        short_name="阜四社区",
        kind=PlaceKind.COMMUNITY,
        side=MAINLAND,
        parent=street,
    )
    taipei = directory.create_place(name="台北市", kind=PlaceKind.CITY, side=TAIWAN)
    zhongzheng = directory.create_place(
        name="中正区", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    li = directory.create_place(name="板溪里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng)
    association = directory.create_organisation(
        name="台北市里长联谊会总会", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    office = directory.create_organisation(
        name="北京市台办", kind=OrganisationKind.GOVERNMENT_OFFICE, place=beijing
    )
    world = ExchangeWorld(
        beijing, haidian, shijingshan, community, taipei, zhongzheng, li, association, office
    )
    world.people = [directory.create_person(name=n, home_place=li) for n in EXCHANGE_PEOPLE]
    if with_exchange:
        world.exchange = exchanges.create_exchange(
            title="台北市里长联谊会总会基层参访团",
            start_date=dt.date(2016, 4, 22),
            end_date=dt.date(2016, 4, 22),
            visiting_organisation=association,
            visiting_place=taipei,
            host_place=beijing,
            declared_headcount=50,
        )
    return world


# --- the pairings' world ----------------------------------------------------------------------


class PairingWorld:
    """Beijing 海淀区 田村路街道 阜四社区 and Taipei 中正區 板溪里, a chief, an exchange, the
    chief's appointment and so the pairing; ``n`` makes another such world beside it."""

    def __init__(self, n: int = 0):
        self.beijing = directory.create_place(
            name=f"北京市{n or ''}", kind=PlaceKind.CITY, side=MAINLAND, code=f"B{n}"
        )
        self.taipei = directory.create_place(
            name=f"臺北市{n or ''}", kind=PlaceKind.CITY, side=TAIWAN, code=f"T{n}"
        )
        self.haidian = directory.create_place(
            name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=self.beijing
        )
        self.street = directory.create_place(
            name="田村路街道",
            kind=PlaceKind.SUBDISTRICT,
            side=MAINLAND,
            parent=self.haidian,
        )
        self.community = directory.create_place(
            name="阜石路第四社区居委会",
            short_name="阜四社区",
            kind=PlaceKind.COMMUNITY,
            side=MAINLAND,
            parent=self.street,
        )
        self.zhongzheng = directory.create_place(
            name="中正區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=self.taipei
        )
        self.li = directory.create_place(
            name="板溪里", kind=PlaceKind.LI, side=TAIWAN, parent=self.zhongzheng
        )
        self.chief = directory.create_person(name="黃國輝", home_place=self.li)
        directory.add_position(
            person=self.chief,
            title="里長",
            place=self.li,
            start_date=dt.date(2014, 12, 25),
            end_date=dt.date(2026, 12, 24),
        )
        self.association = directory.create_organisation(
            name="臺北市里長聯誼會總會", kind=OrganisationKind.ASSOCIATION, place=self.taipei
        )
        self.exchange = exchanges.create_exchange(
            title="台北市里长联谊会总会基层参访团",
            start_date=dt.date(2016, 4, 22),
            end_date=dt.date(2016, 4, 22),
            visiting_organisation=self.association,
            visiting_place=self.taipei,
            host_place=self.beijing,
            status=ExchangeStatus.HELD,
        )
        exchanges.add_member(
            exchange=self.exchange, person=self.chief, side=Side.VISITING, home_place=self.li
        )
        self.visit = exchanges.create_activity(
            exchange=self.exchange,
            kind=ActivityKind.SITE_VISIT,
            title="参观阜四社区文化小院",
            starts_at=dt.datetime(2016, 4, 22, 9, 0, tzinfo=SHANGHAI),
            ends_at=dt.datetime(2016, 4, 22, 10, 0, tzinfo=SHANGHAI),
            place=self.community,
        )
        self.appointment = pairings.appoint(
            person=self.chief,
            community=self.community,
            appointed_on=dt.date(2016, 4, 22),
            exchange=self.exchange,
        )
        self.pairing = self.appointment.pairing


# --- the documents' small exchange ------------------------------------------------------------


def build_small_exchange() -> dict:
    """Taipei (three districts, six li), Beijing (延庆区, a community), an exchange with one
    group and one activity."""
    tw, bj = TAIWAN, MAINLAND
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=tw)
    lis = {}
    for district, names in {
        "北投區": ["大屯里", "永明里"],
        "松山區": ["慈祐里", "龍田里"],
        "信義區": ["四育里", "六合里"],
    }.items():
        d = directory.create_place(name=district, kind=PlaceKind.DISTRICT, side=tw, parent=taipei)
        for li in names:
            lis[li] = directory.create_place(name=li, kind=PlaceKind.LI, side=tw, parent=d)
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=bj)
    yanqing = directory.create_place(
        name="延庆区", kind=PlaceKind.DISTRICT, side=bj, parent=beijing
    )
    street = directory.create_place(
        name="儒林街道", kind=PlaceKind.SUBDISTRICT, side=bj, parent=yanqing
    )
    kangan = directory.create_place(
        name="康安社区居委会",
        kind=PlaceKind.COMMUNITY,
        side=bj,
        parent=street,
        short_name="康安社区",
    )
    association = directory.create_organisation(
        name="台北市里长联谊会总会", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    exchange = exchanges.create_exchange(
        title="测试参访",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 22),
        visiting_organisation=association,
        visiting_place=taipei,
        host_place=beijing,
        declared_headcount=50,
    )
    group = exchanges.create_group(exchange=exchange, name="延庆区参访组", host_place=yanqing)
    host = directory.create_person(name="祁金利", phone="010-0000-0000")
    activity = exchanges.create_activity(
        exchange=exchange,
        kind="site_visit",
        title="参观康安社区",
        starts_at=at(9),
        ends_at=at(10, 30),
        place=kangan,
        groups=[group],
        hosts=[host],
    )
    return {
        "exchange": exchange,
        "group": group,
        "lis": lis,
        "kangan": kangan,
        "activity": activity,
        "host": host,
        "taipei": taipei,
    }


# --- files for the upload tests (issue 9: holes 1, 3, 7, 9) ----------------------------------
# Real images, a GIF/JavaScript polyglot, a PNG declaring a huge canvas, Office packages and
# spreadsheets written by hand into a zip, all made in memory.

JS_PAYLOAD = b"alert(document.domain)"


def png(size=(64, 48), color=(200, 30, 30)) -> bytes:
    from PIL import Image  # noqa: PLC0415 (heavy)

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_metadata(secret: bytes = b"GPS-SECRET-39.9N") -> bytes:
    """A JPEG carrying an EXIF description and a comment that must not survive."""
    from PIL import Image  # noqa: PLC0415 (heavy)

    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = image.getexif()
    exif[0x010E] = secret.decode()  # ImageDescription
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=secret)
    data = out.getvalue()
    assert secret in data
    return data


def gif_js_polyglot() -> bytes:
    """A valid GIF that is also JavaScript: its width bytes open a comment (``GIF89a/*``),
    the data after its trailer closes it and runs code. Served as text/javascript from our
    origin it would run under ``script-src 'self'``."""
    from PIL import Image  # noqa: PLC0415 (heavy)

    out = io.BytesIO()
    Image.new("P", (0x2A2F, 1), 3).save(out, "GIF", comment=b"c")  # width 0x2A2F is "/*"
    gif = out.getvalue()
    assert gif.startswith(b"GIF89a/*")
    return gif + b"*/=1;" + JS_PAYLOAD + b"//"


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels (a decompression
    bomb: decoding it would need width × height bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


# --- spreadsheets written by hand ------------------------------------------------------------

_WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _inline(value) -> str:
    if isinstance(value, int):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx_by_hand(rows, *, dimension: str | None = None, extra_parts=None) -> bytes:
    """An .xlsx whose one sheet holds ``rows`` (lists of text or whole numbers), streamed
    into the zip without openpyxl; ``dimension`` as declared (or none)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _WORKBOOK_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            batch = []
            for row in rows:
                batch.append("<row>" + "".join(_inline(v) for v in row) + "</row>")
                if len(batch) >= 5000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            sheet.write(b"</sheetData></worksheet>")
        for name, (chunk, times) in (extra_parts or {}).items():
            with archive.open(name, "w", force_zip64=True) as part:
                for _ in range(times):
                    part.write(chunk)
    return out.getvalue()


def roster_rows(n: int):
    yield ["姓名", "性别"]
    for i in range(n):
        yield [f"张{i}", "男"]


def numbered_rows(n: int):
    """A header and ``n`` rows of one number each: 31 bytes a row in the sheet's XML, so
    300,000 rows stay under the uncompressed-size limit and reach the row limit."""
    yield ["姓名"]
    for i in range(n):
        yield [i]


# --- every record type of issue 12 (the export round trip) -------------------------------------


def build_new_records_world() -> dict:
    """One of every record type issue 12 added, written with the ORM: a return visit linked
    to the earlier trip (and a link naming only who and where), further places, composition,
    statements, topics at exchange and activity level with and without a taxonomy topic
    (and two new topics, the broader one later by code), a speaker at a site visit, labels on
    a place and an exchange, gift wording, a programme with figures, an agreement with an
    organisation and a place as parties and a signatory, an alliance with members, a batch of
    pairings with one completed, a pairing of organisations, an appointment without a
    certificate, a person's alias, a source with provenance rows."""
    ex, fo, pa, pr, re_ = (
        exchange_models,
        forum_models,
        pairing_models,
        programme_models,
        report_models,
    )
    ensure_sides()
    beijing = PlaceFactory(name="北京市", kind=PlaceKind.CITY)
    dongcheng = PlaceFactory(name="东城区", kind=PlaceKind.DISTRICT, parent=beijing)
    community = PlaceFactory(name="东四社区居委会", kind=PlaceKind.COMMUNITY, parent=dongcheng)
    shanghai = PlaceFactory(name="上海市", kind=PlaceKind.CITY)
    hongkou = PlaceFactory(name="虹口区", kind=PlaceKind.DISTRICT, parent=shanghai)
    huangpu = PlaceFactory(name="黄浦区", kind=PlaceKind.DISTRICT, parent=shanghai)
    taipei = PlaceFactory(name="臺北市", kind=PlaceKind.CITY, side_id=TAIWAN)
    shilin = PlaceFactory(name="士林區", kind=PlaceKind.DISTRICT, side_id=TAIWAN, parent=taipei)
    xinyi = PlaceFactory(name="信義區", kind=PlaceKind.DISTRICT, side_id=TAIWAN, parent=taipei)
    li = PlaceFactory(name="福德里", kind=PlaceKind.LI, side_id=TAIWAN, parent=shilin)
    association = OrganisationFactory(
        name="臺北市里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    care_centre = OrganisationFactory(
        name="东四养老照料中心", kind=OrganisationKind.OTHER, place=community
    )
    elders = OrganisationFactory(name="士林長青協會", kind=OrganisationKind.OTHER, place=shilin)
    chief = PersonFactory(name="王鸿薇", home_place=li)
    director = PersonFactory(name="李丽", home_place=community)
    directory_models_alias = chief.aliases.create(name="王红薇", note="报道写法")

    broad = fo.Topic.objects.create(
        code="zz-issue12-broad", name_hans="环境", name_hant="環境", name_en="Environment"
    )
    narrow = fo.Topic.objects.create(
        code="aa-issue12-narrow",
        name_hans="垃圾减量",
        name_hant="垃圾減量",
        name_en="Less waste",
        parent=broad,
    )
    place_label = ex.Label.objects.create(name="北京市首个冬奥社区")
    place_label.places.set([community])
    exchange_label = ex.Label.objects.create(name="首次回访", note="第一次回访")

    earlier = ExchangeFactory(
        title="北京社区参访团赴台（2016）",
        start_date=dt.date(2016, 10, 8),
        end_date=dt.date(2016, 10, 12),
        visiting_place=beijing,
        host_place=taipei,
        visiting_organisation=None,
        delegation_name="北京市东城区社区工作者",
        status=ExchangeStatus.HELD,
    )
    visit = ExchangeFactory(
        title="臺北市里長回訪東城（2017）",
        start_date=dt.date(2017, 7, 1),
        end_date=None,
        date_precision=ex.DatePrecision.MONTH,
        date_note="7月初",
        visiting_place=taipei,
        host_place=beijing,
        visiting_organisation=association,
        declared_headcount=130,
        headcount_qualifier=ex.HeadcountQualifier.ABOUT,
        status=ExchangeStatus.HELD,
    )
    visit.labels.set([exchange_label])
    ex.ExchangePlace.objects.create(
        exchange=visit, role=ex.ExchangePlace.Role.VISITING, place=shilin, order=1
    )
    ex.ExchangePlace.objects.create(
        exchange=visit, role=ex.ExchangePlace.Role.HOST, place=dongcheng
    )
    ex.ExchangePlace.objects.create(
        exchange=visit, role=ex.ExchangePlace.Role.VISITING, wording="大同區", order=2
    )
    group = GroupFactory(
        exchange=visit,
        name="东线",
        host_place=None,
        start_date=dt.date(2017, 7, 2),
        end_date=dt.date(2017, 7, 3),
    )
    ex.Composition.objects.create(exchange=visit, label="里长", count=12, order=0)
    ex.Composition.objects.create(exchange=visit, label="邻长", count=None, order=1)
    ex.Composition.objects.create(exchange=visit, group=group, label="志工", count=3)
    site_visit = ActivityFactory(
        exchange=visit,
        kind=ActivityKind.SITE_VISIT,
        title="参观东四社区",
        place=community,
        status=ExchangeStatus.HELD,
        starts_at=dt.datetime(2017, 7, 2, 9, 0, tzinfo=SHANGHAI),
        ends_at=dt.datetime(2017, 7, 2, 11, 0, tzinfo=SHANGHAI),
    )
    unscheduled = ActivityFactory(
        exchange=visit, kind=ActivityKind.WALK, title="胡同漫步", starts_at=None, ends_at=None
    )
    fo.Speaker.objects.create(
        activity=site_visit, person=director, title="社区书记", side=Side.HOST, summary="介绍"
    )
    taxonomy_topic = fo.Topic.objects.order_by("code").exclude(pk__in=[broad.pk, narrow.pk])[0]
    fo.TopicMention.objects.create(exchange=visit, topic=taxonomy_topic, wording="")
    fo.TopicMention.objects.create(exchange=visit, topic=narrow, wording="垃圾分类", order=1)
    fo.TopicMention.objects.create(
        exchange=visit, activity=site_visit, topic=None, wording="社区营造", order=2
    )
    fo.TopicMention.objects.create(exchange=visit, group=group, topic=taxonomy_topic)
    statement = ex.Statement.objects.create(
        exchange=visit,
        activity=site_visit,
        kind=ex.StatementKind.IMPRESSION,
        person=chief,
        text="社区服务做得很细",
    )
    ex.Statement.objects.create(
        exchange=visit,
        kind=ex.StatementKind.INTENTION,
        side=Side.VISITING,
        speaker_wording="台湾朋友",
        text="希望明年再来",
        order=1,
    )
    ex.Gift.objects.create(
        exchange=visit,
        activity=unscheduled,
        giver_wording="台湾朋友",
        recipient_wording="东四社区",
        description="凤梨酥",
    )
    link = pr.ExchangeLink.objects.create(
        exchange=visit, kind=pr.ExchangeLink.Kind.RETURN_VISIT, other=earlier
    )
    pr.ExchangeLink.objects.create(
        exchange=visit,
        kind=pr.ExchangeLink.Kind.EARLIER,
        who="士林區里長",
        where="上海",
        where_place=shanghai,
        start_date=dt.date(2015, 5, 1),
    )
    programme = pr.Programme.objects.create(
        name="一日里长",
        kind=pr.Programme.Kind.PROGRAMME,
        organiser=association,
        direction=pr.Direction.TO_TAIWAN,
        start_year=2013,
        aim="体验里长工作",
    )
    programme.exchanges.set([visit, earlier])
    pr.ProgrammeFigure.objects.create(
        programme=programme,
        figure="221",
        unit="居委会主任赴台",
        period_start=2013,
        period_end=2017,
        exchange=visit,
    )
    pr.ProgrammeFigure.objects.create(
        programme=programme, figure="12.50", unit="万元", about="一日居委主任", order=1
    )

    agreement = pa.Agreement.objects.create(
        subject="东四社区与福德里交流合作协议",
        kind=pa.Agreement.Kind.EXCHANGE,
        signed_on=dt.date(2017, 7, 2),
        exchange=visit,
        activity=site_visit,
        # A stored file's generated name (core.uploads); the file itself is not needed.
        document="agreements/" + "3f2c" * 8 + ".pdf",
        document_type="application/pdf",
        document_name="协议.pdf",
    )
    care_party = pa.AgreementParty.objects.create(agreement=agreement, organisation=care_centre)
    pa.AgreementParty.objects.create(agreement=agreement, place=li, order=1)
    pa.AgreementSignatory.objects.create(
        agreement=agreement, party=care_party, person=director, title="主任"
    )
    alliance = pa.Alliance.objects.create(
        name="京台社区养老联盟",
        launched_on=dt.date(2017, 7, 3),
        exchange=visit,
        pledges="互派志工",
    )
    pa.AllianceMember.objects.create(alliance=alliance, place=community, founder=True)
    pa.AllianceMember.objects.create(
        alliance=alliance, organisation=elders, joined_on=dt.date(2018, 1, 1), order=1
    )
    pa.AllianceMember.objects.create(alliance=alliance, wording="台中某协会", order=2)
    batch = pa.PairingBatch.objects.create(
        description="虹口/黄浦六个居委会与士林/信义六个里结对",
        count=6,
        exchange=visit,
        agreement=agreement,
        started_on=dt.date(2017, 7, 3),
    )
    batch.districts_a.set([huangpu, hongkou])
    batch.districts_b.set([xinyi, shilin])
    batch_pairing = PairingFactory(
        place_a=community, place_b=li, batch=batch, exchange=visit, started_on=dt.date(2017, 7, 3)
    )
    org_pairing = PairingFactory(
        place_a=None,
        place_b=None,
        organisation_a=care_centre,
        organisation_b=elders,
        kind=pa.PairingKind.AGREEMENT,
        agreement=agreement,
        started_on=dt.date(2017, 7, 2),
    )
    appointment = AppointmentFactory(
        person=chief,
        community=community,
        person_place=li,
        exchange=visit,
        activity=site_visit,
        appointed_on=dt.date(2017, 7, 2),
        certificate_year=None,
        certificate_number="",
    )

    source = re_.Source.objects.create(
        headline="台北里长回访东四社区",
        publishers="东城区台办",
        url="https://example.org/news/1",
        published_on=dt.date(2017, 7, 4),
        dateline="北京7月4日电",
        script=re_.Source.Script.HANS,
        text_sha256="0" * 64,
    )
    source.exchanges.set([visit, earlier])
    for record, fact, start in (
        (visit, "exchange", 0),
        (statement, "statement", 40),
        (chief, "person", 12),
        (batch_pairing, "pairing", 80),
    ):
        re_.Provenance.objects.create(
            source=source,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            fact_type=fact,
            span_start=start,
            span_end=start + 10,
        )
    return {
        "earlier": earlier,
        "visit": visit,
        "link": link,
        "batch": batch,
        "agreement": agreement,
        "alliance": alliance,
        "programme": programme,
        "source": source,
        "appointment": appointment,
        "batch_pairing": batch_pairing,
        "org_pairing": org_pairing,
        "alias": directory_models_alias,
        "topics": (broad, narrow),
    }


# --- programmes, figures and links between exchanges ------------------------------------------


def build_programmes_world() -> RolesWorld:
    """The roles world plus an exchange hosted in 海淀 only (``hd``, 2016: Taipei li chiefs in
    海淀) that returns an earlier trip (``trip``, 2015: a 海淀 delegation to 臺北市大安區,
    hosted in Taipei, so no Beijing organiser may change it), and the 一日里长 programme
    (``yiri``) with no figures or exchanges yet; a Beijing community director (``wang``,
    王鸿薇) whom reports also write 王红薇. Built through the services."""
    world = build_roles_world()
    world.hd = exchanges.create_exchange(
        title="臺北里長海淀參訪",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 23),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.haidian,
    )
    world.trip = exchanges.create_exchange(
        title="海淀社区代表团访台",
        start_date=dt.date(2015, 10, 8),
        end_date=dt.date(2015, 10, 12),
        delegation_name="海淀区社区工作者代表团",
        visiting_place=world.haidian,
        host_place=world.daan,
    )
    world.yiri = programme_services.create_programme(
        name="一日里长",
        organiser=world.association,
        direction="to_mainland",
        start_year=2013,
        aim="台湾里长到大陆社区当一日居委会主任。",
    )
    world.wang = directory.create_person(name="王鸿薇", home_place=world.community)
    return world


# --- pairings of any kind: a batch, an agreement, an alliance (tests/pairings) ----------------

SHANGHAI_DISTRICTS = ("虹口区", "黄浦区", "嘉定区", "闵行区")
TAIPEI_DISTRICTS = ("士林區", "信義區", "中山區", "大同區")


class LinksWorld:
    """Shanghai with four districts (虹口/黄浦/嘉定/闵行), a street and 居委会 in each (two in
    虹口 and 黄浦: six in all); Taipei with four districts (士林/信義/中山/大同) and six li;
    a care centre and an elders' association; an exchange hosted in 虹口区; users: an
    administrator, an organiser of 虹口区 (inside), one of 闵行区 (outside), a viewer."""

    def __init__(self):
        self.shanghai = directory.create_place(name="上海市", kind=PlaceKind.CITY, side=MAINLAND)
        self.taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
        self.districts_a = [
            directory.create_place(
                name=name, kind=PlaceKind.DISTRICT, side=MAINLAND, parent=self.shanghai
            )
            for name in SHANGHAI_DISTRICTS
        ]
        self.districts_b = [
            directory.create_place(
                name=name, kind=PlaceKind.DISTRICT, side=TAIWAN, parent=self.taipei
            )
            for name in TAIPEI_DISTRICTS
        ]
        self.hongkou = self.districts_a[0]
        self.minhang = self.districts_a[3]
        self.streets = [
            directory.create_place(
                name=f"{d.name[:2]}第一街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=d
            )
            for d in self.districts_a
        ]
        self.street = self.streets[0]
        self.communities = []
        for i, street in enumerate([*self.streets, self.streets[0], self.streets[1]]):
            self.communities.append(
                directory.create_place(
                    name=f"第{i + 1}居委会",
                    kind=PlaceKind.COMMUNITY,
                    side=MAINLAND,
                    parent=street,
                )
            )
        self.lis = []
        for i, district in enumerate([*self.districts_b, self.districts_b[0], self.districts_b[1]]):
            self.lis.append(
                directory.create_place(
                    name=f"第{i + 1}里", kind=PlaceKind.LI, side=TAIWAN, parent=district
                )
            )
        self.li = self.lis[0]
        self.care_centre = directory.create_organisation(
            name="虹口区长者照护中心", kind=OrganisationKind.OTHER, place=self.hongkou
        )
        self.elders = directory.create_organisation(
            name="臺北市士林區長青協會",
            kind=OrganisationKind.ASSOCIATION,
            place=self.districts_b[0],
        )
        self.exchange = exchanges.create_exchange(
            title="士林长者交流团访问虹口",
            start_date=dt.date(2018, 6, 10),
            end_date=dt.date(2018, 6, 12),
            visiting_organisation=self.elders,
            visiting_place=self.taipei,
            host_place=self.hongkou,
        )
        self.signing = exchanges.create_activity(
            exchange=self.exchange,
            kind=ActivityKind.MEETING,
            title="签约仪式",
            starts_at=dt.datetime(2018, 6, 11, 10, 0, tzinfo=SHANGHAI),
            ends_at=dt.datetime(2018, 6, 11, 11, 0, tzinfo=SHANGHAI),
            place=self.street,
        )
        self.signer = directory.create_person(name="王主任", home_place=self.street)
        self.admin = make_user("links_admin", role="administrator")
        self.inside = make_user("links_hongkou", role="organiser", place=self.hongkou)
        self.outside = make_user("links_minhang", role="organiser", place=self.minhang)
        self.viewer = make_user("links_viewer")


def build_whole_delegation_exchange() -> dict:
    """Issue 14: ``build_small_exchange`` over two days with a second group; a forum and an
    appointment ceremony for the whole delegation (no group ticked: 全团), one activity of
    each group, one not scheduled yet; 甲 a member of the first group, 乙 of no group."""
    records = build_small_exchange()
    exchange, first = records["exchange"], records["group"]
    exchanges.update_exchange(exchange=exchange, end_date=dt.date(2016, 4, 23))
    exchange.refresh_from_db()
    second = exchanges.create_group(exchange=exchange, name="海淀区参访组")
    member = directory.create_person(name="甲里长")
    loose = directory.create_person(name="乙里长")
    exchanges.add_member(exchange=exchange, person=member, group=first)
    exchanges.add_member(exchange=exchange, person=loose)
    forum = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.FORUM,
        title="两岸社区治理论坛",
        starts_at=at(14, day=23),
        ends_at=at(16, day=23),
        place=records["kangan"],
    )
    ceremony = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.CEREMONY,
        title="荣誉主任聘任仪式",
        starts_at=at(16, 30, day=23),
        ends_at=at(17, day=23),
        place=records["kangan"],
    )
    other = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="参观海淀创新中心",
        starts_at=at(9, day=23),
        ends_at=at(11, day=23),
        groups=[second],
    )
    unscheduled = exchanges.create_activity(
        exchange=exchange, kind=ActivityKind.MEETING, title="待定座谈会"
    )
    return {
        **records,
        "second": second,
        "member": member,
        "loose": loose,
        "forum": forum,
        "ceremony": ceremony,
        "other": other,
        "unscheduled": unscheduled,
    }


# --- news briefs of any shape (issue 14: tests/documents/test_brief_newsroom.py) --------------

BRIEF_TAIPEI = ZoneInfo("Asia/Taipei")


def build_brief_mainland_to_li() -> dict:
    """A Shanghai 虹口区 delegation named only as the sources do (no organisation), about 20
    people, at 臺北市中正區板溪里 on 2019-05-14/15 with no groups: a visit and a forum on the
    first day (speakers of both sides, a topic, an outcome), a signing on the second
    (an agreement between 嘉兴路街道 and 板溪里), a pledge. Through the services."""
    shanghai = directory.create_place(name="上海市", kind=PlaceKind.CITY, side=MAINLAND)
    hongkou = directory.create_place(
        name="虹口区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=shanghai
    )
    jiaxing = directory.create_place(
        name="嘉兴路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=hongkou
    )
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    zhongzheng = directory.create_place(
        name="中正區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    banxi = directory.create_place(name="板溪里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng)
    exchange = exchanges.create_exchange(
        title="虹口社区工作者访台",
        start_date=dt.date(2019, 5, 14),
        end_date=dt.date(2019, 5, 15),
        delegation_name="上海市虹口区社区工作者交流团",
        visiting_place=hongkou,
        host_place=banxi,
        declared_headcount=20,
        headcount_qualifier="about",
    )
    secretary = directory.create_person(name="陈立新", home_place=jiaxing)
    leader = exchanges.add_member(
        exchange=exchange,
        person=secretary,
        role="leader",
        title="嘉兴路街道党工委书记",
    )
    chief = directory.create_person(name="黄国辉", name_hant="黃國輝", home_place=banxi)

    def at_tp(day, hour):
        return dt.datetime(2019, 5, day, hour, tzinfo=BRIEF_TAIPEI)

    visit = exchanges.create_activity(
        exchange=exchange,
        kind="site_visit",
        title="板溪里社区关怀据点",
        starts_at=at_tp(14, 9),
        ends_at=at_tp(14, 10),
        place=banxi,
        hosts=[chief],
    )
    forum_activity = exchanges.create_activity(
        exchange=exchange,
        kind="forum",
        title="两岸社区治理座谈会",
        starts_at=at_tp(14, 14),
        ends_at=at_tp(14, 16),
        place=banxi,
    )
    forum = forums.create_forum(activity=forum_activity, theme="社区照护与邻里互助")
    forums.add_speaker(forum=forum, side="visiting", person=secretary)
    forums.add_speaker(forum=forum, side="host", person=chief, title="板溪里里长")
    forums.ensure_topics()
    topic = forum_models.Topic.objects.order_by("id").first()
    forums.set_forum_topics(forum=forum, topics=[(topic, "长者照护")])
    forums.add_outcome(forum=forum, text="双方商定每年互访一次")
    signing = exchanges.create_activity(
        exchange=exchange,
        kind="signing",
        title="签约仪式",
        starts_at=at_tp(15, 10),
        ends_at=at_tp(15, 11),
        place=banxi,
    )
    agreement = pairings.record_agreement(
        subject="嘉兴路街道与板溪里交流合作协议",
        kind="exchange",
        parties=[{"place": jiaxing}, {"place": banxi}],
        signed_on=dt.date(2019, 5, 15),
        exchange=exchange,
        activity=signing,
        signatories=[
            {"person": secretary, "title": "嘉兴路街道党工委书记", "party_index": 0},
            {"person": chief, "title": "板溪里里长", "party_index": 1},
        ],
    )
    exchanges.add_statement(
        exchange=exchange,
        kind="intention",
        person=secretary,
        side="visiting",
        text="欢迎板溪里的朋友明年到虹口走一走",
    )
    return {
        "exchange": exchange,
        "leader": leader,
        "chief": chief,
        "visit": visit,
        "forum": forum,
        "signing": signing,
        "agreement": agreement,
        "banxi": banxi,
        "hongkou": hongkou,
    }


def build_brief_two_days_two_groups() -> dict:
    """臺北市里長聯誼會總會 (30 people) in 北京市 on 2016-04-22/23 in two groups: the 海淀
    group (leader 黄国辉 of 板溪里) visits 海淀区 on both days, the 石景山 group (leader 李祖民
    of 慈祐里) 石景山区; on the second day the whole delegation (no group ticked) holds a
    forum in 海淀区 and an appointment ceremony where 阜四社区 appoints both leaders."""
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = directory.create_place(
        name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    shijingshan = directory.create_place(
        name="石景山区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    tiancun = directory.create_place(
        name="田村路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian
    )
    fusi = directory.create_place(
        name="阜四社区居委会",
        kind=PlaceKind.COMMUNITY,
        side=MAINLAND,
        parent=tiancun,
        short_name="阜四社区",
    )
    bajiao = directory.create_place(
        name="八角街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=shijingshan
    )
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    zhongzheng = directory.create_place(
        name="中正區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    songshan = directory.create_place(
        name="松山區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    banxi = directory.create_place(name="板溪里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng)
    ciyou = directory.create_place(name="慈祐里", kind=PlaceKind.LI, side=TAIWAN, parent=songshan)
    association = directory.create_organisation(
        name="臺北市里長聯誼會總會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    exchange = exchanges.create_exchange(
        title="臺北里長北京兩日參訪",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 23),
        visiting_organisation=association,
        visiting_place=taipei,
        host_place=beijing,
        declared_headcount=30,
    )
    huang = directory.create_person(name="黄国辉", name_hant="黃國輝", home_place=banxi)
    li = directory.create_person(name="李祖民", home_place=ciyou)
    wang = directory.create_person(name="王锋", home_place=haidian)
    hd = exchanges.create_group(exchange=exchange, name="海淀组", host_place=haidian)
    sjs = exchanges.create_group(exchange=exchange, name="石景山组", host_place=shijingshan)
    hd_leader = exchanges.add_member(
        exchange=exchange,
        person=huang,
        role="leader",
        title="臺北市里長聯誼會總會副會長",
        organisation=association,
        home_place=banxi,
        group=hd,
    )
    sjs_leader = exchanges.add_member(
        exchange=exchange,
        person=li,
        role="leader",
        title="臺北市里長聯誼會總會會長",
        organisation=association,
        home_place=ciyou,
        group=sjs,
    )
    exchanges.update_group(group=hd, leader=hd_leader)
    exchanges.update_group(group=sjs, leader=sjs_leader)

    def bj(day, hour):
        return dt.datetime(2016, 4, day, hour, tzinfo=SHANGHAI)

    acts = {}
    for key, group, day, hour, title, place in (
        ("hd1", hd, 22, 9, "阜四社区文化小院", fusi),
        ("hd2", hd, 23, 9, "植物科普馆", haidian),
        ("sjs1", sjs, 22, 9, "八角北里社区养老中心", bajiao),
        ("sjs2", sjs, 23, 9, "法海寺", shijingshan),
    ):
        acts[key] = exchanges.create_activity(
            exchange=exchange,
            kind="site_visit",
            title=title,
            starts_at=bj(day, hour),
            ends_at=bj(day, hour + 1),
            place=place,
            groups=[group],
        )
    acts["forum"] = exchanges.create_activity(
        exchange=exchange,
        kind="forum",
        title="社区大讲堂",
        starts_at=bj(23, 14),
        ends_at=bj(23, 16),
        place=fusi,
        hosts=[wang],
    )
    forum = forums.create_forum(activity=acts["forum"], theme="走进海淀谱新章")
    forums.add_speaker(forum=forum, side="visiting", person=huang)
    forums.add_speaker(forum=forum, side="host", person=wang, title="海淀区台办主任")
    forums.add_outcome(forum=forum, text="双方同意建立固定的沟通渠道")
    acts["ceremony"] = exchanges.create_activity(
        exchange=exchange,
        kind="ceremony",
        title="聘任仪式",
        starts_at=bj(23, 16),
        ends_at=bj(23, 17),
        place=fusi,
    )
    appointments = [
        pairings.appoint(
            person=person,
            community=fusi,
            person_place=place,
            appointed_on=dt.date(2016, 4, 23),
            exchange=exchange,
            activity=acts["ceremony"],
        )
        for person, place in ((huang, banxi), (li, ciyou))
    ]
    return {
        "exchange": exchange,
        "groups": (hd, sjs),
        "activities": acts,
        "forum": forum,
        "appointments": appointments,
        "haidian": haidian,
        "shijingshan": shijingshan,
    }


# --- published programmes (tests/releases) ------------------------------------------------


def build_release_world() -> dict:
    """``build_small_exchange`` plus a second group (第二组) with an activity of its own, and
    four members with an e-mail each: 林美华 and 王爱丽 and 陈不订 in the first group (延庆区参访组,
    whose activity is 参观康安社区), 赵二组 in the second. Nobody is subscribed yet."""
    records = build_small_exchange()
    exchange = records["exchange"]
    records["group2"] = exchanges.create_group(exchange=exchange, name="第二组")
    records["activity2"] = exchanges.create_activity(
        exchange=exchange,
        kind="meeting",
        title="第二组座谈",
        starts_at=at(14),
        ends_at=at(16),
        place=records["kangan"],
        groups=[records["group2"]],
    )
    for key, name, email, group in (
        ("hant", "林美华", "lin@example.tw", records["group"]),
        ("en", "王爱丽", "alice@example.org", records["group"]),
        ("quiet", "陈不订", "chen@example.tw", records["group"]),
        ("other", "赵二组", "zhao@example.cn", records["group2"]),
    ):
        person = directory.create_person(name=name, email=email)
        records[key] = exchanges.add_member(exchange=exchange, person=person, group=group)
    records["admin"] = make_admin("release_admin")
    return records


# --- a visit's logistics (issue 15): a 20-member two-group visit ----------------------------


@dataclass
class LogisticsVisit:
    world: RolesWorld
    exchange: object
    groups: tuple
    members: list
    vehicles: tuple
    # The member whose 台胞证 expires the day before the visit's last day, and one without.
    expiring: object
    unpermitted: object
    hotel: object


def build_logistics_visit(n: int = 20) -> LogisticsVisit:
    """The roles world plus a visit of ``n`` Taipei li chiefs to Beijing (22–25 April 2016)
    in two groups (第一组 in 海淀, 第二组 in 延庆): each with a 台胞证 valid until 2030 (but the
    second member's, which expires on the 24th, and the third's, which is missing), an
    arrival on the 22nd (times not in roster order), a departure on the 25th (the first
    member leaves on the 22nd, at 20:00), a room at 友谊宾馆, a seat in 1号车 or 2号车, and
    for every fourth member a dietary need. Built through the services."""
    world = build_roles_world()
    hotel = directory.create_organisation(
        name="北京友谊宾馆", kind=OrganisationKind.ENTERPRISE, place=world.haidian
    )
    exchange = exchanges.create_exchange(
        title="臺北市里長北京參訪團",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 25),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.beijing,
    )
    first = exchanges.create_group(exchange=exchange, name="第一组", host_place=world.haidian)
    second = exchanges.create_group(exchange=exchange, name="第二组", host_place=world.yanqing)
    bus1 = logistics.create_vehicle(exchange=exchange, name="1号车", plate="京A12345", seats=33)
    bus2 = logistics.create_vehicle(exchange=exchange, name="2号车", plate="京B67890", seats=33)
    members = []
    for i in range(n):
        group = first if i < n // 2 else second
        expires = dt.date(2016, 4, 24) if i == 1 else dt.date(2030, 6, 30)
        person = directory.create_person(
            name=f"林里长{i + 1:02d}",
            home_place=world.li,
            permit_number="" if i == 2 else f"T{10000000 + i}",
            permit_expires_on=None if i == 2 else expires,
            permit_kind="" if i == 2 else "mainland_travel",
            permit_status="needed" if i == 2 else "issued",
        )
        member = exchanges.add_member(exchange=exchange, person=person, group=group)
        members.append(member)
        # Arrivals between 09:00 and 18:30, not in roster order: (i * 7) % n half hours.
        minutes = ((i * 7) % n) * 30
        logistics.set_travel_leg(
            member=member,
            direction="arrival",
            mode="flight",
            number=f"CI{500 + i}",
            at=at(9 + minutes // 60, minutes % 60, day=22),
            place_wording="首都机场T3",
            pickup=True,
        )
        logistics.set_travel_leg(
            member=member,
            direction="departure",
            mode="flight",
            number=f"CI{600 + i}",
            at=at(20, day=22) if i == 0 else at(14, day=25),
            place_wording="首都机场T3",
            pickup=i != 0,
        )
        logistics.set_stay(member=member, hotel=hotel, room=f"{801 + i}", nights=3)
        logistics.assign_seat(
            member=member,
            vehicle=bus1 if group == first else bus2,
            seat=str(i + 1 if group == first else i - n // 2 + 1),
        )
        if i % 4 == 0:
            logistics.set_needs(member=member, dietary="素食", mobility="")
    return LogisticsVisit(
        world=world,
        exchange=exchange,
        groups=(first, second),
        members=members,
        vehicles=(bus1, bus2),
        expiring=members[1],
        unpermitted=members[2],
        hotel=hotel,
    )


# --- attendance (issue 15: sign-in and badges) -------------------------------------------------


@dataclass
class AttendanceWorld:
    """The roles world plus an exchange hosted in 海淀 going on now (``exchange``): a
    delegation of the 臺北 association in two groups (both hosted in 海淀), a host-side
    escort, and activities around the present moment: ``now`` (the first group's, open for
    check-in), ``whole_now`` (the whole delegation's, open), ``later`` (tonight, not open
    yet) and ``earlier`` (this morning, closed). ``members`` in the order of precedence."""

    roles: RolesWorld
    exchange: Exchange
    groups: tuple
    members: list
    escort: Member
    now: Activity
    whole_now: Activity
    later: Activity
    earlier: Activity


def build_attendance_world(extra_members: int = 2) -> AttendanceWorld:
    w = build_roles_world()
    moment = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    today = moment.astimezone(SHANGHAI).date()
    exchange = exchanges.create_exchange(
        title="臺北里長參訪團海淀交流",
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=1),
        visiting_organisation=w.association,
        visiting_place=w.taipei,
        host_place=w.haidian,
    )
    first = exchanges.create_group(exchange=exchange, name="第一組", host_place=w.haidian)
    second = exchanges.create_group(exchange=exchange, name="第二組", host_place=w.haidian)
    people = [
        ("黃團長", "leader", "會長", first),
        ("林副團長", "deputy_leader", "副會長", second),
        ("陳里長", "member", "龍安里里長", first),
        ("吳里長", "member", "錦安里里長", second),
    ] + [(f"周里長{i + 1}", "member", "里長", first) for i in range(extra_members)]
    added = {}
    # The leader entered last: the roster's order is not the order of precedence.
    for name, role, title, group in [*people[1:], people[0]]:
        person = directory.create_person(name=name, home_place=w.li)
        added[name] = exchanges.add_member(
            exchange=exchange,
            person=person,
            role=role,
            title=title,
            organisation=w.association,
            group=group,
        )
    members = [added[name] for name, *_rest in people]
    host = directory.create_person(name="王主任", home_place=w.community)
    escort = exchanges.add_member(
        exchange=exchange,
        person=host,
        role="staff",
        side="host",
        title="台办主任",
        group=first,
    )

    def activity(title, start, end, groups=()):
        return exchanges.create_activity(
            exchange=exchange,
            kind=ActivityKind.MEETING,
            title=title,
            starts_at=moment + start,
            ends_at=moment + end,
            place=w.community,
            groups=list(groups),
        )

    hour = dt.timedelta(hours=1)
    now = activity("社区治理座谈", -hour / 2, hour, [first])
    whole_now = activity("参观石油大院社区", -hour / 4, hour / 2)
    later = activity("欢迎晚宴", 8 * hour, 10 * hour)
    earlier = activity("早餐会", -10 * hour, -7 * hour, [first])
    return AttendanceWorld(
        roles=w,
        exchange=exchange,
        groups=(first, second),
        members=[*members, escort],
        escort=escort,
        now=now,
        whole_now=whole_now,
        later=later,
        earlier=earlier,
    )


# --- the reception plan and its approval (issue 15: tests/approvals) ------------------------


@dataclass
class ReceptionVisit:
    world: RolesWorld
    exchange: object
    groups: tuple
    members: list
    activities: dict
    # The 北京市 organiser: a higher office than the 海淀 host (approves).
    org_beijing: object


def build_reception_visit(n: int = 20) -> ReceptionVisit:
    """The roles world plus a visit of ``n`` Taipei li chiefs hosted by 海淀区 (22–23 April
    2016) in two groups (both hosted by 海淀), the first member its leader, with six
    activities (two of them meals: a lunch and a banquet) and hosts, and an organiser of
    北京市 (``org_beijing``, a higher office than 海淀). Built through the services; no cost
    lines (the tests add them)."""
    world = build_roles_world()
    org_beijing = make_user("org_beijing", role="organiser", place=world.beijing)
    exchange = exchanges.create_exchange(
        title="臺北市里長海淀參訪",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 23),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.haidian,
        declared_headcount=n,
    )
    first = exchanges.create_group(exchange=exchange, name="第一组", host_place=world.haidian)
    second = exchanges.create_group(exchange=exchange, name="第二组", host_place=world.haidian)
    members = []
    for i in range(n):
        person = directory.create_person(name=f"陳里長{i + 1:02d}", home_place=world.li)
        members.append(
            exchanges.add_member(
                exchange=exchange,
                person=person,
                group=first if i < n // 2 else second,
                role=MemberRole.LEADER if i == 0 else MemberRole.MEMBER,
            )
        )
    host = directory.create_person(name="王主任", home_place=world.community)
    specs = {
        "visit": (ActivityKind.SITE_VISIT, "参观石油大院社区", at(9, day=22), at(11, day=22)),
        "lunch": (ActivityKind.MEAL, "午餐", at(12, day=22), at(13, day=22)),
        "forum": (ActivityKind.FORUM, "京台社区大讲堂", at(14, day=22), at(16, day=22)),
        "banquet": (ActivityKind.MEAL, "欢迎晚宴", at(18, 30, day=22), at(20, day=22)),
        "meeting": (ActivityKind.MEETING, "海淀座谈", at(9, day=23), at(11, day=23)),
        "walk": (ActivityKind.WALK, "中关村参观", at(14, day=23), at(16, day=23)),
    }
    activities = {}
    for key, (kind, title, starts, ends) in specs.items():
        activities[key] = exchanges.create_activity(
            exchange=exchange,
            kind=kind,
            title=title,
            starts_at=starts,
            ends_at=ends,
            place=world.community,
            hosts=[host] if key in ("visit", "forum", "meeting") else [],
        )
    return ReceptionVisit(
        world=world,
        exchange=exchange,
        groups=(first, second),
        members=members,
        activities=activities,
        org_beijing=org_beijing,
    )


# --- the leaders' lists: two districts, two counties, two kinds of pairing --------------------


@dataclass
class LeadersWorld:
    """``build_leaders_world``: places, pairings (``p1``…``p4``), contacts and exchanges."""

    beijing: Place
    haidian: Place
    shijingshan: Place
    taipei: Place
    kaohsiung: Place
    communities: list
    lis: list
    chiefs: list
    director: Person
    p1: Pairing
    p2: Pairing
    p3: Pairing
    p4: Pairing
    extra: list
    held_exchange: Exchange
    planned_exchange: Exchange
    shijingshan_exchange: Exchange
    return_exchange: Exchange


def build_leaders_world(extra: int = 0) -> LeadersWorld:
    """北京市 with 海淀区 (two communities) and 石景山区 (one); 臺北市 (two li of 中正區) and
    高雄市 (one li of 三民區). Pairings: p1 海淀 c1 ↔ 臺北 li1 honorary (an appointment; a
    message today: active), p2 海淀 c2 ↔ 高雄 li3 friendly, p3 石景山 c3 ↔ 臺北 li2 friendly
    (both quiet since 2017), p4 石景山 c3 ↔ 高雄 li3 honorary, ended 2020. Contacts: a chief
    per li (li1's with a phone), c1's director. Exchanges: held 2016 (北京市, a group in
    海淀区, from 臺北市), planned 2027 (海淀区, from 臺北市), held 2018 (石景山区, from
    高雄市), held 2019 (高雄市, from 石景山区). ``extra``: more 海淀 ↔ 臺北 honorary pairings
    (the query counts' second size)."""
    ensure_sides()
    place = directory.create_place
    beijing = place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = place(name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing)
    shijingshan = place(name="石景山区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing)
    h_street = place(name="田村路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian)
    s_street = place(
        name="八宝山街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=shijingshan
    )
    taipei = place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    kaohsiung = place(name="高雄市", kind=PlaceKind.CITY, side=TAIWAN)
    zhongzheng = place(name="中正區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei)
    sanmin = place(name="三民區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=kaohsiung)
    communities = [
        place(
            name="阜石路第四社区居委会",
            short_name="阜四社区",
            kind=PlaceKind.COMMUNITY,
            side=MAINLAND,
            parent=h_street,
        ),
        place(name="永定路社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=h_street),
        place(name="鲁谷社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=s_street),
    ]
    lis = [
        place(name="板溪里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng),
        place(name="南門里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng),
        place(name="鼎金里", kind=PlaceKind.LI, side=TAIWAN, parent=sanmin),
    ]
    chiefs = []
    for i, (name, li) in enumerate(zip(("黃國輝", "陳美玲", "林志明"), lis, strict=True)):
        chief = directory.create_person(
            name=name, home_place=li, phone="0912345678" if i == 0 else ""
        )
        directory.add_position(
            person=chief, title="里長", place=li, start_date=dt.date(2014, 12, 25)
        )
        chiefs.append(chief)
    director = directory.create_person(name="张秀兰", home_place=communities[0])
    directory.add_position(
        person=director, title="主任", place=communities[0], start_date=dt.date(2015, 1, 1)
    )
    association = directory.create_organisation(
        name="臺北市里長聯誼會總會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    held_exchange = exchanges.create_exchange(
        title="台北市里长联谊会总会基层参访团",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 22),
        visiting_organisation=association,
        visiting_place=taipei,
        host_place=beijing,
        status=ExchangeStatus.HELD,
    )
    exchanges.create_group(exchange=held_exchange, name="海淀组", host_place=haidian)
    exchanges.add_member(
        exchange=held_exchange, person=chiefs[0], side=Side.VISITING, home_place=lis[0]
    )
    p1 = pairings.appoint(
        person=chiefs[0],
        community=communities[0],
        appointed_on=dt.date(2016, 4, 22),
        exchange=held_exchange,
    ).pairing
    planned_exchange = exchanges.create_exchange(
        title="台北里长再访海淀",
        start_date=dt.date(2027, 5, 10),
        visiting_place=taipei,
        host_place=haidian,
        status=ExchangeStatus.PLANNED,
    )
    shijingshan_exchange = exchanges.create_exchange(
        title="高雄里长参访石景山",
        start_date=dt.date(2018, 9, 3),
        visiting_place=kaohsiung,
        host_place=shijingshan,
        status=ExchangeStatus.HELD,
    )
    return_exchange = exchanges.create_exchange(
        title="石景山社区回访高雄",
        start_date=dt.date(2019, 3, 12),
        visiting_place=shijingshan,
        host_place=kaohsiung,
        status=ExchangeStatus.HELD,
        timezone="Asia/Taipei",
    )
    friendly = pairing_models.PairingKind.FRIENDLY
    p2 = pairings.record_pairing(
        kind=friendly, place_a=communities[1], place_b=lis[2], started_on=dt.date(2016, 5, 1)
    )
    p3 = pairings.record_pairing(
        kind=friendly, place_a=communities[2], place_b=lis[1], started_on=dt.date(2016, 6, 1)
    )
    p4 = pairings.record_pairing(
        kind=pairing_models.PairingKind.HONORARY,
        place_a=communities[2],
        place_b=lis[2],
        started_on=dt.date(2017, 1, 1),
    )
    p4 = pairings.update_pairing(
        pairing=p4, fields={"ended_on": dt.date(2020, 12, 31)}, expected_version=p4.version
    )
    more = []
    for i in range(extra):
        community = place(
            name=f"第{i + 1}社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=h_street
        )
        li = place(name=f"第{i + 1}里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng)
        chief = directory.create_person(name=f"里长{i + 1}", home_place=li)
        directory.add_position(
            person=chief, title="里長", place=li, start_date=dt.date(2014, 12, 25)
        )
        more.append(
            pairings.appoint(
                person=chief, community=community, appointed_on=dt.date(2017, 4, 1)
            ).pairing
        )
    writer = make_user("leaders-writer", role="administrator")
    pairings.post_message(thread=p1, author=writer, body="今年秋天再聚")
    return LeadersWorld(
        beijing=beijing,
        haidian=haidian,
        shijingshan=shijingshan,
        taipei=taipei,
        kaohsiung=kaohsiung,
        communities=communities,
        lis=lis,
        chiefs=chiefs,
        director=director,
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
        extra=more,
        held_exchange=held_exchange,
        planned_exchange=planned_exchange,
        shijingshan_exchange=shijingshan_exchange,
        return_exchange=return_exchange,
    )


# --- the gifts register: gifts 34, 20, 60 and 36 days old, in two districts ---------------------


@dataclass
class GiftsWorld:
    roles: RolesWorld
    today: dt.date
    old: object  # 34 days old, to register: overdue
    recent: object  # 20 days old, to register: not yet
    registered: object  # 60 days old, registered: never overdue
    yanqing: object  # 40 days old, to register, hosted in 延庆 only
    by_activity: object  # at an activity 36 days ago of an exchange ending 5 days ago: overdue
    by_exchange_end: object  # the same exchange, no activity: dated by its end, not overdue


def build_gifts_world(today: dt.date | None = None) -> GiftsWorld:
    """The roles world and six gifts dated relative to ``today`` (default: the local date)."""
    today = today or timezone.localdate()
    roles = build_roles_world()

    def days_ago(n):
        return today - dt.timedelta(days=n)

    def visit(title, start, end, host):
        return exchanges.create_exchange(
            title=title,
            start_date=start,
            end_date=end,
            visiting_organisation=roles.association,
            visiting_place=roles.taipei,
            host_place=host,
        )

    def gift(exchange, description, registration="to_register", **extra):
        return exchanges.record_gift(
            exchange=exchange,
            giver_organisation=roles.association,
            recipient_person=roles.person,
            description=description,
            direction="received",
            value_band="200_500",
            registration=registration,
            **extra,
        )

    span = visit("海淀长期交流", days_ago(40), days_ago(5), roles.haidian)
    activity = exchanges.create_activity(
        exchange=span,
        kind=ActivityKind.MEETING,
        title="座谈",
        starts_at=dt.datetime.combine(days_ago(36), dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai")),
        ends_at=dt.datetime.combine(days_ago(36), dt.time(11), tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    return GiftsWorld(
        roles=roles,
        today=today,
        old=gift(visit("海淀旧访", days_ago(34), days_ago(34), roles.haidian), "茶叶"),
        recent=gift(visit("海淀近访", days_ago(20), days_ago(20), roles.haidian), "花瓶"),
        registered=gift(
            visit("海淀已登记", days_ago(60), days_ago(60), roles.haidian),
            "书法",
            registration="registered",
            registered_on=days_ago(50),
            register_number="纪登-001",
        ),
        yanqing=gift(visit("延庆来访", days_ago(40), days_ago(40), roles.yanqing), "锦旗"),
        by_activity=gift(span, "瓷盘", activity=activity),
        by_exchange_end=gift(span, "丝巾"),
    )
