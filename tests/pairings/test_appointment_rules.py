import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from civicbridge.directory.models import TAIWAN, PlaceKind
from civicbridge.pairings import services
from civicbridge.pairings.models import Pairing
from tests.factories import PersonFactory, PlaceFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2016, 4, 22)


def test_appoint_refuses_a_place_that_is_not_a_community():
    street = PlaceFactory(kind=PlaceKind.SUBDISTRICT)
    with pytest.raises(ValidationError) as err:
        services.appoint(person=PersonFactory(), community=street, appointed_on=DAY)
    assert list(err.value.message_dict) == ["community"]


def test_appoint_issues_certificate_numbers_in_sequence():
    community = PlaceFactory(code="110119003001")
    first = services.appoint(person=PersonFactory(), community=community, appointed_on=DAY)
    second = services.appoint(person=PersonFactory(), community=community, appointed_on=DAY)
    assert (first.certificate_number, second.certificate_number) == (
        "110119003001-2016-001",
        "110119003001-2016-002",
    )


def test_appoint_refuses_a_certificate_number_already_used_that_year():
    community = PlaceFactory()
    services.appoint(
        person=PersonFactory(), community=community, appointed_on=DAY, certificate_number="No. 7"
    )
    with pytest.raises(ValidationError) as err:
        services.appoint(
            person=PersonFactory(),
            community=community,
            appointed_on=DAY,
            certificate_number="No. 7",
        )
    assert list(err.value.message_dict) == ["certificate_number"]
    again_next_year = services.appoint(
        person=PersonFactory(),
        community=community,
        appointed_on=dt.date(2017, 1, 5),
        certificate_number="No. 7",
    )
    assert again_next_year.certificate_year == 2017


def test_appoint_creates_one_pairing_per_li_and_community():
    community = PlaceFactory()
    li = PlaceFactory(side_id=TAIWAN, kind=PlaceKind.LI)
    a = services.appoint(person=PersonFactory(home_place=li), community=community, appointed_on=DAY)
    b = services.appoint(person=PersonFactory(home_place=li), community=community, appointed_on=DAY)
    assert a.pairing == b.pairing
    assert Pairing.objects.count() == 1
    assert (a.pairing.place_a, a.pairing.place_b, a.pairing.origin) == (
        community,
        li,
        "appointment",
    )
