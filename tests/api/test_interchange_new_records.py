"""The export document with every record type of issue 12: round trip byte for byte, how
the new records are written, version 1 files read in the new layout, refusals."""

import copy
import io
import json
from pathlib import Path

import pytest

from civicbridge.api import interchange
from civicbridge.forums.models import Speaker, Topic, TopicMention
from civicbridge.pairings.models import Agreement, Pairing
from civicbridge.reports.models import Provenance
from tests.api.test_interchange import build_dataset, empty_domain_tables, export_text
from tests.factories import build_new_records_world


def stream_export(**kwargs) -> str:
    out = io.StringIO()
    interchange.write_document(out, timestamp=False, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_new_records_round_trip_byte_identical():
    build_new_records_world()
    before = export_text()
    document = json.loads(before)
    for key in (
        "person_aliases",
        "labels",
        "programmes",
        "agreements",
        "alliances",
        "pairing_batches",
        "sources",
    ):
        assert document[key] != [], key
    empty_domain_tables()

    interchange.import_document(json.loads(before))

    assert export_text() == before
    assert stream_export(chunk_size=1) == before


@pytest.mark.django_db
def test_new_records_round_trip_through_stream_in_small_batches():
    build_new_records_world()
    before = stream_export()
    empty_domain_tables()

    counts = interchange.import_events(
        interchange.read_events(io.StringIO(before), chunk_chars=7), batch_size=2
    )

    assert counts["exchanges.places"] == 3
    assert counts["exchanges.topic_mentions"] == 4
    assert counts["sources.provenance"] == 4
    assert stream_export() == before


@pytest.mark.django_db
def test_new_records_written_with_their_references():
    world = build_new_records_world()
    document = interchange.export_document(timestamp=False)
    visit = next(e for e in document["exchanges"] if e["id"] == world["visit"].pk)
    earlier = next(e for e in document["exchanges"] if e["id"] == world["earlier"].pk)
    batch = document["pairing_batches"][0]
    agreement = document["agreements"][0]
    source = document["sources"][0]

    assert [(link["kind"], link["other"]) for link in visit["links"]] == [
        ("return_visit", earlier["id"]),
        ("earlier", None),
    ]
    assert earlier["visiting_organisation"] is None
    assert (visit["end_date"], visit["date_precision"], visit["headcount_qualifier"]) == (
        None,
        "month",
        "about",
    )
    assert [(p["role"], p["wording"]) for p in visit["places"]] == [
        ("visiting", ""),
        ("host", ""),
        ("visiting", "大同區"),
    ]
    assert [(c["label"], c["count"]) for c in visit["composition"]] == [
        ("里长", 12),
        ("邻长", None),
        ("志工", 3),
    ]
    assert [a["starts_at"] for a in visit["activities"]][1] is None
    assert [s["activity"] for s in visit["speakers"]] == [visit["activities"][0]["id"]]
    assert [(m["topic"], m["wording"]) for m in visit["topic_mentions"]][1:3] == [
        ("aa-issue12-narrow", "垃圾分类"),
        (None, "社区营造"),
    ]
    assert [s["speaker_wording"] for s in visit["statements"]] == ["", "台湾朋友"]
    assert visit["labels"] == [document["labels"][1]["id"]]
    label = next(lb for lb in document["labels"] if lb["places"])
    assert label["name"] == "北京市首个冬奥社区"
    topics = {t["code"]: t for t in document["topics"]}
    assert topics["aa-issue12-narrow"]["parent"] == "zz-issue12-broad"
    assert document["programmes"][0]["exchanges"] == sorted([visit["id"], earlier["id"]])
    assert [f["figure"] for f in document["programmes"][0]["figures"]] == ["221.00", "12.50"]
    assert batch["districts_a"] == sorted(batch["districts_a"])
    assert len(batch["districts_a"]) == len(batch["districts_b"]) == 2
    assert [p["batch"] for p in document["pairings"]] == [batch["id"], None]
    assert [(p["organisation"], p["place"]) for p in agreement["parties"]][1][0] is None
    assert agreement["signatories"][0]["party"] == agreement["parties"][0]["id"]
    assert agreement["document"] == "3f2c" * 8 + ".pdf"
    assert [m["founder"] for m in document["alliances"][0]["members"]] == [True, False, False]
    assert document["appointments"][0]["certificate_year"] is None
    assert source["exchanges"] == sorted([visit["id"], earlier["id"]])
    assert [(p["content_type"], p["object_id"]) for p in source["provenance"]] == [
        ("exchanges.exchange", visit["id"]),
        ("exchanges.statement", visit["statements"][0]["id"]),
        ("directory.person", world["appointment"].person_id),
        ("pairings.pairing", world["batch_pairing"].pk),
    ]
    assert document["person_aliases"][0]["name"] == "王红薇"


@pytest.mark.django_db
def test_new_records_imported_as_they_were():
    world = build_new_records_world()
    text = export_text()
    empty_domain_tables()

    interchange.import_document(json.loads(text))

    assert Topic.objects.get(code="aa-issue12-narrow").parent.code == "zz-issue12-broad"
    assert Pairing.objects.get(pk=world["batch_pairing"].pk).batch_id == world["batch"].pk
    assert Speaker.objects.get().activity.exchange_id == world["visit"].pk
    agreement = Agreement.objects.get()
    assert agreement.document.name == "agreements/" + "3f2c" * 8 + ".pdf"
    records = [p.record for p in Provenance.objects.order_by("span_start")]
    assert [type(r).__name__ for r in records] == ["Exchange", "Person", "Statement", "Pairing"]
    assert records[0].pk == world["visit"].pk


@pytest.mark.django_db
def test_import_refuses_provenance_of_a_kind_not_in_the_document():
    build_new_records_world()
    document = json.loads(export_text())
    empty_domain_tables()
    document["sources"][0]["provenance"][0]["content_type"] = "accounts.role"

    with pytest.raises(interchange.InterchangeError, match=r"provenance\[0\]\.content_type"):
        interchange.import_document(document)
    assert TopicMention.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", [999_999, 0, -3])
def test_import_refuses_provenance_of_a_record_not_in_the_file(object_id):
    build_new_records_world()
    document = json.loads(export_text())
    empty_domain_tables()
    document["sources"][0]["provenance"][0]["object_id"] = object_id

    with pytest.raises(interchange.InterchangeError, match=r"provenance\[0\]\.object_id"):
        interchange.import_document(document)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("programmes", 0, "figures", 0, "figure"), 221.5, "expected a number as text"),
        (("programmes", 0, "figures", 0, "figure"), "很多", "programmes"),
        (("sources", 0, "provenance", 0, "content_type"), {"app": "x"}, "kind of record"),
        (("topics", 0, "parent"), 7, "expected a topic code"),
        (("exchanges", 1, "statements", 0, "side"), "both", "not one of the allowed"),
        (("exchanges", 1, "labels"), "1", "expected a list of ids"),
    ],
)
def test_import_refuses_bad_values_of_new_records(path, value, message):
    build_new_records_world()
    document = json.loads(export_text())
    empty_domain_tables()
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    with pytest.raises(interchange.InterchangeError, match=message):
        interchange.import_document(document)


