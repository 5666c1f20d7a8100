"""The directory's search index: match keys for the resolver and type-ahead at national
scale (690,000 places, 25,000 people) without a full scan.

Every spelling of a place (official name, short name, each alias) is one ``PlaceKey`` row:

* ``key``: the spelling without its level suffix, variant characters folded (阜石路第四社区居委会
  → 阜石路第四, 龙泉地区 → 龙泉, 慈祐里 → 慈佑); a B-tree index serves exact and prefix look-ups.
* ``spelling``: the search key of the whole spelling (Simplified, 臺→台); SQLite FTS5 ``trigram``
  and PostgreSQL ``pg_trgm`` GIN serve "contains" for queries of three characters or more.
* ``chars``: ``spelling`` with a space between characters; SQLite FTS5 ``unicode61`` (queried as
  a phrase) serves one- and two-character queries (a LIKE of two CJK characters on a trigram
  table silently matches nothing), and a PostgreSQL ``tsvector`` GIN the abbreviations
  (:func:`all_chars_ids`).
* PostgreSQL's one- and two-character queries read a gram table instead
  (``directory_placekey_gram``/``directory_personkey_gram``, migration 0006): every distinct
  one- and two-character substring of each spelling with its key row, primary key
  ``(gram, key_id)``, so a short query is one B-tree range read in key order that stops at
  its LIMIT — common words (社区: 130,000 keys) cost what rare ones do (a GIN bitmap of a
  common word had to be read whole before the LIMIT); a search within a district starts
  from its few places instead and probes their keys' grams.

The FTS5 tables are external-content tables over ``directory_placekey``/``directory_personkey``
kept in step by triggers (migration 0003), and so are PostgreSQL's gram tables (row triggers,
and a TRUNCATE trigger), so any insert — a service, the importer's bulk insert, a test
replaying rows — updates them. Writers call :func:`index_places` / :func:`index_people` after
changing names or aliases; bulk writes drop the triggers and rebuild in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from civicbridge.core import hans_hant
from civicbridge.directory.models import (
    Person,
    PersonAlias,
    PersonKey,
    Place,
    PlaceAlias,
    PlaceKey,
    PlaceStatus,
)
from civicbridge.directory.models import within as places_within

# --- keys ---------------------------------------------------------------------------------

# Level suffixes, longest first, with the class of level they name. Spellings whose suffixes
# share a class are the same unit by convention (XX社区 ↔ XX社区居委会, XX村 ↔ XX村民委员会,
# XX街道 ↔ XX街道办事处, 龙泉镇 ↔ 龙泉地区); a spelling without a suffix matches any class
# (高雄 → 高雄市, 三民 → 三民区).
SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [
            ("社区居民委员会", "community"),
            ("社区居委会", "community"),
            ("居民委员会", "community"),
            ("居委会", "community"),
            ("社区", "community"),
            ("村民委员会", "village"),
            ("村委会", "village"),
            ("村", "village"),
            ("街道办事处", "subdistrict"),
            ("街道", "subdistrict"),
            ("办事处", "subdistrict"),
            ("地区办事处", "town"),
            ("镇人民政府", "town"),
            ("地区", "town"),
            ("镇", "town"),
            ("乡人民政府", "township"),
            ("乡", "township"),
            ("里", "li"),
            ("区", "district"),
            ("县", "county"),
            ("旗", "county"),
            ("市", "city"),
            ("自治州", "city"),
            ("盟", "city"),
            ("省", "province"),
            ("自治区", "province"),
            ("特别行政区", "province"),
        ],
        key=lambda item: -len(item[0]),
    )
)
# What an autonomous unit's everyday name leaves out (广西壮族自治区 → 广西).
_PEOPLES = ("壮族", "回族", "维吾尔", "朝鲜族", "土家族", "苗族", "藏族", "彝族", "蒙古族")

# Variant characters written for one another in names (慈佑里 for 慈祐里); folded in keys.
VARIANTS = {"祐": "佑", "峯": "峰", "邨": "村", "鎭": "镇", "羣": "群", "衆": "众", "綫": "线"}
# Characters a report mistypes for one another (土林区 for 士林区); folded in keys too, and
# a match that needs them ranks lowest.
LOOKALIKES = {"土": "士", "己": "已", "巳": "已", "未": "末", "戍": "戌", "戊": "戌", "侯": "候"}
_VARIANT_TABLE = str.maketrans(VARIANTS)
_FOLD_TABLE = str.maketrans({**VARIANTS, **LOOKALIKES})


def key_of(text: str) -> str:
    """The search key of a spelling (either script): Simplified, 臺→台, no spaces, 裡/裏→里."""
    return hans_hant.search_key(text).replace("裡", "里").replace("裏", "里")


def fold(text: str) -> str:
    return text.translate(_FOLD_TABLE)


def fold_variants(text: str) -> str:
    return text.translate(_VARIANT_TABLE)


_SUFFIX_LEVEL = dict(SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(suffix) for suffix in _SUFFIX_LEVEL}, reverse=True)


def split_suffix(full: str) -> tuple[str, str]:
    """(stem, level class) of a search key: 阜石路第四社区居委会 → (阜石路第四, community);
    (full, "") when it ends in no level suffix or is nothing but one."""
    for length in _SUFFIX_LENGTHS:
        if len(full) > length:
            level = _SUFFIX_LEVEL.get(full[-length:])
            if level:
                return full[:-length], level
    return full, ""


def stems_of(full: str) -> list[tuple[str, str]]:
    """The stems a spelling is indexed under, with its level class."""
    stem, level = split_suffix(full)
    out = [(stem, level)]
    if level and stem.endswith(_PEOPLES):
        for people in _PEOPLES:
            if stem.endswith(people) and len(stem) > len(people):
                out.append((stem[: -len(people)], level))
    return out


def readings(full: str) -> list[tuple[str, str]]:
    """How a typed segment may be read: as a whole with no suffix (和平里 → the stem of
    和平里街道), and without its suffix (和平里 → 和平, a li)."""
    out = [(full, "")]
    stem, level = split_suffix(full)
    if level:
        out.append((stem, level))
    return out


def spaced(full: str) -> str:
    return " ".join(full)


# --- writing the index --------------------------------------------------------------------

CHUNK = 5000


# Placeholders a user never sees (北京市市辖区) are not indexed: never offered, never matched.
UNINDEXED_KINDS = ("municipal_districts", "directly_administered_counties")


PLACE_FIELDS = ("pk", "name", "name_hans", "short_name", "short_name_hans", "kind", "path")


def _simplified_key(text: str) -> str:
    """:func:`key_of` of a text already in Simplified (the stored name_hans): no OpenCC."""
    if " " in text or "\t" in text or "\u3000" in text:
        return key_of(text)
    return text.replace("臺", "台").replace("裡", "里").replace("裏", "里").lower()


def _place_rows(place_rows, aliases: dict[int, list[str]]) -> list[tuple]:
    """Index rows (PLACE_COLUMNS) of places given as PLACE_FIELDS tuples."""
    rows = []
    append = rows.append
    for pk, name, name_hans, short, short_hans, kind, path in place_rows:
        if kind in UNINDEXED_KINDS:
            continue
        depth = path.count("/") - 1
        # The stored Simplified forms (no OpenCC needed); the name as entered when a record
        # lacks them.
        name_full = _simplified_key(name_hans) if name_hans else key_of(name)
        spellings = [("name", name_full)]
        if short:
            short_full = _simplified_key(short_hans) if short_hans else key_of(short)
            if short_full and short_full not in name_full:
                spellings.append(("short", short_full))
        for alias in aliases.get(pk, ()):
            alias_full = key_of(alias)
            if alias_full and alias_full != name_full:
                spellings.append(("alias", alias_full))
        seen = set()
        for source, full in spellings:
            chars = " ".join(full)
            for stem, level in stems_of(full):
                key = stem.translate(_FOLD_TABLE)[:200]
                if (key, full) not in seen:
                    seen.add((key, full))
                    append((pk, source, level, key, depth, full, chars))
    return rows


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    if connection.vendor == "postgresql" and len(rows) > CHUNK:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {qn(table)} ({names}) FROM STDIN"  # noqa: S608 — our names
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


PLACE_COLUMNS = ("place_id", "source", "level", "key", "depth", "spelling", "chars")
PERSON_COLUMNS = ("person_id", "key", "spelling", "chars")


def _chunks(ids: list[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_places(place_ids: Iterable[int] | None = None) -> int:
    """Write the index rows of the given places (every place when None), replacing what
    they had. Bulk-friendly: the importer calls it once with the places it created (or with
    None after a national import, which rebuilds the whole index in one pass). Returns the
    number of rows written. Call inside the writer's transaction."""
    if place_ids is None:
        _clear("directory_placekey")
        written = 0
        last = 0
        while True:
            batch = list(
                Place.objects.filter(pk__gt=last).order_by("pk").values_list(*PLACE_FIELDS)[:50000]
            )
            if not batch:
                break
            last = batch[-1][0]
            aliases: dict[int, list[str]] = {}
            for place_id, name in PlaceAlias.objects.filter(
                place_id__gte=batch[0][0], place_id__lte=last
            ).values_list("place_id", "name"):
                aliases.setdefault(place_id, []).append(name)
            rows = _place_rows(batch, aliases)
            _insert("directory_placekey", PLACE_COLUMNS, rows)
            written += len(rows)
        _rebuild_fts("directory_placekey")
        return written
    ids = sorted(set(place_ids))
    bulk = len(ids) > BULK
    if bulk:
        PlaceKey.objects.filter(place_id__in=ids).delete()
        _drop_triggers("directory_placekey")
    written = 0
    for chunk in _chunks(ids):
        if not bulk:
            PlaceKey.objects.filter(place_id__in=chunk).delete()
        aliases = {}
        for place_id, name in PlaceAlias.objects.filter(place_id__in=chunk).values_list(
            "place_id", "name"
        ):
            aliases.setdefault(place_id, []).append(name)
        batch = Place.objects.filter(pk__in=chunk).values_list(*PLACE_FIELDS)
        rows = _place_rows(batch, aliases)
        _insert("directory_placekey", PLACE_COLUMNS, rows)
        written += len(rows)
    if bulk:
        _rebuild_fts("directory_placekey")
    return written


