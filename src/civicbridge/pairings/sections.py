"""The pairings sections of the exchange page: appointments, the exchange's pairings,
agreements, alliances and batches ("links"), and commitments. What their
templates (``pairings/sections/*.html``) are given; the page and the views that add to them
are in the page tier (``civicbridge/pages/exchange/pairings.py``)."""

from __future__ import annotations

from civicbridge.pairings import selectors
from civicbridge.pairings.forms import AppointmentForm, CommitmentForm


def may_add_exchange_commitment(user, exchange) -> bool:
    return user.has_perm("exchanges.change_exchange", exchange)


def appointments_context(request, exchange) -> dict:
    # Appointing: for some community (administrators, organisers); the community chosen is
    # checked when the form is sent.
    can_appoint = request.user.has_perm("pairings.add_appointment")
    return {
        "appointments": selectors.exchange_appointments(exchange),
        "can_appoint": can_appoint,
        "appointment_form": AppointmentForm(exchange=exchange) if can_appoint else None,
    }


def commitments_context(request, exchange) -> dict:
    can_add = may_add_exchange_commitment(request.user, exchange)
    return {
        "commitments": selectors.exchange_commitments(exchange, user=request.user),
        "can_add_commitment": can_add,
        "commitment_form": CommitmentForm(exchange=exchange) if can_add else None,
    }


def links_context(request, exchange) -> dict:
    """The exchange's agreements, alliances, batches and pairings (those the user may
    read), with links to record new ones for those who may."""
    context = selectors.exchange_links(exchange, user=request.user)
    context["can_add_links"] = request.user.has_perm("pairings.add_pairing") and (
        request.user.has_perm("exchanges.change_exchange", exchange)
    )
    return context
