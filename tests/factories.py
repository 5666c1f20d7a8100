"""Factories for test data. They build records through the models directly only where a
service would add nothing; tests of rules call the services."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from civicbridge.core import script
from civicbridge.directory.models import (
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
    Region,
)
from civicbridge.exchanges.models import Activity, ActivityKind, Exchange, Group, Member

SHANGHAI = ZoneInfo("Asia/Shanghai")


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

    name_hans = factory.LazyAttribute(lambda o: script.convert_name(o.name, script.HANS))
    name_hant = factory.LazyAttribute(lambda o: script.convert_name(o.name, script.HANT))


class PlaceFactory(NamedFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True

    region = Region.BEIJING
    kind = PlaceKind.COMMUNITY
    name = factory.Sequence(lambda n: f"测试{n}社区")
    parent = None
    code = factory.Sequence(lambda n: f"T{n:08d}")
    path = ""

    @factory.post_generation
    def _path(obj, create, extracted, **kwargs):
        obj.path = (obj.parent.path if obj.parent else "/") + f"{obj.pk}/"
        obj.search_text = script.search_key(obj.name)
        if create:
            obj.save(update_fields=["path", "search_text"])


class OrganisationFactory(NamedFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganisationKind.GOVERNMENT_OFFICE
    place = factory.SubFactory(PlaceFactory, kind=PlaceKind.CITY)


class PersonFactory(NamedFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    title = factory.Sequence(lambda n: f"交流 {n}")
    start_date = dt.date(2016, 4, 22)
    end_date = dt.date(2016, 4, 22)
    visiting_place = factory.SubFactory(PlaceFactory, region=Region.TAIPEI, kind=PlaceKind.CITY)
    host_place = factory.SubFactory(PlaceFactory, region=Region.BEIJING, kind=PlaceKind.CITY)
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
