"""The calendar of exchanges by month (/calendar/?month=2016-04, pages/calendar.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from civicbridge.accounts.services import soft_delete
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import DatePrecision, ExchangeStatus
from civicbridge.pages import calendar
from tests.factories import MODEL_BACKEND, h1_count

pytestmark = pytest.mark.django_db

URL = reverse("calendar")


@pytest.fixture
def world(roles_world):
    """April 2016: the roles world's exchange (北京市, groups in 海淀 and 延庆, 22–23 April,
    made held here) and 另一次参访 (2 May); added: a planned one hosted in 海淀 (28 April),
    a cancelled one (延庆, 5 April), one across the month's start (30 March – 2 April), one
    known only by its month, a deleted one, one in May."""
    w = roles_world
    exchanges.update_exchange(exchange=w.exchange, status=ExchangeStatus.HELD)
    w.planned = exchanges.create_exchange(
        title="海淀区回访", start_date=dt.date(2016, 4, 28), host_place=w.haidian
    )
    w.cancelled = exchanges.create_exchange(
        title="延庆区座谈",
        start_date=dt.date(2016, 4, 5),
        end_date=dt.date(2016, 4, 5),
        host_place=w.yanqing,
        status=ExchangeStatus.CANCELLED,
    )
    w.across = exchanges.create_exchange(
        title="跨月参访",
        start_date=dt.date(2016, 3, 30),
        end_date=dt.date(2016, 4, 2),
        host_place=w.haidian,
        status=ExchangeStatus.HELD,
    )
    w.month_only = exchanges.create_exchange(
        title="四月初参访",
        start_date=dt.date(2016, 4, 1),
        date_precision=DatePrecision.MONTH,
        host_place=w.haidian,
        status=ExchangeStatus.HELD,
    )
    deleted = exchanges.create_exchange(
        title="已删除的参访", start_date=dt.date(2016, 4, 12), host_place=w.haidian
    )
    soft_delete(deleted, by=None, expected_version=deleted.version)
    exchanges.create_exchange(
        title="五月参访", start_date=dt.date(2016, 5, 20), host_place=w.haidian
    )
    return w


def _get(client, w, *, user="viewer", language="en", month="2016-04"):
    client.force_login(w.users[user], backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(URL, {"month": month} if month is not None else {})


def _cell(html: str, day: int) -> str:
    """The grid cell of ``day`` April (in the month)."""
    cells = re.findall(r'<td class="cal-day[^"]*">(.*?)</td>', html, flags=re.S)
    ours = [c for c in cells if f'<span aria-hidden="true">{day}</span>' in c]
    inside = [c for c in ours if "Apr 2016" in c or "年4月" in c]
    assert len(inside) == 1, (day, len(ours))
    return inside[0]


def test_month_grid_puts_each_exchange_on_its_days(client, world):
    response = _get(client, world)
    html = response.content.decode()
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert "Exchanges in April 2016" in html
    grid = html[html.index('class="calendar-grid"') : html.index('class="calendar-list"')]
    # Monday first: 28 March 2016 was a Monday, the grid's first cell
    assert re.findall(r'<span aria-hidden="true">(\d+)</span>', grid)[:7] == [
        "28", "29", "30", "31", "1", "2", "3",
    ]  # fmt: skip
    assert "基层参访团北京参访" in _cell(grid, 22)
    assert "基层参访团北京参访" in _cell(grid, 23)
    assert "基层参访团北京参访" not in _cell(grid, 24)
    assert "海淀区回访" in _cell(grid, 28)
    assert "延庆区座谈" in _cell(grid, 5)
    assert "跨月参访" in _cell(grid, 1) and "跨月参访" in _cell(grid, 2)
    assert "cal-entry--continued" in _cell(grid, 2)  # it began in March
    assert "已删除的参访" not in html
    assert "五月参访" not in html
    assert "另一次参访" not in html  # 2 May
    # the month-only exchange: listed apart, not on a day
    assert "四月初参访" not in grid
    undated = html[html.index("calendar-undated") : html.index('class="calendar-grid"')]
    assert "四月初参访" in undated


def test_planned_and_held_differ_by_mark_and_word_not_only_colour(client, world):
    html = _get(client, world).content.decode()
    grid = html[html.index('class="calendar-grid"') : html.index('class="calendar-list"')]
    held, planned = _cell(grid, 22), _cell(grid, 28)
    assert "cal-entry--held" in held and "●" in held and "(Held)" in held
    assert "cal-entry--planned" in planned and "○" in planned and "(Planned)" in planned
    assert "cal-entry--cancelled" in _cell(grid, 5) and "✕" in _cell(grid, 5)
    legend = html[
        html.index("calendar-legend") : html.index("</ul>", html.index("calendar-legend"))
    ]
    for mark, word in (("○", "Planned"), ("◐", "Confirmed"), ("●", "Held"), ("✕", "Cancelled")):
        assert mark in legend and word in legend


def test_phone_list_by_day(client, world):
    html = _get(client, world).content.decode()
    listing = html[html.index('class="calendar-list"') :]
    days = re.findall(r'<h2 class="calendar-list__date">(.*?)</h2>', listing)
    assert days == [
        "1 Apr 2016 · Fri",
        "2 Apr 2016 · Sat",
        "5 Apr 2016 · Tue",
        "22 Apr 2016 · Fri",
        "23 Apr 2016 · Sat",
        "28 Apr 2016 · Thu",
    ]
    assert listing.count(">Held</span>") == 4  # 1, 2 April (across), 22, 23 April
    assert listing.count(">Planned</span>") == 1


def test_previous_and_next_month_links(client, world):
    html = _get(client, world).content.decode()
    assert f'href="{URL}?month=2016-03" rel="prev"' in html
    assert f'href="{URL}?month=2016-05" rel="next"' in html
    html = _get(client, world, month="2016-12").content.decode()
    assert f'href="{URL}?month=2017-01" rel="next"' in html
    html = _get(client, world, month="2016-01").content.decode()
    assert f'href="{URL}?month=2015-12" rel="prev"' in html


def test_without_a_month_it_shows_this_month(client, world):
    response = _get(client, world, month=None)
    assert response.status_code == 200
    today = dt.date.today()
    assert f'value="{today:%Y-%m}"' in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        "2016-13",
        "2016-4",
        "abcd-01",
        "1899-12",
        "2201-01",
        "2016-04-01",
        "２０１６-04",
        "\u202e2016-04",
    ],
)
def test_a_bad_month_is_a_clear_400(client, world, bad):
    response = _get(client, world, month=bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a month" in html
    assert h1_count(response) == 1


@pytest.mark.parametrize(
    ("language", "month", "title", "weekday"),
    [
        ("zh-hans", "2016年4月", "基层参访团北京参访", "星期一"),
        ("zh-hant", "2016年4月", "基層參訪團北京參訪", "星期一"),
        ("en", "April 2016", "基层参访团北京参访", "Mon"),
    ],
)
def test_in_the_readers_language_and_script(client, world, language, month, title, weekday):
    html = _get(client, world, language=language).content.decode()
    assert f'<html lang="{language}"' in html
    assert month in html
    assert title in html
    assert f'<th scope="col">{weekday}</th>' in html


def test_the_users_scope(client, world):
    # 延庆's organiser: the city-wide exchange (a group in 延庆) and 延庆's own; not 海淀's
    html = _get(client, world, user="organiser_yanqing").content.decode()
    assert "基层参访团北京参访" in html
    assert "延庆区座谈" in html
    assert "海淀区回访" not in html
    assert "跨月参访" not in html
    html = _get(client, world, user="organiser_haidian").content.decode()
    assert "海淀区回访" in html and "延庆区座谈" not in html
    # the coordinator of the visiting association: its delegation only
    html = _get(client, world, user="coordinator").content.decode()
    assert "基层参访团北京参访" in html and "海淀区回访" not in html
    assert _get(client, world, user="nobody").status_code == 403


def test_linked_from_the_nav_and_the_exchange_list(client, world):
    _get(client, world)
    html = client.get(reverse("exchanges:list")).content.decode()
    nav = html[
        html.index('class="main-nav"') : html.index("</nav>", html.index('class="main-nav"'))
    ]
    assert f'href="{URL}"' in nav
    content = html[html.index('id="main"') :]
    assert f'href="{URL}"' in content
    html = client.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in html


def test_month_grid_unit():
    first = dt.date(2016, 2, 1)
    weeks, listed, undated = calendar.month_grid([], first, dt.date(2016, 2, 29))
    assert len(weeks) == 5 and all(len(w) == 7 for w in weeks)
    assert weeks[0][0].date == dt.date(2016, 2, 1)  # a Monday
    assert weeks[-1][0].date == dt.date(2016, 2, 29)
    assert weeks[-1][0].today
    assert (listed, undated) == ([], [])


@pytest.mark.parametrize(("extra", "queries"), [(0, 4), (12, 4)])
def test_query_count_is_flat(client, world, django_assert_num_queries, extra, queries):
    for i in range(extra):
        exchanges.create_exchange(
            title=f"参访{i}",
            start_date=dt.date(2016, 4, 1 + i),
            end_date=dt.date(2016, 4, 3 + i),
            host_place=world.haidian if i % 2 else world.yanqing,
            status=ExchangeStatus.HELD if i % 3 else ExchangeStatus.PLANNED,
        )
    _get(client, world)  # the session's first queries
    with django_assert_num_queries(queries):
        response = client.get(URL, {"month": "2016-04"})
    assert response.status_code == 200
    assert response.content.decode().count("cal-entry--") >= 2 * (extra + 5)