def _person_aliases(person_ids=None) -> dict[int, list[str]]:
    """Each person's other spellings (PersonAlias: 王红薇 for 王鸿薇), indexed as names."""
    aliases = PersonAlias.objects.all()
    if person_ids is not None:
        aliases = aliases.filter(person_id__in=person_ids)
    out: dict[int, list[str]] = {}
    for person_id, name in aliases.values_list("person_id", "name"):
        out.setdefault(person_id, []).append(name)
    return out


def _person_rows(person_rows, aliases: dict[int, list[str]] | None = None) -> list[tuple]:
    rows = []
    aliases = aliases or {}
    for pk, name, hans, hant in person_rows:
        fulls = dict.fromkeys(
            hans_hant.search_key_of_simplified(n) if n == hans else key_of(n)
            for n in (hans, name, hant, *aliases.get(pk, ()))
            if n
        )
        for full in fulls:
            if full:
                rows.append((pk, fold(full)[:200], full, spaced(full)))
    return rows


def index_people(person_ids: Iterable[int] | None = None) -> int:
    """:func:`index_places` for people (their names in both scripts)."""
    fields = ("pk", "name", "name_hans", "name_hant")
    if person_ids is None:
        _clear("directory_personkey")
        rows = _person_rows(
            Person.objects.order_by("pk").values_list(*fields).iterator(), _person_aliases()
        )
        _insert("directory_personkey", PERSON_COLUMNS, rows)
        _rebuild_fts("directory_personkey")
        return len(rows)
    ids = sorted(set(person_ids))
    written = 0
    for chunk in _chunks(ids):
        PersonKey.objects.filter(person_id__in=chunk).delete()
        rows = _person_rows(
            Person.objects.filter(pk__in=chunk).values_list(*fields), _person_aliases(chunk)
        )
        _insert("directory_personkey", PERSON_COLUMNS, rows)
        written += len(rows)
    return written


