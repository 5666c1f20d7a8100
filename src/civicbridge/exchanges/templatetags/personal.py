"""Personal data in templates: ``{% load personal %}`` then ``{{ person|personal:"phone" }}``.

Shows the value to a reader allowed to see that field of that person
(exchanges.personal_data.personal_field_visible, the page surface) and "••• (hidden)" to anyone
else. The reader is the user of the request being served (set by ``AuditContextMiddleware``);
outside a request (a command rendering a document) nobody is allowed, so documents built
without a reader never carry personal data."""

from django import template
from django.utils.translation import gettext as _

from civicbridge.accounts.audit import current_user
from civicbridge.exchanges.personal_data import personal_field_visible, personal_fields

register = template.Library()

HIDDEN = "••• ({})"


def hidden_text() -> str:
    return HIDDEN.format(_("hidden"))


@register.filter
def personal(person, field_name: str):
    """The value of a personal field of ``person`` (a Person, or anything with ``.person``,
    such as a Member) when the reader may see it; otherwise a placeholder. A date of birth
    is given as YYYY-MM-DD."""
    target = getattr(person, "person", person)
    if target is None:
        return ""
    if field_name not in type(target).PERSONAL_FIELDS:
        raise template.TemplateSyntaxError(f"{field_name} is not a personal field")
    value = getattr(target, field_name)
    if personal_field_visible(current_user(), target, field_name):
        if value is None:
            return ""
        return value.isoformat() if hasattr(value, "isoformat") else value
    return hidden_text() if value else ""


def _reader(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user") or current_user()


@register.simple_tag(takes_context=True)
def personal_visible(context, person):
    """``{% personal_visible person as show %}``: does the reader see every personal field
    recorded for this person?"""
    target = getattr(person, "person", person)
    if target is None:
        return False
    recorded = {f for f in type(target).PERSONAL_FIELDS if getattr(target, f)}
    return recorded <= personal_fields(_reader(context), target)
