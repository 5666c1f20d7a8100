import pytest

from tests.conftest import replayed
from tests.factories import build_small_exchange


@pytest.fixture
def taipei(request, db):
    """tests/factories.py ``build_small_exchange`` (Taipei's six li, 延庆's 康安社区, an
    exchange with one group and one activity), built once per session and replayed."""
    return replayed(request, "small exchange", build_small_exchange)