# The FTS5 side of the index (SQLite only). The triggers keep the two virtual tables of each
# key table in step row by row; a whole rebuild drops them, refills, and rebuilds the FTS
# index in one pass, which is several times faster than row-by-row triggers.
FTS_TABLES = {
    "directory_placekey": ("directory_placekey_tri", "directory_placekey_uni"),
    "directory_personkey": ("directory_personkey_tri", "directory_personkey_uni"),
}


def fts_schema(table: str) -> list[str]:
    """CREATE statements of ``table``'s FTS5 tables and triggers (used by the migration)."""
    tri, uni = FTS_TABLES[table]
    return [
        f"CREATE VIRTUAL TABLE {tri} USING fts5(spelling, content='{table}', content_rowid='id',"
        " tokenize='trigram')",
        f"CREATE VIRTUAL TABLE {uni} USING fts5(chars, content='{table}', content_rowid='id',"
        " tokenize='unicode61')",
        *_triggers(table),
    ]


def _triggers(table: str) -> list[str]:
    tri, uni = FTS_TABLES[table]
    insert = (
        f"INSERT INTO {tri}(rowid, spelling) VALUES (new.id, new.spelling);"  # noqa: S608 — our names
        f" INSERT INTO {uni}(rowid, chars) VALUES (new.id, new.chars);"
    )
    delete = (
        f"INSERT INTO {tri}({tri}, rowid, spelling) VALUES ('delete', old.id, old.spelling);"  # noqa: S608
        f" INSERT INTO {uni}({uni}, rowid, chars) VALUES ('delete', old.id, old.chars);"
    )
    return [
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
    ]