@pytest.mark.django_db
def test_import_refuses_broader_topic_not_in_the_file_or_a_loop():
    build_new_records_world()
    document = json.loads(export_text())
    empty_domain_tables()
    missing = copy.deepcopy(document)
    next(t for t in missing["topics"] if t["code"] == "aa-issue12-narrow")["parent"] = "nope"
    looped = copy.deepcopy(document)
    next(t for t in looped["topics"] if t["code"] == "zz-issue12-broad")["parent"] = (
        "aa-issue12-narrow"
    )

    with pytest.raises(interchange.InterchangeError, match="no topic with code 'nope'"):
        interchange.import_document(missing)
    with pytest.raises(interchange.InterchangeError, match="form a loop"):
        interchange.import_document(looped)


def as_version_1(document: dict) -> dict:
    """A document in the layout of version 1: each forum's speakers and topics inside it,
    no status on activities, no kind on pairings."""
    old = copy.deepcopy(document)
    old["version"] = 1
    for exchange in old["exchanges"]:
        speakers = exchange.pop("speakers")
        mentions = exchange.pop("topic_mentions")
        for activity in exchange["activities"]:
            del activity["status"]
        for forum in exchange["forums"]:
            forum["speakers"] = [
                {k: v for k, v in s.items() if k != "activity"}
                for s in speakers
                if s["activity"] == forum["activity"]
            ]
            forum["topics"] = [
                {"id": m["id"], "topic": m["topic"], "wording": m["wording"]}
                for m in mentions
                if m["forum"] == forum["id"]
            ]
    for pairing in old["pairings"]:
        del pairing["kind"]
    return old


