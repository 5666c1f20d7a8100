"""The API of pairings of any kind, batches, agreements and alliances: list, detail, create,
update, the same services and rules as the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civicbridge.accounts.services import create_token
from civicbridge.pairings import services
from civicbridge.pairings.models import Agreement, Alliance, Pairing, PairingBatch
from tests.factories import make_user, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

DAY = dt.date(2018, 6, 11)


def api_of(user) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {create_token(user=user, label='t', read_only=False)[1]}"
    )


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_pairings_with_organisation_parties(links):
    organiser = api_of(links.inside)
    body = {
        "organisation_a_id": links.care_centre.pk,
        "place_b_id": links.li.pk,
        "kind": "agreement",
        "status": "planned",
        "started_on": "2018-06-11",
        "exchange_id": links.exchange.pk,
    }
    assert post(api_of(links.viewer), "/api/v1/pairings", body).status_code == 403
    response = post(organiser, "/api/v1/pairings", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["organisation_a_id"], data["place_a_id"], data["place_b_id"]) == (
        links.care_centre.pk,
        None,
        links.li.pk,
    )
    assert (data["kind"], data["status"], data["origin"]) == ("agreement", "planned", "direct")
    # Found by the organisation's place, its kind, its status.
    for query in (
        f"place={links.hongkou.pk}",
        f"organisation={links.care_centre.pk}",
        "kind=agreement",
        "status=planned",
        f"exchange={links.exchange.pk}",
    ):
        listed = organiser.get(f"/api/v1/pairings?{query}").json()["items"]
        assert [p["id"] for p in listed] == [data["id"]], query
    assert organiser.get("/api/v1/pairings?kind=honorary").json()["items"] == []
    changed = patch(
        organiser,
        f"/api/v1/pairings/{data['id']}",
        {"version": 1, "status": "held", "note": "签约"},
    )
    assert (changed.status_code, changed.json()["status"], changed.json()["version"]) == (
        200,
        "held",
        2,
    )
    stale = patch(organiser, f"/api/v1/pairings/{data['id']}", {"version": 1, "status": "held"})
    assert stale.status_code == 409
    refused = patch(
        api_of(links.outside), f"/api/v1/pairings/{data['id']}", {"version": 2, "note": "x"}
    )
    assert refused.status_code == 403
    both = post(organiser, "/api/v1/pairings", body | {"place_a_id": links.street.pk})
    assert (both.status_code, list(both.json()["errors"])) == (422, ["place_a"])


def test_a_batch_through_the_api(links):
    organiser = api_of(links.inside)
    body = {
        "description": "六个居委会与六个里结对",
        "count": 6,
        "district_a_ids": [d.pk for d in links.districts_a],
        "district_b_ids": [d.pk for d in links.districts_b],
        "started_on": "2018-06-11",
        "exchange_id": links.exchange.pk,
    }
    assert post(api_of(links.viewer), "/api/v1/pairing-batches", body).status_code == 403
    created = post(organiser, "/api/v1/pairing-batches", body)
    assert created.status_code == 201, created.content
    batch = created.json()
    assert (batch["still_to_name"], batch["pairing_ids"], len(batch["district_a_ids"])) == (
        6,
        [],
        4,
    )
    url = f"/api/v1/pairing-batches/{batch['id']}"
    for i in range(6):
        named = post(
            organiser,
            f"{url}/pairings",
            {"place_a_id": links.communities[i].pk, "place_b_id": links.lis[i].pk},
        )
        assert (named.status_code, named.json()["batch_id"]) == (201, batch["id"])
        assert organiser.get(url).json()["still_to_name"] == 5 - i
    seventh = post(
        organiser, f"{url}/pairings", {"place_a_id": links.street.pk, "place_b_id": links.li.pk}
    )
    assert seventh.status_code == 422
    assert len(organiser.get(f"/api/v1/pairings?batch={batch['id']}").json()["items"]) == 6
    changed = patch(organiser, url, {"version": organiser.get(url).json()["version"], "count": 8})
    assert (changed.status_code, changed.json()["still_to_name"]) == (200, 2)
    listed = organiser.get(f"/api/v1/pairing-batches?exchange={links.exchange.pk}").json()
    assert [b["id"] for b in listed["items"]] == [batch["id"]]
    missing = post(organiser, "/api/v1/pairing-batches", body | {"district_a_ids": [999999]})
    assert missing.status_code == 422
    assert PairingBatch.objects.count() == 1


def test_an_agreement_through_the_api(links):
    organiser = api_of(links.inside)
    body = {
        "subject": "长者照护交流合作协议",
        "kind": "exchange",
        "parties": [
            {"organisation_id": links.care_centre.pk},
            {"organisation_id": links.elders.pk},
            {"place_id": links.street.pk},
            {"place_id": links.li.pk},
        ],
        "signatories": [
            {"person_id": links.signer.pk, "title": "主任", "party_index": 2},
            {"wording": "陈理事长", "title": "理事长", "party_index": 1},
        ],
        "signed_on": "2018-06-11",
        "activity_id": links.signing.pk,
    }
    assert post(api_of(links.viewer), "/api/v1/agreements", body).status_code == 403
    one = post(
        organiser, "/api/v1/agreements", body | {"parties": body["parties"][:1], "signatories": []}
    )
    assert (one.status_code, list(one.json()["errors"])) == (422, ["parties"])
    created = post(organiser, "/api/v1/agreements", body)
    assert created.status_code == 201, created.content
    agreement = created.json()
    assert agreement["exchange_id"] == links.exchange.pk
    assert [p["organisation_id"] for p in agreement["parties"]][:2] == [
        links.care_centre.pk,
        links.elders.pk,
    ]
    assert [s["party_id"] for s in agreement["signatories"]] == [
        agreement["parties"][2]["id"],
        agreement["parties"][1]["id"],
    ]
    assert agreement["document_url"] == ""
    url = f"/api/v1/agreements/{agreement['id']}"
    upload = SimpleUploadedFile("协议.pdf", pdf(), content_type="application/pdf")
    assert api_of(links.outside).post(f"{url}/document", {"document": upload}).status_code == 403
    upload = SimpleUploadedFile("协议.pdf", pdf(), content_type="application/pdf")
    stored = organiser.post(f"{url}/document", {"document": upload})
    assert stored.status_code == 200, stored.content
    assert (stored.json()["document_name"], stored.json()["document_type"]) == (
        "协议.pdf",
        "application/pdf",
    )
    assert stored.json()["document_url"].endswith(f"/agreements/{agreement['id']}/document/file")
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    assert organiser.post(f"{url}/document", {"document": bad}).status_code == 422
    version = organiser.get(url).json()["version"]
    changed = patch(organiser, url, {"version": version, "status": "cancelled"})
    assert (changed.status_code, changed.json()["status"]) == (200, "cancelled")
    for query in (f"place={links.hongkou.pk}", f"organisation={links.elders.pk}"):
        listed = organiser.get(f"/api/v1/agreements?{query}").json()["items"]
        assert [a["id"] for a in listed] == [agreement["id"]]
    assert Agreement.objects.count() == 1


def test_an_alliance_through_the_api(links):
    organiser = api_of(links.inside)
    body = {
        "name": "沪台社区长者服务联盟",
        "members": [
            {"organisation_id": links.care_centre.pk, "founder": True},
            {"wording": "某长青会", "joined_on": "2018-07-01"},
        ],
        "launched_on": "2018-06-11",
        "exchange_id": links.exchange.pk,
        "pledges": "每年互访一次",
    }
    assert post(api_of(links.viewer), "/api/v1/alliances", body).status_code == 403
    created = post(organiser, "/api/v1/alliances", body)
    assert created.status_code == 201, created.content
    alliance = created.json()
    assert [(m["founder"], m["joined_on"]) for m in alliance["members"]] == [
        (True, "2018-06-11"),
        (False, "2018-07-01"),
    ]
    url = f"/api/v1/alliances/{alliance['id']}"
    joined = post(organiser, f"{url}/members", {"place_id": links.li.pk})
    assert (joined.status_code, joined.json()["place_id"]) == (201, links.li.pk)
    again = post(organiser, f"{url}/members", {"place_id": links.li.pk})
    assert again.status_code == 422
    assert post(api_of(links.outside), f"{url}/members", {"wording": "x"}).status_code == 403
    version = organiser.get(url).json()["version"]
    changed = patch(organiser, url, {"version": version, "name": "沪台联盟"})
    assert (changed.status_code, changed.json()["name"]) == (200, "沪台联盟")
    listed = organiser.get(f"/api/v1/alliances?place={links.li.pk}").json()["items"]
    assert [a["id"] for a in listed] == [alliance["id"]]
    assert Alliance.objects.get().members.count() == 3


def test_reads_need_a_reader(links):
    services.record_pairing(kind="friendly", place_a=links.street, place_b=links.li, started_on=DAY)
    nobody = api_of(make_user("nobody_api", role=None))
    for url in (
        "/api/v1/pairings",
        "/api/v1/pairing-batches",
        "/api/v1/agreements",
        "/api/v1/alliances",
    ):
        assert nobody.get(url).status_code == 403, url
    assert api_of(links.viewer).get("/api/v1/pairings").json()["count"] == Pairing.objects.count()


def test_an_appointment_without_a_certificate_through_the_api(links):
    response = post(
        api_of(links.inside),
        "/api/v1/appointments",
        {
            "person_id": links.signer.pk,
            "community_id": links.communities[0].pk,
            "person_place_id": links.li.pk,
            "appointed_on": "2018-06-11",
            "certificate": False,
        },
    )
    assert response.status_code == 201, response.content
    assert (response.json()["certificate_year"], response.json()["certificate_number"]) == (
        None,
        "",
    )
    pairing = Pairing.objects.get(pk=response.json()["pairing_id"])
    assert (pairing.kind, pairing.origin) == ("honorary", "appointment")
