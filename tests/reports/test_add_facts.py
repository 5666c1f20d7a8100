"""add_facts: a report of an exchange already recorded is an addition to it, never a
duplicate — through the service, the import page, ``POST /api/v1/facts?exchange_id=`` and
``civicbridge record-facts --into``; and ``exchanges_like`` finding that exchange."""

import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation

from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    Activity,
    DatePrecision,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    Gift,
    Group,
    Member,
)
from civicbridge.forums.models import Forum, TopicMention
from civicbridge.pairings.models import Appointment, Pairing
from civicbridge.reports.models import Provenance, Source
from civicbridge.reports.reading.extract import read_report
from civicbridge.reports.selectors import exchanges_like
from civicbridge.reports.services import add_facts, record_facts
from tests.factories import make_user
from tests.reports.test_reading import TO_BEIJING

URL = "/reports/import/"

# Another newspaper's account of TO_BEIJING's visit: the same days, delegation, escort,
# districts and places, and one more venue (首都博物馆) and one more topic (智慧社区建设).
SECOND_REPORT = """source: https://example.org/evening/7
published: 2019-05-21

大安区里长联谊会参访团走访京城社区

本报讯（记者 李文）5月18日至19日，台北市大安区里长联谊会参访团一行30人，在北京市台办工作人员陪同下，\
来到西城区、东城区参访交流。

18日上午，参访团来到西城区，先后参观了西长安街街道钟声社区文化中心和钟声社区，并在钟声社区举办了主题为\
“同心共建美好家园”的京台社区大讲堂。双方就垃圾分类、社区养老、智慧社区建设等问题进行了深入交流。

19日，参访团来到东城区，参观了东华门街道多福巷社区、故宫博物院和首都博物馆。
"""

MODELS = (
    Exchange,
    ExchangePlace,
    ExchangeOrganisation,
    Group,
    Activity,
    Member,
    Person,
    Organisation,
    Forum,
    TopicMention,
    Appointment,
    Pairing,
    Gift,
)


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m.objects.count() for m in MODELS}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def grew(before: dict, after: dict) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


@pytest.fixture
def en():
    with translation.override("en"):
        yield


@pytest.fixture
def organiser(directory):
    return make_user("beijing_organiser", role="organiser", place=Place.objects.get(code="11"))


@pytest.fixture
def recorded(organiser):
    """TO_BEIJING recorded as a draft exchange."""
    return record_facts(
        document=read_report(TO_BEIJING), actor=organiser, source={"text_sha256": sha(TO_BEIJING)}
    )


@pytest.mark.django_db
def test_the_same_report_twice_adds_nothing_the_second_time(organiser, recorded):
    before = counts()
    sources, provenance = Source.objects.count(), Provenance.objects.count()

    again = add_facts(
        exchange=recorded.exchange,
        document=read_report(TO_BEIJING),
        actor=organiser,
        source={"text_sha256": sha(TO_BEIJING)},
    )

    assert counts() == before
    assert (Source.objects.count(), Provenance.objects.count()) == (sources, provenance)
    assert (again.counts, again.notes, again.filled) == ({}, [], [])
    assert again.source == recorded.source
    # Everything the report says was found: the same records as the first time.
    assert again.matched == recorded.counts


@pytest.mark.django_db
def test_a_second_report_of_the_visit_adds_its_one_more_venue_and_topic(organiser, recorded):
    exchange = recorded.exchange
    held_activities = set(exchange.activities.values_list("pk", flat=True))
    before = counts()

    added = add_facts(
        exchange=exchange,
        document=read_report(SECOND_REPORT),
        actor=organiser,
        source={"text_sha256": sha(SECOND_REPORT)},
    )

    assert added.counts == {"exchanges.activity": 1, "forums.topicmention": 1}
    # The one more venue is a new organisation (not in the directory), the rest is held.
    assert grew(before, counts()) == {
        "exchanges.activity": 1,
        "forums.topicmention": 1,
        "directory.organisation": 1,
    }
    new = exchange.activities.exclude(pk__in=held_activities).get()
    assert (new.title, new.venue.name) == ("首都博物馆", "首都博物馆")
    assert "智慧社区建设" in {m.wording for m in exchange.topic_mentions.all()}
    assert added.notes == []
    # A second source, with provenance for what it added and for what it matched.
    source = added.source
    assert source != recorded.source
    assert set(exchange.sources.all()) == {recorded.source, source}
    rows = {(p.content_type.model, p.object_id) for p in source.provenance.all()}
    assert ("activity", new.pk) in rows
    assert ("exchange", exchange.pk) in rows
    assert ("activity", exchange.activities.get(title="故宫博物院").pk) in rows


