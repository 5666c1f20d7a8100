"""The "Import a report" page: paste or upload a report, review its facts beside its words
(keep, correct, drop), record the draft exchange."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.directory.models import Person, Place
from civicbridge.exchanges.models import Exchange
from civicbridge.reports.reading.extract import read_report
from tests.factories import make_user
from tests.reports.test_reading import NO_YEAR, TO_BEIJING, TO_TAIPEI

URL = "/reports/import/"


@pytest.fixture
def organiser(directory):
    return make_user("beijing_organiser", role="organiser", place=Place.objects.get(code="11"))


def _review(client, text, **extra):
    response = client.post(URL, {"step": "read", "text": text, **extra})
    assert response.status_code == 200
    return response


def _record_data(response, changes=None, drop=()):
    form = response.context["form"]
    data = {"step": "record", "text": form["text"].value(), "document": form["document"].value()}
    for name in form.fields:
        value = form[name].value()
        if name.startswith("keep_"):
            if int(name.split("_")[1]) not in drop:
                data[name] = "on"
        elif name.startswith(("place_", "person_")):
            data[name] = value.pk if isinstance(value, Place | Person) else (value or "")
        elif name.startswith("fact_"):
            data[name] = "" if value is None else value
    data.update(changes or {})
    return data


def _index(response, kind, **match):
    facts = response.context["form"].facts
    return next(
        i
        for i, f in enumerate(facts)
        if f["type"] == kind and all(f.get(k) == v for k, v in match.items())
    )


@pytest.mark.django_db
def test_the_page_needs_an_organiser(client, directory):
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(make_user("viewer_only", role="viewer"))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_the_review_shows_every_fact_beside_its_words(client, organiser):
    client.force_login(organiser)

    response = _review(client, TO_BEIJING)

    form = response.context["form"]
    body = response.content.decode()
    assert form.facts == read_report(TO_BEIJING)["facts"]
    # Each fact's words are marked and linked to the fact, and back.
    for index in range(len(form.facts)):
        assert f'id="fact-{index}"' in body
    marked = [run for run in response.context["runs"] if run.fact is not None]
    assert marked[0].text == TO_BEIJING[slice(*form.facts[marked[0].fact]["span"])]
    assert f'href="#fact-{marked[0].fact}"' in body
    assert [s["key"] for s in response.context["sections"]] == [
        "overview",
        "groups",
        "itinerary",
        "forums",
        "people",
        "pairings",
        "topics",
        "gifts",
    ]


@pytest.mark.django_db
def test_a_corrected_and_a_dropped_fact_are_recorded_so(client, organiser):
    client.force_login(organiser)
    response = _review(client, TO_BEIJING)
    museum = _index(response, "visit", venue="故宫博物院")
    topic = _index(response, "topic", topic="社区治理")

    recorded = client.post(
        URL,
        _record_data(response, {f"fact_{museum}_venue": "故宫博物院（午门）"}, drop={topic}),
    )

    assert recorded.status_code == 302
    exchange = Exchange.objects.get()
    assert recorded["Location"] == exchange.get_absolute_url()
    titles = sorted(a.title for a in exchange.activities.all())
    assert "故宫博物院（午门）" in titles
    assert "故宫博物院" not in titles
    wordings = sorted(m.wording for m in exchange.topic_mentions.all())
    assert wordings == ["垃圾分类", "志愿服务", "社区养老"]
    assert exchange.sources.get().text_sha256 != ""


@pytest.mark.django_db
def test_a_problem_in_the_reviewed_facts_is_shown_and_nothing_is_recorded(client, organiser):
    client.force_login(organiser)
    response = _review(client, TO_BEIJING)
    date = _index(response, "date")

    refused = client.post(URL, _record_data(response, {f"fact_{date}_start": "2019-02-30"}))

    assert refused.status_code == 400
    assert Exchange.objects.count() == 0
    assert any("start" in problem for problem in refused.context["problems"])


@pytest.mark.django_db
def test_an_uploaded_file_is_read_and_an_unreadable_one_refused(client, organiser):
    client.force_login(organiser)

    read = client.post(
        URL,
        {
            "step": "read",
            "file": SimpleUploadedFile("r.txt", NO_YEAR.encode("gb18030")),
            "published": "2023-05-20",
        },
    )
    refused = client.post(URL, {"step": "read", "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4")})

    assert read.status_code == 200
    assert json.loads(read.context["form"]["document"].value())["published"] == "2023-05-20"
    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors() == [
        "Reports are read from .txt, .html and .docx files."
    ]


@pytest.mark.django_db
def test_a_report_of_an_exchange_already_recorded_is_offered_as_an_addition(client, organiser):
    client.force_login(organiser)
    response = _review(client, TO_BEIJING)
    client.post(URL, _record_data(response))

    again = _review(client, TO_BEIJING)

    assert [e.pk for e in again.context["similar"]] == [Exchange.objects.get().pk]


@pytest.mark.django_db
def test_hostile_text_gives_a_review_or_a_form_error(client, organiser):
    client.force_login(organiser)

    nul = client.post(URL, {"step": "read", "text": "台北\x00里长"})
    markup = client.post(
        URL,
        {
            "step": "read",
            "text": "<script>alert(1)</script>台北市大安区里长参访团一行5人来到西城区",
        },
    )
    forged = client.post(URL, {"step": "record", "text": "x", "document": "{not json"})

    assert nul.status_code == 400
    assert markup.status_code == 200
    assert "<script>alert(1)</script>" not in markup.content.decode()
    assert forged.status_code == 400


@pytest.mark.django_db
def test_a_place_the_directory_finds_twice_is_shown_with_its_candidates_never_chosen(
    client, organiser
):
    client.force_login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = "5月18日，北京市西城区社区参访团一行8人赴台北交流，走访了中央里、锦华里。"

    response = _review(client, text, published="2019-05-20")

    rows = {
        row["fact"]["venue"]: row
        for section in response.context["sections"]
        for row in section["facts"]
        if row["fact"]["type"] == "visit"
    }
    assert sorted(rows) == ["中央里", "锦华里"]
    assert "code" not in rows["中央里"]["fact"]
    assert sorted(c["place"].code for c in rows["中央里"]["candidates"]) == sorted(
        Place.objects.filter(name="中央里", code__startswith="63000").values_list("code", flat=True)
    )
    assert len(rows["中央里"]["candidates"]) == 2
    assert rows["锦华里"]["candidates"] == []
    assert "The directory has several places of this name" in response.content.decode()


@pytest.mark.django_db
def test_a_traditional_report_is_shown_as_written_and_in_the_readers_script(client, organiser):
    client.force_login(organiser)  # the default language: 简体
    response = _review(client, TO_TAIPEI)

    body = response.content.decode()
    assert 'value="溫紹宏"' in body  # the name as the report writes it, to correct
    assert (
        '<span class="review__shown" lang="zh">温绍宏</span>' in body
    )  # and as the reader reads it


@pytest.mark.django_db
def test_a_person_picked_in_the_directory_is_the_one_recorded(client, organiser):
    client.force_login(organiser)
    chief = Person.objects.filter(name="溫美珠").first()
    response = _review(client, TO_BEIJING)
    wang = _index(response, "person", name="王建国")

    recorded = client.post(URL, _record_data(response, {f"person_{wang}": chief.pk}))

    assert recorded.status_code == 302
    exchange = Exchange.objects.get()
    assert chief.pk in set(exchange.members.values_list("person_id", flat=True))
    assert not Person.objects.filter(name="王建国").exists()
