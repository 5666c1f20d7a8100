"""How an exchange is written in templates: ``{% load exchange_tags %}``.

- ``{{ exchange|exchange_dates }}``: its dates as the sources give them (exact days, a month
  only, 日前, an unknown end), from ``exchanges.dates.dates_label``: the one helper of every
  page (the documents use ``dates_chinese``).
- ``{{ exchange|visitors }}``: who came: the visiting organisation, else the delegation as
  the sources name it, else the visiting place (else "—").
- ``{{ count|headcount:qualifier }}``: 130, at least 130, about 130.
"""

from django import template
from django.utils.translation import gettext as _

from civicbridge.core.templatetags.script import name_filter, script_filter
from civicbridge.exchanges import dates

register = template.Library()


@register.filter(name="exchange_dates")
def exchange_dates(obj, precision: str = ""):
    if obj is None:
        return ""
    return dates.dates_label(obj, precision=precision or None)


@register.filter(name="visitors")
def visitors(exchange):
    if exchange is None:
        return ""
    if exchange.visiting_organisation_id:
        return name_filter(exchange.visiting_organisation)
    if exchange.delegation_name:
        return script_filter(exchange.delegation_name)
    if exchange.visiting_place_id:
        return name_filter(exchange.visiting_place)
    return "—"


@register.filter(name="headcount")
def headcount(count, qualifier: str = "exact"):
    """130 / at least 130 / about 130 (130多人)."""
    if count is None:
        return ""
    if qualifier == "at_least":
        return _("at least %(n)s") % {"n": count}
    if qualifier == "about":
        return _("about %(n)s") % {"n": count}
    return str(count)


@register.inclusion_tag("exchanges/includes/place_labels.html", takes_context=True)
def place_labels(context, place):
    """A place's labels ("北京市首个冬奥社区") for its page, with the add form and the
    remove buttons for those who may label it (exchanges.label_place)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can = bool(user is not None and user.has_perm("exchanges.label_place", place))
    return {
        "place": place,
        "labels": list(place.labels.all()),
        "can_label": can,
        "csrf_token": context.get("csrf_token"),
    }
