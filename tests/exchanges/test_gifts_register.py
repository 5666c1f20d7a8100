"""The gifts register (issue 15): a gift's deadline is its date plus one month; a gift to
register after that is overdue on the dashboard, the register page, its Excel export and
the API alike, for the users whose scope holds it; a registered one never is."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from civicbridge.accounts.rules import roles_of
from civicbridge.exchanges import gifts, selectors, services
from civicbridge.exchanges.models import Gift
from civicbridge.exchanges.selectors import GiftFilters
from tests.conftest import replayed
from tests.factories import build_gifts_world, gif_js_polyglot, png

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
REGISTER = "/exchanges/gifts/"


@pytest.fixture
def world(request, db):
    return replayed(request, "gifts world", build_gifts_world)


def _client(world, actor: str, *, language: str = "en") -> Client:
    client = Client()
    client.force_login(world.roles.users[actor], backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _api(world, actor: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.roles.tokens[actor]}")


def _fresh(gift) -> Gift:
    return Gift.objects.select_related("exchange", "activity").get(pk=gift.pk)


# --- the rule ------------------------------------------------------------------------------


def test_a_month_later_is_clamped_to_the_end_of_a_shorter_month():
    assert [
        gifts.add_month(dt.date(2016, 1, 31)),
        gifts.add_month(dt.date(2015, 1, 31)),
        gifts.add_month(dt.date(2016, 4, 22)),
        gifts.add_month(dt.date(2016, 12, 15)),
    ] == [dt.date(2016, 2, 29), dt.date(2015, 2, 28), dt.date(2016, 5, 22), dt.date(2017, 1, 15)]


def test_the_cutoff_agrees_with_the_deadline_on_every_day_of_four_years():
    start = dt.date(2015, 1, 1)
    disagreements = []
    for n in range(4 * 366):
        day = start + dt.timedelta(days=n)
        cutoff = gifts.overdue_cutoff(day)
        for back in range(25, 40):
            given = day - dt.timedelta(days=back)
            if (day > gifts.add_month(given)) != (given < cutoff):
                disagreements.append((day, given))
    assert disagreements == []


def test_a_gift_is_dated_by_its_activity_else_by_its_exchange(world):
    by_activity, by_end = _fresh(world.by_activity), _fresh(world.by_exchange_end)
    today = world.today
    assert (by_activity.given_on, by_end.given_on) == (
        today - dt.timedelta(days=36),
        today - dt.timedelta(days=5),
    )
    assert by_activity.deadline == gifts.add_month(today - dt.timedelta(days=36))


def test_overdue_in_python_and_in_sql_are_the_same_gifts(world):
    today = world.today
    in_python = {g.description for g in Gift.objects.all() if _fresh(g).is_overdue_on(today)}
    in_sql = set(
        Gift.objects.overdue_on(today, selectors.exchange_timezones()).values_list(
            "description", flat=True
        )
    )
    assert in_python == in_sql == {"茶叶", "锦旗", "瓷盘"}
    # 34 days old is overdue, 20 days old is not, registered never is.
    assert [_fresh(g).is_overdue_on(today) for g in (world.old, world.recent)] == [True, False]
    assert _fresh(world.registered).is_overdue_on(today + dt.timedelta(days=3650)) is False


def test_the_demo_gift_needs_no_registration(demo):
    gift = Gift.objects.get()
    assert (gift.registration, gift.value_band, gift.direction) == ("not_required", "unknown", "")
    assert gift.is_overdue_on(dt.date(2030, 1, 1)) is False


# --- the dashboard ---------------------------------------------------------------------------


def _overdue_on_dashboard(world, actor) -> list[str]:
    response = _client(world, actor).get("/")
    assert response.status_code == 200
    return [g.description for g in response.context["overdue_gifts"]]


def test_the_dashboard_shows_overdue_registrations_in_the_users_scope(world):
    assert sorted(_overdue_on_dashboard(world, "organiser_haidian")) == ["瓷盘", "茶叶"]
    assert _overdue_on_dashboard(world, "organiser_yanqing") == ["锦旗"]
    assert sorted(_overdue_on_dashboard(world, "administrator")) == ["瓷盘", "茶叶", "锦旗"]
    assert sorted(_overdue_on_dashboard(world, "viewer")) == ["瓷盘", "茶叶", "锦旗"]
    html = _client(world, "organiser_haidian").get("/").content.decode()
    assert "Gift registrations overdue" in html
    assert ("茶叶" in html, "花瓶" in html, "书法" in html) == (True, False, False)


def test_registering_a_gift_takes_it_off_the_dashboard(world):
    services.update_gift(
        gift=_fresh(world.old),
        registration="registered",
        registered_on=world.today,
        register_number="纪登-002",
        actor=world.roles.users["organiser_haidian"],
    )
    assert _overdue_on_dashboard(world, "organiser_haidian") == ["瓷盘"]


# --- the register page -----------------------------------------------------------------------


def _register(world, actor, query="") -> list[str]:
    response = _client(world, actor).get(REGISTER + query)
    assert response.status_code == 200
    return [g.description for g in response.context["page_obj"]]


def test_the_register_lists_the_gifts_of_the_users_places(world):
    assert sorted(_register(world, "organiser_haidian")) == sorted(
        ["茶叶", "花瓶", "书法", "瓷盘", "丝巾"]
    )
    assert _register(world, "organiser_yanqing") == ["锦旗"]
    assert len(_register(world, "administrator")) == 6
    assert len(_register(world, "viewer")) == 6


def test_the_register_filters_overdue_status_direction_and_year(world):
    assert sorted(_register(world, "administrator", "?overdue=on")) == ["瓷盘", "茶叶", "锦旗"]
    assert _register(world, "administrator", "?registration=registered") == ["书法"]
    assert _register(world, "administrator", "?direction=given") == []
    year = world.today.year
    in_year = {g.description for g in Gift.objects.all() if _fresh(g).given_on.year == year}
    assert set(_register(world, "administrator", f"?year={year}")) == in_year


def test_the_register_ignores_bad_filters(world):
    client = _client(world, "administrator")
    statuses = [
        client.get(REGISTER + query).status_code
        for query in ("?year=abc", "?year=99999", "?direction=<b>", "?page=-1", "?overdue=%00")
    ]
    assert statuses == [200, 200, 200, 200, 400]  # NUL: refused before any view (core)


def test_the_register_shows_status_and_deadline(world):
    html = _client(world, "organiser_haidian").get(REGISTER).content.decode()
    old = _fresh(world.old)
    assert "Registration overdue" in html
    assert f">{old.deadline:%Y-%m-%d}</td>" in html
    assert "№ 纪登-001" in html


def test_reading_the_register_needs_a_role(world):
    assert _client(world, "nobody").get(REGISTER).status_code == 403
    assert Client().get(REGISTER).status_code == 302
    assert _api(world, "nobody").get("/api/v1/gift-register").status_code == 403


# --- the API: the same rows and rules ---------------------------------------------------------


@pytest.mark.parametrize(
    "actor", ["administrator", "organiser_haidian", "organiser_yanqing", "viewer", "coordinator"]
)
def test_the_api_register_gives_the_pages_rows(world, actor):
    for query in ("", "?overdue=true", "?registration=registered"):
        page_query = query.replace("true", "on")
        response = _api(world, actor).get("/api/v1/gift-register" + query)
        assert response.status_code == 200
        api = sorted(row["description"] for row in response.json()["items"])
        assert api == sorted(_register(world, actor, page_query))


def test_the_api_gives_date_deadline_and_overdue(world):
    row = _api(world, "viewer").get(f"/api/v1/gifts/{world.old.pk}").json()
    old = _fresh(world.old)
    assert (row["given_on"], row["deadline"], row["overdue"], row["registration"]) == (
        old.given_on.isoformat(),
        old.deadline.isoformat(),
        True,
        "to_register",
    )
    assert (row["direction"], row["value_band"], row["photo_url"]) == ("received", "200_500", None)


def test_only_organisers_of_the_exchange_record_a_registration(world):
    gift = world.old
    body = {
        "version": _fresh(gift).version,
        "registration": "registered",
        "registered_on": world.today.isoformat(),
    }
    statuses = {
        actor: _api(world, actor)
        .patch(f"/api/v1/gifts/{gift.pk}", data=body, content_type="application/json")
        .status_code
        for actor in ("viewer", "organiser_yanqing")
    }
    assert statuses == {"viewer": 403, "organiser_yanqing": 403}
    assert _fresh(gift).registration == "to_register"
    ok = _api(world, "organiser_haidian").patch(
        f"/api/v1/gifts/{gift.pk}", data=body, content_type="application/json"
    )
    assert (ok.status_code, ok.json()["overdue"]) == (200, False)


def test_a_registered_gift_needs_its_date_on_page_and_api(world):
    gift = _fresh(world.recent)
    response = _api(world, "administrator").patch(
        f"/api/v1/gifts/{gift.pk}",
        data={"version": gift.version, "registration": "registered"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "registered_on" in response.content.decode()
    page = _client(world, "administrator").post(
        reverse("exchanges:gift_edit", args=[gift.exchange_id, gift.pk]),
        _edit_form(gift, registration="registered"),
    )
    assert page.status_code == 200
    assert "Say when the gift was registered." in page.content.decode()
    assert _fresh(gift).registration == "to_register"


# --- the exchange page's gifts section -------------------------------------------------------


def _edit_form(gift, **changes):
    data = {
        "version": str(gift.version),
        "direction": gift.direction,
        "giver_person": str(gift.giver_person_id or ""),
        "giver_organisation": str(gift.giver_organisation_id or ""),
        "giver_wording": gift.giver_wording,
        "recipient_person": str(gift.recipient_person_id or ""),
        "recipient_organisation": str(gift.recipient_organisation_id or ""),
        "recipient_wording": gift.recipient_wording,
        "description": gift.description,
        "activity": str(gift.activity_id or ""),
        "value_band": gift.value_band,
        "registration": gift.registration,
        "registered_on": str(gift.registered_on or ""),
        "register_number": gift.register_number,
        "handled_by": gift.handled_by,
    }
    data.update(changes)
    return data


def test_the_gifts_section_shows_direction_value_status_and_deadline(world):
    old = _fresh(world.old)
    html = _client(world, "organiser_haidian").get(f"/exchanges/{old.exchange_id}/").content
    html = html.decode()
    assert "Received by the host side" in html
    assert "¥200–500" in html
    assert "Registration overdue" in html
    assert f"due {old.deadline:%Y-%m-%d}" in html
    recent = _fresh(world.recent)
    other = _client(world, "organiser_haidian").get(f"/exchanges/{recent.exchange_id}/")
    assert f"by {recent.deadline:%Y-%m-%d}" in other.content.decode()
    assert reverse("exchanges:gift_edit", args=[old.exchange_id, old.pk]) in html
    viewer = _client(world, "viewer").get(f"/exchanges/{old.exchange_id}/").content.decode()
    assert reverse("exchanges:gift_edit", args=[old.exchange_id, old.pk]) not in viewer


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(world):
    gift = _fresh(world.recent)
    url = reverse("exchanges:gift_edit", args=[gift.exchange_id, gift.pk])
    client = _client(world, "organiser_haidian")
    services.update_gift(gift=_fresh(gift), handled_by="李科员")  # someone else, meanwhile
    response = client.post(url, _edit_form(gift, register_number="纪登-STALE"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this record" in html
    assert "纪登-STALE" in html
    assert _fresh(gift).register_number == ""


def test_the_gift_form_records_a_registration(world):
    gift = _fresh(world.old)
    url = reverse("exchanges:gift_edit", args=[gift.exchange_id, gift.pk])
    response = _client(world, "organiser_haidian").post(
        url,
        _edit_form(
            gift,
            registration="registered",
            registered_on=world.today.isoformat(),
            register_number="纪登-003",
            handled_by="王科长",
        ),
    )
    assert response.status_code == 302
    saved = _fresh(gift)
    assert (saved.registration, saved.register_number, saved.handled_by, saved.version) == (
        "registered",
        "纪登-003",
        "王科长",
        gift.version + 1,
    )


def test_gift_forms_are_refused_outside_the_organisers_scope(world):
    gift = _fresh(world.old)
    edit = reverse("exchanges:gift_edit", args=[gift.exchange_id, gift.pk])
    add = reverse("exchanges:gift_add", args=[gift.exchange_id])
    for actor in ("viewer", "organiser_yanqing", "nobody"):
        client = _client(world, actor)
        assert (client.get(edit).status_code, client.post(add, {}).status_code) == (403, 403)


# --- the photo -------------------------------------------------------------------------------


def _close(response) -> None:
    """Close a file response without ending the test's database connection: closing ends
    the request, and Django would close the connection with it (PostgreSQL then has none for
    the rest of the test)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_gift_photo_is_reencoded_and_sent_only_to_readers(world):
    gift = _fresh(world.old)
    url = reverse("exchanges:gift_edit", args=[gift.exchange_id, gift.pk])
    photo = SimpleUploadedFile("../../礼品.html", png(), content_type="text/html")
    response = _client(world, "organiser_haidian").post(url, _edit_form(gift, photo=photo))
    assert response.status_code == 302
    saved = _fresh(gift)
    assert saved.photo.name.startswith("gifts/") and saved.photo.name.endswith(".png")
    assert (saved.photo_type, saved.photo_name) == ("image/png", "礼品.html")
    photo_url = reverse("exchanges:gift_photo", args=[gift.pk])
    thumb_url = reverse("exchanges:gift_thumbnail", args=[gift.pk])
    sent = _client(world, "viewer").get(photo_url)
    _close(sent)
    assert (sent.status_code, sent["Content-Type"], sent["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )
    thumb = _client(world, "viewer").get(thumb_url)
    _close(thumb)
    assert thumb["Content-Type"] == "image/jpeg"
    assert _client(world, "nobody").get(photo_url).status_code == 403
    assert (
        _client(world, "viewer")
        .get(reverse("exchanges:gift_photo", args=[world.recent.pk]))
        .status_code
        == 404
    )
    page = _client(world, "viewer").get(f"/exchanges/{gift.exchange_id}/").content.decode()
    assert thumb_url in page and "/media/" not in page


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("x.png", b"<script>alert(1)</script>"),
        ("x.gif", gif_js_polyglot()[:40]),
        ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("x.pdf", b"%PDF-1.4 not an image"),
    ],
)
def test_a_hostile_gift_photo_is_refused_on_page_and_api(world, name, data):
    gift = _fresh(world.old)
    url = reverse("exchanges:gift_edit", args=[gift.exchange_id, gift.pk])
    with translation.override("en"):
        page = _client(world, "organiser_haidian").post(
            url, _edit_form(gift, photo=SimpleUploadedFile(name, data))
        )
    assert page.status_code == 200
    assert "This file is not an image we can read." in page.content.decode()
    api = _api(world, "organiser_haidian").post(
        f"/api/v1/gifts/{gift.pk}/photo",
        {"version": gift.version, "photo": SimpleUploadedFile(name, data)},
    )
    assert api.status_code in (400, 422)
    assert (bool(_fresh(gift).photo), _fresh(gift).version) == (False, gift.version)


