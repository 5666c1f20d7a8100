"""The plan page's and the plan API's number of queries, pinned at two sizes: 3 members,
one cost line and one step against 20 members, three cost lines and two steps (the same six
activities: the itinerary's size is the roster's here; the queries do not read per line)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from civicbridge.approvals import services
from civicbridge.approvals.sections import visit_panel_context
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.selectors import exchange_detail
from tests.factories import at, fresh

pytestmark = pytest.mark.django_db


def _plan(visit, lines: int, steps: int):
    inside = fresh(visit.world.users["organiser_haidian"])
    for i in range(lines):
        services.add_cost_line(
            exchange=visit.exchange,
            category="meals",
            description=f"餐费{i}",
            quantity=20,
            unit_price="60",
            actor=inside,
        )
    services.submit_plan(exchange=visit.exchange, actor=inside)
    if steps > 1:
        services.approve_plan(plan=visit.exchange.reception_plan, actor=fresh(visit.org_beijing))
        activity = visit.activities["forum"]
        exchanges.update_activity(
            activity=activity,
            starts_at=at(15),
            ends_at=at(17),
            expected_version=activity.version,
            actor=inside,
        )


def _client(visit):
    client = Client()
    client.force_login(
        fresh(visit.world.users["viewer"]), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def test_plan_page_queries_small(small_visit, django_assert_num_queries):
    _plan(small_visit, lines=1, steps=1)
    client = _client(small_visit)
    url = reverse("approvals:plan", args=[small_visit.exchange.pk])
    client.get(url)
    with django_assert_num_queries(PAGE):
        assert client.get(url).status_code == 200


def test_plan_page_queries_large(visit, django_assert_num_queries):
    _plan(visit, lines=3, steps=2)
    client = _client(visit)
    url = reverse("approvals:plan", args=[visit.exchange.pk])
    client.get(url)
    with django_assert_num_queries(PAGE):
        response = client.get(url)
    assert response.status_code == 200
    assert "餐费2" in response.content.decode()


def test_plan_api_queries_small(small_visit, django_assert_num_queries):
    _plan(small_visit, lines=1, steps=1)
    client = _client(small_visit)
    url = f"/api/v1/exchanges/{small_visit.exchange.pk}/reception-plan"
    client.get(url)
    with django_assert_num_queries(API):
        assert client.get(url).status_code == 200


def test_plan_api_queries_large(visit, django_assert_num_queries):
    _plan(visit, lines=3, steps=2)
    client = _client(visit)
    url = f"/api/v1/exchanges/{visit.exchange.pk}/reception-plan"
    client.get(url)
    with django_assert_num_queries(API):
        assert len(client.get(url).json()["cost_lines"]) == 3


PAGE = 12
API = 12


@pytest.mark.parametrize("size", ["small", "large"])
def test_exchange_page_panel_queries(request, size, django_assert_num_queries):
    """The panel on the exchange page (approvals/sections.py), with an approved plan whose
    record changed since: the plan, the activities with their hosts and groups, the cost
    lines. The exchange comes as the exchange page reads it (members and groups prefetched)."""
    visit = request.getfixturevalue("small_visit" if size == "small" else "visit")
    _plan(visit, lines=1 if size == "small" else 3, steps=2)
    exchange = exchange_detail(visit.exchange.pk)
    with django_assert_num_queries(5):
        context = visit_panel_context(RequestFactory().get("/"), exchange)
    assert context["approval_needs_reapproval"] is True
    assert len(context["approval_changes"]) == 1
