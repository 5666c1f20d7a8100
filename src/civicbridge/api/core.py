"""The NinjaAPI instance of /api/v1/: JSON rendering, authentication, errors, pagination.

Errors are always JSON ``{"detail": "...", "errors": {"field": ["message", …]}}``:
401 unauthenticated, 403 not allowed (or a read-only token writing, or a missing CSRF
token with session authentication), 404 not found, 409 stale version or conflicting
record, 422 invalid data (field errors). Never a 500 for a request we can judge."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf
from pydantic import create_model

from civicbridge.accounts.services import authenticate_token
from civicbridge.core.services import StaleVersion

log = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_ID = 2**53  # ids are at most this (JSON-safe, and within every database's integers)


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese text as text, not \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


class BearerToken(HttpBearer):
    """``Authorization: Bearer cb_…``: a personal token from /accounts/tokens/."""

    def authenticate(self, request, token):
        api_token = authenticate_token(token)
        if api_token is None:
            raise AuthenticationError()
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, _("This token is read-only."))
        # The audit trail and the permission checks read request.user.
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class Session(APIKeyCookie):
    """The browser's session; writes must carry the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return user


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


def responses(ok: int = 200, schema: Any = None) -> dict:
    return {ok: schema, **ERRORS}


def page_of(schema) -> type[Schema]:
    """A page of a list: ``{"count": total, "limit", "offset", "items": [...]}``."""
    return create_model(
        f"{schema.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[schema], ...),
    )


def paginate(queryset, limit: int, offset: int) -> dict:
    """Stable order (by id), the total, and one slice."""
    queryset = queryset.order_by("id")
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": list(queryset[offset : offset + limit]),
    }


api = NinjaAPI(
    title="CivicBridge API",
    version="1",
    description=(
        "Exchanges, groups, members, activities, forums, places, people, pairings, "
        "appointments and commitments. Authenticate with a personal token "
        "(`Authorization: Bearer …`, created at /accounts/tokens/) or the browser session "
        "(writes then need the X-CSRFToken header). Updates carry the record's `version`: "
        "an edit based on an older version is refused with 409."
    ),
    urls_namespace="api-v1",
    renderer=UnicodeJSONRenderer(),
    auth=[BearerToken(), Session()],
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


@api.exception_handler(StaleVersion)
def _stale(request, exc):
    return _error(request, 409, " ".join(exc.messages))


@api.exception_handler(DjangoValidationError)
def _invalid(request, exc):
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        return _error(request, 422, _("The data is not valid."), errors)
    return _error(request, 422, " ".join(str(m) for m in exc.messages), {"__all__": exc.messages})


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [
            str(part)
            for part in err.get("loc", ())
            if part not in ("body", "payload", "form", "file")
        ]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(err.get("msg", "")))
    return _error(request, 422, _("The request is not valid."), errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or _("You are not allowed to do that."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, _("Sign in or send a valid token (Authorization: Bearer …)."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(IntegrityError)
def _conflict(request, exc):
    log.info("integrity error through the API: %s", exc)
    return _error(request, 409, _("This conflicts with another record."))


@api.exception_handler(DataError)
def _data_error(request, exc):
    return _error(request, 422, _("A value is out of range or malformed."))


@api.exception_handler(OverflowError)
def _overflow(request, exc):
    return _error(request, 422, _("A number is too large."))


def dump(data) -> str:
    return json.dumps(data, ensure_ascii=False)
