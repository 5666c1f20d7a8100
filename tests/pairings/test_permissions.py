"""Who may read and write on the pairings pages (accounts.rules, asked by name)."""

import pytest
from django.urls import reverse

from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import CommitmentStatus
from tests.factories import PairingWorld as World
from tests.factories import h1_count

from .conftest import MODEL_BACKEND

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_in(client, make_user):
    def sign_in(username="someone", **role):
        user = make_user(username, **role)
        client.force_login(user, backend=MODEL_BACKEND)
        client.user = user
        return client

    return sign_in


def test_pairing_pages_refused_without_role(sign_in):
    world = World()
    client = sign_in(role=None)
    for url in (
        reverse("pairings:list"),
        reverse("pairings:detail", args=[world.pairing.pk]),
        reverse("pairings:messages", args=[world.pairing.pk]),
        reverse("pairings:commitments"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert h1_count(response) == 1


def test_community_member_lists_only_own_places_pairings(sign_in):
    own, other = World(), World(1)
    client = sign_in("fusi", role="community_member", place=own.community)
    response = client.get(reverse("pairings:list"))
    assert response.status_code == 200
    assert [h.pairing for h in response.context["rows"]] == [own.pairing]
    assert client.get(reverse("pairings:detail", args=[own.pairing.pk])).status_code == 200
    assert client.get(reverse("pairings:detail", args=[other.pairing.pk])).status_code == 403
    assert client.get(reverse("pairings:messages", args=[other.pairing.pk])).status_code == 403


def test_pairing_list_filter_is_one_query_not_per_row(sign_in, django_assert_max_num_queries):
    own = World()
    for n in range(1, 4):
        World(n)
    client = sign_in("fusi", role="community_member", place=own.community)
    user = client.user
    user = type(user).objects.get(pk=user.pk)
    qs = selectors.readable_pairings(user, selectors.pairings_queryset())
    with django_assert_max_num_queries(3):
        assert [p.pk for p in qs] == [own.pairing.pk]


def test_community_member_posts_on_own_pairing_only(sign_in):
    own, other = World(), World(1)
    client = sign_in("fusi", role="community_member", place=own.community)
    url = reverse("pairings:messages", args=[own.pairing.pk])
    assert client.get(url).context["can_post"] is True
    response = client.post(url, {"body": "欢迎来阜四社区", "author_place": str(own.community.pk)})
    assert response.status_code == 302
    assert [m.body for m in selectors.thread_messages(own.pairing)] == ["欢迎来阜四社区"]
    refused = client.post(reverse("pairings:messages", args=[other.pairing.pk]), {"body": "越界"})
    assert refused.status_code == 403
    assert selectors.thread_messages(other.pairing) == []


def test_viewer_reads_but_cannot_post(sign_in):
    world = World()
    client = sign_in("viewer")
    url = reverse("pairings:messages", args=[world.pairing.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert 'class="message-form"' not in page.content.decode()
    assert client.post(url, {"body": "路过"}).status_code == 403
    assert selectors.thread_messages(world.pairing) == []
    detail = client.get(reverse("pairings:detail", args=[world.pairing.pk])).content.decode()
    assert reverse("pairings:pairing_commitment_new", args=[world.pairing.pk]) not in detail
    assert reverse("pairings:return_visit", args=[world.pairing.pk]) not in detail


def test_viewer_cannot_change_commitment(sign_in):
    world = World()
    commitment = services.create_commitment(
        title="明年回访", pairing=world.pairing, owner_person=world.chief
    )
    client = sign_in("viewer")
    url = reverse("pairings:commitment", args=[commitment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    refused = client.post(url, {"status": CommitmentStatus.DONE, "note": "", "version": 1})
    assert refused.status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN
    new = reverse("pairings:pairing_commitment_new", args=[world.pairing.pk])
    assert client.get(new).status_code == 403


def test_organiser_of_the_district_changes_commitment(sign_in):
    world = World()
    commitment = services.create_commitment(
        title="明年回访", pairing=world.pairing, owner_person=world.chief
    )
    client = sign_in("haidian", role="organiser", place=world.haidian)
    response = client.post(
        reverse("pairings:commitment", args=[commitment.pk]),
        {"status": CommitmentStatus.DONE, "note": "已回访", "version": commitment.version},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE


def test_exchange_sections_hide_forms_from_viewer(sign_in):
    world = World()
    client = sign_in("viewer")
    html = client.get(reverse("exchanges:detail", args=[world.exchange.pk])).content.decode()
    assert 'id="section-appointments"' in html
    assert reverse("pairings:exchange_appointment_new", args=[world.exchange.pk]) not in html
    assert reverse("pairings:exchange_commitment_new", args=[world.exchange.pk]) not in html
    refused = client.post(
        reverse("pairings:exchange_commitment_new", args=[world.exchange.pk]),
        {"title": "互访", "owner_organisation": str(world.association.pk)},
    )
    assert refused.status_code == 403


def test_organiser_elsewhere_cannot_appoint_for_the_community(sign_in):
    world, other = World(), World(1)
    client = sign_in("elsewhere", role="organiser", place=other.haidian)
    response = client.post(
        reverse("pairings:exchange_appointment_new", args=[world.exchange.pk]),
        {
            "person": str(world.chief.pk),
            "community": str(world.community.pk),
            "appointed_on": "2016-04-22",
            "title": "荣誉主任",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert world.chief.appointments.count() == 1


def test_dashboard_quiet_pairings_only_the_members_own(sign_in):
    own, other = World(), World(1)
    client = sign_in("fusi", role="community_member", place=own.community)
    html = client.get(reverse("home")).content.decode()
    assert reverse("pairings:detail", args=[own.pairing.pk]) in html
    assert reverse("pairings:detail", args=[other.pairing.pk]) not in html
