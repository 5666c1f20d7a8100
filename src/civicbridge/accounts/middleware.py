"""Request middleware of the accounts app: the acting user for the audit trail, and the
content security policy."""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.conf import settings

from civicbridge.accounts import audit


class AuditContextMiddleware:
    """Makes the request (hence ``request.user``, also when the API authenticates a token
    later on) known to the audit trail and the ``personal`` template filter. Place it after
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.request_context(request):
            return self.get_response(request)


# Our own assets only. The inline script of base.html (it swaps the no-js class) is allowed
# by its hash; anything else inline is refused. Images may be data: URIs (Swagger's icons).
DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# The inline scripts of base.html, allowed by hash (keep in step with the template).
BASE_INLINE_SCRIPTS = ['document.documentElement.classList.replace("no-js", "js");']


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


BASE_INLINE_SCRIPT_HASHES = [_hash(s) for s in BASE_INLINE_SCRIPTS]


def build_policy(nonce: str | None = None, extra: dict | None = None) -> str:
    policy = {k: list(v) for k, v in DEFAULT_POLICY.items()}
    policy["script-src"] += BASE_INLINE_SCRIPT_HASHES
    for key, values in (getattr(settings, "CIVICBRIDGE_CSP_EXTRA", None) or {}).items():
        policy.setdefault(key, []).extend(values)
    for key, values in (extra or {}).items():
        policy.setdefault(key, []).extend(values)
    if nonce:
        policy["script-src"].append(f"'nonce-{nonce}'")
        policy["style-src"].append(f"'nonce-{nonce}'")
    return "; ".join(f"{k} {' '.join(dict.fromkeys(v))}" for k, v in policy.items())


class ContentSecurityPolicyMiddleware:
    """Sends ``Content-Security-Policy`` on every response that has none yet.

    ``request.csp_nonce`` holds a fresh nonce per request: an inline ``<script
    nonce="{{ request.csp_nonce }}">`` is then allowed. Swagger UI (``/api/v1/docs``) sets
    inline styles, so that page alone may use them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            extra = None
            if request.path.startswith("/api/") and request.path.rstrip("/").endswith("/docs"):
                extra = {"style-src": ["'unsafe-inline'"]}
            nonce = request.csp_nonce if extra is None else None
            response["Content-Security-Policy"] = build_policy(nonce, extra)
        return response
