import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.directory.models import TAIWAN, OrganisationKind, PlaceKind
from tests.factories import (
    MODEL_BACKEND,
    ActivityFactory,
    AppointmentFactory,
    ExchangeFactory,
    GroupFactory,
    MemberFactory,
    OrganisationFactory,
    PairingFactory,
    PersonFactory,
    PlaceFactory,
    PositionFactory,
    h1_count,
    make_user,
)

pytestmark = [
    pytest.mark.django_db,
    # tests/factories.py (shared) still triggers factory_boy's postgeneration-save notice.
    pytest.mark.filterwarnings(
        "ignore:.*_after_postgeneration will stop saving:DeprecationWarning"
    ),
]


@pytest.fixture
def signed_in(client):
    client.force_login(make_user("reader"), backend=MODEL_BACKEND)
    return client


@pytest.fixture
def taipei():
    city = PlaceFactory(name="臺北市", side_id=TAIWAN, kind=PlaceKind.CITY)
    district = PlaceFactory(name="大安區", side_id=TAIWAN, kind=PlaceKind.DISTRICT, parent=city)
    li = PlaceFactory(name="建安里", side_id=TAIWAN, kind=PlaceKind.LI, parent=district)
    return city, district, li


def _fill_li(li, n: int):
    """n of everything a li page shows."""
    for i in range(n):
        person = PersonFactory(home_place=li)
        PositionFactory(person=person, place=li, start_date=dt.date(2010 + i, 12, 25))
        community = PlaceFactory()
        exchange = ExchangeFactory(visiting_place=li.parent.parent)
        GroupFactory(exchange=exchange, host_place=li.parent)
        MemberFactory(exchange=exchange, person=person, home_place=li)
        ActivityFactory(exchange=exchange, place=li)
        AppointmentFactory(person=person, community=community, person_place=li, exchange=exchange)
        AppointmentFactory(community=li)
        PairingFactory(place_a=community, place_b=li)
        PlaceFactory(parent=li, kind=PlaceKind.COMMUNITY)
        OrganisationFactory(place=li)


def test_places_index_lists_the_two_cities(signed_in, taipei):
    PlaceFactory(name="北京市", kind=PlaceKind.CITY)
    response = signed_in.get(reverse("directory:places"))
    assert response.status_code == 200
    assert h1_count(response) == 1
    body = response.content.decode()
    assert "北京市" in body and "台北市" in body and "大安区" in body


def test_place_page_shows_breadcrumb_up_to_the_city(signed_in, taipei):
    city, district, li = taipei
    response = signed_in.get(reverse("directory:place", args=[li.pk]))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert [p.pk for p in response.context["ancestors"]] == [city.pk, district.pk]


def test_place_page_shows_li_chiefs_of_every_term(signed_in, taipei):
    _city, _district, li = taipei
    first = PositionFactory(
        place=li, start_date=dt.date(2014, 12, 25), end_date=dt.date(2018, 12, 24)
    )
    second = PositionFactory(place=li, start_date=dt.date(2018, 12, 25))
    response = signed_in.get(reverse("directory:place", args=[li.pk]))
    assert [p.pk for p in response.context["positions"]["rows"]] == [second.pk, first.pk]


def test_place_page_lists_exchanges_appointments_and_pairings(signed_in, taipei):
    _city, district, li = taipei
    _fill_li(li, 2)
    response = signed_in.get(reverse("directory:place", args=[li.pk]))
    assert len(response.context["exchanges"]["rows"]) == 2
    assert len(response.context["appointments_made"]["rows"]) == 2
    assert len(response.context["appointments_received"]["rows"]) == 2
    assert len(response.context["pairings"]) == 2
    assert response.context["children_page"].paginator.count == 2
    # A district sees the exchanges of the li within it and the groups it hosted.
    response = signed_in.get(reverse("directory:place", args=[district.pk]))
    assert len(response.context["exchanges"]["rows"]) == 2


