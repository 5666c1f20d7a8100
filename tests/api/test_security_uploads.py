"""Issue 9, hole 3 in the interchange document and the API export: uploaded files are
referred to by the generated name of their record's file, never by a path that could be
served; the import refuses any other reference; export → import → export stays identical
and the files are still sent only by their views."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from civicbridge.accounts.services import assign_role, create_token
from civicbridge.api import interchange
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import Photo
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import Attachment
from tests import factories
from tests.api.test_interchange import empty_domain_tables
from tests.factories import PairingWorld

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|txt)$")


@pytest.fixture
def world(pairing_world):
    world = pairing_world
    exchanges.add_photo(
        exchange=world.exchange,
        caption="合影",
        image=SimpleUploadedFile("x.html", factories.png()),
    )
    pairings.post_message(
        thread=world.pairing,
        author=None,
        body="附议程",
        attachments=[SimpleUploadedFile("議程.txt", "议程".encode())],
    )
    return world


def file_references(document) -> list[str]:
    photos = [(p["image"], p["thumbnail"]) for p in document["photos"]]
    attachments = [a["file"] for m in document["messages"] for a in m["attachments"]]
    return [name for pair in photos for name in pair] + attachments


class _RolledBack(Exception):
    pass


def exported_then_rolled_back() -> dict:
    """The document of a small world, the world itself rolled back: an empty database."""
    document = None
    try:
        with transaction.atomic():
            world = PairingWorld()
            pairings.post_message(
                thread=world.pairing,
                author=None,
                body="附议程",
                attachments=[SimpleUploadedFile("議程.txt", "议程".encode())],
            )
            document = json.loads(interchange.dump(interchange.export_document(timestamp=False)))
            raise _RolledBack
    except _RolledBack:
        pass
    return document


def admin_client(username="admin") -> Client:
    user = get_user_model().objects.create_user(username=username, password="x-y-z-123456")
    assign_role(user=user, role="administrator")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_hole3_export_names_files_by_generated_name_not_by_path(world):
    document = interchange.export_document(timestamp=False)
    references = file_references(document)
    assert len(references) == 3
    assert all(NAME.match(name) for name in references), references
    photo = document["photos"][0]
    assert (photo["content_type"], photo["original_name"]) == ("image/png", "x.html")
    text = interchange.dump(document)
    assert "media/" not in text
    assert "photos/" not in text and "attachments/" not in text


def test_hole3_api_export_publishes_no_servable_path(world):
    user = get_user_model().objects.create_user(username="admin", password="x-y-z-123456")
    assign_role(user=user, role="administrator")
    _record, token = create_token(user=user, label="export", read_only=True)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/export")
    assert response.status_code == 200
    references = file_references(response.json())
    assert len(references) == 3
    assert all(NAME.match(name) for name in references), references


def test_hole3_export_import_export_identical_and_files_still_served_by_their_views(world):
    before = interchange.dump(interchange.export_document(timestamp=False))
    empty_domain_tables()

    interchange.import_document(json.loads(before))

    assert interchange.dump(interchange.export_document(timestamp=False)) == before
    photo, attachment = Photo.objects.get(), Attachment.objects.get()
    assert photo.image.name.startswith("photos/")
    assert attachment.file.name.startswith("attachments/")
    client = admin_client()
    served = client.get(reverse("exchanges:photo_image", args=[photo.pk]))
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    served = client.get(reverse("pairings:attachment", args=[attachment.pk]))
    assert b"".join(served.streaming_content) == "议程".encode()


@pytest.mark.parametrize(
    "reference",
    [
        "../../settings.py",
        "/etc/passwd",
        "messages/2026/12/x.html",
        "attachments/0123456789abcdef0123456789abcdef.txt",
        "0123456789abcdef0123456789abcdef.html",
    ],
)
def test_hole3_import_refuses_a_file_reference_that_is_a_path(reference):
    document = exported_then_rolled_back()
    document["messages"][0]["attachments"][0]["file"] = reference
    with pytest.raises(
        interchange.InterchangeError,
        match=r"messages\[0\]\.attachments\[0\]\.file: .* is not a file name",
    ):
        interchange.import_document(document)
    assert Attachment.objects.count() == 0
