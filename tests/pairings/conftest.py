import pytest

from tests import factories
from tests.conftest import replayed
from tests.factories import MODEL_BACKEND


@pytest.fixture
def make_user(db):
    """tests/factories.py ``make_user``: a viewer by default; ``role=None`` for none (reads
    nothing); ``place``/``organisation`` for scoped roles."""
    return factories.make_user


@pytest.fixture
def signed_in(client):
    """A client signed in as a fresh administrator (returned as client.user): the page
    tests write (messages, commitments, appointments)."""
    user = factories.make_admin()
    client.force_login(user, backend=MODEL_BACKEND)
    client.user = user
    return client


@pytest.fixture
def world(roles_world):
    """The roles world (tests/factories.py ``build_roles_world``), replayed: the scope
    tests; the others build ``PairingWorld``s of their own."""
    return roles_world


@pytest.fixture
def links(request, db):
    """tests/factories.py ``LinksWorld`` (Shanghai's four districts and Taipei's four, a care
    centre, an elders' association, an exchange hosted in 虹口), replayed."""
    return replayed(request, "links world", factories.LinksWorld)
