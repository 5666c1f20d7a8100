"""Pairings of imported places (the demo's, from the national directory): their paths are
primary keys like those of places added by hand (tests/factories.py ``PairingWorld``), so a return
visit can be proposed from them and their health counts the visits."""

import datetime as dt

import pytest
from django.urls import reverse

from civicbridge.exchanges.models import ExchangeStatus
from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import Pairing

TODAY = dt.date(2016, 6, 1)
# The li whose appointing community the delegation visited (an activity held there).
VISITED = {"板溪里", "建倫里", "綠堤里", "龍田里", "大屯里", "永明里", "富光里", "玉成里"}


def _pairing(demo, li):
    return Pairing.objects.select_related("place_a", "place_b", "exchange").get(
        exchange=demo, place_b__name=li
    )


@pytest.mark.django_db
def test_return_visit_proposed_from_a_demo_pairing_succeeds(demo):
    pairing = _pairing(demo, "大屯里")

    draft = services.propose_return_visit(pairing=pairing, start_date=dt.date(2027, 3, 1))

    assert draft.status == ExchangeStatus.PLANNED
    # The former host community's municipality visits the li's city (北京市 is a province
    # over a hidden 市辖区 level in the national codes).
    assert (draft.visiting_place.code, draft.host_place.code) == ("11", "63000")
    assert draft.visiting_organisation.place == pairing.place_a
    assert draft.timezone == "Asia/Taipei"


@pytest.mark.django_db
def test_return_visit_page_of_a_demo_pairing_redirects_to_the_draft(demo, signed_in):
    pairing = _pairing(demo, "板溪里")

    response = signed_in.post(
        reverse("pairings:return_visit", args=[pairing.pk]),
        {"start_date": "2027-03-01", "end_date": "2027-03-03", "title": ""},
    )

    assert response.status_code == 302
    draft = pairing.place_a.organisations.get(kind="community_committee").visits_made.get()
    assert (draft.start_date, draft.host_place.name) == (dt.date(2027, 3, 1), "臺北市")


@pytest.mark.django_db
def test_pairing_health_counts_the_demo_visits(demo):
    pairings = list(
        Pairing.objects.filter(exchange=demo).select_related("place_a", "place_b").order_by("pk")
    )

    health = {h.pairing.place_b.name: h for h in selectors.health_of(pairings, today=TODAY)}

    # A li's chief came with the delegation (a visiting member from place_b); where the
    # itinerary holds an activity at the appointing community (place_a), that is a visit
    # from the li to the community. The four other communities were only the appointers.
    visited = {li: (h.visits_b_to_a, h.visits_a_to_b) for li, h in health.items()}
    assert visited == {li: (1, 0) if li in VISITED else (0, 0) for li in health}
    assert {li: (h.last_contact, h.last_contact_kind) for li, h in health.items()} == {
        li: (dt.date(2016, 4, 22), "activity" if li in VISITED else "appointment") for li in health
    }
    assert len(health) == 12
