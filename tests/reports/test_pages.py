"""The report pages: recording a facts document, and a source with its records."""

import json

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from civicbridge.exchanges.models import Exchange
from civicbridge.reports.models import Source
from civicbridge.reports.sections import sources_section_context
from civicbridge.reports.services import record_facts
from tests.reports.test_record_facts import DATE, HOST, document


def test_an_organiser_records_a_document_on_the_page(roles_world, client):
    client.force_login(roles_world.users["organiser_haidian"])
    url = reverse("reports:record_facts")
    assert client.get(url).status_code == 200
    response = client.post(url, {"document": json.dumps(document(DATE, HOST))})
    exchange = Exchange.objects.order_by("-id").first()
    assert (response.status_code, response["Location"]) == (302, exchange.get_absolute_url())
    upload = SimpleUploadedFile("facts.json", json.dumps(document(DATE, HOST)).encode())
    assert client.post(url, {"file": upload}).status_code == 302
    assert Source.objects.count() == 2


def test_the_page_shows_every_problem_and_records_nothing(roles_world, client):
    client.force_login(roles_world.users["organiser_haidian"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = Exchange.objects.count()
    with translation.override("en"):
        response = client.post(
            reverse("reports:record_facts"), {"document": json.dumps(document({"type": "visit"}))}
        )
        assert response.status_code == 400
        assert response.context["problems"] == ["facts[0] (visit): venue is required."]
        for data in ({"document": "{oops"}, {"document": ""}):
            assert client.post(reverse("reports:record_facts"), data).status_code == 400
    assert Exchange.objects.count() == before


def test_the_page_refuses_those_who_may_not_host_there(roles_world, client):
    url = reverse("reports:record_facts")
    client.force_login(roles_world.users["viewer"])
    assert client.get(url).status_code == 403
    client.force_login(roles_world.users["organiser_yanqing"])
    response = client.post(url, {"document": json.dumps(document(DATE, HOST))})
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_a_source_page_lists_the_records_taken_from_it(roles_world, client):
    client.force_login(roles_world.users["organiser_haidian"])
    client.post(
        reverse("reports:record_facts"),
        {
            "document": json.dumps(
                document(DATE, HOST, {"type": "visit", "venue": "石油大院社区"}, headline="测试稿")
            )
        },
    )
    source = Source.objects.get()
    client.force_login(roles_world.users["viewer"])
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    exchange = source.exchanges.get()
    assert [(row.fact_type, record) for row, record in response.context["rows"]] == [
        ("visit", exchange.activities.get()),  # no span
        ("date", exchange),
        ("host", exchange),
    ]


def test_the_sources_section_of_an_exchange(roles_world, rf):
    result = record_facts(
        document=document(
            DATE, HOST, {"type": "visit", "venue": "石油大院社区"}, headline="测试稿"
        ),
        actor=None,
    )
    request = rf.get("/")
    request.user = roles_world.users["viewer"]
    context = sources_section_context(request, result.exchange)
    assert [(s, s.records) for s in context["sources"]] == [(result.source, 3)]
    html = render_to_string("reports/sources_section.html", context, request=request)
    assert result.source.get_absolute_url() in html
    assert sources_section_context(request, roles_world.exchange) == {"sources": []}
