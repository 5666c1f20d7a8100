"""The news brief (新闻稿): a draft report in Chinese built from the record.

Built from the data and a template, in the manner of the seed report: headline; lead
(date, who, how many, where); a section per group (host district, leader, site visits,
forum theme, topics, officials by title, appointments); closing.

The template is written in Simplified Chinese. Names of people, places and organisations
go into it as placeholders and are put back after the script conversion, each in the
spelling its record stores for that script, so OpenCC never touches a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.template.loader import render_to_string

from civicbridge.core import hans_hant
from civicbridge.directory.models import LEAF_KINDS, Place, within
from civicbridge.documents import places, selectors
from civicbridge.documents.text import local, normalise_script, part_of_day
from civicbridge.exchanges.models import (
    ActivityKind,
    Exchange,
    ExchangeOrganisation,
    Gift,
    Group,
    MemberRole,
    Side,
)
from civicbridge.forums.models import Forum, Speaker, TopicMention
from civicbridge.pairings.models import Appointment, Commitment

_SLOT = re.compile("\ue000(\\d+)\ue001")

VISIT_KINDS = (ActivityKind.SITE_VISIT, ActivityKind.CULTURAL_VISIT, ActivityKind.PERFORMANCE)
VISIT_VERBS = (
    "参观",
    "考察",
    "观看",
    "观摩",
    "走访",
    "浏览",
    "游览",
    "观赏",
    "了解",
    "实地",
    "参访",
    "与",
    "到",
)
ACTIVITY_WORDS = ("考察", "参观", "交流", "座谈", "参访")


class Names:
    """Placeholders for names: ``slot(text_hans, text_hant)`` returns a token that survives
    script conversion and is replaced by the name in the brief's script at the end."""

    def __init__(self, which: str):
        self.which = which
        self.values: list[str] = []
        self.tokens: dict[str, str] = {}

    def slot(self, hans: str, hant: str | None = None) -> str:
        value = hant if (self.which == hans_hant.HANT and hant) else hans
        if not value:
            return ""
        if value not in self.tokens:
            self.values.append(value)
            self.tokens[value] = f"\ue000{len(self.values) - 1}\ue001"
        return self.tokens[value]

    def title(self, title_hans: str) -> str:
        """A title (里长, 主任) in the brief's script, converted as a name (里 stays 里)."""
        return self.slot(title_hans, hans_hant.convert_name(title_hans, hans_hant.HANT))

    def li_chief(self, place) -> str:
        """北投区大屯里里长."""
        return self.place(place, top="district") + self.title("里长")

    def named(self, obj) -> str:
        if obj is None:
            return ""
        if hasattr(obj, "display_name_in"):
            return self.slot(
                obj.display_name_in(hans_hant.HANS), obj.display_name_in(hans_hant.HANT)
            )
        return self.slot(obj.name_in(hans_hant.HANS), obj.name_in(hans_hant.HANT))

    def place(self, place, top="city") -> str:
        if place is None:
            return ""
        return self.slot(
            places.label(place, hans_hant.HANS, top=top),
            places.label(place, hans_hant.HANT, top=top),
        )

    def fill(self, text: str) -> str:
        return _SLOT.sub(lambda m: self.values[int(m.group(1))], text)


def _join(items, sep="、") -> str:
    items = [i for i in items if i]
    return sep.join(dict.fromkeys(items))


def _month_day(day) -> str:
    return f"{day.month}月{day.day}日"


@dataclass
class GroupSection:
    heading: str
    headline: str
    when: str
    leader: str
    group_name: str
    headcount: int | None
    visits: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)
    forum_where: str = ""
    forum_theme: str = ""
    topics: list[str] = field(default_factory=list)
    speakers_visiting: list[str] = field(default_factory=list)
    speakers_host: list[str] = field(default_factory=list)
    officials: list[str] = field(default_factory=list)
    appointments: list[str] = field(default_factory=list)
    gifts: bool = False
    outcomes: list[str] = field(default_factory=list)


def _person_with_title(names: Names, person, title_hans: str, org=None) -> str:
    """<organisation><title><name>, as Chinese news writes people."""
    prefix = (names.named(org) if org is not None else "") + (
        names.title(title_hans) if title_hans else ""
    )
    return prefix + names.named(person)


def _member_label(names: Names, member) -> str:
    if member is None:
        return ""
    if member.title:
        return _person_with_title(names, member.person, member.title, member.organisation)
    if member.home_place is not None:
        return names.li_chief(member.home_place) + names.named(member.person)
    return names.named(member.person)


def _official(names: Names, person, day, title: str = "", *, titles: selectors.Titles) -> str:
    if title:
        return names.title(title) + names.named(person)
    hans = titles.of(person, day, hans_hant.HANS)
    hant = titles.of(person, day, hans_hant.HANT)
    return (names.slot(hans, hant) if hans else "") + names.named(person)


