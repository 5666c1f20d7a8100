"""Schemathesis against /api/v1/openapi.json, over every operation, with a bounded number
of examples each: no server error, and every response (status, content type, body) as
the document describes it. Run signed in as an administrator (read-write token), so the
writes go as far as the services."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts.world import build

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build()


def _document() -> dict:
    """The document served at /api/v1/openapi.json (built here, at collection time, since
    schemathesis' fixture-based loading does not work with this pytest)."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from civicbridge.api.v1 import api

    return json.loads(
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder)
    )


schema = schemathesis.openapi.from_dict(_document())


@pytest.fixture
def wsgi_app(world):
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def test_openapi_document_served_is_the_one_tested(world):
    from django.test import Client

    assert Client().get("/api/v1/openapi.json").json() == _document()


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
