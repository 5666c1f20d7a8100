import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.core import hans_hant
from civicbridge.core.models import UserPreference
from civicbridge.directory.models import TAIWAN, PlaceKind
from civicbridge.exchanges.models import ExchangeStatus
from civicbridge.pairings.models import CommitmentStatus
from tests.factories import (
    MODEL_BACKEND,
    ActivityFactory,
    AppointmentFactory,
    CommitmentFactory,
    ExchangeFactory,
    GroupFactory,
    MemberFactory,
    PairingFactory,
    PersonFactory,
    PlaceFactory,
    h1_count,
    make_user,
)

pytestmark = [
    pytest.mark.django_db,
    # tests/factories.py (shared) still triggers factory_boy's postgeneration-save notice.
    pytest.mark.filterwarnings(
        "ignore:.*_after_postgeneration will stop saving:DeprecationWarning"
    ),
]


@pytest.fixture
def user():
    return make_user("organiser")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_renders_without_login(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert h1_count(response) == 1


def test_login_with_password_signs_in(client, user):
    response = client.post(
        reverse("login"), {"username": "organiser", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_password_reset_pages_render(client):
    for name in ("password_reset", "password_reset_done"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert h1_count(response) == 1


def test_password_change_page_renders_signed_in(signed_in):
    response = signed_in.get(reverse("password_change"))
    assert response.status_code == 200
    assert h1_count(response) == 1


def test_dashboard_renders_with_one_h1(signed_in):
    response = signed_in.get("/")
    assert response.status_code == 200
    assert h1_count(response) == 1


def _exchange_with_everything(year: int):
    community = PlaceFactory(kind=PlaceKind.COMMUNITY)
    li = PlaceFactory(side_id=TAIWAN, kind=PlaceKind.LI)
    exchange = ExchangeFactory(
        start_date=dt.date(year, 4, 22),
        end_date=dt.date(year, 4, 23),
        status=ExchangeStatus.HELD,  # the figures count held exchanges only
    )
    group = GroupFactory(exchange=exchange)
    MemberFactory(exchange=exchange, group=group, home_place=li)
    ActivityFactory(exchange=exchange, place=community)
    AppointmentFactory(
        community=community, person_place=li, exchange=exchange, appointed_on=dt.date(year, 4, 22)
    )
    PairingFactory(
        place_a=community, place_b=li, exchange=exchange, started_on=dt.date(year, 4, 22)
    )
    CommitmentFactory(exchange=exchange, due_on=dt.date(2026, 12, 10))
    return exchange


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_records(signed_in):
    _exchange_with_everything(2016)
    signed_in.get("/")  # warm up the session and the language lookup
    one = _dashboard_queries(signed_in)
    for year in (2017, 2018, 2019, 2025, 2026, 2027):
        _exchange_with_everything(year)
        _exchange_with_everything(year)
    many = _dashboard_queries(signed_in)
    assert many == one


def test_dashboard_counts_per_year(signed_in):
    _exchange_with_everything(2016)
    _exchange_with_everything(2016)
    _exchange_with_everything(2017)
    response = signed_in.get("/")
    rows = {row["year"]: row for row in response.context["yearly"]}
    assert rows[2016]["exchanges"] == 2
    assert rows[2016]["appointments"] == 2
    assert rows[2016]["pairings"] == 2
    assert rows[2016]["communities"] == 4  # two communities and two li
    assert rows[2017]["exchanges"] == 1


def test_dashboard_lists_commitments_due_within_30_days_or_overdue(signed_in):
    today = dt.date.today()
    overdue = CommitmentFactory(due_on=today - dt.timedelta(days=3))
    soon = CommitmentFactory(
        due_on=today + dt.timedelta(days=20), status=CommitmentStatus.IN_PROGRESS
    )
    CommitmentFactory(due_on=today + dt.timedelta(days=45))
    CommitmentFactory(due_on=today + dt.timedelta(days=2), status=CommitmentStatus.DONE)
    CommitmentFactory(due_on=None)
    response = signed_in.get("/")
    assert [c.pk for c in response.context["commitments"]] == [overdue.pk, soon.pk]


def test_dashboard_splits_upcoming_and_recent_exchanges(signed_in):
    today = dt.date.today()
    past = ExchangeFactory(start_date=dt.date(2016, 4, 22), end_date=dt.date(2016, 4, 22))
    future = ExchangeFactory(
        start_date=today + dt.timedelta(days=10), end_date=today + dt.timedelta(days=12)
    )
    response = signed_in.get("/")
    assert [e.pk for e in response.context["upcoming"]] == [future.pk]
    assert [e.pk for e in response.context["recent"]] == [past.pk]


# --- search ------------------------------------------------------------------------------


def _place_names(response):
    return [p.name for p in response.context["places"]]


def test_search_finds_taipei_typed_in_either_script(signed_in):
    PlaceFactory(name="臺北市", side_id=TAIWAN, kind=PlaceKind.CITY)
    for query in ("臺北市", "台北市", "台北"):
        response = signed_in.get(reverse("search"), {"q": query})
        assert response.status_code == 200
        assert _place_names(response) == ["臺北市"]
        assert h1_count(response) == 1


def test_search_simplified_query_finds_traditional_li_district(signed_in):
    city = PlaceFactory(name="臺北市", side_id=TAIWAN, kind=PlaceKind.CITY)
    PlaceFactory(name="大安區", side_id=TAIWAN, kind=PlaceKind.DISTRICT, parent=city)
    response = signed_in.get(reverse("search"), {"q": "大安区"})
    assert _place_names(response) == ["大安區"]


def test_search_two_character_query_finds_short_name(signed_in):
    place = PlaceFactory(name="阜石路第四社区居委会", short_name="阜四社区")
    place.search_text = " ".join(hans_hant.search_key(n) for n in (place.name, place.short_name))
    place.save(update_fields=["search_text"])
    response = signed_in.get(reverse("search"), {"q": "阜四"})
    assert _place_names(response) == ["阜石路第四社区居委会"]


def test_search_finds_people_and_exchanges(signed_in):
    person = PersonFactory(name="邱郁惠")
    person.search_text = "邱郁惠"
    person.save(update_fields=["search_text"])
    ExchangeFactory(title="台北市里长联谊会总会基层参访团北京参访")
    response = signed_in.get(reverse("search"), {"q": "邱郁惠"})
    assert [p.name for p in response.context["people"]] == ["邱郁惠"]
    response = signed_in.get(reverse("search"), {"q": "里長聯誼會"})
    assert len(response.context["exchanges"]) == 1


def test_search_empty_query_renders_form(signed_in):
    response = signed_in.get(reverse("search"))
    assert response.status_code == 200
    assert h1_count(response) == 1


# --- language ----------------------------------------------------------------------------


def test_language_switch_persists_for_the_user(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    response = client.post(reverse("language"), {"language": "zh-hant", "next": "/"})
    assert response.status_code == 302
    assert UserPreference.objects.get(user=user).language == "zh-hant"
    assert response.cookies["django_language"].value == "zh-hant"

    # A new browser (no language cookie) signing in gets the stored choice.
    client.logout()
    client.cookies.clear()
    client.force_login(user, backend=MODEL_BACKEND)
    response = client.get("/")
    assert '<html lang="zh-hant"' in response.content.decode()
    assert response.cookies["django_language"].value == "zh-hant"


def test_language_switch_shows_content_in_readers_script(client, user):
    PlaceFactory(name="臺北市", side_id=TAIWAN, kind=PlaceKind.CITY)
    client.force_login(user, backend=MODEL_BACKEND)
    client.post(reverse("language"), {"language": "zh-hans", "next": "/"})
    response = client.get(reverse("search"), {"q": "台北"})
    assert "台北市" in response.content.decode()


def test_language_switch_works_signed_out(client):
    response = client.post(reverse("language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert UserPreference.objects.count() == 0


@pytest.mark.parametrize("url", ["/", "/search/?q=北京"])
def test_signed_in_without_role_reads_nothing(client, url):
    client.force_login(make_user("norole", role=None), backend=MODEL_BACKEND)
    response = client.get(url)
    assert response.status_code == 403
    assert h1_count(response) == 1


def test_community_member_reads_dashboard(client):
    place = PlaceFactory(kind=PlaceKind.COMMUNITY)
    member = make_user("member", role="community_member", place=place)
    client.force_login(member, backend=MODEL_BACKEND)
    assert client.get("/").status_code == 200
