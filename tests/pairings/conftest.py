import pytest

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def make_user(django_user_model):
    """A user with a role: viewer by default; ``role=None`` for none (reads nothing);
    ``place``/``organisation`` for scoped roles."""

    def make(username="organiser", *, role="viewer", place=None, organisation=None, **extra):
        from civicbridge.accounts.services import assign_role

        extra.setdefault("email", f"{username}@example.org")
        user = django_user_model.objects.create_user(username, password="x-y-z-123456", **extra)
        if role:
            assign_role(user=user, role=role, place=place, organisation=organisation)
        return user

    return make


@pytest.fixture
def signed_in(client, make_user):
    """A client signed in as a fresh administrator (returned as client.user): the page
    tests write (messages, commitments, appointments)."""
    user = make_user(role="administrator")
    client.force_login(user, backend=MODEL_BACKEND)
    client.user = user
    return client
