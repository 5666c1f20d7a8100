"""The forms of the exchange page's pairings sections: recording an appointment and a
commitment of the exchange, at /pairings/exchanges/<pk>/… (names
``pairings:exchange_appointment_new``, ``pairings:exchange_commitment_new``). Same flow as
the page's other forms (``responses.form_response``). The sections' contexts are
``pairings/sections.py``'s."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.exchanges.models import ExchangeStatus
from civicbridge.exchanges.views import get_exchange, require
from civicbridge.pages.exchange.responses import form_response
from civicbridge.pairings import services
from civicbridge.pairings.forms import AppointmentForm, CommitmentForm
from civicbridge.pairings.sections import may_add_exchange_commitment
from civicbridge.pairings.views import create_commitment_from_form


def _perform_appointment(exchange, user):
    def perform(form):
        data = form.cleaned_data
        if not user.has_perm("pairings.add_appointment", data["community"]):
            raise ValidationError(
                {"community": _("You may not record appointments for this community.")}
            )
        services.appoint(
            person=data["person"],
            community=data["community"],
            appointed_on=data["appointed_on"],
            activity=data.get("activity"),
            exchange=exchange,
            title=data.get("title") or services.HONORARY_DIRECTOR,
            person_place=data.get("person_place"),
            certificate_number=data.get("certificate_number") or None,
            certificate=not data.get("no_certificate"),
            status=data.get("status") or ExchangeStatus.HELD,
        )

    return perform


@login_required
def exchange_appointment_new(request, pk: int):
    exchange = get_exchange(pk)
    require(request, "exchanges.view_exchange", exchange)
    require(request, "pairings.add_appointment")
    form = AppointmentForm(request.POST or None, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Record an appointment"),
        action=reverse("pairings:exchange_appointment_new", args=[pk]),
        section="appointments",
        submit_label=_("Record the appointment"),
        perform=_perform_appointment(exchange, request.user),
        saved_message=_("The appointment was recorded."),
        cancel_section="appointments",
    )


@login_required
def exchange_commitment_new(request, pk: int):
    exchange = get_exchange(pk)
    if not may_add_exchange_commitment(request.user, exchange):
        raise PermissionDenied
    form = CommitmentForm(request.POST or None, exchange=exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("New commitment"),
        action=reverse("pairings:exchange_commitment_new", args=[pk]),
        section="commitments",
        submit_label=_("Record the commitment"),
        perform=lambda f: create_commitment_from_form(f, request, exchange=exchange),
        saved_message=_("The commitment was recorded."),
        cancel_section="commitments",
    )
