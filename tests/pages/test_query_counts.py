"""The number of queries of every list and page of the site, pinned with literals at 1 and at
3 items: a page whose count grows with its records (a query per row) or creeps up (14 → 40)
fails here. The counts include the session, the user and their roles.

One site per size, built through the services once per session and replayed into each test
(tests/conftest.py ``replayed``): ``n`` communities of 海淀区 paired with ``n`` Taipei li by
the appointments of ``n`` li chiefs, ``n`` organisations, ``n`` exchanges, the first with
``n`` groups, members and activities (each of one group, hosted by one chief, with a gift),
``n`` messages and commitments in the first pairing, which the administrator follows.

URL paths, not URL names: the paths are the site's promise (views move between apps)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from civicbridge.accounts.services import create_token
from civicbridge.directory import services as directory
from civicbridge.directory.models import MAINLAND, TAIWAN, OrganisationKind, PlaceKind
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ActivityKind, Side
from civicbridge.pairings import services as pairings
from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, at, make_admin, make_user

pytestmark = pytest.mark.django_db

SIZES = (1, 3)


def build_site(n: int) -> dict:
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = directory.create_place(
        name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    street = directory.create_place(
        name="田村路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian
    )
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    zhongzheng = directory.create_place(
        name="中正區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    communities, lis, chiefs, organisations = [], [], [], []
    for i in range(n):
        communities.append(
            directory.create_place(
                name=f"第{i + 1}社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=street
            )
        )
        lis.append(
            directory.create_place(
                name=f"第{i + 1}里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng
            )
        )
        chief = directory.create_person(
            name=f"里长{i + 1}", home_place=lis[i], phone=f"0911{i:06d}"
        )
        directory.add_position(
            person=chief, title="里長", place=lis[i], start_date=dt.date(2014, 12, 25)
        )
        chiefs.append(chief)
        organisations.append(
            directory.create_organisation(
                name=f"臺北市第{i + 1}里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
            )
        )
    association = organisations[0]
    exchange_list = [
        exchanges.create_exchange(
            title=f"第{i + 1}次参访",
            start_date=dt.date(2016, 4, 22),
            end_date=dt.date(2016, 4, 23),
            visiting_organisation=organisations[i],
            visiting_place=taipei,
            host_place=beijing,
        )
        for i in range(n)
    ]
    exchange = exchange_list[0]
    groups = [
        exchanges.create_group(exchange=exchange, name=f"第{i + 1}组", host_place=haidian)
        for i in range(n)
    ]
    for i in range(n):
        exchanges.add_member(
            exchange=exchange, person=chiefs[i], group=groups[i], side=Side.VISITING
        )
        activity = exchanges.create_activity(
            exchange=exchange,
            kind=ActivityKind.SITE_VISIT,
            title=f"参观第{i + 1}社区",
            starts_at=at(9 + i),
            ends_at=at(10 + i),
            place=communities[i],
            groups=[groups[i]],
            hosts=[chiefs[i]],
        )
        exchanges.record_gift(
            exchange=exchange,
            activity=activity,
            giver_organisation=association,
            recipient_person=chiefs[i],
            description=f"茶叶{i + 1}",
        )
    appointments = [
        pairings.appoint(
            person=chiefs[i],
            community=communities[i],
            appointed_on=dt.date(2016, 4, 22),
            exchange=exchange,
            person_place=lis[i],
        )
        for i in range(n)
    ]
    pairing = appointments[0].pairing
    admin = make_admin()
    writer = make_user("writer", role="administrator")
    pairings.join_channel(user=admin, thread=pairing)
    for i in range(n):
        pairings.post_message(thread=pairing, author=writer, body=f"第{i + 1}条消息")
        pairings.create_commitment(
            title=f"互访{i + 1}", pairing=pairing, owner_organisation=association
        )
    return {
        "street": street,
        "person": chiefs[0],
        "organisation": association,
        "exchange": exchange,
        "group": groups[0],
        "pairing": pairing,
        "commitment": pairing.commitments.first(),
        "admin": admin,
        "token": create_token(user=admin, label="query counts", read_only=True)[1],
    }


@pytest.fixture(params=SIZES, ids=[f"{n} item{'s' * (n > 1)}" for n in SIZES])
def site(request, db):
    n = request.param
    return replayed(request, f"query-count site {n}", lambda: build_site(n)) | {"size": n}


EX = "/exchanges/{exchange}/"
DOC = "/documents/exchanges/{exchange}/"

# label: (client, path, queries at 1 item, at 3 items).
PAGES = {
    "dashboard": ("page", "/", 25, 25),
    "site search": ("page", "/search/?q=社区", 12, 12),
    "exchange list": ("page", "/exchanges/", 5, 5),
    "exchange page": ("page", EX, 23, 23),  # no roster read for conflicts without overlaps
    "group itinerary": ("page", EX + "groups/{group}/", 9, 9),
    "place index": ("page", "/directory/places/", 5, 5),
    "place page": ("page", "/directory/places/{street}/", 16, 16),
    "people": ("page", "/directory/people/", 4, 4),
    "person page": ("page", "/directory/people/{person}/", 9, 9),
    "organisations": ("page", "/directory/organisations/", 4, 4),
    "organisation page": ("page", "/directory/organisations/{organisation}/", 11, 11),
    "pairing list": ("page", "/pairings/", 11, 11),
    "pairing page": ("page", "/pairings/{pairing}/", 34, 34),
    "pairing messages": ("page", "/pairings/{pairing}/messages/", 14, 14),
    "commitments": ("page", "/pairings/commitments/", 3, 3),
    "commitment page": ("page", "/pairings/commitments/{commitment}/", 4, 4),
    "notifications": ("page", "/pairings/notifications/", 3, 3),
    "programme": ("page", DOC + "programme/", 13, 13),
    "group programme": ("page", "/documents/groups/{group}/programme/", 13, 13),
    "news brief": ("page", DOC + "brief/", 24, 24),
    "calendar": ("page", DOC + "calendar.ics", 9, 9),
    "roster (CSV)": ("page", DOC + "roster.csv", 7, 7),
    "itinerary (CSV)": ("page", DOC + "itinerary.csv", 8, 8),
    "API places": ("api", "/api/v1/places", 3, 3),
    "API people": ("api", "/api/v1/people", 4, 4),
    "API exchanges": ("api", "/api/v1/exchanges", 3, 3),
    "API groups": ("api", "/api/v1/groups", 3, 3),
    "API members": ("api", "/api/v1/members", 3, 3),
    "API activities": ("api", "/api/v1/activities", 6, 6),
    "API forums": ("api", "/api/v1/forums", 3, 3),
    "API pairings": ("api", "/api/v1/pairings", 3, 3),
    "API appointments": ("api", "/api/v1/appointments", 3, 3),
    "API commitments": ("api", "/api/v1/commitments", 3, 3),
}


def _client(site, kind) -> Client:
    if kind == "api":
        return Client(HTTP_AUTHORIZATION=f"Bearer {site['token']}")
    client = Client()
    client.force_login(site["admin"], backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("label", PAGES)
def test_queries_of_every_list_and_page(site, django_assert_num_queries, label):
    kind, path, at_1, at_3 = PAGES[label]
    client = _client(site, kind)
    path = path.format(**{key: getattr(value, "pk", value) for key, value in site.items()})
    assert client.get(path).status_code == 200  # warm caches (names, the session) first

    with django_assert_num_queries({1: at_1, 3: at_3}[site["size"]]):
        response = client.get(path)

    assert response.status_code == 200
