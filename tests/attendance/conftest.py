import pytest

from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, build_attendance_world


@pytest.fixture
def world(request, db):
    """tests/factories.py ``build_attendance_world``: an exchange hosted in 海淀 going on now."""
    return replayed(request, "attendance world", build_attendance_world)


@pytest.fixture
def client_of(client):
    """A client signed in as one of the roles world's users (``client_of(world, "viewer")``)."""

    def sign_in(world, key):
        client.force_login(world.roles.users[key], backend=MODEL_BACKEND)
        return client

    return sign_in
