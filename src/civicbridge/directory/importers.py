"""Load the reference directory from ``shared/data``: Beijing's divisions, Taipei's li and
the elected li chiefs of every term. Idempotent: a second run changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from civicbridge.core import script
from civicbridge.directory.models import Person, Place, PlaceKind, Position, Region

BEIJING_CITY = {"name": "北京市", "code": "110000"}
TAIPEI_CITY = {"name": "臺北市", "code": "63000000"}
LI_CHIEF_TITLE = "里長"
LI_CHIEF_SOURCE = "中央選舉委員會 選舉資料庫 {year}"

_COMMITTEE_SUFFIXES = [
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", ""),
    ("居委会", ""),
    ("村民委员会", "村"),
    ("村委会", "村"),
]


def short_name_for(name: str) -> str:
    """The everyday name of a committee-named unit (南植社区居委会 → 南植社区)."""
    for suffix, replacement in _COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)] + replacement
            if not short.endswith(("社区", "村")) and replacement == "":
                short += "社区"
            return short if short != name else ""
    return ""


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int) -> None:
        self.created[what] = self.created.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)
        ]


def _new_places(specs: list[dict]) -> list[Place]:
    names = [s["name"] for s in specs]
    shorts = [s.get("short_name", "") for s in specs]
    hans = script.convert_names(names, script.HANS)
    hant = script.convert_names(names, script.HANT)
    short_hans = script.convert_names(shorts, script.HANS)
    short_hant = script.convert_names(shorts, script.HANT)
    places = []
    for i, spec in enumerate(specs):
        parent = spec["parent"]
        place = Place(
            name=spec["name"],
            name_hans=hans[i],
            name_hant=hant[i],
            kind=spec["kind"],
            region=spec["region"],
            parent=parent,
            code=spec["code"],
            short_name=shorts[i],
            short_name_hans=short_hans[i] if shorts[i] else "",
            short_name_hant=short_hant[i] if shorts[i] else "",
            # Imported places have official codes, so their path is made of codes and is
            # known before the rows are inserted (places made by hand use their pk).
            path=f"{parent.path if parent else '/'}{spec['code']}/",
        )
        keys = [script.search_key_of_simplified(hans[i])]
        if shorts[i]:
            keys.append(script.search_key_of_simplified(short_hans[i]))
        place.search_text = " ".join(dict.fromkeys(keys))
        places.append(place)
    return places


def _fast_insert(model, objs: list) -> None:
    """Insert many new rows with one executemany: the directory is ~10,000 rows and
    Django's per-value preparation in bulk_create costs seconds. Only plain field types."""
    if not objs:
        return
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    qn = ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 — names from our own model
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    now = timezone.now()
    rows = []
    for obj in objs:
        row = []
        for f, adapt in zip(fields, adapters, strict=True):
            value = getattr(obj, f.attname)
            if value is None and (
                getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ):
                value = now
            row.append(adapt(value) if adapt and value is not None else value)
        rows.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _ensure_level(
    specs: list[dict], existing: dict[str, Place], report: ImportReport, label: str
) -> None:
    """Create the places in ``specs`` whose code is not in ``existing``."""
    missing = [s for s in specs if s["code"] not in existing]
    if not missing:
        return
    _fast_insert(Place, _new_places(missing))
    created = list(Place.objects.filter(code__in=[s["code"] for s in missing]))
    for place in created:
        existing[place.code] = place
    report.add(label, len(created))


def _city(existing, report, *, name, code, region) -> Place:
    _ensure_level(
        [{"name": name, "kind": PlaceKind.CITY, "region": region, "parent": None, "code": code}],
        existing,
        report,
        "cities",
    )
    return existing[code]


