"""The pages of pairings of any kind, batches, agreements and alliances: GET and POST as
an organiser inside and outside the scope, and the batch of six pairings named one by one,
each appearing on the batch, exchange, pairing and place pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from civicbridge.pairings import services
from civicbridge.pairings.models import Agreement, Alliance, AllianceMember, Pairing, PairingBatch
from tests.factories import MODEL_BACKEND, h1_count, make_user, pdf

pytestmark = pytest.mark.django_db

DAY = dt.date(2018, 6, 11)


def client_of(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def hans(record) -> str:
    """A record's name as an English (Simplified-script) reader sees it."""
    if hasattr(record, "display_name_in"):
        return record.display_name_in("hans")
    return record.name_in("hans")


def _batch(links) -> PairingBatch:
    return services.record_pairing_batch(
        description="六个居委会与六个里结对",
        count=6,
        districts_a=links.districts_a,
        districts_b=links.districts_b,
        started_on=DAY,
        exchange=links.exchange,
    )


def _agreement(links) -> Agreement:
    return services.record_agreement(
        subject="长者照护交流合作协议",
        parties=[
            {"organisation": links.care_centre},
            {"organisation": links.elders},
            {"place": links.street},
            {"place": links.li},
        ],
        signed_on=DAY,
        activity=links.signing,
        signatories=[{"person": links.signer, "title": "主任", "party_index": 2}],
    )


def _alliance(links) -> Alliance:
    return services.launch_alliance(
        name="沪台社区长者服务联盟",
        members=[
            {"organisation": links.care_centre, "founder": True},
            {"place": links.li, "joined_on": dt.date(2018, 7, 1)},
        ],
        launched_on=DAY,
        exchange=links.exchange,
        pledges="每年互访一次",
    )


