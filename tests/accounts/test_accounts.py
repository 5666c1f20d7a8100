"""Sign-in throttling, password reset, createuser, tokens, the audit trail, soft deletion,
the content security policy and the deployment check."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate, get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory

from civicbridge import settings as project
from civicbridge.accounts import audit
from civicbridge.accounts.models import ApiToken, AuditEntry, RoleAssignment
from civicbridge.accounts.services import restore, soft_delete
from civicbridge.directory import services as directory
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import Exchange
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_throttled_after_five_failures(world):
    client = Client()
    for _ in range(5):
        response = _sign_in(client, "viewer", "wrong password")
        assert response.status_code == 200
    response = _sign_in(client, "viewer", PASSWORD)  # even the right password
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["throttled"]
    assert "_auth_user_id" not in client.session
    # authenticate() itself refuses (the admin's sign-in, anything else)
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="127.0.0.1")
    assert authenticate(request, username="viewer", password=PASSWORD) is None


def test_sign_in_not_throttled_for_another_user(world):
    client = Client()
    for _ in range(5):
        _sign_in(client, "viewer", "wrong password")
    response = _sign_in(client, "admin", PASSWORD)
    assert response.status_code == 302


def test_sign_in_success_clears_failures(world):
    client = Client()
    for _ in range(4):
        _sign_in(client, "viewer", "wrong password")
    assert _sign_in(client, "viewer", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "viewer", "wrong password")
    assert _sign_in(client, "viewer", PASSWORD).status_code == 302


def test_password_reset_sends_mail(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = Client().post("/accounts/password_reset/", {"email": "viewer@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_hasher_is_argon2():
    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.SESSION_COOKIE_HTTPONLY


def test_createuser_organiser_of_place(world, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough passphrase 42\n"))
    out = io.StringIO()
    call_command(
        "createuser",
        "haidian2",
        "--email",
        "h@example.org",
        "--role",
        "organiser",
        "--place",
        str(world.haidian.pk),
        "--password-from-stdin",
        stdout=out,
    )
    user = get_user_model().objects.get(username="haidian2")
    assert user.check_password("a long enough passphrase 42")
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", "place")) == [
        ("organiser", world.haidian.pk)
    ]


def test_createuser_administrator_is_superuser(db):
    call_command("createuser", "root2", "--role", "administrator", stdout=io.StringIO())
    user = get_user_model().objects.get(username="root2")
    assert user.is_superuser and user.is_staff
    assert not user.has_usable_password()


def test_createuser_organiser_without_place_refused(db):
    with pytest.raises(CommandError):
        call_command("createuser", "x", "--role", "organiser", stdout=io.StringIO())


def test_tokens_page_creates_shows_once_and_revokes(world):
    client = Client()
    client.force_login(world.users["viewer"])
    response = client.post("/accounts/tokens/", {"label": "统计脚本", "access": "read"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("cb_")
    token = ApiToken.objects.get(user=world.users["viewer"], label="统计脚本")
    assert token.read_only
    assert token.token_hash != raw and raw not in client.get("/accounts/tokens/").content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/exchanges").status_code == 200
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/exchanges").status_code == 401


def test_tokens_page_cannot_revoke_others_token(world):
    token = ApiToken.objects.filter(user=world.users["administrator"]).first()
    client = Client()
    client.force_login(world.users["viewer"])
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404


def test_audit_records_create_update_delete_with_user(world):
    user = world.users["administrator"]
    with audit.acting_as(user, via="page"):
        person = directory.create_person(name="赵六", phone="123")
        directory.update_person(person=person, expected_version=1, phone="456")
        activity = world.activity_haidian
        exchanges.delete_activity(activity=activity)
    entries = AuditEntry.objects.filter(model="directory.person", object_id=str(person.pk))
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]
    update = entries.get(action="update")
    assert update.before == {"phone": "123"}
    assert update.after == {"phone": "456"}
    assert update.username == "admin" and update.user == user and update.via == "page"
    deleted = AuditEntry.objects.get(model="exchanges.activity", action="delete")
    assert deleted.before["title"] == "参观石油大院社区"


def test_audit_records_api_writes_with_token_user(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['organiser_yanqing']}")
    response = client.patch(
        f"/api/v1/activities/{world.activity_yanqing.pk}",
        data={"version": world.activity_yanqing.version, "title": "延庆座谈会"},
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(
        model="exchanges.activity",
        object_id=str(world.activity_yanqing.pk),
        action="update",
        via="api",
    )
    assert entry.username == "org_yanqing" and entry.via == "api"
    assert entry.before == {"title": "延庆座谈"} and entry.after == {"title": "延庆座谈会"}


def test_audit_page_filters_and_is_admin_only(world):
    client = Client()
    client.force_login(world.users["administrator"])
    url = f"/accounts/audit/?model=exchanges.exchange&object={world.exchange.pk}&action=create"
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["page"]) == list(
        AuditEntry.objects.filter(
            model="exchanges.exchange", object_id=str(world.exchange.pk), action="create"
        )
    )
    assert response.context["page"].paginator.count == 1
    client.force_login(world.users["viewer"])
    assert client.get(url).status_code == 403


def test_soft_delete_and_restore_exchange(world):
    admin = world.users["administrator"]
    exchange = soft_delete(world.exchange, by=admin, expected_version=world.exchange.version)
    assert not Exchange.objects.alive().filter(pk=exchange.pk).exists()
    assert Exchange.objects.filter(pk=exchange.pk).exists()
    restore(exchange, by=admin, expected_version=exchange.version)
    assert Exchange.objects.alive().filter(pk=exchange.pk).exists()
    actions = list(
        AuditEntry.objects.filter(model="exchanges.exchange", object_id=str(exchange.pk))
        .order_by("id")
        .values_list("action", "username")
    )
    assert actions[-2:] == [("delete", "admin"), ("restore", "admin")]


def test_soft_delete_via_api_hides_and_restores(world):
    admin = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['administrator']}")
    pk, version = world.person.pk, world.person.version
    assert admin.delete(f"/api/v1/people/{pk}?version={version}").status_code == 200
    assert admin.get(f"/api/v1/people/{pk}").status_code == 404
    listed = admin.get("/api/v1/people?deleted=true").json()["items"]
    assert [p["id"] for p in listed] == [pk]
    response = admin.post(f"/api/v1/people/{pk}/restore?version={version + 1}")
    assert response.status_code == 200
    assert admin.get(f"/api/v1/people/{pk}").status_code == 200


def test_csp_header_allows_own_assets_only(world):
    client = Client()
    client.force_login(world.users["viewer"])
    policy = client.get("/accounts/tokens/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy and "*" not in policy and "unsafe-inline" not in policy


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "CIVICBRIDGE_PRODUCTION": "1",
        "CIVICBRIDGE_SECRET_KEY": "k" * 20 + "-production-secret-with-enough-variety-1234567890",
        "CIVICBRIDGE_ALLOWED_HOSTS": "civicbridge.example.org",
        "CIVICBRIDGE_HOME": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "civicbridge", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
