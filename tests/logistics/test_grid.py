"""The logistics grid: one row per member, every row saved in one POST (or none), errors in
their cell with what was typed kept, personal fields masked, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from civicbridge.accounts.models import AuditEntry
from civicbridge.exchanges.personal_data import PAGE, PersonalView
from civicbridge.logistics import selectors
from civicbridge.logistics.forms import initial_of, local_input
from civicbridge.logistics.models import Needs, SeatAssignment, TravelLeg
from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, build_logistics_visit

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _url(visit) -> str:
    return reverse("logistics:grid", args=[visit.exchange.pk])


def _post_data(visit, user, **changes) -> dict:
    """The grid's form as the page renders it for ``user``, with ``changes`` applied
    (``{row index}-{field}``: value)."""
    rows = selectors.logistics_rows(visit.exchange, personal=PersonalView(user, PAGE))
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "2000",
    }
    for index, row in enumerate(rows):
        for key, value in initial_of(row, visit.exchange.timezone).items():
            if key in ("dietary", "mobility") and not row.needs_visible:
                continue
            if isinstance(value, dt.datetime):
                value = local_input(value, visit.exchange.timezone)
            if isinstance(value, bool):
                if value:
                    data[f"rows-{index}-{key}"] = "on"
                continue
            data[f"rows-{index}-{key}"] = "" if value is None else str(value)
    for key, value in changes.items():
        data[f"rows-{key}"] = value
    return data


def test_the_grid_shows_a_row_per_member(visit, client_for):
    response = client_for("administrator").get(_url(visit))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr id="member-') == 20
    assert 'value="CI500"' in html
    assert 'value="2016-04-22T09:00"' in html
    assert 'value="北京友谊宾馆"' in html
    assert 'value="素食"' in html
    assert "Save all rows" in html
    # The sheets of each day with travel, for everyone and per group.
    first = visit.groups[0].pk
    assert f"logistics-sheet.pdf?day=2016-04-22&amp;group={first}" in html
    assert "logistics-sheet.xlsx?day=2016-04-25" in html


def test_the_viewer_sees_the_grid_read_only_and_masked(visit, client_for):
    client = client_for("viewer")
    response = client.get(_url(visit))
    assert response.status_code == 200
    html = response.content.decode()
    assert "素食" not in html
    assert 'placeholder="•••"' in html
    assert "Save all rows" not in html
    assert 'value="CI500"' in html  # travel is not personal data
    data = _post_data(visit, visit.world.users["viewer"], **{"0-arrival_number": "CA185"})
    assert client.post(_url(visit), data).status_code == 403
    assert TravelLeg.objects.filter(number="CA185").count() == 0


def test_an_organiser_sees_only_the_needs_the_rule_allows(visit, client_for):
    # 延庆's organiser sees the second group's needs (visitors hosted there), not the first's.
    html = client_for("organiser_yanqing").get(_url(visit)).content.decode()
    rows = re.findall(r'<tr id="member-(\d+)".*?</tr>', html, re.S)
    assert len(rows) == 20
    first, second = visit.members[0], visit.members[12]
    assert Needs.objects.get(member=second).dietary == "素食"
    row_of = {
        int(m.group(1)): m.group(0)
        for m in re.finditer(r'<tr id="member-(\d+)".*?</tr>', html, re.S)
    }
    assert "素食" not in row_of[first.pk]
    assert 'value="素食"' in row_of[second.pk]


def test_saving_every_row_in_one_post(visit, client_for):
    admin = visit.world.users["administrator"]
    data = _post_data(
        visit,
        admin,
        **{
            "0-arrival_number": "CA185",
            "0-arrival_at": "2016-04-22T07:45",
            "5-hotel": "北京饭店",
            "5-room": "1201",
            "7-vehicle": str(visit.vehicles[1].pk),
            "7-seat": "30",
            "8-dietary": "清真",
        },
    )
    response = client_for("administrator").post(_url(visit), data)
    assert response.status_code == 302
    leg = TravelLeg.objects.get(member=visit.members[0], direction="arrival")
    assert (leg.number, leg.at) == ("CA185", dt.datetime(2016, 4, 22, 7, 45, tzinfo=SHANGHAI))
    assert leg.version == 2
    stay = visit.members[5].stay.__class__.objects.get(member=visit.members[5])
    assert (stay.hotel, stay.hotel_wording, stay.room) == (None, "北京饭店", "1201")
    seat = SeatAssignment.objects.get(member=visit.members[7], day=None)
    assert (seat.vehicle, seat.seat) == (visit.vehicles[1], "30")
    assert Needs.objects.get(member=visit.members[8]).dietary == "清真"
    # Rows that did not change keep their versions.
    assert TravelLeg.objects.get(member=visit.members[1], direction="arrival").version == 1


def test_one_bad_cell_keeps_everything_typed_and_saves_nothing(visit, client_for):
    admin = visit.world.users["administrator"]
    taken = visit.members[1]  # seat 2 of 1号车
    data = _post_data(
        visit,
        admin,
        **{
            "0-arrival_number": "CA185",
            "3-departure_at": "2016-02-30T10:00",
            "4-seat": "2",
            "6-room": "x" * 41,
        },
    )
    response = client_for("administrator").post(_url(visit), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="CA185"' in html  # what was typed is kept
    assert 'value="2016-02-30T10:00"' in html
    assert "Enter a valid date/time." in html
    assert re.search(r'cell-room field--error">.*?at most 40 characters', html, re.S | re.I)
    assert TravelLeg.objects.filter(number="CA185").count() == 0
    assert SeatAssignment.objects.get(member=visit.members[4]).seat == "5"
    # The form-level errors come back only when every cell is valid; then the service's.
    data = _post_data(visit, admin, **{"0-arrival_number": "CA185", "4-seat": "2"})
    response = client_for("administrator").post(_url(visit), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f"Seat 2 is already taken by {taken.person.name}." in html
    assert TravelLeg.objects.filter(number="CA185").count() == 0


def test_a_save_is_audited_as_the_page(visit, client_for):
    admin = visit.world.users["administrator"]
    data = _post_data(visit, admin, **{"0-arrival_number": "CA185"})
    assert client_for("administrator").post(_url(visit), data).status_code == 302
    leg = TravelLeg.objects.get(member=visit.members[0], direction="arrival")
    entries = AuditEntry.objects.filter(model="logistics.travelleg", object_id=str(leg.pk))
    entry = entries.order_by("pk").last()
    assert (entry.action, entry.via, entry.username) == ("update", "page", "admin")
    assert (entry.before, entry.after) == ({"number": "CI500"}, {"number": "CA185"})


def test_a_roster_changed_meanwhile_is_refused(visit, client_for):
    admin = visit.world.users["administrator"]
    data = _post_data(visit, admin)
    data["rows-TOTAL_FORMS"] = "21"
    data["rows-20-member"] = "999999"
    response = client_for("administrator").post(_url(visit), data)
    assert response.status_code == 422
    assert "The roster changed while you were editing" in response.content.decode()


def test_a_stale_row_is_refused(visit, client_for):
    admin = visit.world.users["administrator"]
    data = _post_data(visit, admin, **{"0-arrival_number": "CA185"})
    leg = TravelLeg.objects.get(member=visit.members[0], direction="arrival")
    leg.number = "CA999"
    leg.version += 1
    leg.save()
    response = client_for("administrator").post(_url(visit), data)
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert TravelLeg.objects.get(pk=leg.pk).number == "CA999"


def test_clearing_a_leg_removes_it(visit, client_for):
    admin = visit.world.users["administrator"]
    data = _post_data(
        visit,
        admin,
        **{"0-departure_number": "", "0-departure_at": "", "0-departure_place": ""},
    )
    data.pop("rows-0-departure_pickup", None)
    assert client_for("administrator").post(_url(visit), data).status_code == 302
    assert not TravelLeg.objects.filter(member=visit.members[0], direction="departure").exists()


def test_hostile_input_is_a_form_error(visit, client_for):
    admin = visit.world.users["administrator"]
    data = _post_data(
        visit,
        admin,
        **{"0-arrival_place": "机场\x00T3", "1-room": "\u202e108", "2-nights": "-4"},
    )
    data["rows-3-member"] = "999999"
    response = client_for("administrator").post(_url(visit), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "The roster changed while you were editing" in html
    assert "Ensure this value is greater than or equal to 0." in html


def test_vehicles_are_added_changed_and_removed(visit, client_for):
    client = client_for("organiser_haidian")
    url = reverse("logistics:vehicle_add", args=[visit.exchange.pk])
    response = client.post(url, {"vehicle-name": "1号车", "vehicle-seats": "20"})
    assert response.status_code == 422
    assert "already has a vehicle of that name" in response.content.decode()
    assert client.post(url, {"vehicle-name": "3号车", "vehicle-plate": "京C1"}).status_code == 302
    bus = visit.exchange.vehicles.get(name="3号车")
    change = reverse("logistics:vehicle_change", args=[bus.pk])
    prefix = f"vehicle-{bus.pk}"
    data = {f"{prefix}-name": "3号车", f"{prefix}-seats": "12", f"{prefix}-version": "1"}
    assert client.post(change, data).status_code == 302
    bus.refresh_from_db()
    assert (bus.seats, bus.version) == (12, 2)
    # Fewer seats than members seated is refused.
    full = visit.vehicles[0]
    prefix = f"vehicle-{full.pk}"
    data = {f"{prefix}-name": full.name, f"{prefix}-seats": "3", f"{prefix}-version": "1"}
    response = client.post(reverse("logistics:vehicle_change", args=[full.pk]), data)
    assert response.status_code == 422
    assert "10 members already have a seat in it." in response.content.decode()
    remove = reverse("logistics:vehicle_remove", args=[bus.pk])
    assert client_for("viewer").post(remove, {"version": "2"}).status_code == 403
    assert client.post(remove, {"version": "2"}).status_code == 302
    assert not visit.exchange.vehicles.filter(name="3号车").exists()


@pytest.fixture(params=(5, 20), ids=("5 members", "20 members"))
def sized(request, db):
    n = request.param
    return n, replayed(request, f"logistics visit {n}", lambda: build_logistics_visit(n))


def test_the_grid_reads_a_fixed_number_of_queries(sized, django_assert_num_queries):
    n, visit = sized
    client = Client()
    client.force_login(visit.world.users["organiser_haidian"], backend=MODEL_BACKEND)
    assert client.get(_url(visit)).status_code == 200
    # session, user, roles, the exchange, its groups (the rule), members with stays and
    # needs, legs, seats, vehicles, and the personal-data rule's reads of the members.
    with django_assert_num_queries({5: 12, 20: 12}[n]):
        response = client.get(_url(visit))
    assert response.content.decode().count('<tr id="member-') == n