@pytest.mark.django_db
def test_dates_and_delegation_fill_what_is_lacking_and_never_overwrite(organiser, recorded, en):
    exchange = recorded.exchange
    facts = [
        {"type": "date", "start": "2019-05-17", "end": "2019-05-19"},
        {"type": "delegation", "organisation": "台北市大安区里长联谊会", "size": 31},
        {"type": "host", "place": "西城区", "code": "110102"},
    ]
    document = {"format": "civicbridge-report-facts", "version": 1, "facts": facts}

    result = add_facts(exchange=exchange, document=document, actor=organiser)

    exchange.refresh_from_db()
    assert (exchange.start_date, exchange.end_date, exchange.declared_headcount) == (
        dt.date(2019, 5, 18),
        dt.date(2019, 5, 19),
        30,
    )
    assert result.notes == [
        "The report gives the days 2019-05-17 to 2019-05-19; the exchange's (2019-05-18 to "
        "2019-05-19) are kept.",
        "The report gives 31 people; the exchange's 30 are kept.",
    ]
    assert result.counts == {}

    # An exchange known only as "on or before" its report's day gets the days.
    vague = exchanges.create_exchange(
        title="参访",
        start_date=dt.date(2019, 5, 21),
        date_precision=DatePrecision.BEFORE,
        host_place=Place.objects.get(code="110102"),
    )
    filled = add_facts(exchange=vague, document=document, actor=organiser)
    vague.refresh_from_db()
    assert (vague.start_date, vague.end_date, vague.date_precision) == (
        dt.date(2019, 5, 17),
        dt.date(2019, 5, 19),
        DatePrecision.DAY,
    )
    assert vague.declared_headcount == 31
    assert "date_precision" in filled.filled
    assert filled.notes == []


@pytest.mark.django_db
def test_an_organiser_out_of_scope_is_refused_and_nothing_is_written(recorded):
    outsider = make_user(
        "haidian_organiser", role="organiser", place=Place.objects.get(code="110108")
    )
    before = counts()
    sources, provenance = Source.objects.count(), Provenance.objects.count()

    with pytest.raises(PermissionDenied):
        add_facts(exchange=recorded.exchange, document=read_report(SECOND_REPORT), actor=outsider)

    assert counts() == before
    assert (Source.objects.count(), Provenance.objects.count()) == (sources, provenance)


@pytest.mark.django_db
def test_a_refusal_half_way_leaves_the_exchange_as_it_was(organiser):
    vague = exchanges.create_exchange(
        title="参访",
        start_date=dt.date(2019, 5, 21),
        date_precision=DatePrecision.BEFORE,
        host_place=Place.objects.get(code="110102"),
    )
    taipei = Place.objects.get(name="大安區")
    document = {
        "format": "civicbridge-report-facts",
        "version": 1,
        "facts": [
            # The dates are filled first; the organiser may not host in 臺北 (a host
            # place the exchange lacks): refused, and the dates are not filled either.
            {"type": "date", "start": "2019-05-17", "end": "2019-05-19"},
            {"type": "host", "place": "大安区", "code": taipei.code},
            {"type": "visit", "venue": "故宫博物院"},
        ],
    }
    before = counts()

    with pytest.raises(PermissionDenied):
        add_facts(exchange=vague, document=document, actor=organiser)

    vague.refresh_from_db()
    assert (vague.start_date, vague.end_date, vague.date_precision) == (
        dt.date(2019, 5, 21),
        None,
        DatePrecision.BEFORE,
    )
    assert counts() == before
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_an_exchange_is_found_by_its_names_and_sides_not_only_its_first_day_and_host(recorded):
    exchange = recorded.exchange
    # No host code, a day inside the visit: the delegation's name finds it.
    by_name = {
        "facts": [
            {"type": "date", "start": "2019-05-19", "end": "2019-05-19"},
            {"type": "delegation", "organisation": "大安区里长联谊会"},
            {"type": "host", "place": "京城"},
        ]
    }
    by_venue = {
        "facts": [
            {"type": "date", "start": "2019-05-19", "end": "2019-05-19"},
            {"type": "visit", "venue": "故宫博物院"},
        ]
    }
    # The same days hosted on the other side (a visit to 臺北): not this exchange.
    other_side = {
        "facts": [
            {"type": "date", "start": "2019-05-18", "end": "2019-05-19"},
            {"type": "host", "place": "大安区", "code": Place.objects.get(name="大安區").code},
            {"type": "visit", "venue": "故宫博物院"},
        ]
    }
    other_days = {
        "facts": [
            {"type": "date", "start": "2019-06-18", "end": "2019-06-19"},
            {"type": "delegation", "organisation": "大安区里长联谊会"},
        ]
    }

    assert exchanges_like(by_name) == [exchange]
    assert exchanges_like(by_venue) == [exchange]
    assert exchanges_like(other_side) == []
    assert exchanges_like(other_days) == []
    # The same text: its exchange, whatever the facts say.
    assert exchanges_like({"facts": []}, text_sha256=sha(TO_BEIJING)) == [exchange]


# --- the page, the API and the command -------------------------------------------------


def _review(client, text):
    response = client.post(URL, {"step": "read", "text": text})
    assert response.status_code == 200
    return response


