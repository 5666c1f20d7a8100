"""The demo on a bare clone: no shared/data beside the project (CIVICBRIDGE_DATA_DIR is an
empty folder). The demo carries the few dozen places and people it needs
(src/civicbridge/demo/directory/), records the whole 2016 visit and says how to load the
full directory. The assertions of test_demo.py run again here on that demo (imported
below; pytest collects them in this module too, with this module's ``demo`` fixture)."""

import csv
import lzma
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from civicbridge.demo.visit2016 import BUNDLED_DIRECTORY, demo_exchange
from civicbridge.directory.models import Person, Place, Position
from tests.conftest import DIRECTORY_SUBTREES, _replay
from tests.demo.test_demo import (  # noqa: F401 — collected and run on the bare clone's demo
    test_demo_appointments_agree_with_report_and_register,
    test_demo_appointments_create_twelve_pairings,
    test_demo_exchange_holds_the_delegation_honestly,
    test_demo_groups_have_hosts_leaders_and_headcounts,
    test_demo_has_four_forums_with_the_reports_themes,
    test_demo_itinerary_has_no_conflicts,
    test_demo_keeps_the_reports_spelling_as_a_note,
    test_demo_loads_only_once,
    test_demo_records_misspelt_places_under_the_right_place,
)

# The national files (shared/data), as configured before any test changes the setting.
DATA_DIR = django_settings.CIVICBRIDGE_DATA_DIR
OUTPUT: dict[str, str] = {}


def _load_bare() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    OUTPUT["load_demo"] = out.getvalue()


@pytest.fixture
def empty_data_dir(settings, tmp_path):
    empty = tmp_path / "no-shared-data"
    empty.mkdir()
    settings.CIVICBRIDGE_DATA_DIR = empty
    return empty


@pytest.fixture
def demo(db, empty_data_dir):  # noqa: ARG001 — the setting it makes
    """The demo loaded with nothing in CIVICBRIDGE_DATA_DIR (replayed after the first)."""
    _replay("bare-clone demo", _load_bare)
    return demo_exchange()


def test_bare_clone_demo_holds_only_the_demos_own_directory(demo):
    assert demo is not None
    assert Place.objects.count() == 50
    assert Position.objects.filter(title="里長").count() == 36
    assert set(Place.objects.filter(parent=None).values_list("code", flat=True)) == {"11", "63000"}


def test_bare_clone_demo_says_how_to_load_the_full_directory(demo):
    said = OUTPUT["load_demo"]
    assert "The reference data is not in" in said
    assert "civicbridge import-directory" in said
    assert "Loaded the demo" in said


@pytest.mark.django_db
def test_full_directory_loads_on_top_of_the_bare_clone_demo(demo, settings):
    """Later, with the data at hand, import-directory adds the rest: the demo's places keep
    their records (same codes), nothing is doubled."""
    ids = dict(Place.objects.values_list("code", "pk"))
    chiefs = set(Person.objects.filter(positions__title="里長").values_list("pk", flat=True))
    settings.CIVICBRIDGE_DATA_DIR = DATA_DIR

    call_command("import_directory", "--only", DIRECTORY_SUBTREES, stdout=StringIO())

    assert {c: pk for c, pk in Place.objects.values_list("code", "pk") if c in ids} == ids
    assert Place.objects.filter(code__startswith="11").count() == 1 + 1 + 16 + 349 + 7535
    assert Place.objects.filter(code__startswith="63000").count() == 1 + 12 + 456
    assert chiefs <= set(Person.objects.values_list("pk", flat=True))
    assert Position.objects.filter(title="里長").count() == 455 + 456 + 456


def _rows(path):
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        yield from csv.reader(fh)


@pytest.mark.parametrize(
    "name",
    ["china_divisions.csv", "taiwan_villages.csv", "taiwan_li_chiefs.csv"],
)
def test_bundled_rows_are_rows_of_the_national_files(name):
    """The demo's own rows are copied from the national files, unchanged (names, codes,
    kinds; the twelve li chiefs' terms)."""
    bundled = list(_rows(BUNDLED_DIRECTORY / name))
    national_name = name + ".xz" if name == "china_divisions.csv" else name
    wanted = {tuple(r) for r in bundled[1:]}
    found = set()
    national = _rows(DATA_DIR / national_name)
    assert next(national) == bundled[0]
    for row in national:
        if tuple(row) in wanted:
            found.add(tuple(row))
    assert found == wanted
    assert len(wanted) == {"china_divisions.csv": 29, "taiwan_villages.csv": 12}.get(name, 36)
