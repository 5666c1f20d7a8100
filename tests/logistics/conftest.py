import pytest
from django.test import Client

from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, build_logistics_visit


@pytest.fixture
def visit(request, db):
    """tests/factories.py ``build_logistics_visit``: a 20-member two-group visit."""
    return replayed(request, "logistics visit 20", build_logistics_visit)


@pytest.fixture
def client_for(visit):
    def make(key: str) -> Client:
        client = Client()
        client.cookies["django_language"] = "en"
        client.force_login(visit.world.users[key], backend=MODEL_BACKEND)
        return client

    return make
