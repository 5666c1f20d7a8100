"""The export document: round trip, refusals, ids and sequences after an import."""

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from civicbridge.accounts.models import AuditEntry
from civicbridge.accounts.services import assign_role
from civicbridge.api import interchange
from civicbridge.directory import services as directory
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    OrganisationKind,
    Person,
    PersonKey,
    Place,
    PlaceAlias,
    PlaceKey,
    PlaceKind,
)
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    ActivityKind,
    ExchangeOrganisation,
    ExchangeStatus,
    Group,
    MemberRole,
    Side,
    TimePrecision,
)
from civicbridge.forums import services as forums
from civicbridge.forums.models import AgendaItem, Topic
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import CommitmentStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
PRIVATE_USE = "\ue000"  # a character Unicode cannot spell, as in some rare names


def at(hour, minute=0):
    return dt.datetime(2016, 4, 22, hour, minute, tzinfo=SHANGHAI)


def build_dataset():
    """A small but complete record: every list of the document has at least one entry."""
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    beitou = directory.create_place(
        name="北投區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei, code="63000080"
    )
    datun = directory.create_place(
        name="大屯里", kind=PlaceKind.LI, side=TAIWAN, parent=beitou, code="6300008001"
    )
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    yanqing = directory.create_place(
        name="延庆区",
        kind=PlaceKind.DISTRICT,
        side=MAINLAND,
        parent=beijing,
        code="110119000000",
    )
    rulin = directory.create_place(
        name="儒林街道",
        kind=PlaceKind.SUBDISTRICT,
        side=MAINLAND,
        parent=yanqing,
        is_pilot=True,
        pilot_since=2015,
    )
    kangan = directory.create_place(
        name="康安社区居委会",
        kind=PlaceKind.COMMUNITY,
        side=MAINLAND,
        parent=rulin,
        short_name="康安社区",
        code="110119001001",
    )
    directory.add_place_alias(place=kangan, name="康安社區", kind=PlaceAlias.Kind.SOURCE_SPELLING)

    association = directory.create_organisation(
        name="臺北市里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
    )
    branch = directory.create_organisation(
        name="臺北市里長聯誼會北投分會",
        kind=OrganisationKind.ASSOCIATION_BRANCH,
        place=beitou,
        parent=association,
    )
    office = directory.create_organisation(
        name="延庆区台办", kind=OrganisationKind.GOVERNMENT_OFFICE, place=yanqing
    )
    venue = directory.create_organisation(
        name="延庆区植物科普馆", kind=OrganisationKind.VENUE, place=yanqing
    )

    chief = directory.create_person(
        name="陳" + PRIVATE_USE + "明",
        gender="M",
        home_place=datun,
        phone="+886 2 1234 5678",
        email="chief@example.org",
        permit_number="T123456789",
        date_of_birth=dt.date(1960, 5, 4),
        note="繁體備註",
    )
    director = directory.create_person(name="张丽", gender="F")  # no date of birth: null
    official = directory.create_person(name="李国强")
    directory.add_position(
        person=chief, title="里長", place=datun, start_date=dt.date(2014, 12, 25)
    )
    directory.add_position(
        person=chief,
        title="副會長",
        organisation=branch,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2018, 12, 24),
    )
    directory.add_position(person=director, title="主任", place=kangan)

    exchange = exchanges.create_exchange(
        title="臺北市里長參訪團 2016",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 22),
        visiting_organisation=association,
        visiting_place=taipei,
        host_place=beijing,
        status=ExchangeStatus.HELD,
        declared_headcount=50,
        summary="交流 — 社区养老与志愿服务",
    )
    exchanges.add_exchange_organisation(
        exchange=exchange, organisation=office, role=ExchangeOrganisation.Role.ESCORT
    )
    group = exchanges.create_group(
        exchange=exchange, name="第四组", host_place=yanqing, declared_headcount=13
    )
    leader = exchanges.add_member(
        exchange=exchange,
        person=chief,
        role=MemberRole.LEADER,
        title="組長",
        organisation=branch,
        home_place=datun,
        group=group,
    )
    exchanges.update_group(group=group, leader=leader)
    exchanges.add_member(exchange=exchange, person=official, role=MemberRole.STAFF, side=Side.HOST)

    visit = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.SITE_VISIT,
        title="参观康安社区",
        starts_at=at(9),
        ends_at=at(10, 30),
        place=kangan,
        groups=[group],
        hosts=[director],
        participants=[official],
    )
    forum_activity = exchanges.create_activity(
        exchange=exchange,
        kind=ActivityKind.FORUM,
        title="京台社区大讲堂",
        starts_at=at(14),
        ends_at=at(17),
        time_precision=TimePrecision.PART_OF_DAY,
        venue=venue,
        groups=[group],
    )
    forum = forums.create_forum(activity=forum_activity, theme="社区治理", summary="座談")
    speaker = forums.add_speaker(forum=forum, side=Side.VISITING, person=chief, title="里長")
    community_speaker = forums.add_speaker(
        forum=forum, side=Side.HOST, place=kangan, title="社区主任"
    )
    forums.add_agenda_item(
        forum=forum,
        kind=AgendaItem.Kind.SPEECH,
        title="致辞",
        speakers=[speaker, community_speaker],
    )
    forums.add_agenda_item(forum=forum, kind=AgendaItem.Kind.GROUP_PHOTO, title="合影")
    forums.set_forum_topics(
        forum=forum,
        topics=[
            (Topic.objects.get(code="elderly-care"), "为老服务"),
            Topic.objects.get(code="volunteering"),
        ],
    )
    outcome = forums.add_outcome(forum=forum, text="建立常态化的互访机制和沟通渠道")

    exchanges.record_gift(
        exchange=exchange,
        activity=forum_activity,
        giver_organisation=branch,
        recipient_person=director,
        description="紀念品",
    )
    exchanges.add_photo(exchange=exchange, activity=visit, caption="合影留念")

    appointment = pairings.appoint(
        person=chief, community=kangan, appointed_on=dt.date(2016, 4, 22), activity=forum_activity
    )
    user = get_user_model().objects.create_user(username="organiser")
    # One writes only for one's own side (issue 9, hole 11): the author acts for 康安社区.
    assign_role(user=user, role="community_member", place=kangan)
    commitment = pairings.create_commitment(
        title="建立常态化的互访机制和沟通渠道",
        outcome=outcome,
        pairing=appointment.pairing,
        owner_organisation=office,
        due_on=dt.date(2017, 4, 22),
        by=user,
    )
    pairings.change_commitment_status(
        commitment=commitment, status=CommitmentStatus.IN_PROGRESS, note="已回访", by=user
    )
    pairings.create_commitment(title="互寄刊物", owner_person=director)
    pairings.post_message(
        thread=appointment.pairing,
        author=user,
        body="歡迎回訪，" + PRIVATE_USE,
        attachments=[SimpleUploadedFile("議程.txt", "议程 / 議程".encode())],
        author_place=kangan,
    )
    pairings.post_message(thread=exchange, author=None, body="行程已确认")
    # A soft-deleted person travels too.
    Person.objects.filter(pk=official.pk).update(deleted_at=at(18))
    return {"exchange": exchange, "kangan": kangan, "chief": chief}