def fts_drop(table: str) -> list[str]:
    tri, uni = FTS_TABLES[table]
    return [
        *(f"DROP TRIGGER IF EXISTS {table}_{t}" for t in ("ai", "ad", "au")),
        f"DROP TABLE IF EXISTS {tri}",
        f"DROP TABLE IF EXISTS {uni}",
    ]


PG_INDEXES = {
    "directory_placekey": [
        "CREATE INDEX directory_placekey_spelling_trgm ON directory_placekey"
        " USING gin (spelling gin_trgm_ops) WITH (fastupdate = off)",
        "CREATE INDEX directory_placekey_chars_ts ON directory_placekey"
        " USING gin (to_tsvector('simple'::regconfig, chars)) WITH (fastupdate = off)",
    ],
    "directory_personkey": [
        "CREATE INDEX directory_personkey_spelling_trgm ON directory_personkey"
        " USING gin (spelling gin_trgm_ops) WITH (fastupdate = off)",
        "CREATE INDEX directory_personkey_chars_ts ON directory_personkey"
        " USING gin (to_tsvector('simple'::regconfig, chars)) WITH (fastupdate = off)",
    ],
}


# PostgreSQL's gram tables (one- and two-character queries): (gram, key_id) only, read
# joined to their key table, so the planner may also start from the owners (a search
# within a district: the few places there, then their grams by primary key).
PG_GRAM_TABLES = {
    "directory_placekey": "directory_placekey_gram",
    "directory_personkey": "directory_personkey_gram",
}

# The distinct one- and two-character substrings of a spelling: the one definition, used by
# the triggers and by the rebuild.
PG_GRAM_FUNCTION = """CREATE OR REPLACE FUNCTION directory_grams(spelling text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT DISTINCT substr(spelling, i, n)
FROM generate_series(1, char_length(spelling)) AS i, (VALUES (1), (2)) AS v(n)
WHERE i + n - 1 <= char_length(spelling)
$$"""


OWNER_TABLES = {"directory_placekey": "directory_place", "directory_personkey": "directory_person"}


