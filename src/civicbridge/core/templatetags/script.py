"""Template filters that show stored content in the reader's script.

``{{ obj|name }}`` shows a named record (place, person, organisation) in the reader's
script using its stored pair; ``{{ text|script }}`` converts free text.
"""

from django import template
from django.utils import translation

from civicbridge.core import script as conv

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
