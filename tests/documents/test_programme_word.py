"""Issue 14: the programme in Word (python-docx) — title, the exchange and its dates, a
table per day (time, activity, place, hosts) — beside the PDF, with the organisers'
contacts only for readers the personal-data rule lets see them; and the printable page
under our CSP (its styles and its 打印 button are static files)."""

import datetime as dt
import io

import docx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from civicbridge.directory import services as directory
from civicbridge.directory.models import OrganisationKind
from civicbridge.documents import programme
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.personal_data import PROGRAMME, PersonalView
from tests.factories import build_whole_delegation_exchange, make_admin, make_user

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def world():
    records = build_whole_delegation_exchange()
    office = directory.create_organisation(
        name="延庆区人民政府台湾事务办公室",
        kind=OrganisationKind.GOVERNMENT_OFFICE,
        place=records["group"].host_place,
    )
    exchanges.add_exchange_organisation(
        exchange=records["exchange"], organisation=office, role="host"
    )
    contact = directory.create_person(name="联络员丙", phone="010-6910-0000", email="c@example.org")
    directory.create_position(
        person=contact, title="联络员", organisation=office, start_date=dt.date(2015, 1, 1)
    )
    return records


@pytest.fixture
def signed_in(client):
    user = get_user_model().objects.create_superuser("word-admin", "w@example.org", "x-pass-1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_word_programme_has_title_exchange_dates_and_a_table_per_day(world):
    document = _open(programme.programme_docx(world["exchange"], "hans", group=world["group"]))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:3] == [
        "日程表",
        "测试参访",
        "延庆区参访组 · 延庆区 · 2016年4月22日—2016年4月23日",
    ]
    assert "2016年4月22日 星期五" in paragraphs and "2016年4月23日 星期六" in paragraphs
    day_one, day_two = document.tables
    assert _rows(day_one)[0] == ["时间", "活动", "地点", "接待"]
    assert [row[0] for row in _rows(day_one)[1:]] == ["09:00–10:30"]
    assert _rows(day_one)[1][1].splitlines()[0] == "参观康安社区"
    assert "祁金利" in _rows(day_one)[1][3]
    # the whole delegation's forum and ceremony are the group's too; the other group's visit is not
    assert [row[1].splitlines()[0] for row in _rows(day_two)[1:]] == [
        "两岸社区治理论坛",
        "荣誉主任聘任仪式",
    ]
    assert "参观海淀创新中心" not in "\n".join(paragraphs + [c for r in _rows(day_two) for c in r])


def test_word_programme_shows_contacts_only_to_readers_allowed(world):
    exchange, group = world["exchange"], world["group"]
    admin = PersonalView(make_admin("word-reader-admin"), PROGRAMME)
    viewer = PersonalView(make_user("word-reader-viewer"), PROGRAMME)
    allowed = _open(programme.programme_docx(exchange, "hans", group=group, personal=admin))
    refused = _open(programme.programme_docx(exchange, "hans", group=group, personal=viewer))
    assert _rows(allowed.tables[-1])[1:] == [
        ["联络员丙", "延庆区人民政府台湾事务办公室联络员", "010-6910-0000", "c@example.org"]
    ]
    assert "010-0000-0000" in _rows(allowed.tables[0])[1][3]  # the host's phone
    assert len(refused.tables) == 2  # the two days, no contacts
    text = "\n".join(c for t in refused.tables for r in _rows(t) for c in r)
    assert ["010-6910-0000" in text, "010-0000-0000" in text, "联络员丙" in text] == [False] * 3


def test_word_programme_in_traditional_script(world):
    document = _open(programme.programme_docx(world["exchange"], "hant", group=world["group"]))
    assert [p.text for p in document.paragraphs][:2] == ["日程表", "測試參訪"]
    assert document.core_properties.language == "zh-hant"


def test_word_download_beside_the_pdf(world, signed_in):
    group = world["group"]
    response = signed_in.get(reverse("documents:programme_group_docx", args=[group.pk]))
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert _open(response.content).paragraphs[1].text in {"测试参访", "測試參訪"}
    whole = signed_in.get(reverse("documents:programme_exchange_docx", args=[group.exchange_id]))
    assert len(_open(whole.content).tables) == 3  # two days and the contacts
    page = signed_in.get(reverse("documents:programme_group", args=[group.pk])).content.decode()
    docx_url = reverse("documents:programme_group_docx", args=[group.pk])
    pdf_url = reverse("documents:programme_group_pdf", args=[group.pk])
    assert [f'href="{docx_url}?script=' in page, f'href="{pdf_url}?script=' in page] == [True, True]


def test_exchange_page_links_the_word_programmes(world, signed_in):
    exchange = world["exchange"]
    html = signed_in.get(exchange.get_absolute_url()).content.decode()
    for pk in (world["group"].pk, world["second"].pk):
        assert reverse("documents:programme_group_docx", args=[pk]) in html
    assert reverse("documents:programme_exchange_docx", args=[exchange.pk]) in html


def test_printable_page_uses_no_inline_style_or_script(world, signed_in):
    response = signed_in.get(reverse("documents:programme_group", args=[world["group"].pk]))
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert ["<style" in html, "style=" in html, "onclick" in html, "<script>" in html] == [
        False
    ] * 4
    assert "civicbridge/programme.css" in html
    assert 'civicbridge/programme-print.css" media="print"' in html
    assert "civicbridge/programme.js" in html
    assert "data-print" in html
