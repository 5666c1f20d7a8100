import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicbridge.directory import services as directory
from civicbridge.directory.models import OrganisationKind
from civicbridge.exchanges.models import ExchangeStatus, Side
from civicbridge.pairings import services
from tests.factories import PairingWorld as World


@pytest.mark.django_db
def test_return_visit_draft_has_sides_reversed():
    world = World()
    director = directory.create_person(name="张主任")
    directory.add_position(
        person=director, title="主任", place=world.community, start_date=dt.date(2015, 1, 1)
    )
    draft = services.propose_return_visit(pairing=world.pairing, start_date=dt.date(2027, 3, 1))
    assert draft.status == ExchangeStatus.PLANNED
    assert world.exchange.host_place == world.beijing
    assert world.exchange.visiting_place == world.taipei
    assert draft.visiting_place == world.beijing
    assert draft.host_place == world.taipei
    assert draft.visiting_organisation.place == world.community
    assert draft.visiting_organisation.kind == OrganisationKind.COMMUNITY_COMMITTEE
    assert draft.timezone == "Asia/Taipei"
    members = {m.person: m.side for m in draft.members.select_related("person")}
    assert members == {director: Side.VISITING, world.chief: Side.HOST}


@pytest.mark.django_db
def test_return_visit_dates_in_order():
    world = World()
    with pytest.raises(ValidationError):
        services.propose_return_visit(
            pairing=world.pairing, start_date=dt.date(2027, 3, 2), end_date=dt.date(2027, 3, 1)
        )


@pytest.mark.django_db
def test_return_visit_page_creates_draft(signed_in):
    world = World()
    response = signed_in.post(
        reverse("pairings:return_visit", args=[world.pairing.pk]),
        {"start_date": "2027-03-01", "end_date": "2027-03-03", "title": ""},
    )
    assert response.status_code == 302
    draft = world.community.organisations.get().visits_made.get()
    assert draft.end_date == dt.date(2027, 3, 3)
    assert draft.title == "阜四社区回访板溪里"
