"""Documents through the pages: who gets personal data, and the audit entry when they do."""

import csv
import io

import pytest
from django.urls import reverse

from civicbridge.accounts.models import AuditEntry
from civicbridge.directory import services as directory
from civicbridge.exchanges import services as exchanges
from tests.factories import MODEL_BACKEND, build_small_exchange, make_user

pytestmark = pytest.mark.django_db

PHONE = "0912000777"


@pytest.fixture
def records():
    records = build_small_exchange()
    li = next(iter(records["lis"].values()))
    person = directory.create_person(name="何丽玲", home_place=li, phone=PHONE)
    exchanges.add_member(
        exchange=records["exchange"], person=person, side="visiting", home_place=li
    )
    return records


def _roster(client, exchange) -> str:
    url = reverse("documents:export", args=[exchange.pk, "roster", "csv"])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_viewer_roster_export_has_no_personal_data_and_is_not_recorded(client, records):
    client.force_login(make_user("viewer"), backend=MODEL_BACKEND)
    body = _roster(client, records["exchange"])
    assert PHONE not in body
    assert list(csv.reader(io.StringIO(body)))[0][-1] != "电话"
    assert AuditEntry.objects.filter(action="export").count() == 0


def test_administrator_roster_export_with_personal_data_is_recorded(client, records):
    admin = make_user("admin", role="administrator")
    client.force_login(admin, backend=MODEL_BACKEND)
    assert PHONE in _roster(client, records["exchange"])
    entry = AuditEntry.objects.get(action="export")
    assert (entry.model, entry.user, entry.via) == ("documents.roster.csv", admin, "page")
    assert entry.after == {"includes_personal_data": True}


def test_documents_refused_without_role(client, records):
    client.force_login(make_user("norole", role=None), backend=MODEL_BACKEND)
    exchange = records["exchange"]
    for url in (
        reverse("documents:export", args=[exchange.pk, "roster", "csv"]),
        reverse("documents:programme_exchange", args=[exchange.pk]),
        reverse("documents:ics_exchange", args=[exchange.pk]),
        reverse("documents:roster_template"),
    ):
        assert client.get(url).status_code == 403, url
