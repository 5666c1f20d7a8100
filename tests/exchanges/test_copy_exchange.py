"""Copying a previous exchange (exchanges/copying.py): every date moved by the same number
of days (times of day kept in the exchange's time zone), people, groups, organisations and
places kept; appointments, gifts, photos and statements not copied; the copy planned and
audited; the page (form, preview) and the API; who may."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civicbridge.accounts.models import AuditEntry
from civicbridge.exchanges import copying, selectors
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    Exchange,
    ExchangeOrganisation,
    ExchangeStatus,
    Gift,
    Member,
    Photo,
    Statement,
    TimePrecision,
)
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import Appointment
from tests.factories import MODEL_BACKEND, at_day

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TAIPEI = ZoneInfo("Asia/Taipei")
NEW_START = dt.date(2017, 4, 21)  # 364 days after 22 April 2016
N = (NEW_START - dt.date(2016, 4, 22)).days


@pytest.fixture
def world(roles_world):
    """The roles world's exchange (北京市, groups in 海淀 and 延庆), with more in it: an
    escorting organisation, a further visiting place, a composition row, a group leader,
    host people, an unscheduled activity, a part-of-day one, an appointment, a gift, a
    statement and a photo."""
    w = roles_world
    e = w.exchange
    exchanges.add_exchange_organisation(exchange=e, organisation=w.other_org, role="escort")
    exchanges.add_exchange_place(exchange=e, role="visiting", place=w.daan)
    exchanges.add_composition_row(exchange=e, label="里长", count=12, group=w.group_yanqing)
    exchanges.update_group(group=w.group_yanqing, leader=w.member)
    exchanges.update_group(
        group=w.group_haidian, start_date=dt.date(2016, 4, 22), end_date=dt.date(2016, 4, 23)
    )
    host = exchanges.add_member(exchange=e, person=w.outsider, side="host", title="主任")
    w.host = host
    exchanges.update_activity(activity=w.activity_haidian, hosts=[w.outsider])
    w.afternoon = exchanges.create_activity(
        exchange=e,
        kind=ActivityKind.MEETING,
        title="座谈（下午）",
        starts_at=at_day(23, 14),
        ends_at=at_day(23, 17),
        time_precision=TimePrecision.PART_OF_DAY,
        groups=[w.group_haidian],
    )
    w.unscheduled = exchanges.create_activity(
        exchange=e, kind=ActivityKind.SITE_VISIT, title="待定参观"
    )
    w.appointment = pairings.appoint(
        person=w.person,
        community=w.community,
        appointed_on=dt.date(2016, 4, 22),
        exchange=e,
        activity=w.activity_haidian,
        person_place=w.li,
    )
    exchanges.record_gift(
        exchange=e, giver_person=w.person, recipient_wording="社区", description="茶叶"
    )
    exchanges.add_statement(exchange=e, text="常态化的互访机制", speaker_wording="台湾朋友")
    exchanges.add_photo(exchange=e, caption="合影")
    exchanges.update_exchange(
        exchange=e, status=ExchangeStatus.HELD, source="新华网 2016-04-23", summary="四组参访"
    )
    w.exchange = Exchange.objects.get(pk=e.pk)
    return w


def _copy(w, **kw):
    return copying.copy_exchange(
        exchange=w.exchange, start_date=NEW_START, by=w.users["administrator"], **kw
    )


def test_every_activity_moves_by_exactly_n_days_keeping_its_local_time(world):
    copy = _copy(world)
    before = list(Activity.objects.filter(exchange=world.exchange).order_by("order", "id"))
    after = list(Activity.objects.filter(exchange=copy).order_by("order", "id"))
    assert [a.title for a in after] == [a.title for a in before]
    assert len(after) == 4
    for old, new in zip(before, after, strict=True):
        if old.starts_at is None:
            assert (new.starts_at, new.ends_at) == (None, None)
            continue
        for o, n in ((old.starts_at, new.starts_at), (old.ends_at, new.ends_at)):
            o, n = o.astimezone(SHANGHAI), n.astimezone(SHANGHAI)
            assert (n.date() - o.date()).days == N
            assert n.time() == o.time()
        assert new.time_precision == old.time_precision
        assert new.status == ExchangeStatus.PLANNED
        assert new.place_id == old.place_id
        assert {g.name for g in new.groups.all()} == {g.name for g in old.groups.all()}
        assert {g.exchange_id for g in new.groups.all()} <= {copy.pk}
        assert set(new.hosts.values_list("pk", flat=True)) == set(
            old.hosts.values_list("pk", flat=True)
        )


def test_dates_of_the_exchange_and_groups_move_and_the_copy_is_planned(world):
    copy = _copy(world)
    assert (copy.start_date, copy.end_date) == (NEW_START, NEW_START + dt.timedelta(days=1))
    assert copy.status == ExchangeStatus.PLANNED
    assert copy.title == world.exchange.title
    assert (copy.host_place_id, copy.visiting_place_id, copy.visiting_organisation_id) == (
        world.exchange.host_place_id,
        world.exchange.visiting_place_id,
        world.exchange.visiting_organisation_id,
    )
    assert copy.summary == "四组参访"
    assert copy.source == ""  # sources belong to the visit that was held
    groups = {g.name: g for g in copy.groups.all()}
    assert set(groups) == {"第一组", "第三组"}
    assert (groups["第一组"].start_date, groups["第一组"].end_date) == (
        NEW_START,
        NEW_START + dt.timedelta(days=1),
    )
    assert groups["第一组"].host_place_id == world.haidian.pk


def test_people_groups_organisations_and_places_are_kept(world):
    copy = _copy(world)
    old = Member.objects.filter(exchange=world.exchange)
    new = Member.objects.filter(exchange=copy).select_related("group")
    assert sorted(new.values_list("person_id", "role", "side", "title")) == sorted(
        old.values_list("person_id", "role", "side", "title")
    )
    li_chief = new.get(person=world.person)
    assert li_chief.group.name == "第三组"
    assert li_chief.group.exchange_id == copy.pk
    assert copy.groups.get(name="第三组").leader_id == li_chief.pk
    assert list(
        ExchangeOrganisation.objects.filter(exchange=copy).values_list("organisation_id", "role")
    ) == [(world.other_org.pk, "escort")]
    assert list(copy.places.values_list("place_id", "role")) == [(world.daan.pk, "visiting")]
    assert list(copy.composition.values_list("label", "count", "group__name")) == [
        ("里长", 12, "第三组")
    ]


def test_appointments_gifts_photos_and_statements_are_not_copied(world):
    copy = _copy(world)
    assert Appointment.objects.filter(exchange=world.exchange).count() == 1
    assert Appointment.objects.filter(exchange=copy).count() == 0
    assert Appointment.objects.filter(activity__exchange=copy).count() == 0
    assert Gift.objects.filter(exchange=copy).count() == 0
    assert Photo.objects.filter(exchange=copy).count() == 0
    assert Statement.objects.filter(exchange=copy).count() == 0
    # the original is untouched
    assert Activity.objects.filter(exchange=world.exchange).count() == 4
    assert Exchange.objects.get(pk=world.exchange.pk).status == ExchangeStatus.HELD


def test_the_copy_is_audited_for_who_made_it(world):
    copy = _copy(world)
    entries = AuditEntry.objects.filter(model="exchanges.exchange", object_id=str(copy.pk))
    assert entries.filter(action="create").count() == 2
    copied = entries.get(note__startswith="copy of exchange")
    assert copied.after == {"copied_from": world.exchange.pk, "days_shifted": N}
    assert copied.username == "admin"
    assert (
        AuditEntry.objects.filter(model="exchanges.activity", action="create")
        .filter(
            object_id__in=[
                str(pk)
                for pk in Activity.objects.filter(exchange=copy).values_list("pk", flat=True)
            ]
        )
        .count()
        == 4
    )


def test_an_earlier_start_moves_everything_back(world):
    copy = copying.copy_exchange(
        exchange=world.exchange, start_date=dt.date(2016, 4, 1), by=None, title="提前"
    )
    first = Activity.objects.filter(exchange=copy, title="参观石油大院社区").get()
    assert first.starts_at.astimezone(SHANGHAI) == dt.datetime(2016, 4, 1, 9, tzinfo=SHANGHAI)
    assert copy.title == "提前"


def test_time_zone_of_a_taipei_hosted_exchange_is_respected(roles_world):
    w = roles_world
    e = exchanges.create_exchange(
        title="北京社区参访团来台",
        start_date=dt.date(2018, 7, 7),
        end_date=dt.date(2018, 7, 8),
        host_place=w.li,
        visiting_place=w.community,
    )
    assert e.timezone == "Asia/Taipei"
    late = exchanges.create_activity(
        exchange=e,
        kind=ActivityKind.MEETING,
        title="晚宴",
        # 23:30 in Taipei is the next day in UTC: the local day is what moves.
        starts_at=dt.datetime(2018, 7, 7, 23, 30, tzinfo=TAIPEI),
        ends_at=dt.datetime(2018, 7, 8, 0, 30, tzinfo=TAIPEI),
    )
    copy = copying.copy_exchange(exchange=e, start_date=dt.date(2019, 7, 6), by=None)
    moved = Activity.objects.get(exchange=copy)
    assert moved.starts_at.astimezone(TAIPEI) == dt.datetime(2019, 7, 6, 23, 30, tzinfo=TAIPEI)
    assert moved.ends_at.astimezone(TAIPEI) == dt.datetime(2019, 7, 7, 0, 30, tzinfo=TAIPEI)
    assert moved.ends_at - moved.starts_at == late.ends_at - late.starts_at


def test_shift_moment_keeps_the_wall_clock_across_summer_time():
    berlin = ZoneInfo("Europe/Berlin")
    before = dt.datetime(2021, 3, 27, 9, 0, tzinfo=berlin)  # the day before summer time
    assert copying.shift_moment(before, 1, berlin) == dt.datetime(2021, 3, 28, 9, 0, tzinfo=berlin)
    moved = copying.shift_moment(before, 1, berlin)
    assert moved.astimezone(dt.UTC) - before.astimezone(dt.UTC) == dt.timedelta(hours=23)


# --- who may --------------------------------------------------------------------------


def test_only_who_may_host_there_may_copy(world):
    w = world
    for key in ("organiser_haidian", "organiser_yanqing", "viewer", "coordinator"):
        with pytest.raises(PermissionDenied):
            copying.copy_exchange(exchange=w.exchange, start_date=NEW_START, by=w.users[key])
    hd = exchanges.create_exchange(
        title="海淀区接待", start_date=dt.date(2016, 4, 22), host_place=w.haidian
    )
    exchanges.create_group(exchange=hd, name="海淀组", host_place=w.haidian)
    copy = copying.copy_exchange(exchange=hd, start_date=NEW_START, by=w.users["organiser_haidian"])
    assert copy.host_place_id == w.haidian.pk
    with pytest.raises(PermissionDenied):
        copying.copy_exchange(exchange=hd, start_date=NEW_START, by=w.users["organiser_yanqing"])
    # a group hosted in 延庆 keeps 海淀's organiser from copying it alone
    exchanges.create_group(exchange=hd, name="延庆组", host_place=w.yanqing)
    hd = Exchange.objects.get(pk=hd.pk)
    with pytest.raises(PermissionDenied):
        copying.copy_exchange(exchange=hd, start_date=NEW_START, by=w.users["organiser_haidian"])


# --- the page -----------------------------------------------------------------------


def _client(client, w, key="administrator", language="en"):
    client.force_login(w.users[key], backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_exchange_page_links_to_the_copy_page_for_who_may(client, world):
    url = reverse("exchanges:copy", args=[world.exchange.pk])
    page = _client(client, world).get(reverse("exchanges:detail", args=[world.exchange.pk]))
    assert f'href="{url}"' in page.content.decode()
    page = _client(client, world, "organiser_haidian").get(
        reverse("exchanges:detail", args=[world.exchange.pk])
    )
    assert f'href="{url}"' not in page.content.decode()


def test_copy_page_previews_the_shift_then_copies(client, world):
    c = _client(client, world)
    url = reverse("exchanges:copy", args=[world.exchange.pk])
    page = c.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="2017-04-22"' in html  # a year later by default
    page = c.get(url, {"start_date": "2017-04-21", "title": "再访"})
    html = page.content.decode()
    assert "Every date moves by 364 days." in html
    assert "2016-04-22 09:00–10:00" in html
    assert "2017-04-21 09:00–10:00" in html
    assert Exchange.objects.filter(title="再访").count() == 0  # a preview writes nothing
    response = c.post(url, {"start_date": "2017-04-21", "title": "再访"})
    copy = Exchange.objects.get(title="再访")
    assert response.status_code == 302
    assert response["Location"] == reverse("exchanges:detail", args=[copy.pk])
    assert copy.start_date == NEW_START


def test_copy_page_shows_errors_next_to_the_field_and_keeps_the_title(client, world):
    c = _client(client, world)
    url = reverse("exchanges:copy", args=[world.exchange.pk])
    for bad in ("", "2016-02-30", "9999-01-01", "\x00"):
        response = c.post(url, {"start_date": bad, "title": "再访\u202e"})
        assert response.status_code in (200, 400), bad
    response = c.post(url, {"start_date": "2016-02-30", "title": "再访"})
    html = response.content.decode()
    assert 'id="copy_start_date_errors"' in html
    assert 'value="再访"' in html
    assert Exchange.objects.filter(title="再访").count() == 0


def test_copy_page_refuses_who_may_not_and_404s_a_missing_exchange(client, world):
    url = reverse("exchanges:copy", args=[world.exchange.pk])
    c = _client(client, world, "viewer", "zh-hant")
    assert c.get(url).status_code == 403
    assert c.post(url, {"start_date": "2017-04-21", "title": "x"}).status_code == 403
    c = _client(client, world)
    assert c.get(reverse("exchanges:copy", args=[987654])).status_code == 404


@pytest.mark.parametrize(("extra", "queries"), [(0, 18), (6, 18)])
def test_copy_page_query_count_is_flat(client, world, django_assert_num_queries, extra, queries):
    for i in range(extra):
        exchanges.create_activity(
            exchange=world.exchange,
            kind=ActivityKind.MEETING,
            title=f"座谈{i}",
            starts_at=at_day(23, 9),
            ends_at=at_day(23, 10),
            groups=[world.group_haidian],
        )
    c = _client(client, world)
    c.get("/")  # the session's first queries
    url = reverse("exchanges:copy", args=[world.exchange.pk])
    with django_assert_num_queries(queries):
        assert c.get(url, {"start_date": "2017-04-21", "title": "再访"}).status_code == 200


# --- the API ------------------------------------------------------------------------


def test_api_copies_with_the_same_service(client, world):
    token = world.tokens["administrator"]
    response = client.post(
        f"/api/v1/exchanges/{world.exchange.pk}/copy",
        {"start_date": "2017-04-21"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["start_date"], body["end_date"], body["status"]) == (
        "2017-04-21",
        "2017-04-22",
        "planned",
    )
    assert body["title"] == world.exchange.title
    assert Activity.objects.filter(exchange_id=body["id"]).count() == 4
    response = client.post(
        f"/api/v1/exchanges/{world.exchange.pk}/copy",
        {"start_date": "2017-02-30"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/exchanges/{world.exchange.pk}/copy",
        {"start_date": "2017-04-21"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['viewer']}",
    )
    assert response.status_code == 403


def test_the_exchange_page_asks_who_may_copy_without_a_query(world, django_assert_num_queries):
    """The exchange page reads the exchange with its groups (selectors.exchange_detail):
    the rule answers from them, so the page's pinned query count does not move."""
    exchange = selectors.exchange_detail(world.exchange.pk)
    for key, allowed in (
        ("administrator", True),
        ("organiser_haidian", False),
        ("organiser_yanqing", False),
        ("viewer", False),
    ):
        user = world.users[key]
        user.has_perm("exchanges.view_exchange")  # the roles, read once per user
        with django_assert_num_queries(0):
            assert user.has_perm(copying.PERMISSION, exchange) is allowed
    hd = exchanges.create_exchange(
        title="海淀区接待", start_date=dt.date(2016, 4, 22), host_place=world.haidian
    )
    exchanges.create_group(exchange=hd, name="海淀组", host_place=world.haidian)
    hd = selectors.exchange_detail(hd.pk)
    with django_assert_num_queries(0):
        assert world.users["organiser_haidian"].has_perm(copying.PERMISSION, hd)
