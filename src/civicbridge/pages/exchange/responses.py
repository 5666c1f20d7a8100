"""The form flow of the exchange page's sections.

Forms embedded in the exchange page post with HTMX: an invalid form comes back in place
with its errors next to the fields (and everything typed kept); a valid one re-renders all
sections of the page (so the overview counts, groups and conflict warnings stay in step),
retargeted to ``#exchange-sections`` and scrolled to the section. Without JavaScript the
same URLs work as ordinary pages (a form page, then a redirect to the section)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from civicbridge.core.htmx import is_htmx, retarget
from civicbridge.core.services import StaleVersion
from civicbridge.exchanges.forms import apply_errors
from civicbridge.exchanges.views import can_edit, detail_url, get_exchange, stale_error
from civicbridge.pages.exchange.composition import sections_for

SECTIONS_TARGET = "#exchange-sections"


def page_context(request, exchange) -> dict:
    """What every section's template receives besides its own context."""
    return {"can_edit": can_edit(request.user, exchange), "user": request.user}


def render_sections(request, exchange, *, saved: str = "") -> HttpResponse:
    """All sections of the exchange page, for swapping into ``#exchange-sections``."""
    exchange = get_exchange(exchange.pk)  # fresh, with its prefetches
    html = render_to_string(
        "exchanges/includes/sections.html",
        {
            "exchange": exchange,
            "sections": sections_for(request, exchange, page_context(request, exchange)),
            "saved": saved,
        },
        request=request,
    )
    return HttpResponse(html)


def redirect_or_sections(request, exchange, section: str, saved: str) -> HttpResponse:
    """After a change (a saved form, a remove button): HTMX gets the sections re-rendered
    (scrolled to ``section``), others a redirect to the section with a message."""
    if is_htmx(request):
        return retarget(
            render_sections(request, exchange, saved=saved),
            SECTIONS_TARGET,
            swap=f"innerHTML show:#section-{section}:top",
        )
    messages.success(request, saved)
    return redirect(detail_url(exchange, section))


def form_response(
    request,
    *,
    exchange,
    form,
    title: str,
    action: str,
    section: str,
    perform=None,
    submit_label: str = "",
    field_map: dict | None = None,
    saved_message: str = "",
    multipart: bool = False,
    cancel_section: str = "",
    form_template: str = "exchanges/includes/form.html",
    extra: dict | None = None,
):
    """The common form flow. ``perform(form)`` calls the service; a ValidationError it
    raises is put back on the fields. On success: HTMX requests get every section
    re-rendered into ``#exchange-sections``; others are redirected to the section."""
    if request.method == "POST" and form.is_valid() and perform is not None:
        try:
            perform(form)
        except StaleVersion as exc:
            stale_error(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc, field_map)
        else:
            return redirect_or_sections(request, exchange, section, saved_message or _("Saved."))
    htmx = is_htmx(request)
    context = {
        "exchange": exchange,
        "form": form,
        "title": title,
        "action": action,
        "submit_label": submit_label or _("Save"),
        "multipart": multipart,
        "section": section,
        "cancel_section": cancel_section,
        "form_template": form_template,
        "is_htmx": htmx,
        **(extra or {}),
    }
    if htmx:
        return render(request, form_template, context)
    return render(request, "exchanges/form_page.html", context)
