"""Template filters that show stored content in the reader's script.

``{{ obj|name }}`` shows a named record (place, person, organisation) in the reader's
script using its stored pair; ``{{ text|script }}`` converts free text.
"""

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


@register.filter(name="href")
def href_filter(obj) -> str:
    """The URL of a record's page (its model's ``get_absolute_url``), or "" when it has
    none: ``{{ place|href }}``."""
    if obj is None or getattr(obj, "pk", None) is None:
        return ""
    get_absolute_url = getattr(obj, "get_absolute_url", None)
    return get_absolute_url() if get_absolute_url else ""


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
