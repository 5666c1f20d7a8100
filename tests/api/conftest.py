import pytest

from tests.conftest import replayed
from tests.factories import add_haidian_forum, build_roles_world


@pytest.fixture
def world(roles_world):
    """The roles world (tests/factories.py ``build_roles_world``), replayed."""
    return roles_world


@pytest.fixture
def forum_world(request, db):
    """The roles world with an exchange hosted in 海淀 only and its forum
    (tests/factories.py ``add_haidian_forum``), replayed."""
    return replayed(request, "haidian forum world", lambda: add_haidian_forum(build_roles_world()))
