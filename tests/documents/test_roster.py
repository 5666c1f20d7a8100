"""Roster import: all rows or none, errors named by row and column; exports."""

import csv
import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from civicbridge.directory import services as directory
from civicbridge.directory.models import TAIWAN, Person, PlaceKind
from civicbridge.documents import spreadsheets
from civicbridge.exchanges.models import Member
from civicbridge.exchanges.personal_data import ROSTER, PersonalView

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "性别", "所属区", "里", "职务", "电话", "分组", "出生日期"]


def workbook(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_import_roster_with_bad_rows_imports_nothing_and_names_the_rows(taipei):
    data = workbook(
        [
            [
                "何丽玲",
                "女",
                "北投区",
                "永明里",
                "里长",
                "0912000000",
                "延庆区参访组",
                "1965-05-01",
            ],
            ["张三", "男", "北投区", "大屯里", "里长", "", "", "2016-02-30"],
            ["李四", "男", "北投区", "不存在里", "里长", "", "", ""],
            ["王五", "男", "信義區", "六合里", "", "", "", ""],
        ]
    )
    people = Person.objects.count()
    with translation.override("en"), pytest.raises(spreadsheets.RosterImportError) as caught:
        spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    errors = caught.value.errors
    assert [(e.row, e.column) for e in errors] == [(3, "出生日期"), (4, "里")]
    assert "2016-02-30" in errors[0].message
    with translation.override("en"):
        assert str(caught.value) == (
            "Row 3, column 出生日期: 2016-02-30 is not a date that exists.\n"
            "Row 4, column 里: No li or village called 不存在里 北投区 in the directory."
        )
    assert Member.objects.count() == 0
    assert Person.objects.count() == people


def test_import_roster_of_fifty_good_rows_imports_fifty_members(taipei):
    lis = ["大屯里", "永明里", "慈祐里", "龍田里", "四育里", "六合里"]
    rows = [
        [
            f"团员{i:02d}",
            "男" if i % 2 else "女",
            "",
            lis[i % 6],
            "里长",
            f"09{i:08d}",
            "",
            dt.date(1950 + i % 30, 1 + i % 12, 1 + i % 28),
        ]
        for i in range(50)
    ]
    result = spreadsheets.import_roster(exchange=taipei["exchange"], data=workbook(rows))
    assert len(result.members) == 50
    assert Member.objects.filter(exchange=taipei["exchange"]).count() == 50
    assert result.created_people == 50
    member = Member.objects.get(person__name="团员07")
    assert member.home_place == taipei["lis"][lis[7 % 6]]
    assert member.person.date_of_birth == dt.date(1957, 8, 8)


def test_import_roster_matches_existing_person_by_name_and_li_in_either_script(taipei):
    existing = directory.create_person(name="何麗玲", home_place=taipei["lis"]["永明里"])
    other_li = directory.create_person(name="李祖民", home_place=taipei["lis"]["龍田里"])
    directory.add_place_alias(place=taipei["lis"]["慈祐里"], name="慈佑里")
    data = workbook(
        [
            ["何丽玲", "女", "北投区", "永明里", "里长", "", "延庆区参访组", ""],
            ["李祖民", "男", "松山区", "慈佑里", "会长", "", "", ""],
        ]
    )
    result = spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    assert result.matched_people == 1
    assert result.created_people == 1
    first, second = result.members
    assert first.person == existing
    assert first.group == taipei["group"]
    assert second.person != other_li
    assert second.home_place == taipei["lis"]["慈祐里"]


def test_import_roster_finds_li_across_taiwan_with_the_resolver(taipei):
    kaohsiung = directory.create_place(name="高雄市", kind=PlaceKind.CITY, side=TAIWAN)
    sanmin = directory.create_place(name="三民區", kind=PlaceKind.DISTRICT, parent=kaohsiung)
    dingjin = directory.create_place(name="鼎金里", kind=PlaceKind.LI, parent=sanmin)
    kaohsiung_yongming = directory.create_place(name="永明里", kind=PlaceKind.LI, parent=sanmin)
    data = workbook(
        [
            ["高丰麟", "男", "三民区", "鼎金里", "里长", "", "", ""],
            ["甲", "男", "", "鼎金", "", "", "", ""],
            ["乙", "男", "", "慈佑里", "", "", "", ""],  # 慈祐里, no alias needed
            ["丙", "女", "", "永明里", "", "", "", ""],  # the delegation's city first
            ["丁", "女", "高雄市三民區", "永明裡", "", "", "", ""],
        ]
    )
    result = spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    assert [m.home_place for m in result.members] == [
        dingjin,
        dingjin,
        taipei["lis"]["慈祐里"],
        taipei["lis"]["永明里"],
        kaohsiung_yongming,
    ]


def test_import_roster_reports_a_li_name_that_repeats(taipei):
    songshan = taipei["lis"]["慈祐里"].parent
    directory.create_place(name="六合里", kind=PlaceKind.LI, parent=songshan)
    data = workbook([["王五", "男", "", "六合里", "", "", "", ""]])
    with pytest.raises(spreadsheets.RosterImportError) as caught:
        spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "所属区")]
    data = workbook([["王五", "男", "信义区", "六合里", "", "", "", ""]])
    result = spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    assert result.members[0].home_place == taipei["lis"]["六合里"]


