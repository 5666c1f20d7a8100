import pytest

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def make_user(django_user_model):
    def make(username="organiser", **extra):
        extra.setdefault("email", f"{username}@example.org")
        return django_user_model.objects.create_user(username, password="x-y-z-123456", **extra)

    return make


@pytest.fixture
def signed_in(client, make_user):
    """A client signed in as a fresh user (returned as client.user)."""
    user = make_user()
    client.force_login(user, backend=MODEL_BACKEND)
    client.user = user
    return client