def _place_queries(client, place) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("directory:place", args=[place.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_place_page_queries_do_not_grow_with_records(signed_in, taipei):
    _city, _district, li = taipei
    _fill_li(li, 1)
    signed_in.get("/")
    one = _place_queries(signed_in, li)
    _fill_li(li, 12)
    many = _place_queries(signed_in, li)
    assert many == one


def test_place_page_unknown_is_404(signed_in):
    assert signed_in.get(reverse("directory:place", args=[999999])).status_code == 404


def test_person_page_shows_positions_exchanges_and_appointments(signed_in, taipei):
    _city, _district, li = taipei
    _fill_li(li, 1)
    person = li.positions.first().person
    response = signed_in.get(reverse("directory:person", args=[person.pk]))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert len(response.context["positions"]) == 1
    assert len(response.context["memberships"]) == 1
    assert len(response.context["appointments"]) == 1


def _person_with_personal_data():
    return PersonFactory(
        name="邱郁惠",
        phone="0912-345-678",
        email="qiu@example.org",
        permit_number="T123456789",
        date_of_birth=dt.date(1960, 5, 4),
    )


PERSONAL_VALUES = ("0912-345-678", "qiu@example.org", "T123456789", "1960")


def test_person_page_masks_personal_fields_for_viewer(signed_in):
    person = _person_with_personal_data()
    body = signed_in.get(reverse("directory:person", args=[person.pk])).content.decode()
    for value in PERSONAL_VALUES:
        assert value not in body
    assert 'id="contact-heading"' in body
    assert body.count("••• (") == 4


def test_person_page_shows_personal_fields_to_administrator(client):
    person = _person_with_personal_data()
    client.force_login(make_user("admin", role="administrator"), backend=MODEL_BACKEND)
    body = client.get(reverse("directory:person", args=[person.pk])).content.decode()
    for value in ("0912-345-678", "qiu@example.org", "T123456789", "1960-05-04"):
        assert value in body
    assert "••• (" not in body


def test_person_page_leaves_out_empty_personal_fields(signed_in):
    person = PersonFactory(name="林正達", phone="0912-000-111")
    body = signed_in.get(reverse("directory:person", args=[person.pk])).content.decode()
    assert body.count("••• (") == 1
    without = PersonFactory(name="陳大文")
    body = signed_in.get(reverse("directory:person", args=[without.pk])).content.decode()
    assert 'id="contact-heading"' not in body


def test_person_page_shows_personal_fields_to_organiser_of_home_place(client):
    district = PlaceFactory(kind=PlaceKind.DISTRICT)
    inside = PlaceFactory(kind=PlaceKind.COMMUNITY, parent=district)
    person = PersonFactory(name="王芳", phone="138-0000-0001", home_place=inside)
    organiser = make_user("haidian", role="organiser", place=district)
    client.force_login(organiser, backend=MODEL_BACKEND)
    body = client.get(reverse("directory:person", args=[person.pk])).content.decode()
    assert "138-0000-0001" in body


@pytest.mark.parametrize(
    "name", ["directory:places", "directory:people", "directory:organisations"]
)
def test_directory_indexes_refused_without_role(client, name):
    client.force_login(make_user("norole", role=None), backend=MODEL_BACKEND)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert h1_count(response) == 1


def test_directory_details_refused_without_role(client, taipei):
    person = PersonFactory(name="邱郁惠")
    client.force_login(make_user("norole", role=None), backend=MODEL_BACKEND)
    assert client.get(reverse("directory:person", args=[person.pk])).status_code == 403
    assert client.get(reverse("directory:place", args=[taipei[2].pk])).status_code == 403


def test_people_index_paginates_and_searches(signed_in):
    for i in range(60):
        person = PersonFactory(name=f"张{i:02d}")
        person.search_text = person.name
        person.save(update_fields=["search_text"])
    response = signed_in.get(reverse("directory:people"))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert response.context["page_obj"].paginator.num_pages == 2
    response = signed_in.get(reverse("directory:people"), {"q": "張07"})
    assert [p.name for p in response.context["page_obj"]] == ["张07"]


def test_organisation_pages_render(signed_in, taipei):
    _city, _district, li = taipei
    org = OrganisationFactory(
        name="臺北市里長聯誼會總會", kind=OrganisationKind.ASSOCIATION, place=li
    )
    ExchangeFactory(visiting_organisation=org, visiting_place=li)
    PositionFactory(organisation=org, place=None, title="会长")
    response = signed_in.get(reverse("directory:organisations"))
    assert response.status_code == 200
    assert h1_count(response) == 1
    response = signed_in.get(reverse("directory:organisation", args=[org.pk]))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert len(response.context["visits"]["rows"]) == 1
    assert len(response.context["positions"]["rows"]) == 1


def test_directory_pages_require_sign_in(client, taipei):
    response = client.get(reverse("directory:place", args=[taipei[0].pk]))
    assert response.status_code == 302


def test_lookup_places_finds_two_character_query_as_fragment(signed_in, taipei):
    response = signed_in.get(
        reverse("directory:lookup_places"),
        {"q": "大安", "kind": "district"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-id="{taipei[1].pk}"' in body
    assert "<h1" not in body


def test_lookup_places_json_in_traditional(signed_in, taipei):
    signed_in.post(reverse("language"), {"language": "zh-hant", "next": "/"})
    response = signed_in.get(reverse("directory:lookup_places"), {"q": "大安区", "format": "json"})
    results = json.loads(response.content)["results"]
    assert [(r["id"], r["name"]) for r in results] == [(taipei[1].pk, "大安區")]


def test_lookup_people_finds_either_script(signed_in):
    person = PersonFactory(name="邱郁惠")
    person.search_text = "邱郁惠"
    person.save(update_fields=["search_text"])
    response = signed_in.get(reverse("directory:lookup_people"), {"q": "邱郁", "format": "json"})
    assert [r["id"] for r in json.loads(response.content)["results"]] == [person.pk]
    response = signed_in.get(reverse("directory:lookup_people"), {"q": "邱郁"})
    assert f'data-id="{person.pk}"' in response.content.decode()
