"""Programmes and series, their figures, and links between exchanges: services, pages and
the API (tests/factories.py ``build_programmes_world``)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civicbridge.programmes import selectors, services
from civicbridge.programmes.models import ExchangeLink, Programme, ProgrammeFigure

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def api(world, actor: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[actor]}")


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch_json(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def text(response) -> str:
    return response.content.decode()


# --- 一日里长 and its figures ------------------------------------------------------------------


def record_yiri_figures(world):
    """221 居委会 received Taipei li chiefs, 226 li received Shanghai community directors,
    2013–2017; the second named in Traditional (一日里長) finds the same programme."""
    first = services.record_programme_figure(
        programme_name="一日里长",
        figure=221,
        unit="居委会",
        direction="to_taiwan",
        period_start=2013,
        period_end=2017,
        exchange=world.hd,
    )
    second = services.record_programme_figure(
        programme_name="一日里長",
        figure="226",
        unit="里",
        about="一日里長體驗活動",
        direction="to_mainland",
        period_start=2013,
        period_end=2017,
    )
    return first, second


def test_figures_of_yiri_lizhang_find_the_programme_in_either_script(world):
    first, second = record_yiri_figures(world)

    assert (first.programme_id, second.programme_id) == (world.yiri.pk, world.yiri.pk)
    assert Programme.objects.count() == 1
    assert [(f.figure, f.unit, f.period_start, f.period_end) for f in world.yiri.figures.all()] == [
        (Decimal("221.00"), "居委会", 2013, 2017),
        (Decimal("226.00"), "里", 2013, 2017),
    ]


def test_a_figure_naming_an_unknown_programme_creates_it(world):
    figure = services.record_programme_figure(
        programme_name="一日居委主任", figure=30, unit="人次", period_start=2015
    )

    assert figure.programme.name == "一日居委主任"
    assert Programme.objects.filter(name="一日居委主任").count() == 1


def test_programme_page_shows_the_figures_per_period_with_bars(world, login):
    record_yiri_figures(world)
    client = login("viewer")

    page = text(client.get(f"/programmes/{world.yiri.pk}/"))

    assert "一日里长" in page
    assert "2013–2017" in page
    assert '<meter class="figure-bar" min="0" max="226.000000" value="221.000000">' in page
    assert ">221<" in page and ">226<" in page
    assert "居委会" in page and "一日里长体验活动" in page  # in the reader's script
    assert "台北市里长联谊会" in page  # the organiser
    assert "Add a figure" not in page  # a viewer records none


def test_programme_page_in_traditional(world, login):
    record_yiri_figures(world)
    page = text(login("viewer", "zh-hant").get(f"/programmes/{world.yiri.pk}/"))

    assert "一日里長" in page
    assert "居委會" in page


def test_programme_list(world, login):
    record_yiri_figures(world)
    services.add_exchange_to_programme(programme=world.yiri, exchange=world.hd)

    page = text(login("viewer").get("/programmes/"))

    assert "一日里长" in page
    assert f'href="/programmes/{world.yiri.pk}/"' in page
    assert "New programme or series" not in page


def test_programme_exchanges_in_date_order(world):
    services.add_exchange_to_programme(programme=world.yiri, exchange=world.hd)
    services.add_exchange_to_programme(programme=world.yiri, exchange=world.trip)
    services.add_exchange_to_programme(programme=world.yiri, exchange=world.hd)  # again

    assert [e.pk for e in selectors.programme_exchanges(world.yiri)] == [
        world.trip.pk,
        world.hd.pk,
    ]


# --- creating and editing programmes: page and API -----------------------------------------------


def test_an_organiser_creates_a_programme_on_the_page(world, login):
    client = login("organiser_yanqing")
    response = client.post(
        "/programmes/new/",
        {
            "name": "双城交流",
            "kind": "series",
            "organiser": str(world.association.pk),
            "organiser_q": "",
            "direction": "both",
            "start_year": "2010",
            "aim": "京台两地社区互访",
            "note": "",
        },
    )

    programme = Programme.objects.get(name="双城交流")
    assert response.status_code == 302
    assert response["Location"] == f"/programmes/{programme.pk}/"
    assert (programme.kind, programme.organiser, programme.direction, programme.start_year) == (
        "series",
        world.association,
        "both",
        2010,
    )


def test_a_programme_name_is_unique_in_either_script(world, login):
    response = login("organiser_haidian").post(
        "/programmes/new/", {"name": "一日里長", "kind": "programme"}
    )

    assert response.status_code == 400
    assert "There is already a programme called 一日里长." in text(response)
    assert Programme.objects.count() == 1


def test_a_viewer_may_not_create_a_programme(world, login):
    client = login("viewer")

    assert client.get("/programmes/new/").status_code == 403
    assert client.post("/programmes/new/", {"name": "新", "kind": "programme"}).status_code == 403
    assert post_json(api(world, "viewer"), "/api/v1/programmes", {"name": "新"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_programme(name="新", actor=world.users["viewer"])


def test_edit_a_programme_on_the_page_refuses_a_stale_version(world, login):
    client = login("organiser_haidian")
    data = {"version": "1", "name": "一日里长", "kind": "programme", "start_year": "2012"}

    assert client.post(f"/programmes/{world.yiri.pk}/edit/", data).status_code == 302
    stale = client.post(f"/programmes/{world.yiri.pk}/edit/", data | {"start_year": "2011"})

    assert stale.status_code == 400
    assert "Someone else changed this record" in text(stale)
    assert Programme.objects.get(pk=world.yiri.pk).start_year == 2012


def test_api_creates_lists_and_changes_programmes(world):
    client = api(world, "organiser_haidian")

    created = post_json(
        client,
        "/api/v1/programmes",
        {"name": "京台社区发展论坛", "kind": "series", "direction": "both", "start_year": 2014},
    )
    body = created.json()
    changed = patch_json(
        client, f"/api/v1/programmes/{body['id']}", {"version": 1, "aim": "社区治理经验交流"}
    )
    listed = client.get("/api/v1/programmes").json()

    assert created.status_code == 201
    assert (body["name"], body["kind"], body["start_year"], body["exchange_ids"]) == (
        "京台社区发展论坛",
        "series",
        2014,
        [],
    )
    assert changed.status_code == 200
    assert (changed.json()["aim"], changed.json()["version"]) == ("社区治理经验交流", 2)
    assert sorted(p["name"] for p in listed["items"]) == ["一日里长", "京台社区发展论坛"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "坏\x00名"}, "name"),
        ({"name": "\u202e反"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "好", "start_year": 99999}, "start_year"),
        ({"name": "好", "direction": "sideways"}, "direction"),
        ({"name": "好", "organiser_id": 2**50}, "organiser_id"),
    ],
)
def test_api_refuses_hostile_programmes(world, body, field):
    response = post_json(api(world, "administrator"), "/api/v1/programmes", body)

    assert response.status_code == 422, response.content
    assert Programme.objects.count() == 1


def test_page_refuses_hostile_programmes(world, login):
    client = login("administrator")
    for data in (
        {"name": "坏\x00名", "kind": "programme"},
        {"name": "好", "kind": "programme", "start_year": "1e9"},
        {"name": "好", "kind": "nonsense"},
        {"name": "好", "kind": "programme", "organiser": "99999999999999999999"},
    ):
        assert client.post("/programmes/new/", data).status_code == 400, data
    assert client.get("/programmes/99999999999/").status_code == 404
    assert Programme.objects.count() == 1


# --- figures: page and API ----------------------------------------------------------------------


def test_record_and_remove_a_figure_on_the_page(world, login):
    client = login("organiser_haidian")
    response = client.post(
        f"/programmes/{world.yiri.pk}/figures/add/",
        {
            "figure": "221",
            "unit": "居委会",
            "direction": "to_taiwan",
            "period_start": "2013",
            "period_end": "2017",
            "about": "",
        },
    )
    figure = ProgrammeFigure.objects.get(programme=world.yiri)
    removed = client.post(f"/programmes/{world.yiri.pk}/figures/{figure.pk}/remove/")

    assert response.status_code == 302
    assert (figure.figure, figure.unit, figure.period_start) == (Decimal("221.00"), "居委会", 2013)
    assert removed.status_code == 302
    assert ProgrammeFigure.objects.filter(programme=world.yiri).count() == 0


def test_a_figure_form_with_a_reversed_period_shows_the_error(world, login):
    response = login("organiser_haidian").post(
        f"/programmes/{world.yiri.pk}/figures/add/",
        {"figure": "5", "unit": "里", "period_start": "2017", "period_end": "2013"},
    )

    assert response.status_code == 400
    assert "The period ends before it starts." in text(response)
    assert ProgrammeFigure.objects.count() == 0


def test_api_records_lists_and_removes_figures(world):
    client = api(world, "organiser_yanqing")
    created = post_json(
        client,
        "/api/v1/programme-figures",
        {
            "programme_name": "一日里長",
            "figure": "226",
            "unit": "里",
            "direction": "to_mainland",
            "period_start": 2013,
            "period_end": 2017,
        },
    )
    figure = created.json()
    listed = client.get(f"/api/v1/programme-figures?programme={world.yiri.pk}").json()
    removed = client.delete(f"/api/v1/programme-figures/{figure['id']}?version=1")

    assert created.status_code == 201
    assert (figure["programme_id"], figure["unit"], float(figure["figure"])) == (
        world.yiri.pk,
        "里",
        226.0,
    )
    assert [f["id"] for f in listed["items"]] == [figure["id"]]
    assert removed.status_code == 204
    assert ProgrammeFigure.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"programme_name": "一日里长", "figure": -1, "unit": "里"},
        {"programme_name": "一日里长", "figure": "1e20", "unit": "里"},
        {"programme_name": "一日里长", "figure": "NaN", "unit": "里"},
        {"programme_name": "一日里长", "figure": 5, "unit": "\x00"},
        {
            "programme_name": "一日里长",
            "figure": 5,
            "unit": "里",
            "period_start": 2017,
            "period_end": 2013,
        },
        {"programme_name": "", "figure": 5, "unit": "里"},
        {"programme_id": 2**40, "figure": 5, "unit": "里"},
    ],
)
def test_api_refuses_hostile_figures(world, body):
    response = post_json(api(world, "administrator"), "/api/v1/programme-figures", body)

    assert response.status_code == 422, response.content
    assert ProgrammeFigure.objects.count() == 0


def test_a_figure_reported_with_an_exchange_needs_its_edit_right(world):
    with pytest.raises(PermissionDenied):
        services.record_programme_figure(
            programme=world.yiri,
            figure=1,
            unit="里",
            exchange=world.hd,
            actor=world.users["organiser_yanqing"],
        )
    services.record_programme_figure(
        programme=world.yiri,
        figure=1,
        unit="里",
        exchange=world.hd,
        actor=world.users["organiser_haidian"],
    )
    assert ProgrammeFigure.objects.filter(exchange=world.hd).count() == 1


# --- links between exchanges ----------------------------------------------------------------------


def test_a_return_visit_shows_on_both_exchange_pages_and_in_the_api(world, login):
    client = login("organiser_haidian")
    response = client.post(
        f"/exchanges/{world.hd.pk}/links/add/",
        {
            "kind": "return_visit",
            "other": str(world.trip.pk),
            "where_place": "",
            "where_place_q": "",
        },
    )
    link = ExchangeLink.objects.get(exchange=world.hd)

    hd_page = text(client.get(f"/exchanges/{world.hd.pk}/"))
    trip_page = text(client.get(f"/exchanges/{world.trip.pk}/"))
    hd_api = api(world, "viewer").get(f"/api/v1/exchanges/{world.hd.pk}/links").json()
    trip_api = api(world, "viewer").get(f"/api/v1/exchanges/{world.trip.pk}/links").json()

    assert response.status_code == 302
    assert (link.kind, link.other) == ("return_visit", world.trip)
    assert "Programmes and related visits" in hd_page
    assert "Return visit of" in hd_page and f'href="/exchanges/{world.trip.pk}/"' in hd_page
    assert "Returned by" in trip_page and f'href="/exchanges/{world.hd.pk}/"' in trip_page
    assert [(x["kind"], x["other_id"]) for x in hd_api["links"]] == [
        ("return_visit", world.trip.pk)
    ]
    assert hd_api["linked_from"] == []
    assert [(x["exchange_id"], x["kind"]) for x in trip_api["linked_from"]] == [
        (world.hd.pk, "return_visit")
    ]


def test_an_earlier_visit_known_only_as_who_and_where(world, login):
    created = post_json(
        api(world, "organiser_haidian"),
        f"/api/v1/exchanges/{world.hd.pk}/links",
        {
            "kind": "earlier",
            "who": "臺北市里長訪問團",
            "where": "北京市海淀区",
            "start_date": "2013-06-01",
        },
    )
    page = text(login("viewer").get(f"/exchanges/{world.hd.pk}/"))

    assert created.status_code == 201, created.content
    assert (created.json()["other_id"], created.json()["who"]) == (None, "臺北市里長訪問團")
    assert "Earlier visit mentioned" in page
    assert "台北市里长访问团" in page and "2013-06-01" in page  # in the reader's script


def test_an_earlier_visit_at_a_directory_place(world, login):
    response = login("organiser_haidian").post(
        f"/exchanges/{world.hd.pk}/links/add/",
        {"kind": "earlier", "where_place": str(world.li.pk), "where_place_q": ""},
    )
    link = ExchangeLink.objects.get(exchange=world.hd)

    assert response.status_code == 302
    assert (link.where_place, link.where) == (world.li, "龍安里")


def test_a_link_that_says_nothing_is_refused_in_place(world, login):
    response = login("organiser_haidian").post(
        f"/exchanges/{world.hd.pk}/links/add/",
        {"kind": "earlier", "where_place": "", "where_place_q": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Choose the recorded exchange, or say who went where and when." in text(response)
    assert ExchangeLink.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "return_visit"},
        {"kind": "sideways", "who": "某人"},
        {"kind": "earlier", "who": "\u202e反"},
        {"kind": "earlier", "start_date": "2013-06-01", "end_date": "2013-05-01"},
        {"kind": "earlier", "start_date": "0001-01-01"},
        {"kind": "return_visit", "other_id": 2**40},
    ],
)
def test_api_refuses_hostile_links(world, body):
    response = post_json(
        api(world, "administrator"), f"/api/v1/exchanges/{world.hd.pk}/links", body
    )

    assert response.status_code == 422, response.content
    assert ExchangeLink.objects.count() == 0


def test_an_exchange_cannot_be_linked_to_itself_nor_twice(world):
    with pytest.raises(ValidationError):
        services.link_exchange(exchange=world.hd, kind="return_visit", other=world.hd)
    services.link_exchange(exchange=world.hd, kind="return_visit", other=world.trip)
    with pytest.raises(ValidationError):
        services.link_exchange(exchange=world.hd, kind="return_visit", other=world.trip)


def test_links_follow_the_exchange_edit_right(world, login):
    outside = login("organiser_yanqing")
    response = outside.post(
        f"/exchanges/{world.hd.pk}/links/add/", {"kind": "earlier", "who": "某团"}
    )
    refused = post_json(
        api(world, "organiser_yanqing"),
        f"/api/v1/exchanges/{world.hd.pk}/links",
        {"kind": "earlier", "who": "某团"},
    )

    assert (response.status_code, refused.status_code) == (403, 403)
    assert ExchangeLink.objects.count() == 0


def test_unlink_on_the_page_and_in_the_api(world, login):
    first = services.link_exchange(exchange=world.hd, kind="return_visit", other=world.trip)
    second = services.link_exchange(exchange=world.hd, kind="earlier", who="臺北市里長訪問團")
    client = login("organiser_haidian")

    page = client.post(f"/exchanges/{world.hd.pk}/links/{first.pk}/remove/")
    gone = api(world, "organiser_haidian").delete(
        f"/api/v1/exchanges/{world.hd.pk}/links/{second.pk}?version=1"
    )

    assert (page.status_code, gone.status_code) == (302, 204)
    assert ExchangeLink.objects.count() == 0


# --- membership -----------------------------------------------------------------------------------


def test_add_and_take_out_an_exchange_on_the_page(world, login):
    client = login("organiser_haidian")
    added = client.post(f"/exchanges/{world.hd.pk}/programmes/add/", {"programme": world.yiri.pk})
    hd_page = text(client.get(f"/exchanges/{world.hd.pk}/"))
    programme_page = text(client.get(f"/programmes/{world.yiri.pk}/"))
    removed = client.post(f"/exchanges/{world.hd.pk}/programmes/{world.yiri.pk}/remove/")

    assert added.status_code == 302
    assert f'href="/programmes/{world.yiri.pk}/"' in hd_page
    assert f'href="/exchanges/{world.hd.pk}/"' in programme_page
    assert removed.status_code == 302
    assert list(world.yiri.exchanges.all()) == []


def test_membership_in_the_api(world):
    client = api(world, "organiser_haidian")
    url = f"/api/v1/programmes/{world.yiri.pk}/exchanges/{world.hd.pk}"

    added = client.put(url)
    listed = client.get(f"/api/v1/programmes?exchange={world.hd.pk}").json()
    refused = api(world, "organiser_yanqing").delete(url)
    removed = client.delete(url)

    assert added.status_code == 200 and added.json()["exchange_ids"] == [world.hd.pk]
    assert [p["id"] for p in listed["items"]] == [world.yiri.pk]
    assert refused.status_code == 403
    assert removed.status_code == 200 and removed.json()["exchange_ids"] == []


def test_figures_reported_with_an_exchange_show_on_its_page(world, login):
    record_yiri_figures(world)

    page = text(login("viewer").get(f"/exchanges/{world.hd.pk}/"))

    assert "Figures reported with this exchange" in page
    assert "<strong>221</strong> 居委会" in page


def test_the_section_forms_open_in_place(world, login):
    client = login("organiser_haidian")
    link = client.get(f"/exchanges/{world.hd.pk}/links/add/", HTTP_HX_REQUEST="true")
    join = client.get(f"/exchanges/{world.hd.pk}/programmes/add/", HTTP_HX_REQUEST="true")
    page = client.get(f"/exchanges/{world.hd.pk}/links/add/")

    assert link.status_code == 200 and "<html" not in text(link)
    assert 'name="other_number"' in text(link)
    assert f'<option value="{world.trip.pk}">2015-10-08' in text(link)  # same places
    assert f'<option value="{world.yiri.pk}">一日里长</option>' in text(join)
    assert page.status_code == 200 and "<h1>Link a return visit or an earlier visit</h1>" in text(
        page
    )


def test_record_a_figure_from_the_exchange_page(world, login):
    client = login("organiser_haidian")
    form = client.get(f"/exchanges/{world.hd.pk}/programmes/figures/add/", HTTP_HX_REQUEST="true")
    response = client.post(
        f"/exchanges/{world.hd.pk}/programmes/figures/add/",
        {
            "programme": "",
            "programme_name": "一日里長",
            "figure": "221",
            "unit": "居委会",
            "direction": "to_taiwan",
            "period_start": "2013",
            "period_end": "2017",
        },
    )
    empty = client.post(
        f"/exchanges/{world.hd.pk}/programmes/figures/add/",
        {"figure": "1", "unit": "里"},
        HTTP_HX_REQUEST="true",
    )

    assert form.status_code == 200 and 'name="programme_name"' in text(form)
    assert response.status_code == 302
    assert ProgrammeFigure.objects.get().programme == world.yiri
    assert ProgrammeFigure.objects.get().exchange == world.hd
    assert "Choose the programme, or give its name." in text(empty)
    assert ProgrammeFigure.objects.count() == 1


def test_programmes_at_a_place(world, login):
    services.add_exchange_to_programme(programme=world.yiri, exchange=world.trip)

    page = text(login("viewer").get(f"/directory/places/{world.daan.pk}/"))

    assert selectors.programmes_at_place(world.daan) == [world.yiri]
    assert selectors.programmes_at_place(world.haidian) == [world.yiri]  # came from there
    assert selectors.programmes_at_place(world.yanqing) == []
    assert f'<dd class="place-programmes"><a href="/programmes/{world.yiri.pk}/">' in page


def test_the_link_service_a_return_visit_proposal_could_call(world):
    """pairings.propose_return_visit creates a draft exchange; linking it to the visit it
    returns is one call."""
    link = services.link_exchange(
        exchange=world.trip, kind="return_visit", other=world.exchange, note="回访"
    )

    assert ExchangeLink.objects.filter(other=world.exchange).get() == link
    assert link.start_date is None and world.trip.start_date == dt.date(2015, 10, 8)