# --- the Excel export for the discipline office ----------------------------------------------


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_the_register_export_opens_with_the_right_rows_and_columns(world):
    ws = _workbook(
        _client(world, "organiser_haidian").get(
            reverse("documents:gifts_register") + "?script=zh-hans"
        )
    )
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0].startswith("礼品登记")
    assert rows[1] == [
        "序号",
        "日期",
        "交流活动",
        "方向",
        "赠送方",
        "接收方",
        "礼品",
        "估计价值",
        "登记状态",
        "登记日期",
        "登记编号",
        "登记期限",
        "是否逾期",
    ]
    body = rows[2:]
    assert [r[0] for r in body] == [1, 2, 3, 4, 5]
    by_what = {r[6]: r for r in body}
    assert sorted(by_what) == sorted(["茶叶", "花瓶", "书法", "瓷盘", "丝巾"])
    old = _fresh(world.old)
    assert by_what["茶叶"][1:] == [
        dt.datetime.combine(old.given_on, dt.time()),
        "海淀旧访",
        "我方收受",
        "台北市里长联谊会",
        world.roles.person.name_hans or world.roles.person.name,
        "茶叶",
        "200–500元",
        "待登记",
        None,
        None,
        dt.datetime.combine(old.deadline, dt.time()),
        "是",
    ]
    assert (by_what["花瓶"][12], by_what["书法"][8], by_what["书法"][10]) == (
        "否",
        "已登记",
        "纪登-001",
    )
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"


