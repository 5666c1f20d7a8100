import pytest

from tests.conftest import _replay
from tests.factories import PersonalWorld, build_personal_world


@pytest.fixture
def world(roles_world):
    return roles_world


@pytest.fixture
def personal_world(db):
    """tests/factories.py ``build_personal_world``, built once per session and replayed
    into each test (tests/conftest.py ``_replay``)."""
    _replay("personal_world", build_personal_world)
    return PersonalWorld()
