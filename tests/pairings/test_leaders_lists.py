"""The lists leaders use: the pairings list's filters (district, county, kind, health) and
its Excel export, the quiet pairings with their contacts and the return visit to propose,
the exchanges per district; their query counts pinned at two sizes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from civicbridge.exchanges.models import Exchange, ExchangeStatus
from civicbridge.pairings import selectors
from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, build_leaders_world, make_admin, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("pairings:list")
QUIET = reverse("pairings:quiet")
EXPORT = reverse("documents:pairings_export")
DISTRICTS = reverse("exchanges_by_district")


@pytest.fixture
def world(request, db):
    return replayed(request, "leaders world", build_leaders_world)


@pytest.fixture
def admin_client(client):
    client.force_login(make_admin("leaders-admin"), backend=MODEL_BACKEND)
    return client


@pytest.fixture
def viewer_client(client):
    client.force_login(make_user("leaders-viewer"), backend=MODEL_BACKEND)
    return client


def listed(client, **params) -> set:
    response = client.get(LIST, params | {"health": params.get("health", "all")})
    assert response.status_code == 200
    assert not response.context["form"].errors
    return {h.pairing.pk for h in response.context["rows"]}


def ids(*pairings) -> set:
    return {p.pk for p in pairings}


def test_filters_by_district(world, viewer_client):
    assert listed(viewer_client, district=world.haidian.pk) == ids(world.p1, world.p2)
    assert listed(viewer_client, district=world.shijingshan.pk) == ids(world.p3, world.p4)


def test_filters_by_county(world, viewer_client):
    assert listed(viewer_client, county=world.taipei.pk) == ids(world.p1, world.p3)
    assert listed(viewer_client, county=world.kaohsiung.pk) == ids(world.p2, world.p4)


def test_filters_by_kind(world, viewer_client):
    assert listed(viewer_client, kind="honorary") == ids(world.p1, world.p4)
    assert listed(viewer_client, kind="friendly") == ids(world.p2, world.p3)


def test_filters_combine(world, viewer_client):
    both = {"district": world.haidian.pk, "county": world.kaohsiung.pk}
    assert listed(viewer_client, **both) == ids(world.p2)
    assert listed(viewer_client, **both, kind="honorary") == set()
    assert listed(viewer_client, district=world.shijingshan.pk, kind="honorary") == ids(world.p4)


def test_filters_by_health(world, viewer_client):
    assert listed(viewer_client, health="current") == ids(world.p1, world.p2, world.p3)
    assert listed(viewer_client, health="active") == ids(world.p1)
    assert listed(viewer_client, health="quiet") == ids(world.p2, world.p3)
    assert listed(viewer_client, health="ended") == ids(world.p4)
    assert listed(viewer_client, health="all") == ids(world.p1, world.p2, world.p3, world.p4)
    # The dashboard's former link.
    response = viewer_client.get(LIST, {"quiet": "1"})
    assert {h.pairing.pk for h in response.context["rows"]} == ids(world.p2, world.p3)


def test_filter_choices_are_the_areas_with_pairings(world, viewer_client):
    form = viewer_client.get(LIST).context["form"]
    districts = [label for value, label in form.fields["district"].choices if value]
    counties = [label for value, label in form.fields["county"].choices if value]
    assert districts == ["北京市 海淀区", "北京市 石景山区"]
    assert counties == ["台北市", "高雄市"]


def test_filters_kept_in_page_links(world, admin_client, settings):
    response = admin_client.get(
        LIST, {"district": world.haidian.pk, "kind": "honorary", "health": "all"}
    )
    query = response.context["query"]
    assert query == f"district={world.haidian.pk}&kind=honorary&health=all"
    html = response.content.decode()
    assert f'href="{EXPORT}?district={world.haidian.pk}&amp;kind=honorary' in html


def test_pagination_in_sql_health_of_the_page_only(world, admin_client, monkeypatch):
    page = selectors.pairings_page(
        selectors.PairingFilters(health="all"), sort="newest", page=2, per_page=2
    )
    assert page.total == 4
    # Newest first: p4 (2017), p3, p2, p1 (2016-04-22).
    assert [h.pairing.pk for h in page.rows] == [world.p2.pk, world.p1.pk]
    assert page.page.number == 2


def test_sorted_by_health_quiet_first(world, viewer_client):
    response = viewer_client.get(LIST, {"sort": "health"})
    rows = response.context["rows"]
    assert [h.is_quiet for h in rows] == [True, True, False]
    assert rows[-1].pairing.pk == world.p1.pk


def test_wrong_filter_values_are_form_errors(world, viewer_client):
    response = viewer_client.get(
        LIST, {"district": "99999", "county": "abc", "kind": "<b>", "place": "9" * 30}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"district", "county", "kind", "place"}
    # The wrong filters are left out: every current pairing.
    assert {h.pairing.pk for h in response.context["rows"]} == ids(world.p1, world.p2, world.p3)
    assert EXPORT in response.content.decode()
    assert viewer_client.get(EXPORT, {"district": "x" * 5000}).status_code == 200


def test_community_member_filters_only_own_pairings(world, client):
    member = make_user("c1-member", role="community_member", place=world.communities[2])
    client.force_login(member, backend=MODEL_BACKEND)
    response = client.get(LIST, {"health": "all"})
    assert {h.pairing.pk for h in response.context["rows"]} == ids(world.p3, world.p4)
    form = response.context["form"]
    assert [v for v, _label in form.fields["district"].choices if v] == [world.shijingshan.pk]
    response = client.get(LIST, {"district": world.haidian.pk})
    assert "district" in response.context["form"].errors


# --- the Excel export ------------------------------------------------------------------------


def workbook(response):
    from openpyxl import load_workbook  # noqa: PLC0415 (heavy)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content)).active


def test_export_holds_the_filtered_rows(world, viewer_client):
    ws = workbook(viewer_client.get(EXPORT, {"district": world.haidian.pk, "health": "all"}))
    today = timezone.localdate().isoformat()
    assert ws["A1"].value == f"结对名单（海淀区）　制表日期：{today}"
    header = [c.value for c in ws[2]]
    assert header[:6] == ["序号", "大陆一方", "所在区县", "台湾一方", "所在县市", "结对类型"]
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == [1, 2]
    # Newest first: p2 (2016-05-01), then p1 (2016-04-22).
    assert [r[1] for r in rows] == ["海淀区田村路街道永定路社区", "海淀区田村路街道阜四社区"]
    assert [r[2] for r in rows] == ["北京市海淀区", "北京市海淀区"]
    assert [r[3] for r in rows] == ["高雄市三民区鼎金里", "台北市中正区板溪里"]
    assert [r[4] for r in rows] == ["高雄市", "台北市"]
    assert [r[5] for r in rows] == ["友好社区", "荣誉主任结对"]
    assert rows[1][7] == dt.datetime(2016, 4, 22)
    assert [r[9] for r in rows] == [None, "张秀兰（主任）"]
    # Names in the sheet's script (a Taiwanese chief's too), as the pages show them.
    assert rows[1][10] == "黄国辉（里长）"
    assert [r[-1] for r in rows] == ["沉寂", "活跃"]


def test_export_in_traditional_and_by_health(world, viewer_client):
    params = {"county": world.kaohsiung.pk, "health": "ended", "script": "zh-hant"}
    ws = workbook(viewer_client.get(EXPORT, params))
    assert ws["A1"].value.startswith("結對名單（高雄市 · 已結束）")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [(r[1], r[5], r[-1]) for r in rows] == [
        ("石景山區八寶山街道魯谷社區", "榮譽主任結對", "已結束")
    ]


def test_export_script_follows_the_reader(world, client):
    client.force_login(make_user("hant-viewer"), backend=MODEL_BACKEND)
    client.cookies["django_language"] = "zh-hant"
    ws = workbook(client.get(EXPORT, {"county": world.kaohsiung.pk, "health": "ended"}))
    assert ws["A1"].value.startswith("結對名單（高雄市 · 已結束）")
    assert ws["B2"].value == "大陸一方"
    assert ws["B3"].value == "石景山區八寶山街道魯谷社區"


def test_export_needs_a_reader(world, client):
    client.force_login(make_user("nobody", role=None), backend=MODEL_BACKEND)
    assert client.get(EXPORT).status_code == 403


# --- quiet pairings ---------------------------------------------------------------------------


def test_quiet_pairings_with_since_when_and_contacts(world, admin_client):
    response = admin_client.get(QUIET)
    rows = response.context["rows"]
    assert [h.pairing.pk for h in rows] == [world.p2.pk, world.p3.pk]
    # No contact recorded: quiet twelve months after it began.
    assert [h.quiet_since for h in rows] == [dt.date(2017, 5, 1), dt.date(2017, 6, 1)]
    assert [h.contact_b.person for h in rows] == [world.chiefs[2], world.chiefs[1]]
    assert [h.contact_a for h in rows] == [None, None]
    html = response.content.decode()
    assert "2017-05-01" in html
    assert "林志明" in html
    assert "陈美玲" in html
    assert html.count('class="propose-return"') == 2


def test_quiet_list_shows_a_contact_phone_only_to_who_may_see_it(world, admin_client, client):
    # p1 turns quiet when seen from two years on: its contacts are both known.
    later = timezone.localdate() + dt.timedelta(days=800)
    rows = selectors.listed_pairings(
        selectors.PairingFilters(health="quiet"), sort="health", today=later
    )
    p1 = next(h for h in rows if h.pairing.pk == world.p1.pk)
    assert (p1.contact_a.person, p1.contact_b.person) == (world.director, world.chiefs[0])
    # On the page (today) the chief's phone shows to an administrator, never to a viewer.
    from civicbridge.pairings.models import Message  # noqa: PLC0415 (test)

    Message.objects.filter(pairing=world.p1).update(
        created_at=timezone.now() - dt.timedelta(days=800)
    )
    admin_html = admin_client.get(QUIET).content.decode()
    assert "tel:0912345678" in admin_html
    client.force_login(make_user("quiet-viewer"), backend=MODEL_BACKEND)
    viewer_html = client.get(QUIET).content.decode()
    assert "黄国辉" in viewer_html
    assert "0912345678" not in viewer_html
    assert 'class="propose-return"' not in viewer_html


def test_quiet_list_filters_and_its_export(world, viewer_client):
    response = viewer_client.get(QUIET, {"kind": "friendly", "county": world.taipei.pk})
    assert [h.pairing.pk for h in response.context["rows"]] == [world.p3.pk]
    html = response.content.decode()
    link = f"{EXPORT}?county={world.taipei.pk}&amp;kind=friendly&amp;health=quiet&amp;sort=health"
    assert link in html
    # A health asked of the quiet list is the quiet one still.
    response = viewer_client.get(QUIET, {"health": "active"})
    assert [h.pairing.pk for h in response.context["rows"]] == [world.p2.pk, world.p3.pk]


def test_propose_a_return_visit_from_the_quiet_list(world, admin_client):
    response = admin_client.get(QUIET)
    html = response.content.decode()
    action = reverse("pairings:return_visit", args=[world.p2.pk])
    assert f'action="{action}"' in html
    start = response.context["return_start"]
    assert f'name="start_date" value="{start.isoformat()}"' in html
    before = Exchange.objects.count()
    posted = admin_client.post(action, {"start_date": start.isoformat()})
    assert posted.status_code == 302
    assert Exchange.objects.count() == before + 1
    draft = Exchange.objects.latest("id")
    assert draft.status == ExchangeStatus.PLANNED
    assert draft.start_date == start
    assert posted["Location"] == reverse("exchanges:detail", args=[draft.pk])
    assert draft.title == "永定路社区回访鼎金里"


def test_propose_needs_csrf_and_permission(world, client):
    action = reverse("pairings:return_visit", args=[world.p2.pk])
    client.force_login(make_user("viewer-posts"), backend=MODEL_BACKEND)
    assert client.post(action, {"start_date": "2027-03-01"}).status_code == 403
    from django.test import Client  # noqa: PLC0415 (test)

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_admin("csrf-admin"), backend=MODEL_BACKEND)
    assert strict.post(action, {"start_date": "2027-03-01"}).status_code == 403


# --- exchanges per district -------------------------------------------------------------------


def test_exchanges_per_district(world, viewer_client):
    response = viewer_client.get(DISTRICTS)
    assert response.status_code == 200
    mainland = {r.place.pk: r for r in response.context["mainland"]}
    taiwan = {r.place.pk: r for r in response.context["taiwan"]}
    assert set(mainland) == {world.haidian.pk, world.shijingshan.pk}
    assert set(taiwan) == {world.taipei.pk, world.kaohsiung.pk}
    haidian, shijingshan = mainland[world.haidian.pk], mainland[world.shijingshan.pk]
    # 海淀区: the 2016 visit through its group (held), the 2027 one apart (planned).
    assert (haidian.hosted, haidian.hosted_planned, haidian.sent) == (1, 1, 0)
    assert [(link.place, link.count) for link in haidian.came_from] == [(world.taipei, 1)]
    assert (shijingshan.hosted, shijingshan.sent) == (1, 1)
    assert [(link.place, link.count) for link in shijingshan.came_from] == [(world.kaohsiung, 1)]
    assert [(link.place, link.count) for link in shijingshan.went_to] == [(world.kaohsiung, 1)]
    taipei, kaohsiung = taiwan[world.taipei.pk], taiwan[world.kaohsiung.pk]
    assert (taipei.sent, taipei.sent_planned, taipei.hosted) == (1, 1, 0)
    assert [(link.place, link.count) for link in taipei.went_to] == [(world.haidian, 1)]
    assert (kaohsiung.hosted, kaohsiung.sent) == (1, 1)
    assert response.context["unplaced"] == 0


def test_district_links_open_the_filtered_exchange_list(world, viewer_client):
    haidian = next(
        r for r in viewer_client.get(DISTRICTS).context["mainland"] if r.place == world.haidian
    )
    response = viewer_client.get(haidian.came_from[0].url)
    assert [e.pk for e in response.context["page_obj"]] == [world.held_exchange.pk]
    for wrong in ("abc", "9" * 40, "-1", "١٢"):
        assert viewer_client.get(reverse("exchanges:list"), {"host": wrong}).status_code == 200
    response = viewer_client.get(haidian.hosted_url.replace("status=held", "status="))
    assert {e.pk for e in response.context["page_obj"]} == {
        world.held_exchange.pk,
        world.planned_exchange.pk,
    }


def test_districts_page_in_english(world, viewer_client):
    with translation.override("en"):
        viewer_client.cookies["django_language"] = "en"
        html = viewer_client.get(DISTRICTS).content.decode()
    assert "Exchanges per district" in html
    assert "Hosted (held)" in html


# --- query counts, pinned at two sizes -------------------------------------------------------

SIZES = (0, 4)


@pytest.fixture(params=SIZES, ids=[f"{n} more" for n in SIZES])
def sized(request, db):
    return replayed(
        request, f"leaders world +{request.param}", lambda: build_leaders_world(request.param)
    )


QUERY_PAGES = {
    # The session and user (2), the districts and counties offered (2), the count and the
    # page of pairings (2), the health of the page's rows (8, the reader's unread included).
    "pairings list": (LIST, {}, 14),
    "pairings list, filtered": (
        LIST,
        {"district": "haidian", "county": "taipei", "kind": "honorary"},
        14,
    ),
    # By the rule: every listed pairing's health, paginated in Python (no count query).
    "pairings list, quiet": (LIST, {"health": "quiet"}, 13),
    # ... and the reader's roles for the contacts' personal data rule (1).
    "quiet pairings": (QUIET, {}, 14),
    # The session and user, the exchanges, their further places, their groups, the areas.
    "exchanges per district": (DISTRICTS, {}, 6),
    "export": (EXPORT, {"district": "haidian"}, 14),
}


@pytest.mark.parametrize("label", QUERY_PAGES)
def test_query_counts(sized, client, django_assert_num_queries, label):
    url, params, expected = QUERY_PAGES[label]
    params = {
        k: getattr(sized, v).pk if v in ("haidian", "taipei") else v for k, v in params.items()
    }
    client.force_login(make_admin("counts-admin"), backend=MODEL_BACKEND)
    assert client.get(url, params).status_code == 200  # warm caches (names, the session)
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200