def pg_gram_schema(table: str) -> list[str]:
    """Statements that (re)make ``table``'s gram table from the key rows there are, in one
    pass (the primary key built after the rows), and its triggers (used by the migration and
    after a bulk write)."""
    gram = PG_GRAM_TABLES[table]
    return [
        PG_GRAM_FUNCTION,
        f"DROP TABLE IF EXISTS {gram}",
        f"CREATE TABLE {gram} (gram text NOT NULL, key_id bigint NOT NULL)",
        f"INSERT INTO {gram} (gram, key_id) SELECT g.gram, k.id"  # noqa: S608 — our names
        f" FROM {table} k CROSS JOIN LATERAL directory_grams(k.spelling) AS g(gram)",
        f"ALTER TABLE {gram} ADD CONSTRAINT {gram}_pkey PRIMARY KEY (gram, key_id)",
        f"ANALYZE {gram}",
        *_pg_gram_triggers(table),
    ]


def _pg_gram_triggers(table: str) -> list[str]:
    gram = PG_GRAM_TABLES[table]
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_gram_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {gram};
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM {gram} WHERE key_id = OLD.id
            AND gram = ANY (ARRAY(SELECT directory_grams(OLD.spelling)));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {gram} (gram, key_id)
            SELECT g, NEW.id FROM directory_grams(NEW.spelling) AS g;
    END IF;
    RETURN NULL;
