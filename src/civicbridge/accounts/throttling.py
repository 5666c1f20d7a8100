"""Throttling of failed sign-ins: after ``LIMIT`` failures for one user name from one
address within ``WINDOW``, further attempts are refused until the window has passed.

Enforced by ``ThrottlingBackend`` (first in AUTHENTICATION_BACKENDS), so the sign-in page,
the admin's sign-in and anything else calling ``authenticate()`` are covered alike;
``ThrottledAuthenticationForm`` gives the sign-in page a clear message."""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in, user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.accounts.models import FailedLogin

LIMIT = getattr(settings, "CIVICBRIDGE_LOGIN_FAILURE_LIMIT", 5)
WINDOW = dt.timedelta(minutes=getattr(settings, "CIVICBRIDGE_LOGIN_FAILURE_MINUTES", 15))


def _networks(entries) -> list:
    out = []
    for entry in entries or ():
        text = str(entry).strip()
        if text:
            out.append(ipaddress.ip_network(text, strict=False))
    return out


def _address(text):
    try:
        return ipaddress.ip_address(str(text).strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address a sign-in comes from. The socket peer (REMOTE_ADDR), unless that peer is
    one of ``CIVICBRIDGE_TRUSTED_PROXIES``: then X-Forwarded-For is read from the right,
    skipping our own proxies, and the first address no proxy of ours vouches for is the
    client's. With no trusted proxy (the default) X-Forwarded-For is never read, since
    anyone can send it."""
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    trusted = _networks(getattr(settings, "CIVICBRIDGE_TRUSTED_PROXIES", ()))
    peer_address = _address(peer) if peer else None
    if not trusted or peer_address is None or not any(peer_address in n for n in trusted):
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: trust nothing to its left
        if not any(address in n for n in trusted):
            return str(address)
    return peer


def _norm(username) -> str:
    return str(username or "").strip().lower()[:150]


def recent_failures(username, ip) -> int:
    return FailedLogin.objects.filter(
        username=_norm(username), ip=ip, at__gte=timezone.now() - WINDOW
    ).count()


def is_throttled(username, request) -> bool:
    return recent_failures(username, client_ip(request)) >= LIMIT


def record_failure(username, request) -> None:
    FailedLogin.objects.create(username=_norm(username), ip=client_ip(request))
    # Old records are worthless: prune them as we go.
    FailedLogin.objects.filter(at__lt=timezone.now() - 4 * WINDOW).delete()


def clear_failures(username, request) -> None:
    FailedLogin.objects.filter(username=_norm(username), ip=client_ip(request)).delete()


def lift_lock(username) -> None:
    """Forget every failed sign-in of ``username``, from any address: a successful password
    reset proves the owner holds the account, so the lock the message promised to lift goes."""
    FailedLogin.objects.filter(username=_norm(username)).delete()


class ThrottlingBackend(ModelBackend):
    """Authenticates nobody; refuses (stopping the other backends) while throttled.

    It loads users like ModelBackend (``get_user``), because Django's test client's
    ``force_login`` records the first backend in the session; it grants no permission."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and is_throttled(username, request):
            if request is not None:
                request.civicbridge_login_throttled = True
            raise PermissionDenied("too many failed sign-ins")
        return None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        return get_user_model()._default_manager.none()


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-ins for this user name. Wait %(minutes)d minutes and try "
            "again, or reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_throttled(username, self.request):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": int(WINDOW.total_seconds() // 60)},
            )
        return super().clean()


def _on_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username:
        record_failure(username, request)


def _on_success(sender, request, user, **kwargs):
    clear_failures(user.get_username(), request)


def connect() -> None:
    user_login_failed.connect(_on_failure, dispatch_uid="civicbridge_login_failed")
    user_logged_in.connect(_on_success, dispatch_uid="civicbridge_logged_in")
