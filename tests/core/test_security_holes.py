"""Issue 9, holes 9 and 10: hostile input gets a clear 4xx or a form error, never a 500;
one date limit for pages and API; one text validation at the service; safe redirects;
spreadsheet formulas escaped; calendar tokens out of the logs; API errors in JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory
from gunicorn.config import Config
from openpyxl import load_workbook
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

import civicbridge.demo.management.commands.serve as serve
from civicbridge.accounts.services import assign_role, create_token
from civicbridge.api.endpoints.common import Date
from civicbridge.core.forms import DateField
from civicbridge.core.services import (
    EARLIEST_DATE,
    LATEST_DATE,
    validate_text,
    validate_text_fields,
)
from civicbridge.core.views import safe_next
from civicbridge.demo.access_log import RedactingLogger
from civicbridge.directory.models import Person
from civicbridge.directory.selectors import search_people, search_places
from civicbridge.documents.redaction import RedactTokens, redact
from civicbridge.documents.spreadsheets import Table, roster_template, to_csv, to_xlsx
from civicbridge.exchanges import forms as exchange_forms
from civicbridge.pages.search import search_exchanges
from civicbridge.pairings import forms as pairings_forms

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


@pytest.fixture
def admin(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user(username="root", password="x")
    assign_role(user=user, role="administrator")
    return user


@pytest.fixture
def admin_client(admin):
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    return client


@pytest.fixture
def api_client(admin):
    raw = create_token(user=admin, label="t", read_only=False)[1]
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")


# --- hole 9: one date limit -------------------------------------------------------------


def test_hole9_page_date_fields_use_the_api_limit():
    field = DateField()
    for bad in ("0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"):
        with pytest.raises(ValidationError):
            field.clean(bad)
    assert field.clean("1900-01-01") == EARLIEST_DATE
    assert field.clean("2200-12-31") == LATEST_DATE
    # the API's Date type: the same two limits
    adapter = TypeAdapter(Date)
    assert adapter.validate_python("1900-01-01") == EARLIEST_DATE
    assert adapter.validate_python("2200-12-31") == LATEST_DATE
    for bad in ("1899-12-31", "2201-01-01", "0001-01-01", "9999-12-31"):
        with pytest.raises(PydanticError):
            adapter.validate_python(bad)


def test_hole9_every_page_form_date_field_is_limited():
    unlimited = []
    for module in (exchange_forms, pairings_forms):
        for name in dir(module):
            cls = getattr(module, name)
            if isinstance(cls, type) and issubclass(cls, forms.Form):
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.DateField) and not isinstance(field, DateField):
                        unlimited.append(f"{name}.{field_name}")
    assert unlimited == []


# --- hole 9: NUL in addresses -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a%00b",
        "/directory/people/?q=%00",
        "/directory/lookup/places/?q=%00&format=json",
        "/documents/calendar/abc%00def.ics",
        "/exchanges/?status=%00",
    ],
)
def test_hole9_nul_in_an_address_is_a_400(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400


def test_hole9_nul_in_a_typed_lookup_is_no_query_error(admin):
    assert list(search_people("a\x00b")) == []
    assert list(search_places("\x00")) == []
    assert list(search_exchanges("\x00\ud800")) == []


# --- hole 9: next= ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(document.cookie)",
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "java\x00script:alert(1)",
    ],
)
def test_hole9_hole10_notifications_next_never_leaves_the_site(admin_client, target):
    response = admin_client.post("/pairings/notifications/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/pairings/notifications/"


def test_hole10_notifications_next_keeps_a_local_address(admin_client):
    response = admin_client.post("/pairings/notifications/", {"next": "/exchanges/?year=2016"})
    assert response["Location"] == "/exchanges/?year=2016"


def test_hole10_safe_next_is_the_one_helper():
    factory = RequestFactory()
    request = factory.post("/x/", {"next": "https://testserver.evil/"})
    assert safe_next(request, "/home/") == "/home/"
    request = factory.post("/x/", {"next": "/pairings/1/messages/"})
    assert safe_next(request, "/home/") == "/pairings/1/messages/"


# --- hole 9: civicbridge import ---------------------------------------------------------


def test_hole9_deeply_nested_json_in_import_is_a_command_error(tmp_path):
    path = tmp_path / "nested.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_data", str(path), stdout=io.StringIO())
    inner = tmp_path / "inner.json"
    inner.write_text(
        '{"format": "civicbridge", "version": 1, "places": ['
        + "[" * 200_000
        + "]" * 200_000
        + "]}",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_data", str(inner), stdout=io.StringIO())


# --- hole 9: API errors are JSON --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/no-such-thing", 404),
        ("get", "/api/nothing/here", 404),
        ("get", f"/api/v1/exchanges/{2**64}", 422),
        ("put", "/api/v1/me", 405),
        ("get", "/api/v1/people?q=%00", 400),
    ],
)
def test_hole9_api_errors_are_always_json(api_client, method, url, status):
    response = getattr(api_client, method)(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_hole9_api_request_too_large_is_a_json_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_client.post(
        "/api/v1/people", data=json.dumps({"name": "x" * 5000}), content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


# --- hole 10: formula injection ---------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def _table():
    return Table(
        "名单",
        ["姓名", "=header"],
        [[value, dt.date(1960, 3, 5)] for value in FORMULAS] + [["王小明", 42]],
    )


def test_hole10_csv_export_escapes_formulas():
    text = to_csv(_table()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["姓名", "'=header"]
    assert [r[0] for r in rows[1:]] == [f"'{v}" for v in FORMULAS] + ["王小明"]
    assert rows[-1] == ["王小明", "42"]


def test_hole10_xlsx_export_escapes_formulas():
    sheet = load_workbook(io.BytesIO(to_xlsx(_table()))).worksheets[0]
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    # (read with lxml, which python-docx brings: a carriage return comes back as written)
    assert values == [f"'{v}" for v in FORMULAS] + ["王小明"]
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))
    assert sheet["B2"].value == dt.datetime(1960, 3, 5)
    assert sheet["B1"].value == "'=header"


def test_hole10_roster_template_goes_through_the_same_escape():
    sheet = load_workbook(io.BytesIO(roster_template())).worksheets[0]
    assert [c.value for c in sheet[1]][0] == "姓名"


# --- hole 10: one text validation -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("邱郁惠", True),
        ("𠀋\ue008", True),  # rare CJK and private use: names Unicode cannot spell
        ("a\x00b", False),
        ("a\x07b", False),
        ("a\x85b", False),  # C1
        ("\u200b", False),
        ("\ufeff\u200d", False),
        ("abc\u202e", False),
        ("\u2066x\u2069", False),
        ("a\ud800", False),
        ("a\nb", False),
    ],
)
def test_hole10_names_refuse_controls_invisible_and_overrides(value, ok):
    person = Person(name=value, name_hans=value, name_hant=value)
    if ok:
        validate_text_fields(person)
        assert validate_text(value, field="name", max_length=200) == value
    else:
        with pytest.raises(ValidationError) as info:
            validate_text_fields(person)
        assert "name" in info.value.message_dict
        with pytest.raises(ValidationError):
            validate_text(value, field="name", max_length=200)


def test_hole10_multiline_text_keeps_newlines_and_tabs_and_normalises_crlf():
    person = Person(name="李里长", note="第一行\r\n\t第二行\r第三行")
    validate_text_fields(person)
    assert person.note == "第一行\n\t第二行\n第三行"
    person.note = "nul\x00"
    with pytest.raises(ValidationError) as info:
        validate_text_fields(person)
    assert list(info.value.message_dict) == ["note"]


def test_hole10_text_fields_longer_than_the_column_are_refused_on_every_database():
    person = Person(name="李里长", phone="1" * 41)
    with pytest.raises(ValidationError) as info:
        validate_text_fields(person)
    assert list(info.value.message_dict) == ["phone"]


def test_hole10_services_check_every_text_field(admin):
    with pytest.raises(ValidationError) as info:
        create_token(user=admin, label="a\x00b")
    assert list(info.value.message_dict) == ["label"]


# --- hole 10: calendar tokens out of the logs -------------------------------------------


def test_hole10_calendar_token_not_in_gunicorn_access_log():
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = RedactingLogger(cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    token = "s3cr3tT0kenXYZ_abc-123"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/documents/calendar/{token}.ics?script=hant",
        "PATH_INFO": f"/documents/calendar/{token}.ics",
        "QUERY_STRING": "script=hant",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.7",
        "HTTP_REFERER": f"https://cb.example/documents/calendar/{token}.ics",
    }
    response = SimpleNamespace(status="200 OK", sent=120, headers=[])
    request = SimpleNamespace(headers=[("USER-AGENT", "Calendar/1.0")])
    logger.access(response, request, environ, dt.timedelta(milliseconds=5))
    line = stream.getvalue()
    assert "/documents/calendar/[token].ics?script=hant" in line
    assert token not in line


def test_hole10_serve_uses_the_redacting_logger():
    text = Path(serve.__file__).read_text(encoding="utf-8")
    assert "civicbridge.demo.access_log.RedactingLogger" in text


def test_hole10_calendar_token_not_in_django_logs(settings):
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_tokens"]
    token = "an0therS3cretToken"
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/documents/calendar/{token}.ics",),
        None,
    )
    assert RedactTokens().filter(record) is True
    assert record.getMessage() == "Not Found: /documents/calendar/[token].ics"
    assert redact(f"GET /documents/calendar/{token}.ics") == "GET /documents/calendar/[token].ics"