def export_text(**kwargs) -> str:
    return interchange.dump(interchange.export_document(timestamp=False, **kwargs))


def empty_domain_tables() -> None:
    """Delete every row an import would fill (topics stay, as after a fresh migrate), the
    search index it rebuilds included."""
    for model in (PlaceKey, PersonKey, *reversed(interchange.domain_models())):
        for m2m in model._meta.local_many_to_many:
            m2m.remote_field.through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


@pytest.mark.django_db
def test_export_round_trip_identical():
    build_dataset()
    before = export_text()
    document = json.loads(before)
    for key in ("places", "people", "exchanges", "appointments", "pairings", "commitments"):
        assert document[key] != []
    empty_domain_tables()

    interchange.import_document(json.loads(before))

    assert export_text() == before


@pytest.mark.django_db
def test_export_document_holds_nested_lists_and_references():
    data = build_dataset()
    document = interchange.export_document(timestamp=False)
    exchange = document["exchanges"][0]
    chief = next(p for p in document["people"] if p["id"] == data["chief"].pk)
    forum = exchange["forums"][0]

    assert document["format"] == "civicbridge-export"
    assert document["version"] == 2
    assert document["exported_at"] is None
    assert chief["name"] == "陳" + PRIVATE_USE + "明"
    assert chief["date_of_birth"] == "1960-05-04"
    assert chief["home_place"] == exchange["members"][0]["home_place"]
    assert [m["role"] for m in exchange["members"]] == ["leader", "staff"]
    assert exchange["groups"][0]["leader"] == exchange["members"][0]["id"]
    assert exchange["activities"][0]["starts_at"] == "2016-04-22T01:00:00+00:00"
    assert exchange["activities"][0]["hosts"] != []
    assert forum["activity"] == exchange["activities"][1]["id"]
    assert [(t["forum"], t["topic"], t["wording"]) for t in exchange["topic_mentions"]] == [
        (forum["id"], "elderly-care", "为老服务"),
        (forum["id"], "volunteering", ""),
    ]
    assert {s["activity"] for s in exchange["speakers"]} == {forum["activity"]}
    assert forum["agenda"][0]["speakers"] == sorted(s["id"] for s in exchange["speakers"])
    assert [e["status"] for e in document["commitments"][0]["events"]] == ["open", "in_progress"]
    assert document["commitments"][0]["events"][0]["by"] == "organiser"
    assert document["appointments"][0]["pairing"] == document["pairings"][0]["id"]
    assert "exchange" not in exchange["members"][0]
    assert document["messages"][0]["author"] == "organiser"
    assert document["messages"][0]["attachments"][0]["original_name"] == "議程.txt"
    assert document["messages"][1]["author"] is None


