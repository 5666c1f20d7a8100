"""Issue 9, holes 4, 8 and 11: who reads other pairings' records, revocation of e-mail
notices, and who signs a message and for which side.

The world (tests/factories.py ``build_roles_world``): ``pairing`` links a 海淀 community with 龍安里,
``other_pairing`` a 延庆 community with another li; ``community_member`` acts for the 海淀
community, ``viewer`` reads everything non-personal."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from civicbridge.accounts.models import RoleAssignment
from civicbridge.accounts.services import assign_role, link_person
from civicbridge.pairings import services
from civicbridge.pairings.models import Message
from tests.factories import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _page(world, role) -> Client:
    client = Client()
    client.force_login(world.users[role], backend=BACKEND)
    return client


def _api(world, role) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")


def _commitments(world):
    own = services.create_commitment(
        title="本社区的事",
        pairing=world.pairing,
        owner_organisation=world.association,
        due_on=world.exchange.start_date,
    )
    other = services.create_commitment(
        title="别的结对的事",
        pairing=world.other_pairing,
        owner_organisation=world.association,
        due_on=world.exchange.start_date,
    )
    return own, other


# --- hole 4: community members read only their own pairings --------------------------------


def test_hole4_api_export_is_for_administrators_only(world):
    services.post_message(thread=world.other_pairing, author=None, body="别的结对的私信")
    for role in ("community_member", "viewer", "organiser_haidian", "coordinator"):
        response = _api(world, role).get("/api/v1/export")
        assert (role, response.status_code) == (role, 403)
        assert "别的结对的私信" not in response.content.decode()
    response = _api(world, "administrator").get("/api/v1/export")
    assert response.status_code == 200
    assert "别的结对的私信" in response.content.decode()


def test_hole4_api_commitments_follow_the_pairing_read_rule(world):
    own, other = _commitments(world)
    member = _api(world, "community_member")
    listed = member.get(f"/api/v1/commitments?pairing={world.other_pairing.pk}").json()
    assert (listed["count"], listed["items"]) == (0, [])
    every = member.get("/api/v1/commitments").json()
    assert [c["id"] for c in every["items"]] == [own.pk]
    assert member.get(f"/api/v1/commitments/{other.pk}").status_code == 403
    assert member.get(f"/api/v1/commitments/{own.pk}").status_code == 200
    viewer = _api(world, "viewer").get("/api/v1/commitments").json()
    assert sorted(c["id"] for c in viewer["items"]) == sorted([own.pk, other.pk])


def test_hole4_commitment_pages_follow_the_pairing_read_rule(world):
    own, other = _commitments(world)
    member = _page(world, "community_member")
    assert member.get(reverse("pairings:commitment", args=[other.pk])).status_code == 403
    assert member.get(reverse("pairings:commitment", args=[own.pk])).status_code == 200
    listed = member.get(reverse("pairings:commitments"))
    assert [c.pk for c in listed.context["rows"]] == [own.pk]
    by_owner = member.get(reverse("pairings:commitments") + f"?organisation={world.association.pk}")
    assert [c.pk for c in by_owner.context["rows"]] == [own.pk]
    dashboard = member.get(reverse("home"))
    assert [c.pk for c in dashboard.context["commitments"]] == [own.pk]
    assert "别的结对的事" not in dashboard.content.decode()


def test_hole4_place_page_lists_only_pairings_the_reader_may_open(world):
    url = reverse("directory:place", args=[world.other_community.pk])
    member = _page(world, "community_member").get(url)
    assert member.status_code == 200
    assert member.context["pairings"] == []
    viewer = _page(world, "viewer").get(url)
    assert [row["pairing"] for row in viewer.context["pairings"]] == [world.other_pairing]
    own = _page(world, "community_member").get(
        reverse("directory:place", args=[world.community.pk])
    )
    assert [row["pairing"] for row in own.context["pairings"]] == [world.pairing]


# --- hole 8: e-mail notices only to followers who may still read the thread ---------------


def test_hole8_message_emails_skip_followers_who_lost_access(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    follower = world.users["community_member"]
    services.join_channel(user=follower, thread=world.pairing)
    services.set_notification_preference(user=follower, email_messages=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread=world.pairing, author=world.users["administrator"], body="一")
    assert [m.to for m in mail.outbox] == [[follower.email]]

    mail.outbox.clear()
    RoleAssignment.objects.filter(user=follower).delete()  # loses every role
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread=world.pairing, author=world.users["administrator"], body="二")
    assert mail.outbox == []

    # Moved to another community: the old pairing's messages stop too.
    assign_role(user=follower, role="community_member", place=world.other_community)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread=world.pairing, author=world.users["administrator"], body="三")
    assert mail.outbox == []

    # Deactivated.
    assign_role(user=follower, role="community_member", place=world.community)
    follower.is_active = False
    follower.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread=world.pairing, author=world.users["administrator"], body="四")
    assert mail.outbox == []


# --- hole 11: a message is signed by its author's person and side ---------------------------


def _li_chief(world):
    """An account of 李里长 (world.person, who lives in 龍安里), a member of the li."""
    user = get_user_model().objects.create_user("lichief", email="chief@example.tw")
    assign_role(user=user, role="community_member", place=world.li)
    link_person(user=user, person=world.person)
    return fresh(user)


def test_hole11_message_signed_by_person_and_side_not_login_name(world):
    chief = _li_chief(world)
    client = Client()
    client.force_login(chief, backend=BACKEND)
    url = reverse("pairings:messages", args=[world.pairing.pk])
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["author_place"].choices] == [str(world.li.pk)]
    assert client.post(url, {"body": "欢迎来龍安里"}).status_code == 302
    message = Message.objects.get(body="欢迎来龍安里")
    assert (message.author_person, message.author_place) == (world.person, world.li)
    html = client.get(url).content.decode()
    signature = html.split('class="message-author">', 1)[1].split("</strong>", 1)[0]
    assert "李里长" in signature
    assert "lichief" not in signature


def test_hole11_may_not_post_for_the_other_side(world):
    chief = _li_chief(world)
    client = Client()
    client.force_login(chief, backend=BACKEND)
    url = reverse("pairings:messages", args=[world.pairing.pk])
    response = client.post(url, {"body": "代表社区发言", "author_place": str(world.community.pk)})
    assert response.status_code == 400
    assert Message.objects.filter(body="代表社区发言").count() == 0
    with pytest.raises(ValidationError) as refused:
        services.post_message(
            thread=world.pairing, author=chief, body="代表社区发言", author_place=world.community
        )
    assert list(refused.value.message_dict) == ["author_place"]
    assert Message.objects.filter(body="代表社区发言").count() == 0


def test_hole11_administrator_has_no_side_to_speak_for(world):
    admin = fresh(world.users["administrator"])
    with pytest.raises(ValidationError):
        services.post_message(
            thread=world.pairing, author=admin, body="代笔", author_place=world.li
        )
    message = services.post_message(thread=world.pairing, author=admin, body="管理员通知")
    assert message.author_place is None


def test_hole11_email_notice_signed_by_person_and_side(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reader = world.users["community_member"]
    services.join_channel(user=reader, thread=world.pairing)
    services.set_notification_preference(user=reader, email_messages=True)
    chief = _li_chief(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(thread=world.pairing, author=chief, body="下月见")
    (notice,) = mail.outbox
    first_line = notice.body.splitlines()[0]
    assert first_line == "李里长，代表龙安里在“石油大院社区 ↔ 龙安里”中写道："
    assert "lichief" not in notice.body


def test_hole11_channel_api_export_keeps_the_signature(world):
    chief = _li_chief(world)
    services.post_message(thread=world.pairing, author=chief, body="存档")
    document = json.loads(_api(world, "administrator").get("/api/v1/export").content)
    (row,) = [m for m in document["messages"] if m["body"] == "存档"]
    assert (row["author_person"], row["author_place"]) == (world.person.pk, world.li.pk)
