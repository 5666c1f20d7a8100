import pytest
from django.conf import settings

from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, build_programmes_world


@pytest.fixture
def world(request, db):
    """tests/factories.py's programmes world, built once per session and replayed."""
    return replayed(request, "programmes world", build_programmes_world)


@pytest.fixture
def login(client, world):
    """A client signed in as one of the world's users, reading English by default:
    ``login("organiser_haidian")``, ``login("viewer", "zh-hant")``."""

    def sign_in(key: str, language: str = "en"):
        client.force_login(world.users[key], backend=MODEL_BACKEND)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return sign_in
