"""Pairings of any kind, batches, agreements and alliances: the services, each rule and each
error (tests/factories.py ``LinksWorld``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from civicbridge.directory import services as directory
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import Side
from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import Agreement, Appointment, Pairing, PairingKind
from tests.factories import fresh, pdf

pytestmark = pytest.mark.django_db

DAY = dt.date(2018, 6, 11)


def again(obj):
    """A record re-read."""
    return type(obj)._base_manager.get(pk=obj.pk)


def _batch(links, **changes):
    fields = {
        "description": "六个居委会与六个里结对",
        "count": 6,
        "districts_a": links.districts_a,
        "districts_b": links.districts_b,
        "started_on": DAY,
        "exchange": links.exchange,
    }
    return services.record_pairing_batch(**(fields | changes))


def _agreement(links, **changes):
    fields = {
        "subject": "长者照护交流合作协议",
        "kind": Agreement.Kind.EXCHANGE,
        "parties": [
            {"organisation": links.care_centre},
            {"organisation": links.elders},
            {"place": links.street},
            {"place": links.li},
        ],
        "signed_on": DAY,
        "activity": links.signing,
        "signatories": [
            {"person": links.signer, "title": "主任", "party_index": 2},
            {"wording": "陈理事长", "title": "理事长", "party_index": 1},
        ],
    }
    return services.record_agreement(**(fields | changes))


# --- record_pairing -------------------------------------------------------------------


def test_a_pairing_of_an_organisation_and_a_place(links):
    pairing = services.record_pairing(
        kind=PairingKind.FRIENDLY,
        organisation_a=links.care_centre,
        place_b=links.li,
        started_on=DAY,
        actor=fresh(links.inside),
    )
    assert (pairing.party_a, pairing.party_b, pairing.status) == (
        links.care_centre,
        links.li,
        "held",
    )
    assert pairing.origin == Pairing.Origin.DIRECT
    # The organisation stands for 虹口区, where it is based: health and timeline read it
    # (the exchange hosted in 虹口区, once the li took part in it).
    health = selectors.health_of([selectors.get_pairing(pairing.pk)], today=DAY)[0]
    assert health.pairing == pairing
    kinds = [e.kind for e in selectors.timeline(selectors.get_pairing(pairing.pk))]
    assert (kinds[0], "exchange" in kinds) == ("pairing", False)
    chief = directory.create_person(name="李里长", home_place=links.li)
    exchanges.add_member(
        exchange=links.exchange, person=chief, side=Side.VISITING, home_place=links.li
    )
    kinds = [e.kind for e in selectors.timeline(selectors.get_pairing(pairing.pk))]
    assert (kinds[0], "exchange" in kinds) == ("pairing", True)


def test_an_honorary_pairing_keeps_its_origin_in_step(links):
    pairing = services.record_pairing(
        kind=PairingKind.HONORARY,
        place_a=links.communities[0],
        place_b=links.li,
        started_on=DAY,
    )
    assert pairing.origin == Pairing.Origin.APPOINTMENT
    services.update_pairing(pairing=pairing, fields={"kind": PairingKind.FRIENDLY})
    assert again(pairing).origin == Pairing.Origin.DIRECT


@pytest.mark.parametrize(
    ("parties", "field"),
    [
        ({"place_a": "li"}, "place_b"),
        ({"place_b": "li"}, "place_a"),
        ({"place_a": "li", "organisation_a": "care", "place_b": "street"}, "place_a"),
        ({"place_a": "li", "place_b": "li"}, "place_b"),
        ({"organisation_a": "care", "organisation_b": "care"}, "place_b"),
    ],
)
def test_a_pairing_needs_one_party_on_each_side(links, parties, field):
    values = {"li": links.li, "street": links.street, "care": links.care_centre}
    with pytest.raises(ValidationError) as caught:
        services.record_pairing(
            kind="friendly", started_on=DAY, **{k: values[v] for k, v in parties.items()}
        )
    assert field in caught.value.message_dict


def test_a_pairing_refuses_an_unknown_kind_or_status_and_a_second_open_pairing(links):
    with pytest.raises(ValidationError) as caught:
        services.record_pairing(
            kind="sister", status="maybe", place_a=links.street, place_b=links.li, started_on=DAY
        )
    assert set(caught.value.message_dict) == {"kind", "status"}
    services.record_pairing(kind="friendly", place_a=links.street, place_b=links.li, started_on=DAY)
    with pytest.raises(ValidationError) as caught:
        services.record_pairing(
            kind="friendly", place_a=links.li, place_b=links.street, started_on=DAY
        )
    assert "place_b" in caught.value.message_dict
    services.record_pairing(
        kind="friendly",
        organisation_a=links.care_centre,
        organisation_b=links.elders,
        started_on=DAY,
    )
    with pytest.raises(ValidationError):
        services.record_pairing(
            kind="friendly",
            organisation_a=links.elders,
            organisation_b=links.care_centre,
            started_on=DAY,
        )


def test_who_may_record_a_pairing(links):
    def attempt(user, **parties):
        return services.record_pairing(
            kind="friendly", started_on=DAY, actor=fresh(user), **parties
        )

    # Inside: a party place in 虹口; an organisation party based there; the exchange's host.
    attempt(links.inside, place_a=links.street, place_b=links.li)
    attempt(links.inside, organisation_a=links.care_centre, place_b=links.lis[1])
    attempt(
        links.inside, place_a=links.communities[3], place_b=links.lis[2], exchange=links.exchange
    )
    attempt(links.admin, place_a=links.communities[3], place_b=links.lis[3])
    for user in (links.outside, links.viewer):
        with pytest.raises(PermissionDenied):
            attempt(user, place_a=links.communities[0], place_b=links.lis[4])
    with pytest.raises(PermissionDenied):
        attempt(links.inside, place_a=links.communities[3], place_b=links.lis[5])


def test_updating_a_pairing(links):
    pairing = services.record_pairing(
        kind="friendly", place_a=links.street, place_b=links.li, started_on=DAY
    )
    with pytest.raises(PermissionDenied):
        services.update_pairing(
            pairing=pairing, fields={"status": "cancelled"}, actor=fresh(links.outside)
        )
    services.update_pairing(
        pairing=pairing,
        fields={"status": "cancelled", "note": "改期"},
        expected_version=1,
        actor=fresh(links.inside),
    )
    assert (again(pairing).status, again(pairing).note, again(pairing).version) == (
        "cancelled",
        "改期",
        2,
    )
    with pytest.raises(ValidationError):  # stale
        services.update_pairing(pairing=again(pairing), fields={"note": ""}, expected_version=1)
    with pytest.raises(ValidationError) as caught:
        services.update_pairing(pairing=again(pairing), fields={"ended_on": dt.date(2000, 1, 1)})
    assert "ended_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.update_pairing(pairing=again(pairing), fields={"batch": None, "place_a": None})
    assert set(caught.value.message_dict) == {"batch", "place_a"}


# --- batches ---------------------------------------------------------------------------


def test_a_batch_is_named_one_by_one(links):
    batch = _batch(links, actor=fresh(links.inside))
    progress = selectors.batch_progress(selectors.get_batch(batch.pk))
    assert (progress.still_to_name, progress.named) == (6, [])
    for i in range(6):
        pairing = services.complete_batch_pairing(
            batch=batch,
            place_a=links.communities[i],
            place_b=links.lis[i],
            actor=fresh(links.inside),
        )
        assert (pairing.batch, pairing.kind, pairing.exchange, pairing.started_on) == (
            batch,
            "friendly",
            links.exchange,
            DAY,
        )
        assert selectors.batch_progress(selectors.get_batch(batch.pk)).still_to_name == 5 - i
    with pytest.raises(ValidationError) as caught:
        services.complete_batch_pairing(batch=batch, place_a=links.street, place_b=links.lis[0])
    assert "place_a" in caught.value.message_dict
    assert batch.pairings.count() == 6


def test_a_batch_pairing_lies_within_the_districts_on_the_right_sides(links):
    batch = _batch(links, districts_a=[links.hongkou], count=2)
    with pytest.raises(ValidationError) as caught:
        services.complete_batch_pairing(
            batch=batch, place_a=links.lis[0], place_b=links.communities[0]
        )
    assert set(caught.value.message_dict) == {"place_a", "place_b"}
    with pytest.raises(ValidationError) as caught:  # 闵行 is not among this batch's districts
        services.complete_batch_pairing(
            batch=batch, place_a=links.communities[3], place_b=links.lis[0]
        )
    assert set(caught.value.message_dict) == {"place_a"}
    undated = _batch(links, started_on=None, description="另一批")
    with pytest.raises(ValidationError) as caught:
        services.complete_batch_pairing(
            batch=undated, place_a=links.communities[0], place_b=links.lis[0]
        )
    assert set(caught.value.message_dict) == {"started_on"}


def test_batch_errors_and_permissions(links):
    with pytest.raises(ValidationError) as caught:
        services.record_pairing_batch(
            description="", count=0, kind="x", districts_a=[], districts_b=[links.li]
        )
    assert set(caught.value.message_dict) == {"count", "kind", "districts_a"}
    with pytest.raises(ValidationError) as caught:
        _batch(links, districts_b=[links.hongkou])
    assert set(caught.value.message_dict) == {"districts_b"}
    with pytest.raises(PermissionDenied):
        _batch(links, districts_a=[links.minhang], exchange=None, actor=fresh(links.inside))
    with pytest.raises(PermissionDenied):
        _batch(links, actor=fresh(links.viewer))
    batch = _batch(links, districts_a=[links.minhang], actor=fresh(links.inside))  # by exchange
    with pytest.raises(PermissionDenied):
        services.complete_batch_pairing(
            batch=batch,
            place_a=links.communities[3],
            place_b=links.lis[0],
            actor=fresh(links.viewer),
        )
    services.complete_batch_pairing(
        batch=batch, place_a=links.communities[3], place_b=links.lis[0], actor=fresh(links.outside)
    )
    with pytest.raises(ValidationError) as caught:  # fewer than already named
        services.update_batch(batch=batch, fields={"count": 0})
    assert "count" in caught.value.message_dict
    services.update_batch(batch=batch, fields={"count": 3, "status": "confirmed"})
    assert (again(batch).count, again(batch).status) == (3, "confirmed")


# --- agreements ------------------------------------------------------------------------


def test_an_agreement_of_a_care_centre_an_elders_association_a_street_and_a_li(links):
    agreement = _agreement(links, actor=fresh(links.inside))
    page = selectors.agreement_page(selectors.get_agreement(agreement.pk))
    assert [str(p) for p in page["parties"]] == [
        "虹口区长者照护中心",
        "臺北市士林區長青協會",
        "虹口第一街道",
        "第1里",
    ]
    assert [(str(s), s.title, str(s.party)) for s in page["signatories"]] == [
        ("王主任", "主任", "虹口第一街道"),
        ("陈理事长", "理事长", "臺北市士林區長青協會"),
    ]
    assert (agreement.exchange, agreement.activity) == (links.exchange, links.signing)
    assert selectors.place_agreements(links.street) == [agreement]
    assert selectors.place_agreements(links.hongkou) == [agreement]  # the care centre's place


@pytest.fixture
def _in_english():
    """The services' messages as the code writes them (the default language is zh-hans)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("parties", "message"),
    [
        ([], "Name at least 2 parties."),
        ([{"place": "street"}], "Name at least 2 parties."),
        (
            [{"place": "street"}, {}],
            "Party 2: name one place, one organisation or, while it is not in the directory, how the sources name it.",
        ),
        (
            [{"place": "street"}, {"place": "li", "wording": "某里"}],
            "Party 2: name one place, one organisation or, while it is not in the directory, how the sources name it.",
        ),
        ([{"place": "street"}, {"place": "street"}], "A party is named twice."),
        ([{"place": "street"}, "li"], "Party 2 is not described."),
        ([{"place": "street"}, {"organisation": "street"}], "Party 2: not an organisation."),
    ],
)
@pytest.mark.usefixtures("_in_english")
def test_an_agreement_needs_two_parties_each_named_once(links, parties, message):
    values = {"street": links.street, "li": links.li}
    parties = [
        {k: values.get(v, v) for k, v in p.items()} if isinstance(p, dict) else p for p in parties
    ]
    with pytest.raises(ValidationError) as caught:
        _agreement(links, parties=parties, signatories=[])
    assert caught.value.message_dict["parties"] == [message]