@pytest.mark.django_db
def test_export_without_personal_fields_leaves_them_out():
    build_dataset()
    document = interchange.export_document(include_personal=False)

    assert document["includes_personal_data"] is False
    personal = {"phone", "email", "permit_number", "date_of_birth", "permit_expires_on"}
    personal |= {"permit_kind", "permit_status"}
    assert [sorted(personal & set(p)) for p in document["people"]] == [
        [] for _ in document["people"]
    ]


@pytest.mark.django_db
def test_export_every_model_covered():
    ours = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("civicbridge.")
        and not m._meta.auto_created
        and m._meta.app_label not in interchange.NOT_EXPORTED_APPS
    ]
    covered = set(interchange.exported_models()) | set(interchange.NOT_EXPORTED)

    assert [m.__name__ for m in ours if m not in covered] == []


@pytest.mark.django_db
def test_import_refuses_non_empty_database():
    build_dataset()
    document = interchange.export_document()

    with pytest.raises(interchange.InterchangeError, match="not empty"):
        interchange.import_document(document)


@pytest.mark.django_db
def test_import_refuses_wrong_format():
    with pytest.raises(interchange.InterchangeError, match="not a CivicBridge export"):
        interchange.import_document({"format": "something-else", "version": 1})


@pytest.mark.django_db
def test_import_refuses_newer_version():
    with pytest.raises(interchange.InterchangeError, match="version 3"):
        interchange.import_document({"format": "civicbridge-export", "version": 3})


@pytest.mark.django_db
def test_import_refuses_dangling_reference_and_writes_nothing():
    document = {
        "format": "civicbridge-export",
        "version": 1,
        "places": [
            {"id": 1, "name": "臺北市", "region": "taipei", "kind": "city", "path": "/1/"},
            {"id": 2, "name": "北投區", "region": "taipei", "kind": "district", "parent": 9},
        ],
    }

    with pytest.raises(interchange.InterchangeError, match=r"places\[1\]\.parent"):
        interchange.import_document(document)
    assert Place.objects.count() == 0


