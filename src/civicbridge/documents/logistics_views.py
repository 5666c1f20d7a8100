"""Downloads of the logistics sheet (接送表): Excel and PDF, for an exchange or one of its
groups, one day (``?day=2016-04-22``, default: the first day with travel; ``?group=<id>``;
``?script=zh-hant``). Reading the exchange is enough; the needs in it are personal data
(the roster surface), noted in the audit trail when handed out."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest

from civicbridge.documents import logistics_sheet
from civicbridge.documents.views import (
    PDF,
    XLSX,
    _exchange,
    _file,
    _pdf_or_error,
    _record_personal_export,
    _require,
    _script,
    personal_view,
)
from civicbridge.exchanges.personal_data import ROSTER


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(value)


@login_required
def logistics_sheet_download(request, pk, fmt):
    exchange = _exchange(pk)
    _require(request, "exchanges.view_exchange", exchange)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    try:
        day = _day(request.GET.get("day"))
        group_id = int(request.GET["group"]) if request.GET.get("group") else None
    except ValueError:
        return HttpResponseBadRequest("day=YYYY-MM-DD, group=<id>")
    if day is not None and not dt.date(1900, 1, 1) <= day <= dt.date(2200, 12, 31):
        return HttpResponseBadRequest("day out of range")
    group = None
    if group_id is not None:
        group = exchange.groups.filter(pk=group_id).first()
        if group is None:
            raise Http404
    personal = personal_view(request.user, ROSTER)
    sheet = logistics_sheet.build_sheet(
        exchange, day=day, group=group, which=_script(request), personal=personal
    )
    name = f"logistics-{exchange.pk}{f'-g{group.pk}' if group else ''}-{sheet.day.isoformat()}"
    if fmt == "xlsx":
        response = _file(logistics_sheet.sheet_xlsx(sheet), XLSX, f"{name}.xlsx")
    else:
        response = _pdf_or_error(
            request,
            lambda: _file(logistics_sheet.sheet_pdf(sheet), PDF, f"{name}.pdf", inline=True),
        )
    if personal.disclosed:
        _record_personal_export(request, f"documents.logistics.{fmt}", exchange)
    return response
