import pytest


@pytest.fixture
def world(roles_world):
    """The roles world (tests/factories.py ``build_roles_world``), replayed."""
    return roles_world
