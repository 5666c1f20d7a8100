import os

import pytest

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


_SNAPSHOTS: dict[str, list] = {}
# The subtrees of the national directory the tests load: Beijing and Taipei.
DIRECTORY_SUBTREES = "11,63000"


def _tables():
    from django.apps import apps

    seen = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            seen[model._meta.db_table] = model
    return seen


def _replay(name, build):
    """Run ``build`` once per session and keep the rows it added to every table; later
    tests get the same rows back with one executemany per table. Tests roll back, so the
    rows are new each time; foreign keys are checked at commit, so order does not matter."""
    from django.db import connection

    qn = connection.ops.quote_name
    if name in _SNAPSHOTS:
        with connection.cursor() as cursor:
            for table, columns, rows in _SNAPSHOTS[name]:
                cursor.executemany(
                    f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    rows,
                )
        from civicbridge.core import hans_hant

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


@pytest.fixture
def directory(request, db):
    """The real reference directory from shared/data's national files, the subtrees the
    tests need: Beijing (11) and Taipei (63000): about 8,400 places, 645 li chiefs."""
    from io import StringIO

    from django.core.management import call_command

    def build():
        call_command("import_directory", "--only", DIRECTORY_SUBTREES, stdout=StringIO())

    build() if _transactional(request) else _replay("directory", build)


@pytest.fixture
def demo(request, db):
    """The 22 April 2016 visit, loaded on top of the directory. Returns the Exchange."""
    from io import StringIO

    from django.core.management import call_command

    from civicbridge.demo.visit2016 import demo_exchange

    def build():
        call_command("load_demo", stdout=StringIO())

    build() if _transactional(request) else _replay("demo", build)
    return demo_exchange()


@pytest.fixture(autouse=True)
def _rows_seeded_by_migrations(request):
    """Transactional tests flush the database after themselves, migration-seeded rows
    included; the two sides are put back before each such test (an idempotent insert)."""
    if _transactional(request):
        request.getfixturevalue("transactional_db")
        from civicbridge.directory.models import ensure_sides

        ensure_sides()
