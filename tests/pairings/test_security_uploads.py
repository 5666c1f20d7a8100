"""Issue 9, holes 1, 3 and 9 for channel attachments: the type is detected from the content
(the client's name is only the display and download name), images are re-encoded, files
are stored under generated names and sent only by the attachment view after the thread's
read permission, as downloads unless they are images we encoded."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicbridge.accounts.services import soft_delete
from civicbridge.pairings import selectors, services
from civicbridge.pairings.models import Attachment
from tests import factories
from tests.factories import PairingWorld as World

from .conftest import MODEL_BACKEND

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^attachments/[0-9a-f]{32}\.[a-z]+$")
FILE_CSP = "default-src 'none'; sandbox"


@pytest.fixture
def sign_in(client, make_user):
    def sign_in(username="someone", **role):
        user = make_user(username, **role)
        client.force_login(user, backend=MODEL_BACKEND)
        client.user = user
        return client

    return sign_in


def attach(world, name, data, *, author=None, thread=None):
    message = services.post_message(
        thread=thread or world.pairing,
        author=author,
        body="附件",
        attachments=[SimpleUploadedFile(name, data, content_type="text/plain")],
    )
    return message.attachments.get()


def download(client, attachment):
    """The attachment view's answer, its file already read and closed."""
    response = client.get(reverse("pairings:attachment", args=[attachment.pk]))
    if response.streaming:
        response.body = b"".join(response.streaming_content)  # read to the end: closed
    return response


def content(response) -> bytes:
    return response.body


def stored(fieldfile) -> bytes:
    with fieldfile.open("rb") as handle:
        return handle.read()


def post_through_page(client, world, name, data):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(
        reverse("pairings:messages", args=[world.pairing.pk]),
        {
            "body": "附上文件",
            "author_place": str(world.community.pk),
            "attachments": [SimpleUploadedFile(name, data, content_type="text/html")],
        },
    )


# --- hole 1: stored under our name, sent with our type ----------------------------------------


def test_hole1_png_named_html_is_not_served_as_html(signed_in):
    world = World()
    assert post_through_page(signed_in, world, "x.html", factories.png()).status_code == 302
    attachment = Attachment.objects.get()
    assert GENERATED.match(attachment.file.name)
    assert attachment.file.name.endswith(".png")
    assert (attachment.original_name, attachment.content_type) == ("x.html", "image/png")
    response = download(signed_in, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    assert response["Content-Disposition"] == ("inline; filename=\"x.png\"; filename*=UTF-8''x.png")
    assert content(response).startswith(b"\x89PNG\r\n\x1a\n")
    assert signed_in.get("/media/" + attachment.file.name).status_code == 404


def test_hole1_polyglot_js_gif_attachment_is_reencoded(signed_in):
    world = World()
    assert post_through_page(signed_in, world, "x.js", factories.gif_js_polyglot()).status_code == (
        302
    )
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    data = stored(attachment.file)
    assert factories.JS_PAYLOAD not in data
    assert attachment.size == len(data)
    response = download(signed_in, attachment)
    assert response["Content-Type"] == "image/png"
    assert 'filename="x.png"' in response["Content-Disposition"]
    assert factories.JS_PAYLOAD not in content(response)


@pytest.mark.parametrize(
    "name",
    ["x.html", "notes.txt", "x.pdf", "x.svg"],
)
def test_hole1_markup_is_refused_whatever_its_name(signed_in, name):
    world = World()
    page = b"  <html><body><script>alert(document.domain)</script></body></html>"
    response = post_through_page(signed_in, world, name, page)
    assert response.status_code == 400
    assert "files of this type are not accepted" in response.content.decode()
    assert "附上文件" in response.content.decode()  # the message is not lost
    assert Attachment.objects.count() == 0


def test_hole1_documents_are_always_downloads_with_a_safe_name(signed_in):
    world = World()
    pdf = attach(world, 'report"; inline.pdf', factories.pdf())
    response = download(signed_in, pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"report__ inline.pdf\"; filename*=UTF-8''report%22%3B%20inline.pdf"
    )
    assert response["Content-Security-Policy"] == FILE_CSP
    text = attach(world, "议程\u202egpj.txt", "议程".encode())
    assert text.original_name == "议程gpj.txt"  # no bidi override kept
    response = download(signed_in, text)
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"file.txt\"; filename*=UTF-8''%E8%AE%AE%E7%A8%8Bgpj.txt"
    )


def test_hole1_type_comes_from_the_content_not_the_name(signed_in):
    world = World()
    word = attach(world, "report.bin", factories.docx())
    assert (word.content_type, word.file.name[-5:]) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    )
    assert 'filename="report.docx"' in download(signed_in, word)["Content-Disposition"]
    csv = attach(world, "名单.csv", "姓名,电话\n张三,1\n".encode())
    assert (csv.content_type, csv.file.name[-4:]) == ("text/csv", ".csv")
    with pytest.raises(ValidationError) as refused:
        attach(world, "run.png", b"MZ\x90\x00" + b"\x00" * 60)
    assert list(refused.value.error_dict) == ["attachments"]