@transaction.atomic
def import_directory(data_dir: Path) -> ImportReport:
    data_dir = Path(data_dir)
    report = ImportReport()
    existing = {p.code: p for p in Place.objects.exclude(code=None).select_related("parent")}

    # Beijing: district → street/town → community/village
    beijing = _city(
        existing,
        report,
        name=BEIJING_CITY["name"],
        code=BEIJING_CITY["code"],
        region=Region.BEIJING,
    )
    rows = _read(data_dir / "beijing_divisions.csv")
    by_level: dict[int, list[dict]] = {6: [], 9: [], 12: []}
    for row in rows:
        by_level[len(row["code"])].append(row)
    labels = {
        6: "beijing districts",
        9: "beijing street-level units",
        12: "beijing community-level units",
    }
    for length in (6, 9, 12):
        specs = []
        for row in by_level[length]:
            if length == 6:
                parent, name = beijing, row["district"]
            elif length == 9:
                parent, name = existing[row["code"][:6]], row["street"]
            else:
                parent, name = existing[row["code"][:9]], row["community_or_village"]
            specs.append(
                {
                    "name": name,
                    "kind": row["kind"],
                    "region": Region.BEIJING,
                    "parent": parent,
                    "code": row["code"],
                    "short_name": short_name_for(name) if length == 12 else "",
                }
            )
        _ensure_level(specs, existing, report, labels[length])

    # Taipei: district → li
    taipei = _city(
        existing, report, name=TAIPEI_CITY["name"], code=TAIPEI_CITY["code"], region=Region.TAIPEI
    )
    li_rows = _read(data_dir / "taipei_li.csv")
    districts = {}
    for row in li_rows:
        districts.setdefault(row["town_code"], row["district_zh_hant"])
    _ensure_level(
        [
            {
                "name": name,
                "kind": PlaceKind.DISTRICT,
                "region": Region.TAIPEI,
                "parent": taipei,
                "code": code,
            }
            for code, name in districts.items()
        ],
        existing,
        report,
        "taipei districts",
    )
    _ensure_level(
        [
            {
                "name": row["li_zh_hant"],
                "kind": PlaceKind.LI,
                "region": Region.TAIPEI,
                "parent": existing[row["town_code"]],
                "code": row["village_code"],
            }
            for row in li_rows
        ],
        existing,
        report,
        "taipei li",
    )

    _import_li_chiefs(data_dir / "taipei_li_chiefs.csv", report)
    if report.total:
        script.invalidate_names()
    return report


def _import_li_chiefs(path: Path, report: ImportReport) -> None:
    li_by_name = {
        (p.parent.name, p.name): p
        for p in Place.objects.filter(kind=PlaceKind.LI).select_related("parent")
    }
    rows = _read(path)
    # A person is one name in one li: the same chief re-elected keeps one record.
    people = {
        (p.home_place_id, p.name): p
        for p in Person.objects.filter(
            home_place__kind=PlaceKind.LI, positions__title=LI_CHIEF_TITLE
        ).distinct()
    }
    new_people = []
    for row in rows:
        li = li_by_name.get((row["district_zh_hant"], row["li_zh_hant"]))
        if li is None:
            raise ValueError(
                f"{path.name}: unknown li {row['district_zh_hant']}{row['li_zh_hant']}"
            )
        key = (li.pk, row["li_chief_zh_hant"])
        if key not in people:
            hans, hant = script.name_pair(row["li_chief_zh_hant"])
            person = Person(
                name=row["li_chief_zh_hant"], name_hans=hans, name_hant=hant, home_place=li
            )
            person.search_text = " ".join(
                dict.fromkeys(script.search_key(n) for n in (person.name, hans, hant))
            )
            people[key] = person
            new_people.append(person)
    if new_people:
        _fast_insert(Person, new_people)
        wanted = {(p.home_place_id, p.name) for p in new_people}
        for p in Person.objects.filter(home_place__kind=PlaceKind.LI):
            if (p.home_place_id, p.name) in wanted:
                people[(p.home_place_id, p.name)] = p
        report.add("li chiefs (people)", len(new_people))

    have = set(
        Position.objects.filter(title=LI_CHIEF_TITLE, place__kind=PlaceKind.LI).values_list(
            "person_id", "place_id", "start_date"
        )
    )
    new_positions = []
    for row in rows:
        li = li_by_name[(row["district_zh_hant"], row["li_zh_hant"])]
        person = people[(li.pk, row["li_chief_zh_hant"])]
        start = dt.date.fromisoformat(row["term_start"])
        if (person.pk, li.pk, start) in have:
            continue
        have.add((person.pk, li.pk, start))
        new_positions.append(
            Position(
                person=person,
                title=LI_CHIEF_TITLE,
                place=li,
                start_date=start,
                end_date=dt.date.fromisoformat(row["term_end"]),
                source=LI_CHIEF_SOURCE.format(year=row["election_year"]),
            )
        )
    if new_positions:
        _fast_insert(Position, new_positions)
        report.add("li chief terms (positions)", len(new_positions))


_SPACE = re.compile(r"\s+")