@pytest.mark.usefixtures("_in_english")
def test_agreement_signatories_and_activity_errors(links):
    with pytest.raises(ValidationError) as caught:
        _agreement(links, signatories=[{"title": "主任"}])
    assert "signatories" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _agreement(links, signatories=[{"wording": "某人", "party_index": 9}])
    assert caught.value.message_dict["signatories"] == ["Signatory 1: no such party."]
    with pytest.raises(ValidationError) as caught:
        _agreement(links, subject="\u202e", kind="treaty", status="x")
    assert {"subject", "kind", "status"} <= set(caught.value.message_dict)


def test_who_may_record_an_agreement(links):
    street_and_li = [{"place": links.street}, {"place": links.li}]
    minhang_and_li = [{"place": links.communities[3]}, {"wording": "某里"}]
    _agreement(
        links, signatories=[], parties=street_and_li, activity=None, actor=fresh(links.inside)
    )
    with pytest.raises(PermissionDenied):
        _agreement(
            links, signatories=[], parties=minhang_and_li, activity=None, actor=fresh(links.inside)
        )
    _agreement(
        links,
        signatories=[],
        parties=minhang_and_li,
        activity=links.signing,
        actor=fresh(links.inside),
    )
    _agreement(
        links, signatories=[], parties=minhang_and_li, activity=None, actor=fresh(links.outside)
    )
    with pytest.raises(PermissionDenied):
        _agreement(links, signatories=[], parties=street_and_li, actor=fresh(links.viewer))
    agreement = _agreement(links, signatories=[], parties=street_and_li, activity=None)
    with pytest.raises(PermissionDenied):
        services.update_agreement(
            agreement=agreement, fields={"status": "cancelled"}, actor=fresh(links.outside)
        )
    services.update_agreement(
        agreement=agreement, fields={"status": "cancelled"}, actor=fresh(links.inside)
    )
    assert again(agreement).status == "cancelled"


