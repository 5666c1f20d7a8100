"""The roster round-trips: export → edit in Excel → preview → apply → export again; the
exports are formatted as offices make them (title row, 序号, widths, frozen header, print
setup)."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from civicbridge.directory import services as directory
from civicbridge.directory.models import Person
from civicbridge.documents import spreadsheets
from civicbridge.exchanges.models import Member
from civicbridge.exchanges.personal_data import ROSTER, PersonalView
from tests.factories import PASSWORD, make_admin, make_user

pytestmark = pytest.mark.django_db

EVERYTHING = PersonalView.everything(ROSTER)


def seed(taipei):
    """Two members imported from a first roster (the command line: the operator)."""
    rows = [
        ["何丽玲", "女", "北投区", "永明里", "里长", "0912000001", "", "", "1965-05-01"],
        ["李祖民", "男", "松山区", "慈祐里", "会长", "0912000002", "延庆区参访组", "团长", ""],
    ]
    headers = ["姓名", "性别", "所属区", "里", "职务", "电话", "分组", "角色", "出生日期"]
    spreadsheets.import_roster(exchange=taipei["exchange"], data=book([headers, *rows]))


def book(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    return save(wb)


def save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def exported(exchange, personal=EVERYTHING):
    data = spreadsheets.export(exchange, "roster", "xlsx", "hans", personal=personal)
    return load_workbook(io.BytesIO(data))


def header_of(ws) -> list:
    return [c.value for c in ws[2]]


def column_of(ws, header: str) -> int:
    return header_of(ws).index(header) + 1


def table_of(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(min_row=3, values_only=True)]


def test_export_edit_import_loop_previews_exactly_the_edits_and_applies_them(taipei):
    exchange = taipei["exchange"]
    seed(taipei)
    wb = exported(exchange)
    ws = wb.worksheets[0]
    assert header_of(ws)[:8] == ["序号", "姓名", "性别", "所属区", "里", "职务", "分组", "角色"]
    phone = column_of(ws, "电话")
    assert ws.cell(3, 2).value == "何丽玲"
    ws.cell(3, phone).value = "0988777666"  # 何丽玲's phone changes
    new = [None] * len(header_of(ws))
    new[1:5] = ["王大同", "男", "信义区", "四育里"]
    new[column_of(ws, "电话") - 1] = "0911222333"
    ws.append(new)  # a row is added (no 序号: the import does not need it)
    edited = save(wb)

    admin = make_admin()
    plan = spreadsheets.plan_roster(exchange=exchange, data=edited, actor=admin)
    assert plan.refused == []
    assert plan.not_written == []
    assert [(p.row, p.item.name, p.item.person) for p in plan.adds] == [(5, "王大同", None)]
    assert [
        (p.row, p.item.name, [(c.column, c.old, c.new) for c in p.changes]) for p in plan.updates
    ] == [(3, "何丽玲", [("电话", "0912000001", "0988777666")])]
    assert [p.item.name for p in plan.unchanged] == ["李祖民"]
    assert Person.objects.get(name="何丽玲").phone == "0912000001"  # a preview writes nothing

    result = spreadsheets.import_roster(exchange=exchange, data=edited, actor=admin)
    assert (len(result.members), result.created_people, result.updated_members) == (1, 1, 1)
    assert result.unchanged_members == 1

    again = table_of(exported(exchange).worksheets[0])
    phone_index = phone - 1
    assert sorted((r[1], r[phone_index]) for r in again) == [
        ("何丽玲", "0988777666"),
        ("李祖民", "0912000002"),
        ("王大同", "0911222333"),
    ]
    assert [r[0] for r in again] == [1, 2, 3]
    assert [r[3:5] for r in again if r[1] == "王大同"] == [["信义区", "四育里"]]

    # The same file again changes nothing.
    plan = spreadsheets.plan_roster(exchange=exchange, data=edited, actor=admin)
    assert (plan.adds, plan.updates, plan.refused) == ([], [], [])
    assert len(plan.unchanged) == 3
    members = list(Member.objects.filter(exchange=exchange).values_list("pk", "updated_at"))
    spreadsheets.import_roster(exchange=exchange, data=edited, actor=admin)
    assert list(Member.objects.filter(exchange=exchange).values_list("pk", "updated_at")) == (
        members
    )
    assert Member.objects.filter(exchange=exchange).count() == 3


def test_reimport_in_traditional_script_updates_group_title_and_role_in_place(taipei):
    exchange = taipei["exchange"]
    seed(taipei)
    data = spreadsheets.export(exchange, "roster", "xlsx", "hant", personal=EVERYTHING)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert header_of(ws)[:3] == ["序號", "姓名", "性別"]
    ws.cell(3, column_of(ws, "分組")).value = "延慶區參訪組"
    ws.cell(3, column_of(ws, "職務")).value = "里長（連任）"
    ws.cell(4, column_of(ws, "角色")).value = "副團長"
    plan = spreadsheets.plan_roster(exchange=exchange, data=save(wb))
    assert plan.adds == []
    assert [(p.row, [(c.column, c.new) for c in p.changes]) for p in plan.updates] == [
        (3, [("職務", "里長（連任）"), ("分組", "延庆区参访组")]),
        (4, [("角色", "副团长")]),
    ]
    spreadsheets.import_roster(exchange=exchange, data=save(wb))
    member = Member.objects.get(exchange=exchange, person__name="何丽玲")
    assert (member.group, member.title) == (taipei["group"], "里長（連任）")
    assert Member.objects.get(exchange=exchange, person__name="李祖民").role == "deputy_leader"


def test_a_refused_row_names_its_row_and_column_and_nothing_is_written(taipei):
    exchange = taipei["exchange"]
    seed(taipei)
    wb = exported(exchange)
    ws = wb.worksheets[0]
    ws.cell(4, column_of(ws, "出生日期")).value = "1970-02-30"
    ws.cell(3, column_of(ws, "电话")).value = "0988777666"
    edited = save(wb)
    with translation.override("en"):
        plan = spreadsheets.plan_roster(exchange=exchange, data=edited)
        assert [(e.row, e.column, e.message) for e in plan.refused] == [
            (4, "出生日期", "1970-02-30 is not a date that exists.")
        ]
        assert [p.row for p in plan.updates] == [3]  # the other rows are still previewed
        with pytest.raises(spreadsheets.RosterImportError) as caught:
            spreadsheets.import_roster(exchange=exchange, data=edited)
    assert [(e.row, e.column) for e in caught.value.errors] == [(4, "出生日期")]
    assert Person.objects.get(name="何丽玲").phone == "0912000001"


def test_values_the_importer_may_not_write_are_reported_never_dropped(taipei):
    """A coordinator of the visiting association may change the roster but not the
    directory: the phone, sex and birth date of a person already there are listed."""
    exchange = taipei["exchange"]
    existing = directory.create_person(
        name="何麗玲", home_place=taipei["lis"]["永明里"], phone="0900000000"
    )
    coordinator = make_user(
        "coordinator", role="coordinator", organisation=exchange.visiting_organisation
    )
    headers = ["姓名", "性别", "里", "电话", "出生日期"]
    data = book([headers, ["何丽玲", "女", "永明里", "0912000001", "1965-05-01"]])
    plan = spreadsheets.plan_roster(exchange=exchange, data=data, actor=coordinator)
    assert [p.item.person for p in plan.adds] == [existing]
    assert [(e.row, e.column) for e in plan.not_written] == [
        (2, "性别"),
        (2, "电话"),
        (2, "出生日期"),
    ]
    result = spreadsheets.import_roster(exchange=exchange, data=data, actor=coordinator)
    assert [(e.row, e.column) for e in result.not_written] == [
        (2, "性别"),
        (2, "电话"),
        (2, "出生日期"),
    ]
    existing.refresh_from_db()
    assert (existing.phone, existing.gender, existing.date_of_birth) == ("0900000000", "", None)
    assert result.members[0].person == existing
    # An administrator may write them: the same row then changes the directory.
    plan = spreadsheets.plan_roster(exchange=exchange, data=data, actor=make_admin())
    assert plan.not_written == []
    assert [[(c.column, c.old, c.new) for c in p.changes] for p in plan.updates] == [
        [("性别", "", "女"), ("电话", "0900000000", "0912000001"), ("出生日期", "", "1965-05-01")]
    ]


def test_permit_columns_import_and_export(taipei):
    exchange = taipei["exchange"]
    headers = ["姓名", "里", "台胞证号码", "有效期至"]
    data = book([headers, ["何丽玲", "永明里", "T12345678", "2030-06-30"]])
    spreadsheets.import_roster(exchange=exchange, data=data)
    person = Person.objects.get(name="何丽玲")
    assert (person.permit_number, person.permit_expires_on) == ("T12345678", dt.date(2030, 6, 30))
    ws = exported(exchange).worksheets[0]
    row = dict(zip(header_of(ws), table_of(ws)[0], strict=True))
    assert (row["证件号码"], row["证件有效期"]) == ("T12345678", dt.datetime(2030, 6, 30))
    # Hidden with the number from a reader who may not see it.
    ws = exported(exchange, PersonalView.nothing(ROSTER)).worksheets[0]
    assert "证件有效期" not in header_of(ws)
    assert "2030" not in str(table_of(ws))


def test_template_and_export_share_the_roster_columns(taipei):
    seed(taipei)
    template = load_workbook(io.BytesIO(spreadsheets.roster_template())).worksheets[0]
    ws = exported(taipei["exchange"]).worksheets[0]
    assert header_of(ws)[1:] == [c.value for c in template[1]]
    assert template.freeze_panes == "A2"
    assert template.page_setup.orientation == "landscape"


@pytest.mark.parametrize("kind", ["roster", "itinerary", "appointments", "gifts"])
def test_every_exchange_sheet_is_formatted_as_offices_make_them(taipei, kind):
    seed(taipei)
    data = spreadsheets.export(taipei["exchange"], kind, "xlsx", "hans", personal=EVERYTHING)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    title = ws["A1"].value
    assert title.startswith("测试参访 ")
    assert "（2016年4月22日）" in title
    assert f"制表日期：{dt.date.today().isoformat()}" in title
    assert ws["A1"].font.bold
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{get_column_letter(ws.max_column)}1"]
    assert ws["A2"].value == "序号"
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert all(ws.cell(2, c).font.bold for c in range(1, ws.max_column + 1))
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
    assert all(6 <= w <= 50 for w in widths)
    numbers = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert numbers == list(range(1, len(numbers) + 1))
    if kind == "roster":
        assert numbers == [1, 2]
        name_width = ws.column_dimensions["B"].width
        assert name_width == 8  # 何丽玲: three CJK characters, two columns each, and a margin


def test_title_row_and_cells_escape_formulas(taipei):
    exchange = taipei["exchange"]
    exchange.title = "=HYPERLINK(1)"
    exchange.save()
    ws = exported(exchange).worksheets[0]
    assert ws["A1"].value.startswith("'=HYPERLINK(1)")


def test_import_page_previews_then_applies(taipei, client):
    exchange = taipei["exchange"]
    admin = make_admin()
    client.login(username=admin.username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    seed(taipei)
    wb = exported(exchange)
    ws = wb.worksheets[0]
    ws.cell(3, column_of(ws, "电话")).value = "0988777666"
    ws.append([None, "王大同", "男", "信义区", "四育里"])
    url = reverse("documents:roster_import", args=[exchange.pk])
    response = client.post(url, {"file": SimpleUploadedFile("roster.xlsx", save(wb))})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 row to add" in body and "1 row changes a member" in body
    assert "0988777666" in body and "王大同" in body
    assert Member.objects.filter(exchange=exchange).count() == 2  # nothing written yet
    digest = response.context["digest"]
    response = client.post(url, {"apply": "1", "digest": digest})
    assert response.status_code == 302
    assert Member.objects.filter(exchange=exchange).count() == 3
    assert Person.objects.get(name="何丽玲").phone == "0988777666"
    # The stored file is used once: applying again asks for the file.
    response = client.post(url, {"apply": "1", "digest": digest}, follow=True)
    assert "upload it again" in response.content.decode()


def test_the_demo_roster_exported_in_either_script_imports_back_unchanged(demo):
    members = list(demo.members.values_list("pk", "person_id", "title", "group_id", "role"))
    for which in ("hans", "hant"):
        data = spreadsheets.export(demo, "roster", "xlsx", which, personal=EVERYTHING)
        plan = spreadsheets.plan_roster(exchange=demo, data=data)
        assert (plan.refused, plan.adds, plan.not_written) == ([], [], [])
        assert [(p.row, p.changes) for p in plan.updates] == []
        assert len(plan.unchanged) == len(members)
    after = list(demo.members.values_list("pk", "person_id", "title", "group_id", "role"))
    assert after == members


def test_values_escaped_by_the_export_come_back_as_they_were(taipei):
    """A phone written +886… is exported as '+886… (never a formula) and imported as +886…."""
    exchange = taipei["exchange"]
    headers = ["姓名", "里", "职务", "电话"]
    spreadsheets.import_roster(
        exchange=exchange, data=book([headers, ["何丽玲", "永明里", "-", "+886912000001"]])
    )
    assert Person.objects.get(name="何丽玲").phone == "+886912000001"
    data = spreadsheets.export(exchange, "roster", "xlsx", "hans", personal=EVERYTHING)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws.cell(3, column_of(ws, "电话")).value == "'+886912000001"
    plan = spreadsheets.plan_roster(exchange=exchange, data=data)
    assert (plan.adds, plan.updates, len(plan.unchanged)) == ([], [], 1)
