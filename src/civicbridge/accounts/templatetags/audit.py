from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def history_url(obj) -> str:
    """``{% load audit %}<a href="{% history_url exchange %}">History</a>``: the audit trail
    of one record."""
    return (
        reverse("accounts:audit")
        + "?"
        + urlencode({"model": obj._meta.label_lower, "object": obj.pk})
    )
