"""Fixtures every test directory uses: the real directory and the 2016 visit, and the
worlds of tests/factories.py that tests of several directories share, each built once per
session and replayed into each test's transaction (rolled back after it)."""

import copy
import json
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings

from civicbridge.core import hans_hant
from civicbridge.demo.visit2016 import demo_exchange
from civicbridge.directory import search
from civicbridge.directory.models import ensure_sides
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told it is safe (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Hash passwords with MD5 in tests: Argon2 (the project's hasher, checked by
    tests/accounts/test_accounts.py) costs a tenth of a second for every user made."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


_SNAPSHOTS: dict[str, list] = {}
# The subtrees of the national directory the tests load: Beijing and Taipei.
DIRECTORY_SUBTREES = "11,63000"


def _tables():
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            seen[model._meta.db_table] = model
    return seen


def _advance_sequences(cursor, tables) -> None:
    """On PostgreSQL, move the replayed tables' id sequences past the rows put back with
    their ids: sequences are not rolled back, and a test that reset them (the interchange
    import sets them to the largest id it saw) would otherwise hand out a replayed id again."""
    if connection.vendor != "postgresql":
        return
    models_ = _tables()
    for statement in connection.ops.sequence_reset_sql(no_style(), [models_[t] for t in tables]):
        cursor.execute(statement)


def _replay(name, build):
    """Run ``build`` once per session and keep the rows it added to every table; later
    tests get the same rows back with one executemany per table. Tests roll back, so the
    rows are new each time; foreign keys are checked at commit, so order does not matter."""
    qn = connection.ops.quote_name
    if name in _SNAPSHOTS:
        with connection.cursor() as cursor:
            for table, columns, rows in _SNAPSHOTS[name]:
                cursor.executemany(
                    f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    rows,
                )
            _advance_sequences(cursor, [table for table, _columns, _rows in _SNAPSHOTS[name]])
        hans_hant.invalidate_names()
        return
    tables = _tables()
    before = {}
    with connection.cursor() as cursor:
        for table, model in tables.items():
            pk = model._meta.pk.column
            cursor.execute(f"SELECT {qn(pk)} FROM {qn(table)}")  # noqa: S608
            before[table] = {row[0] for row in cursor.fetchall()}
    build()
    snapshot = []
    with connection.cursor() as cursor:
        for table, model in tables.items():
            columns = [f.column for f in model._meta.concrete_fields]
            pk_index = columns.index(model._meta.pk.column)
            cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)}")  # noqa: S608
            rows = [r for r in cursor.fetchall() if r[pk_index] not in before[table]]
            if rows:
                snapshot.append((table, columns, rows))
    _SNAPSHOTS[name] = snapshot


