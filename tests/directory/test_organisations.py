"""An organiser (not only an administrator) records organisations, venues and positions, in
the pages and the API (issue 12). Parity of every write (page and API, same actors) is in
tests/api/test_write_parity.py; here: the rules, the services' checks, hostile input, the
pages and the inline "new organisation" of the exchange form."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from civicbridge.accounts.audit import acting_as
from civicbridge.accounts.models import AuditEntry
from civicbridge.directory import services
from civicbridge.directory.models import Organisation, OrganisationKind, Position
from tests.factories import MODEL_BACKEND

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

HAIDIAN, YANQING, VIEWER, ADMIN = (
    "organiser_haidian",
    "organiser_yanqing",
    "viewer",
    "administrator",
)


@pytest.fixture
def world(roles_world):
    """The roles world with a resident of a 海淀 community (a directory entry of 海淀)."""
    roles_world.resident = services.create_person(name="赵居民", home_place=roles_world.community)
    return roles_world


def _page(world, who) -> Client:
    client = Client()
    client.force_login(world.users[who], backend=MODEL_BACKEND)
    return client


def _api(world, who, method, url, body):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[who]}")
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _new(place, kind=OrganisationKind.ASSOCIATION):
    return services.new_organisation(place=place, kind=kind)


# --- the rules --------------------------------------------------------------------------


def test_an_organiser_records_an_organisation_seated_anywhere_but_a_venue_only_at_home(world):
    haidian = world.users[HAIDIAN]
    assert haidian.has_perm("directory.add_organisation", _new(world.taipei)) is True
    assert haidian.has_perm("directory.add_organisation", _new(world.other_community)) is True
    assert haidian.has_perm("directory.add_organisation", _new(world.community, "venue")) is True
    assert (
        haidian.has_perm("directory.add_organisation", _new(world.other_community, "venue"))
        is False
    )
    assert haidian.has_perm("directory.add_organisation") is True
    assert world.users[VIEWER].has_perm("directory.add_organisation") is False
    assert world.users[VIEWER].has_perm("directory.add_organisation", _new(world.taipei)) is False
    assert world.users[ADMIN].has_perm("directory.add_organisation", _new(world.li, "venue"))


def test_an_organiser_corrects_the_organisations_of_their_places_and_those_they_created(world):
    with acting_as(world.users[HAIDIAN], via="page"):
        troupe = services.create_organisation(
            name="高雄市藝術團",
            kind=OrganisationKind.CULTURAL_GROUP,
            place=world.taipei,
            actor=world.users[HAIDIAN],
        )
    station = services.create_organisation(
        name="石油大院服务站", kind=OrganisationKind.GOVERNMENT_OFFICE, place=world.community
    )
    haidian, yanqing = world.users[HAIDIAN], world.users[YANQING]
    assert haidian.has_perm("directory.change_organisation", troupe) is True  # created by them
    assert haidian.has_perm("directory.change_organisation", station) is True  # in 海淀
    assert haidian.has_perm("directory.change_organisation", world.association) is False
    assert yanqing.has_perm("directory.change_organisation", troupe) is False
    assert yanqing.has_perm("directory.change_organisation", station) is False
    assert world.users[VIEWER].has_perm("directory.change_organisation", station) is False


def test_positions_of_their_people_or_in_their_organisations_and_places(world):
    with acting_as(world.users[YANQING], via="api"):
        troupe = services.create_organisation(
            name="延庆来访团", kind=OrganisationKind.CULTURAL_GROUP, place=world.taipei
        )
    haidian, yanqing = world.users[HAIDIAN], world.users[YANQING]
    at_community = Position(person=world.person, title="顾问", place=world.community)
    in_troupe = Position(person=world.person, title="团长", organisation=troupe)
    of_outsider = Position(person=world.outsider, title="会长", organisation=world.association)
    assert haidian.has_perm("directory.add_position", at_community) is True
    assert yanqing.has_perm("directory.add_position", at_community) is False
    assert yanqing.has_perm("directory.add_position", in_troupe) is True
    assert haidian.has_perm("directory.add_position", in_troupe) is False
    assert haidian.has_perm("directory.add_position", of_outsider) is False
    assert world.users[VIEWER].has_perm("directory.add_position", at_community) is False
    assert world.users[ADMIN].has_perm("directory.add_position", of_outsider) is True


# --- the services -----------------------------------------------------------------------


def test_the_services_ask_the_rules_with_the_actor(world):
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            name="延庆剧场",
            kind=OrganisationKind.VENUE,
            place=world.other_community,
            actor=world.users[HAIDIAN],
        )
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            organisation=world.association, actor=world.users[HAIDIAN], note="改"
        )
    org = services.create_organisation(
        name="海淀礼堂", kind=OrganisationKind.VENUE, place=world.community
    )
    # Moving a venue out of the organiser's places is refused, as creating it there is.
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            organisation=org,
            expected_version=org.version,
            actor=world.users[HAIDIAN],
            place=world.other_community,
        )
    position = services.create_position(
        person=world.person, title="顾问", place=world.community, actor=world.users[HAIDIAN]
    )
    with pytest.raises(PermissionDenied):
        services.end_position(
            position=position, end_date=dt.date(2020, 1, 1), actor=world.users[YANQING]
        )
    ended = services.end_position(
        position=position,
        end_date=dt.date(2020, 1, 1),
        expected_version=position.version,
        actor=world.users[HAIDIAN],
    )
    assert (ended.end_date, ended.version) == (dt.date(2020, 1, 1), 2)


def test_the_writes_are_audited(world):
    with acting_as(world.users[HAIDIAN], via="page"):
        org = services.create_organisation(
            name="里民合唱团", kind=OrganisationKind.CULTURAL_GROUP, place=world.taipei
        )
    entry = AuditEntry.objects.get(model="directory.organisation", object_id=str(org.pk))
    assert (entry.action, entry.user) == ("create", world.users[HAIDIAN])


def test_service_checks(world):
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            name="臺北市里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=world.taipei
        )
    assert "name" in caught.value.error_dict
    org = services.create_organisation(
        name="分会", kind=OrganisationKind.ASSOCIATION_BRANCH, place=world.taipei
    )
    with pytest.raises(ValidationError) as caught:
        services.update_organisation(organisation=org, parent=org)
    assert "parent" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.create_position(person=world.person, title="会长")
    assert "organisation" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.create_position(
            person=world.person,
            title="会长",
            organisation=org,
            start_date=dt.date(2020, 1, 2),
            end_date=dt.date(2020, 1, 1),
        )
    assert "end_date" in caught.value.error_dict


# --- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "<script>alert(1)</script>協會", "kind": "association"}, 201),
        ({"name": "協\x00會", "kind": "association"}, 422),
        ({"name": "協會" * 200, "kind": "association"}, 422),
        ({"name": "協會", "kind": "spaceship"}, 422),
        ({"name": "協會", "kind": "association", "place_id": 2**62}, 422),
        ({"name": "協會", "kind": "association", "place_id": 999999}, 422),
        ({"name": "   ", "kind": "association"}, 422),
    ],
)
def test_hostile_organisations_through_the_api(world, body, status):
    body = {"place_id": world.taipei.pk} | body
    response = _api(world, HAIDIAN, "post", "/api/v1/organisations", body)
    assert response.status_code == status, response.content
    if status == 201:  # stored as typed, shown escaped
        org = Organisation.objects.get(pk=response.json()["id"])
        page = _page(world, HAIDIAN).get(org.get_absolute_url())
        assert b"<script>alert(1)" not in page.content


@pytest.mark.parametrize(
    "changes",
    [
        {"start_date": "2020-02-30"},
        {"start_date": "0001-01-01"},
        {"end_date": "99999-01-01"},
        {"place_id": -1},
        {"organisation_id": "x"},
        {"title": "\x00"},
    ],
)
def test_hostile_positions_through_the_api(world, changes):
    body = {"person_id": world.resident.pk, "title": "楼门长", "place_id": world.community.pk}
    response = _api(world, HAIDIAN, "post", "/api/v1/positions", body | changes)
    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "協\x00會"},
        {"place": "99999999999999999999"},
        {"place": "abc"},
        {"kind": "<b>"},
        {"name": "x" * 1000},
    ],
)
def test_hostile_organisation_forms(world, changes):
    data = {"name": "協會", "kind": "association", "place": str(world.taipei.pk), "place_q": ""}
    response = _page(world, HAIDIAN).post(reverse("directory:organisation_add"), data | changes)
    assert response.status_code == 422
    assert Organisation.objects.filter(name="協會").count() == 0


def test_hostile_position_end_form(world):
    position = services.create_position(
        person=world.resident, title="楼门长", place=world.community
    )
    url = reverse("directory:position_end", args=[position.pk])
    for end in ("2020-13-01", "1000-01-01", "<x>"):
        response = _page(world, HAIDIAN).post(url, {"version": "1", "end_date": end})
        assert response.status_code == 422
    assert (
        _page(world, HAIDIAN).get(reverse("directory:position_end", args=[10**12])).status_code
        == 404
    )


# --- the pages ----------------------------------------------------------------------------


def test_buttons_show_to_those_who_may(world):
    index = reverse("directory:organisations")
    add = reverse("directory:organisation_add").encode()
    assert add in _page(world, HAIDIAN).get(index).content
    assert add not in _page(world, VIEWER).get(index).content
    assert _page(world, VIEWER).get(reverse("directory:organisation_add")).status_code == 403
    person_page = _page(world, HAIDIAN).get(world.resident.get_absolute_url()).content
    assert reverse("directory:position_add", args=[world.resident.pk]).encode() in person_page
    edit = reverse("directory:organisation_edit", args=[world.association.pk]).encode()
    assert edit not in _page(world, HAIDIAN).get(world.association.get_absolute_url()).content
    assert edit in _page(world, ADMIN).get(world.association.get_absolute_url()).content


def test_a_position_added_from_the_person_page(world):
    response = _page(world, HAIDIAN).post(
        reverse("directory:position_add", args=[world.resident.pk]),
        {"title": "楼门长", "organisation": "", "place": str(world.community.pk), "place_q": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == world.resident.get_absolute_url()
    assert list(world.resident.positions.values_list("title", "place")) == [
        ("楼门长", world.community.pk)
    ]


def test_the_exchange_form_offers_a_new_organisation_inline(world):
    client = _page(world, HAIDIAN)
    form = client.get(reverse("exchanges:create")).content.decode()
    add = reverse("directory:organisation_add")
    assert f'hx-get="{add}?field=visiting_organisation&amp;target=id_visiting_organisation"' in form
    assert 'id="id_visiting_organisation_box"' in form
    assert "<script>" not in form.split('id="id_visiting_organisation_box"')[1].split("</div>")[0]

    htmx = {"HTTP_HX_REQUEST": "true"}
    opened = client.get(
        add, {"field": "visiting_organisation", "target": "id_visiting_organisation"}, **htmx
    )
    assert opened.status_code == 200
    assert b"<form" not in opened.content  # inside the exchange form: no nested form
    assert b'name="new_org-name"' in opened.content

    data = {
        "new_org-field": "visiting_organisation",
        "new_org-target": "id_visiting_organisation",
        "new_org-name": "高雄市長照協會",
        "new_org-kind": "association",
        "new_org-place": str(world.taipei.pk),
        "new_org-place_q": "",
        "title": "exchange fields are posted too and ignored",
    }
    bad = client.post(add, data | {"new_org-name": ""}, **htmx)
    assert bad.status_code == 200  # shown in place (HTMX swaps only a 2xx)
    assert b"errorlist" in bad.content
    created = client.post(add, data, **htmx)
    org = Organisation.objects.get(name="高雄市長照協會")
    body = created.content.decode()
    assert created["HX-Reswap"] == "none"
    assert 'id="id_visiting_organisation_box" hx-swap-oob="true"' in body
    assert f'name="visiting_organisation" value="{org.pk}"' in body


def test_inline_targets_are_plain_identifiers(world):
    client = _page(world, HAIDIAN)
    response = client.get(
        reverse("directory:organisation_add"),
        {"field": '"><script>x</script>', "target": "id_x"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"<script>x" not in response.content  # the whole page's form instead
