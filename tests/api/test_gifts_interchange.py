"""The gifts register's fields in the export document: written, read back as they were
(byte for byte), the photo by its generated name as a photo's; a file without them (older)
takes the defaults; a photo reference that is a path is refused."""

import copy
import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.accounts.models import RoleAssignment
from civicbridge.api import interchange
from civicbridge.exchanges import services
from civicbridge.exchanges.models import Gift
from tests.api.test_interchange import empty_domain_tables, export_text
from tests.factories import build_gifts_world, png

pytestmark = pytest.mark.django_db


def _empty():
    """The domain tables emptied (the roles world's place roles go first: not exported)."""
    RoleAssignment.objects.all().delete()
    empty_domain_tables()


def _world():
    world = build_gifts_world(dt.date(2026, 6, 1))
    services.update_gift(
        gift=world.old,
        photo=SimpleUploadedFile("礼品.png", png()),
        handled_by="王科长",
    )
    return world


def test_gifts_round_trip_with_registration_and_photo():
    world = _world()
    before = export_text()
    document = json.loads(before)
    row = next(g for g in document["gifts"] if g["id"] == world.old.pk)
    assert (row["direction"], row["value_band"], row["registration"], row["handled_by"]) == (
        "received",
        "200_500",
        "to_register",
        "王科长",
    )
    assert row["photo"].endswith(".png") and "/" not in row["photo"]
    assert row["photo_type"] == "image/png"
    registered = next(g for g in document["gifts"] if g["id"] == world.registered.pk)
    assert (registered["registered_on"], registered["register_number"]) == (
        "2026-04-12",
        "纪登-001",
    )
    _empty()

    interchange.import_document(json.loads(before))

    assert export_text() == before
    gift = Gift.objects.get(pk=world.old.pk)
    assert gift.photo.name == "gifts/" + row["photo"]
    assert gift.is_overdue_on(dt.date(2026, 6, 1)) is True


def test_an_older_file_without_the_register_fields_takes_the_defaults():
    world = _world()
    document = json.loads(export_text())
    old = copy.deepcopy(document)
    for row in old["gifts"]:
        for key in (
            "direction",
            "value_band",
            "photo",
            "thumbnail",
            "photo_type",
            "photo_name",
            "registration",
            "registered_on",
            "register_number",
            "handled_by",
        ):
            row.pop(key)
    _empty()

    interchange.import_document(old)

    gift = Gift.objects.get(pk=world.old.pk)
    assert (gift.direction, gift.value_band, gift.registration, gift.registered_on) == (
        "",
        "unknown",
        "not_required",
        None,
    )
    assert not gift.photo


def test_a_gift_photo_given_as_a_path_is_refused():
    _world()
    document = json.loads(export_text())
    row = next(g for g in document["gifts"] if g["photo"])
    row["photo"] = "../../etc/passwd"
    _empty()
    with pytest.raises(interchange.InterchangeError):
        interchange.import_document(document)