def _record_data(response, **extra):
    form = response.context["form"]
    data = {"step": "record", "text": form["text"].value(), "document": form["document"].value()}
    for name in form.fields:
        value = form[name].value()
        if name.startswith("keep_"):
            data[name] = "on"
        elif name.startswith("place_"):
            data[name] = value.pk if isinstance(value, Place) else (value or "")
        elif name.startswith("fact_"):
            data[name] = "" if value is None else value
    data.update(extra)
    return data


@pytest.mark.django_db
def test_the_page_offers_the_addition_first_and_a_new_draft_with_a_warning(client, organiser):
    client.force_login(organiser)
    first = _review(client, TO_BEIJING)
    assert 'name="action" value="add"' not in first.content.decode()
    client.post(URL, _record_data(first))
    exchange = Exchange.objects.get()

    second = _review(client, SECOND_REPORT)

    body = second.content.decode()
    assert [e.pk for e in second.context["similar"]] == [exchange.pk]
    assert f'name="into" value="{exchange.pk}" checked' in body
    assert body.index('value="add"') < body.index('value="new"')
    assert "review-new-warning" in body
    before = counts()
    added = client.post(URL, _record_data(second, action="add", into=exchange.pk))
    assert added.status_code == 302
    assert added["Location"] == exchange.get_absolute_url()
    assert grew(before, counts()) == {
        "exchanges.activity": 1,
        "forums.topicmention": 1,
        "directory.organisation": 1,
    }
    assert Exchange.objects.count() == 1


@pytest.mark.django_db
def test_the_same_text_is_refused_as_a_new_draft_and_offered_only_as_an_addition(client, organiser):
    client.force_login(organiser)
    client.post(URL, _record_data(_review(client, TO_BEIJING)))
    exchange = Exchange.objects.get()

    again = _review(client, TO_BEIJING)
    body = again.content.decode()
    refused = client.post(URL, _record_data(again, action="new"))
    before = counts()
    added = client.post(URL, _record_data(again, action="add", into=exchange.pk))

    assert again.context["known"] == exchange.sources.get()
    assert 'value="add"' in body
    assert 'value="new"' not in body
    assert refused.status_code == 400
    assert Exchange.objects.count() == 1
    assert added.status_code == 302
    assert counts() == before
    assert exchange.sources.count() == 1


@pytest.mark.django_db
def test_bad_choices_on_the_page_are_form_errors(client, organiser, recorded):
    client.force_login(organiser)
    second = _review(client, SECOND_REPORT)
    before = counts()

    unknown = client.post(URL, _record_data(second, action="add", into=10**12))
    none = client.post(URL, _record_data(second, action="add"))
    huge = client.post(URL, _record_data(second, action="add", into="9" * 40))
    forged = client.post(URL, _record_data(second, action="merge", into=recorded.exchange.pk))

    assert [r.status_code for r in (unknown, none, huge, forged)] == [400, 400, 400, 400]
    assert counts() == before


@pytest.mark.django_db
def test_the_api_adds_as_the_page_does(client, organiser, recorded):
    exchange = recorded.exchange
    client.force_login(organiser)
    document = read_report(SECOND_REPORT)
    before = counts()

    response = client.post(
        f"/api/v1/facts?exchange_id={exchange.pk}",
        data=json.dumps(document),
        content_type="application/json",
    )
    again = client.post(
        f"/api/v1/facts?exchange_id={exchange.pk}",
        data=json.dumps(document),
        content_type="application/json",
    )
    missing = client.post(
        "/api/v1/facts?exchange_id=999999999",
        data=json.dumps(document),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["exchange_id"], body["counts"], body["notes"]) == (
        exchange.pk,
        {"exchanges.activity": 1, "forums.topicmention": 1},
        [],
    )
    assert body["matched"]["exchanges.activity"] == 5
    assert again.json()["counts"] == {}
    assert missing.status_code == 404
    assert grew(before, counts()) == {
        "exchanges.activity": 1,
        "forums.topicmention": 1,
        "directory.organisation": 1,
    }
    outsider = make_user(
        "haidian_organiser", role="organiser", place=Place.objects.get(code="110108")
    )
    client.force_login(outsider)
    refused = client.post(
        f"/api/v1/facts?exchange_id={exchange.pk}",
        data=json.dumps(document),
        content_type="application/json",
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_command_adds_into_an_exchange(organiser, recorded, tmp_path):
    path = tmp_path / "second.json"
    path.write_text(json.dumps(read_report(SECOND_REPORT), ensure_ascii=False), encoding="utf-8")
    out = StringIO()

    call_command(
        "record_facts", str(path), "--as", organiser.username, "--into", str(recorded.exchange.pk),
        stdout=out,
    )  # fmt: skip

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        f"Added to exchange {recorded.exchange.pk}: {recorded.exchange.title} (2 record(s) added)"
    )
    assert lines[1:3] == ["  exchanges.activity: 1", "  forums.topicmention: 1"]
    assert Exchange.objects.count() == 1
