"""The place and li-chief resolvers on real subtrees of the national directory: Beijing,
Dalian (another 中山区), Chifeng (another 松山区), Taipei, Kaohsiung, New Taipei (another
慈祐里), Keelung (a third 中山區) and Tainan (former villages)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicbridge.directory import resolution, search, services
from civicbridge.directory.models import Place, PlaceAlias, PlaceKind, PlaceStatus
from civicbridge.directory.resolution import resolve_li_chief, resolve_place
from civicbridge.directory.selectors import search_people
from tests.conftest import shared_rows
from tests.factories import MODEL_BACKEND, make_user

pytestmark = pytest.mark.django_db

SUBTREES = "11,2102,1504,63000,64000,65000,10017,67000"
REPORT_DAY = dt.date(2015, 11, 26)


field = shared_rows(
    "field",
    lambda: call_command("import_directory", "--only", SUBTREES, stdout=StringIO()),
    doc="The subtrees above, imported once per session (tests/conftest.py shared_rows).",
)


def place(code: str) -> Place:
    return Place.objects.get(code=code)


def names(resolution_):
    return [(c.place.parent.name, c.place.name) for c in resolution_]


# --- must show -----------------------------------------------------------------------------


def test_city_district_li_on_a_date_is_that_terms_chief(field):
    found = resolve_li_chief("高雄市三民区鼎金里", on=REPORT_DAY)
    assert found.place == place("64000050001")
    assert found.person.name == "高豐麟"
    assert found.position.start_date == dt.date(2014, 12, 25)
    assert found.places.best.reasons == [resolution.EXACT, resolution.PARENT_CONTEXT]


def test_title_after_the_li_is_read_off(field):
    found = resolve_li_chief("三民区鼎金里里长", on=REPORT_DAY)
    assert found.person.name == "高豐麟"


def test_dingtai_li_is_zhang_jixiong(field):
    found = resolve_li_chief("鼎泰里", on=REPORT_DAY)
    assert found.place == place("64000050007")
    assert found.person.name == "張吉雄"


def test_variant_character_with_district_context(field):
    # 慈祐里 is in 松山區 and in 三重區; 松山区 is in Taipei and in Chifeng: the chain decides.
    found = resolve_place("松山区慈佑里")
    assert found.ambiguous is False
    assert found.best.place == place("63000010018")
    assert found.best.place.name == "慈祐里"
    assert found.best.reasons == [resolution.VARIANT, resolution.PARENT_CONTEXT]
    assert resolve_li_chief("松山区慈佑里", on=dt.date(2016, 4, 22)).person.name == "李祖民"


def test_lookalike_district_is_shilin(field):
    found = resolve_place("土林区富光里")
    assert found.best.place == place("63000110016")
    assert (found.best.place.parent.name, found.best.place.name) == ("士林區", "富光里")
    assert resolution.LOOKALIKE in found.best.reasons


def test_zhongshan_district_alone_is_ambiguous(field):
    found = resolve_place("中山区")
    assert found.ambiguous is True
    assert found.best is None
    tied = {(c.place.parent.name, c.place.name) for c in found.tied}
    assert {("臺北市", "中山區"), ("大连市", "中山区"), ("基隆市", "中山區")} <= tied


def test_zhongshan_district_in_a_scope_or_with_its_city(field):
    dalian = place("2102")
    assert resolve_place("中山区", within=dalian).best.place == place("210202")
    assert resolve_place("中山区", within=dalian).best.reasons == [
        resolution.EXACT,
        resolution.SCOPE,
    ]
    assert resolve_place("台北市中山區").best.place.code == "63000040"
    assert resolve_place("大连中山区").best.place == place("210202")


def test_fusi_community_abbreviates_fushilu_fourth(field):
    found = resolve_place("阜四社区")
    assert found.best.place.name == "阜石路第四社区居委会"
    assert found.best.reason == resolution.ABBREVIATION


def test_guangnei_street_abbreviates_guanganmennei(field):
    found = resolve_place("广内街道")
    assert found.best.place.name == "广安门内街道"
    assert found.best.place.code == "110102017"


def test_longquan_town_is_the_area_office(field):
    mentougou = place("110109")
    found = resolve_place("龙泉镇", within=mentougou)
    assert found.best.place.name == "龙泉地区"
    assert found.best.reason == resolution.SUFFIX
    assert resolve_place("门头沟区龙泉镇").best.place.name == "龙泉地区"


# --- conventions ---------------------------------------------------------------------------


def test_committee_suffixes_match_both_ways(field):
    fourth = resolve_place("阜石路第四社区").best
    assert fourth.place.name == "阜石路第四社区居委会"
    assert fourth.reason == resolution.SUFFIX
    assert resolve_place("阜石路第四社区居民委员会").best.place == fourth.place
    assert resolve_place("阜石路第四社区居委会").best.reason == resolution.EXACT


def test_village_committee_suffix(field):
    village = Place.objects.filter(code__startswith="11", name__endswith="村委会").first()
    everyday = village.name.removesuffix("村委会") + "村"
    found = resolve_place(everyday, within=village.parent)
    assert found.best.place == village
    assert found.best.reason == resolution.SUFFIX
    committee = village.name.removesuffix("村委会") + "村民委员会"
    assert resolve_place(committee, within=village.parent).best.place == village


def test_street_office_suffix(field):
    found = resolve_place("广安门内街道办事处")
    assert found.best.place.code == "110102017"
    assert found.best.reason == resolution.SUFFIX


def test_district_without_its_suffix_below_a_city_without_its_suffix(field):
    found = resolve_place("高雄三民区")
    assert found.best.place.code == "64000050"
    # 三民区 is the record's own Simplified form (name_hans): exact; 高雄 for 高雄市: suffix.
    assert found.best.reasons == [resolution.EXACT, resolution.PARENT_CONTEXT, resolution.SUFFIX]


def test_levels_may_be_left_out_of_the_chain(field):
    # 海淀区 › 田村路街道 › 阜石路第四社区居委会, the street left out
    assert resolve_place("海淀区阜石路第四社区").best.place.code == "110108021014"
    assert resolve_place("高雄市鼎金里").best.place.code == "64000050001"
    # a chain that does not hold (鼎金里 is not in 中正區) resolves to nothing
    assert resolve_place("臺北市中正區鼎金里") == []


def test_mixed_script_piece_is_a_match_by_script(field):
    found = resolve_place("三民區鼎金裡")
    assert found.best.place.code == "64000050001"
    assert found.best.reasons == [resolution.SCRIPT, resolution.PARENT_CONTEXT]


def test_traditional_text(field):
    assert resolve_place("高雄市三民區鼎金里").best.place.code == "64000050001"
    assert resolve_place("臺北市松山區慈祐里").best.reason == resolution.EXACT
    assert resolve_place("台北市 松山区 慈祐里").best.place.code == "63000010018"


def test_alias_record_is_matched_and_kept_apart(field):
    community = place("110108021014")  # 阜石路第四社区居委会
    services.add_place_alias(place=community, name="阜四社区", kind=PlaceAlias.Kind.COMMON)
    community.refresh_from_db()
    assert community.name == "阜石路第四社区居委会"
    found = resolve_place("阜四社区")
    assert found.best.place == community
    assert found.best.reason == resolution.ALIAS


def test_nothing_matches(field):
    assert resolve_place("火星市") == []
    assert resolve_place("火星市").best is None
    assert resolve_place("   ") == []


def test_kinds_narrow_the_candidates(field):
    found = resolve_place("中山区", kinds=[PlaceKind.LI])
    assert found == []


def test_former_village_only_when_asked_or_on_a_date_it_existed(field):
    former = Place.objects.filter(status=PlaceStatus.FORMER, code__startswith="67000").first()
    text = former.parent.name + former.name
    assert former.pk not in [c.place.pk for c in resolve_place(text)]
    assert resolve_place(text, include_former=True).best.place == former
    term = former.positions.order_by("start_date").first()
    assert resolve_place(text, on=term.start_date).best.place == former
    assert former.pk not in [c.place.pk for c in resolve_place(text, on=dt.date(2025, 1, 1))]


# --- li chiefs -----------------------------------------------------------------------------


def test_chief_name_that_disagrees_with_the_register(field):
    found = resolve_li_chief("北投区大屯里", on=dt.date(2016, 4, 22), name="秦荣辉")
    assert found.person.name == "勤榮輝"
    assert found.name_matches is False
    assert "秦荣辉" in found.note
    assert "勤榮輝" in found.note


def test_chief_name_in_the_other_script_agrees(field):
    found = resolve_li_chief("北投区大屯里", on=dt.date(2016, 4, 22), name="勤荣辉")
    assert found.name_matches is True
    assert found.note == ""


def test_chief_of_an_ambiguous_li_is_not_guessed(field):
    found = resolve_li_chief("大屯里", on=dt.date(2016, 4, 22))  # 北投區 and 下營區
    assert found.ambiguous is True
    assert found.person is None


def test_chief_from_a_place_and_between_terms(field):
    li = place("64000050001")
    assert resolve_li_chief(li, on=dt.date(2019, 6, 1)).person.name == "高豐麟"
    assert resolve_li_chief(li, on=dt.date(2010, 1, 1)).person is None


# --- the search index ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("鼎", "64000050001"),
        ("鼎金", "64000050001"),
        ("鼎金里", "64000050001"),
        ("三民區", "64000050"),
        ("三民区", "64000050"),
        ("阜石", "110108021014"),
        ("石路第四", "110108021014"),
        ("廣安門內", "110102017"),
        ("慈佑", "63000010018"),
    ],
)
def test_type_ahead_finds_by_one_to_four_characters_in_either_script(field, query, code):
    ids = search.search_place_ids(query, limit=50)
    assert place(code).pk in ids


def test_type_ahead_puts_the_name_itself_first(field):
    ids = search.search_place_ids("中山区", limit=5)
    assert {Place.objects.get(pk=pk).name for pk in ids[:3]} <= {"中山区", "中山區"}


def test_type_ahead_leaves_out_former_places_and_placeholders(field):
    former = Place.objects.filter(status=PlaceStatus.FORMER).first()
    assert former.pk not in search.search_place_ids(former.name, limit=100)
    assert former.pk in search.search_place_ids(former.name, limit=100, include_former=True)
    assert search.search_place_ids("市辖区") == []


def test_people_search_in_either_script(field):
    for query in ("高豐", "高丰麟", "丰麟", "麟"):
        assert "高豐麟" in [p.name for p in search_people(query, limit=100)], query


def test_index_follows_the_services(field):
    district = place("64000050")
    li = services.create_place(name="測試新里", kind=PlaceKind.LI, parent=district)
    assert li.pk in search.search_place_ids("測試新")
    assert li.pk in search.search_place_ids("测试")
    assert resolve_place("三民区测试新里").best.place == li
    services.add_place_alias(place=li, name="新測里")
    assert resolve_place("新測里").best.place == li


def test_search_reads_indexes_not_the_whole_table(field):
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    for query in ("中", "中山", "中山区", "阜石路第"):
        with CaptureQueriesContext(connection) as queries:
            search.search_place_ids(query, limit=500)
        for q in queries.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + q["sql"])
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "SCAN directory_place " not in plan + " ", (query, plan)
            assert "SCAN directory_placekey " not in plan + " ", (query, plan)


# --- the API -------------------------------------------------------------------------------


def test_api_resolve(field, client):
    client.force_login(make_user("reader"), backend=MODEL_BACKEND)
    data = client.get("/api/v1/places/resolve", {"text": "中山区"}).json()
    assert data["ambiguous"] is True
    assert len(data["candidates"]) >= 3
    data = client.get(
        "/api/v1/places/resolve", {"text": "高雄市三民区鼎金里", "on": "2015-11-26"}
    ).json()
    assert data["ambiguous"] is False
    best = data["candidates"][0]
    assert best["place"]["code"] == "64000050001"
    assert best["reasons"] == ["exact", "parent context"]
    assert [piece["name"] for piece in best["chain"]] == ["高雄市", "三民區", "鼎金里"]
    dalian = place("2102")
    data = client.get("/api/v1/places/resolve", {"text": "中山区", "within": dalian.pk}).json()
    assert [c["place"]["code"] for c in data["candidates"]] == ["210202"]


def test_api_resolve_refuses_bad_input(field, client):
    client.force_login(make_user("reader"), backend=MODEL_BACKEND)
    assert client.get("/api/v1/places/resolve", {"text": "x" * 500}).status_code == 422
    assert client.get("/api/v1/places/resolve").status_code == 422
    assert (
        client.get("/api/v1/places/resolve", {"text": "中山区", "on": "not a date"}).status_code
        == 422
    )
    assert (
        client.get("/api/v1/places/resolve", {"text": "中山区", "within": 99999999}).status_code
        == 404
    )


# --- type-ahead pages ------------------------------------------------------------------------


def test_lookup_page_reads_a_chain_of_names(field, client):
    client.force_login(make_user("reader"), backend=MODEL_BACKEND)
    results = client.get("/directory/lookup/places/", {"q": "三民区鼎金里", "format": "json"})
    assert [r["id"] for r in results.json()["results"]][:1] == [place("64000050001").pk]
    results = client.get("/directory/lookup/places/", {"q": "鼎金", "format": "json"}).json()
    assert place("64000050001").pk in [r["id"] for r in results["results"]]
    results = client.get("/directory/lookup/places/", {"q": "阜四社区", "format": "json"}).json()
    assert [r["full_name"] for r in results["results"]] == ["阜石路第四社区居委会"]


@pytest.mark.parametrize("text", ["'\"%_\\", "*:()&|!", "NEAR(a b)", "里 AND 村", "𠀀社区"])
def test_hostile_text_is_only_text(field, text):
    # FTS5 and tsquery syntax, LIKE wildcards and quotes are matched as text: nothing here
    assert resolve_place(text) == []
    assert search.search_place_ids(text) == []
    assert search.search_person_ids(text) == []
