"""The statistics page on a generated world: every figure equals the counts made again in
plain Python over the generator's records (tests/statistics/counting.py), for an
administrator (everything) and a district's organiser (that district); planned records are
counted apart; the page's queries do not grow with the world."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, make_user
from tests.statistics.conftest import small_world
from tests.statistics.counting import Count

pytestmark = pytest.mark.django_db

URL = "/statistics/"


def _sections(client, user, params=None):
    client.force_login(user)
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response, {s.key: s for s in response.context["sections"]}


def busiest_district(world):
    """The mainland district the most held exchanges touch (a scope with something in it)."""
    held = [e for e in world.exchanges if e.status == "held" and e.deleted_at is None]

    def touching(district):
        return sum(1 for e in held if Count(world, [district], []).exchange_in_scope(e))

    return max(world.mainland_districts, key=touching)


def _scopes(world):
    admin = make_user("stat-admin", role="administrator")
    district = busiest_district(world)
    organiser = make_user("stat-organiser", role="organiser", place=district)
    return [(admin, None), (organiser, [district])]


def _years(response):
    filters = response.context["filters"]
    return filters.years


def test_figures_equal_independent_counts_for_two_scopes(client, world, today):
    for user, scope in _scopes(world):
        response, sections = _sections(client, user)
        years = _years(response)
        count = Count(world, scope, years)

        rows = sections["exchanges"].rows
        assert {r[0]: r[1] for r in rows} == count.exchanges_per_year()
        assert {r[0]: r[2] for r in rows} == count.people_per_year()
        assert {r[0]: r[3] for r in rows} == count.planned_per_year()

        rows = sections["places"].rows
        assert {r[0]: (r[1], r[2]) for r in rows} == count.places_per_year()

        rows = sections["appointments"].rows
        assert {r[0]: r[1] for r in rows} == count.appointments_per_year()
        assert {r[0]: r[2] for r in rows} == count.appointments_cumulative()
        assert {r[0]: r[3] for r in rows} == count.pairings_per_year()
        assert {r[0]: r[4] for r in rows} == count.pairings_cumulative()

        rows = sections["health"].rows
        assert {r[0]: (r[3], r[2]) for r in rows} == count.standing_and_ended()

        by_name = {t.name_hans: t.code for t in world.topics.values()}
        rows = sections["topics"].rows
        assert {by_name[r[0]]: r[1] for r in rows} == count.topics()

        matrix = sections["matrix"]
        counties = matrix.headers[1:-1]
        cells = {}
        for row in matrix.rows:
            for county, cell in zip(counties, row[1:-1], strict=True):
                pairings = int(cell.split(" / ")[0])
                if pairings:
                    cells[(row[0], county)] = pairings
        expected = {
            (d, _hans(world, c)): n for (d, c), n in count.district_county_pairings().items()
        }
        assert cells == expected

        rows = sections["commitments"].rows
        totals = {
            k: sum(r[i] for r in rows)
            for i, k in enumerate(("open", "overdue", "done", "dropped"), 1)
        }
        assert totals == count.commitments(today)


def _hans(world, county_name):
    county = next(c for c in world.taiwan_counties if c.name == county_name)
    return county.name_hans


def test_the_district_sees_less_than_the_city(client, world):
    (admin, _), (organiser, _) = _scopes(world)
    _, everything = _sections(client, admin)
    _, district = _sections(client, organiser)
    total = sum(r[1] for r in everything["exchanges"].rows)
    own = sum(r[1] for r in district["exchanges"].rows)
    assert 0 < own < total


def test_planned_records_are_not_counted(client, world):
    (admin, _), _organiser = _scopes(world)
    response, sections = _sections(client, admin)
    count = Count(world, None, _years(response))
    planned = count.planned_exchanges()
    assert planned, "the world has planned exchanges"
    held_ids = {e.pk for e in count.held_exchanges()}
    assert not held_ids & {e.pk for e in planned}
    counted = sum(r[1] for r in sections["exchanges"].rows)
    assert counted == len(held_ids)
    assert sum(r[3] for r in sections["exchanges"].rows) == len(planned)
    planned_pairings = [p for p in world.pairings if p.status == "planned"]
    assert sum(r[6] for r in sections["appointments"].rows) == sum(
        1 for p in planned_pairings if p.started_on.year in _years(response)
    )


def test_filters_by_district_side_and_kind(client, world):
    (admin, _), _organiser = _scopes(world)
    district = world.mainland_districts[1]
    response, sections = _sections(
        client, admin, {"place": district.pk, "year_from": 2017, "year_to": 2026}
    )
    assert response.context["filters"].place == district
    count = Count(world, [district], list(range(2017, 2027)))
    assert {r[0]: r[1] for r in sections["exchanges"].rows} == count.exchanges_per_year()
    _, by_kind = _sections(client, admin, {"kind": "friendly"})
    friendly = sum(
        1
        for p in world.pairings
        if p.status == "held" and p.kind == "friendly" and p.started_on.year in _years(response)
    )
    assert sum(r[3] for r in by_kind["appointments"].rows) == friendly
    _, taiwan = _sections(client, admin, {"side": "taiwan"})
    hosted_in_taiwan = sum(
        1
        for e in Count(world, None, _years(response)).held_exchanges()
        if world.places[e.host_place_id].side_id == "taiwan"
    )
    assert sum(r[1] for r in taiwan["exchanges"].rows) == hosted_in_taiwan


@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "abc"},
        {"year_from": "2030", "year_to": "2020"},
        {"year_from": "99999999999999999999"},
        {"place": "999999999"},
        {"side": "<script>"},
        {"kind": "\u202eevil"},
    ],
)
def test_bad_filters_are_form_errors(client, world, params):
    admin = make_user("stat-admin", role="administrator")
    client.force_login(admin)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_nul_in_a_filter_is_refused(client, db):
    client.force_login(make_user("stat-admin", role="administrator"))
    assert client.get(URL, {"place": "1\x00"}).status_code == 400


def test_no_role_reads_nothing(client, db):
    client.force_login(make_user("nobody", role=None))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("documents:yearly_report", args=["xlsx"])).status_code == 403


def test_labels_in_the_readers_language(client, world):
    admin = make_user("stat-admin", role="administrator")
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    text = client.get(URL).content.decode()
    assert "Exchanges and people per year" in text
    assert 'class="data table-cards statistics-table"' in text
    assert 'data-label="' in text
    assert "<svg" in text and "<script" not in text.split("<main", 1)[1].split("</main>")[0]


def _page_queries(client, django_assert_num_queries, user, expected):
    client.force_login(user)
    client.get(URL)  # warm the session and the user's roles
    with django_assert_num_queries(expected):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("scale", [0.01, 0.03])
def test_page_queries_are_flat_in_the_worlds_size(client, db, django_assert_num_queries, scale):
    world = small_world(scale=scale, seed=11)
    admin = make_user("stat-admin", role="administrator")
    organiser = make_user("stat-organiser", role="organiser", place=world.mainland_districts[0])
    _page_queries(client, django_assert_num_queries, admin, 37)
    _page_queries(client, django_assert_num_queries, organiser, 39)


def test_a_coordinator_reads_the_figures_of_their_organisations_seat(client, world):
    district = busiest_district(world)
    organisation = OrganisationFactory(place=district)
    coordinator = make_user("stat-coordinator", role="coordinator", organisation=organisation)
    response, sections = _sections(client, coordinator)
    count = Count(world, [district], _years(response))
    assert {r[0]: r[1] for r in sections["exchanges"].rows} == count.exchanges_per_year()
