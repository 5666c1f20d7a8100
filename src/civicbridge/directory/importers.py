"""Load the national reference directory from ``shared/data``: every mainland unit from
province down to community/village (NBS 2023, ``china_divisions.csv.xz``), every Taiwan
county/city, township/district and village/li (MOI codes, ``taiwan_villages.csv``), and
the elected village/li chiefs of the 2014, 2018 and 2022 terms (``taiwan_li_chiefs.csv``).

Idempotent (a second run changes nothing) and all or nothing: one transaction, so a run
that crashes leaves the database as it was and the next run completes. The files are
streamed; only the codes (and, above the bottom level, the paths) of the places already
present are held in memory. Rows are inserted with ``executemany`` in batches, primary
keys and paths computed beforehand (paths are primary keys, as for places made by hand).
``only`` limits the import to subtrees: a province (``11``), a city (``4403``), a county
(``110108``), a Taiwan county or city (``63000``) … with the places above them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import lzma
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from civicbridge.core import hans_hant
from civicbridge.directory import search
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    Person,
    Place,
    PlaceAlias,
    PlaceKind,
    PlaceStatus,
    Position,
    ensure_sides,
)

MAINLAND_FILE = "china_divisions.csv.xz"
# The same rows uncompressed (the demo's own few dozen places).
MAINLAND_PLAIN_FILE = "china_divisions.csv"
TAIWAN_VILLAGES_FILE = "taiwan_villages.csv"
TAIWAN_CHIEFS_FILE = "taiwan_li_chiefs.csv"
NATIONAL_FILES = (MAINLAND_FILE, TAIWAN_VILLAGES_FILE, TAIWAN_CHIEFS_FILE)
# Rows in the national files (for the progress bar).
EXPECTED_ROWS = {MAINLAND_FILE: 665_276, TAIWAN_VILLAGES_FILE: 7_973, TAIWAN_CHIEFS_FILE: 23_332}

LI_CHIEF_TITLE = "里長"
VILLAGE_CHIEF_TITLE = "村長"
CHIEF_TITLES = (LI_CHIEF_TITLE, VILLAGE_CHIEF_TITLE)
LI_CHIEF_SOURCE = "中央選舉委員會 選舉資料庫 {year}"
BATCH = 5000
PLACE_COLUMNS = (
    "id",
    "code",
    "name",
    "name_hans",
    "name_hant",
    "kind",
    "side_id",
    "parent_id",
    "path",
    "status",
    "short_name",
    "short_name_hans",
    "short_name_hant",
    "search_text",
)

# Mainland code lengths, top down, and the column holding a unit's own name.
MAINLAND_LENGTHS = (2, 4, 6, 9, 12)
MAINLAND_NAME_COLUMN = {2: 0, 4: 1, 6: 2, 9: 3, 12: 4}
# Taiwan: county/city (5 digits), township/district (8), village/li (11).
TAIWAN_LENGTHS = (5, 8, 11)

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


def taiwan_county_kind(name: str) -> str:
    return PlaceKind.COUNTY if name.endswith("縣") else PlaceKind.CITY


def taiwan_town_kind(name: str) -> str:
    return {
        "區": PlaceKind.DISTRICT,
        "鄉": PlaceKind.TOWNSHIP,
        "鎮": PlaceKind.TOWN,
        "市": PlaceKind.COUNTY_ADMINISTERED_CITY,
    }.get(name[-1:], PlaceKind.DISTRICT)


def taiwan_village_kind(name: str) -> str:
    return PlaceKind.VILLAGE if name.endswith("村") else PlaceKind.LI


def chief_title(kind: str) -> str:
    return VILLAGE_CHIEF_TITLE if kind == PlaceKind.VILLAGE else LI_CHIEF_TITLE


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


class Progress:
    """A one-line progress bar on a terminal (stderr); silent otherwise."""

    def __init__(self, stream=None, *, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.label, self.total, self.n, self.shown_at = "", 0, 0, 0.0

    def start(self, label: str, total: int | None) -> None:
        self.label, self.total, self.n, self.shown_at = label, total or 0, 0, 0.0
        self.show(force=True)

    def step(self, n: int = 1) -> None:
        self.n += n
        if self.enabled and self.n % 1000 == 0:
            self.show()

    def show(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.shown_at < 0.2:
            return
        self.shown_at = now
        if self.total:
            share = min(self.n / self.total, 1.0)
            bar = "#" * int(share * 30)
            line = f"{self.label:<24} [{bar:<30}] {self.n:>9,}/{self.total:,}"
        else:
            line = f"{self.label:<24} {self.n:>9,}"
        self.stream.write("\r" + line)
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.show(force=True)
            self.stream.write("\n")
            self.stream.flush()


class Scope:
    """Which codes to load: all, or the subtrees of ``only`` and the places above them.
    ``for_side`` narrows it to the codes of one side (told apart by their lengths)."""

    def __init__(self, only: Iterable[str] | None, lengths: tuple[int, ...] | None = None):
        self.all_codes = sorted({c.strip() for c in (only or ()) if c.strip()})
        self.codes = [c for c in self.all_codes if lengths is None or len(c) in lengths]
        self.matched: set[str] = set()

    def for_side(self, lengths: tuple[int, ...]) -> Scope:
        side = Scope(self.all_codes, lengths)
        side.matched = self.matched
        return side

    @property
    def everything(self) -> bool:
        return not self.all_codes

    def wants(self, code: str) -> bool:
        if self.everything:
            return True
        for wanted in self.codes:
            if code.startswith(wanted):
                self.matched.add(wanted)
                return True
            if wanted.startswith(code):
                return True
        return False

    def touches(self, lengths: tuple[int, ...]) -> bool:
        return self.everything or any(len(c) in lengths for c in self.all_codes)


class _Writer:
    """Rows for one model, inserted with executemany in batches. ``columns`` names the
    attributes each row gives, in order; the others take the field's default, so fields
    added to the model later need no change here. Dates are given adapted (``_date``)."""

    def __init__(self, model, columns: tuple[str, ...]):
        ops = connection.ops
        fields = list(model._meta.concrete_fields)
        now = ops.adapt_datetimefield_value(timezone.now())
        template = []
        for f in fields:
            if f.primary_key:
                value = None
            elif _is_timestamp(f):
                value = now
            else:
                value = f.get_default()
            template.append(value)
        self.template = template
        index = {f.attname: i for i, f in enumerate(fields)}
        self.positions = [index[c] for c in columns]
        qn = ops.quote_name
        columns_sql = ", ".join(qn(f.column) for f in fields)
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 — our own model
            qn(model._meta.db_table), columns_sql, ", ".join(["%s"] * len(fields))
        )
        # PostgreSQL: COPY, several times faster than executemany for these volumes.
        self.copy_sql = f"COPY {qn(model._meta.db_table)} ({columns_sql}) FROM STDIN"
        self.rows: list[list] = []
        self.written = 0

    def add(self, *values) -> None:
        row = self.template.copy()
        for i, value in zip(self.positions, values, strict=True):
            row[i] = value
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def _is_timestamp(f) -> bool:
    """created_at, updated_at: the time of the import."""
    auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    return auto or (f.get_internal_type() == "DateTimeField" and f.has_default())


def _date(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def _next_id(model) -> int:
    last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            yield {k.strip(): (v or "").strip() for k, v in row.items()}


def mainland_file(data_dir: Path) -> Path:
    """The mainland file of ``data_dir``: xz-compressed, or else plain."""
    packed = data_dir / MAINLAND_FILE
    plain = data_dir / MAINLAND_PLAIN_FILE
    return plain if not packed.is_file() and plain.is_file() else packed


def _read_mainland_rows(path: Path) -> Iterator[list[str]]:
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)  # header
        yield from reader


class _PlaceLoader:
    """Places in code order (parents before children), each batch named in both scripts."""

    def __init__(self, progress: Progress):
        self.scope = Scope(None)
        self.progress = progress
        self.writer = _Writer(Place, PLACE_COLUMNS)
        self.alias_writer = _Writer(PlaceAlias, ("id", "place_id", "name", "kind"))
        self.next_id = _next_id(Place)
        self.next_alias_id = _next_id(PlaceAlias)
        # code → (pk, path) of places that may have children; codes of the others.
        self.parents: dict[str, tuple[int, str]] = {}
        self.leaves: set[str] = set()
        self.pending: list[dict] = []
        self.created: dict[str, int] = {}

    def load_existing(self, side: str, leaf_length: int) -> None:
        rows = (
            Place.objects.filter(side_id=side, code__isnull=False)
            .values_list("code", "pk", "path")
            .order_by()
            .iterator(chunk_size=20_000)
        )
        for code, pk, path in rows:
            if len(code) >= leaf_length:
                self.leaves.add(code)
            else:
                self.parents[code] = (pk, path)

    def exists(self, code: str) -> bool:
        return code in self.parents or code in self.leaves

    def add(self, *, code, parent_code, name, kind, side, label, leaf, status="", aliases=()):
        parent_pk, parent_path = self.parents[parent_code] if parent_code else (None, None)
        pk = self.next_id
        self.next_id += 1
        path = Place.path_below(parent_path, pk)
        if leaf:
            self.leaves.add(code)
        else:
            self.parents[code] = (pk, path)
        self.pending.append(
            {
                "id": pk,
                "code": code,
                "name": name,
                "kind": kind,
                "side_id": side,
                "parent_id": parent_pk,
                "path": path,
                "status": status or PlaceStatus.CURRENT,
                "short_name": short_name_for(name) if side == MAINLAND and leaf else "",
                "aliases": aliases,
            }
        )
        self.created[label] = self.created.get(label, 0) + 1
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        names = [p["name"] for p in self.pending]
        shorts = [p["short_name"] for p in self.pending]
        hans = hans_hant.convert_names(names, hans_hant.HANS)
        hant = hans_hant.convert_names(names, hans_hant.HANT)
        short_hans = hans_hant.convert_names(shorts, hans_hant.HANS)
        short_hant = hans_hant.convert_names(shorts, hans_hant.HANT)
        aliases = []
        for i, p in enumerate(self.pending):
            keys = [hans_hant.search_key_of_simplified(hans[i])]
            if shorts[i]:
                keys.append(hans_hant.search_key_of_simplified(short_hans[i]))
            if p["aliases"]:
                keys.extend(hans_hant.search_key(a) for a in p["aliases"])
                aliases.extend((p["id"], a) for a in p["aliases"])
            self.writer.add(
                p["id"],
                p["code"],
                p["name"],
                hans[i],
                hant[i],
                p["kind"],
                p["side_id"],
                p["parent_id"],
                p["path"],
                p["status"],
                shorts[i],
                short_hans[i] if shorts[i] else "",
                short_hant[i] if shorts[i] else "",
                " ".join(dict.fromkeys(k for k in keys if k)),
            )
        self.writer.flush()
        for place_id, name in aliases:
            self.alias_writer.add(
                self.next_alias_id, place_id, name, PlaceAlias.Kind.SOURCE_SPELLING
            )
            self.next_alias_id += 1
        self.alias_writer.flush()
        self.pending = []

    # --- mainland -------------------------------------------------------------------------

    def load_mainland(self, path: Path) -> None:
        self.load_existing(MAINLAND, MAINLAND_LENGTHS[-1])
        self.progress.start("mainland places", EXPECTED_ROWS[MAINLAND_FILE])
        labels = {
            2: "mainland provinces",
            4: "mainland city-level units",
            6: "mainland county-level units",
            9: "mainland street-level units",
            12: "mainland community-level units",
        }
        parent_length = dict(zip(MAINLAND_LENGTHS[1:], MAINLAND_LENGTHS, strict=False))
        for row in _read_mainland_rows(path):
            self.progress.step()
            code, kind = row[5], row[6]
            if not self.scope.wants(code) or self.exists(code):
                continue
            length = len(code)
            if length not in MAINLAND_NAME_COLUMN:
                raise ValueError(f"{path.name}: code {code!r} has an unknown length.")
            parent = code[: parent_length[length]] if length in parent_length else None
            if parent is not None and parent not in self.parents:
                raise ValueError(f"{path.name}: {code} comes before its parent {parent}.")
            self.add(
                code=code,
                parent_code=parent,
                name=row[MAINLAND_NAME_COLUMN[length]],
                kind=kind,
                side=MAINLAND,
                label=labels[length],
                leaf=length == MAINLAND_LENGTHS[-1],
            )
        self.flush()
        self.progress.done()

    # --- Taiwan ---------------------------------------------------------------------------

    def load_taiwan(self, path: Path) -> None:
        self.load_existing(TAIWAN, TAIWAN_LENGTHS[-1])
        self.progress.start("Taiwan villages and li", EXPECTED_ROWS[TAIWAN_VILLAGES_FILE])
        for row in _read_csv(path):
            self.progress.step()
            code, town = row["village_code"], row["town_code"]
            if not self.scope.wants(code):
                continue
            county = code[:5]
            if not self.exists(county):
                name = row["county_zh_hant"]
                self.add(
                    code=county,
                    parent_code=None,
                    name=name,
                    kind=taiwan_county_kind(name),
                    side=TAIWAN,
                    label="Taiwan counties and cities",
                    leaf=False,
                )
            if not self.exists(town):
                name = row["town_zh_hant"]
                self.add(
                    code=town,
                    parent_code=county,
                    name=name,
                    kind=taiwan_town_kind(name),
                    side=TAIWAN,
                    label="Taiwan townships and districts",
                    leaf=False,
                )
            if self.exists(code):
                continue
            name = row["village_zh_hant"]
            spellings = [s for s in row.get("other_spellings", "").split("|") if s and s != name]
            self.add(
                code=code,
                parent_code=town,
                name=name,
                kind=taiwan_village_kind(name),
                side=TAIWAN,
                label="Taiwan villages and li",
                leaf=True,
                status=PlaceStatus.FORMER if row["status"] == "former" else PlaceStatus.CURRENT,
                aliases=tuple(dict.fromkeys(spellings)),
            )
        self.flush()
        self.progress.done()


def _load_chiefs(path: Path, scope: Scope, progress: Progress, report: ImportReport) -> None:
    """People with dated positions for every chief's term: the same name in the same
    village is one person across terms. Names are kept as the source writes them (PUA
    characters too)."""
    villages = {
        code: (pk, kind)
        for code, pk, kind in Place.objects.filter(
            side_id=TAIWAN, kind__in=(PlaceKind.LI, PlaceKind.VILLAGE)
        )
        .values_list("code", "pk", "kind")
        .order_by()
    }
    people: dict[tuple[int, str], int] = {}
    have: set[tuple[int, int, dt.date]] = set()
    for person_id, name, place_id, start in (
        Position.objects.filter(title__in=CHIEF_TITLES, place__side_id=TAIWAN)
        .values_list("person_id", "person__name", "place_id", "start_date")
        .order_by()
    ):
        people[(place_id, name)] = person_id
        have.add((person_id, place_id, start))
    person_writer = _Writer(
        Person, ("id", "name", "home_place_id", "name_hans", "name_hant", "search_text")
    )
    position_writer = _Writer(
        Position,
        ("id", "person_id", "title", "place_id", "start_date", "end_date", "source"),
    )
    next_person, next_position = _next_id(Person), _next_id(Position)
    new_people: list[dict] = []

    def flush_people() -> None:
        names = [p["name"] for p in new_people]
        hans = hans_hant.convert_names(names, hans_hant.HANS)
        hant = hans_hant.convert_names(names, hans_hant.HANT)
        for i, p in enumerate(new_people):
            keys = (hans_hant.search_key(n) for n in (p["name"], hans[i], hant[i]))
            person_writer.add(
                p["id"],
                p["name"],
                p["home_place_id"],
                hans[i],
                hant[i],
                " ".join(dict.fromkeys(keys)),
            )
        person_writer.flush()
        new_people.clear()

    progress.start("village and li chiefs", EXPECTED_ROWS[TAIWAN_CHIEFS_FILE])
    positions = []
    for row in _read_csv(path):
        progress.step()
        code = row["village_code"]
        if not scope.wants(code):
            continue
        if code not in villages:
            raise ValueError(f"{path.name}: unknown village {code} {row['village_zh_hant']}.")
        place_id, kind = villages[code]
        name = row["li_chief_zh_hant"]
        key = (place_id, name)
        if key not in people:
            people[key] = next_person
            new_people.append({"id": next_person, "name": name, "home_place_id": place_id})
            next_person += 1
            if len(new_people) >= BATCH:
                flush_people()
        person_id = people[key]
        start = dt.date.fromisoformat(row["term_start"])
        if (person_id, place_id, start) in have:
            continue
        have.add((person_id, place_id, start))
        positions.append(
            (
                next_position,
                person_id,
                chief_title(kind),
                place_id,
                _date(start),
                _date(dt.date.fromisoformat(row["term_end"])),
                LI_CHIEF_SOURCE.format(year=row["election_year"]),
            )
        )
        next_position += 1
    people_created = person_writer.written + len(new_people)
    flush_people()
    for p in positions:  # after the people they refer to
        position_writer.add(*p)
    position_writer.flush()
    progress.done()
    report.add("village and li chiefs (people)", people_created)
    report.add("chief terms (positions)", position_writer.written)


def _reset_sequences(models_) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def missing_files(data_dir: Path, only: Iterable[str] | None = None) -> list[Path]:
    """The national files an import with ``only`` needs that ``data_dir`` lacks."""
    scope = Scope(only)
    wanted = []
    if scope.touches(MAINLAND_LENGTHS):
        wanted.append(mainland_file(data_dir))
    if scope.touches(TAIWAN_LENGTHS):
        wanted += [data_dir / TAIWAN_VILLAGES_FILE, data_dir / TAIWAN_CHIEFS_FILE]
    return [path for path in wanted if not path.is_file()]


class _BigCache:
    """A larger SQLite page cache while importing (the indexes of 690,000 rows do not fit
    in the default 2 MB and the B-tree inserts then wait on the disk); restored after."""

    SIZE_KIB = 131_072

    def __enter__(self):
        self.previous = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self.previous = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{self.SIZE_KIB}")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self.previous)}")
        return False


def import_directory(
    data_dir: Path,
    *,
    only: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Load the national files in ``data_dir`` (or the subtrees ``only`` names), in one
    transaction."""
    with _BigCache(), transaction.atomic():
        return _import(Path(data_dir), only=only, progress=progress)


