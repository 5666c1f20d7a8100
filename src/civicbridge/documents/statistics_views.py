"""The yearly report's downloads (年度统计报表): the statistics page's filters (GET), within
the reader's scope, as an Excel workbook or a PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404

from civicbridge.core.views import require_perm
from civicbridge.documents import yearly_report as builder
from civicbridge.documents.views import PDF, XLSX, _file, _pdf_or_error
from civicbridge.statistics import report
from civicbridge.statistics.forms import read_filters


@login_required
def yearly_report(request, fmt: str):
    require_perm(request, "statistics.view_statistics")
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    _form, filters = read_filters(request, request.user)
    which = report.reader_script()
    name = f"statistics-{filters.year_from}-{filters.year_to}.{fmt}"
    if fmt == "xlsx":
        data = builder.workbook(filters, request.user, which=which)
        return _file(data, XLSX, name)
    result = _pdf_or_error(request, lambda: builder.pdf(filters, request.user, which=which))
    if not isinstance(result, bytes):
        return result
    return _file(result, PDF, name)