def test_the_export_follows_the_filters_and_the_script(world):
    ws = _workbook(
        _client(world, "administrator").get(
            reverse("documents:gifts_register") + "?overdue=on&script=zh-hant"
        )
    )
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[1][1:4] == ["日期", "交流活動", "方向"]
    assert sorted(r[6] for r in rows[2:]) == sorted(["茶葉", "瓷盤", "錦旗"])
    assert {r[12] for r in rows[2:]} == {"是"}


def test_the_export_needs_a_role(world):
    assert _client(world, "nobody").get(reverse("documents:gifts_register")).status_code == 403


# --- queries ---------------------------------------------------------------------------------


def _more_gifts(world, n):
    exchange = world.old.exchange
    for i in range(n):
        services.record_gift(
            exchange=exchange,
            giver_organisation=world.roles.association,
            recipient_person=world.roles.person,
            description=f"礼品{i}",
            registration="to_register",
        )


@pytest.mark.parametrize(("extra", "queries"), [(0, 7), (20, 7)])
def test_the_register_pages_queries_do_not_grow(world, django_assert_num_queries, extra, queries):
    _more_gifts(world, extra)
    client = _client(world, "organiser_haidian")
    assert client.get(REGISTER + "?overdue=on").status_code == 200  # warm the session
    with django_assert_num_queries(queries):
        assert client.get(REGISTER + "?overdue=on").status_code == 200


