"""The place tree of the national directory: sides as data, one path representation for
imported and hand-added places, the hidden 市辖区 level, former villages, --only subtrees."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from civicbridge.directory import selectors, services
from civicbridge.directory.importers import Progress
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    Place,
    PlaceAlias,
    PlaceKind,
    PlaceStatus,
    Position,
    Side,
)
from tests.factories import MODEL_BACKEND, make_user

pytestmark = pytest.mark.django_db


def _import(*codes) -> str:
    out = StringIO()
    call_command("import_directory", "--only", ",".join(codes), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_sides_carry_time_zone_and_script(directory):
    haidian, li = Place.objects.get(code="110108"), Place.objects.get(code="63000050008")
    assert (haidian.side_id, haidian.timezone_name, haidian.script) == (
        MAINLAND,
        "Asia/Shanghai",
        "hans",
    )
    assert (li.side_id, li.timezone_name, li.script) == (TAIWAN, "Asia/Taipei", "hant")
    assert list(Side.objects.values_list("code", "timezone")) == [
        (MAINLAND, "Asia/Shanghai"),
        (TAIWAN, "Asia/Taipei"),
    ]


def test_imported_and_hand_added_places_share_one_path_representation(directory):
    street = Place.objects.get(code="110108021")
    added = services.create_place(name="测试新社区", kind=PlaceKind.COMMUNITY, parent=street)

    assert added.side_id == MAINLAND
    assert added.path == Place.path_below(street.path, added.pk)
    assert Place.path_ids(added.path) == [*street.ancestor_ids, street.pk, added.pk]
    assert [p.code for p in added.ancestors()] == ["11", "1101", "110108", "110108021"]
    haidian = Place.objects.get(code="110108")
    assert Place.objects.within(haidian).filter(pk=added.pk).exists()
    assert added.is_within(haidian) and not haidian.is_within(added)


def test_a_hand_added_place_lies_on_its_parents_side(directory):
    district = Place.objects.get(code="63000050")
    with pytest.raises(ValidationError) as caught:
        services.create_place(name="新里", kind=PlaceKind.LI, parent=district, side=MAINLAND)
    assert "side" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_place(name="无方省", kind=PlaceKind.PROVINCE)
    assert "side" in caught.value.message_dict


def test_the_municipal_placeholder_keeps_its_code_but_is_not_shown(directory, client):
    beijing, haidian = Place.objects.get(code="11"), Place.objects.get(code="110108")
    placeholder = Place.objects.get(code="1101")
    assert (placeholder.kind, placeholder.is_hidden) == (PlaceKind.MUNICIPAL_DISTRICTS, True)
    assert haidian.parent == placeholder
    assert haidian.ancestors(include_hidden=False) == [beijing]
    assert selectors.children(beijing).count() == 16
    assert [p.code for p in selectors.districts_of([beijing])[beijing.pk]][:2] == [
        "110101",
        "110102",
    ]

    client.force_login(make_user("reader"), backend=MODEL_BACKEND)
    body = client.get(reverse("directory:place", args=[haidian.pk])).content.decode()
    assert "北京市" in body
    assert "市辖区" not in body


def test_former_villages_are_kept_but_never_offered(db):
    # 臺南市龍崎區: 龜洞里 merged in 2018; the former li and the current one share the name.
    said = _import("67000290")
    assert "created 1 Taiwan counties and cities" in said
    current, former = (
        Place.objects.get(name="龜洞里", status=PlaceStatus.CURRENT),
        Place.objects.get(name="龜洞里", status=PlaceStatus.FORMER),
    )
    assert (current.code, former.code) == ("67000290020", "67000290015")
    # The former li keeps its chief of the 2014 term.
    assert Position.objects.filter(place=former, start_date=dt.date(2014, 12, 25)).exists()
    assert selectors.lookup_places("龜洞里") == [current]
    with pytest.raises(ValidationError) as caught:
        services.create_place(name="某鄰", kind=PlaceKind.LI, parent=former)
    assert "parent" in caught.value.message_dict


def test_taiwan_kinds_titles_and_other_spellings(db):
    _import("10007010", "09007010")  # 彰化縣彰化市 (li), 連江縣南竿鄉 (villages)
    changhua_city = Place.objects.get(code="10007010")
    assert (changhua_city.kind, changhua_city.parent.kind) == (
        PlaceKind.COUNTY_ADMINISTERED_CITY,
        PlaceKind.COUNTY,
    )
    assert Place.objects.get(code="09007010").kind == PlaceKind.TOWNSHIP
    village = Place.objects.get(code="09007010001")
    assert (village.name, village.kind) == ("介壽村", PlaceKind.VILLAGE)
    assert set(village.positions.values_list("title", flat=True)) == {"村長"}
    li = Place.objects.get(code="10007010030")
    assert li.name == "磚磘里"
    spellings = set(li.aliases.values_list("name", flat=True))
    assert spellings == {"磚\ue008里", "磚\U000fffa8里"}
    assert set(li.aliases.values_list("kind", flat=True)) == {PlaceAlias.Kind.SOURCE_SPELLING}


def test_only_loads_a_subtree_with_the_places_above_it(db):
    _import("110108021")
    assert sorted(
        Place.objects.exclude(code__startswith="110108021").values_list("code", flat=True)
    ) == ["11", "1101", "110108"]
    assert Place.objects.filter(code__startswith="110108021").count() == 1 + 28  # 田村路街道
    # The same again changes nothing.
    assert "nothing changed" in _import("110108021")


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ("99", "No place with the code 99"),
        ("1101x", "Not a division code: 1101x"),
        ("1234567", "Not a division code: 1234567"),
    ],
)
def test_only_refuses_codes_it_cannot_load(db, codes, message):
    with pytest.raises(CommandError, match=message):
        _import(codes)
    assert Place.objects.count() == 0


def test_import_names_the_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="china_divisions.csv.xz is missing"):
        call_command("import_directory", "--data-dir", str(tmp_path), stdout=StringIO())


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_and_is_quiet_elsewhere(db):
    shown = _Terminal()
    progress = Progress(shown)
    progress.start("mainland places", 2000)
    progress.step(1000)
    progress.done()
    assert "mainland places" in shown.getvalue()
    assert shown.getvalue().endswith("\n")

    quiet, silenced = StringIO(), _Terminal()
    Progress(quiet).start("mainland places", 10)
    Progress(silenced, enabled=False).start("mainland places", 10)
    assert (quiet.getvalue(), silenced.getvalue()) == ("", "")
    err = StringIO()
    call_command("import_directory", "--only", "110108021", "-v0", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""
