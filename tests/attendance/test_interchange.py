"""Attendance in the export document: nested in its exchange, round trip byte for byte;
a record naming another exchange's member is refused; spent links are not exported."""

import json

import pytest

from civicbridge.accounts.models import RoleAssignment
from civicbridge.api import interchange
from civicbridge.attendance import links, services
from civicbridge.attendance.models import Attendance, SpentCheckInLink
from tests.api.test_interchange import empty_domain_tables, export_text
from tests.factories import build_attendance_world

pytestmark = pytest.mark.django_db


def _empty():
    """The domain tables emptied, with what the export leaves out (spent links, the roles
    world's role assignments, which name its places)."""
    SpentCheckInLink.objects.all().delete()
    RoleAssignment.objects.all().delete()
    empty_domain_tables()


def _world_with_check_ins():
    world = build_attendance_world()
    organiser = world.roles.users["organiser_haidian"]
    services.check_in(activity=world.now, member=world.members[0], actor=organiser, note="迟到")
    services.check_in_with_link(
        token=links.make_token(world.members[2], world.now), actor=organiser
    )
    return world


def test_attendance_round_trips_byte_identical():
    world = _world_with_check_ins()
    before = export_text()
    document = json.loads(before)
    exchange = next(e for e in document["exchanges"] if e["id"] == world.exchange.pk)
    records = exchange["attendance"]
    assert [(r["member"], r["method"], r["checked_in_by"]) for r in records] == [
        (world.members[0].pk, "hand", "org_haidian"),
        (world.members[2].pk, "link", "org_haidian"),
    ]
    assert SpentCheckInLink.objects.count() == 1 and "nonce" not in before
    _empty()

    interchange.import_document(json.loads(before))

    assert export_text() == before
    assert Attendance.objects.count() == 2


def test_an_attendance_naming_another_exchanges_member_is_refused():
    world = _world_with_check_ins()
    document = json.loads(export_text())
    exchange = next(e for e in document["exchanges"] if e["id"] == world.exchange.pk)
    exchange["attendance"][0]["member"] = world.roles.member.pk
    _empty()

    with pytest.raises(interchange.InterchangeError):
        interchange.import_document(document)
    assert Attendance.objects.count() == 0
