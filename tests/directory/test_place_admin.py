"""Who may add, correct, merge and retire places, and edit their aliases: through the page and
through the API, the same actors with the same outcome (one rule, accounts/rules.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from civicbridge.accounts.models import AuditEntry
from civicbridge.accounts.services import assign_role
from civicbridge.directory import services
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    OrganisationKind,
    Person,
    Place,
    PlaceAlias,
    PlaceKind,
    PlaceStatus,
    Position,
)
from civicbridge.directory.selectors import lookup_places
from tests.factories import ExchangeFactory, PersonFactory, PlaceFactory

CHANNELS = ("page", "api")


@dataclass
class Tree:
    beijing: Place
    municipal: Place
    haidian: Place
    chaoyang: Place
    street: Place
    community: Place
    duplicate: Place
    other_street: Place
    taipei: Place
    daan: Place
    clients: dict


def _user(username: str, role: str | None = None, place: Place | None = None):
    user = get_user_model().objects.create_user(username=username)  # force_login: no password
    if role:
        assign_role(user=user, role=role, place=place)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def tree(db) -> Tree:
    beijing = PlaceFactory(name="北京市", kind=PlaceKind.PROVINCE, code="11")
    municipal = PlaceFactory(
        name="市辖区", kind=PlaceKind.MUNICIPAL_DISTRICTS, parent=beijing, code="1101"
    )
    haidian = PlaceFactory(name="海淀区", kind=PlaceKind.DISTRICT, parent=municipal, code="110108")
    chaoyang = PlaceFactory(name="朝阳区", kind=PlaceKind.DISTRICT, parent=municipal, code="110105")
    street = PlaceFactory(
        name="学院路街道", kind=PlaceKind.SUBDISTRICT, parent=haidian, code="110108015"
    )
    community = PlaceFactory(name="石油大院社区居委会", parent=street, code="110108015001")
    duplicate = PlaceFactory(name="石油大院社区", parent=street, code=None)
    other_street = PlaceFactory(
        name="建外街道", kind=PlaceKind.SUBDISTRICT, parent=chaoyang, code="110105001"
    )
    taipei = PlaceFactory(name="臺北市", kind=PlaceKind.CITY, side_id=TAIWAN, code="63000")
    daan = PlaceFactory(
        name="大安區", kind=PlaceKind.DISTRICT, side_id=TAIWAN, parent=taipei, code="63000030"
    )
    clients = {
        "admin": _user("admin", "administrator"),
        "organiser": _user("org_haidian", "organiser", haidian),
        "other organiser": _user("org_chaoyang", "organiser", chaoyang),
        "taipei organiser": _user("org_taipei", "organiser", taipei),
        "viewer": _user("viewer", "viewer"),
        "nobody": _user("nobody"),
    }
    return Tree(
        beijing, municipal, haidian, chaoyang, street, community, duplicate, other_street,
        taipei, daan, clients,
    )  # fmt: skip


def _api(client, method: str, url: str, body: dict | None = None):
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


def _refresh(place: Place) -> Place:
    return Place.objects.get(pk=place.pk)


# --- the actions, through either channel ------------------------------------------------------
# Each returns True when the action was done, False when it was refused as not allowed.


def add(channel, client, *, parent: Place | None, name: str, kind: str, side: str = MAINLAND):
    if channel == "page":
        url = f"/directory/places/{parent.pk}/add/" if parent else "/directory/places/add/"
        data = {"name": name, "kind": kind, "side": side}
        response = client.post(url, data)
        assert response.status_code in (302, 403), response.content[:500]
        return response.status_code == 302
    body = {"name": name, "kind": kind, "parent_id": parent.pk if parent else None}
    if parent is None:
        body["side"] = side
    response = _api(client, "post", "/api/v1/places", body)
    assert response.status_code in (201, 403), response.content[:500]
    return response.status_code == 201


def correct(channel, client, place: Place, **fields):
    place = _refresh(place)
    if channel == "page":
        data = {
            "version": place.version,
            "name": place.name,
            "name_hans": place.name_hans,
            "name_hant": place.name_hant,
            "short_name": place.short_name,
            "code": place.code or "",
            "kind": place.kind,
            "parent": place.parent_id or "",
            "note": place.note,
        }
        data.update({k: (v.pk if isinstance(v, Place) else v) for k, v in fields.items()})
        response = client.post(f"/directory/places/{place.pk}/edit/", data)
        assert response.status_code in (302, 403), response.content[:2000]
        return response.status_code == 302
    body = {"version": place.version}
    for key, value in fields.items():
        body["parent_id" if key == "parent" else key] = (
            value.pk if isinstance(value, Place) else value
        )
    response = _api(client, "patch", f"/api/v1/places/{place.pk}", body)
    assert response.status_code in (200, 403), response.content[:500]
    return response.status_code == 200


def merge(channel, client, place: Place, into: Place):
    place = _refresh(place)
    if channel == "page":
        response = client.post(
            f"/directory/places/{place.pk}/merge/",
            {"version": place.version, "into": into.pk, "note": "twice in the list"},
        )
        assert response.status_code in (302, 403), response.content[:2000]
        return response.status_code == 302
    response = _api(
        client,
        "post",
        f"/api/v1/places/{place.pk}/merge",
        {"version": place.version, "into_id": into.pk, "note": "twice in the list"},
    )
    assert response.status_code in (200, 403), response.content[:500]
    return response.status_code == 200


def retire(channel, client, place: Place):
    place = _refresh(place)
    if channel == "page":
        response = client.post(
            f"/directory/places/{place.pk}/retire/", {"version": place.version, "note": "typo"}
        )
        assert response.status_code in (302, 403), response.content[:2000]
        return response.status_code == 302
    response = _api(client, "post", f"/api/v1/places/{place.pk}/retire", {"version": place.version})
    assert response.status_code in (200, 403), response.content[:500]
    return response.status_code == 200


def add_alias(channel, client, place: Place, name: str):
    if channel == "page":
        response = client.post(f"/directory/places/{place.pk}/aliases/", {"name": name})
        assert response.status_code in (302, 403)
        return response.status_code == 302
    response = _api(client, "post", f"/api/v1/places/{place.pk}/aliases", {"name": name})
    assert response.status_code in (201, 403), response.content[:500]
    return response.status_code == 201


def remove_alias(channel, client, alias: PlaceAlias):
    place_id = alias.place_id
    if channel == "page":
        response = client.post(f"/directory/places/{place_id}/aliases/{alias.pk}/remove/")
        assert response.status_code in (302, 403)
        return response.status_code == 302
    response = client.delete(f"/api/v1/places/{place_id}/aliases/{alias.pk}")
    assert response.status_code in (204, 403), response.content[:500]
    return response.status_code == 204


# --- adding -----------------------------------------------------------------------------------

ADD_CASES = [
    # (actor, parent attribute or None for a top-level place, kind, allowed)
    ("admin", None, PlaceKind.PROVINCE, True),
    ("organiser", None, PlaceKind.PROVINCE, False),  # was 201 through the API
    ("taipei organiser", None, PlaceKind.CITY, False),
    ("viewer", None, PlaceKind.PROVINCE, False),
    ("nobody", None, PlaceKind.PROVINCE, False),
    ("admin", "municipal", PlaceKind.DISTRICT, True),
    ("organiser", "municipal", PlaceKind.DISTRICT, False),  # county level: administrators
    ("organiser", "haidian", PlaceKind.SUBDISTRICT, True),  # a sub-unit of their district
    ("organiser", "street", PlaceKind.COMMUNITY, True),
    ("other organiser", "haidian", PlaceKind.SUBDISTRICT, False),  # not their district
    ("viewer", "haidian", PlaceKind.SUBDISTRICT, False),
    ("taipei organiser", "taipei", PlaceKind.DISTRICT, True),  # below a Taiwan city
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("actor", "parent", "kind", "allowed"), ADD_CASES)
def test_who_adds_a_place(tree, channel, actor, parent, kind, allowed):
    parent_place = getattr(tree, parent) if parent else None
    side = TAIWAN if actor == "taipei organiser" else MAINLAND
    name = f"新{kind}"

    done = add(channel, tree.clients[actor], parent=parent_place, name=name, kind=kind, side=side)

    assert done is allowed
    assert Place.objects.filter(name=name, parent=parent_place).exists() is allowed


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_top_level_place_added_by_an_administrator_is_audited(tree, channel):
    add(channel, tree.clients["admin"], parent=None, name="上海市", kind=PlaceKind.PROVINCE)

    shanghai = Place.objects.get(name="上海市")
    entry = AuditEntry.objects.get(model="directory.place", object_id=str(shanghai.pk))
    assert (entry.action, entry.username, entry.via) == ("create", "admin", channel)
    assert shanghai.path == Place.path_below(None, shanghai.pk)


# --- correcting -------------------------------------------------------------------------------

CORRECT_CASES = [
    ("admin", "haidian", True),
    ("organiser", "haidian", False),  # county level
    ("organiser", "street", True),
    ("other organiser", "street", False),
    ("viewer", "street", False),
    ("admin", "beijing", True),
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("actor", "target", "allowed"), CORRECT_CASES)
def test_who_corrects_a_place(tree, channel, actor, target, allowed):
    place = getattr(tree, target)

    done = correct(channel, tree.clients[actor], place, note="更正")

    assert done is allowed
    assert (_refresh(place).note == "更正") is allowed


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_corrected_name_is_audited_and_searchable(tree, channel):
    correct(channel, tree.clients["organiser"], tree.street, name="学院路街道办事处")

    street = _refresh(tree.street)
    assert (street.name, street.name_hant) == ("学院路街道办事处", "學院路街道辦事處")
    entry = AuditEntry.objects.filter(model="directory.place", object_id=str(street.pk)).latest(
        "pk"
    )
    assert (entry.action, entry.via) == ("update", channel)
    assert entry.after["name"] == "学院路街道办事处"


@pytest.mark.parametrize("channel", CHANNELS)
def test_moving_a_street_rewrites_the_paths_below_it(tree, channel):
    """An administrator moves 学院路街道 (with its communities) to 朝阳区."""
    done = correct(channel, tree.clients["admin"], tree.street, parent=tree.chaoyang)

    assert done is True
    street, community = _refresh(tree.street), _refresh(tree.community)
    assert street.parent_id == tree.chaoyang.pk
    assert street.path == Place.path_below(tree.chaoyang.path, street.pk)
    assert community.path == Place.path_below(street.path, community.pk)
    assert list(Place.objects.within(tree.chaoyang).order_by("pk")) == [
        tree.chaoyang,
        street,
        community,
        _refresh(tree.duplicate),
        tree.other_street,
    ]


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_organiser_cannot_move_a_street_out_of_their_district(tree, channel):
    done = correct(channel, tree.clients["organiser"], tree.street, parent=tree.chaoyang)

    assert done is False
    assert _refresh(tree.street).parent_id == tree.haidian.pk


# --- merging ----------------------------------------------------------------------------------


def _records_naming(place: Place):
    person = PersonFactory(name="王芳", home_place=place)
    services.add_position(person=person, title="主任", place=place)
    services.add_place_alias(place=place, name="石油大院")
    exchange = ExchangeFactory(host_place=place)
    return person, exchange


@pytest.mark.parametrize("channel", CHANNELS)
def test_merging_moves_aliases_and_every_record_and_keeps_the_name(tree, channel):
    person, exchange = _records_naming(tree.duplicate)
    below = PlaceFactory(name="一号院", kind=PlaceKind.OTHER, parent=tree.duplicate)

    done = merge(channel, tree.clients["organiser"], tree.duplicate, tree.community)

    assert done is True
    merged, community = _refresh(tree.duplicate), _refresh(tree.community)
    assert (merged.status, merged.merged_into_id) == (PlaceStatus.MERGED, community.pk)
    assert Person.objects.get(pk=person.pk).home_place_id == community.pk
    assert list(Position.objects.filter(person=person).values_list("place_id", flat=True)) == [
        community.pk
    ]
    exchange.refresh_from_db()
    assert exchange.host_place_id == community.pk
    assert sorted(community.aliases.values_list("name", flat=True)) == ["石油大院", "石油大院社区"]
    assert merged.aliases.count() == 0
    assert _refresh(below).parent_id == community.pk
    assert _refresh(below).path == Place.path_below(community.path, below.pk)
    # Every moved record is in the audit trail, through the channel used.
    moved = AuditEntry.objects.filter(model="directory.person", object_id=str(person.pk))
    assert moved.latest("pk").after == {"home_place": community.pk}
    assert moved.latest("pk").via == channel
    status = AuditEntry.objects.filter(model="directory.place", object_id=str(merged.pk)).latest(
        "pk"
    )
    assert status.after["status"] == "merged"
    # The merged place is found by its old name only as a spelling of the one that stays.
    assert [p.pk for p in lookup_places("石油大院社区")][:1] == [community.pk]


MERGE_CASES = [
    ("admin", True),
    ("organiser", True),
    ("other organiser", False),
    ("viewer", False),
    ("nobody", False),
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("actor", "allowed"), MERGE_CASES)
def test_who_merges_two_communities(tree, channel, actor, allowed):
    done = merge(channel, tree.clients[actor], tree.duplicate, tree.community)

    assert done is allowed
    assert (_refresh(tree.duplicate).status == PlaceStatus.MERGED) is allowed


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_organiser_cannot_merge_districts(tree, channel):
    assert merge(channel, tree.clients["organiser"], tree.chaoyang, tree.haidian) is False
    assert _refresh(tree.chaoyang).status == PlaceStatus.CURRENT


def test_merge_refuses_places_at_different_levels(tree):
    with pytest.raises(services.ValidationError) as exc:
        services.merge_place(place=tree.duplicate, into=tree.street)

    assert list(exc.value.message_dict) == ["into"]


def test_merge_refuses_a_record_that_would_exist_twice_and_changes_nothing(tree):
    """An organisation of the same name at both places would be one organisation twice at
    the place that stays (a unique constraint): the merge is refused, all or nothing."""
    for place in (tree.duplicate, tree.community):
        services.create_organisation(
            name="石油大院社区居委会", kind=OrganisationKind.COMMUNITY_COMMITTEE, place=place
        )
    person, _ = _records_naming(tree.duplicate)

    with pytest.raises(services.ValidationError) as exc:
        services.merge_place(place=tree.duplicate, into=tree.community)

    assert list(exc.value.message_dict) == ["into"]
    assert _refresh(tree.duplicate).status == PlaceStatus.CURRENT
    assert Person.objects.get(pk=person.pk).home_place_id == tree.duplicate.pk
    assert tree.duplicate.aliases.count() == 1


# --- retiring ---------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("actor", "allowed"), MERGE_CASES)
def test_who_retires_a_mistaken_community(tree, channel, actor, allowed):
    person, _ = _records_naming(tree.duplicate)

    done = retire(channel, tree.clients[actor], tree.duplicate)

    assert done is allowed
    assert (_refresh(tree.duplicate).status == PlaceStatus.RETIRED) is allowed
    # The records that name it keep it either way.
    assert Person.objects.get(pk=person.pk).home_place_id == tree.duplicate.pk


def test_a_retired_place_is_not_offered_for_new_records(tree):
    services.retire_place(place=tree.duplicate)

    assert tree.duplicate.pk not in [p.pk for p in lookup_places("石油大院社区")]
    with pytest.raises(services.ValidationError):
        services.create_place(name="一号院", kind=PlaceKind.OTHER, parent=_refresh(tree.duplicate))


def test_a_place_with_current_places_below_cannot_be_retired(tree):
    with pytest.raises(services.ValidationError) as exc:
        services.retire_place(place=tree.street)

    assert list(exc.value.message_dict) == ["status"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_organiser_cannot_retire_a_district(tree, channel):
    assert retire(channel, tree.clients["organiser"], tree.haidian) is False
    assert _refresh(tree.haidian).status == PlaceStatus.CURRENT


# --- aliases ----------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("actor", "allowed"),
    [("admin", True), ("organiser", True), ("other organiser", False), ("viewer", False)],
)
def test_who_adds_and_removes_an_alias(tree, channel, actor, allowed):
    client = tree.clients[actor]

    assert add_alias(channel, client, tree.community, "石油大院社區") is allowed
    assert tree.community.aliases.filter(name="石油大院社區").exists() is allowed
    alias = services.add_place_alias(place=tree.community, name="石油社区")
    assert remove_alias(channel, client, alias) is allowed
    assert tree.community.aliases.filter(name="石油社区").exists() is not allowed


def test_the_place_page_offers_the_actions_the_user_may_take(tree):
    organiser, viewer = tree.clients["organiser"], tree.clients["viewer"]
    url = f"/directory/places/{tree.street.pk}/"

    mine = organiser.get(url).content.decode()
    theirs = viewer.get(url).content.decode()
    district = organiser.get(f"/directory/places/{tree.haidian.pk}/").content.decode()

    assert f"/directory/places/{tree.street.pk}/edit/" in mine
    assert f"/directory/places/{tree.street.pk}/add/" in mine
    assert f"/directory/places/{tree.street.pk}/edit/" not in theirs
    assert f"/directory/places/{tree.haidian.pk}/edit/" not in district  # county level
    assert f"/directory/places/{tree.haidian.pk}/add/" in district  # its streets
