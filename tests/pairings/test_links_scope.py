"""Pairings with organisation parties in the one read rule (``readable_pairings``,
``pairings.view_pairing``), the channel and the quiet list; hostile API bodies."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from civicbridge.accounts.services import create_token
from civicbridge.directory import services as directory
from civicbridge.directory.models import OrganisationKind
from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import Pairing
from tests.factories import fresh, make_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2018, 6, 11)


def test_an_organisation_party_brings_its_pairing_into_scope(links):
    committee = directory.create_organisation(
        name="第1居委会委员会",
        kind=OrganisationKind.COMMUNITY_COMMITTEE,
        place=links.communities[0],
    )
    theirs = services.record_pairing(
        kind="friendly", organisation_a=committee, place_b=links.li, started_on=DAY
    )
    other = services.record_pairing(
        kind="friendly", place_a=links.communities[1], place_b=links.lis[1], started_on=DAY
    )
    member = make_user("member_c1", role="community_member", place=links.communities[0])
    assert list(selectors.readable_pairings(member, Pairing.objects.order_by("id"))) == [theirs]
    assert member.has_perm("pairings.view_pairing", selectors.get_pairing(theirs.pk))
    assert not fresh(member).has_perm("pairings.view_pairing", selectors.get_pairing(other.pk))
    # The channel: the member writes, no side to sign for (the party is an organisation).
    pairing = selectors.get_pairing(theirs.pk)
    assert selectors.sides_of(member, pairing) == []
    message = services.post_message(thread=pairing, author=member, body="你好")
    assert message.author_place is None
    assert selectors.thread_title(pairing) == "第1居委会委员会 ↔ 第1里"
    # A return visit needs a place on each side: the committee stands for its community.
    exchange = services.propose_return_visit(pairing=pairing, start_date=dt.date(2019, 5, 1))
    assert exchange.status == "planned"


def test_a_planned_pairing_is_never_quiet(links):
    planned = services.record_pairing(
        kind="friendly",
        place_a=links.street,
        place_b=links.li,
        started_on=dt.date(2010, 1, 1),
        status="planned",
    )
    held = services.record_pairing(
        kind="friendly", place_a=links.communities[1], place_b=links.lis[1], started_on=DAY
    )
    today = dt.date(2024, 1, 1)
    rows = selectors.quiet_pairings(today=today)["rows"]
    assert [h.pairing for h in rows] == [held]
    assert selectors.health_of([planned], today=today)[0].is_quiet is False


@pytest.mark.urls("tests.accounts.urls")
@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/pairings", {"place_a_id": "x", "started_on": "2018-06-11"}),
        ("/api/v1/pairings", {"place_a_id": 10**30, "started_on": "2018-06-11"}),
        ("/api/v1/pairings", {"place_a_id": 1, "place_b_id": 2, "started_on": "2018-02-31"}),
        ("/api/v1/pairings", {"kind": "<script>", "started_on": "2018-06-11"}),
        ("/api/v1/pairings", {"place_a_id": 1, "note": "\x00", "started_on": "2018-06-11"}),
        ("/api/v1/pairing-batches", {"description": "x", "count": 10**9}),
        (
            "/api/v1/pairing-batches",
            {"description": "\u202e", "count": 2, "district_a_ids": [], "district_b_ids": [1]},
        ),
        ("/api/v1/agreements", {"subject": "x" * 100_000, "parties": []}),
        ("/api/v1/agreements", {"subject": "x", "parties": [{"place_id": -1}, {}]}),
        ("/api/v1/agreements", {"subject": "x", "parties": [{}, {}]}),
        ("/api/v1/alliances", {"name": "x", "members": [{"wording": "\x00"}]}),
        ("/api/v1/alliances", {"name": "x", "members": "all"}),
    ],
)
def test_hostile_api_bodies_get_a_4xx(links, url, body):
    token = create_token(user=links.admin, label="t", read_only=False)[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert 400 <= response.status_code < 500, response.content


@pytest.mark.urls("tests.accounts.urls")
def test_hostile_api_patches_get_a_4xx(links):
    pairing = services.record_pairing(
        kind="friendly", place_a=links.street, place_b=links.li, started_on=DAY
    )
    batch = services.record_pairing_batch(
        description="x", count=2, districts_a=[links.hongkou], districts_b=[links.taipei]
    )
    token = create_token(user=links.admin, label="t", read_only=False)[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for url, body in (
        (f"/api/v1/pairings/{pairing.pk}", {"version": 1, "kind": None}),
        (f"/api/v1/pairings/{pairing.pk}", {"version": 1, "started_on": None}),
        (f"/api/v1/pairings/{pairing.pk}", {"version": 1, "exchange_id": 999999}),
        (f"/api/v1/pairing-batches/{batch.pk}", {"version": 1, "count": None}),
        (f"/api/v1/pairing-batches/{batch.pk}", {"version": 1, "description": None}),
        (f"/api/v1/pairing-batches/{batch.pk}/pairings", {"place_a_id": 1}),
        ("/api/v1/pairing-batches/999999/pairings", {"place_a_id": 1, "place_b_id": 2}),
    ):
        response = client.patch(url, data=json.dumps(body), content_type="application/json")
        if url.endswith("/pairings"):
            response = client.post(url, data=json.dumps(body), content_type="application/json")
        assert 400 <= response.status_code < 500, (url, body, response.content)
    ok = client.patch(
        f"/api/v1/pairing-batches/{batch.pk}",
        data=json.dumps({"version": 1, "note": None}),
        content_type="application/json",
    )
    assert (ok.status_code, ok.json()["note"]) == (200, "")