def _visiting_speaker(names: Names, read: _Read, speaker, day) -> str:
    """A visiting speaker as the report names them: 北投区大屯里里长勤荣辉."""
    if speaker.person is None:
        return _body_speaker(names, speaker)
    member = read.member_of.get(speaker.person_id)
    if member is not None and member.home_place is not None:
        return names.li_chief(member.home_place) + names.named(speaker.person)
    return _official(names, speaker.person, day, speaker.title, titles=read.titles)


def _body_speaker(names: Names, speaker) -> str:
    """A speaker known only as a community or an office: its name, or its title when the
    title already says who it is (石景山区台办主任)."""
    body = speaker.place or speaker.organisation
    if body is None:
        return names.title(speaker.title)
    shown = body.display_name_in(hans_hant.HANS) if hasattr(body, "display_name_in") else body.name
    if speaker.title and (shown in speaker.title or body.name in speaker.title):
        return names.title(speaker.title)
    if speaker.place is not None:
        return names.named(body)
    return names.named(body) + (names.title(speaker.title) if speaker.title else "")


def _visit_phrase(names: Names, activity) -> str:
    title = activity.title.strip()
    if title.startswith(VISIT_VERBS):
        return title
    if any(word in title for word in ACTIVITY_WORDS):
        return "到" + title
    return "参观" + title


@dataclass
class _Read:
    """What the sections of a brief read, in a fixed number of queries for all the groups:
    the activities, their forums, the hosts' and speakers' titles, the members who speak,
    the appointments, the activities with gifts, and the parents of every place named."""

    activities: list
    forums: list
    titles: selectors.Titles
    member_of: dict
    appointments: list
    gift_activities: set


def _read(exchange: Exchange, groups, day, extra_places) -> _Read:
    acts = list(selectors.activities(exchange))
    forums = list(
        Forum.objects.filter(activity__in=acts)
        .select_related("activity", "activity__place")
        .prefetch_related(
            Prefetch("topic_mentions", queryset=TopicMention.objects.select_related("topic")),
            Prefetch(
                "activity__speakers",
                queryset=Speaker.objects.select_related("person", "organisation", "place"),
            ),
            "outcomes",
        )
    )
    speakers = [sp for forum in forums for sp in forum.activity.speakers.all()]
    people = {h for a in acts for h in a.hosts.all()} | {
        sp.person for sp in speakers if sp.person is not None
    }
    member_of: dict = {}
    if any(sp.side == Side.VISITING and sp.person_id for sp in speakers):
        members = exchange.members.select_related("home_place")
        if not members.ordered:
            members = members.order_by("pk")
        for member in members:
            member_of.setdefault(member.person_id, member)
    appointments = list(
        Appointment.objects.alive()
        .filter(
            within([g.host_place for g in groups if g.host_place_id], field="community"),
            exchange=exchange,
        )
        .select_related("person", "community", "community__parent", "person_place")
        .order_by("appointed_on", "certificate_number", "id")
    )
    places.prime(
        [
            *extra_places,
            *(ap.community for ap in appointments),
            *(ap.person_place for ap in appointments),
            *(m.home_place for m in member_of.values()),
        ]
    )
    gift_activities = set(
        Gift.objects.filter(exchange=exchange, activity__in=acts).values_list(
            "activity_id", flat=True
        )
    )
    return _Read(
        activities=acts,
        forums=forums,
        titles=selectors.Titles(people, [day]),
        member_of=member_of,
        appointments=appointments,
        gift_activities=gift_activities,
    )


def _within(place, host) -> bool:
    """``place`` is ``host`` or lies below it (directory's ``within``, for places read)."""
    if host.kind in LEAF_KINDS:
        return place.pk == host.pk
    return place.path.startswith(host.path)


