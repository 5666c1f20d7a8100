"""Blocks the pages include: ``{% load pages %}``.

``{% quiet_pairings_block 5 %}`` — the dashboard's quiet pairings the reader may see (fixed
number of queries).
``{% organisation_commitments_block organisation %}`` — an organisation's open and overdue
commitments, for its page.
"""

from django import template
from django.contrib.auth.models import AnonymousUser

from civicbridge.pairings.selectors import organisation_commitments, quiet_pairings

register = template.Library()


def _reader(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("pairings/_quiet_pairings.html", takes_context=True)
def quiet_pairings_block(context, limit: int = 5):
    """Only the pairings the reader may see (a community member: its own place's)."""
    return {"quiet": quiet_pairings(limit, user=_reader(context))}


@register.inclusion_tag("pairings/_organisation_commitments.html", takes_context=True)
def organisation_commitments_block(context, organisation):
    """Only the commitments the reader may see (of a pairing: if they may read it)."""
    user = _reader(context) or AnonymousUser()
    return {"oc": organisation_commitments(organisation, user=user)}