def _transactional(request) -> bool:
    """Live-server and other transactional tests flush the database afterwards (rows seeded
    by migrations go too), so they build their data for real instead of replaying it."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


def _import_directory():
    call_command("import_directory", "--only", DIRECTORY_SUBTREES, stdout=StringIO())


def _load_demo():
    call_command("load_demo", stdout=StringIO())


# Rows built once per session, by fixture name: replayed into each test, or once into a
# module's outer transaction when every database test of the module uses them
# (``_module_rows``).
SHARED_ROWS: dict[str, tuple] = {}  # fixture name: (build, the fixture's function)


def _use_rows(request, module_rows, name) -> None:
    build = SHARED_ROWS[name][0]
    if _transactional(request):
        build()
    elif name in module_rows:
        hans_hant.invalidate_names()  # a rolled-back test may have cached its names
    else:
        _replay(name, build)


def shared_rows(name: str, build, *, doc: str = ""):
    """A fixture ``name`` giving each test the rows ``build()`` adds, built once per session:
    replayed into the test's transaction, or held for the whole module in an outer
    transaction (each test in a savepoint rolled back after it) when every database test of
    the module uses the fixture. Transactional tests build the rows for real."""

    def fixture(request, _module_rows, db):
        _use_rows(request, _module_rows, name)

    fixture.__doc__ = doc or shared_rows.__doc__
    SHARED_ROWS[name] = (build, fixture)
    return pytest.fixture(name=name)(fixture)


def _transactional_item(item) -> bool:
    if {"transactional_db", "live_server"} & set(item.fixturenames):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


def _shared_by_the_whole_module(request) -> list[str]:
    """The shared row sets every database test of this module (as selected for this run)
    uses, in the order the first one asks for them; none if a test is transactional."""
    items = [
        item
        for item in request.session.items
        if item.getparent(pytest.Module) is request.node
        and (
            item.get_closest_marker("django_db")
            or {"db", "transactional_db", "live_server"} & set(item.fixturenames)
        )
    ]
    if not items or any(_transactional_item(item) for item in items):
        return []
    common = set.intersection(*(set(item.fixturenames) for item in items))

    def ours(item, name) -> bool:  # not a module's own fixture of that name
        definitions = item._fixtureinfo.name2fixturedefs.get(name) or ()
        func = definitions[-1].func if definitions else None
        return getattr(func, "__code__", None) is SHARED_ROWS[name][1].__code__

    return [
        name
        for name in items[0].fixturenames
        if name in SHARED_ROWS and name in common and all(ours(item, name) for item in items)
    ]


@pytest.fixture(scope="module")
def _module_rows(request, django_db_setup, django_db_blocker):
    """The shared rows every database test of the module uses, loaded once into an outer
    transaction rolled back after the module (tests run in savepoints inside it, as in
    Django's ``TestCase.setUpTestData``)."""
    names = _shared_by_the_whole_module(request)
    if not names:
        yield set()
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        for name in names:
            _replay(name, SHARED_ROWS[name][0])
    try:
        yield set(names)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            hans_hant.invalidate_names()


directory = shared_rows(
    "directory",
    _import_directory,
    doc="""The real reference directory from shared/data's national files, the subtrees the
    tests need: Beijing (11) and Taipei (63000): about 8,400 places, 645 li chiefs.""",
)


def gold_subtrees() -> list[str]:
    """The subtrees the gold readings of shared/reports/gold need: the city (mainland, 4
    digits) or county (Taiwan, 5 digits) of every code in their facts and notes. Empty when
    shared/ is absent."""
    gold = Path(settings.CIVICBRIDGE_DATA_DIR).parent / "reports" / "gold"
    codes = set()
    for path in sorted(gold.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        codes |= {f["code"] for f in document["facts"] if f.get("code")}
        for note in document.get("notes", []):
            codes |= set(re.findall(r"(?<!\d)\d{5,12}(?!\d)", note))
    return sorted({c[:5] if len(c) in (5, 8, 11) else c[:4] for c in codes})


def _import_gold_directory():
    call_command("import_directory", "--only", ",".join(gold_subtrees()), stdout=StringIO())


gold_directory = shared_rows(
    "gold_directory",
    _import_gold_directory,
    doc="""The subtrees of the national directory the gold readings of shared/reports/gold
    name (``gold_subtrees``): fifteen cities and counties of both sides and their li chiefs.""",
)


def _demo(request, _module_rows, db):
    """The 22 April 2016 visit, loaded on top of the directory. Returns the Exchange."""
    _use_rows(request, _module_rows, "demo")
    return demo_exchange()


SHARED_ROWS["demo"] = (_load_demo, _demo)
demo = pytest.fixture(name="demo")(_demo)


@pytest.fixture(autouse=True)
def _rows_seeded_by_migrations(request):
    """Transactional tests flush the database after themselves, migration-seeded rows
    included; the two sides are put back before each such test (an idempotent insert)."""
    if _transactional(request):
        request.getfixturevalue("transactional_db")
        ensure_sides()
        _search_index_in_step()


def _search_index_in_step() -> None:
    """Before a transactional test on SQLite: the type-ahead's FTS5 tables rebuilt from the
    key tables and their triggers made again, so nothing an earlier transactional test left
    behind (a flush, a bulk import that stopped halfway) is found or missed by a lookup."""
    search.rebuild_text_index()


# --- worlds shared by several test directories -----------------------------------------------

_WORLDS: dict[str, object] = {}


def replayed(request, name, build):
    """``build()``'s world, built once per session: later tests get its rows replayed into
    their transaction and a deep copy of the objects it returned (as Django's
    ``setUpTestData`` does), so what one test changes never reaches the next. Transactional
    tests build it for real."""
    if _transactional(request):
        return build()
    if name in _SNAPSHOTS:
        _replay(name, build)
        return copy.deepcopy(_WORLDS[name])
    built = []
    _replay(name, lambda: built.append(build()))
    _WORLDS[name] = copy.deepcopy(built[0])
    return built[0]


@pytest.fixture
def roles_world(request, db):
    """tests/factories.py ``build_roles_world``: one user per role and scope (accounts,
    api, core, exchanges and pairings tests)."""
    return replayed(request, "roles world", factories.build_roles_world)


@pytest.fixture
def exchange_world(request, db):
    """tests/factories.py ``make_exchange_world`` (exchanges and forums tests)."""
    return replayed(request, "exchange world", factories.make_exchange_world)


@pytest.fixture
def pairing_world(request, db):
    """tests/factories.py ``PairingWorld`` (pairings and api tests)."""
    return replayed(request, "pairing world", factories.PairingWorld)


def pytest_collection_modifyitems(config, items):
    """A test outside tests/browser that pytest-playwright parametrized by browser (an argument
    named ``page``, which is its fixture's name) runs among the live-server tests, after their
    flushes: refuse it at collection, with the name to change."""
    stray = [
        item.nodeid
        for item in items
        if "browser_name" in getattr(getattr(item, "callspec", None), "params", {})
        and not item.nodeid.startswith("tests/browser/")
    ]
    if stray:
        raise pytest.UsageError(
            "tests outside tests/browser take pytest-playwright's fixtures (rename an argument "
            f"called 'page'): {stray[:5]}"
        )
