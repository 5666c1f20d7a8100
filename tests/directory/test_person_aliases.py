"""Other spellings of a person's name (PersonAlias: reports write 王红薇 for 王鸿薇): found by
person search, the type-ahead, the API's people list and the li-chief register; added and
removed on the person page and in the API, by those who may change the person."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civicbridge.directory import services
from civicbridge.directory.models import PersonAlias
from civicbridge.directory.resolution import resolve_li_chief
from civicbridge.directory.selectors import lookup_people, search_people
from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, build_programmes_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


@pytest.fixture
def world(request, db):
    return replayed(request, "programmes world", build_programmes_world)


def page_client(world, key: str) -> Client:
    client = Client()
    client.force_login(world.users[key], backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def api(world, key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[key]}")


def test_an_alias_is_found_by_person_search_in_either_script(world):
    assert search_people("王红薇") == []

    services.add_person_alias(person=world.wang, name="王红薇")

    assert search_people("王红薇") == [world.wang]
    assert search_people("王紅薇") == [world.wang]
    assert search_people("红薇") == [world.wang]
    assert lookup_people("王红薇") == [world.wang]
    assert search_people("王鸿薇") == [world.wang]  # the name itself still


def test_a_removed_alias_is_no_longer_found(world):
    alias = services.add_person_alias(person=world.wang, name="王红薇")
    services.remove_person_alias(alias=alias)

    assert search_people("王红薇") == []
    assert PersonAlias.objects.count() == 0


def test_a_name_change_keeps_the_alias_searchable(world):
    services.add_person_alias(person=world.wang, name="王红薇")
    services.update_person(person=world.wang, note="居委会主任")

    assert search_people("王红薇") == [world.wang]
    response = api(world, "viewer").get("/api/v1/people", {"q": "王红薇"})
    assert [p["id"] for p in response.json()["items"]] == [world.wang.pk]


def test_the_li_chief_register_accepts_a_chiefs_alias(world):
    chief = directory_chief(world)
    services.add_person_alias(person=chief, name="陳里長")

    found = resolve_li_chief(world.li, on=dt.date(2016, 4, 22), name="陳里長")

    assert (found.person, found.name_matches, found.note) == (chief, True, "")


def directory_chief(world):
    chief = services.create_person(name="陈立章", home_place=world.li)
    services.create_position(
        person=chief, title="里長", place=world.li, start_date=dt.date(2014, 12, 25)
    )
    return chief


def test_alias_is_checked(world):
    for name in ("", "\x00", "\u202e王", "x" * 201, "王鸿薇"):
        with pytest.raises(ValidationError):
            services.add_person_alias(person=world.wang, name=name)
    services.add_person_alias(person=world.wang, name="王红薇")
    with pytest.raises(ValidationError):
        services.add_person_alias(person=world.wang, name="王红薇")


def test_only_those_who_may_change_the_person_add_aliases(world):
    with pytest.raises(PermissionDenied):
        services.add_person_alias(
            person=world.wang, name="王红薇", actor=world.users["organiser_yanqing"]
        )
    alias = services.add_person_alias(
        person=world.wang, name="王红薇", actor=world.users["organiser_haidian"]
    )
    assert alias.person == world.wang


def test_person_page_shows_and_edits_aliases(world):
    client = page_client(world, "organiser_haidian")
    added = client.post(
        f"/directory/people/{world.wang.pk}/aliases/", {"name": "王红薇", "note": "新闻稿写法"}
    )
    alias = PersonAlias.objects.get(person=world.wang)
    page = client.get(f"/directory/people/{world.wang.pk}/").content.decode()
    viewer_page = page_client(world, "viewer").get(f"/directory/people/{world.wang.pk}/")
    removed = client.post(f"/directory/people/{world.wang.pk}/aliases/{alias.pk}/remove/")

    assert added.status_code == 302
    assert "Also written" in page and "王红薇" in page and "Add a spelling" in page
    assert "王红薇" in viewer_page.content.decode()
    assert "Add a spelling" not in viewer_page.content.decode()
    assert removed.status_code == 302
    assert PersonAlias.objects.count() == 0


def test_person_page_refuses_a_bad_alias_in_place_and_outsiders(world):
    bad = page_client(world, "organiser_haidian").post(
        f"/directory/people/{world.wang.pk}/aliases/", {"name": "王\u202e红薇"}
    )
    outsider = page_client(world, "organiser_yanqing").post(
        f"/directory/people/{world.wang.pk}/aliases/", {"name": "王红薇"}
    )

    assert bad.status_code == 400
    assert "Writing-direction override characters are not allowed" in bad.content.decode()
    assert outsider.status_code == 403
    assert PersonAlias.objects.count() == 0


def test_api_lists_adds_and_removes_aliases(world):
    client = api(world, "organiser_haidian")
    url = f"/api/v1/people/{world.wang.pk}/aliases"

    created = client.post(url, data=json.dumps({"name": "王红薇"}), content_type="application/json")
    listed = api(world, "viewer").get(url).json()
    refused = api(world, "organiser_yanqing").delete(f"{url}/{created.json()['id']}?version=1")
    removed = client.delete(f"{url}/{created.json()['id']}?version=1")

    assert created.status_code == 201, created.content
    assert [a["name"] for a in listed] == ["王红薇"]
    assert refused.status_code == 403
    assert removed.status_code == 204
    assert search_people("王红薇") == []


def test_api_refuses_hostile_aliases(world):
    client = api(world, "administrator")
    url = f"/api/v1/people/{world.wang.pk}/aliases"
    for body in ({"name": "\x00"}, {"name": "x" * 201}, {"name": ""}, {}):
        response = client.post(url, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 422, (body, response.content)
    assert client.get("/api/v1/people/99999999/aliases").status_code == 404
