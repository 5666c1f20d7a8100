"""The exchange page's "Programmes and related visits" section: the programmes and series the
exchange belongs to, the figures reported with it, and its links to other visits, both ways
(a return visit shows on the trip it returns as "returned by"). What its template
(``programmes/section.html``) is given; the views that write into it are in the page tier
(``civicbridge/pages/exchange/programmes.py``).

Permissions: every write here is ``programmes.link_exchange`` on the exchange (the
exchange's own edit right), so the section's forms are shown to those only."""

from __future__ import annotations

from django.urls import reverse

from civicbridge.programmes import selectors

# How a link reads from the other exchange's page.
REVERSE_LABELS = {
    "return_visit": "returned_by",
    "follow_up": "followed_up_by",
    "earlier": "mentioned_by",
    "later": "planned_by",
}


def programmes_section_context(request, exchange) -> dict:
    own, incoming = selectors.exchange_links(exchange)
    programmes = selectors.exchange_programmes(exchange)
    can_link = request.user.has_perm("programmes.link_exchange", exchange)
    figures = list(exchange.programme_figures.select_related("programme").order_by("id"))
    for link in own:
        link.remove_url = reverse("exchanges:link_remove", args=[exchange.pk, link.pk])
    for programme in programmes:
        programme.leave_url = reverse("exchanges:programme_leave", args=[exchange.pk, programme.pk])
    return {
        "programmes": programmes,
        "programme_figures": figures,
        "links": own,
        "linked_from": [{"link": link, "as": REVERSE_LABELS[link.kind]} for link in incoming],
        "can_link": can_link,
        "join_url": reverse("exchanges:programme_join", args=[exchange.pk]),
        "link_url": reverse("exchanges:link_add", args=[exchange.pk]),
        "can_add_figure": can_link and request.user.has_perm("programmes.add_figure"),
        "figure_url": reverse("exchanges:programme_figure_add", args=[exchange.pk]),
    }
