import datetime as dt

import pytest
from django.template import engines
from django.utils import timezone

from civicbridge.directory import services as directory
from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import Pairing
from tests.factories import PairingWorld as World


@pytest.mark.django_db
def test_appoint_creates_pairing_of_li_and_community():
    world = World()
    assert world.pairing.place_a == world.community
    assert world.pairing.place_b == world.li
    assert world.pairing.origin == Pairing.Origin.APPOINTMENT
    assert world.appointment.person_place == world.li


@pytest.mark.django_db
def test_health_counts_the_visit_and_last_contact():
    world = World()
    health = selectors.health_of([world.pairing], today=dt.date(2016, 6, 1))[0]
    assert health.last_contact == dt.date(2016, 4, 22)
    assert health.visits_b_to_a == 1
    assert health.visits_a_to_b == 0


@pytest.mark.django_db
def test_pairing_quiet_after_threshold_not_before(settings):
    settings.CIVICBRIDGE_QUIET_MONTHS = 12
    world = World()
    before = selectors.health_of([world.pairing], today=dt.date(2017, 4, 21))[0]
    on_the_day = selectors.health_of([world.pairing], today=dt.date(2017, 4, 22))[0]
    assert before.is_quiet is False
    assert on_the_day.is_quiet is True


@pytest.mark.django_db
def test_pairing_quiet_threshold_configurable(settings):
    settings.CIVICBRIDGE_QUIET_MONTHS = 3
    world = World()
    assert selectors.health_of([world.pairing], today=dt.date(2016, 7, 21))[0].is_quiet is False
    assert selectors.health_of([world.pairing], today=dt.date(2016, 7, 22))[0].is_quiet is True


@pytest.mark.django_db
def test_pairing_message_resets_quiet(settings, make_user):
    settings.CIVICBRIDGE_QUIET_MONTHS = 12
    world = World()
    services.post_message(thread=world.pairing, author=make_user(), body="你好")
    health = selectors.health_of([world.pairing])[0]
    assert health.last_contact == timezone.localdate()
    assert health.last_contact_kind == "message"
    assert health.is_quiet is False


@pytest.mark.django_db
def test_overdue_commitment_counted(make_user):
    world = World()
    services.create_commitment(
        title="建立常态化的互访机制",
        pairing=world.pairing,
        owner_person=world.chief,
        due_on=dt.date(2017, 1, 1),
    )
    services.create_commitment(
        title="互赠社区刊物",
        pairing=world.pairing,
        owner_person=world.chief,
        due_on=dt.date(2030, 1, 1),
    )
    health = selectors.health_of([world.pairing], today=dt.date(2026, 11, 30))[0]
    assert health.open_commitments == 2
    assert health.overdue_commitments == 1


@pytest.mark.django_db
def test_quiet_pairings_lists_only_quiet():
    world = World()
    quiet = selectors.quiet_pairings(5, today=dt.date(2026, 11, 30))
    assert [h.pairing for h in quiet["rows"]] == [world.pairing]
    assert quiet["total"] == 1
    assert selectors.quiet_pairings(5, today=dt.date(2016, 5, 1))["rows"] == []


@pytest.mark.django_db
def test_quiet_pairings_block_renders(client):
    World()
    html = engines["django"].from_string("{% load pages %}{% quiet_pairings_block 5 %}").render({})
    assert "阜四社区" in html
    assert "板溪里" in html


@pytest.mark.django_db
def test_next_term_new_chief_is_contact_old_appointment_unchanged():
    world = World()
    old = world.appointment
    assert selectors.current_contact(world.li, dt.date(2026, 11, 30)) == world.chief
    successor = directory.create_person(name="林美玲", home_place=world.li)
    directory.add_position(
        person=successor,
        title="里長",
        place=world.li,
        start_date=dt.date(2026, 12, 25),
        end_date=dt.date(2030, 12, 24),
        source="中央選舉委員會 2026",
    )
    later = dt.date(2027, 1, 10)
    assert selectors.current_contact(world.li, later) == successor
    health = selectors.health_of([world.pairing], today=later)[0]
    assert health.contact_b.person == successor
    old.refresh_from_db()
    assert old.person == world.chief
    assert old.pairing == world.pairing
    assert old.person_place == world.li
    assert Pairing.objects.get(pk=world.pairing.pk).ended_on is None


@pytest.mark.django_db
def test_community_director_is_its_contact():
    world = World()
    director = directory.create_person(name="张主任")
    directory.add_position(
        person=director, title="主任", place=world.community, start_date=dt.date(2015, 1, 1)
    )
    health = selectors.health_of([world.pairing], today=dt.date(2026, 11, 30))[0]
    assert health.contact_a.person == director
