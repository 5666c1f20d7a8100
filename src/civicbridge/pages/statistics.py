"""The statistics page (/statistics/): the filter form (GET) and each figure as a chart and
its table, within the reader's scope; the yearly report's links carry the same filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from civicbridge.core.views import require_perm
from civicbridge.statistics import report
from civicbridge.statistics.forms import filters_query, read_filters


@login_required
def statistics_page(request):
    require_perm(request, "statistics.view_statistics")
    form, filters = read_filters(request, request.user)
    which = report.reader_script()
    query = filters_query(filters)
    return render(
        request,
        "pages/statistics.html",
        {
            "form": form,
            "filters": filters,
            "sections": report.sections(filters, request.user, which=which),
            "scope": report.scope_label(filters, request.user, which),
            "xlsx_url": reverse("documents:yearly_report", args=["xlsx"]) + "?" + query,
            "pdf_url": reverse("documents:yearly_report", args=["pdf"]) + "?" + query,
        },
    )
