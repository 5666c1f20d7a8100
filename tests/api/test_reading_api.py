"""POST /api/v1/reports/read: a report's text or file in, its facts document out."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.accounts.models import AuditEntry
from civicbridge.directory.models import Place
from civicbridge.exchanges.models import Exchange
from civicbridge.reports.models import Source
from civicbridge.reports.reading.extract import read_report
from tests.factories import make_user
from tests.reports.test_reading import NO_YEAR, TO_BEIJING

URL = "/api/v1/reports/read"


@pytest.fixture
def organiser_client(client, directory):
    client.force_login(
        make_user("beijing_organiser", role="organiser", place=Place.objects.get(code="11"))
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_text_is_read_as_the_command_reads_it_and_nothing_is_written(organiser_client):
    before = (Exchange.objects.count(), Source.objects.count(), AuditEntry.objects.count())

    response = organiser_client.post(URL, {"text": TO_BEIJING})

    assert response.status_code == 200
    assert response.json() == read_report(TO_BEIJING)
    assert (Exchange.objects.count(), Source.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_a_file_is_read_with_the_date_given(organiser_client):
    response = organiser_client.post(
        URL,
        {"file": SimpleUploadedFile("r.txt", NO_YEAR.encode("utf-8")), "published": "2023-05-20"},
    )

    assert response.status_code == 200
    assert [f["start"] for f in response.json()["facts"] if f["type"] == "date"] == ["2023-05-18"]


@pytest.mark.django_db
def test_what_cannot_be_read_is_a_400_and_a_viewer_a_403(organiser_client, client):
    answers = [
        organiser_client.post(URL, {"file": SimpleUploadedFile("r.pdf", b"%PDF-1.4")}),
        organiser_client.post(URL, {"text": "a\x00b"}),
        organiser_client.post(URL, {"text": "   "}),
        organiser_client.post(URL, {"published": "2023-02-30", "text": "x"}),
    ]

    assert [(a.status_code, a.json().get("detail")) for a in answers[:3]] == [
        (400, "Reports are read from .txt, .html and .docx files."),
        (400, "The text holds NUL characters."),
        (400, "Paste a report or upload one."),
    ]
    assert answers[3].status_code in (400, 422)
    viewer = make_user("viewer", role="viewer")
    organiser_client.force_login(viewer)
    assert organiser_client.post(URL, {"text": TO_BEIJING}).status_code == 403
