import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.core.models import UserPreference
from civicbridge.directory import services as directory
from civicbridge.directory.models import OrganisationKind
from civicbridge.pairings import services
from civicbridge.pairings.models import CommitmentStatus, NotificationPreference
from tests.factories import PairingWorld as World


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_pairing_list_query_count_does_not_grow(signed_in, make_user):
    url = reverse("pairings:list")
    World(1)
    signed_in.get(url)  # warm caches (names, sessions)
    few = _queries(signed_in, url)
    for n in range(2, 8):
        world = World(n)
        services.post_message(thread=world.pairing, author=make_user(f"u{n}"), body="你好")
        services.create_commitment(
            title="回访",
            pairing=world.pairing,
            owner_person=world.chief,
            due_on=dt.date(2020, 1, 1),
        )
    signed_in.get(url)  # the new names rebuild the script-conversion table once
    many = _queries(signed_in, url)
    assert many == few


@pytest.mark.django_db
def test_pairing_list_sorted_quiet_first(signed_in, make_user):
    quiet, active = World(1), World(2)
    services.post_message(thread=active.pairing, author=make_user("w"), body="近况")
    response = signed_in.get(reverse("pairings:list"), {"sort": "health"})
    rows = response.context["rows"]
    assert [h.pairing for h in rows] == [quiet.pairing, active.pairing]
    assert rows[0].is_quiet is True
    assert rows[1].is_quiet is False
    assert rows[1].unread == 1


@pytest.mark.django_db
def test_pairing_detail_query_count_does_not_grow(signed_in, make_user):
    world = World()
    url = reverse("pairings:detail", args=[world.pairing.pk])
    services.post_message(thread=world.pairing, author=make_user("first"), body="第一条")
    services.create_commitment(title="事项", pairing=world.pairing, owner_person=world.chief)
    signed_in.get(url)
    few = _queries(signed_in, url)
    for n in range(5):
        services.post_message(thread=world.pairing, author=make_user(f"u{n}"), body=f"第{n}条")
        services.create_commitment(
            title=f"事项{n}", pairing=world.pairing, owner_person=world.chief
        )
    assert _queries(signed_in, url) == few


@pytest.mark.django_db
def test_commitment_status_change_keeps_history(signed_in):
    world = World()
    commitment = services.create_commitment(
        title="互访", pairing=world.pairing, owner_person=world.chief
    )
    url = reverse("pairings:commitment", args=[commitment.pk])
    response = signed_in.post(
        url, {"status": CommitmentStatus.IN_PROGRESS, "note": "已联系", "version": 1}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert list(commitment.events.values_list("status", "note")) == [
        ("open", ""),
        ("in_progress", "已联系"),
    ]
    stale = signed_in.post(url, {"status": CommitmentStatus.DONE, "note": "", "version": 1})
    assert stale.status_code == 400


@pytest.mark.django_db
def test_overdue_commitments_listed_for_owner_organisation(signed_in):
    world = World()
    office = directory.create_organisation(
        name="海淀区台办", kind=OrganisationKind.GOVERNMENT_OFFICE, place=world.haidian
    )
    services.create_commitment(
        title="建立常态化的互访机制和沟通渠道",
        owner_organisation=office,
        exchange=world.exchange,
        due_on=dt.date(2017, 4, 22),
    )
    services.create_commitment(
        title="别人的事",
        pairing=world.pairing,
        owner_person=world.chief,
        due_on=dt.date(2017, 1, 1),
    )
    response = signed_in.get(reverse("pairings:commitments") + f"?organisation={office.pk}")
    html = response.content.decode()
    assert [c.title for c in response.context["overdue"]] == ["建立常态化的互访机制和沟通渠道"]
    assert "别人的事" not in html


@pytest.mark.django_db
def test_commitment_from_pairing_page(signed_in):
    world = World()
    response = signed_in.post(
        reverse("pairings:pairing_commitment_new", args=[world.pairing.pk]),
        {
            "title": "明年回访",
            "owner_person": str(world.chief.pk),
            "due_on": "2027-06-30",
        },
    )
    assert response.status_code == 302
    commitment = world.pairing.commitments.get()
    assert commitment.owner_person == world.chief
    assert commitment.events.count() == 1


@pytest.mark.django_db
def test_exchange_page_has_appointments_and_commitments_sections(signed_in):
    world = World()
    services.create_commitment(
        title="互访", exchange=world.exchange, owner_organisation=world.association
    )
    html = signed_in.get(reverse("exchanges:detail", args=[world.exchange.pk])).content.decode()
    assert 'id="section-appointments"' in html
    assert 'id="section-commitments"' in html
    assert world.appointment.certificate_number in html
    assert "互访" in html


@pytest.mark.django_db
def test_record_appointment_from_exchange_page_issues_number(signed_in):
    world = World()
    other_li_chief = directory.create_person(name="林正達", home_place=world.li)
    response = signed_in.post(
        reverse("pairings:exchange_appointment_new", args=[world.exchange.pk]),
        {
            "person": str(other_li_chief.pk),
            "person_q": "林正達",
            "community": str(world.community.pk),
            "community_q": "阜四社区",
            "person_place": "",
            "person_place_q": "",
            "activity": str(world.visit.pk),
            "appointed_on": "2016-04-22",
            "title": "荣誉主任",
            "certificate_number": "",
        },
    )
    assert response.status_code == 302
    appointment = other_li_chief.appointments.get()
    assert appointment.certificate_number.endswith("-2016-002")
    assert appointment.pairing == world.pairing


@pytest.mark.django_db
def test_record_appointment_error_shown_next_to_field(signed_in):
    world = World()
    response = signed_in.post(
        reverse("pairings:exchange_appointment_new", args=[world.exchange.pk]),
        {
            "person": str(world.chief.pk),
            "community": str(world.community.pk),
            "appointed_on": "2016-05-01",
            "title": "荣誉主任",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "appointed_on" in response.context["form"].errors


@pytest.mark.django_db
def test_notifications_preference_saved(signed_in):
    response = signed_in.post(reverse("pairings:notifications"), {"email_messages": "on"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=signed_in.user).email_messages is True


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_pairings_pages_render_one_h1_each_language(signed_in, language):
    world = World()
    commitment = services.create_commitment(
        title="互访", pairing=world.pairing, owner_person=world.chief
    )
    UserPreference.objects.create(user=signed_in.user, language=language)
    urls = [
        reverse("pairings:list"),
        reverse("pairings:detail", args=[world.pairing.pk]),
        reverse("pairings:messages", args=[world.pairing.pk]),
        reverse("pairings:return_visit", args=[world.pairing.pk]),
        reverse("pairings:pairing_commitment_new", args=[world.pairing.pk]),
        reverse("pairings:commitments"),
        reverse("pairings:commitments") + f"?organisation={world.association.pk}",
        reverse("pairings:commitment", args=[commitment.pk]),
        reverse("pairings:exchange_messages", args=[world.exchange.pk]),
        reverse("pairings:notifications"),
        reverse("pairings:exchange_appointment_new", args=[world.exchange.pk]),
    ]
    for url in urls:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url
    if language == "zh-hant":
        html = signed_in.get(reverse("pairings:detail", args=[world.pairing.pk])).content.decode()
        assert "阜四社區" in html
