import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from civicbridge.accounts.services import assign_role
from civicbridge.directory.models import PlaceKind
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _client(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_admin_refuses_a_staff_organiser_without_the_administrator_role():
    user = get_user_model().objects.create_user(
        "staffer", password="correct horse battery", is_staff=True
    )
    assign_role(user=user, role="organiser", place=PlaceFactory(kind=PlaceKind.DISTRICT))
    response = _client(user).get("/admin/exchanges/exchange/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_admits_an_administrator():
    user = get_user_model().objects.create_user("boss", password="correct horse battery")
    assign_role(user=user, role="administrator")
    assert _client(user).get("/admin/exchanges/exchange/").status_code == 200
