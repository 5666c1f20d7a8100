import pytest


@pytest.fixture
def world(exchange_world):
    """The exchange pages' world (tests/factories.py ``make_exchange_world``), replayed;
    the tests of scopes and hostile input use the roles world instead."""
    return exchange_world
