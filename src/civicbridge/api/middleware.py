"""Errors under /api/ are JSON, whoever answers: the API's own handlers (api.core), and
also Django for what never reaches a route (an unknown path, a wrong method, a refused
CSRF token, a request body over DATA_UPLOAD_MAX_MEMORY_SIZE, an unexpected exception)."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _detail(status: int) -> str:
    messages = {
        400: _("The request is not valid."),
        403: _("You are not allowed to do that."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        500: _("Something went wrong on our side; nothing was changed."),
    }
    if status in messages:
        return messages[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _("The request failed.")


def json_error(status: int, detail: str | None = None) -> JsonResponse:
    return JsonResponse(
        {"detail": detail or _detail(status), "errors": None},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class JsonErrorsMiddleware:
    """Place it first (after SecurityMiddleware), so it sees every answer under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not getattr(response, "streaming", False)
            and not _is_json(response)
        ):
            converted = json_error(response.status_code)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    converted[header] = response[header]
            return converted
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            return json_error(413)
        if isinstance(exception, SuspiciousOperation):
            return json_error(400)
        return None
