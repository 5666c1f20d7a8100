"""The copy page: /exchanges/<id>/copy/ — "copy as a new exchange" (exchanges/copying.py).

GET shows the form (the new start date, a year after the original's by default, and the
title) and, once a date is given (the "Preview" button sends the form by GET), the shift:
every date before and after. POST copies and goes to the new exchange's page.

Permission: ``exchanges.copy_exchange`` on the original (a 403 page otherwise, GET or
POST); a missing or deleted exchange is a 404 page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicbridge.exchanges import copying, forms
from civicbridge.exchanges.views import detail_url, readable_exchange, require


def _a_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + dt.timedelta(days=365)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_copy(request, pk: int):
    exchange = readable_exchange(request, pk)
    require(request, copying.PERMISSION, exchange)
    initial = {"start_date": _a_year_later(exchange.start_date), "title": exchange.title}
    if request.method == "POST":
        form = forms.CopyExchangeForm(request.POST)
    elif "start_date" in request.GET:
        form = forms.CopyExchangeForm(request.GET)
    else:
        form = forms.CopyExchangeForm(initial=initial)
    preview = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start_date"]
        try:
            preview = copying.preview_copy(exchange=exchange, start_date=start)
            if request.method == "POST":
                copy = copying.copy_exchange(
                    exchange=exchange,
                    start_date=start,
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
                messages.success(
                    request,
                    _("A planned copy was made; its dates moved by %(days)d days.")
                    % {"days": preview.days},
                )
                return redirect(detail_url(copy))
        except ValidationError as exc:
            preview = None
            forms.apply_errors(form, exc, {"end_date": "start_date", "exchange": None})
    elif not form.is_bound:
        preview = copying.preview_copy(exchange=exchange, start_date=initial["start_date"])
    return render(
        request,
        "exchanges/exchange_copy.html",
        {"exchange": exchange, "form": form, "preview": preview},
    )