def test_the_signed_text_is_stored_under_a_generated_name(links):
    agreement = _agreement(links)
    upload = SimpleUploadedFile("协议<script>.pdf", pdf(), content_type="text/html")
    with pytest.raises(PermissionDenied):
        services.attach_agreement_document(
            agreement=agreement, upload=upload, actor=fresh(links.outside)
        )
    services.attach_agreement_document(
        agreement=agreement, upload=upload, actor=fresh(links.inside)
    )
    agreement = again(agreement)
    assert agreement.document_type == "application/pdf"
    assert agreement.document_name == "协议<script>.pdf"
    assert agreement.document.name.startswith("agreements/")
    assert "协议" not in agreement.document.name
    with pytest.raises(ValidationError) as caught:
        services.attach_agreement_document(
            agreement=agreement,
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary", content_type="application/pdf"),
        )
    assert "document" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.attach_agreement_document(agreement=agreement, upload=None)


# --- alliances -------------------------------------------------------------------------


def test_an_alliance_with_members(links):
    alliance = services.launch_alliance(
        name="沪台社区长者服务联盟",
        members=[
            {"organisation": links.care_centre, "founder": True},
            {"place": links.street, "founder": True, "joined_on": dt.date(2018, 6, 1)},
            {"wording": "某长青会"},
        ],
        launched_on=DAY,
        activity=links.signing,
        pledges="每年互访一次",
        actor=fresh(links.inside),
    )
    page = selectors.alliance_page(selectors.get_alliance(alliance.pk))
    assert [(str(m), m.joined_on, m.founder) for m in page["members"]] == [
        ("虹口区长者照护中心", DAY, True),
        ("虹口第一街道", dt.date(2018, 6, 1), True),
        ("某长青会", DAY, False),
    ]
    assert alliance.exchange == links.exchange
    member = services.add_alliance_member(
        alliance=alliance, place=links.li, joined_on=dt.date(2019, 1, 1), actor=fresh(links.inside)
    )
    assert member.order == 3
    assert [m.alliance for m in selectors.place_alliance_memberships(links.li)] == [alliance]
    with pytest.raises(ValidationError):
        services.add_alliance_member(alliance=alliance, place=links.li)
    with pytest.raises(ValidationError):
        services.add_alliance_member(alliance=alliance)
    with pytest.raises(PermissionDenied):
        services.add_alliance_member(
            alliance=alliance, place=links.lis[1], actor=fresh(links.viewer)
        )


