"""Pages at scale: the place index, a place's page, the dashboard and the lists run the same
number of queries whether a county holds 3 places or 300 (child counts come from one
grouped, indexed query per page, never a recount of the whole directory)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from civicbridge.accounts.services import assign_role
from civicbridge.directory.models import Place, PlaceKind
from tests.conftest import replayed
from tests.factories import PersonFactory, PlaceFactory


def _tree(size: int) -> dict:
    """A province › 市辖区 › district › street with ``size`` communities, ``size`` districts
    beside it, and ``size`` people living in the communities."""
    province = PlaceFactory(name="北京市", kind=PlaceKind.PROVINCE, code="11")
    municipal = PlaceFactory(
        name="市辖区", kind=PlaceKind.MUNICIPAL_DISTRICTS, parent=province, code="1101"
    )
    district = PlaceFactory(name="海淀区", kind=PlaceKind.DISTRICT, parent=municipal)
    street = PlaceFactory(name="学院路街道", kind=PlaceKind.SUBDISTRICT, parent=district)
    for n in range(size):
        PlaceFactory(name=f"第{n}区", kind=PlaceKind.DISTRICT, parent=municipal)
        community = PlaceFactory(name=f"第{n}社区", parent=street)
        PersonFactory(name=f"居民{n}", home_place=community)
    user = get_user_model().objects.create_user(username="admin")
    assign_role(user=user, role="administrator")
    client = Client()
    client.force_login(user)
    return {"province": province, "district": district, "street": street, "client": client}


@pytest.fixture(params=[3, 300], ids=["3 places", "300 places"])
def sized(request, db):
    """The tree of each size, built once per session and replayed (tests/conftest.py)."""
    size = request.param
    tree = replayed(
        request,
        f"page scale {size}",
        lambda: {key: value for key, value in _tree(size).items() if key != "client"},
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return tree | {"client": client, "size": size}


# The number of queries of each page, whatever the size (session, user, roles, the page's own).
PAGES = [
    ("place index", lambda t: "/directory/places/", 5),
    # The place pages: 1 for the programmes whose exchanges touched the place.
    ("province page", lambda t: f"/directory/places/{t['province'].pk}/", 20),
    ("street page", lambda t: f"/directory/places/{t['street'].pk}/", 21),
    ("street page 2", lambda t: f"/directory/places/{t['street'].pk}/?page=2", 21),
    ("people", lambda t: "/directory/people/", 4),
    ("organisations", lambda t: "/directory/organisations/", 3),
    # The dashboard: +4 for permits to check (1) and overdue gift registrations (3).
    ("dashboard", lambda t: "/", 18),
]


@pytest.mark.parametrize(("label", "url", "queries"), PAGES, ids=[p[0] for p in PAGES])
def test_page_runs_the_same_queries_at_3_and_300(
    sized, django_assert_num_queries, label, url, queries
):
    client = sized["client"]
    client.get(url(sized))  # warm caches (names, sessions) outside the count

    with django_assert_num_queries(queries):
        response = client.get(url(sized))

    assert response.status_code == 200


def test_a_street_page_is_paginated_with_child_counts(db):
    tree = _tree(300)
    client = tree["client"]

    first = client.get(f"/directory/places/{tree['street'].pk}/")
    province = client.get(f"/directory/places/{tree['province'].pk}/")
    index = client.get("/directory/places/")

    assert first.context["children_page"].paginator.count == 300
    assert len(first.context["children_page"].object_list) == 50
    # The province shows its districts (the 市辖区 placeholder lifted away), with counts.
    below = {p.name: p.child_count for p in province.context["children_page"].object_list}
    assert "市辖区" not in below
    assert below["海淀区"] == 1
    tree_of_beijing = index.context["trees"][0]
    assert tree_of_beijing["root"].child_count == 301
    assert next(d for d in tree_of_beijing["districts"] if d.name == "海淀区").child_count == 1
    assert Place.objects.count() == 604
