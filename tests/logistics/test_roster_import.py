"""The roster import and export carry the logistics columns (到达航班/车次, 到达时间,
离开航班/车次, 离开时间, 酒店, 房间, 饮食): export → edit → preview → import, 饮食 only for a
reader who may see it."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from civicbridge.documents import spreadsheets
from civicbridge.exchanges.personal_data import ROSTER, PersonalView
from civicbridge.logistics.models import Needs, Stay, TravelLeg

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOGISTICS = ["到达航班/车次", "到达时间", "离开航班/车次", "离开时间", "酒店", "房间", "饮食"]


def _book(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _export(visit, personal) -> list[list]:
    data = spreadsheets.export(visit.exchange, "roster", "xlsx", "hans", personal=personal)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_the_export_and_template_carry_the_logistics_columns(visit):
    rows = _export(visit, PersonalView.everything(ROSTER))
    header = rows[0]
    assert header[-7:] == LOGISTICS
    first = dict(zip(header, rows[1], strict=True))
    assert (first["到达航班/车次"], first["到达时间"]) == ("CI500", dt.datetime(2016, 4, 22, 9, 0))
    assert (first["酒店"], first["房间"], first["饮食"]) == ("北京友谊宾馆", "801", "素食")
    template = load_workbook(io.BytesIO(spreadsheets.roster_template())).worksheets[0]
    assert [c.value for c in template[1]][-7:] == LOGISTICS
    # A reader who may not see the needs gets no 饮食 column.
    assert "饮食" not in _export(visit, PersonalView.nothing(ROSTER))[0]


def test_logistics_columns_are_previewed_then_imported(visit):
    admin = visit.world.users["administrator"]
    data = _book(
        [
            ["姓名", "里", "到达航班/车次", "到达时间", "酒店", "房间", "饮食"],
            ["林里长01", "龍安里", "CA185", "2016-04-22 07:45", "北京饭店", "1201", "清真"],
            ["林里长02", "龍安里", "CI501", None, None, None, None],
            ["林里长21", "龍安里", "BR716", "2016/4/22 8:05", None, None, "素食"],
        ]
    )
    plan = spreadsheets.plan_roster(exchange=visit.exchange, data=data, actor=admin)
    assert plan.refused == []
    assert [(p.item.name, [(c.column, c.old, c.new) for c in p.changes]) for p in plan.updates] == [
        (
            "林里长01",
            [
                ("到达航班/车次", "CI500", "CA185"),
                ("到达时间", "2016-04-22 09:00", "2016-04-22 07:45"),
                ("酒店", "北京友谊宾馆", "北京饭店"),
                ("房间", "801", "1201"),
                ("饮食", "素食", "清真"),
            ],
        )
    ]
    assert [p.item.name for p in plan.unchanged] == ["林里长02"]
    assert [(p.item.name, len(p.changes)) for p in plan.adds] == [("林里长21", 3)]
    assert TravelLeg.objects.filter(number="CA185").count() == 0  # a preview writes nothing

    spreadsheets.import_roster(exchange=visit.exchange, data=data, actor=admin)

    first = visit.members[0]
    leg = TravelLeg.objects.get(member=first, direction="arrival")
    assert (leg.number, leg.at, leg.place_wording, leg.pickup) == (
        "CA185",
        dt.datetime(2016, 4, 22, 7, 45, tzinfo=SHANGHAI),
        "首都机场T3",
        True,
    )
    stay = Stay.objects.get(member=first)
    assert (stay.hotel, stay.hotel_wording, stay.room, stay.nights) == (None, "北京饭店", "1201", 3)
    assert Needs.objects.get(member=first).dietary == "清真"
    new = visit.exchange.members.get(person__name="林里长21")
    assert TravelLeg.objects.get(member=new).at == dt.datetime(2016, 4, 22, 8, 5, tzinfo=SHANGHAI)
    assert Needs.objects.get(member=new).dietary == "素食"


def test_bad_times_are_refused_by_row_and_column(visit):
    data = _book(
        [["姓名", "里", "到达时间", "房间"], ["林里长01", "龍安里", "4月22日上午", "x" * 41]]
    )
    plan = spreadsheets.plan_roster(
        exchange=visit.exchange, data=data, actor=visit.world.users["administrator"]
    )
    assert sorted((e.row, e.column) for e in plan.refused) == [(2, "到达时间"), (2, "房间")]


def test_needs_the_importer_may_not_see_are_not_written(visit):
    # 延庆's organiser edits the roster but may not see the first group's needs.
    data = _book([["姓名", "里", "饮食", "房间"], ["林里长01", "龍安里", "清真", "999"]])
    actor = visit.world.users["organiser_yanqing"]
    plan = spreadsheets.plan_roster(exchange=visit.exchange, data=data, actor=actor)
    assert [e.column for e in plan.not_written] == ["饮食"]
    spreadsheets.import_roster(exchange=visit.exchange, data=data, actor=actor)
    assert Needs.objects.get(member=visit.members[0]).dietary == "素食"
    assert Stay.objects.get(member=visit.members[0]).room == "999"
