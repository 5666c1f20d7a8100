"""Downloads of the reception plan (接待方案) and the reception list (接待清单), as PDF.
Who may read them: ``approvals.view_plan`` (approvals/rules.py), as on the plan page."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import translation

from civicbridge.approvals import selectors
from civicbridge.documents import reception_plan
from civicbridge.documents.text import normalise_script
from civicbridge.exchanges.models import Exchange

PDF = "application/pdf"


def _exchange(request, pk: int) -> Exchange:
    try:
        exchange = selectors.plan_exchange(pk)
    except Exchange.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("approvals.view_plan", exchange):
        raise PermissionDenied
    return exchange


def _script(request) -> str | None:
    value = request.GET.get("script", "")[:16]
    return normalise_script(value) if value else None


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def plan_pdf(request, pk: int):
    exchange = _exchange(request, pk)
    with translation.override("zh-hans"):  # the document's sentences (changes) in Chinese
        data = selectors.plan_data(exchange)
        body = reception_plan.reception_plan_pdf(data, _script(request))
    return _pdf(body, f"接待方案-{exchange.pk}.pdf")


@login_required
def list_pdf(request, pk: int):
    exchange = _exchange(request, pk)
    with translation.override("zh-hans"):
        data = selectors.plan_data(exchange, held_only=True)
        body = reception_plan.reception_list_pdf(data, _script(request))
    return _pdf(body, f"接待清单-{exchange.pk}.pdf")
