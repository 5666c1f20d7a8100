"""HTMX requests and responses: the one home for the ``HX-`` headers.

- ``is_htmx(request)``: the request was made by HTMX (``HX-Request: true``), so the view
  answers with a fragment rather than a whole page.
- ``retarget(response, target, swap=...)``: tell HTMX to put the response somewhere else
  than the element that asked (``HX-Retarget``) and how (``HX-Reswap``), e.g. a form that
  was saved re-renders the whole column of the exchange page.
"""

from __future__ import annotations

from django.http import HttpResponse


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def retarget(response: HttpResponse, target: str, *, swap: str = "") -> HttpResponse:
    """Set ``HX-Retarget`` (a CSS selector) and, when given, ``HX-Reswap`` (a swap
    specification such as ``"innerHTML show:#section-roster:top"``); returns the response."""
    response["HX-Retarget"] = target
    if swap:
        reswap(response, swap)
    return response


def reswap(response: HttpResponse, swap: str) -> HttpResponse:
    """Set ``HX-Reswap``; returns the response."""
    response["HX-Reswap"] = swap
    return response