def _group_section(
    names: Names, exchange: Exchange, group: Group, day, read: _Read
) -> GroupSection:
    zone = exchange.timezone
    acts = [a for a in read.activities if group in a.groups.all()]
    first = local(acts[0].starts_at, zone) if acts else None
    when = _month_day(first.date() if first else exchange.start_date)
    if first is not None and acts[0].time_precision != "day":
        when += part_of_day(first)
    headcount = group.declared_headcount or group.member_count or None
    section = GroupSection(
        heading=names.named(group.host_place) or group.name,
        headline=group.headline,
        when=when,
        leader=_member_label(names, group.leader) if group.leader_id else "",
        group_name=group.name,
        headcount=headcount,
    )
    for a in acts:
        if a.kind in VISIT_KINDS:
            section.visits.append(_visit_phrase(names, a))
        elif a.kind == ActivityKind.MEETING:
            section.meetings.append(_visit_phrase(names, a))
    officials: dict[int, str] = {}
    ids = {a.pk for a in acts}
    for forum in (f for f in read.forums if f.activity_id in ids):
        if not section.forum_theme:
            section.forum_theme = forum.theme
            section.forum_where = names.named(forum.activity.place) if forum.activity.place else ""
        for mention in forum.topic_mentions.all():
            section.topics.append(mention.wording or mention.topic.name_hans)
        for sp in forum.activity.speakers.all():
            if sp.side == Side.VISITING:
                section.speakers_visiting.append(_visiting_speaker(names, read, sp, day))
                continue
            if sp.person is not None:
                label = _official(names, sp.person, day, sp.title, titles=read.titles)
                officials.setdefault(sp.person.pk, label)
            else:
                label = _body_speaker(names, sp)
            section.speakers_host.append(label)
        section.outcomes += [o.text for o in forum.outcomes.all()]
    for a in acts:
        for host in a.hosts.all():
            officials.setdefault(host.pk, _official(names, host, day, titles=read.titles))
    section.speakers_host = list(dict.fromkeys(section.speakers_host))
    section.speakers_visiting = list(dict.fromkeys(section.speakers_visiting))
    section.officials = [o for o in officials.values() if o]
    hosted = read.appointments if group.host_place_id else []
    for ap in (a for a in hosted if _within(a.community, group.host_place)):
        who = (names.li_chief(ap.person_place) if ap.person_place else "") + names.named(ap.person)
        street = places.street_of(ap.community)
        community = (names.named(street) if street else "") + names.named(ap.community)
        section.appointments.append(f"{community}聘请{who}为{ap.title or '荣誉主任'}")
    section.gifts = bool(ids & read.gift_activities)
    return section


def _delegation_leader(exchange: Exchange):
    leaders = exchange.members.filter(role=MemberRole.LEADER).select_related(
        "person", "organisation", "home_place"
    )
    return leaders.filter(group__isnull=True).first() or leaders.order_by("order", "id").first()


def brief_context(exchange: Exchange, which: str) -> tuple[dict, Names]:
    names = Names(which)
    groups = list(
        exchange.groups.select_related(
            "host_place", "leader", "leader__person", "leader__organisation", "leader__home_place"
        )
        .annotate(member_count=Count("members"))
        .order_by("order", "id")
    )
    districts = [names.named(g.host_place) for g in groups if g.host_place_id]
    escorts = ExchangeOrganisation.objects.filter(exchange=exchange).select_related("organisation")
    if escorts.filter(role=ExchangeOrganisation.Role.ESCORT).exists():
        escorts = escorts.filter(role=ExchangeOrganisation.Role.ESCORT)
    leader = _delegation_leader(exchange)
    read = _read(
        exchange,
        groups,
        exchange.start_date,
        [exchange.host_place, leader.home_place if leader else None]
        + [g.leader.home_place for g in groups if g.leader_id],
    )
    host_city = places.city_of(exchange.host_place) or exchange.host_place
    forums = Forum.objects.filter(activity__exchange=exchange).count()
    sections = [_group_section(names, exchange, g, exchange.start_date, read) for g in groups]
    commitments = list(Commitment.objects.filter(exchange=exchange).values_list("title", flat=True))
    headcount = exchange.declared_headcount or exchange.members.filter(side=Side.VISITING).count()
    context = {
        "exchange": exchange,
        "date": _month_day(exchange.start_date),
        "visiting": names.named(exchange.visiting_organisation)
        or names.slot(
            hans_hant.convert_text(exchange.delegation_name, hans_hant.HANS),
            hans_hant.convert_text(exchange.delegation_name, hans_hant.HANT),
        ),
        "leader": _member_label(names, leader) if leader else "",
        "headcount": headcount,
        "escorts": _join(names.named(e.organisation) for e in escorts),
        "host_city": names.named(host_city),
        "districts": _join(districts),
        "district_count": len(groups),
        "group_count": len(groups),
        "forum_count": forums,
        "sections": sections,
        "commitments": commitments,
        "headline_districts": _join(districts),
    }
    return context, names


CHINESE_COUNTS = "零一两三四五六七八九十"


def _count(n: int) -> str:
    return CHINESE_COUNTS[n] if 0 <= n <= 10 else str(n)


def build_brief(exchange: Exchange, which: str | None = None) -> str:
    """The draft news brief of ``exchange`` as plain text in script ``which``."""
    which = normalise_script(which) if which else "hans"
    context, names = brief_context(exchange, which)
    context["group_count_cn"] = _count(context["group_count"])
    context["forum_count_cn"] = _count(context["forum_count"])
    text = render_to_string("documents/brief.txt", context)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    if which == hans_hant.HANT:
        text = hans_hant.convert_text(text, hans_hant.HANT)
    return names.fill(text)


def place_label(place: Place, which: str) -> str:
    return places.label(place, which)