def test_import_roster_accepts_traditional_headers_and_chinese_dates(taipei):
    data = workbook(
        [["連圀堂", "男", "信義區", "四育里", "里長", "", "", "1960年3月5日"]],
        headers=["姓名", "性別", "所屬區", "里", "職務", "電話", "分組", "生日"],
    )
    result = spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    assert result.members[0].person.date_of_birth == dt.date(1960, 3, 5)
    assert result.members[0].person.name_hant == "連圀堂"


def test_import_roster_refuses_a_file_without_name_column(taipei):
    with pytest.raises(spreadsheets.RosterImportError) as caught:
        spreadsheets.import_roster(
            exchange=taipei["exchange"], data=workbook([["x"]], headers=["电话"])
        )
    assert caught.value.errors[0].column == "姓名"


def test_import_roster_refuses_unknown_group_and_duplicates(taipei):
    data = workbook(
        [
            ["甲", "", "", "大屯里", "", "", "没有这组", ""],
            ["乙", "", "", "大屯里", "", "", "", ""],
            ["乙", "", "", "大屯里", "", "", "", ""],
        ]
    )
    with pytest.raises(spreadsheets.RosterImportError) as caught:
        spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "分组"), (4, "姓名")]


def test_roster_template_has_the_headers_and_imports_back(taipei):
    data = spreadsheets.roster_template()
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in ws[1]]
    for header in ("姓名", "性别", "所属区", "里", "职务", "电话", "分组", "出生日期"):
        assert header in headers
    ws.append(["勤荣辉", "男", "北投区", "大屯里", "总会长", "", "", ""])
    buffer = io.BytesIO()
    ws.parent.save(buffer)
    result = spreadsheets.import_roster(exchange=taipei["exchange"], data=buffer.getvalue())
    assert len(result.members) == 1


def test_export_roster_csv_has_bom_and_hides_personal_data_unless_allowed(taipei):
    spreadsheets.import_roster(
        exchange=taipei["exchange"],
        data=workbook([["何丽玲", "女", "北投区", "永明里", "里长", "0912000000", "", ""]]),
    )
    data = spreadsheets.export(taipei["exchange"], "roster", "csv", "hant")
    assert data[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "姓名"
    assert rows[1][:4] == ["何麗玲", "女", "北投區", "永明里"]
    assert "0912000000" not in data.decode("utf-8-sig")
    everything = PersonalView.everything(ROSTER)
    personal = spreadsheets.export(taipei["exchange"], "roster", "csv", "hans", personal=everything)
    assert "0912000000" in personal.decode("utf-8-sig")


@pytest.mark.parametrize("kind", ["roster", "itinerary", "appointments", "gifts"])
def test_export_every_table_as_xlsx_opens(taipei, kind):
    data = spreadsheets.export(taipei["exchange"], kind, "xlsx")
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws.max_column >= 4
