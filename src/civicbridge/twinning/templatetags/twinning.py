"""Blocks other pages include: ``{% load twinning %}``.

``{% quiet_pairings_block 5 %}`` — the dashboard's quiet pairings (fixed number of queries).
``{% organisation_commitments_block organisation %}`` — an organisation's open and overdue
commitments, for its page.
"""

from django import template

register = template.Library()


@register.inclusion_tag("twinning/_quiet_pairings.html")
def quiet_pairings_block(limit: int = 5):
    from civicbridge.twinning.selectors import quiet_pairings

    return {"quiet": quiet_pairings(limit)}


@register.inclusion_tag("twinning/_organisation_commitments.html")
def organisation_commitments_block(organisation):
    from civicbridge.twinning.selectors import organisation_commitments

    return {"oc": organisation_commitments(organisation)}
