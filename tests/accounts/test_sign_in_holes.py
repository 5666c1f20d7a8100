"""Issue 9, hole 10: a password reset lifts the sign-in lock (as the throttled message
says), and the throttle reads X-Forwarded-For only from proxies we trust."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory

from civicbridge.accounts.models import FailedLogin
from civicbridge.accounts.throttling import client_ip

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "an entirely new passphrase 42"


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user(
        username="lichief", email="lichief@example.tw", password=PASSWORD
    )


def _sign_in(client, password, **extra):
    return client.post("/accounts/login/", {"username": "lichief", "password": password}, **extra)


def _throttled(response) -> bool:
    form = response.context["form"] if response.status_code == 200 else None
    return bool(form) and "throttled" in [e.code for e in form.non_field_errors().as_data()]


def test_hole10_password_reset_lifts_the_sign_in_lock(person, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    attacker, owner = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _sign_in(attacker, "wrong")
        _sign_in(owner, "wrong")
    assert _throttled(_sign_in(owner, PASSWORD))

    owner.post("/accounts/password_reset/", {"email": "lichief@example.tw"})
    link = re.search(r"http://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = owner.get(link, follow=True)
    assert form_page.status_code == 200
    done = owner.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert FailedLogin.objects.filter(username="lichief").count() == 0

    assert _sign_in(owner, NEW_PASSWORD).status_code == 302
    assert _sign_in(attacker, NEW_PASSWORD).status_code == 302


def test_hole10_failed_reset_keeps_the_lock(person):
    owner = Client()
    for _ in range(5):
        _sign_in(owner, "wrong")
    response = owner.get("/accounts/reset/MQ/not-a-token/")
    assert response.status_code == 200  # Django's "invalid link" page
    assert _throttled(_sign_in(owner, PASSWORD))


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


def test_hole10_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.CIVICBRIDGE_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "10.9.9.9")) == "203.0.113.9"


def test_hole10_forwarded_for_is_read_behind_a_trusted_proxy(settings):
    settings.CIVICBRIDGE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # the client, then our two proxies: the first address no proxy of ours vouches for
    assert client_ip(_request("127.0.0.1", "198.51.100.7, 10.1.2.3")) == "198.51.100.7"
    # a client cannot choose its address by sending the header itself
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # a peer that is not our proxy is the client, whatever it sends
    assert client_ip(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    # garbage in the header: the proxy's own address, not the garbage
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"


def test_hole10_throttle_counts_per_client_behind_a_trusted_proxy(person, settings):
    settings.CIVICBRIDGE_TRUSTED_PROXIES = ["127.0.0.1"]
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(5):
        _sign_in(attacker, "wrong")
    assert _throttled(_sign_in(attacker, PASSWORD))
    assert _sign_in(owner, PASSWORD).status_code == 302
    assert mail.outbox == []
