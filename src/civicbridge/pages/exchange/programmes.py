"""The forms of the exchange page's "Programmes and related visits" section, mounted below
the exchange: /exchanges/<pk>/programmes/… and /exchanges/<pk>/links/… (names
``exchanges:programme_join``, ``programme_leave``, ``programme_figure_add``, ``link_add``,
``link_remove``). Same flow
as the page's other forms (``responses.form_response``). The section's context is
``programmes/sections.py``'s.

Permissions: every write is ``programmes.link_exchange`` on the exchange (the exchange's
edit right), a figure ``programmes.add_figure`` too; the services ask them again."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.exchanges.views import readable_exchange, require
from civicbridge.pages.exchange.responses import form_response, redirect_or_sections
from civicbridge.programmes import forms, services
from civicbridge.programmes.models import ExchangeLink, Programme

SECTION = "programmes"


@login_required
def programme_join(request, pk: int):
    exchange = readable_exchange(request, pk)
    require(request, "programmes.link_exchange", exchange)
    form = forms.MembershipForm(request.POST or None, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add to a programme or series"),
        action=reverse("exchanges:programme_join", args=[pk]),
        section=SECTION,
        submit_label=_("Add to the programme"),
        perform=lambda f: services.add_exchange_to_programme(
            programme=f.cleaned_data["programme"], exchange=exchange, actor=request.user
        ),
        saved_message=_("The exchange was added to the programme."),
    )


@login_required
@require_POST
def programme_leave(request, pk: int, programme_id: int):
    exchange = readable_exchange(request, pk)
    require(request, "programmes.link_exchange", exchange)
    programme = get_object_or_404(Programme, pk=programme_id, exchanges=exchange)
    services.remove_exchange_from_programme(
        programme=programme, exchange=exchange, actor=request.user
    )
    return redirect_or_sections(
        request, exchange, SECTION, _("The exchange was taken out of the programme.")
    )


@login_required
def figure_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require(request, "programmes.link_exchange", exchange)
    require(request, "programmes.add_figure")
    form = forms.ExchangeFigureForm(request.POST or None)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Record a figure reported with this exchange"),
        action=reverse("exchanges:programme_figure_add", args=[pk]),
        section=SECTION,
        submit_label=_("Record the figure"),
        perform=lambda f: services.record_programme_figure(
            exchange=exchange, actor=request.user, **f.cleaned_data
        ),
        saved_message=_("The figure was recorded."),
    )


@login_required
def link_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require(request, "programmes.link_exchange", exchange)
    form = forms.LinkForm(request.POST or None, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Link a return visit or an earlier visit"),
        action=reverse("exchanges:link_add", args=[pk]),
        section=SECTION,
        submit_label=_("Link the visit"),
        perform=lambda f: services.link_exchange(
            exchange=exchange, actor=request.user, **f.link_fields()
        ),
        saved_message=_("The visits were linked."),
    )


@login_required
@require_POST
def link_remove(request, pk: int, link_id: int):
    exchange = readable_exchange(request, pk)
    require(request, "programmes.link_exchange", exchange)
    link = get_object_or_404(ExchangeLink, pk=link_id, exchange=exchange)
    services.unlink_exchange(link=link, actor=request.user)
    return redirect_or_sections(request, exchange, SECTION, _("The link was removed."))
