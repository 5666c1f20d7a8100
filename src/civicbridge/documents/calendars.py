"""Calendars (.ics) per exchange, per group and per person.

Every event has a stable UID (activity-<id>@civicbridge) and a SEQUENCE: the number of
published releases of the programme in which the activity changed, plus one while it has
changes not yet published (releases.selectors.sequences), so a calendar program replaces the
old event when an activity changes.
Times are written in the exchange's zone with its VTIMEZONE included.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from civicbridge.core.part_of_day import part_of_activity_chinese
from civicbridge.directory.models import Person
from civicbridge.documents import places, selectors
from civicbridge.documents.text import conv, normalise_script
from civicbridge.exchanges.models import Activity, Exchange, Group, TimePrecision
from civicbridge.releases import selectors as releases

UID_DOMAIN = "civicbridge"
PRODID = "-//CivicBridge//Documents//ZH"


def uid_of(activity: Activity) -> str:
    return f"activity-{activity.pk}@{UID_DOMAIN}"


def _event(activity: Activity, which: str, sequence: int = 0):
    from icalendar import Event  # noqa: PLC0415 (heavy)

    zone_name = activity.exchange.timezone
    zone = ZoneInfo(zone_name)
    start = activity.starts_at.astimezone(zone)
    end = activity.ends_at.astimezone(zone)
    event = Event()
    event.add("uid", uid_of(activity))
    event.add("sequence", sequence)
    event.add("dtstamp", activity.updated_at.astimezone(dt.UTC))
    event.add("last-modified", activity.updated_at.astimezone(dt.UTC))
    event.add("summary", conv(activity.title, which))
    lines = []
    if activity.time_precision == TimePrecision.DAY:
        event.add("dtstart", start.date())
        event.add("dtend", end.date() + dt.timedelta(days=1))
    else:
        event.add("dtstart", start)
        event.add("dtend", end if end > start else start + dt.timedelta(hours=1))
        if activity.time_precision == TimePrecision.PART_OF_DAY:
            part = part_of_activity_chinese(start, end)
            lines.append(conv(f"时间：{part}（具体时间以当天安排为准）", which))
    where = selectors.where_of(activity, which)
    if where:
        event.add("location", where)
    hosts = [h.name_in(which) for h in activity.hosts.all()]
    if hosts:
        lines.append(conv("接待：", which) + "、".join(hosts))
    groups = [conv(g.name, which) for g in activity.groups.all()]
    if groups:
        lines.append(conv("分组：", which) + "、".join(groups))
    if activity.description:
        lines.append(conv(activity.description, which))
    if lines:
        event.add("description", "\n".join(lines))
    kind = selectors.kind_label(activity)
    if kind:
        event.add("categories", [conv(kind, which)])
    cancelled = "cancelled" in (activity.exchange.status, activity.status)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def build_calendar(name: str, activities, which: str) -> bytes:
    """An iCalendar file of ``activities`` with a VTIMEZONE for every zone they use (an
    activity not yet scheduled has no time: it is left out)."""
    from icalendar import Calendar, Timezone  # noqa: PLC0415 (heavy)

    activities = [a for a in activities if a.starts_at is not None]
    selectors.prime_places(activities)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    zones: dict[str, list[dt.date]] = {}
    for a in activities:
        zones.setdefault(a.exchange.timezone, []).append(a.starts_at.date())
    if len(zones) == 1:
        cal.add("x-wr-timezone", next(iter(zones)))
    for zone_name, dates in sorted(zones.items()):
        first = min(dates) - dt.timedelta(days=366)
        last = max(dates) + dt.timedelta(days=366)
        cal.add_component(Timezone.from_tzid(zone_name, first_date=first, last_date=last))
    sequences = releases.sequences(activities)
    for a in activities:
        cal.add_component(_event(a, which, sequences.get(a.pk, 0)))
    return cal.to_ical()


def _default_exchange_script(exchange: Exchange) -> str:
    return places.script_of_place(exchange.visiting_place) or "hans"


def exchange_calendar(exchange: Exchange, which: str | None = None) -> bytes:
    which = normalise_script(which) if which else _default_exchange_script(exchange)
    return build_calendar(
        conv(exchange.title, which),
        selectors.activities_for(exchange),
        which,
    )


def group_calendar(group: Group, which: str | None = None) -> bytes:
    exchange = group.exchange
    which = normalise_script(which) if which else _default_exchange_script(exchange)
    name = conv(f"{exchange.title} · {group.name}", which)
    return build_calendar(name, selectors.activities_for(exchange, group=group), which)


def person_activities(person: Person, exchange: Exchange | None = None):
    """What ``person`` takes part in (``selectors.activities_for``), in one exchange or in
    all of them."""
    return selectors.activities_for(exchange, person=person)


def person_calendar(
    person: Person, which: str | None = None, *, exchange: Exchange | None = None
) -> bytes:
    which = normalise_script(which) if which else places.script_of_person(person)
    return build_calendar(person.name_in(which), person_activities(person, exchange), which)
