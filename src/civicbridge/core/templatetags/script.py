"""Template filters that show stored content in the reader's script.

``{{ obj|name }}`` shows a named record (place, person, organisation) in the reader's
script using its stored pair; ``{{ text|script }}`` converts free text.
"""

from functools import lru_cache

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html

from civicbridge.core import hans_hant as conv

register = template.Library()


def _reader() -> str:
    return conv.script_of_language(translation.get_language())


@register.filter(name="script")
def script_filter(value):
    if value is None:
        return ""
    return conv.convert_text(str(value), _reader())


@register.filter(name="name")
def name_filter(obj):
    if obj is None:
        return ""
    which = _reader()
    if hasattr(obj, "display_name_in"):
        return obj.display_name_in(which)
    if hasattr(obj, "name_in"):
        return obj.name_in(which)
    return conv.convert_text(str(obj), which)


@register.filter(name="fullname")
def fullname_filter(obj):
    """A place's full official name (not its short name)."""
    if obj is None:
        return ""
    return obj.name_in(_reader()) if hasattr(obj, "name_in") else str(obj)


# --- links to records -------------------------------------------------------------------

# URL names to try for each model, in order; a model whose app has no page yet gets none.
_URL_NAMES = {
    "directory.place": ("directory:place",),
    "directory.person": ("directory:person",),
    "directory.organisation": ("directory:organisation",),
    "exchanges.exchange": ("exchanges:detail", "exchanges:exchange", "exchanges:exchange_detail"),
    "pairings.pairing": ("pairings:detail", "pairings:pairing", "pairings:pairing_detail"),
}


@lru_cache(maxsize=64)
def _url_name_for(label: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in _URL_NAMES.get(label, ()):
        try:
            reverse(name, args=[1])
        except NoReverseMatch:
            continue
        return name
    return None


@register.filter(name="href")
def href_filter(obj) -> str:
    """The URL of a record's page, or "" when it has none: ``{{ place|href }}``."""
    if obj is None or getattr(obj, "pk", None) is None:
        return ""
    from django.urls import reverse

    name = _url_name_for(obj._meta.label_lower)
    return reverse(name, args=[obj.pk]) if name else ""


@register.filter(name="link")
def link_filter(obj):
    """A record's name (in the reader's script) linked to its page when it has one."""
    if obj is None:
        return ""
    if hasattr(obj, "name_in"):
        text = name_filter(obj)
    else:
        text = script_filter(getattr(obj, "title", None) or str(obj))
    url = href_filter(obj)
    if not url:
        return conditional_escape(text)
    return format_html('<a href="{}">{}</a>', url, text)
