import pytest

from tests.accounts.world import build


@pytest.fixture
def world(db):
    return build()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
