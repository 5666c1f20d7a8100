"""Schemathesis against /api/v1/openapi.json, over every operation, with a bounded number
of examples each: no server error, and every response (status, content type, body) as
the document describes it. Run signed in as an administrator (read-write token), so the
writes go as far as the services."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicbridge.api.v1 import api

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _document() -> dict:
    """The document served at /api/v1/openapi.json (built here, at collection time, since
    schemathesis' fixture-based loading does not work with this pytest)."""
    return json.loads(
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder)
    )


schema = schemathesis.openapi.from_dict(_document())


@pytest.fixture
def wsgi_app(world):
    """The real WSGI application. Like Django's test client, it must not close the database
    connection at each request's start and end: the test runs inside a transaction (on
    PostgreSQL, closing it loses the test's data; SQLite's in-memory database never closes)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_openapi_document_served_is_the_one_tested(world):
    assert Client().get("/api/v1/openapi.json").json() == _document()


# Every operation × 20 examples: about a minute, so outside the inner loop (-m 'not slow').
@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, world, wsgi_app):
    case.call_and_validate(
        app=wsgi_app,
        headers={"Authorization": f"Bearer {world.tokens['administrator']}"},
        checks=CHECKS,
    )
