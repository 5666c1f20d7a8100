"""Reads for the documents: the itinerary day by day, organisers' contacts, people's titles."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from civicbridge.core import part_of_day as day_parts
from civicbridge.directory.models import Person, Position
from civicbridge.documents import places
from civicbridge.documents.text import conv, local
from civicbridge.exchanges.models import (
    Activity,
    Exchange,
    ExchangeOrganisation,
    Group,
    Member,
)
from civicbridge.exchanges.personal_data import PersonalView


def activities_for(
    exchange: Exchange | None, *, group: Group | None = None, person: Person | None = None
):
    """The scheduled activities a group or a person takes part in (the whole exchange's
    when neither is given); the one selection of every programme, calendar and brief.

    An activity with no group ticked belongs to the whole delegation (全团): it is the
    group's and every member's too. A group takes part in its own activities and the whole
    delegation's; a person in their group's, the whole delegation's of every exchange they
    are a member of, and those they host or join. Activities not yet scheduled (no day) are
    never included. ``exchange=None`` (with ``person``): across the exchanges not deleted.
    """
    through = Activity.groups.through
    whole_delegation = ~Exists(through.objects.filter(activity_id=OuterRef("pk")))
    if exchange is not None:
        qs = exchange.activities.all()
    else:
        qs = Activity.objects.filter(exchange__deleted_at__isnull=True)
    qs = qs.filter(starts_at__isnull=False)
    if group is not None:
        qs = qs.filter(
            Q(pk__in=through.objects.filter(group=group).values("activity_id"))
            | (Q(exchange_id=group.exchange_id) & whole_delegation)
        )
    if person is not None:
        memberships = Member.objects.filter(person=person)
        qs = qs.filter(
            Q(
                pk__in=through.objects.filter(
                    group_id__in=memberships.filter(group__isnull=False).values("group_id")
                ).values("activity_id")
            )
            | (Q(exchange_id__in=memberships.values("exchange_id")) & whole_delegation)
            | Q(pk__in=Activity.hosts.through.objects.filter(person=person).values("activity_id"))
            | Q(
                pk__in=Activity.participants.through.objects.filter(person=person).values(
                    "activity_id"
                )
            )
        )
    return (
        qs.select_related(
            "exchange",
            "exchange__host_place",
            "exchange__host_place__parent",
            "place",
            "place__parent",
            "place__parent__parent",
            "venue",
            "venue__place",
        )
        .prefetch_related("groups", "hosts", "participants")
        .order_by("starts_at", "order", "id")
    )


def activities(exchange: Exchange, *, group: Group | None = None, person: Person | None = None):
    """Kept for callers not yet moved: ``activities_for``."""
    return activities_for(exchange, group=group, person=person)


def titles_of(person: Person, day: dt.date, which: str) -> str:
    """What a person is, on a day, by their positions: 延庆区委宣传部部长、统战部部长."""
    return Titles([person], [day]).of(person, day, which)


class Titles:
    """What ``people`` are on any of ``days``, by their positions (as ``titles_of``), read
    in one query for all of them: a document's hosts and officials."""

    def __init__(self, people, days):
        ids = {p.pk for p in people}
        days = sorted(set(days))
        self.positions: dict[int, list[Position]] = {}
        if not ids or not days:
            return
        positions = (
            Position.objects.filter(person_id__in=ids)
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=days[-1]))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=days[0]))
            .select_related("organisation", "place")
            .order_by("start_date", "id")
        )
        for p in positions:
            self.positions.setdefault(p.person_id, []).append(p)

    def of(self, person: Person, day: dt.date, which: str) -> str:
        parts = []
        for p in self.positions.get(person.pk, []):
            if (p.start_date is not None and p.start_date > day) or (
                p.end_date is not None and p.end_date < day
            ):
                continue
            where = p.organisation.name_in(which) if p.organisation else ""
            if not where and p.place:
                where = p.place.display_name_in(which)
            parts.append(where + conv(p.title, which))
        return "、".join(dict.fromkeys(parts))


def prime_places(activities) -> None:
    """Read the parents of the activities' places and of their exchanges' host places in
    one query (``where_of``, ``kind_label``), whatever the number of activities."""
    places.prime([a.place for a in activities] + [a.exchange.host_place for a in activities])


def time_label(activity: Activity, zone: str) -> str:
    """The activity's time as the documents write it: the pages' ``time_label``
    (core/part_of_day.py) with the documents' words (上午, 下午, 晚上, 全天)."""
    return day_parts.time_label(activity, zone, words=day_parts.CHINESE)


@dataclass
class Contact:
    name: str
    role: str
    phone: str = ""
    email: str = ""


