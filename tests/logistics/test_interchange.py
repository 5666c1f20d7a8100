"""The logistics travel in the whole-database export: export → import → export is identical,
and an export without personal data leaves the needs (and the permit's companions) out."""

from __future__ import annotations

import json

import pytest

from civicbridge.accounts.models import RoleAssignment
from civicbridge.api import interchange
from civicbridge.logistics.models import Needs, SeatAssignment, Stay, TravelLeg, Vehicle
from tests.api.test_interchange import empty_domain_tables, export_text

pytestmark = pytest.mark.django_db


def test_logistics_round_trip(visit):
    before = export_text()
    document = json.loads(before)
    exchange = next(e for e in document["exchanges"] if e["id"] == visit.exchange.pk)
    assert len(exchange["travel_legs"]) == 40
    assert len(exchange["stays"]) == 20
    assert [n["dietary"] for n in exchange["needs"]] == ["素食"] * 5
    assert [len(v["assignments"]) for v in exchange["vehicles"]] == [10, 10]
    RoleAssignment.objects.all().delete()  # the installation's, not the data's
    empty_domain_tables()
    assert TravelLeg.objects.count() == 0

    interchange.import_document(json.loads(before))

    assert export_text() == before
    assert (TravelLeg.objects.count(), Stay.objects.count(), Needs.objects.count()) == (40, 20, 5)
    assert (Vehicle.objects.count(), SeatAssignment.objects.count()) == (2, 20)


def test_an_export_without_personal_data_leaves_needs_and_permits_out(visit):
    document = interchange.export_document(include_personal=False, timestamp=False)
    exchange = next(e for e in document["exchanges"] if e["id"] == visit.exchange.pk)
    assert [sorted(set(n) & {"dietary", "mobility", "medical"}) for n in exchange["needs"]] == [
        [] for _ in exchange["needs"]
    ]
    person = next(p for p in document["people"] if p["id"] == visit.expiring.person.pk)
    assert set(person) & {"permit_number", "permit_expires_on", "permit_kind"} == set()
    assert exchange["travel_legs"][0]["number"].startswith("CI")
