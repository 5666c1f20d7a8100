"""The organiser's exchange pages: every form's happy path and error path, the itinerary's
time axis and conflict warnings, the reader's script, and a fixed number of queries."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from civicbridge.exchanges import services
from civicbridge.exchanges.models import Activity, Exchange, Gift, Group, Member, Photo
from tests.factories import at, make_admin

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
H1 = re.compile(r"<h1[\s>]")


@pytest.fixture
def client_in(client):
    user = make_admin()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, *args):
    return reverse(f"exchanges:{name}", args=args)


def text_of(response) -> str:
    return response.content.decode()


# --- list ------------------------------------------------------------------------------------


def test_list_shows_exchanges_with_one_h1(client_in, world):
    response = client_in.get(url("list"))
    body = text_of(response)
    assert response.status_code == 200
    assert len(H1.findall(body)) == 1
    assert "台北市里长联谊会总会基层参访团" in body
    assert 'class="breadcrumbs"' in body


def test_list_filters_by_status_and_year(client_in, world):
    services.create_exchange(
        title="回访",
        start_date=dt.date(2017, 5, 1),
        end_date=dt.date(2017, 5, 3),
        visiting_organisation=world.office,
        visiting_place=world.beijing,
        host_place=world.taipei,
        status="held",
    )
    body = text_of(client_in.get(url("list"), {"year": "2017"}))
    assert "回访" in body
    assert "基层参访团" not in body
    body = text_of(client_in.get(url("list"), {"status": "planned"}))
    assert "回访" not in body
    assert "基层参访团" in body


def test_list_paginates_when_many(client_in, world):
    for i in range(30):
        services.create_exchange(
            title=f"交流{i:02d}",
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2018, 1, 1),
            visiting_organisation=world.association,
            visiting_place=world.taipei,
            host_place=world.beijing,
        )
    first = text_of(client_in.get(url("list")))
    second = text_of(client_in.get(url("list"), {"page": 2}))
    assert first.count("<tr>") + second.count("<tr>") == 31 + 2  # rows plus a header each


def test_list_requires_sign_in(client, world):
    response = client.get(url("list"))
    assert response.status_code == 302


# --- new exchange ------------------------------------------------------------------------------


def _exchange_post(world, **overrides):
    data = {
        "title": "第二次参访",
        "start_date": "2016-05-10",
        "end_date": "2016-05-11",
        "visiting_organisation": str(world.association.pk),
        "visiting_organisation_q": "台北市里长联谊会总会",
        "visiting_place": str(world.taipei.pk),
        "visiting_place_q": "台北市",
        "host_place": str(world.beijing.pk),
        "host_place_q": "北京市",
        "status": "planned",
        "declared_headcount": "20",
        "timezone": "Asia/Shanghai",
        "summary": "",
    }
    data.update(overrides)
    return data


def test_create_exchange_with_chosen_records(client_in, world):
    response = client_in.post(url("create"), _exchange_post(world))
    exchange = Exchange.objects.get(title="第二次参访")
    assert response.status_code == 302
    assert response["Location"] == url("detail", exchange.pk)
    assert exchange.visiting_organisation == world.association
    assert exchange.declared_headcount == 20


def test_create_exchange_resolves_names_typed_in_the_other_script(client_in, world):
    data = _exchange_post(
        world,
        visiting_organisation="",
        visiting_organisation_q="臺北市里長聯誼會總會",
        host_place="",
        host_place_q="北京市",
    )
    response = client_in.post(url("create"), data)
    assert response.status_code == 302
    assert Exchange.objects.get(title="第二次参访").visiting_organisation == world.association


def test_create_exchange_errors_inline_and_keeps_what_was_typed(client_in, world):
    data = _exchange_post(
        world,
        end_date="2016-05-01",
        visiting_organisation="",
        visiting_organisation_q="不存在的协会",
    )
    response = client_in.post(url("create"), data)
    body = text_of(response)
    assert response.status_code == 200
    assert Exchange.objects.filter(title="第二次参访").count() == 0
    assert "The exchange ends before it starts." in body
    assert "Nothing in the directory matches “不存在的协会”." in body
    assert 'value="不存在的协会"' in body
    assert 'value="第二次参访"' in body
    assert 'id="id_end_date_errors"' in body
    assert "field--error" in body


def test_create_exchange_service_error_lands_on_its_field(client_in, world):
    data = _exchange_post(world, host_place=str(world.taipei.pk), host_place_q="台北市")
    body = text_of(client_in.post(url("create"), data))
    assert "The host side and the visiting side must differ." in body


def test_edit_exchange_saves_and_refuses_a_stale_version(client_in, world):
    exchange = world.exchange
    data = _exchange_post(world, title="改名了", version=str(exchange.version))
    assert client_in.post(url("edit", exchange.pk), data).status_code == 302
    body = text_of(client_in.post(url("edit", exchange.pk), {**data, "title": "又改"}))
    assert "Someone else changed this record" in body
    exchange.refresh_from_db()
    assert exchange.title == "改名了"


# --- the exchange page ----------------------------------------------------------------------------


def test_exchange_page_has_sections_one_h1_and_headcount(client_in, world):
    for person in world.people[:2]:
        services.add_member(exchange=world.exchange, person=person)
    response = client_in.get(url("detail", world.exchange.pk))
    body = text_of(response)
    assert response.status_code == 200
    assert len(H1.findall(body)) == 1
    for key in ("overview", "roster", "groups", "itinerary", "gifts", "photos"):
        assert f'id="section-{key}"' in body
    assert "50 declared, 2 named" in body
    assert "黄国辉" in body


def test_exchange_page_in_traditional_shows_traditional(client_in, world):
    services.add_member(exchange=world.exchange, person=world.people[0])
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert "里長聯誼會總會" in body
    assert "黃國輝" in body


def test_deleted_exchange_is_not_found(client_in, world):
    Exchange.objects.filter(pk=world.exchange.pk).update(deleted_at=at(9))
    assert client_in.get(url("detail", world.exchange.pk)).status_code == 404


def test_organisation_add_shows_escort(client_in, world):
    response = client_in.post(
        url("organisation_add", world.exchange.pk),
        {"organisation": str(world.office.pk), "organisation_q": "北京市台办", "role": "escort"},
    )
    assert response.status_code == 302
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert "Escorted by" in body
    assert "北京市台办" in body


def test_organisation_add_twice_is_an_inline_error(client_in, world):
    data = {"organisation": str(world.office.pk), "organisation_q": "北京市台办", "role": "escort"}
    client_in.post(url("organisation_add", world.exchange.pk), data)
    body = text_of(client_in.post(url("organisation_add", world.exchange.pk), data, **HX))
    assert "already has that role" in body
    assert body.lstrip().startswith("<form")


# --- roster ----------------------------------------------------------------------------------------


def _member_post(person=None, **overrides):
    data = {
        "person": str(person.pk) if person else "",
        "person_q": person.name if person else "",
        "new_person_name": "",
        "role": "member",
        "side": "visiting",
        "title": "",
        "organisation": "",
        "organisation_q": "",
        "home_place": "",
        "home_place_q": "",
        "group": "",
    }
    data.update(overrides)
    return data


def test_member_add_from_directory_with_htmx_rerenders_sections(client_in, world):
    person = world.people[0]
    response = client_in.post(
        url("member_add", world.exchange.pk),
        _member_post(person, role="deputy_leader", title="副会长"),
        **HX,
    )
    body = text_of(response)
    member = Member.objects.get(exchange=world.exchange, person=person)
    assert member.role == "deputy_leader"
    assert member.home_place == world.li
    assert response["HX-Retarget"] == "#exchange-sections"
    assert "50 declared, 1 named" in body
    assert "副会长" in body


def test_member_add_new_person(client_in, world):
    response = client_in.post(
        url("member_add", world.exchange.pk),
        _member_post(None, new_person_name="王新人", home_place=str(world.li.pk)),
    )
    assert response.status_code == 302
    member = Member.objects.get(exchange=world.exchange, person__name="王新人")
    assert member.home_place == world.li


def test_member_add_without_anyone_is_an_inline_error_keeping_input(client_in, world):
    response = client_in.post(
        url("member_add", world.exchange.pk), _member_post(None, title="里长"), **HX
    )
    body = text_of(response)
    assert response.status_code == 200
    assert "Choose a person from the directory, or give a new person&#x27;s name." in body
    assert 'value="里长"' in body
    assert Member.objects.count() == 0


def test_member_add_twice_is_an_inline_error(client_in, world):
    person = world.people[0]
    client_in.post(url("member_add", world.exchange.pk), _member_post(person))
    body = text_of(client_in.post(url("member_add", world.exchange.pk), _member_post(person)))
    assert "already a member of this exchange" in body
    assert len(H1.findall(body)) == 1  # the full page without htmx


def test_member_edit_and_remove(client_in, world):
    member = services.add_member(exchange=world.exchange, person=world.people[0])
    form = client_in.get(url("member_edit", world.exchange.pk, member.pk), **HX)
    assert text_of(form).lstrip().startswith("<form")
    response = client_in.post(
        url("member_edit", world.exchange.pk, member.pk),
        {
            "version": member.version,
            "role": "leader",
            "side": "visiting",
            "title": "团长",
            "organisation": "",
            "organisation_q": "",
            "home_place": str(world.li.pk),
            "home_place_q": "板溪里",
            "group": "",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.title) == ("leader", "团长")
    client_in.post(url("member_remove", world.exchange.pk, member.pk))
    assert Member.objects.filter(pk=member.pk).count() == 0


# --- groups ------------------------------------------------------------------------------------------


def _group_post(world, **overrides):
    data = {
        "name": "海淀组",
        "host_place": str(world.haidian.pk),
        "host_place_q": "海淀区",
        "host_organisation": "",
        "host_organisation_q": "",
        "leader": "",
        "declared_headcount": "12",
        "headline": "",
    }
    data.update(overrides)
    return data


def test_group_add_happy_path(client_in, world):
    response = client_in.post(url("group_add", world.exchange.pk), _group_post(world))
    assert response.status_code == 302
    group = Group.objects.get(exchange=world.exchange)
    assert (group.name, group.host_place, group.declared_headcount) == (
        "海淀组",
        world.haidian,
        12,
    )


def test_group_add_with_a_non_district_is_an_inline_error(client_in, world):
    body = text_of(
        client_in.post(
            url("group_add", world.exchange.pk),
            _group_post(world, host_place=str(world.li.pk), host_place_q="板溪里"),
            **HX,
        )
    )
    assert "A group is hosted by a district." in body
    assert 'value="海淀组"' in body
    assert Group.objects.count() == 0


def test_split_assigns_members_to_groups_in_one_form(client_in, world):
    members = [services.add_member(exchange=world.exchange, person=p) for p in world.people]
    g1 = services.create_group(exchange=world.exchange, name="一组", host_place=world.haidian)
    g2 = services.create_group(exchange=world.exchange, name="二组", host_place=world.shijingshan)
    data = {f"member_{m.pk}": str(g1.pk if i < 3 else g2.pk) for i, m in enumerate(members)}
    response = client_in.post(url("split", world.exchange.pk), data, **HX)
    assert response.status_code == 200
    assert sorted(Member.objects.filter(group=g1).values_list("person__name", flat=True)) == sorted(
        ["黄国辉", "林正达", "邱郁惠"]
    )
    assert Member.objects.filter(group=g2).count() == 3


def test_split_with_an_unknown_group_is_an_inline_error(client_in, world):
    member = services.add_member(exchange=world.exchange, person=world.people[0])
    services.create_group(exchange=world.exchange, name="一组", host_place=world.haidian)
    body = text_of(
        client_in.post(url("split", world.exchange.pk), {f"member_{member.pk}": "99999"}, **HX)
    )
    assert "Select a valid choice" in body
    member.refresh_from_db()
    assert member.group is None


def test_group_itinerary_page_is_printable_with_its_activities(client_in, world):
    group = services.create_group(exchange=world.exchange, name="海淀组", host_place=world.haidian)
    other = services.create_group(
        exchange=world.exchange, name="石景山组", host_place=world.shijingshan
    )
    services.create_activity(
        exchange=world.exchange,
        kind="site_visit",
        title="参观文化小院",
        starts_at=at(9),
        ends_at=at(10),
        groups=[group],
    )
    services.create_activity(
        exchange=world.exchange,
        kind="site_visit",
        title="别组的参观",
        starts_at=at(9),
        ends_at=at(10),
        groups=[other],
    )
    services.create_activity(
        exchange=world.exchange, kind="meal", title="全团午餐", starts_at=at(12), ends_at=at(13)
    )
    body = text_of(client_in.get(url("group", world.exchange.pk, group.pk)))
    assert len(H1.findall(body)) == 1
    assert "参观文化小院" in body
    assert "全团午餐" in body
    assert "别组的参观" not in body
    assert "print.css" in body


# --- itinerary -----------------------------------------------------------------------------------------


def _activity_post(**overrides):
    data = {
        "kind": "site_visit",
        "title": "参观阜四社区文化小院",
        "day": "2016-04-22",
        "time_precision": "exact",
        "part_of_day": "",
        "start_time": "09:00",
        "end_time": "10:30",
        "place": "",
        "place_q": "",
        "venue": "",
        "venue_q": "",
        "description": "",
        "hosts_q": "",
    }
    data.update(overrides)
    return data


def test_activity_add_happy_path_in_the_exchange_time_zone(client_in, world):
    response = client_in.post(
        url("activity_add", world.exchange.pk),
        _activity_post(place=str(world.community.pk), hosts=[str(world.people[5].pk)]),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.starts_at == at(9)
    assert activity.ends_at == at(10, 30)
    assert list(activity.hosts.all()) == [world.people[5]]
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert "09:00–10:30" in body
    assert "timetable__block" in body


def test_activity_add_outside_the_dates_is_an_inline_error(client_in, world):
    response = client_in.post(
        url("activity_add", world.exchange.pk), _activity_post(day="2016-04-25"), **HX
    )
    body = text_of(response)
    assert "outside the exchange" in body
    assert 'value="参观阜四社区文化小院"' in body
    assert Activity.objects.count() == 0


def test_activity_add_missing_times_is_an_inline_error(client_in, world):
    body = text_of(
        client_in.post(
            url("activity_add", world.exchange.pk), _activity_post(start_time="", end_time=""), **HX
        )
    )
    assert "Give the start time." in body
    assert "Give the end time." in body


def test_activity_part_of_day_shows_morning_not_a_pretend_time(client_in, world):
    response = client_in.post(
        url("activity_add", world.exchange.pk),
        _activity_post(
            time_precision="part_of_day", part_of_day="afternoon", start_time="", end_time=""
        ),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.starts_at == at(14)
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert "下午" in body
    assert "14:00–17:00" not in body


def test_activity_edit_swaps_in_place_and_saves(client_in, world):
    activity = services.create_activity(
        exchange=world.exchange, kind="site_visit", title="参观", starts_at=at(9), ends_at=at(10)
    )
    form = text_of(client_in.get(url("activity_edit", world.exchange.pk, activity.pk), **HX))
    assert form.lstrip().startswith("<form")
    assert 'value="参观"' in form
    response = client_in.post(
        url("activity_edit", world.exchange.pk, activity.pk),
        _activity_post(title="参观植物科普馆", start_time="14:00", end_time="16:00", version="1"),
        **HX,
    )
    assert response["HX-Retarget"] == "#exchange-sections"
    activity.refresh_from_db()
    assert (activity.title, activity.starts_at) == ("参观植物科普馆", at(14))


def test_activity_edit_error_keeps_the_form_in_place(client_in, world):
    activity = services.create_activity(
        exchange=world.exchange, kind="site_visit", title="参观", starts_at=at(9), ends_at=at(10)
    )
    body = text_of(
        client_in.post(
            url("activity_edit", world.exchange.pk, activity.pk),
            _activity_post(title="新标题", start_time="11:00", end_time="10:00", version="1"),
            **HX,
        )
    )
    assert "The activity ends before it starts." in body
    assert 'value="新标题"' in body
    activity.refresh_from_db()
    assert activity.title == "参观"


def test_activity_move_keeps_its_length(client_in, world):
    activity = services.create_activity(
        exchange=world.exchange, kind="meeting", title="座谈", starts_at=at(9), ends_at=at(10, 30)
    )
    response = client_in.post(
        url("activity_move", world.exchange.pk, activity.pk),
        {"version": "1", "day": "2016-04-22", "start_time": "15:00"},
        **HX,
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.starts_at, activity.ends_at) == (at(15), at(16, 30))


def test_activity_move_outside_the_dates_is_an_inline_error(client_in, world):
    activity = services.create_activity(
        exchange=world.exchange, kind="meeting", title="座谈", starts_at=at(9), ends_at=at(10)
    )
    body = text_of(
        client_in.post(
            url("activity_move", world.exchange.pk, activity.pk),
            {"version": "1", "day": "2016-04-30", "start_time": "15:00"},
            **HX,
        )
    )
    assert "outside the exchange" in body
    assert 'value="2016-04-30"' in body


def test_activity_delete(client_in, world):
    activity = services.create_activity(
        exchange=world.exchange, kind="meeting", title="座谈", starts_at=at(9), ends_at=at(10)
    )
    client_in.post(url("activity_delete", world.exchange.pk, activity.pk))
    assert Activity.objects.count() == 0


def test_conflicts_are_listed_and_marked_on_the_activities(client_in, world):
    group = services.create_group(exchange=world.exchange, name="海淀组", host_place=world.haidian)
    services.add_member(exchange=world.exchange, person=world.people[0], group=group)
    services.create_activity(
        exchange=world.exchange,
        kind="site_visit",
        title="参观甲",
        starts_at=at(9),
        ends_at=at(10),
        groups=[group],
    )
    services.create_activity(
        exchange=world.exchange,
        kind="meeting",
        title="座谈乙",
        starts_at=at(9, 30),
        ends_at=at(11),
        groups=[group],
    )
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert 'id="itinerary-conflicts"' in body
    assert "海淀组 has two activities at once: “参观甲” and “座谈乙”." in body
    assert "黄国辉 is in two activities at once" not in body  # one conflict, not one per member
    assert body.count("activity__conflicts") == 2


def test_activity_outside_changed_dates_is_warned(client_in, world):
    services.create_activity(
        exchange=world.exchange, kind="site_visit", title="参观", starts_at=at(9), ends_at=at(10)
    )
    services.update_exchange(
        exchange=world.exchange, start_date=dt.date(2016, 4, 23), end_date=dt.date(2016, 4, 23)
    )
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert "“参观” lies outside the exchange&#x27;s dates." in body
    assert "itinerary-day--outside" in body


# --- gifts and photos -----------------------------------------------------------------------------------


def test_gift_add_happy_path(client_in, world):
    activity = services.create_activity(
        exchange=world.exchange, kind="forum", title="大讲堂", starts_at=at(10), ends_at=at(12)
    )
    response = client_in.post(
        url("gift_add", world.exchange.pk),
        {
            "giver_person": "",
            "giver_person_q": "",
            "giver_organisation": str(world.office.pk),
            "giver_organisation_q": "北京市台办",
            "recipient_person": str(world.people[0].pk),
            "recipient_person_q": "黄国辉",
            "recipient_organisation": "",
            "recipient_organisation_q": "",
            "description": "景泰蓝花瓶",
            "activity": str(activity.pk),
        },
    )
    assert response.status_code == 302
    gift = Gift.objects.get()
    assert (gift.giver, gift.recipient, gift.activity) == (world.office, world.people[0], activity)
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert "景泰蓝花瓶" in body


def test_gift_add_without_giver_is_an_inline_error(client_in, world):
    body = text_of(
        client_in.post(
            url("gift_add", world.exchange.pk),
            {
                "recipient_person": str(world.people[0].pk),
                "recipient_person_q": "黄国辉",
                "description": "纪念品",
            },
            **HX,
        )
    )
    assert "Say who gave the gift." in body
    assert 'value="纪念品"' in body
    assert 'value="黄国辉"' in body
    assert Gift.objects.count() == 0


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_photo_upload_is_reencoded_and_makes_thumbnail(client_in, world):
    # Issue 9: the upload is re-encoded under a generated name (no longer kept as sent),
    # and the page links to the photo view, not to a file path.
    upload = SimpleUploadedFile("group.png", _png(), content_type="image/png")
    response = client_in.post(
        url("photo_add", world.exchange.pk), {"image": upload, "caption": "集体合影"}
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.png", photo.image.name)
    assert (photo.original_name, photo.content_type) == ("group.png", "image/png")
    assert (photo.image.width, photo.image.height) == (1200, 800)
    assert photo.thumbnail.width <= 480
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert url("photo_thumbnail", photo.pk) in body
    assert url("photo_image", photo.pk) in body


def test_photo_that_is_not_an_image_is_an_inline_error(client_in, world):
    upload = SimpleUploadedFile("notes.png", b"not an image at all", content_type="image/png")
    body = text_of(
        client_in.post(
            url("photo_add", world.exchange.pk), {"image": upload, "caption": "说明"}, **HX
        )
    )
    assert "This file is not an image we can read." in body
    assert 'value="说明"' in body
    assert Photo.objects.count() == 0


def test_caption_only_photo_is_shown_as_a_caption(client_in, world):
    client_in.post(url("photo_add", world.exchange.pk), {"caption": "聘任仪式并集体合影"})
    body = text_of(client_in.get(url("detail", world.exchange.pk)))
    assert "photo--caption-only" in body
    assert "聘任仪式并集体合影" in body


# --- type-ahead -----------------------------------------------------------------------------------------


def test_lookup_organisations_finds_either_script(client_in, world):
    data = client_in.get(url("lookup_organisations"), {"q": "臺北市里長"}).json()
    assert [r["id"] for r in data["results"]] == [world.association.pk]


# --- queries -----------------------------------------------------------------------------------------------


def _populate(world, exchange, n: int) -> None:
    group = services.create_group(exchange=exchange, name="海淀组", host_place=world.haidian)
    services.add_exchange_organisation(exchange=exchange, organisation=world.office, role="escort")
    for i, person in enumerate(world.people[:n]):
        services.add_member(
            exchange=exchange, person=person, group=group, organisation=world.association
        )
        activity = services.create_activity(
            exchange=exchange,
            kind="site_visit",
            title=f"参观{i}",
            starts_at=at(8 + i),
            ends_at=at(8 + i, 45),
            groups=[group],
            hosts=[person],
            venue=world.office,
            place=world.community,
        )
        services.record_gift(
            exchange=exchange,
            activity=activity,
            giver_organisation=world.office,
            recipient_person=person,
            description="礼物",
        )
        services.add_photo(exchange=exchange, caption=f"照片{i}", activity=activity)


def _count_queries(client, exchange) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("detail", exchange.pk))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_exchange_page_queries_do_not_grow_with_records(client_in, world):
    small = world.exchange
    large = services.create_exchange(
        title="大交流",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 22),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.beijing,
    )
    _populate(world, small, 1)
    _populate(world, large, 6)
    _count_queries(client_in, small)  # warm the caches (name converter, content types)
    assert _count_queries(client_in, large) == _count_queries(client_in, small)