END
$$""",  # noqa: S608 — our names
        *_pg_gram_drop_triggers(table),
        f"CREATE TRIGGER {table}_gram AFTER INSERT OR UPDATE OR DELETE ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {table}_gram_sync()",
        f"CREATE TRIGGER {table}_gram_truncate AFTER TRUNCATE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {table}_gram_sync()",
    ]


def _pg_gram_drop_triggers(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_gram ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_gram_truncate ON {table}",
    ]


def pg_gram_drop(table: str) -> list[str]:
    return [
        *_pg_gram_drop_triggers(table),
        f"DROP FUNCTION IF EXISTS {table}_gram_sync()",
        f"DROP TABLE IF EXISTS {PG_GRAM_TABLES[table]}",
    ]


# Above this many places, index_places(ids) writes without the triggers and rebuilds the
# FTS5 index (PostgreSQL: the GIN indexes and the gram table) in one pass (a national
# import); below, the triggers keep it in step.
BULK = 100_000


def _drop_triggers(table: str) -> None:
    """Before a bulk write: no row-by-row index upkeep (SQLite: the FTS5 triggers;
    PostgreSQL: the GIN indexes and the gram triggers, all made again in one pass
    afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in fts_drop(table)[:3]:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in PG_INDEXES[table]:
                cursor.execute("DROP INDEX IF EXISTS " + sql.split()[2])
            for sql in _pg_gram_drop_triggers(table):
                cursor.execute(sql)


def _clear(table: str) -> None:
    _drop_triggers(table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def _rebuild_fts(table: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # CREATE INDEX refuses a table with pending (deferred) foreign-key checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for sql in PG_INDEXES[table]:
                cursor.execute(sql)
            for sql in pg_gram_schema(table):
                cursor.execute(sql)
            # The planner's figures for the key table and its owners (what a bulk write
            # changed): without them a short query may read every key (3.5 s for 社区 after
            # a national import, 0.2 ms once the places are analysed).
            cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"ANALYZE {OWNER_TABLES[table]}")
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for virtual in FTS_TABLES[table]:
            cursor.execute(f"INSERT INTO {virtual}({virtual}) VALUES ('rebuild')")  # noqa: S608
        for sql in _triggers(table):
            cursor.execute(sql)


# --- reading the index --------------------------------------------------------------------


def _fts_phrase(full: str, *, chars: bool) -> str:
    text = spaced(full) if chars else full
    return '"' + text.replace('"', '""') + '"'


def contains_ids(table: str, owner: str, full: str, *, limit: int, where: str = "", params=()):
    """Primary keys of ``owner`` (place_id/person_id) whose spelling contains ``full``, at
    most ``limit``, through the index that serves the query's length; ``where`` adds SQL
    conditions on the owner table aliased ``o``."""
    owner_table = "directory_place" if owner == "place_id" else "directory_person"
    extra = f" AND {where}" if where else ""
    if connection.vendor == "sqlite":
        tri, uni = FTS_TABLES[table]
        virtual = tri if len(full) >= 3 else uni
        sql = (
            f"SELECT k.{owner} FROM {virtual} f JOIN {table} k ON k.id = f.rowid"  # noqa: S608
            f" JOIN {owner_table} o ON o.id = k.{owner}"
            f" WHERE {virtual} MATCH %s{extra} LIMIT %s"
        )
        args = [_fts_phrase(full, chars=virtual == uni), *params, limit]
    elif len(full) >= 3:
        sql = (
            f"SELECT k.{owner} FROM {table} k JOIN {owner_table} o ON o.id = k.{owner}"  # noqa: S608
            f" WHERE k.spelling LIKE %s{extra} LIMIT %s"
        )
        escaped = full.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args = [f"%{escaped}%", *params, limit]
    else:
        # One range of the (gram, key_id) primary key, in key order (the order FTS5 gives
        # on SQLite), stopping at the limit; or, when ``where`` leaves few owners, their
        # keys probed in it.
        sql = (
            f"SELECT k.{owner} FROM {PG_GRAM_TABLES[table]} g"  # noqa: S608
            f" JOIN {table} k ON k.id = g.key_id JOIN {owner_table} o ON o.id = k.{owner}"
            f" WHERE g.gram = %s{extra} ORDER BY g.key_id LIMIT %s"
        )
        args = [full, *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def all_chars_ids(table: str, owner: str, chars: str, *, limit: int, where="", params=()):
    """Owners whose spelling holds every character of ``chars`` (in any order): the
    candidates of an abbreviation (阜四 → 阜石路第四)."""
    owner_table = "directory_place" if owner == "place_id" else "directory_person"
    extra = f" AND {where}" if where else ""
    unique = [c for c in dict.fromkeys(chars) if c.isalnum()]
    if not unique:
        return []
    if connection.vendor == "sqlite":
        _tri, uni = FTS_TABLES[table]
        sql = (
            f"SELECT k.{owner}, k.spelling FROM {uni} f JOIN {table} k ON k.id = f.rowid"  # noqa: S608
            f" JOIN {owner_table} o ON o.id = k.{owner}"
            f" WHERE {uni} MATCH %s{extra} LIMIT %s"
        )
        match = " AND ".join(_fts_phrase(c, chars=True) for c in unique)
        args = [match, *params, limit]
    else:
        sql = (
            f"SELECT k.{owner}, k.spelling FROM {table} k JOIN {owner_table} o ON o.id = k.{owner}"  # noqa: S608
            " WHERE to_tsvector('simple'::regconfig, k.chars)"
            f" @@ to_tsquery('simple'::regconfig, %s){extra} LIMIT %s"
        )
        args = [" & ".join(f"'{c}'" for c in unique), *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


def _upper(prefix: str) -> str:
    return prefix + "\U0010ffff"


@dataclass
class _Hit:
    pk: int
    rank: int  # 0 exact, 1 starts with, 2 contains


def search_place_ids(
    query: str,
    *,
    kinds=None,
    within=None,
    side: str | None = None,
    include_former: bool = False,
    limit: int = 25,
) -> list[int]:
    """Places whose name, short name or alias matches ``query`` (either script), best
    first: the name itself (any level suffix: 三民 → 三民区), then names starting with it,
    then names containing it. Each step reads an index with a limit: no full scan."""
    full = key_of(query)
    if not full:
        return []
    place_filter = Q()
    where, params = [], []
    if kinds:
        kinds = list(kinds)
        place_filter &= Q(place__kind__in=kinds)
        where.append(f"o.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += kinds
    if side:
        place_filter &= Q(place__side_id=side)
        where.append("o.side_id = %s")
        params.append(side)
    if within is not None:
        place_filter &= places_within(within, field="place")
        # A path is digits and slashes: nothing to escape in the LIKE pattern.
        where.append("o.path LIKE %s")
        params.append(within.path + "%")
    if not include_former:
        place_filter &= Q(place__status=PlaceStatus.CURRENT)
        where.append("o.status = %s")
        params.append(PlaceStatus.CURRENT)
    seen: dict[int, int] = {}
    # The whole spelling first (中山区 before 中山村 for 中山区), then the stem; higher
    # levels first, read in order off the (key, depth) index.
    exact = []
    for stem, level in readings(full):
        condition = Q(key=fold(stem))
        if level:
            condition &= Q(level__in=[level, ""])
        exact += list(
            PlaceKey.objects.filter(place_filter, condition)
            .order_by("depth")
            .values_list("place_id", "spelling", "depth")[:limit]
        )
    exact.sort(key=lambda row: (row[1] != full, row[2]))
    for pk, _full, _depth in exact:
        seen.setdefault(pk, 0)
    if len(seen) < limit:
        folded = fold(full)
        for pk in (
            PlaceKey.objects.filter(place_filter, key__gt=folded, key__lt=_upper(folded))
            .order_by("key")
            .values_list("place_id", flat=True)[:limit]
        ):
            seen.setdefault(pk, 1)
    if len(seen) < limit:
        for pk in contains_ids(
            "directory_placekey",
            "place_id",
            full,
            limit=limit * 2,
            where=" AND ".join(where),
            params=params,
        ):
            seen.setdefault(pk, 2)
    return list(seen)[:limit]


def search_person_ids(query: str, *, limit: int = 25) -> list[int]:
    """People whose name (either script) is, starts with or contains ``query``."""
    full = key_of(query)
    if not full:
        return []
    folded = fold(full)
    alive = Q(person__deleted_at__isnull=True)
    seen = dict.fromkeys(
        PersonKey.objects.filter(alive, key=folded).values_list("person_id", flat=True)[:limit]
    )
    if len(seen) < limit:
        seen.update(
            dict.fromkeys(
                PersonKey.objects.filter(alive, key__gt=folded, key__lt=_upper(folded))
                .order_by("key")
                .values_list("person_id", flat=True)[:limit]
            )
        )
    if len(seen) < limit:
        seen.update(
            dict.fromkeys(
                contains_ids(
                    "directory_personkey",
                    "person_id",
                    full,
                    limit=limit * 2,
                    where="o.deleted_at IS NULL",
                )
            )
        )
    return list(seen)[:limit]


def index_unindexed() -> tuple[int, int]:
    """Index the places and people that have no index rows yet (what an import created):
    the whole index in one pass when it is empty. Returns the rows written (places, people)."""
    if not PlaceKey.objects.exists():
        places = index_places(None)
    else:
        ids = list(
            Place.objects.exclude(kind__in=UNINDEXED_KINDS)
            .filter(~Exists(PlaceKey.objects.filter(place_id=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        places = index_places(ids) if ids else 0
    if not PersonKey.objects.exists():
        people = index_people(None)
    else:
        ids = list(
            Person.objects.filter(
                ~Exists(PersonKey.objects.filter(person_id=OuterRef("pk")))
            ).values_list("pk", flat=True)
        )
        people = index_people(ids) if ids else 0
    return places, people


def index_new_place_rows(rows, aliases: dict[int, list[str]] | None = None) -> int:
    """Index rows for places just inserted, given as PLACE_FIELDS tuples the caller still
    holds (an importer's batch), without reading them back. The caller drops and rebuilds
    around a large run with :func:`begin_bulk` / :func:`end_bulk`."""
    out = _place_rows(rows, aliases or {})
    _insert("directory_placekey", PLACE_COLUMNS, out)
    return len(out)


def rebuild_text_index() -> None:
    """The "contains" side of both key tables (SQLite FTS5 tables and their triggers)
    rebuilt from the key tables in one pass: after a bulk write that stopped halfway, or a
    flush that left it out of step."""
    if connection.vendor != "sqlite":
        return
    for table in FTS_TABLES:
        _drop_triggers(table)
        _rebuild_fts(table)


def begin_bulk() -> None:
    """Before many :func:`index_new_place_rows` calls: no row-by-row index upkeep."""
    _drop_triggers("directory_placekey")


def end_bulk() -> None:
    """After them: the FTS5 tables (or GIN indexes) built again in one pass."""
    _rebuild_fts("directory_placekey")
