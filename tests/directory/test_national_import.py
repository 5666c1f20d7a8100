"""The whole national directory, imported once into an empty database (SQLite only: it is
the one test that loads all 690,000 places; the others load subtrees)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Length

from civicbridge.directory.importers import CHIEF_TITLES
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    Person,
    Place,
    PlaceAlias,
    PlaceStatus,
    Position,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the national import is checked once, on SQLite"
    ),
]


def _by_length():
    return {
        (side, length): n
        for side, length, n in Place.objects.annotate(length=Length("code"))
        .values_list("side_id", "length")
        .annotate(n=Count("id"))
        .values_list("side_id", "length", "n")
        .order_by()
    }


def _counts():
    return (
        Place.objects.count(),
        PlaceAlias.objects.count(),
        Person.objects.count(),
        Position.objects.count(),
    )


def _private_use(text: str) -> bool:
    return any(0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000 for c in text)


@pytest.mark.django_db
def test_national_import_holds_every_unit_and_every_chief_term():
    out = StringIO()
    call_command("import_directory", stdout=out, stderr=StringIO())

    # Codes at their natural length, as in the data files.
    assert _by_length() == {
        (MAINLAND, 2): 31,
        (MAINLAND, 4): 342,
        (MAINLAND, 6): 2_978,
        (MAINLAND, 9): 41_352,
        (MAINLAND, 12): 620_573,
        (TAIWAN, 5): 22,
        (TAIWAN, 8): 368,
        (TAIWAN, 11): 7_973,
    }
    assert Place.objects.filter(status=PlaceStatus.FORMER).count() == 180
    assert Place.objects.get(code="1101").is_hidden
    terms = Position.objects.filter(
        title__in=CHIEF_TITLES, start_date__isnull=False, end_date__isnull=False
    )
    assert terms.count() == 23_332
    by_year = dict(
        terms.values_list("start_date__year")
        .annotate(n=Count("id"))
        .values_list("start_date__year", "n")
    )
    assert by_year == {2014: 7_848, 2018: 7_744, 2022: 7_740}
    # The same name in the same village is one person across terms.
    assert Person.objects.count() == 12_467
    assert Person.objects.annotate(n=Count("positions")).filter(n=3).exists()
    # 23 terms' chiefs have a name Unicode cannot spell: kept as the source writes it.
    pua_terms = [n for (n,) in terms.values_list("person__name") if _private_use(n)]
    assert len(pua_terms) == 23
    # Every other spelling of a village name is an alias of it.
    assert PlaceAlias.objects.filter(kind=PlaceAlias.Kind.SOURCE_SPELLING).count() == 209
    assert "created 620,573 mainland community-level units" in out.getvalue()

    # A second run changes nothing.
    before = _counts()
    again = StringIO()
    call_command("import_directory", stdout=again, stderr=StringIO())
    assert _counts() == before
    assert "nothing changed" in again.getvalue()
