"""Blocks other pages include: ``{% load twinning %}``.

``{% quiet_pairings_block 5 %}`` — the dashboard's quiet pairings the reader may see (fixed
number of queries).
``{% organisation_commitments_block organisation %}`` — an organisation's open and overdue
commitments, for its page.
"""

from django import template

register = template.Library()


@register.inclusion_tag("twinning/_quiet_pairings.html", takes_context=True)
def quiet_pairings_block(context, limit: int = 5):
    """Only the pairings the reader may see (a community member: its own place's)."""
    from civicbridge.twinning.selectors import quiet_pairings

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"quiet": quiet_pairings(limit, user=user)}


@register.inclusion_tag("twinning/_organisation_commitments.html")
def organisation_commitments_block(organisation):
    from civicbridge.twinning.selectors import organisation_commitments

    return {"oc": organisation_commitments(organisation)}
