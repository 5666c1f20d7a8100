"""The general exchange (issue 12): either direction, several visiting places, no visiting
organisation, headcounts "about" and composition rows, month-only / 日前 / unknown-end
dates, groups with their own days, unscheduled activities, 中午, statements and labels,
through the services, the pages and the documents."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from civicbridge.core import part_of_day as parts
from civicbridge.directory import services as directory
from civicbridge.directory.models import Place, PlaceKind
from civicbridge.documents.calendars import exchange_calendar
from civicbridge.documents.programme import programme_context
from civicbridge.exchanges import dates, selectors, services
from civicbridge.exchanges.models import (
    Activity,
    Composition,
    Exchange,
    ExchangePlace,
    Gift,
    Label,
    Statement,
)
from tests.factories import at, make_admin, make_user

pytestmark = pytest.mark.django_db

TAIPEI = ZoneInfo("Asia/Taipei")
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_in(client):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, *args):
    return reverse(f"exchanges:{name}", args=args)


def page(client, exchange) -> str:
    response = client.get(url("detail", exchange.pk))
    assert response.status_code == 200
    return response.content.decode()


def _exchange(world, **fields):
    values = {
        "title": "参访",
        "start_date": dt.date(2018, 7, 7),
        "end_date": dt.date(2018, 7, 9),
        "host_place": world.beijing,
        "visiting_place": world.taipei,
        "visiting_organisation": world.association,
    }
    values.update(fields)
    return services.create_exchange(**values)


# --- direction and places --------------------------------------------------------------------


def test_a_mainland_delegation_to_a_taiwan_li(world, client_in):
    """The reverse direction works the same: hosted at a Taiwan li, on Taipei time, with the
    mainland office visiting; a Taipei organiser may change it, a Beijing one may not."""
    exchange = _exchange(
        world,
        title="北京市台办参访团",
        host_place=world.li,
        visiting_place=world.haidian,
        visiting_organisation=world.office,
    )
    assert exchange.timezone == "Asia/Taipei"
    taipei_organiser = make_user("tp", role="organiser", place=world.taipei)
    beijing_organiser = make_user("bj", role="organiser", place=world.beijing)
    assert taipei_organiser.has_perm("exchanges.change_exchange", exchange)
    assert not beijing_organiser.has_perm("exchanges.change_exchange", exchange)
    activity = services.create_activity(
        exchange=exchange,
        kind="site_visit",
        title="参观板溪里",
        starts_at=dt.datetime(2018, 7, 7, 9, tzinfo=TAIPEI),
        ends_at=dt.datetime(2018, 7, 7, 10, tzinfo=TAIPEI),
        actor=taipei_organiser,
    )
    body = page(client_in, exchange)
    assert "板溪里" in body and "北京市台办" in body
    assert "09:00–10:00" in body
    assert activity.status == exchange.status


def test_a_taiwan_organiser_creates_it_through_the_page(world, client):
    organiser = make_user("tp", role="organiser", place=world.taipei)
    client.force_login(organiser, backend="django.contrib.auth.backends.ModelBackend")
    data = {
        "title": "北京参访团来访",
        "host_place": str(world.li.pk),
        "visiting_place": str(world.haidian.pk),
        "visiting_organisation": str(world.office.pk),
        "start_date": "2018-07-07",
        "end_date": "2018-07-08",
        "status": "planned",
    }
    response = client.post(url("create"), data)
    assert response.status_code == 302
    exchange = Exchange.objects.get(title="北京参访团来访")
    assert (exchange.host_place, exchange.timezone) == (world.li, "Asia/Taipei")


def _kaohsiung_districts():
    kaohsiung = directory.create_place(name="高雄市", kind=PlaceKind.CITY, side="taiwan")
    return [
        directory.create_place(name=n, kind=PlaceKind.DISTRICT, side="taiwan", parent=kaohsiung)
        for n in ("三民区", "苓雅区", "前镇区", "鼓山区")
    ]


def test_four_visiting_districts_and_no_visiting_organisation(world, client_in):
    districts = _kaohsiung_districts()
    data = {
        "title": "高雄市里长参访团",
        "host_place": str(world.beijing.pk),
        "delegation_name": "高雄市四区里长参访团",
        "visiting_place": str(districts[0].pk),
        "further_visiting_places": [str(d.pk) for d in districts[1:]],
        "start_date": "2018-07-07",
        "end_date": "2018-07-09",
        "status": "held",
    }
    response = client_in.post(url("create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    exchange = Exchange.objects.get(title="高雄市里长参访团")
    assert exchange.visiting_organisation is None
    rows = ExchangePlace.objects.filter(exchange=exchange).order_by("order")
    assert [r.place.name for r in rows] == ["苓雅区", "前镇区", "鼓山区"]
    body = page(client_in, exchange)
    for name in ("三民区", "苓雅区", "前镇区", "鼓山区", "高雄市四区里长参访团"):
        assert name in body
    # The list and the dashboard's rows name the delegation instead of an organisation.
    listing = client_in.get(url("list")).content.decode()
    assert "高雄市四区里长参访团" in listing


def test_further_places_through_the_page_add_and_remove(world, client_in):
    exchange = _exchange(world)
    response = client_in.post(
        url("place_add", exchange.pk), {"role": "visiting", "place": "", "wording": "前镇区"}, **HX
    )
    assert response.status_code == 200
    row = ExchangePlace.objects.get(exchange=exchange)
    assert (row.place, row.wording) == (None, "前镇区")
    assert "前镇区" in response.content.decode()
    empty = client_in.post(url("place_add", exchange.pk), {"role": "visiting"}, **HX)
    assert "Choose a place, or write it as the sources name it." in empty.content.decode()
    twice = client_in.post(
        url("place_add", exchange.pk), {"role": "host", "place": str(world.beijing.pk)}, **HX
    )
    assert "That place is already in this exchange." in twice.content.decode()
    response = client_in.post(url("place_remove", exchange.pk, row.pk))
    assert response.status_code == 302
    assert not ExchangePlace.objects.filter(exchange=exchange).exists()


def test_a_host_place_outside_my_scope_is_refused(world):
    exchange = _exchange(world, host_place=world.haidian)
    organiser = make_user("hd", role="organiser", place=world.haidian)
    with pytest.raises(PermissionDenied):
        services.add_exchange_place(
            exchange=exchange, role="host", place=world.shijingshan, actor=organiser
        )
    row = services.add_exchange_place(
        exchange=exchange, role="visiting", place=world.zhongzheng, actor=organiser
    )
    assert row.role == "visiting"


# --- headcount and composition ---------------------------------------------------------------


def test_about_130_with_composition_rows(world, client_in):
    exchange = _exchange(world, declared_headcount=130, headcount_qualifier="about")
    services.add_composition_row(exchange=exchange, label="里长", count=12)
    services.add_composition_row(exchange=exchange, label="邻长")
    body = page(client_in, exchange)
    assert "about 130 declared" in body
    assert (
        '<span class="composition__label">里长</span> <span class="composition__count">12' in body
    )
    assert '<span class="composition__label">邻长</span>' in body
    assert ">some<" in body
    # Through the page: a row, then its removal.
    response = client_in.post(
        url("composition_add", exchange.pk), {"label": "发展协会理事长", "count": "3"}, **HX
    )
    assert response.status_code == 200
    row = Composition.objects.get(exchange=exchange, label="发展协会理事长")
    assert row.count == 3
    client_in.post(url("composition_remove", exchange.pk, row.pk))
    assert list(exchange.composition.values_list("label", "count")) == [
        ("里长", 12),
        ("邻长", None),
    ]


def test_composition_of_a_group_of_another_exchange_is_refused(world):
    exchange = _exchange(world)
    other = _exchange(world, title="另一次")
    group = services.create_group(exchange=other, name="一组")
    with pytest.raises(ValidationError) as exc:
        services.add_composition_row(exchange=exchange, label="里长", group=group)
    assert "group" in exc.value.message_dict


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "english", "chinese"),
    [
        ({"end_date": None}, "from 7 Jul 2018 (end unknown)", "2018年7月7日起（结束日期不详）"),
        (
            {"start_date": dt.date(2018, 7, 1), "end_date": None, "date_precision": "month"},
            "July 2018",
            "2018年7月",
        ),
        (
            {"start_date": dt.date(2018, 7, 13), "end_date": None, "date_precision": "before"},
            "on or before 13 Jul 2018 (日前)",
            "2018年7月13日或之前（日前）",
        ),
        ({}, "7 Jul 2018 – 9 Jul 2018", "2018年7月7日—2018年7月9日"),
    ],
)
def test_dates_on_the_page_and_in_the_documents(world, client_in, fields, english, chinese):
    exchange = _exchange(world, **fields)
    assert english in page(client_in, exchange)
    with translation.override("en"):
        assert dates.dates_label(exchange) == english
    assert dates.dates_chinese(exchange) == chinese
    assert programme_context(exchange, "hans")["dates"] == chinese
    with translation.override("zh-hans"):
        assert "2018年7月" in dates.dates_label(exchange)


def test_activities_within_what_the_dates_allow(world):
    """An unknown end bounds nothing after the start; a month allows its days; 日前 allows
    the days before."""
    open_end = _exchange(world, end_date=None)
    a = services.create_activity(
        exchange=open_end,
        kind="meeting",
        title="座谈",
        starts_at=dt.datetime(2018, 7, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
        ends_at=dt.datetime(2018, 7, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    assert selectors.itinerary_conflicts(open_end) == []
    with pytest.raises(ValidationError):
        services.create_activity(
            exchange=open_end,
            kind="meeting",
            title="早了",
            starts_at=dt.datetime(2018, 7, 6, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
            ends_at=dt.datetime(2018, 7, 6, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        )
    month = _exchange(world, start_date=dt.date(2018, 7, 1), end_date=None, date_precision="month")
    services.create_activity(
        exchange=month,
        kind="meeting",
        title="七月中",
        starts_at=dt.datetime(2018, 7, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
        ends_at=dt.datetime(2018, 7, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    assert a.pk


def test_the_exchange_form_takes_an_unknown_end_and_a_month(world, client_in):
    data = {
        "title": "七月初参访",
        "host_place": str(world.beijing.pk),
        "visiting_place": str(world.taipei.pk),
        "start_date": "2018-07-01",
        "end_date": "",
        "date_precision": "month",
        "date_note": "据7月初报道",
        "status": "held",
        "declared_headcount": "130",
        "headcount_qualifier": "about",
    }
    response = client_in.post(url("create"), data)
    assert response.status_code == 302
    exchange = Exchange.objects.get(title="七月初参访")
    assert (exchange.end_date, exchange.date_precision, exchange.headcount_qualifier) == (
        None,
        "month",
        "about",
    )
    body = page(client_in, exchange)
    assert "July 2018" in body and "据7月初报道" in body
    # The edit form shows and keeps the fields.
    edit = client_in.get(url("edit", exchange.pk)).content.decode()
    assert 'value="month" selected' in edit or 'value="month"selected' in edit.replace(" ", "")


# --- groups on different days ----------------------------------------------------------------


def test_groups_arriving_on_different_days(world, client_in):
    exchange = _exchange(world, start_date=dt.date(2016, 4, 22), end_date=dt.date(2016, 4, 26))
    services.create_group(
        exchange=exchange, name="东线", host_place=world.haidian, start_date=dt.date(2016, 4, 23)
    )
    services.create_group(
        exchange=exchange,
        name="西线",
        start_date=dt.date(2016, 4, 25),
        end_date=dt.date(2016, 4, 26),
    )
    with pytest.raises(ValidationError) as exc:
        services.create_group(exchange=exchange, name="早到", start_date=dt.date(2016, 4, 20))
    assert "start_date" in exc.value.message_dict
    body = page(client_in, exchange)
    assert "23 Apr 2016" in body and "25 Apr 2016 – 26 Apr 2016" in body
    # Through the page form, with a host district left out.
    response = client_in.post(
        url("group_add", exchange.pk),
        {"name": "南线", "host_place": "", "start_date": "2016-04-24", "end_date": "2016-04-23"},
        **HX,
    )
    assert "The group leaves before it arrives." in response.content.decode()
    response = client_in.post(
        url("group_add", exchange.pk), {"name": "南线", "start_date": "2016-04-24"}, **HX
    )
    assert exchange.groups.get(name="南线").start_date == dt.date(2016, 4, 24)


# --- the itinerary: unscheduled, 中午, conflicts ------------------------------------------------


def _day_exchange(world):
    return _exchange(world, start_date=dt.date(2016, 4, 22), end_date=dt.date(2016, 4, 22))


def test_unscheduled_activities_are_kept_apart(world, client_in):
    exchange = _day_exchange(world)
    services.create_activity(
        exchange=exchange, kind="meeting", title="座谈", starts_at=at(9), ends_at=at(10)
    )
    later = services.create_activity(exchange=exchange, kind="sport", title="友谊赛")
    assert (later.starts_at, later.ends_at) == (None, None)
    body = page(client_in, exchange)
    block = body.split('id="itinerary-unscheduled"')[1].split("</ol>")[0]
    assert "友谊赛" in block and "座谈" not in block
    assert "Not yet scheduled" in block
    assert body.split('id="itinerary-unscheduled"')[0].count("友谊赛") == 0
    assert selectors.itinerary_conflicts(exchange) == []
    # Calendars leave it out; the programme too.
    ics = exchange_calendar(exchange, "hans").decode()
    assert ics.count("BEGIN:VEVENT") == 1 and "友谊赛" not in ics
    assert [r.title for d in programme_context(exchange, "hans")["days"] for r in d.rows] == [
        "座谈"
    ]
    # It cannot be moved before it has times.
    with pytest.raises(ValidationError):
        services.move_activity(activity=later, starts_at=at(11))
    assert client_in.get(url("activity_move", exchange.pk, later.pk)).status_code == 404
    # Half a schedule is refused.
    with pytest.raises(ValidationError):
        services.create_activity(exchange=exchange, kind="meeting", title="半", starts_at=at(9))


def test_the_activity_form_adds_an_unscheduled_one_and_schedules_it(world, client_in):
    exchange = _day_exchange(world)
    data = {
        "kind": "performance",
        "title": "文艺演出",
        "unscheduled": "on",
        "status": "planned",
        "time_precision": "exact",
    }
    response = client_in.post(url("activity_add", exchange.pk), data, **HX)
    assert response.status_code == 200
    activity = Activity.objects.get(title="文艺演出")
    assert activity.starts_at is None
    edit = client_in.get(url("activity_edit", exchange.pk, activity.pk), **HX)
    assert edit.status_code == 200
    data = {
        "version": str(activity.version),
        "kind": "performance",
        "title": "文艺演出",
        "status": "confirmed",
        "day": "2016-04-22",
        "time_precision": "exact",
        "start_time": "19:00",
        "end_time": "21:00",
    }
    client_in.post(url("activity_edit", exchange.pk, activity.pk), data, **HX)
    activity.refresh_from_db()
    assert activity.starts_at == at(19) and activity.status == "confirmed"
    missing_day = {"kind": "meeting", "title": "座谈", "time_precision": "exact"}
    response = client_in.post(url("activity_add", exchange.pk), missing_day, **HX)
    assert "Give the day, or tick “Not yet scheduled”." in response.content.decode()


def test_noon_is_a_part_of_the_day(world, client_in):
    exchange = _day_exchange(world)
    data = {
        "kind": "meal",
        "title": "午餐",
        "day": "2016-04-22",
        "time_precision": "part_of_day",
        "part_of_day": "noon",
    }
    client_in.post(url("activity_add", exchange.pk), data, **HX)
    activity = Activity.objects.get(title="午餐")
    assert (activity.starts_at, activity.ends_at) == (at(12), at(13, 30))
    with translation.override("en"):
        assert parts.time_label(activity, "Asia/Shanghai") == "Noon (中午)"
    assert parts.time_label(activity, "Asia/Shanghai", words=parts.CHINESE) == "中午"
    assert "Noon (中午)" in page(client_in, exchange)
    assert parts.NOMINAL_TIMES[parts.NOON] == (dt.time(12), dt.time(13, 30))
    # The edit form reads it back as noon.
    edit = client_in.get(url("activity_edit", exchange.pk, activity.pk), **HX).content.decode()
    assert 'value="noon" selected' in edit


def test_a_date_only_day_of_eight_shows_no_conflict_a_timed_overlap_exactly_one(world, client_in):
    exchange = _day_exchange(world)
    group = services.create_group(exchange=exchange, name="一组", host_place=world.haidian)
    for i in range(8):
        services.create_activity(
            exchange=exchange,
            kind="site_visit",
            title=f"参观{i}",
            starts_at=at(9),
            ends_at=at(17),
            time_precision="day",
            groups=[group],
            place=world.community,
        )
    services.create_activity(exchange=exchange, kind="sport", title="待定", groups=[group])
    assert selectors.itinerary_conflicts(exchange) == []
    assert "conflict in the itinerary" not in page(client_in, exchange)
    services.create_activity(
        exchange=exchange, kind="meeting", title="座谈", starts_at=at(9), ends_at=at(11),
        groups=[group],
    )  # fmt: skip
    services.create_activity(
        exchange=exchange, kind="meal", title="茶叙", starts_at=at(10), ends_at=at(12),
        groups=[group],
    )  # fmt: skip
    assert len(selectors.itinerary_conflicts(exchange)) == 1
    assert "1 conflict in the itinerary" in page(client_in, exchange)


def test_an_activity_status_other_than_the_exchanges_is_shown(world, client_in):
    exchange = _day_exchange(world)
    services.create_activity(
        exchange=exchange,
        kind="meeting",
        title="座谈",
        starts_at=at(9),
        ends_at=at(10),
        status="cancelled",
    )
    body = page(client_in, exchange)
    assert "activity-status--cancelled" in body


# --- statements, labels, gifts ---------------------------------------------------------------


def test_statements_through_the_page(world, client_in):
    exchange = _day_exchange(world)
    activity = services.create_activity(
        exchange=exchange, kind="forum", title="京台社区大讲堂", starts_at=at(9), ends_at=at(10)
    )
    data = {
        "text": "北京的社区治理让我们印象深刻。",
        "kind": "impression",
        "speaker_wording": "台湾朋友",
        "side": "visiting",
        "activity": str(activity.pk),
    }
    response = client_in.post(url("statement_add", exchange.pk), data, **HX)
    assert response.status_code == 200
    statement = Statement.objects.get(exchange=exchange)
    assert (statement.kind, statement.speaker_wording, statement.activity) == (
        "impression",
        "台湾朋友",
        activity,
    )
    body = page(client_in, exchange)
    assert "北京的社区治理让我们印象深刻。" in body  # verbatim, in the stored script
    assert "台湾朋友" in body and "京台社区大讲堂" in body
    nobody = client_in.post(url("statement_add", exchange.pk), {"text": "说了"}, **HX)
    assert "Say who said it" in nobody.content.decode()
    hostile = client_in.post(
        url("statement_add", exchange.pk), {"text": "a\x00b", "speaker_wording": "某人"}, **HX
    )
    assert hostile.status_code == 200 and Statement.objects.count() == 1
    markup = services.add_statement(
        exchange=exchange, text="<script>alert(1)</script>", person=world.people[0]
    )
    assert "<script>alert(1)</script>" not in page(client_in, exchange)
    client_in.post(url("statement_remove", exchange.pk, markup.pk))
    assert Statement.objects.filter(pk=markup.pk).exists() is False


def test_labels_on_the_exchange_and_the_place_page(world, client_in):
    exchange = _day_exchange(world)
    client_in.post(url("label_add", exchange.pk), {"name": "首个冬奥社区参访团"}, **HX)
    assert "首个冬奥社区参访团" in page(client_in, exchange)
    label = Label.objects.get(name="首个冬奥社区参访团")
    # The same name is the same label (made on first use).
    assert services.label_exchange(exchange=exchange, name=" 首个冬奥社区参访团 ") == label
    response = client_in.post(
        url("place_label_add", world.community.pk), {"name": "北京市首个冬奥社区"}
    )
    assert response.status_code == 302
    place_page = client_in.get(world.community.get_absolute_url()).content.decode()
    assert "北京市首个冬奥社区" in place_page
    with pytest.raises(ValidationError):
        services.label_exchange(exchange=exchange, name="李\u202e长")
    with pytest.raises(ValidationError):
        services.label_exchange(exchange=exchange, name="   ")
    client_in.post(url("label_remove", exchange.pk, label.pk))
    assert list(exchange.labels.all()) == []
    viewer = make_user("viewer")
    with pytest.raises(PermissionDenied):
        services.label_place(place=world.community, name="x", actor=viewer)


def test_a_gift_between_parties_as_the_sources_write_them(world, client_in):
    exchange = _day_exchange(world)
    gift = services.record_gift(
        exchange=exchange, giver_wording="台湾朋友", recipient_organisation=world.office
    )
    assert gift.giver == "台湾朋友"
    with pytest.raises(ValidationError):
        services.record_gift(exchange=exchange, giver_wording="台湾朋友")
    data = {"giver_wording": "里长们", "recipient_wording": "社区居民", "description": "凤梨酥"}
    client_in.post(url("gift_add", exchange.pk), data, **HX)
    assert Gift.objects.filter(giver_wording="里长们", recipient_wording="社区居民").exists()
    body = page(client_in, exchange)
    assert "里长们" in body and "台湾朋友" in body


# --- the statistics' selector ----------------------------------------------------------------


def test_held_exchanges_are_held_and_not_deleted(world):
    held = _exchange(world, status="held")
    _exchange(world, title="计划", status="planned")
    gone = _exchange(world, title="删", status="held")
    Exchange.objects.filter(pk=gone.pk).update(deleted_at=dt.datetime.now(dt.UTC))
    assert list(selectors.held_exchanges(Exchange.objects.all())) == [held]
    assert Place.objects.filter(pk=world.beijing.pk).exists()


# --- every surface copes with what may now be missing ---------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_pages_and_documents_of_an_exchange_with_little_known(world, client, language):
    """No visiting organisation or place, no end, a group without host district or days, an
    activity not yet scheduled: the exchange page, the list, the group's timetable, the
    create and edit forms and every document open."""
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    exchange = services.create_exchange(
        title="三民区里长参访团",
        start_date=dt.date(2018, 7, 7),
        host_place=world.beijing,
        delegation_name="高雄市三民区里长",
        status="held",
    )
    group = services.create_group(exchange=exchange, name="一组")
    services.create_activity(exchange=exchange, kind="meeting", title="座谈", groups=[group])
    services.create_activity(
        exchange=exchange,
        kind="site_visit",
        title="参观",
        starts_at=dt.datetime(2018, 7, 8, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
        ends_at=dt.datetime(2018, 7, 8, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        groups=[group],
    )
    services.add_statement(exchange=exchange, text="宾至如归", speaker_wording="台湾朋友")
    services.add_composition_row(exchange=exchange, label="里长", count=12, group=group)
    paths = [
        url("detail", exchange.pk),
        url("list"),
        url("group", exchange.pk, group.pk),
        url("create"),
        url("edit", exchange.pk),
        "/",
        "/search/?q=三民",
    ]
    doc = f"/documents/exchanges/{exchange.pk}/"
    paths += [doc + p for p in ("programme/", "brief/", "calendar.ics", "roster.csv")]
    paths += [doc + "itinerary.csv", f"/documents/groups/{group.pk}/programme/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    body = client.get(url("detail", exchange.pk)).content.decode()
    assert "高雄市三民区里长" in body or "高雄市三民區里長" in body


@pytest.mark.parametrize("name", ["place_add", "composition_add", "label_add", "statement_add"])
def test_the_new_forms_open_in_place_and_as_pages(world, client_in, name):
    exchange = _day_exchange(world)
    assert client_in.get(url(name, exchange.pk), **HX).status_code == 200
    assert client_in.get(url(name, exchange.pk)).status_code == 200
    viewer = make_user("viewer")
    client_in.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    assert client_in.get(url(name, exchange.pk)).status_code == 403
    assert client_in.post(url(name, exchange.pk), {"name": "x", "label": "x"}).status_code == 403
