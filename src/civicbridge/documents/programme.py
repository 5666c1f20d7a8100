"""Programmes (日程表) per group and for the whole exchange: printable HTML and PDF."""

from __future__ import annotations

from django.template.loader import render_to_string

from civicbridge.documents import fonts, selectors
from civicbridge.documents.places import script_of_place
from civicbridge.documents.text import arabic_date, conv, language_of, normalise_script, weekday
from civicbridge.exchanges import dates as exchange_dates
from civicbridge.exchanges.models import Exchange, Group
from civicbridge.exchanges.personal_data import PersonalView


def programme_context(
    exchange: Exchange,
    which: str | None = None,
    *,
    group: Group | None = None,
    personal: PersonalView | None = None,
) -> dict:
    """``personal``: what the reader sees of hosts' and organisers' phones and e-mail
    (exchanges.personal_data.PersonalView on the programme surface); without it, none."""
    which = normalise_script(which) if which else _default_script(exchange)
    days = selectors.programme_days(exchange, which, group=group, personal=personal)
    contacts = selectors.organiser_contacts(exchange, which, group=group, personal=personal)
    for day in days:
        day.label = f"{arabic_date(day.date)} {conv(weekday(day.date), which)}"
    title = conv(exchange.title, which)
    if group is not None:
        subtitle = conv(group.name, which)
        if group.host_place_id:
            subtitle += " · " + group.host_place.display_name_in(which)
        leader = group.leader.person.name_in(which) if group.leader_id else ""
    else:
        subtitle = ""
        leader = ""
    dates = conv(exchange_dates.dates_chinese(exchange), which)
    return {
        "script": which,
        "lang": language_of(which),
        "exchange": exchange,
        "group": group,
        "heading": conv("日程表", which),
        "title": title,
        "subtitle": subtitle,
        "dates": dates,
        "leader": leader,
        "leader_label": conv("带队", which),
        "days": days,
        "show_contacts": bool(contacts),
        "contacts": contacts,
        "labels": {
            key: conv(value, which)
            for key, value in {
                "time": "时间",
                "activity": "活动",
                "where": "地点",
                "hosts": "接待",
                "groups": "分组",
                "contacts": "联系人",
                "phone": "电话",
                "email": "电子邮件",
                "empty": "暂无日程。",
                "zone": "时间均为当地时间",
            }.items()
        },
        "zone": exchange.timezone,
    }


def _default_script(exchange: Exchange) -> str:
    # A programme is read by the visitors: the visiting side's script.
    return script_of_place(exchange.visiting_place) or "hans"


def programme_html(exchange, which=None, *, group=None, personal=None, for_pdf=False) -> str:
    context = programme_context(exchange, which, group=group, personal=personal)
    context["for_pdf"] = for_pdf
    context["font"] = fonts.font_stack("sans", context["script"]) if for_pdf else ""
    return render_to_string("documents/programme.html", context)


def programme_pdf(exchange, which=None, *, group=None, personal=None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (heavy)

    html = programme_html(exchange, which, group=group, personal=personal, for_pdf=True)
    return HTML(string=html).write_pdf()
