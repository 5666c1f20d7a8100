import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from civicbridge.documents import programme, services
from civicbridge.documents.models import NewsBrief
from civicbridge.pairings import services as pairings
from tests.factories import build_small_exchange

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = get_user_model().objects.create_superuser("docs-admin", "a@example.org", "x-pass-1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.user = user
    return client


def test_save_news_brief_numbers_versions_and_refuses_stale_edit():
    exchange = build_small_exchange()["exchange"]
    first = services.save_news_brief(exchange=exchange, script="zh-hans", text="初稿", based_on=0)
    second = services.save_news_brief(exchange=exchange, script="hans", text="二稿", based_on=1)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError):
        services.save_news_brief(exchange=exchange, script="hans", text="旧稿", based_on=1)
    # stored once, in the exchange's script (Beijing hosts: Simplified); an edit made in
    # Traditional is the next version of the same brief
    hant = services.save_news_brief(exchange=exchange, script="hant", text="編輯後的稿", based_on=2)
    assert (hant.number, hant.script, hant.text) == (3, "hans", "编辑后的稿")


def test_brief_page_generates_draft_and_saves_new_version(signed_in):
    exchange = build_small_exchange()["exchange"]
    url = reverse("documents:brief", args=[exchange.pk])
    page = signed_in.get(url + "?script=hant")
    assert page.status_code == 200
    assert "臺北市里長聯誼會總會" in page.content.decode()
    response = signed_in.post(
        url, {"script": "hant", "text": "編輯後的新聞稿", "note": "改標題", "based_on": 0}
    )
    assert response.status_code == 302
    saved = NewsBrief.objects.get(exchange=exchange)
    assert (saved.number, saved.script, saved.text, saved.created_by) == (
        1,
        "hans",
        "编辑后的新闻稿",
        signed_in.user,
    )
    old = signed_in.get(reverse("documents:brief_version", args=[exchange.pk, "hant", 1]))
    assert "編輯後的新聞稿" in old.content.decode()
    # one edit serves both readers
    hans = signed_in.get(url + "?script=hans")
    assert "编辑后的新闻稿" in hans.content.decode()
    again = signed_in.get(url + "?script=hant")
    assert "編輯後的新聞稿" in again.content.decode()


def test_downloads_need_sign_in(client):
    exchange = build_small_exchange()["exchange"]
    response = client.get(reverse("documents:programme_exchange", args=[exchange.pk]))
    assert response.status_code == 302


def test_download_views_answer_with_documents(signed_in):
    records = build_small_exchange()
    exchange = records["exchange"]
    appointment = pairings.appoint(
        person=records["host"],
        community=records["kangan"],
        appointed_on=dt.date(2016, 4, 22),
        exchange=exchange,
    )
    cert = signed_in.get(reverse("documents:certificate", args=[appointment.pk]))
    assert cert["Content-Type"] == "application/pdf"
    assert cert.content[:5] == b"%PDF-"
    batch = signed_in.get(reverse("documents:certificates_exchange", args=[exchange.pk]))
    assert batch.content[:5] == b"%PDF-"
    html = signed_in.get(reverse("documents:programme_group", args=[records["group"].pk]))
    assert "参观康安社区" in html.content.decode()
    # an administrator sees the hosts' phones
    assert "010-0000-0000" in html.content.decode()
    pdf = signed_in.get(reverse("documents:programme_exchange_pdf", args=[exchange.pk]))
    assert pdf.content[:5] == b"%PDF-"
    ics = signed_in.get(reverse("documents:ics_group", args=[records["group"].pk]))
    assert ics.content.startswith(b"BEGIN:VCALENDAR")
    csv = signed_in.get(reverse("documents:export", args=[exchange.pk, "itinerary", "csv"]))
    assert csv.content[:3] == b"\xef\xbb\xbf"
    template = signed_in.get(reverse("documents:roster_template"))
    assert template.content[:2] == b"PK"


def test_programme_hides_contacts_from_readers_who_may_not_see_them(client):
    records = build_small_exchange()
    html = programme.programme_html(records["exchange"], "hans")
    assert "010-0000-0000" not in html
    assert "祁金利" in html


def test_roster_import_page_lists_row_errors(signed_in):
    exchange = build_small_exchange()["exchange"]
    wb = Workbook()
    wb.active.append(["姓名", "里", "出生日期"])
    wb.active.append(["甲", "大屯里", "2016-02-30"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.name = "roster.xlsx"
    buffer.seek(0)
    response = signed_in.post(
        reverse("documents:roster_import", args=[exchange.pk]), {"file": buffer}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "出生日期" in body and "2016-02-30" in body
    assert exchange.members.count() == 0
