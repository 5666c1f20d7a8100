"""The figures count only what took place: held exchanges, appointments and pairings, not
planned, confirmed, cancelled or deleted ones (dashboard, place page, statistics export)."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from civicbridge.directory.models import TAIWAN, PlaceKind
from civicbridge.exchanges.models import ExchangeStatus
from tests.factories import (
    MODEL_BACKEND,
    ActivityFactory,
    AppointmentFactory,
    ExchangeFactory,
    MemberFactory,
    PairingFactory,
    PlaceFactory,
    make_user,
)

pytestmark = [
    pytest.mark.django_db,
    # tests/factories.py (shared) still triggers factory_boy's postgeneration-save notice.
    pytest.mark.filterwarnings(
        "ignore:.*_after_postgeneration will stop saving:DeprecationWarning"
    ),
]

DAY = dt.date(2016, 4, 22)
NOT_HELD = (ExchangeStatus.PLANNED, ExchangeStatus.CONFIRMED, ExchangeStatus.CANCELLED)


@pytest.fixture
def signed_in(client):
    client.force_login(make_user("organiser"), backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page's English words
    return client


@pytest.fixture
def world():
    """In 2016, around one community: a held exchange, appointment and pairing, and beside
    each a planned, a confirmed and a cancelled one, and a deleted held exchange and
    appointment. Each exchange has an activity in the community and a member from a li."""
    community = PlaceFactory(kind=PlaceKind.COMMUNITY)
    lis = [PlaceFactory(side_id=TAIWAN, kind=PlaceKind.LI) for _ in range(5)]
    for index, status in enumerate((ExchangeStatus.HELD, *NOT_HELD, "deleted")):
        deleted = status == "deleted"
        exchange = ExchangeFactory(
            start_date=DAY,
            end_date=DAY,
            status=ExchangeStatus.HELD if deleted else status,
            deleted_at=timezone.now() if deleted else None,
        )
        ActivityFactory(exchange=exchange, place=community)
        MemberFactory(exchange=exchange, home_place=lis[index])
        AppointmentFactory(
            community=community,
            person_place=lis[index],
            exchange=exchange,
            appointed_on=DAY,
            status=ExchangeStatus.HELD if deleted else status,
            deleted_at=timezone.now() if deleted else None,
        )
        if not deleted:
            PairingFactory(place_a=community, place_b=lis[index], started_on=DAY, status=status)
    return {"community": community}


def test_dashboard_totals_count_held_records_only(signed_in, world):
    response = signed_in.get("/")

    assert response.context["totals"] == {
        "exchanges": 1,
        "appointments": 1,
        "active_pairings": 1,
        "people": 10,  # a member and an appointee for each of the five exchanges
    }


def test_dashboard_year_by_year_counts_held_records_only(signed_in, world):
    response = signed_in.get("/")

    assert response.context["yearly"] == [
        # the community, and the li of the held exchange's member and appointee
        {"year": 2016, "exchanges": 1, "communities": 2, "appointments": 1, "pairings": 1}
    ]
    assert "planned, confirmed and cancelled ones are not counted" in response.text


def test_dashboard_lists_still_show_planned_exchanges(signed_in, world):
    response = signed_in.get("/")

    assert len(response.context["recent"]) == 4  # every exchange but the deleted one


def test_place_page_figures_count_held_records_only(signed_in, world):
    response = signed_in.get(reverse("directory:place", args=[world["community"].pk]))

    assert response.status_code == 200
    assert response.context["figures"] == {"exchanges": 1, "appointments": 1, "pairings": 1}
    assert response.context["exchanges"]["total"] == 4  # the list shows what is planned too
    assert "1 exchange ·" in response.text


def test_statistics_export_counts_held_records_only(signed_in, world):
    response = signed_in.get(reverse("statistics", args=["csv"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["年份", "交流", "参与社区", "聘任", "结对"],
        ["2016", "1", "2", "1", "1"],
        ["合计", "1", "", "1", "1"],
    ]


def test_statistics_export_as_excel_in_traditional_script(signed_in, world):
    response = signed_in.get(reverse("statistics", args=["xlsx"]), {"script": "hant"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["年份", "交流", "參與社區", "聘任", "結對"],
        [2016, 1, 2, 1, 1],
        ["合計", 1, None, 1, 1],
    ]


def test_statistics_export_refuses_unknown_format_and_anonymous(client, signed_in):
    assert signed_in.get("/statistics.pdf").status_code == 404
    client.logout()
    assert client.get(reverse("statistics", args=["csv"])).status_code == 302


@pytest.mark.parametrize("script", ["<script>", "zh-\u202ehant", "x" * 5000])
def test_statistics_export_takes_any_script_parameter(signed_in, script):
    response = signed_in.get(reverse("statistics", args=["csv"]), {"script": script})

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("年份,")


def test_statistics_export_refuses_nul_in_the_query(signed_in):
    assert signed_in.get(reverse("statistics", args=["csv"]), {"script": "\x00"}).status_code == 400


def test_statistics_export_in_the_readers_script(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    response = signed_in.get(reverse("statistics", args=["csv"]))

    assert response.content.decode("utf-8-sig").startswith("年份,交流,參與社區,聘任,結對")
