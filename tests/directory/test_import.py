from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from civicbridge.directory.importers import short_name_for
from civicbridge.directory.models import MAINLAND, TAIWAN, Person, Place, PlaceKind, Position
from civicbridge.directory.services import ALLOWED_PARENT_KINDS  # noqa: F401
from tests.conftest import DIRECTORY_SUBTREES

STREET = ["subdistrict", "town", "township", "area", "special_zone"]
COMMUNITY = ["community", "village", "cooperative_living_area"]


def test_import_directory_counts_match_the_sources(directory):
    beijing = Place.objects.filter(side_id=MAINLAND, code__startswith="11")
    taipei = Place.objects.filter(side_id=TAIWAN, code__startswith="63000")
    assert beijing.filter(kind=PlaceKind.DISTRICT).count() == 16
    assert beijing.filter(kind__in=STREET).count() == 349
    assert beijing.filter(kind__in=COMMUNITY).count() == 7535
    assert taipei.filter(kind=PlaceKind.DISTRICT).count() == 12
    assert taipei.filter(kind=PlaceKind.LI).count() == 456
    terms = dict(
        Position.objects.filter(title="里長")
        .values_list("start_date__year")
        .annotate(n=Count("id"))
        .values_list("start_date__year", "n")
    )
    assert terms == {2014: 455, 2018: 456, 2022: 456}


def test_import_directory_twice_changes_nothing(directory):
    before = (Place.objects.count(), Person.objects.count(), Position.objects.count())
    out = StringIO()
    call_command("import_directory", "--only", DIRECTORY_SUBTREES, stdout=out)
    assert (Place.objects.count(), Person.objects.count(), Position.objects.count()) == before
    assert "nothing changed" in out.getvalue()


def test_import_directory_keeps_names_as_in_source(directory):
    li = Place.objects.get(code="63000050008")
    assert (li.name, li.parent.name, li.parent.parent.name) == ("板溪里", "中正區", "臺北市")
    community = Place.objects.get(code="110108016008")
    assert (community.name, community.short_name) == ("南植社区居委会", "南植社区")
    # The path is made of primary keys, as for a place added by hand.
    assert [p.code for p in community.ancestors()] == ["11", "1101", "110108", "110108016"]
    assert community.path == Place.path_below(community.parent.path, community.pk)


def test_import_directory_keeps_a_private_use_character_in_a_name(directory):
    chief = Position.objects.get(place__name="忠貞里", start_date__year=2014).person
    assert any(0xE000 <= ord(ch) <= 0xF8FF for ch in chief.name)
    assert chief.name_hans[-1] == chief.name[-1]


def test_import_directory_merges_a_re_elected_chief_into_one_person(directory):
    chief = Person.objects.get(name="韓修和", home_place__name="光武里")
    assert chief.positions.count() == 2


def test_place_within_finds_the_subtree(directory):
    haidian = Place.objects.get(code="110108")
    inside = Place.objects.within(haidian)
    assert inside.filter(code="110108021014").exists()
    assert not inside.filter(code="110107003007").exists()


def test_short_name_for_committee_names():
    assert short_name_for("多福巷社区居委会") == "多福巷社区"
    assert short_name_for("某某村民委员会") == "某某村"
    assert short_name_for("八角北里社区") == ""
