"""The sections of the exchange page, in order. Each is a ``Section``:

- ``key``: a slug; also the HTML id of the section (``id="section-<key>"``) and the anchor
  forms redirect to (``/exchanges/<id>/#section-<key>``).
- ``title``: the section's heading (``<h2>``), a lazy translation.
- ``template``: rendered inside ``<section class="card exchange-section">`` after the
  ``<h2>``; it must not render an ``<h1>`` or its own ``<h2>`` title.
- ``context(request, exchange) -> dict``: the section's own template variables, written by
  the app the section belongs to. Keep the number of queries fixed (select_related /
  prefetch_related): the exchange page has a query-count test. The template also receives
  ``exchange`` (with members, groups and organisations prefetched: use
  ``exchange.members.all`` and ``exchange.groups.all``, no new queries), ``section`` (the
  Section), ``request``, ``user`` and ``can_edit`` (bool: the user may change the exchange,
  ``exchanges.change_exchange``). Narrower rights (a group, an activity, the roster) are
  computed by the section itself (``exchanges.rules.editable_activity_ids``).

To add a section: write its context function and template in its app, and list it below.

Reusable pieces for section forms: ``civicbridge.directory.widgets.LookupField`` /
``LookupMultipleField`` (type-ahead over people, places or organisations),
``templates/exchanges/includes/form.html`` (a form that posts with HTMX and swaps its own
errors in place) and ``responses.form_response`` (the same flow as the other section forms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.template import RequestContext
from django.template.loader import get_template, render_to_string
from django.utils.translation import gettext_lazy as _

from civicbridge.documents.sections import exchange_documents_context
from civicbridge.exchanges import sections as exchange_sections
from civicbridge.forums import sections as forum_sections
from civicbridge.forums.sections import forums_section_context, topics_section_context
from civicbridge.pages.exchange.visit import visit_section_context
from civicbridge.pairings.sections import appointments_context, commitments_context, links_context
from civicbridge.programmes.sections import programmes_section_context
from civicbridge.reports.sections import sources_section_context

ContextFn = Callable[[object, object], dict]


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    template: str
    context: ContextFn | None = field(default=None, compare=False)


SECTIONS: tuple[Section, ...] = (
    Section(
        "overview",
        _("Overview"),
        "exchanges/sections/overview.html",
        exchange_sections.overview_context,
    ),
    Section(
        "roster", _("Roster"), "exchanges/sections/roster.html", exchange_sections.roster_context
    ),
    Section(
        "groups", _("Groups"), "exchanges/sections/groups.html", exchange_sections.groups_context
    ),
    Section(
        "itinerary",
        _("Itinerary"),
        "exchanges/sections/itinerary.html",
        forum_sections.itinerary_context,  # exchanges' itinerary, topics and speakers added
    ),
    Section(
        "statements",
        _("Statements"),
        "exchanges/sections/statements.html",
        exchange_sections.statements_context,
    ),
    Section("forums", _("Forums"), "forums/section.html", forums_section_context),
    Section(
        "topics", _("Topics and speakers"), "forums/topics_section.html", topics_section_context
    ),
    Section(
        "appointments",
        _("Appointments"),
        "pairings/sections/appointments.html",
        appointments_context,
    ),
    Section(
        "links",
        _("Pairings and agreements"),
        "pairings/sections/links.html",
        links_context,
    ),
    Section(
        "visit", _("Running the visit"), "pages/exchange/visit_section.html", visit_section_context
    ),
    Section("gifts", _("Gifts"), "exchanges/sections/gifts.html", exchange_sections.gifts_context),
    Section(
        "photos", _("Photos"), "exchanges/sections/photos.html", exchange_sections.photos_context
    ),
    Section(
        "commitments", _("Commitments"), "pairings/sections/commitments.html", commitments_context
    ),
    Section(
        "programmes",
        _("Programmes and related visits"),
        "programmes/section.html",
        programmes_section_context,
    ),
    Section("sources", _("Sources"), "reports/sources_section.html", sources_section_context),
    Section(
        "documents",
        _("Documents"),
        "documents/sections/exchange_documents.html",
        exchange_documents_context,
    ),
)

_BY_KEY = {section.key: section for section in SECTIONS}


def get_section(key: str) -> Section | None:
    return _BY_KEY.get(key)


def section_context(request, exchange, section: Section, base: dict | None = None) -> dict:
    ctx = dict(base or {})
    ctx.update({"exchange": exchange, "section": section})
    if section.context is not None:
        ctx.update(section.context(request, exchange) or {})
    return ctx


def sections_for(request, exchange, base: dict | None = None) -> list[dict]:
    """Each section with its rendered HTML, in order."""
    contexts = [section_context(request, exchange, section, base) for section in SECTIONS]
    html = render_many(
        request, [(s.template, ctx) for s, ctx in zip(SECTIONS, contexts, strict=True)]
    )
    return [
        {"key": section.key, "title": section.title, "html": text}
        for section, text in zip(SECTIONS, html, strict=True)
    ]


def render_many(request, items: list[tuple[str, dict]]) -> list[str]:
    """``render_to_string(name, ctx, request=request)`` for each ``(name, ctx)``, sharing one
    RequestContext: the context processors run once for all the sections, not once each."""
    if request is None or not items:
        return [render_to_string(name, ctx) for name, ctx in items]
    templates = [get_template(name).template for name, _ctx in items]
    context = RequestContext(request, autoescape=templates[0].engine.autoescape)
    out = []
    with context.bind_template(templates[0]):
        for template, (_name, ctx) in zip(templates, items, strict=True):
            with context.push(ctx):
                out.append(template.render(context))
    return out


def render_section(request, exchange, key: str, base: dict | None = None) -> str:
    section = _BY_KEY[key]
    ctx = section_context(request, exchange, section, base)
    return render_to_string(section.template, ctx, request=request)