@dataclass
class Row:
    activity: Activity
    time: str
    title: str
    kind: str
    where: str
    hosts: list[Contact]
    groups: list[str]
    description: str


@dataclass
class Day:
    date: dt.date
    rows: list[Row] = field(default_factory=list)


def where_of(activity: Activity, which: str) -> str:
    parts = []
    if activity.place is not None:
        parts.append(places.label(activity.place, which, top="district"))
    if activity.venue is not None:
        venue = activity.venue.name_in(which)
        if not parts or venue not in parts[0]:
            parts.append(venue)
    return " · ".join(parts)


def programme_days(
    exchange: Exchange,
    which: str,
    *,
    group: Group | None = None,
    person: Person | None = None,
    personal: PersonalView | None = None,
) -> list[Day]:
    """The itinerary day by day. ``personal``: what the reader sees of the hosts' personal
    data (exchanges.personal_data, the programme surface); without it, none."""
    zone = exchange.timezone
    days: OrderedDict[dt.date, Day] = OrderedDict()
    rows = list(activities_for(exchange, group=group, person=person))
    prime_places(rows)
    hosts_of = {h for a in rows for h in a.hosts.all()}
    titles = Titles(hosts_of, [local(a.starts_at, zone).date() for a in rows])
    if personal is not None:
        personal.prime(hosts_of)
    for activity in rows:
        start = local(activity.starts_at, zone)
        day = days.setdefault(start.date(), Day(start.date()))
        hosts = [
            Contact(
                name=h.name_in(which),
                role=titles.of(h, start.date(), which),
                # The programme prints a host's phone only (never the e-mail).
                phone=personal.value(h, "phone") if personal is not None else "",
            )
            for h in activity.hosts.all()
        ]
        day.rows.append(
            Row(
                activity=activity,
                time=time_label(activity, zone),
                title=conv(activity.title, which),
                kind=conv(kind_label(activity), which),
                where=where_of(activity, which),
                hosts=hosts,
                groups=[conv(g.name, which) for g in activity.groups.all()],
                description=conv(activity.description, which),
            )
        )
    return list(days.values())


# Activity kinds as a Chinese programme writes them (document text, not UI).
KIND_LABELS = {
    "site_visit": "参观考察",
    "meeting": "座谈交流",
    "forum": "京台社区大讲堂",
    "ceremony": "仪式",
    "performance": "展演",
    "cultural_visit": "参观",
    "meal": "用餐",
    "travel": "乘车",
}
# A forum is a 京台社区大讲堂 when Beijing hosts; elsewhere the cross-Strait name.
FORUM_LABEL_BEIJING = "京台社区大讲堂"
FORUM_LABEL = "两岸社区大讲堂"


def kind_label(activity) -> str:
    """How a Chinese programme names the activity's kind; the forum's name keys on the
    place that hosts the exchange, not on a fixed pair of cities."""
    if activity.kind != "forum":
        return KIND_LABELS.get(activity.kind, "")
    host = activity.exchange.host_place
    top = places.ancestors(host)[0] if host is not None else None
    in_beijing = top is not None and (top.code == "11" or top.name_hans == "北京市")
    return FORUM_LABEL_BEIJING if in_beijing else FORUM_LABEL


def organiser_contacts(
    exchange: Exchange,
    which: str,
    *,
    group: Group | None = None,
    personal: PersonalView | None = None,
):
    """People holding positions in the exchange's host/escort/co-organising organisations
    (and the group's host organisation) on the first day, with the phone and e-mail the
    reader may see (``personal``; without it, nobody is listed)."""
    if personal is None:
        return []
    orgs = list(
        ExchangeOrganisation.objects.filter(exchange=exchange)
        .order_by("role", "order", "id")
        .values_list("organisation_id", flat=True)
    )
    groups = [group] if group is not None else list(exchange.groups.all())
    orgs += [g.host_organisation_id for g in groups if g.host_organisation_id]
    orgs = list(dict.fromkeys(orgs))
    positions = (
        Position.objects.on(exchange.start_date)
        .filter(organisation_id__in=orgs, person__deleted_at__isnull=True)
        .select_related("person", "organisation")
        .order_by("organisation_id", "id")
    )
    positions = list(positions)
    personal.prime({p.person for p in positions})
    contacts = []
    for p in positions:
        person = p.person
        phone, email = personal.value(person, "phone"), personal.value(person, "email")
        if not (phone or email):
            continue
        contacts.append(
            Contact(
                name=person.name_in(which),
                role=p.organisation.name_in(which) + conv(p.title, which),
                phone=phone,
                email=email,
            )
        )
    return contacts