def test_hole1_existing_attachments_are_moved_by_the_data_migration():
    world = World()
    message = services.post_message(thread=world.pairing, author=None, body="旧附件")
    legacy = {
        "page": ("messages/2026/11/x.html", b"<script>alert(1)</script>", "text/plain"),
        "image": ("messages/2026/11/a.png", factories.png(), "image/png"),
        "text": ("messages/2026/11/议程.txt", "议程".encode(), "text/plain"),
    }
    rows = {}
    for key, (path, data, content_type) in legacy.items():
        saved = default_storage.save(path, ContentFile(data))
        rows[key] = Attachment.objects.create(
            message=message,
            file=saved,
            original_name=path.rsplit("/", 1)[-1],
            content_type=content_type,
            size=len(data),
        )
    migration = import_module("civicbridge.pairings.migrations.0004_attachment_generated_names")

    migration.move_attachments(apps, None)

    for row in rows.values():
        row.refresh_from_db()
        assert GENERATED.match(row.file.name)
    assert (rows["page"].content_type, rows["page"].file.name[-4:]) == (
        "application/octet-stream",
        ".bin",
    )
    assert (rows["image"].content_type, rows["image"].file.name[-4:]) == ("image/png", ".png")
    assert (rows["text"].content_type, stored(rows["text"].file)) == ("text/plain", "议程".encode())
    assert not any(default_storage.exists(path) for path, _d, _t in legacy.values())


# --- hole 3: an attachment is read with its thread's permission only ---------------------------


def test_hole3_attachment_refused_without_pairing_right(sign_in):
    own, other = World(), World(1)
    attachment = attach(own, "议程.txt", "议程".encode())
    client = sign_in("nobody", role=None)
    assert download(client, attachment).status_code == 403
    client = sign_in("elsewhere", role="community_member", place=other.community)
    assert download(client, attachment).status_code == 403
    client = sign_in("fusi", role="community_member", place=own.community)
    response = download(client, attachment)
    assert response.status_code == 200
    assert content(response) == "议程".encode()
    # The storage path is no way round the check, for anyone.
    for user in ("nobody", "elsewhere", "fusi"):
        client = sign_in(user + "2", role=None)
        assert client.get("/media/" + attachment.file.name).status_code == 404


def test_hole3_exchange_thread_attachment_needs_the_exchange_read_right(sign_in):
    world = World()
    attachment = attach(world, "行程.txt", "行程".encode(), thread=world.exchange)
    assert download(sign_in("nobody", role=None), attachment).status_code == 403
    assert download(sign_in("viewer", role="viewer"), attachment).status_code == 200


def test_hole3_attachment_of_a_deleted_message_is_gone(sign_in):
    world = World()
    attachment = attach(world, "议程.txt", "议程".encode())
    soft_delete(attachment.message, by=None)
    assert download(sign_in("admin", role="administrator"), attachment).status_code == 404


def test_hole3_thread_page_links_attachments_to_the_view(signed_in):
    world = World()
    attachment = attach(world, "议程.txt", "议程".encode())
    page = signed_in.get(reverse("pairings:messages", args=[world.pairing.pk])).content.decode()
    assert f'href="{reverse("pairings:attachment", args=[attachment.pk])}"' in page
    assert "/media/" not in page
    assert selectors.thread_messages(world.pairing)[0].attachments.get() == attachment


# --- hole 9: a decompression bomb is a form error ------------------------------------------------


def test_hole9_decompression_bomb_attachment_refused(signed_in):
    world = World()
    bomb = factories.png_declaring(30000, 30000)
    response = post_through_page(signed_in, world, "bomb.png", bomb)
    assert response.status_code == 400
    assert "bomb.png: " in response.content.decode()
    assert "The image has too many pixels" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_hole1_admin_links_attachments_to_the_view_and_takes_no_upload(client, make_user):
    world = World()
    attachment = attach(world, "议程.txt", "议程".encode())
    admin = make_user("root", role="administrator", is_staff=True, is_superuser=True)
    client.force_login(admin, backend=MODEL_BACKEND)
    change = reverse("admin:pairings_attachment_change", args=[attachment.pk])
    page = client.get(change).content.decode()
    assert f'href="{reverse("pairings:attachment", args=[attachment.pk])}"' in page
    assert "/media/" not in page
    assert 'type="file"' not in page
    assert client.get(reverse("admin:pairings_attachment_add")).status_code == 403
    message = reverse("admin:pairings_message_change", args=[attachment.message.pk])
    assert 'type="file"' not in client.get(message).content.decode()
