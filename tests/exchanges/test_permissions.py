"""Who may use the exchange pages (accounts.rules, asked by name): a viewer reads but edits
nothing, an organiser edits what is hosted in their district, a coordinator the roster of
their own delegation. Edit controls are shown only to those who may use them."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.accounts.services import assign_role
from civicbridge.directory.models import Place
from civicbridge.exchanges import selectors, services
from civicbridge.exchanges.models import Activity, Exchange, Group, Member
from civicbridge.exchanges.rules import editable_activity_ids
from civicbridge.forums import services as forum_services
from civicbridge.forums.models import Forum
from tests.factories import at, build_roles_world, fresh

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"exchanges:{name}", args=args)


def signed_in(client, username, role, **scope):
    user = get_user_model().objects.create_user(username=username, password="x")
    assign_role(user=user, role=role, **scope)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


@pytest.fixture
def full(world):
    """The exchange with a member, a group in 海淀区, an activity of that group, a forum
    activity of that group with its forum, a speaker and an agenda item, and a forum
    activity of the whole delegation whose forum is not recorded yet."""
    ex = world.exchange
    group = services.create_group(exchange=ex, name="海淀组", host_place=world.haidian)
    member = services.add_member(exchange=ex, person=world.people[0], group=group)
    visit = services.create_activity(
        exchange=ex,
        kind="site_visit",
        title="参观文化小院",
        starts_at=at(9),
        ends_at=at(10),
        groups=[group],
    )
    forum_activity = services.create_activity(
        exchange=ex,
        kind="forum",
        title="京台社区大讲堂",
        starts_at=at(14),
        ends_at=at(16),
        groups=[group],
    )
    forum = forum_services.create_forum(activity=forum_activity, theme="走进海淀")
    speaker = forum_services.add_speaker(forum=forum, side="host", place=world.community)
    item = forum_services.add_agenda_item(forum=forum, kind="speech", title="致辞")
    waiting = services.create_activity(
        exchange=ex, kind="forum", title="第二场讲堂", starts_at=at(17), ends_at=at(18)
    )
    return {
        "exchange": ex,
        "group": group,
        "member": member,
        "activity": visit,
        "forum": forum,
        "speaker": speaker,
        "item": item,
        "waiting": waiting,
    }


def edit_urls(f) -> list[str]:
    """Every URL that shows or takes an edit form (GET and POST)."""
    pk = f["exchange"].pk
    forum = f["forum"].pk
    return [
        url("create"),
        url("edit", pk),
        url("organisation_add", pk),
        url("member_add", pk),
        url("member_edit", pk, f["member"].pk),
        url("group_add", pk),
        url("split", pk),
        url("group_edit", pk, f["group"].pk),
        url("activity_add", pk),
        url("activity_edit", pk, f["activity"].pk),
        url("activity_move", pk, f["activity"].pk),
        url("gift_add", pk),
        url("photo_add", pk),
        url("forums:create", pk, f["waiting"].pk),
        url("forums:edit", pk, forum),
        url("forums:speaker_add", pk, forum),
        url("forums:agenda_add", pk, forum),
        url("forums:topics", pk, forum),
        url("forums:outcome_add", pk, forum),
    ]


def remove_urls(f) -> list[str]:
    """The buttons that remove something (POST only)."""
    pk = f["exchange"].pk
    forum = f["forum"].pk
    return [
        url("member_remove", pk, f["member"].pk),
        url("activity_delete", pk, f["activity"].pk),
        url("forums:speaker_remove", pk, forum, f["speaker"].pk),
        url("forums:agenda_remove", pk, forum, f["item"].pk),
    ]


# --- a viewer ----------------------------------------------------------------------------


def test_viewer_sees_the_exchange_page_without_edit_controls(client, full):
    signed_in(client, "viewer", "viewer")
    ex = full["exchange"]
    response = client.get(url("detail", ex.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "参观文化小院" in body
    assert "走进海淀" in body
    page = body[body.index('id="exchange-sections"') :]
    assert 'method="post"' not in page
    assert "hx-post" not in page
    assert "<details" not in page
    for edit in edit_urls(full) + remove_urls(full):
        assert edit not in body
    assert url("edit", ex.pk) not in body
    assert client.get(url("group", ex.pk, full["group"].pk)).status_code == 200
    assert client.get(url("section", ex.pk, "itinerary")).status_code == 200
    list_body = client.get(url("list")).content.decode()
    assert url("create") not in list_body


def test_viewer_is_refused_every_edit_url_get_and_post(client, full):
    signed_in(client, "viewer", "viewer")
    refused = []
    for edit in edit_urls(full):
        for method in ("get", "post"):
            if getattr(client, method)(edit).status_code != 403:
                refused.append((method, edit))
    for remove in remove_urls(full):
        if client.post(remove).status_code != 403:
            refused.append(("post", remove))
        if client.post(remove, **HX).status_code != 403:
            refused.append(("htmx post", remove))
    assert refused == []
    assert Member.objects.filter(pk=full["member"].pk).count() == 1
    assert Activity.objects.filter(pk=full["activity"].pk).count() == 1
    assert full["forum"].speakers.count() == 1
    assert full["forum"].agenda.count() == 1


def test_user_without_a_role_reads_nothing(client, full):
    user = get_user_model().objects.create_user(username="nobody", password="x")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    ex = full["exchange"]
    assert client.get(url("list")).status_code == 403
    assert client.get(url("detail", ex.pk)).status_code == 403
    assert client.get(url("section", ex.pk, "roster")).status_code == 403
    assert client.get(url("group", ex.pk, full["group"].pk)).status_code == 403
    assert client.get(url("lookup_organisations"), {"q": "台北"}).status_code == 403


# --- an organiser of a district -----------------------------------------------------------


def test_organiser_edits_activities_of_their_district_only(client, world, full):
    ex = full["exchange"]
    other = services.create_group(exchange=ex, name="石景山组", host_place=world.shijingshan)
    elsewhere = services.create_activity(
        exchange=ex,
        kind="meeting",
        title="石景山座谈",
        starts_at=at(9),
        ends_at=at(10),
        groups=[other],
    )
    signed_in(client, "org_shijingshan", "organiser", place=world.shijingshan)
    assert client.get(url("activity_edit", ex.pk, elsewhere.pk)).status_code == 200
    assert client.get(url("activity_edit", ex.pk, full["activity"].pk)).status_code == 403
    assert client.get(url("group_edit", ex.pk, other.pk)).status_code == 200
    assert client.get(url("group_edit", ex.pk, full["group"].pk)).status_code == 403
    body = client.get(url("detail", ex.pk)).content.decode()
    assert url("activity_edit", ex.pk, elsewhere.pk) in body
    assert url("activity_edit", ex.pk, full["activity"].pk) not in body
    assert url("group_edit", ex.pk, other.pk) in body
    assert url("group_edit", ex.pk, full["group"].pk) not in body
    # the forum of the 海淀 group is not theirs; a forum of the whole delegation is (the
    # exchange has a group in their district)
    assert url("forums:edit", ex.pk, full["forum"].pk) not in body
    assert client.get(url("forums:edit", ex.pk, full["forum"].pk)).status_code == 403
    assert client.post(url("forums:outcome_add", ex.pk, full["forum"].pk)).status_code == 403
    assert url("forums:create", ex.pk, full["waiting"].pk) in body
    assert client.get(url("forums:create", ex.pk, full["waiting"].pk)).status_code == 200


def test_organiser_of_the_host_city_edits_the_forums(client, world, full):
    ex = full["exchange"]
    signed_in(client, "org_beijing", "organiser", place=world.beijing)
    body = client.get(url("detail", ex.pk)).content.decode()
    assert url("forums:edit", ex.pk, full["forum"].pk) in body
    assert url("forums:create", ex.pk, full["waiting"].pk) in body
    response = client.post(
        url("forums:create", ex.pk, full["waiting"].pk),
        {f"f{full['waiting'].pk}-theme": "第二讲"},
    )
    assert response.status_code == 302
    assert Forum.objects.get(activity=full["waiting"]).theme == "第二讲"


def _demo_activity(demo, district: str) -> Activity:
    return (
        Activity.objects.filter(exchange=demo, groups__host_place__name=district)
        .order_by("starts_at", "pk")
        .first()
    )


def test_organiser_of_haidian_is_refused_a_yanqing_activity_of_the_demo(client, demo):
    haidian = Place.objects.get(code="110108")
    assert haidian.name == "海淀区"
    signed_in(client, "org_haidian", "organiser", place=haidian)
    yanqing = _demo_activity(demo, "延庆区")
    mine = _demo_activity(demo, "海淀区")
    assert yanqing is not None
    assert mine is not None
    refused = client.get(url("activity_edit", demo.pk, yanqing.pk))
    assert refused.status_code == 403
    start = yanqing.starts_at
    moved = client.post(
        url("activity_move", demo.pk, yanqing.pk),
        {"version": yanqing.version, "day": "2016-04-22", "start_time": "06:00"},
    )
    assert moved.status_code == 403
    assert client.post(url("activity_delete", demo.pk, yanqing.pk)).status_code == 403
    yanqing.refresh_from_db()
    assert yanqing.starts_at == start
    assert client.get(url("activity_edit", demo.pk, mine.pk)).status_code == 200
    body = client.get(url("detail", demo.pk)).content.decode()
    assert url("activity_edit", demo.pk, mine.pk) in body
    assert url("activity_edit", demo.pk, yanqing.pk) not in body


def test_organiser_of_haidian_moves_a_haidian_activity_of_the_demo(client, demo):
    signed_in(client, "org_haidian", "organiser", place=Place.objects.get(code="110108"))
    mine = _demo_activity(demo, "海淀区")
    length = mine.ends_at - mine.starts_at
    local = mine.starts_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    response = client.post(
        url("activity_move", demo.pk, mine.pk),
        {"version": mine.version, "day": local.date().isoformat(), "start_time": "07:15"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.starts_at.astimezone(local.tzinfo).time() == dt.time(7, 15)
    assert mine.ends_at - mine.starts_at == length


# --- the visiting organisation's coordinator -------------------------------------------------


def _member_post(member, **overrides):
    data = {
        "version": member.version,
        "role": member.role,
        "side": member.side,
        "title": "",
        "organisation": "",
        "organisation_q": "",
        "home_place": "",
        "home_place_q": "",
        "group": str(member.group_id or ""),
    }
    data.update(overrides)
    return data


def test_coordinator_edits_members_but_not_activities(client, world, full):
    ex = full["exchange"]
    signed_in(client, "coord", "coordinator", organisation=world.association)
    member = full["member"]
    response = client.post(url("member_edit", ex.pk, member.pk), _member_post(member, title="团员"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.title == "团员"
    added = client.post(
        url("member_add", ex.pk),
        {
            "person": str(world.people[1].pk),
            "person_q": world.people[1].name,
            "role": "member",
            "side": "visiting",
        },
    )
    assert added.status_code == 302
    assert ex.members.count() == 2
    assert client.get(url("activity_edit", ex.pk, full["activity"].pk)).status_code == 403
    assert client.post(url("activity_add", ex.pk)).status_code == 403
    assert client.get(url("edit", ex.pk)).status_code == 403
    assert client.get(url("group_edit", ex.pk, full["group"].pk)).status_code == 403
    body = client.get(url("detail", ex.pk)).content.decode()
    assert url("member_edit", ex.pk, member.pk) in body
    assert url("member_add", ex.pk) in body
    assert url("activity_edit", ex.pk, full["activity"].pk) not in body
    assert url("activity_add", ex.pk) not in body
    assert url("edit", ex.pk) not in body


def test_coordinator_of_another_organisation_edits_no_member(client, world, full):
    ex = full["exchange"]
    signed_in(client, "coord_other", "coordinator", organisation=world.office)
    member = full["member"]
    assert client.get(url("member_edit", ex.pk, member.pk)).status_code == 403
    assert client.post(url("member_remove", ex.pk, member.pk)).status_code == 403
    assert (
        url("member_edit", ex.pk, member.pk)
        not in client.get(url("detail", ex.pk)).content.decode()
    )


# --- no lost updates ---------------------------------------------------------------------------


STALE = "Someone else changed this record"


def _activity_post(activity, **overrides):
    data = {
        "version": str(activity.version),
        "kind": activity.kind,
        "title": activity.title,
        "day": "2016-04-22",
        "time_precision": "exact",
        "part_of_day": "",
        "start_time": "09:00",
        "end_time": "10:00",
        "place": "",
        "place_q": "",
        "venue": "",
        "venue_q": "",
        "description": "",
        "hosts_q": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client):
    signed_in(client, "admin", "administrator")
    return client


def test_activity_edit_form_carries_the_version(admin_client, full):
    activity = full["activity"]
    body = admin_client.get(
        url("activity_edit", full["exchange"].pk, activity.pk), **HX
    ).content.decode()
    assert f'type="hidden" name="version" value="{activity.version}"' in body


def test_two_activity_edits_from_one_version_the_second_is_refused_inline(admin_client, full):
    ex, activity = full["exchange"], full["activity"]
    base = _activity_post(activity)
    first = admin_client.post(
        url("activity_edit", ex.pk, activity.pk), {**base, "title": "第一次修改"}, **HX
    )
    assert first["HX-Retarget"] == "#exchange-sections"
    second = admin_client.post(
        url("activity_edit", ex.pk, activity.pk),
        {**base, "title": "第二次修改", "description": "我写的说明"},
        **HX,
    )
    body = second.content.decode()
    assert second.status_code == 200
    assert "HX-Retarget" not in second
    assert body.lstrip().startswith("<form")
    assert 'class="errorlist nonfield" role="alert"' in body
    assert body.index(STALE) < body.index('name="title"')  # above the form's fields
    assert 'value="第二次修改"' in body  # what was typed is kept
    assert "我写的说明" in body
    activity.refresh_from_db()
    assert activity.title == "第一次修改"


def test_two_moves_from_one_version_the_second_is_refused(admin_client, full):
    ex, activity = full["exchange"], full["activity"]
    data = {"version": str(activity.version), "day": "2016-04-22"}
    admin_client.post(url("activity_move", ex.pk, activity.pk), {**data, "start_time": "11:00"})
    body = admin_client.post(
        url("activity_move", ex.pk, activity.pk), {**data, "start_time": "15:00"}
    ).content.decode()
    assert STALE in body
    assert 'value="15:00"' in body
    activity.refresh_from_db()
    assert activity.starts_at == at(11)


def test_two_member_edits_from_one_version_the_second_is_refused(admin_client, full):
    ex, member = full["exchange"], full["member"]
    data = _member_post(member)
    admin_client.post(url("member_edit", ex.pk, member.pk), {**data, "title": "团长"})
    body = admin_client.post(
        url("member_edit", ex.pk, member.pk), {**data, "title": "秘书长"}, **HX
    ).content.decode()
    assert STALE in body
    assert 'value="秘书长"' in body
    member.refresh_from_db()
    assert member.title == "团长"


def test_two_group_edits_from_one_version_the_second_is_refused(admin_client, world, full):
    ex, group = full["exchange"], full["group"]
    data = {
        "version": str(group.version),
        "name": "海淀组",
        "host_place": str(world.haidian.pk),
        "host_place_q": "海淀区",
        "declared_headcount": "12",
    }
    admin_client.post(url("group_edit", ex.pk, group.pk), {**data, "headline": "第一"})
    body = admin_client.post(
        url("group_edit", ex.pk, group.pk), {**data, "headline": "第二"}
    ).content.decode()
    assert STALE in body
    assert "第二" in body
    group.refresh_from_db()
    assert group.headline == "第一"


# --- the page's editable set matches the rules, in a fixed number of queries ------------------


def test_editable_activities_agree_with_the_rules_for_every_role():
    w = build_roles_world()
    ex = Exchange.objects.get(pk=w.exchange.pk)
    ex = selectors.exchange_detail(ex.pk)
    services.create_activity(
        exchange=ex, kind="meal", title="全团午餐", starts_at=at(12), ends_at=at(13)
    )
    activities = list(selectors.activities_for(ex))
    for key, user in w.users.items():
        u = fresh(user)
        expected = {a.pk for a in activities if u.has_perm("exchanges.change_activity", a)}
        assert editable_activity_ids(u, ex, activities) == expected, key


def _count(client, exchange) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("detail", exchange.pk))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(world, exchange, n: int) -> None:
    group = services.create_group(exchange=exchange, name="海淀组", host_place=world.haidian)
    other = services.create_group(exchange=exchange, name="石景山组", host_place=world.shijingshan)
    for i, person in enumerate(world.people[:n]):
        services.add_member(exchange=exchange, person=person, group=group)
        a = services.create_activity(
            exchange=exchange,
            kind="forum",
            title=f"讲堂{i}",
            starts_at=at(8 + i),
            ends_at=at(8 + i, 45),
            groups=[group if i % 2 else other],
        )
        forum_services.create_forum(activity=a, theme=f"主题{i}")


@pytest.mark.parametrize("role", ["organiser", "coordinator", "viewer"])
def test_exchange_page_queries_do_not_grow_for_scoped_roles(client, world, role):
    small = world.exchange
    large = services.create_exchange(
        title="大交流",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 22),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.beijing,
    )
    _fill(world, small, 1)
    _fill(world, large, 6)
    scope = {
        "organiser": {"place": world.haidian},
        "coordinator": {"organisation": world.association},
    }
    signed_in(client, role, role, **scope.get(role, {}))
    _count(client, small)  # warm the caches
    assert _count(client, large) == _count(client, small)


def test_group_model_is_untouched_by_a_refused_edit(client, world, full):
    signed_in(client, "viewer", "viewer")
    group = full["group"]
    client.post(
        url("group_edit", full["exchange"].pk, group.pk),
        {"version": group.version, "name": "改名", "host_place": str(world.haidian.pk)},
    )
    assert Group.objects.get(pk=group.pk).name == "海淀组"