def test_alliance_errors_and_permissions(links):
    with pytest.raises(ValidationError) as caught:
        services.launch_alliance(name="", members=[{}], status="x")
    assert set(caught.value.message_dict) == {"name", "members", "status"}
    # Reported before its members are named: by the organisers of the exchange's host.
    named_later = services.launch_alliance(
        name="京台社区联盟", members=[], exchange=links.exchange, actor=fresh(links.inside)
    )
    assert named_later.members.count() == 0
    with pytest.raises(PermissionDenied):
        services.launch_alliance(name="京台社区联盟", members=[], actor=fresh(links.inside))
    with pytest.raises(PermissionDenied):
        services.launch_alliance(
            name="闵行联盟", members=[{"place": links.minhang}], actor=fresh(links.inside)
        )
    alliance = services.launch_alliance(
        name="闵行联盟", members=[{"place": links.minhang}], actor=fresh(links.outside)
    )
    with pytest.raises(PermissionDenied):
        services.update_alliance(alliance=alliance, fields={"name": "x"}, actor=fresh(links.inside))
    services.update_alliance(
        alliance=alliance,
        fields={"pledges": "共建", "name": "闵行社区联盟"},
        actor=fresh(links.outside),
    )
    assert (again(alliance).name, again(alliance).pledges) == ("闵行社区联盟", "共建")


