import pytest


@pytest.fixture
def world(exchange_world):
    """The exchange pages' world (tests/factories.py ``make_exchange_world``), replayed."""
    return exchange_world