@pytest.mark.django_db
def test_version_1_file_read_in_the_new_layout():
    build_dataset()
    document = json.loads(export_text())
    exchange = document["exchanges"][0]
    assert exchange["status"] == "held"
    assert document["pairings"][0]["origin"] == "appointment"
    old = as_version_1(document)
    empty_domain_tables()

    interchange.import_document(old)

    after = json.loads(export_text())
    again = after["exchanges"][0]
    assert again["speakers"] == exchange["speakers"]
    forum = exchange["forums"][0]
    assert [
        (m["id"], m["forum"], m["activity"], m["topic"], m["wording"], m["order"])
        for m in again["topic_mentions"]
    ] == [
        (m["id"], forum["id"], forum["activity"], m["topic"], m["wording"], index)
        for index, m in enumerate(exchange["topic_mentions"])
    ]
    assert again["forums"] == exchange["forums"]
    assert {a["status"] for a in again["activities"]} == {"held"}
    assert [p["kind"] for p in after["pairings"]] == ["honorary"]


@pytest.mark.django_db
def test_version_1_file_written_by_hand_is_read():
    document = {
        "format": "civicbridge-export",
        "version": 1,
        "places": [
            {"id": 1, "name": "北京市", "region": "beijing", "kind": "city"},
            {"id": 2, "name": "臺北市", "region": "taipei", "kind": "city"},
        ],
        "organisations": [{"id": 1, "name": "臺北市里長聯誼會", "kind": "association", "place": 2}],
        "people": [{"id": 1, "name": "张丽"}],
        "exchanges": [
            {
                "id": 1,
                "title": "参访",
                "start_date": "2016-04-22",
                "end_date": "2016-04-22",
                "status": "held",
                "visiting_organisation": 1,
                "visiting_place": 2,
                "host_place": 1,
                "activities": [
                    {
                        "id": 1,
                        "kind": "forum",
                        "title": "大讲堂",
                        "starts_at": "2016-04-22T02:00:00+00:00",
                        "ends_at": "2016-04-22T04:00:00+00:00",
                    }
                ],
                "forums": [
                    {
                        "id": 1,
                        "activity": 1,
                        "topics": [{"id": 5, "topic": "volunteering", "wording": "志工"}],
                        "speakers": [{"id": 3, "person": 1, "side": "host"}],
                        "agenda": [{"id": 1, "kind": "speech", "title": "致辞", "speakers": [3]}],
                    }
                ],
            }
        ],
    }

    counts = interchange.import_document(document)

    assert counts["exchanges.speakers"] == 1
    assert counts["exchanges.topic_mentions"] == 1
    mention = TopicMention.objects.get()
    assert (mention.pk, mention.forum_id, mention.activity_id, mention.topic.code) == (
        5,
        1,
        1,
        "volunteering",
    )
    assert Speaker.objects.get().activity_id == 1


def test_format_page_describes_every_list():
    page = (Path(__file__).parents[2] / "docs" / "export-format.md").read_text(encoding="utf-8")

    assert [spec.key for spec in interchange.SPECS if f"| `{spec.key}` |" not in page] == []
    nested = [path.rsplit(".", 1)[-1] for path, _ in interchange._paths() if "." in path]
    assert [key for key in nested if f"`{key}[]`" not in page] == []
    assert f"version {interchange.VERSION})" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "index", "field", "model"),
    [
        ("topic_mentions", 2, "activity", "activity"),
        ("topic_mentions", 3, "group", "group"),
        ("statements", 0, "activity", "activity"),
        ("composition", 2, "group", "group"),
        ("speakers", 0, "activity", "activity"),
    ],
)
def test_import_refuses_records_naming_another_exchanges_records(key, index, field, model):
    build_new_records_world()
    document = json.loads(export_text())
    empty_domain_tables()
    earlier, visit = document["exchanges"]
    record = copy.deepcopy(visit[key][index])
    record["id"] = 900_000
    earlier[key] = [record]

    with pytest.raises(
        interchange.InterchangeError,
        match=rf"exchanges\[0\]\.{key}\[0\]\.{field}: {model} \d+ is not in this exchange",
    ):
        interchange.import_document(document)
