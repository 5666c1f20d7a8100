import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.urls import reverse
from django.utils import translation

from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import Attachment
from tests import factories
from tests.factories import PairingWorld as World

from .conftest import MODEL_BACKEND

PNG = factories.png()


@pytest.mark.django_db
def test_unread_counts_per_user(make_user):
    world = World()
    beijing, taipei = make_user("beijing"), make_user("taipei")
    services.post_message(thread=world.pairing, author=beijing, body="欢迎再来北京")
    services.post_message(thread=world.pairing, author=beijing, body="社区文化小院开放了")
    assert selectors.unread_counts(taipei, [world.pairing]) == {world.pairing.pk: 2}
    assert selectors.unread_counts(beijing, [world.pairing]) == {}
    services.mark_read(user=taipei, thread=world.pairing)
    assert selectors.unread_counts(taipei, [world.pairing]) == {}
    services.post_message(thread=world.pairing, author=beijing, body="再见")
    assert selectors.unread_in(taipei, world.pairing) == 1


@pytest.mark.django_db
def test_message_shown_in_readers_script(make_user):
    world = World()
    services.post_message(thread=world.pairing, author=make_user(), body="社区养老服务很好")
    message = selectors.thread_messages(world.pairing)[0]
    assert message.body == "社区养老服务很好"
    template = engines["django"].from_string("{{ m.body|script }}")
    with translation.override("zh-hant"):
        assert template.render({"m": message}) == "社區養老服務很好"


@pytest.mark.django_db
def test_empty_message_refused(make_user):
    world = World()
    with pytest.raises(ValidationError) as exc:
        services.post_message(thread=world.pairing, author=make_user(), body="  ")
    assert "body" in exc.value.error_dict


@pytest.mark.django_db
def test_attachment_of_allowed_type_kept(make_user):
    world = World()
    upload = SimpleUploadedFile("小院.png", PNG, content_type="image/png")
    message = services.post_message(
        thread=world.pairing, author=make_user(), body="照片", attachments=[upload]
    )
    attachment = Attachment.objects.get(message=message)
    assert attachment.original_name == "小院.png"
    assert attachment.content_type == "image/png"
    # Issue 9: an image is stored as we re-encoded it (a real image is required).
    assert attachment.size == attachment.file.size
    with attachment.file.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_attachment_wrong_type_refused(make_user):
    world = World()
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.post_message(
            thread=world.pairing, author=make_user(), body="x", attachments=[upload]
        )
    assert "attachments" in exc.value.error_dict


@pytest.mark.django_db
def test_attachment_content_must_match_name(make_user):
    world = World()
    upload = SimpleUploadedFile(
        "fake.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        services.post_message(
            thread=world.pairing, author=make_user(), body="x", attachments=[upload]
        )


@pytest.mark.django_db
def test_attachment_too_large_refused(make_user, settings):
    settings.CIVICBRIDGE_ATTACHMENT_MAX_BYTES = 16
    world = World()
    upload = SimpleUploadedFile("big.png", PNG, content_type="image/png")
    with pytest.raises(ValidationError):
        services.post_message(
            thread=world.pairing, author=make_user(), body="x", attachments=[upload]
        )


@pytest.mark.django_db(transaction=True)
def test_email_notice_only_to_opted_in_followers(make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = World()
    author, keen, silent = make_user("author"), make_user("keen"), make_user("silent")
    for user in (keen, silent):
        services.join_channel(user=user, thread=world.pairing)
    services.set_notification_preference(user=keen, email_messages=True)
    services.set_notification_preference(user=author, email_messages=True)
    mail.outbox.clear()
    services.post_message(thread=world.pairing, author=author, body="下月回访")
    assert [m.to for m in mail.outbox] == [["keen@example.org"]]
    assert "下月回访" in mail.outbox[0].body


@pytest.mark.django_db
def test_thread_page_marks_read(client, make_user):
    world = World()
    writer, reader = make_user("writer"), make_user("reader")
    services.post_message(thread=world.pairing, author=writer, body="你好")
    client.force_login(reader, backend=MODEL_BACKEND)
    url = reverse("pairings:messages", args=[world.pairing.pk])
    first = client.get(url)
    assert first.context["unread"] == 1
    assert client.get(url).context["unread"] == 0


@pytest.mark.django_db
def test_post_message_with_attachment_through_page(client, make_user):
    # Written by a member of 阜四社区 for its own side (issue 9, hole 11: an administrator
    # has no side to write for, as this test had it before).
    world = World()
    signed_in = client
    signed_in.force_login(
        make_user("fusi", role="community_member", place=world.community), backend=MODEL_BACKEND
    )
    url = reverse("pairings:messages", args=[world.pairing.pk])
    upload = SimpleUploadedFile("a.txt", "议程".encode(), content_type="text/plain")
    response = signed_in.post(
        url, {"body": "附上议程", "author_place": str(world.community.pk), "attachments": [upload]}
    )
    assert response.status_code == 302
    message = selectors.thread_messages(world.pairing)[0]
    assert message.author_place == world.community
    download = signed_in.get(reverse("pairings:attachment", args=[message.attachments.get().pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "议程".encode()


@pytest.mark.django_db
def test_exchange_thread(signed_in):
    world = World()
    url = reverse("pairings:exchange_messages", args=[world.exchange.pk])
    assert signed_in.post(url, {"body": "行程已更新"}).status_code == 302
    assert [m.body for m in selectors.thread_messages(world.exchange)] == ["行程已更新"]