# --- appointments without a certificate; the held counts -------------------------------


def test_an_appointment_without_a_certificate(links):
    chief = links.signer
    appointment = services.appoint(
        person=chief,
        community=links.communities[0],
        appointed_on=DAY,
        person_place=links.li,
        certificate=False,
        status="planned",
    )
    assert (appointment.certificate_year, appointment.certificate_number) == (None, "")
    assert appointment.pairing.kind == PairingKind.HONORARY
    assert appointment.pairing.origin == Pairing.Origin.APPOINTMENT
    second = services.appoint(
        person=chief,
        community=links.communities[0],
        appointed_on=DAY,
        person_place=links.li,
        certificate=False,
    )
    assert second.pairing == appointment.pairing
    assert list(selectors.held_appointments(Appointment.objects.all())) == [second]
    with pytest.raises(ValidationError) as caught:
        services.appoint(
            person=chief,
            community=links.communities[0],
            appointed_on=DAY,
            certificate=False,
            certificate_number="7",
        )
    assert "certificate_number" in caught.value.message_dict


def test_held_pairings_count_only_held_ones(links):
    held = services.record_pairing(
        kind="friendly", place_a=links.street, place_b=links.li, started_on=DAY
    )
    services.record_pairing(
        kind="friendly",
        place_a=links.communities[1],
        place_b=links.lis[1],
        started_on=DAY,
        status="planned",
    )
    assert list(selectors.held_pairings()) == [held]


def test_two_party_agreements_of_organisations_and_of_places(links):
    """A care centre with an elders' association; a street with a li."""
    of_organisations = services.record_agreement(
        subject="长者照护合作协议",
        parties=[{"organisation": links.care_centre}, {"organisation": links.elders}],
        signatories=[{"wording": "陈理事长", "title": "理事长", "party_index": 1}],
        actor=fresh(links.inside),
    )
    of_places = services.record_agreement(
        subject="街里交流合作协议",
        kind=Agreement.Kind.EXCHANGE,
        parties=[{"place": links.street}, {"place": links.li}],
        signed_on=DAY,
        activity=links.signing,
        actor=fresh(links.inside),
    )
    assert [str(p) for p in of_organisations.parties.all()] == [
        "虹口区长者照护中心",
        "臺北市士林區長青協會",
    ]
    assert [str(p) for p in of_places.parties.all()] == ["虹口第一街道", "第1里"]
    assert (of_organisations.exchange, of_places.exchange) == (None, links.exchange)
    assert selectors.place_agreements(links.street) == [of_places]
    assert selectors.place_agreements(links.districts_b[0]) == [of_organisations]
    # The elders' association alone (a Taipei district) is outside 闵行's organiser's scope.
    with pytest.raises(PermissionDenied):
        services.record_agreement(
            subject="x",
            parties=[{"organisation": links.elders}, {"wording": "某会"}],
            actor=fresh(links.outside),
        )
