"""record_facts, ``civicbridge record-facts`` and ``POST /api/v1/facts`` with documents written
for these tests (no report's text): validation, resolution, wording kept, permissions."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from civicbridge.directory.models import Place
from civicbridge.exchanges.models import (
    Activity,
    DatePrecision,
    Exchange,
    ExchangeStatus,
    Gift,
    Member,
)
from civicbridge.forums.models import TopicMention
from civicbridge.pairings.models import Pairing
from civicbridge.programmes.models import ExchangeLink
from civicbridge.reports.facts import FactsError
from civicbridge.reports.models import Provenance, Source
from civicbridge.reports.services import record_facts
from tests.factories import fresh


def document(*facts, published="2016-05-01", **extra):
    return {
        "format": "civicbridge-report-facts",
        "version": 1,
        "published": published,
        "facts": list(facts),
        **extra,
    }


DATE = {"type": "date", "start": "2016-04-22", "end": "2016-04-23", "span": [0, 8]}
HOST = {"type": "host", "place": "海淀区", "span": [10, 13]}


def counts():
    return (Exchange.objects.count(), Source.objects.count(), Provenance.objects.count())


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_an_invalid_document_names_every_problem_and_records_nothing(roles_world, en):
    before = counts()
    bad = document(
        {"type": "nope"},
        {"type": "visit", "group": "第一组"},
        {"type": "date", "start": "2016-04-22", "end": "2016-04-21"},
        {"type": "delegation", "organisation": "参访团", "size": -1},
        {"type": "person", "name": "王\u202e五"},
        {"type": "host", "place": "海淀区", "code": "H1"},
        {"type": "group", "size": 3},
        {"type": "agreement", "parties": ["石油大院社区"]},
        {"type": "topic", "topic": "社区养老", "colour": "red"},
        {"type": "gift", "what": "茶叶", "span": [5, 2]},
        "a fact",
        published="2016-02-30",
        version=2,
    )
    with pytest.raises(FactsError) as caught:
        record_facts(document=bad, actor=roles_world.users["organiser_haidian"])
    assert caught.value.problems == [
        "version must be 1.",
        "published must be an ISO date (YYYY-MM-DD) or null.",
        "facts[0]: unknown type 'nope'.",
        "facts[1] (visit): venue is required.",
        "facts[2] (date): end is before start.",
        "facts[3] (delegation) size must be a whole number from 0 to 100000.",
        "facts[4] (person) name: Writing-direction override characters are not allowed in names.",
        "facts[5] (host) code must be a division code (2 to 12 digits).",
        "facts[6] (group): give at least one of host, name.",
        "facts[7] (agreement): an agreement has two parties or more.",
        "facts[8] (topic): unknown field 'colour'.",
        "facts[9] (gift): span must be [start, end), two offsets.",
        "facts[10] must be an object.",
    ]
    assert counts() == before


def test_not_a_document_at_all(db, en):
    for value in (None, [], "facts", {"format": "civicbridge-report-facts"}):
        with pytest.raises(FactsError) as caught:
            record_facts(document=value, actor=None)
        assert caught.value.problems
    with pytest.raises(FactsError) as caught:
        record_facts(document={"format": "civicbridge-report-facts", "version": 1}, actor=None)
    assert caught.value.problems == ["facts must be a list."]


def test_no_date_and_no_publication_date(roles_world, en):
    with pytest.raises(FactsError) as caught:
        record_facts(document=document(HOST, published=None), actor=None)
    assert caught.value.problems == [
        "No date fact and no publication date: the exchange's days cannot be read."
    ]


def test_no_host_place_found(roles_world, en):
    before = counts()
    with pytest.raises(FactsError) as caught:
        record_facts(document=document(DATE, {"type": "host", "place": "火星区"}), actor=None)
    assert caught.value.problems == ["No host place was found in the directory: 火星区."]
    assert counts() == before


def test_a_draft_exchange_with_its_records_and_what_was_not_resolved(roles_world):
    w = roles_world
    facts = document(
        DATE,
        {"type": "delegation", "organisation": "臺北市里長聯誼會", "size": 8, "leader": "李里长"},
        HOST,
        {"type": "host", "place": "火星区"},
        {"type": "group", "host": "海淀区", "name": "海淀组", "size": 4},
        {"type": "visit", "venue": "石油大院社区", "group": "海淀组", "span": [20, 26]},
        {"type": "visit", "venue": "未名科技馆", "group": "海淀区"},
        {"type": "visit", "venue": "学院路街道", "group": "东线"},
        {"type": "person", "name": "张主任", "title": "海淀区台办主任", "side": "mainland"},
        {"type": "topic", "topic": "社区养老"},
        {"type": "gift", "from": "臺北市里長聯誼會", "to": "石油大院社区", "what": "茶叶"},
        {"type": "pairing", "a": "龍安里", "b": "石油大院社区", "kind": "friendly"},
        {"type": "related_exchange", "who": "某参访团", "where": "火星区"},
        headline="两岸社区交流（测试稿）",
        url="https://example.org/news/1",
    )
    result = record_facts(document=facts, actor=w.users["organiser_haidian"])
    exchange = result.exchange
    assert (
        exchange.start_date,
        exchange.end_date,
        exchange.date_precision,
        exchange.status,
        exchange.host_place,
        exchange.visiting_organisation,
        exchange.declared_headcount,
    ) == (
        dt.date(2016, 4, 22),
        dt.date(2016, 4, 23),
        DatePrecision.DAY,
        ExchangeStatus.HELD,
        w.haidian,
        w.association,
        8,
    )
    # Kept as the report wrote them, and listed.
    assert [(p.place, p.wording) for p in exchange.places.all()] == [(None, "火星区")]
    assert [(u["type"], u["field"], u["wording"]) for u in result.unresolved] == [
        ("host", "place", "火星区"),
        ("visit", "group", "东线"),
    ]
    visits = Activity.objects.filter(exchange=exchange).order_by("id")
    assert [(a.title, a.place, a.venue and a.venue.name) for a in visits] == [
        ("石油大院社区", w.community, None),
        ("未名科技馆", None, "未名科技馆"),
        ("学院路街道", w.street, None),
    ]
    assert visits[1].venue.place == w.haidian
    assert [list(a.groups.values_list("name", flat=True)) for a in visits] == [
        ["海淀组"],
        ["海淀组"],
        [],
    ]
    # The leader found by name and home li; the official created, on the host side.
    members = {
        m.person.name: (m.role, m.side, m.title) for m in Member.objects.filter(exchange=exchange)
    }
    assert members == {
        "李里长": ("leader", "visiting", ""),
        "张主任": ("member", "host", "海淀区台办主任"),
    }
    assert Member.objects.get(exchange=exchange, role="leader").person == w.person
    gift = Gift.objects.get(exchange=exchange)
    assert (
        gift.giver_organisation,
        gift.giver_wording,
        gift.recipient_wording,
        gift.description,
    ) == (
        w.association,
        "臺北市里長聯誼會",
        "石油大院社区",
        "茶叶",
    )
    # The pairing already open between the li and the community is the one the facts name.
    assert Pairing.objects.filter(exchange=exchange).count() == 0
    assert [m.wording for m in TopicMention.objects.filter(exchange=exchange)] == ["社区养老"]
    link = ExchangeLink.objects.get(exchange=exchange)
    assert (link.kind, link.who, link.where, link.where_place) == (
        "earlier",
        "某参访团",
        "火星区",
        None,
    )
    source = result.source
    assert (source.headline, source.url, source.published_on, list(source.exchanges.all())) == (
        "两岸社区交流（测试稿）",
        "https://example.org/news/1",
        dt.date(2016, 5, 1),
        [exchange],
    )
    # One provenance row per record, with the fact's type and span.
    rows = Provenance.objects.filter(source=source)
    # The delegation gives the exchange and its leader; the person, the person and the member.
    assert rows.count() == len(facts["facts"]) + 2
    assert sorted(
        (r.fact_type, r.span_start, r.span_end) for r in rows if r.span_start is not None
    ) == [("date", 0, 8), ("host", 10, 13), ("visit", 20, 26)]
    assert [(type(r).__name__, r.name) for r in result.created] == [
        ("Organisation", "未名科技馆"),
        ("Person", "张主任"),
    ]
    assert result.counts == {
        "directory.person": 1,
        "exchanges.activity": 3,
        "exchanges.exchange": 1,
        "exchanges.exchangeplace": 1,
        "exchanges.gift": 1,
        "exchanges.group": 1,
        "exchanges.member": 2,
        "forums.topicmention": 1,
        "pairings.pairing": 1,
        "programmes.exchangelink": 1,
    }


def test_a_report_without_a_day_is_recorded_as_on_or_before_its_publication(roles_world):
    result = record_facts(
        document=document(HOST, {"type": "delegation", "organisation": "台北市某里参访团"}),
        actor=None,
    )
    exchange = result.exchange
    assert (
        exchange.start_date,
        exchange.end_date,
        exchange.date_precision,
        exchange.status,
        exchange.visiting_organisation,
        exchange.delegation_name,
    ) == (dt.date(2016, 5, 1), None, DatePrecision.BEFORE, "held", None, "台北市某里参访团")


def test_planned_when_the_report_is_published_before_the_visit(roles_world):
    result = record_facts(document=document(DATE, HOST, published="2016-04-01"), actor=None)
    assert result.exchange.status == ExchangeStatus.PLANNED


def test_an_organiser_out_of_scope_is_refused_and_nothing_is_written(roles_world):
    before = counts()
    with pytest.raises(PermissionDenied):
        record_facts(document=document(DATE, HOST), actor=roles_world.users["organiser_yanqing"])
    with pytest.raises(PermissionDenied):
        record_facts(document=document(DATE, HOST), actor=roles_world.users["viewer"])
    assert counts() == before


def test_a_failure_halfway_leaves_nothing(roles_world):
    """The second group has the first one's name: the group service refuses it after the
    exchange, its places and its first group were written, and everything is rolled back."""
    before = counts()
    facts = document(
        DATE,
        HOST,
        {"type": "group", "host": "海淀区", "name": "海淀组"},
        {"type": "group", "host": "海淀区", "name": "海淀组"},
    )
    with pytest.raises(Exception):  # noqa: B017 (whatever the service raises)
        record_facts(document=facts, actor=roles_world.users["organiser_haidian"])
    assert counts() == before


# --- the command ------------------------------------------------------------------------


def test_the_command_prints_what_it_recorded(roles_world, tmp_path, en):
    path = tmp_path / "facts.json"
    path.write_text(
        json.dumps(
            document(
                DATE,
                HOST,
                {"type": "visit", "venue": "石油大院社区"},
                {"type": "topic", "topic": "某话题"},
            )
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command(
        "record_facts",
        str(path),
        "--as",
        roles_world.users["organiser_haidian"].username,
        stdout=out,
    )
    exchange = Exchange.objects.order_by("-id").first()
    assert out.getvalue().splitlines() == [
        f"Recorded exchange {exchange.pk}: {exchange.title} (held)",
        "  exchanges.activity: 1",
        "  exchanges.exchange: 1",
        "  forums.topicmention: 1",
        "Every name was resolved.",
    ]


def test_the_command_lists_the_unresolved(roles_world, tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(
        json.dumps(document(DATE, HOST, {"type": "host", "place": "火星区"})), encoding="utf-8"
    )
    out = StringIO()
    call_command("record_facts", str(path), stdout=out)
    assert out.getvalue().splitlines()[-2:] == [
        "Unresolved (1), kept as written:",
        "  facts[2] host place: 火星区 (host place not found)",
    ]


def test_the_command_refuses_an_invalid_document_with_every_problem(roles_world, tmp_path, en):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(document({"type": "visit"}, published="soon")), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("record_facts", str(path))
    assert str(caught.value).splitlines() == [
        f"{path}: not recorded, 2 problem(s):",
        "- published must be an ISO date (YYYY-MM-DD) or null.",
        "- facts[0] (visit): venue is required.",
    ]


def test_the_command_refuses_an_organiser_out_of_scope(roles_world, tmp_path, en):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(document(DATE, HOST)), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command(
            "record_facts", str(path), "--as", roles_world.users["organiser_yanqing"].username
        )
    assert "not recorded: You may not record an exchange hosted at 海淀区." in str(caught.value)
    with pytest.raises(CommandError):
        call_command("record_facts", str(path), "--as", "nobody")
    with pytest.raises(CommandError):
        call_command("record_facts", str(tmp_path / "missing.json"))
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("record_facts", str(tmp_path / "bad.json"))
    assert counts() == before


# --- the API ----------------------------------------------------------------------------


def _post(client, body: str):
    return client.post("/api/v1/facts", data=body, content_type="application/json")


def test_the_api_records_a_document(roles_world, client):
    client.force_login(roles_world.users["organiser_haidian"])
    response = _post(client, json.dumps(document(DATE, HOST, {"type": "host", "place": "火星区"})))
    assert response.status_code == 201, response.content
    body = response.json()
    exchange = Exchange.objects.get(pk=body["exchange_id"])
    assert (body["counts"], body["unresolved"]) == (
        {"exchanges.exchange": 1, "exchanges.exchangeplace": 1},
        [
            {
                "fact": 2,
                "type": "host",
                "field": "place",
                "wording": "火星区",
                "why": "host place not found",
            }
        ],
    )
    assert exchange.host_place == roles_world.haidian
    sources = client.get(f"/api/v1/sources?exchange={exchange.pk}").json()
    assert [s["id"] for s in sources["items"]] == [body["source_id"]]
    provenance = client.get(f"/api/v1/sources/{body['source_id']}/provenance").json()
    assert sorted(p["fact_type"] for p in provenance["items"]) == ["date", "host", "host"]


def test_the_api_answers_400_with_the_problems(roles_world, client, en):
    client.force_login(roles_world.users["organiser_haidian"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = counts()
    response = _post(client, json.dumps(document({"type": "visit"})))
    assert (response.status_code, response.json()["problems"]) == (
        400,
        ["facts[0] (visit): venue is required."],
    )
    hostile = (
        "{not json",
        "[]",
        "[" * 100_000,
        json.dumps(document(DATE, {"type": "host", "place": "\x00"})),
        json.dumps(document(DATE, HOST, {"type": "topic", "topic": "话" * 100_000})),
        json.dumps(document(DATE, HOST, {"type": "statistic", "figure": 1e300, "unit": "个"})),
        json.dumps(document(DATE, HOST, {"type": "visit", "venue": "<script>alert(1)</script>"}))[
            :-3
        ],
    )
    for body in hostile:
        assert _post(client, body).status_code == 400
    assert counts() == before


def test_the_api_answers_403_without_permission(roles_world, client):
    before = counts()
    for user in ("organiser_yanqing", "viewer"):
        client.force_login(roles_world.users[user])
        assert _post(client, json.dumps(document(DATE, HOST))).status_code == 403
    client.logout()
    assert _post(client, json.dumps(document(DATE, HOST))).status_code in (401, 403)
    assert counts() == before
    assert fresh(roles_world.users["viewer"]).is_active


def test_forums_topics_escorts_appointments_agreements_alliances_and_figures(roles_world):
    w = roles_world
    facts = document(
        DATE,
        HOST,
        {"type": "escort", "organisation": "海淀区台办"},
        {"type": "forum", "theme": "社区治理论坛", "host": "石油大院社区"},
        {"type": "topic", "topic": "社区养老"},
        {"type": "topic", "topic": "社区养老"},
        {"type": "appointment", "person": "李里长", "community": "石油大院社区", "li": "龍安里"},
        {"type": "agreement", "parties": ["锦安里", "石油大院社区"], "subject": "合作协议"},
        {"type": "pairing", "a": "锦安里", "b": "石油大院社区", "kind": "agreement"},
        {"type": "alliance", "name": "测试联盟", "members": ["石油大院社区", "某协会"]},
        {"type": "statistic", "figure": 12, "unit": "社区", "about": "一日里长"},
    )
    result = record_facts(document=facts, actor=w.users["organiser_haidian"])
    exchange = result.exchange
    escort = exchange.organisations.get()
    assert (escort.role, escort.organisation.name, escort.organisation.place) == (
        "escort",
        "海淀区台办",
        w.haidian,
    )
    forum_activity = exchange.activities.get(kind="forum")
    assert (forum_activity.title, forum_activity.place, forum_activity.forum.theme) == (
        "社区治理论坛",
        w.community,
        "社区治理论坛",
    )
    # A topic after a forum was discussed there; the same topic again, on the exchange.
    assert [
        (m.wording, m.forum_id is not None) for m in TopicMention.objects.filter(exchange=exchange)
    ] == [("社区养老", True), ("社区养老", False)]
    appointment = exchange.appointments.get()
    assert (
        appointment.person,
        appointment.community,
        appointment.person_place,
        appointment.certificate_number,
        appointment.pairing,
    ) == (w.person, w.community, w.li, "", w.pairing)
    assert Member.objects.get(exchange=exchange).person == w.person
    jinan = Place.objects.get(name="錦安里")  # found by its Simplified spelling too
    agreement = exchange.agreements.get()
    assert [(p.place, p.wording) for p in agreement.parties.all()] == [
        (jinan, ""),
        (w.community, ""),
    ]
    pairing = Pairing.objects.get(exchange=exchange)
    assert (pairing.kind, pairing.agreement, {pairing.place_a, pairing.place_b}) == (
        "agreement",
        agreement,
        {jinan, w.community},
    )
    alliance = exchange.alliances.get()
    assert [(m.place, m.wording) for m in alliance.members.all()] == [
        (w.community, ""),
        (None, "某协会"),
    ]
    figure = exchange.programme_figures.get()
    assert (float(figure.figure), figure.unit, figure.about, figure.programme.name) == (
        12.0,
        "社区",
        "一日里长",
        "一日里长",
    )
    assert [(u["type"], u["wording"]) for u in result.unresolved] == [("alliance", "某协会")]


def test_several_visiting_parties(roles_world):
    w = roles_world
    facts = document(
        DATE,
        HOST,
        {"type": "delegation", "organisation": "臺北市里長聯誼會", "size": 30},
        {"type": "delegation", "organisation": "新北市里長聯誼會"},
        {"type": "delegation", "organisation": "某某艺术团"},
    )
    exchange = record_facts(document=facts, actor=w.users["organiser_haidian"]).exchange
    assert (
        exchange.visiting_organisation,
        exchange.delegation_name,
        exchange.declared_headcount,
    ) == (
        w.association,
        "某某艺术团",
        30,
    )
    assert [(o.organisation, o.role) for o in exchange.organisations.all()] == [
        (w.other_org, "visiting")
    ]


def test_a_report_recorded_once_by_its_text_hash(roles_world, en):
    facts = document(DATE, HOST, text_sha256="a" * 64, script="hans", dateline="北京4月22日电")
    source = record_facts(document=facts, actor=None).source
    assert (source.text_sha256, source.script, source.dateline) == (
        "a" * 64,
        "hans",
        "北京4月22日电",
    )
    with pytest.raises(FactsError) as caught:
        record_facts(document=facts, actor=None)
    assert caught.value.problems == [
        f"This report (text_sha256) is already recorded: source {source.pk}."
    ]