def _import(data_dir: Path, *, only, progress) -> ImportReport:
    scope = Scope(only)
    unknown = [
        c for c in scope.codes if not c.isdigit() or len(c) not in (2, 4, 5, 6, 8, 9, 11, 12)
    ]
    if unknown:
        raise ValueError(
            "Not a division code: "
            + ", ".join(unknown)
            + " (mainland codes have 2/4/6/9/12 digits, Taiwan codes 5/8/11)."
        )
    progress = progress or Progress(enabled=False)
    report = ImportReport()
    ensure_sides()
    loader = _PlaceLoader(progress)
    if scope.touches(MAINLAND_LENGTHS):
        loader.scope = scope.for_side(MAINLAND_LENGTHS)
        loader.load_mainland(mainland_file(data_dir))
    if scope.touches(TAIWAN_LENGTHS):
        loader.scope = scope.for_side(TAIWAN_LENGTHS)
        loader.load_taiwan(data_dir / TAIWAN_VILLAGES_FILE)
    for label, n in loader.created.items():
        report.add(label, n)
    report.add("place aliases (other spellings)", loader.alias_writer.written)
    if scope.touches(TAIWAN_LENGTHS):
        _load_chiefs(
            data_dir / TAIWAN_CHIEFS_FILE, scope.for_side(TAIWAN_LENGTHS), progress, report
        )
    not_found = [c for c in scope.codes if c not in scope.matched]
    if not_found:
        raise ValueError("No place with the code " + ", ".join(not_found) + " in the data.")
    if report.total:
        _reset_sequences([Place, PlaceAlias, Person, Position])
        # The search index of what was created (directory-search; bulk for a national run).
        search.index_unindexed()
        hans_hant.invalidate_names()
    return report
