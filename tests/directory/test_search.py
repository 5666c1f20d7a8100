"""One- and two-character type-ahead (directory/search.py) on the test directory (Beijing
and Taipei): the same candidates in the same order on SQLite (FTS5 unicode61) and on
PostgreSQL (the gram tables), and the gram tables kept in step by every writer."""

import pytest
from django.db import connection

from civicbridge.directory import search, services
from civicbridge.directory.models import (
    Person,
    PersonKey,
    Place,
    PlaceKey,
    PlaceKind,
    PlaceStatus,
)

pytestmark = pytest.mark.django_db


def codes(ids):
    by_pk = dict(Place.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [by_pk[pk] for pk in ids]


def person_names(ids):
    by_pk = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [by_pk[pk] for pk in ids]


def test_one_character_places_in_order(directory):
    # Names starting with it first (in key order), then names containing it (in index order).
    starting = ["110114009018", "110114009014", "63000110049", "110118101", "110118101201"]
    starting += ["110111105022"]
    containing = ["110105008058", "110112109007", "110113007006", "110113012014"]
    containing += ["110113012015", "110114009012", "110114113002", "110115005016"]
    containing += ["110118101006", "110118101007", "63000050007", "63000050008", "63000110051"]
    assert codes(search.search_place_ids("溪", limit=25)) == starting + containing
    assert codes(search.search_place_ids("溪", limit=8)) == (starting + containing)[:8]


def test_two_characters_places_in_order(directory):
    # Nothing is called 平里 or starts with it: every result is a name containing it.
    expected = ["110101010", "110101010027", "110105020004", "63000010019", "63000020039"]
    expected += ["63000060010", "63000070016"]
    assert codes(search.search_place_ids("平里", limit=25)) == expected
    assert [Place.objects.get(code=c).name for c in expected[:3]] == [
        "和平里街道",
        "和平里社区居委会",
        "南平里社区居委会",
    ]


def test_short_queries_people_in_order(directory):
    assert person_names(search.search_person_ids("淑", limit=25)) == [
        "李淑梅",
        "李淑珍",
        "許淑惠",
        "黃淑卿",
        "林淑珠",
        "翁淑穎",
        "郭淑玲",
        "吳淑芬",
        "黃淑芬",
        "張淑綢",
    ]
    assert person_names(search.search_person_ids("志勇", limit=25)) == [
        "李志勇",
        "卓志勇",
        "謝志勇",
    ]


@pytest.mark.parametrize("query", ["溪", "里", "社", "社区", "平里", "中山", "湖南", "北京", "街"])
def test_short_contains_is_every_spelling_containing_it_in_key_order(directory, query):
    """The short path returns exactly what its definition says: the owners of the key rows
    whose spelling contains the query, current places only, in key order, up to the limit."""
    limit = 40
    rows = (
        PlaceKey.objects.filter(spelling__contains=query, place__status=PlaceStatus.CURRENT)
        .order_by("pk")
        .values_list("place_id", flat=True)[:limit]
    )
    expected = list(dict.fromkeys(rows))
    got = search.contains_ids(
        "directory_placekey",
        "place_id",
        query,
        limit=limit,
        where="o.status = %s",
        params=[PlaceStatus.CURRENT],
    )
    assert got == expected
    assert got, query


@pytest.mark.parametrize(("query", "code"), [("里", "63000040"), ("中", "110102"), ("村", "63000")])
def test_short_contains_within_a_place(directory, query, code):
    """Within a district (the type-ahead of a form scoped to one) the same rule holds: the
    places there whose spelling contains the query, in key order."""
    place = Place.objects.get(code=code)
    limit = 40
    rows = (
        PlaceKey.objects.filter(
            spelling__contains=query,
            place__status=PlaceStatus.CURRENT,
            place__path__startswith=place.path,
        )
        .order_by("pk")
        .values_list("place_id", flat=True)[:limit]
    )
    got = search.contains_ids(
        "directory_placekey",
        "place_id",
        query,
        limit=limit,
        where="o.status = %s AND o.path LIKE %s",
        params=[PlaceStatus.CURRENT, place.path + "%"],
    )
    assert got == list(dict.fromkeys(rows))
    assert got or query == "村", query


def test_short_queries_follow_the_writers(directory):
    district = Place.objects.get(code="63000050")  # 萬華區
    li = services.create_place(name="鷺鷥里", kind=PlaceKind.LI, parent=district)
    assert li.pk in search.search_place_ids("鷥")
    assert li.pk in search.search_place_ids("鷺鷥")
    assert li.pk in search.search_place_ids("鹭")  # the other script
    services.add_place_alias(place=li, name="白鷳里")
    assert li.pk in search.search_place_ids("白鹇")
    services.update_place(place=li, expected_version=li.version, name="鵁鶄里")
    assert li.pk not in search.search_place_ids("鷺鷥")
    assert li.pk in search.search_place_ids("鵁鶄")
    assert li.pk in search.search_place_ids("白鹇")


def gram_rows(table: str) -> int:
    gram = search.PG_GRAM_TABLES[table]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {gram}")  # noqa: S608 — our names
        return cursor.fetchone()[0]


def test_postgresql_gram_tables_match_the_key_rows(directory):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's gram tables")
    for table in search.PG_GRAM_TABLES:
        expected = sum(
            len({text[i : i + n] for n in (1, 2) for i in range(len(text) - n + 1)})
            for text in (
                PlaceKey if table == "directory_placekey" else PersonKey
            ).objects.values_list("spelling", flat=True)
        )
        assert gram_rows(table) == expected > 0
    # A whole rebuild (what a national import does) gives the same table back.
    before = gram_rows("directory_placekey")
    search.index_places(None)
    assert gram_rows("directory_placekey") == before
    assert codes(search.search_place_ids("平里", limit=3)) == [
        "110101010",
        "110101010027",
        "110105020004",
    ]
    # Emptying a key table (a test database's flush) empties its gram table.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE directory_personkey")
    assert gram_rows("directory_personkey") == 0