@pytest.mark.django_db
def test_import_places_children_before_parents_in_file():
    document = {
        "format": "civicbridge-export",
        "version": 1,
        "places": [
            {"id": 7, "name": "北投區", "region": "taipei", "kind": "district", "parent": 3},
            {"id": 3, "name": "臺北市", "region": "taipei", "kind": "city"},
        ],
    }

    counts = interchange.import_document(document)

    assert counts["places"] == 2
    assert Place.objects.get(pk=7).parent_id == 3


@pytest.mark.django_db
def test_import_new_records_after_import_get_fresh_ids():
    probe = directory.create_place(name="探针", kind=PlaceKind.CITY, side=MAINLAND)
    next_id = probe.pk + 1
    empty_domain_tables()
    document = {
        "format": "civicbridge-export",
        "version": 1,
        "places": [
            {"id": next_id, "name": "北京市", "region": "beijing", "kind": "city"},
            {"id": next_id + 1, "name": "臺北市", "region": "taipei", "kind": "city"},
        ],
    }
    interchange.import_document(document)

    created = directory.create_place(name="新北市", kind=PlaceKind.CITY, side=TAIWAN)

    assert created.pk > next_id + 1


@pytest.mark.django_db
def test_import_unknown_account_created_inactive():
    build_dataset()
    text = export_text()
    empty_domain_tables()
    get_user_model().objects.filter(username="organiser").delete()

    counts = interchange.import_document(json.loads(text))

    user = get_user_model().objects.get(username="organiser")
    assert counts["accounts created"] == 1
    assert user.is_active is False
    assert user.has_usable_password() is False
    assert export_text() == text


@pytest.mark.django_db
def test_import_keeps_group_leader_and_m2m():
    data = build_dataset()
    text = export_text()
    empty_domain_tables()

    interchange.import_document(json.loads(text))

    group = Group.objects.get(exchange=data["exchange"].pk)
    assert group.leader.person_id == data["chief"].pk
    assert group.activities.count() == 2


@pytest.mark.django_db
def test_commands_export_then_import_refused_on_full_database(tmp_path):
    build_dataset()
    target = tmp_path / "export.json"
    call_command("export", output=str(target), no_timestamp=True)

    with pytest.raises(CommandError, match="not empty"):
        call_command("import_data", str(target))


@pytest.mark.django_db
def test_commands_round_trip_through_file(tmp_path, capsys):
    build_dataset()
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    call_command("export", output=str(first), no_timestamp=True)
    empty_domain_tables()

    call_command("import_data", str(first))
    call_command("export", output=str(second), no_timestamp=True)

    assert second.read_bytes() == first.read_bytes()
    assert "北投區" in first.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_command_import_not_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_data", str(bad))


@pytest.mark.django_db
def test_export_round_trip_of_demo_identical(demo):
    before = export_text()
    document = json.loads(before)
    empty_domain_tables()

    interchange.import_document(document)

    assert len(document["exchanges"]) == 1
    assert len(document["appointments"]) == 12
    assert export_text() == before


@pytest.mark.django_db
def test_command_export_with_personal_data_recorded_in_audit_trail(tmp_path):
    build_dataset()
    target = tmp_path / "export.json"
    call_command("export", output=str(target), no_timestamp=True)

    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["includes_personal_data"] is True
    entry = AuditEntry.objects.get(action="export")
    assert entry.model == "command.export"
    assert entry.via == "command"
    assert entry.after == {"includes_personal_data": True}
    assert entry.note == f"to {target}"


@pytest.mark.django_db
def test_command_export_without_personal_data_leaves_them_out_and_records_nothing(tmp_path):
    build_dataset()
    target = tmp_path / "export.json"
    call_command("export", output=str(target), no_timestamp=True, without_personal_data=True)

    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["includes_personal_data"] is False
    assert all("phone" not in p and "permit_number" not in p for p in document["people"])
    assert AuditEntry.objects.filter(action="export").count() == 0