def test_the_batch_of_six_named_one_by_one(links):
    batch = _batch(links)
    organiser = client_of(links.inside)
    page = organiser.get(reverse("pairings:batch", args=[batch.pk]))
    html = page.content.decode()
    assert (page.status_code, h1_count(page)) == (200, 1)
    assert html.count("batch-slot--open") == 6
    assert "虹口区 / 黄浦区 / 嘉定区 / 闵行区" in html
    assert " / ".join(hans(d) for d in links.districts_b) in html
    exchange_url = reverse("exchanges:detail", args=[links.exchange.pk])
    for i in range(6):
        response = organiser.post(
            reverse("pairings:batch_complete", args=[batch.pk]),
            {"place_a": str(links.communities[i].pk), "place_b": str(links.lis[i].pk)},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        pairing = Pairing.objects.get(batch=batch, place_a=links.communities[i])
        html = organiser.get(reverse("pairings:batch", args=[batch.pk])).content.decode()
        assert (html.count("batch-slot--open"), html.count("batch-slot--named")) == (5 - i, i + 1)
        assert links.communities[i].name in html
        # On the exchange page, the pairing's page and both places' pages.
        assert links.communities[i].name in organiser.get(exchange_url).content.decode()
        detail = organiser.get(pairing.get_absolute_url()).content.decode()
        assert batch.description in detail
        assert f"{i + 1} of 6 named" in detail
        for place, other in (
            (links.communities[i], links.lis[i]),
            (links.lis[i], links.communities[i]),
        ):
            html = organiser.get(reverse("directory:place", args=[place.pk])).content.decode()
            assert other.name in html
    html = organiser.get(reverse("pairings:batch", args=[batch.pk])).content.decode()
    assert "Name a pairing" not in html
    refused = organiser.post(
        reverse("pairings:batch_complete", args=[batch.pk]),
        {"place_a": str(links.street.pk), "place_b": str(links.lis[0].pk)},
    )
    assert refused.status_code == 400
    assert batch.pairings.count() == 6


def test_completing_a_batch_outside_the_scope_or_outside_the_districts(links):
    batch = services.record_pairing_batch(
        description="虹口两个居委会与士林两个里",
        count=2,
        districts_a=[links.hongkou],
        districts_b=[links.districts_b[0]],
        started_on=DAY,
    )
    url = reverse("pairings:batch_complete", args=[batch.pk])
    data = {"place_a": str(links.communities[0].pk), "place_b": str(links.lis[0].pk)}
    assert client_of(links.outside).post(url, data).status_code == 403
    assert client_of(links.viewer).get(url).status_code == 403
    wrong = client_of(links.inside).post(
        url, {"place_a": str(links.communities[3].pk), "place_b": str(links.lis[1].pk)}
    )
    assert wrong.status_code == 400
    assert "does not lie within" in wrong.content.decode()
    assert client_of(links.inside).post(url, data).status_code == 302
    viewer_page = client_of(links.viewer).get(reverse("pairings:batch", args=[batch.pk]))
    assert viewer_page.status_code == 200
    assert "Name a pairing" not in viewer_page.content.decode()


def test_recording_a_batch_through_the_page(links):
    url = reverse("pairings:batch_new") + f"?exchange={links.exchange.pk}"
    organiser = client_of(links.inside)
    assert organiser.get(url).status_code == 200
    data = {
        "description": "六个居委会与六个里结对",
        "count": "6",
        "kind": "friendly",
        "status": "held",
        "districts_a": [str(d.pk) for d in links.districts_a],
        "districts_b": [str(d.pk) for d in links.districts_b],
        "started_on": "2018-06-11",
        "note": "",
    }
    response = organiser.post(url, data)
    batch = PairingBatch.objects.get()
    assert response.status_code == 302
    assert (batch.exchange, batch.districts_a.count(), batch.districts_b.count()) == (
        links.exchange,
        4,
        4,
    )
    edit = reverse("pairings:batch_edit", args=[batch.pk])
    assert client_of(links.viewer).get(edit).status_code == 403
    changed = organiser.post(
        edit, data | {"count": "7", "version": str(batch.version), "description": "七对"}
    )
    assert changed.status_code == 302
    # Outside: 闵行's organiser may not add a batch without a district or exchange of theirs.
    outside = client_of(links.outside).post(
        reverse("pairings:batch_new"),
        data | {"districts_a": [str(links.hongkou.pk)]},
    )
    assert outside.status_code == 403
    assert PairingBatch.objects.count() == 1


def test_pairing_pages_with_an_organisation_party(links):
    organiser = client_of(links.inside)
    url = reverse("pairings:pairing_new")
    assert organiser.get(url).status_code == 200
    assert client_of(links.viewer).get(url).status_code == 403
    data = {
        "kind": "agreement",
        "status": "confirmed",
        "organisation_a": str(links.care_centre.pk),
        "place_a": "",
        "place_b": str(links.li.pk),
        "organisation_b": "",
        "started_on": "2018-06-11",
        "note": "",
    }
    assert client_of(links.outside).post(url, data).status_code == 403
    response = organiser.post(url, data)
    assert response.status_code == 302
    pairing = Pairing.objects.get()
    assert (pairing.organisation_a, pairing.place_b, pairing.kind, pairing.status) == (
        links.care_centre,
        links.li,
        "agreement",
        "confirmed",
    )
    page = organiser.get(pairing.get_absolute_url())
    html = page.content.decode()
    assert (page.status_code, h1_count(page)) == (200, 1)
    assert "虹口区长者照护中心 ↔ 第1里" in html
    assert "By agreement" in html and "Confirmed" in html
    # The care centre's place (虹口区) lists it.
    place_page = organiser.get(reverse("directory:place", args=[links.hongkou.pk]))
    assert "第1里" in place_page.content.decode()
    edit = reverse("pairings:pairing_edit", args=[pairing.pk])
    assert client_of(links.outside).get(edit).status_code == 403
    both_parties = organiser.post(url, data | {"place_a": str(links.street.pk)})
    assert both_parties.status_code == 400
    changed = organiser.post(
        edit,
        {
            "kind": "friendly",
            "status": "held",
            "started_on": "2018-06-11",
            "ended_on": "",
            "note": "",
            "version": str(pairing.version),
        },
    )
    assert changed.status_code == 302
    assert Pairing.objects.get().kind == "friendly"


def test_agreement_pages(links):
    organiser = client_of(links.inside)
    url = reverse("pairings:agreement_new") + f"?exchange={links.exchange.pk}"
    assert organiser.get(url).status_code == 200
    data = {
        "subject": "长者照护交流合作协议",
        "kind": "exchange",
        "status": "held",
        "signed_on": "2018-06-11",
        "activity": str(links.signing.pk),
        "party1_organisation": str(links.care_centre.pk),
        "party2_organisation": str(links.elders.pk),
        "party3_place": str(links.street.pk),
        "party4_place": str(links.li.pk),
        "signatory1_person": str(links.signer.pk),
        "signatory1_title": "主任",
        "signatory1_party": "3",
        "signatory2_wording": "陈理事长",
        "signatory2_party": "2",
    }
    one_party = {k: v for k, v in data.items() if not k.startswith(("party2", "party3", "party4"))}
    refused = organiser.post(url, one_party | {"signatory1_party": "", "signatory2_party": ""})
    assert refused.status_code == 400
    assert "at least 2" in refused.content.decode()
    response = organiser.post(url, data)
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    page = organiser.get(agreement.get_absolute_url())
    html = page.content.decode()
    assert (page.status_code, h1_count(page)) == (200, 1)
    for text in (
        hans(links.care_centre),
        hans(links.elders),
        "虹口第一街道",
        "第1里",
        "王主任",
        "陈理事长",
        "签约仪式",
    ):
        assert text in html
    assert "for 虹口第一街道" in html
    # Shown on the exchange page and on the places' pages.
    assert (
        agreement.subject
        in organiser.get(reverse("exchanges:detail", args=[links.exchange.pk])).content.decode()
    )
    for place in (links.street, links.li, links.hongkou):
        html = organiser.get(reverse("directory:place", args=[place.pk])).content.decode()
        assert agreement.subject in html
    # The signed text: uploaded by the organiser, served behind the agreement's permission.
    upload_url = reverse("pairings:agreement_document_upload", args=[agreement.pk])
    file = SimpleUploadedFile("协议.pdf", pdf(), content_type="application/pdf")
    assert client_of(links.outside).post(upload_url, {"document": file}).status_code == 403
    file = SimpleUploadedFile("协议.pdf", pdf(), content_type="application/pdf")
    assert organiser.post(upload_url, {"document": file}).status_code == 302
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00\x00binary", content_type="application/pdf")
    assert organiser.post(upload_url, {"document": bad}).status_code == 400
    download = client_of(links.viewer).get(
        reverse("pairings:agreement_document", args=[agreement.pk])
    )
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert download["Content-Disposition"].startswith("attachment;")
    # Closing a file response ends the request: Django would close the test's database
    # connection with it (PostgreSQL then has none for the rest of the test).
    request_finished.disconnect(close_old_connections)
    try:
        download.close()
    finally:
        request_finished.connect(close_old_connections)
    assert (
        Client().get(reverse("pairings:agreement_document", args=[agreement.pk])).status_code == 302
    )
    nobody = Client()
    nobody.force_login(make_user("nobody_l", role=None), backend=MODEL_BACKEND)
    assert nobody.get(agreement.get_absolute_url()).status_code == 403


def test_agreement_edit_in_and_out_of_scope(links):
    agreement = _agreement(links)
    url = reverse("pairings:agreement_edit", args=[agreement.pk])
    data = {
        "subject": "新主题",
        "kind": "cooperation",
        "status": "held",
        "signed_on": "",
        "activity": "",
        "note": "",
        "version": str(agreement.version),
    }
    assert client_of(links.outside).post(url, data).status_code == 403
    assert client_of(links.inside).get(url).status_code == 200
    assert client_of(links.inside).post(url, data).status_code == 302
    assert Agreement.objects.get().subject == "新主题"


def test_alliance_pages(links):
    organiser = client_of(links.inside)
    url = reverse("pairings:alliance_new") + f"?exchange={links.exchange.pk}"
    assert organiser.get(url).status_code == 200
    data = {
        "name": "沪台社区长者服务联盟",
        "status": "held",
        "launched_on": "2018-06-11",
        "activity": str(links.signing.pk),
        "pledges": "每年互访一次",
        "member1_organisation": str(links.care_centre.pk),
        "member1_founder": "on",
        "member2_place": str(links.li.pk),
        "member2_joined_on": "2018-07-01",
    }
    assert client_of(links.viewer).post(url, data).status_code == 403
    assert organiser.post(url, data).status_code == 302
    alliance = Alliance.objects.get()
    assert [(str(m), m.founder, m.joined_on) for m in alliance.members.all()] == [
        ("虹口区长者照护中心", True, DAY),
        ("第1里", False, dt.date(2018, 7, 1)),
    ]
    page = organiser.get(alliance.get_absolute_url())
    html = page.content.decode()
    assert (page.status_code, h1_count(page)) == (200, 1)
    assert "每年互访一次" in html and "founding member" in html and "joined 2018-07-01" in html
    assert (
        alliance.name
        in organiser.get(reverse("exchanges:detail", args=[links.exchange.pk])).content.decode()
    )
    li_page = organiser.get(reverse("directory:place", args=[links.li.pk])).content.decode()
    assert alliance.name in li_page
    add = reverse("pairings:alliance_member_add", args=[alliance.pk])
    assert client_of(links.outside).post(add, {"place": str(links.street.pk)}).status_code == 403
    assert organiser.post(add, {"place": str(links.street.pk)}).status_code == 302
    assert organiser.post(add, {"place": str(links.street.pk)}).status_code == 400
    assert AllianceMember.objects.filter(alliance=alliance).count() == 3
    edit = reverse("pairings:alliance_edit", args=[alliance.pk])
    changed = organiser.post(
        edit,
        {
            "name": "沪台联盟",
            "status": "held",
            "launched_on": "",
            "pledges": "",
            "note": "",
            "version": str(Alliance.objects.get().version),
        },
    )
    assert changed.status_code == 302
    assert Alliance.objects.get().name == "沪台联盟"


@pytest.mark.parametrize(
    "data",
    [
        {"place_a": "abc", "place_b": "99999999999999999999"},
        {"place_a": "-1", "place_b": "\x00"},
        {"place_a_q": "\u202e" * 5000, "place_b": ""},
        {"started_on": "2018-02-31"},
        {"kind": "<script>", "note": "x" * 100_000},
    ],
)
def test_hostile_input_gets_a_form_error(links, data):
    base = {"kind": "friendly", "status": "held", "started_on": "2018-06-11"}
    response = client_of(links.inside).post(reverse("pairings:pairing_new"), base | data)
    assert response.status_code == 400
    assert Pairing.objects.count() == 0


def test_bad_ids_are_404(links):
    organiser = client_of(links.inside)
    for url in (
        reverse("pairings:batch", args=[999999]),
        reverse("pairings:agreement", args=[999999]),
        reverse("pairings:alliance", args=[999999]),
        reverse("pairings:agreement_document", args=[999999]),
        reverse("pairings:pairing_new") + "?exchange=abc",
        reverse("pairings:pairing_new") + "?exchange=999999",
    ):
        assert organiser.get(url).status_code == 404, url
    agreement = _agreement(links)
    assert (
        organiser.get(reverse("pairings:agreement_document", args=[agreement.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_pages_in_each_language(links, language):
    batch = _batch(links)
    services.complete_batch_pairing(batch=batch, place_a=links.communities[0], place_b=links.lis[0])
    agreement = _agreement(links)
    alliance = _alliance(links)
    client = client_of(links.inside, language)
    for url in (
        reverse("pairings:batch", args=[batch.pk]),
        agreement.get_absolute_url(),
        alliance.get_absolute_url(),
        batch.pairings.get().get_absolute_url(),
        reverse("pairings:pairing_new"),
        reverse("pairings:batch_new"),
        reverse("pairings:agreement_new"),
        reverse("pairings:alliance_new"),
        reverse("exchanges:detail", args=[links.exchange.pk]),
    ):
        response = client.get(url)
        assert (response.status_code, h1_count(response)) == (200, 1), url


def test_the_index_of_agreements_alliances_and_batches(links):
    batch = _batch(links)
    agreement = _agreement(links)
    alliance = _alliance(links)
    page = client_of(links.viewer).get(reverse("pairings:links"))
    html = page.content.decode()
    assert (page.status_code, h1_count(page)) == (200, 1)
    for text in (batch.description, agreement.subject, alliance.name, "0 of 6 named"):
        assert text in html
    assert "New agreement" not in html
    assert (
        "New agreement" in client_of(links.inside).get(reverse("pairings:links")).content.decode()
    )
    nobody = client_of(make_user("nobody_index", role=None))
    assert nobody.get(reverse("pairings:links")).status_code == 403
