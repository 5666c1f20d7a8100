"""Type-ahead and search at national scale: 1- to 4-character queries in both scripts.

Builds (or reuses) a database holding the national directory (~690,000 places, ~25,000
people), then times, in-process, for each query:

- the place type-ahead as a page (`GET /directory/lookup/places/?q=…&format=json`, signed
  in, through the whole middleware stack) and the selector alone;
- the people type-ahead page;
- the floor: the one-query page `/readyz` through the same client, in the same run.

and prints p50/p95 per query length and script, and the ratio of p95 to the floor's p50, as a
Markdown table for docs/benchmarks.md.

    .venv/bin/python benchmarks/search.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://…/cb_bench .venv/bin/python benchmarks/search.py --reuse
    .venv/bin/python benchmarks/search.py --home DIR --reuse   # an existing CIVICBRIDGE_HOME

The national directory is loaded with `civicbridge import-directory`; with
`--raw-load` (or when the importer cannot load the national files) the places and li
chiefs are read straight from shared/data by a minimal loader below, which writes the same
rows the importer does (names, both scripts, paths) and then builds the search index.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import lzma
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "civicbridge"
DATA = Path(os.environ.get("CIVICBRIDGE_DATA_DIR", ROOT.parent / "shared" / "data"))

# (Simplified, Traditional): 1 to 4 characters, common and rare, names and parts of names.
QUERIES = [
    ("村", "村"),
    ("里", "里"),
    ("中", "中"),
    ("鼎", "鼎"),
    ("阜", "阜"),
    ("龙", "龍"),
    ("中山", "中山"),
    ("鼎金", "鼎金"),
    ("和平", "和平"),
    ("社区", "社區"),
    ("广内", "廣內"),
    ("三民", "三民"),
    ("三民区", "三民區"),
    ("鼎金里", "鼎金里"),
    ("中山区", "中山區"),
    ("阜石路", "阜石路"),
    ("龙泉镇", "龍泉鎮"),
    ("居委会", "居委會"),
    ("慈祐里", "慈祐里"),
    ("广安门内", "廣安門內"),
    ("阜四社区", "阜四社區"),
    ("和平里", "和平里"),
    ("中正里", "中正里"),
    ("村委会", "村委會"),
]
PEOPLE_QUERIES = [("高", "高"), ("张吉", "張吉"), ("高丰麟", "高豐麟"), ("李祖民", "李祖民")]


def run(env, *args):
    subprocess.run([str(CLI), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def raw_load() -> None:
    """Read the national files straight into the place tree (the importer's rows)."""
    # Our modules need the app registry: imported once main() has set Django up.
    from civicbridge.core import hans_hant  # noqa: PLC0415 (bootstrap)
    from civicbridge.directory import search  # noqa: PLC0415 (bootstrap)
    from civicbridge.directory.models import (  # noqa: PLC0415 (bootstrap)
        MAINLAND,
        TAIWAN,
        Person,
        Place,
        PlaceKind,
        ensure_sides,
    )

    ensure_sides()
    next_id = (Place.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    by_code: dict[str, int] = dict(Place.objects.exclude(code=None).values_list("code", "pk"))
    paths = dict(Place.objects.values_list("pk", "path"))
    names_seen = set(Place.objects.values_list("parent_id", "name"))
    specs = []  # (id, side, kind, parent_id, code, name, status)

    def add(side, kind, parent_code, code, name, status="current"):
        nonlocal next_id
        if code in by_code:
            return
        parent_id = by_code[parent_code] if parent_code else None
        if (parent_id, name) in names_seen:  # NBS repeats a few names under one parent
            name = f"{name}（{code}）"
        names_seen.add((parent_id, name))
        pk = next_id
        next_id += 1
        by_code[code] = pk
        paths[pk] = Place.path_below(paths[parent_id] if parent_id else None, pk)
        specs.append((pk, side, kind, parent_id, code, name, status))

    with lzma.open(DATA / "china_divisions.csv.xz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["code"]
            parent = {2: None, 4: code[:2], 6: code[:4], 9: code[:6], 12: code[:9]}[len(code)]
            name = next(row[c] for c in ("community_or_village", "street", "district", "city",
                                          "province") if row[c])  # fmt: skip
            add(MAINLAND, row["kind"], parent, code, name)
    chiefs = []
    with (DATA / "taiwan_villages.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["village_code"]
            county = code[:5]
            kind = PlaceKind.CITY if row["county_zh_hant"].endswith("市") else PlaceKind.COUNTY
            add(TAIWAN, kind, None, county, row["county_zh_hant"])
            town = row["town_zh_hant"]
            town_kind = {"區": "district", "鄉": "township", "鎮": "town", "市": "county_administered_city"}.get(town[-1], "district")  # fmt: skip
            add(TAIWAN, town_kind, county, row["town_code"], town)
            li_kind = PlaceKind.LI if row["village_zh_hant"].endswith("里") else PlaceKind.VILLAGE
            add(TAIWAN, li_kind, row["town_code"], code, row["village_zh_hant"], row["status"])
    with (DATA / "taiwan_li_chiefs.csv").open(encoding="utf-8") as fh:
        chiefs = list(csv.DictReader(fh))
    names = [s[5] for s in specs]
    hans = hans_hant.convert_names(names, hans_hant.HANS)
    hant = hans_hant.convert_names(names, hans_hant.HANT)
    now = dt.datetime.now(dt.UTC)
    columns = ("id", "side_id", "kind", "parent_id", "code", "name", "status", "name_hans",
               "name_hant", "short_name", "short_name_hans", "short_name_hant", "path",
               "search_text", "is_pilot", "note", "created_at", "updated_at", "version")  # fmt: skip
    rows = [
        (
            *spec,
            hans[i],
            hant[i],
            "",
            "",
            "",
            paths[spec[0]],
            hans_hant.search_key_of_simplified(hans[i]),
            False,
            "",
            now,
            now,
            1,
        )  # fmt: skip
        for i, spec in enumerate(specs)
    ]
    with transaction.atomic():
        search._insert("directory_place", columns, rows)
        people: dict[tuple[int, str], int] = {}
        person_rows, position_rows = [], []
        next_person = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        for row in chiefs:
            place_id = by_code[row["village_code"]]
            key = (place_id, row["li_chief_zh_hant"])
            if key not in people:
                people[key] = next_person
                h, t = hans_hant.name_pair(row["li_chief_zh_hant"])
                person_rows.append((next_person, row["li_chief_zh_hant"], h, t, place_id, "",
                                    "", "", "", hans_hant.search_key(h), "", now, now, 1))  # fmt: skip
                next_person += 1
            position_rows.append((people[key], "里長", place_id, row["term_start"],
                                  row["term_end"], f"中央選舉委員會 選舉資料庫 {row['election_year']}",
                                  "", now, now, 1))  # fmt: skip
        search._insert(
            "directory_person",
            ("id", "name", "name_hans", "name_hant", "home_place_id", "gender", "phone", "email",
             "permit_number", "search_text", "note", "created_at", "updated_at", "version"),
            person_rows,
        )  # fmt: skip
        search._insert(
            "directory_position",
            ("person_id", "title", "place_id", "start_date", "end_date", "source", "note",
             "created_at", "updated_at", "version"),
            position_rows,
        )  # fmt: skip
        search.index_places()
        search.index_people()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"raw load: {len(rows):,} places, {len(person_rows):,} people", file=sys.stderr)


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def measure(repeat: int) -> None:
    from civicbridge.directory import search  # noqa: PLC0415 (bootstrap)
    from civicbridge.directory.models import Person, Place  # noqa: PLC0415 (bootstrap)

    load_before = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    places = Place.objects.count()
    people = Person.objects.count()
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", SERVER_NAME="localhost")
    client.force_login(admin)
    floor = timed(lambda: client.get("/readyz"), repeat * 4)
    floor_p50 = statistics.median(floor)

    def page(url, query):
        response = client.get(url, {"q": query, "format": "json"})
        assert response.status_code == 200, response.status_code
        return response

    by_group: dict[tuple[str, int, str], list[float]] = {}
    worst = []
    for hans, hant in QUERIES:
        for which, query in (("简体", hans), ("繁體", hant)):
            page_times = timed(lambda q=query: page("/directory/lookup/places/", q), repeat)
            sel_times = timed(lambda q=query: search.search_place_ids(q, limit=15), repeat)
            n = len(page("/directory/lookup/places/", query).json()["results"])
            by_group.setdefault(("places, page", len(query), which), []).extend(page_times)
            by_group.setdefault(("places, selector", len(query), which), []).extend(sel_times)
            worst.append((p95(page_times), query, n))
    for hans, hant in PEOPLE_QUERIES:
        for which, query in (("简体", hans), ("繁體", hant)):
            page_times = timed(lambda q=query: page("/directory/lookup/people/", q), repeat)
            by_group.setdefault(("people, page", len(query), which), []).extend(page_times)
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\n{vendor}: {places:,} places, {people:,} people; {repeat} runs per query after a "
          f"warm-up; floor `/readyz` (one query) p50 {floor_p50:.2f} ms, p95 {p95(floor):.2f} ms; "
          f"load average {load_before} before, {load} after\n")  # fmt: skip
    print("| what | characters | script | queries | p50 ms | p95 ms | p95 ÷ floor p50 |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for (what, length, which), values in sorted(by_group.items()):
        n = len(values) // repeat
        print(f"| {what} | {length} | {which} | {n} | {statistics.median(values):.1f} | "
              f"{p95(values):.1f} | {p95(values) / floor_p50:.1f}× |")  # fmt: skip
    worst.sort(reverse=True)
    print("\nslowest queries (page p95 ms, results): "
          + ", ".join(f"{q} {t:.1f} ({n})" for t, q, n in worst[:5]))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", help="CIVICBRIDGE_HOME to use (default: a new temporary one)")
    parser.add_argument("--reuse", action="store_true", help="the database is loaded already")
    parser.add_argument("--raw-load", action="store_true", help="skip import-directory")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    home = Path(args.home or tempfile.mkdtemp(prefix="cb-search-"))
    os.environ["CIVICBRIDGE_HOME"] = str(home)
    os.environ.setdefault("CIVICBRIDGE_LOG_LEVEL", "ERROR")
    env = dict(os.environ)
    if not args.reuse:
        run(env, "migrate", "-v0")
        if not args.raw_load:
            try:
                run(env, "import-directory")
            except subprocess.CalledProcessError:
                print("import-directory failed; loading raw", file=sys.stderr)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    django.setup()
    from civicbridge.directory.models import Place  # noqa: PLC0415 (bootstrap)

    if not args.reuse and Place.objects.count() < 600_000:
        raw_load()
    from civicbridge.directory import search  # noqa: PLC0415 (bootstrap)
    from civicbridge.directory.models import PlaceKey  # noqa: PLC0415 (bootstrap)

    if not PlaceKey.objects.exists():  # an importer that does not index (yet)
        with transaction.atomic():
            start = time.perf_counter()
            search.index_places()
            search.index_people()
            print(f"indexed in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    measure(args.repeat)


if __name__ == "__main__":
    sys.exit(main())