# --- streaming: the same bytes in bounded memory ---------------------------------------


def stream_export(**kwargs) -> str:
    out = io.StringIO()
    interchange.write_document(out, timestamp=False, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_write_document_gives_the_bytes_of_dump_in_chunks_of_one():
    build_dataset()

    assert stream_export(chunk_size=1) == export_text()
    assert stream_export(chunk_size=1, include_personal=False) == export_text(
        include_personal=False
    )


@pytest.mark.django_db
def test_write_document_of_empty_database_is_valid_json():
    empty_domain_tables()

    document = json.loads(stream_export())

    assert document["places"] == []
    assert stream_export() == export_text()


@pytest.mark.django_db
def test_read_events_in_tiny_chunks_rebuilds_the_document():
    build_dataset()
    text = export_text()
    rebuilt: dict = {}

    for kind, key, value in interchange.read_events(io.StringIO(text), chunk_chars=3):
        if kind == "value":
            rebuilt[key] = value
        elif kind == "list":
            rebuilt[key] = []
        else:
            rebuilt[key].append(value)

    assert rebuilt == json.loads(text)


@pytest.mark.django_db
def test_import_stream_in_tiny_chunks_and_batches_round_trips():
    build_dataset()
    before = export_text()
    empty_domain_tables()

    counts = interchange.import_events(
        interchange.read_events(io.StringIO(before), chunk_chars=5), batch_size=2
    )

    assert counts["places"] == 7
    assert counts["exchanges.members"] == 2
    assert stream_export() == before


@pytest.mark.django_db
def test_import_stream_refuses_lists_out_of_order_and_writes_nothing():
    text = json.dumps(
        {
            "format": "civicbridge-export",
            "version": 1,
            "people": [{"id": 1, "name": "张丽"}],
            "places": [{"id": 1, "name": "北京市", "kind": "city"}],
        }
    )

    with pytest.raises(interchange.InterchangeError, match='"places" comes after "people"'):
        interchange.import_stream(io.StringIO(text))
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_import_stream_refuses_text_after_the_document():
    text = '{"format": "civicbridge-export", "version": 1} []'

    with pytest.raises(interchange.NotJSON, match="extra data"):
        interchange.import_stream(io.StringIO(text))


@pytest.mark.django_db
def test_import_stream_refuses_a_key_twice():
    text = '{"format": "civicbridge-export", "version": 1, "places": [], "places": []}'

    with pytest.raises(interchange.InterchangeError, match='"places" appears twice'):
        interchange.import_stream(io.StringIO(text))


@pytest.mark.django_db
def test_import_refuses_parents_forming_a_loop():
    document = {
        "format": "civicbridge-export",
        "version": 1,
        "places": [
            {"id": 3, "name": "北投區", "side": "taiwan", "kind": "district", "parent": 4},
            {"id": 4, "name": "大屯里", "side": "taiwan", "kind": "li", "parent": 3},
        ],
    }

    with pytest.raises(interchange.InterchangeError, match="form a loop"):
        interchange.import_document(document)
    assert Place.objects.count() == 0


@pytest.mark.django_db
def test_command_import_reads_standard_input(tmp_path, monkeypatch):
    build_dataset()
    before = export_text()
    empty_domain_tables()
    stdin = io.TextIOWrapper(io.BytesIO(before.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)

    call_command("import_data", "-", stdout=io.StringIO())

    assert stream_export() == before


@pytest.mark.django_db
def test_directory_export_import_export_identical(directory, tmp_path):
    """The directory of the fixture (the Beijing and Taipei subtrees) through the commands:
    streamed out, streamed in, the same bytes."""
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    call_command("export", output=str(first), no_timestamp=True, stderr=io.StringIO())
    places = Place.objects.count()
    empty_domain_tables()

    call_command("import_data", str(first), stdout=io.StringIO())
    call_command("export", output=str(second), no_timestamp=True, stderr=io.StringIO())

    assert places > 1000
    assert Place.objects.count() == places
    assert second.read_bytes() == first.read_bytes()