@pytest.mark.parametrize(("extra", "queries"), [(0, 5), (20, 5)])
def test_the_api_registers_queries_do_not_grow(world, django_assert_num_queries, extra, queries):
    _more_gifts(world, extra)
    client = _api(world, "organiser_haidian")
    assert client.get("/api/v1/gift-register?overdue=true").status_code == 200
    with django_assert_num_queries(queries):
        assert client.get("/api/v1/gift-register?overdue=true").status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_the_dashboards_overdue_gifts_take_two_queries(world, django_assert_num_queries, extra):
    _more_gifts(world, extra)
    user = world.roles.users["administrator"]
    roles_of(user)  # the roles, read once per request (the dashboard reads them first)
    with django_assert_num_queries(2):
        rows = selectors.overdue_gifts(user, timezone.localdate())
        assert [g.deadline for g in rows] == sorted(g.deadline for g in rows)


def test_gift_register_selector_and_page_agree(world):
    user = world.roles.users["organiser_haidian"]
    rows = selectors.gift_register(user, GiftFilters(overdue=True), today=world.today)
    assert sorted(g.description for g in rows) == sorted(
        _register(world, "organiser_haidian", "?overdue=on")
    )


def test_a_truncated_photo_is_refused_after_a_pdf_was_rendered(world):
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the process when imported:
    the upload check must not follow it."""
    import weasyprint  # noqa: F401, PLC0415 (heavy: importing it is the point)
    from PIL import ImageFile  # noqa: PLC0415 (heavy)

    gift = _fresh(world.old)
    url = reverse("exchanges:gift_edit", args=[gift.exchange_id, gift.pk])
    with translation.override("en"):
        page = _client(world, "organiser_haidian").post(
            url, _edit_form(gift, photo=SimpleUploadedFile("x.gif", gif_js_polyglot()[:40]))
        )
    assert (page.status_code, ImageFile.LOAD_TRUNCATED_IMAGES) == (200, True)
    assert "This file is not an image we can read." in page.content.decode()
