"""Issue 9, hole 7: a roster spreadsheet cannot exhaust the server. The file's size, the
uncompressed size of its zip members (read from the zip directory before anything is
inflated), its rows, columns and filled cells are capped; the sheet is read in openpyxl's
streaming mode; a refusal is a clear, translated message within seconds."""

import io
import time
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from civicbridge.accounts.services import assign_role
from civicbridge.documents import spreadsheets
from civicbridge.exchanges.models import Member
from tests import factories

pytestmark = pytest.mark.django_db

SECONDS = 5.0


@pytest.fixture
def organiser_client(client):
    user = get_user_model().objects.create_user(username="admin", password="x-y-z-123456")
    assign_role(user=user, role="administrator")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def refused(exchange, data, language="en") -> tuple[str, float]:
    """The one whole-file message the import refuses ``data`` with, and the time it took."""
    started = time.perf_counter()
    with translation.override(language), pytest.raises(spreadsheets.RosterImportError) as exc:
        spreadsheets.import_roster(exchange=exchange, data=data)
    elapsed = time.perf_counter() - started
    assert [e.row for e in exc.value.errors] == [0]
    return exc.value.errors[0].message, elapsed


def upload(client, exchange, data, name="roster.xlsx"):
    return client.post(
        reverse("documents:roster_import", args=[exchange.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def zip_bomb() -> bytes:
    """A small .xlsx whose shared strings expand to 64 MB of spaces."""
    parts = {"xl/sharedStrings.xml": (b" " * (1 << 20), 64)}
    return factories.xlsx_by_hand(factories.roster_rows(3), extra_parts=parts)


def test_hole7_small_but_expanding_xlsx_refused_from_its_zip_directory(taipei, settings):
    data = zip_bomb()
    assert len(data) < 1024 * 1024
    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert sum(m.file_size for m in members) > 64 * 1024 * 1024
    message, elapsed = refused(taipei["exchange"], data)
    assert message.startswith("The workbook expands to more than 20 MB when opened")
    assert elapsed < SECONDS
    assert Member.objects.filter(exchange=taipei["exchange"]).count() == 0


def test_hole7_300000_row_sheet_refused_in_seconds(taipei):
    # Declared honestly: refused from the sheet's dimension, before any row is read.
    honest = factories.xlsx_by_hand(factories.numbered_rows(300_000), dimension="A1:A300001")
    message, elapsed = refused(taipei["exchange"], honest)
    assert (
        message
        == "The sheet has more than 5000 rows below its header; import at most 5000 people at a time."
    )
    assert elapsed < SECONDS
    # Not declared: counted while streaming, refused at the first row over the limit.
    silent = factories.xlsx_by_hand(factories.numbered_rows(300_000))
    message, elapsed = refused(taipei["exchange"], silent)
    assert (
        message
        == "The sheet has more than 5000 rows below its header; import at most 5000 people at a time."
    )
    assert elapsed < SECONDS


def test_hole7_dimension_that_lies_does_not_truncate_the_sheet(taipei, settings):
    """A sheet declaring A1:B2 but holding 50 rows is read in full (openpyxl would stop at
    the declared last row and drop the rest without a word)."""
    settings.CIVICBRIDGE_SPREADSHEET_MAX_ROWS = 20
    data = factories.xlsx_by_hand(factories.roster_rows(50), dimension="A1:B2")
    message, _elapsed = refused(taipei["exchange"], data)
    assert (
        message
        == "The sheet has more than 20 rows below its header; import at most 20 people at a time."
    )


def test_hole7_too_many_columns_and_cells_refused(taipei, settings):
    wide = factories.xlsx_by_hand([["姓名", *(f"列{i}" for i in range(60))], ["张三"]])
    message, _elapsed = refused(taipei["exchange"], wide)
    assert message == "Row 1 has more than 50 columns."
    settings.CIVICBRIDGE_SPREADSHEET_MAX_CELLS = 100
    dense = factories.xlsx_by_hand(
        [["姓名", *(f"列{i}" for i in range(9))], *([f"张{i}", *"123456789"] for i in range(20))]
    )
    message, _elapsed = refused(taipei["exchange"], dense)
    assert message == "The sheet has more than 100 filled cells."


def test_hole7_tag_heavy_sheet_refused_before_openpyxl_parses_it(taipei, settings):
    """Few rows, a great many cells: the tags are counted at byte speed first, so the
    element-by-element parse never starts (openpyxl would walk it twice)."""
    settings.CIVICBRIDGE_SPREADSHEET_MAX_CELLS = 100
    heavy = factories.xlsx_by_hand([["姓名"], *([*range(1000)] for _ in range(10))])
    message, elapsed = refused(taipei["exchange"], heavy)
    assert message == (
        "The workbook holds far more than a roster; save only the roster's rows and columns "
        "and upload it again."
    )
    assert elapsed < SECONDS


def test_hole7_file_size_is_capped_by_the_service_too(taipei, settings):
    settings.CIVICBRIDGE_SPREADSHEET_MAX_BYTES = 1000
    data = factories.xlsx_by_hand(factories.roster_rows(200))
    assert len(data) > 1000
    message, _elapsed = refused(taipei["exchange"], data)
    assert message == "The file is larger than 1 KB."


def test_hole7_not_a_workbook_is_a_clear_error(taipei):
    for data in (b"", b"PK\x03\x04 broken", factories.docx(), factories.png()):
        message, _elapsed = refused(taipei["exchange"], data)
        assert message == "The file is not an Excel workbook (.xlsx)."
    message, _elapsed = refused(taipei["exchange"], b"", language="zh-hans")
    assert message == "该文件不是 Excel 工作簿（.xlsx）。"


def test_hole7_hand_written_roster_within_the_limits_imports(taipei):
    data = factories.xlsx_by_hand(factories.roster_rows(30))
    result = spreadsheets.import_roster(exchange=taipei["exchange"], data=data)
    assert len(result.members) == 30
    assert Member.objects.filter(exchange=taipei["exchange"], person__name="张29").count() == 1


def test_hole7_page_shows_the_refusal_and_imports_nothing(organiser_client, taipei):
    exchange = taipei["exchange"]
    before = Member.objects.filter(exchange=exchange).count()
    started = time.perf_counter()
    response = upload(organiser_client, exchange, zip_bomb())
    assert time.perf_counter() - started < SECONDS
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported." in page
    assert "The workbook expands to more than 20 MB when opened" in page
    response = upload(
        organiser_client,
        exchange,
        factories.xlsx_by_hand(factories.numbered_rows(300_000), dimension="A1:A300001"),
    )
    assert "The sheet has more than 5000 rows" in response.content.decode()
    assert Member.objects.filter(exchange=exchange).count() == before


def test_hole7_page_refuses_a_file_over_the_size_limit(organiser_client, taipei, settings):
    settings.CIVICBRIDGE_SPREADSHEET_MAX_BYTES = 2 * 1024 * 1024
    response = upload(organiser_client, taipei["exchange"], b"PK\x03\x04" + b"\x00" * (3 << 20))
    assert response.status_code == 200
    assert "The file is larger than 2 MB." in response.content.decode()
