"""A visit's logistics (logistics/services.py): the grid page (one POST for every row), its
vehicle forms, and the API's PUT /members/{id}/travel-legs/{direction}, /stay, /needs,
/seat and the vehicles. Who may: the roster's editors (exchanges.change_member) — 海淀's
organiser on 海淀's exchange; 延庆's organiser and a viewer nothing. Needs are personal
data: 海淀's organiser sees (and so may write) those of the visitors it hosts."""

from __future__ import annotations

import datetime as dt

from civicbridge.exchanges.personal_data import PAGE, PersonalView
from civicbridge.logistics import selectors
from civicbridge.logistics import services as logistics
from civicbridge.logistics.forms import initial_of, local_input
from civicbridge.logistics.models import Needs, SeatAssignment, Stay, TravelLeg, Vehicle


def extend(world):
    world.hd_bus = logistics.create_vehicle(exchange=world.hd, name="1号车", seats=40)


def _grid(p, w, index_of_member=None, **changes):
    """The grid's POST for 海淀's exchange as stored, with ``changes`` to ``hd_member``'s row."""
    rows = selectors.logistics_rows(w.hd, personal=PersonalView.everything(PAGE))
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "2000",
    }
    for index, row in enumerate(rows):
        values = initial_of(row, w.hd.timezone)
        if row.member.pk == w.hd_member.pk:
            values.update(changes)
        for key, value in values.items():
            if isinstance(value, dt.datetime):
                value = local_input(value, w.hd.timezone)
            if isinstance(value, bool):
                if value:
                    data[f"rows-{index}-{key}"] = "on"
                continue
            data[f"rows-{index}-{key}"] = "" if value is None else str(value)
    return p._url("logistics:grid", w.hd.pk), data


def scenarios(p):
    S, only, INSIDE = p.S, p.only, p.INSIDE
    return [
        S(
            ("PUT", "/members/{member_id}/travel-legs/{direction}"),
            "arrival flight",
            only(INSIDE),
            api=lambda w: (
                "put",
                f"/api/v1/members/{w.hd_member.pk}/travel-legs/arrival",
                {"version": 0, "number": "CA185", "at": "2016-04-22T09:30:00+08:00"},
            ),
            page=lambda w: _grid(
                p,
                w,
                arrival_number="CA185",
                arrival_at=dt.datetime(2016, 4, 22, 1, 30, tzinfo=dt.UTC),
            ),
            probe=lambda w: TravelLeg.objects.filter(member=w.hd_member, number="CA185").count(),
        ),
        S(
            ("PUT", "/members/{member_id}/stay"),
            "hotel and room",
            only(INSIDE),
            api=lambda w: (
                "put",
                f"/api/v1/members/{w.hd_member.pk}/stay",
                {"version": 0, "hotel_wording": "北京饭店", "room": "1201"},
            ),
            page=lambda w: _grid(p, w, hotel="北京饭店", room="1201"),
            probe=lambda w: list(Stay.objects.filter(member=w.hd_member).values_list("room")),
        ),
        S(
            ("PUT", "/members/{member_id}/needs"),
            "dietary (personal data)",
            only(INSIDE),
            api=lambda w: (
                "put",
                f"/api/v1/members/{w.hd_member.pk}/needs",
                {"version": 0, "dietary": "素食"},
            ),
            page=lambda w: _grid(p, w, dietary="素食"),
            probe=lambda w: list(Needs.objects.filter(member=w.hd_member).values_list("dietary")),
        ),
        S(
            ("PUT", "/members/{member_id}/seat"),
            "seat in 1号车",
            only(INSIDE),
            api=lambda w: (
                "put",
                f"/api/v1/members/{w.hd_member.pk}/seat",
                {"version": 0, "vehicle_id": w.hd_bus.pk, "seat": "3"},
            ),
            page=lambda w: _grid(p, w, vehicle=str(w.hd_bus.pk), seat="3"),
            probe=lambda w: list(
                SeatAssignment.objects.filter(member=w.hd_member).values_list("vehicle", "seat")
            ),
        ),
        S(
            ("POST", "/exchanges/{exchange_id}/vehicles"),
            "add 2号车",
            only(INSIDE),
            api=lambda w: ("post", f"/api/v1/exchanges/{w.hd.pk}/vehicles", {"name": "2号车"}),
            page=lambda w: (p._url("logistics:vehicle_add", w.hd.pk), {"vehicle-name": "2号车"}),
            probe=lambda w: Vehicle.objects.filter(exchange=w.hd, name="2号车").count(),
        ),
        S(
            ("PATCH", "/vehicles/{vehicle_id}"),
            "seats",
            only(INSIDE),
            api=lambda w: (
                "patch",
                f"/api/v1/vehicles/{w.hd_bus.pk}",
                {"version": p._version(w.hd_bus), "seats": 45},
            ),
            page=lambda w: (
                p._url("logistics:vehicle_change", w.hd_bus.pk),
                {
                    f"vehicle-{w.hd_bus.pk}-name": "1号车",
                    f"vehicle-{w.hd_bus.pk}-seats": "45",
                    f"vehicle-{w.hd_bus.pk}-version": str(p._version(w.hd_bus)),
                },
            ),
            probe=lambda w: p._fresh(w.hd_bus).seats,
        ),
        S(
            ("DELETE", "/vehicles/{vehicle_id}"),
            "remove 1号车",
            only(INSIDE),
            api=lambda w: (
                "delete",
                f"/api/v1/vehicles/{w.hd_bus.pk}?version={p._version(w.hd_bus)}",
                None,
            ),
            page=lambda w: (
                p._url("logistics:vehicle_remove", w.hd_bus.pk),
                {"version": str(p._version(w.hd_bus))},
            ),
            probe=lambda w: Vehicle.objects.filter(pk=w.hd_bus.pk).exists(),
        ),
    ]
