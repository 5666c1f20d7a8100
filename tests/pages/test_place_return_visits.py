"""A return visit on the place page (issue 12): in the place's list of exchanges, an exchange
that is the return visit of an earlier trip says so, linked to the trip when it is recorded
(as the sources write it otherwise), read with one query for the whole list."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicbridge.accounts.services import soft_delete
from civicbridge.exchanges import services as exchanges
from civicbridge.programmes import services as programmes
from tests.factories import make_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _trip(world, title, day):
    """An earlier trip: the Beijing office's visit to 板溪里."""
    return exchanges.create_exchange(
        title=title,
        start_date=day,
        end_date=day,
        visiting_organisation=world.office,
        visiting_place=world.haidian,
        host_place=world.li,
    )


def _rows(body: str) -> list[str]:
    section = body.split('id="exchanges-heading"', 1)[1].split("</section>", 1)[0]
    return section.split("<li>")[1:]


def _row_of(body: str, title: str) -> str:
    (row,) = [r for r in _rows(body) if f">{title}</a>" in r.split("</span>", 1)[0]]
    return row


def test_a_return_visit_says_so_linked_to_the_trip(client_in, exchange_world):
    w = exchange_world
    trip = _trip(w, "北京市台办参访板溪里", dt.date(2015, 10, 1))
    programmes.link_exchange(exchange=w.exchange, kind="return_visit", other=trip)
    # 台北市 hosted the trip (at 板溪里) and sent the return visit: both are listed.
    body = client_in.get(w.taipei.get_absolute_url()).content.decode()
    row = _row_of(body, w.exchange.title)
    assert (
        f'<span class="exchange-row__return">return visit of '
        f'<a href="{trip.get_absolute_url()}">北京市台办参访板溪里</a></span>'
    ) in row
    assert "exchange-row__return" not in _row_of(body, trip.title)
    # The other links (an earlier visit mentioned) say nothing here.
    programmes.link_exchange(exchange=trip, kind="earlier", who="台北市里长参访团")
    body = client_in.get(w.taipei.get_absolute_url()).content.decode()
    assert "exchange-row__return" not in _row_of(body, trip.title)


def test_a_trip_known_only_as_written_and_a_deleted_trip(client_in, exchange_world):
    w = exchange_world
    programmes.link_exchange(
        exchange=w.exchange, kind="return_visit", who="北京市台办参访团", where_place=w.li
    )
    deleted = _trip(w, "已删除的参访", dt.date(2015, 5, 1))
    programmes.link_exchange(exchange=w.exchange, kind="return_visit", other=deleted)
    soft_delete(deleted)
    body = client_in.get(w.taipei.get_absolute_url()).content.decode()
    row = _row_of(body, w.exchange.title)
    assert '<span class="exchange-row__return">return visit of 北京市台办参访团</span>' in row
    assert "已删除的参访" not in body
    assert row.count("exchange-row__return") == 1


def test_markup_in_the_written_trip_is_escaped(client_in, exchange_world):
    w = exchange_world
    programmes.link_exchange(exchange=w.exchange, kind="return_visit", who="<b>访问团</b>")
    body = client_in.get(w.taipei.get_absolute_url()).content.decode()
    assert "<b>访问团</b>" not in body
    assert "&lt;b&gt;访问团&lt;/b&gt;" in _row_of(body, w.exchange.title)


def _queries(client, url) -> int:
    client.get(url)  # warm caches outside the count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_return_visits_cost_one_query_whatever_their_number(client_in, exchange_world):
    w = exchange_world
    first = _trip(w, "第1次参访", dt.date(2015, 1, 1))
    url = w.taipei.get_absolute_url()
    without = _queries(client_in, url)
    programmes.link_exchange(exchange=w.exchange, kind="return_visit", other=first)
    one = _queries(client_in, url)
    for i in range(2, 5):
        trip = _trip(w, f"第{i}次参访", dt.date(2015, i, 1))
        visit = exchanges.create_exchange(
            title=f"第{i}次回访",
            start_date=dt.date(2016, i, 1),
            end_date=dt.date(2016, i, 1),
            visiting_organisation=w.association,
            visiting_place=w.taipei,
            host_place=w.beijing,
        )
        programmes.link_exchange(exchange=visit, kind="return_visit", other=trip)
    several = _queries(client_in, url)
    assert (without, one) == (several, several)
    assert client_in.get(url).content.decode().count("exchange-row__return") == 4
