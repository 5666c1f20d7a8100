import pytest

from tests.conftest import replayed
from tests.factories import build_reception_visit


@pytest.fixture
def visit(request, db):
    """tests/factories.py ``build_reception_visit``: 20 members in two groups, hosted by 海淀."""
    return replayed(request, "reception visit", build_reception_visit)


@pytest.fixture
def small_visit(request, db):
    """The same visit with 3 members (for the query counts' second size)."""
    return replayed(request, "reception visit (3)", lambda: build_reception_visit(3))
