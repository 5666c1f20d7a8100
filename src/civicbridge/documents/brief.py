"""The news brief (新闻稿), written from the record as a newsroom would write it.

A headline; a dateline and a lead (who, how many, when, where); a paragraph per group, or
per day when the delegation keeps together; a paragraph per forum (theme, speakers with
their titles, topics, outcome); the appointments and agreements in formal wording; what
was said and pledged; a closing. Either direction (a Taipei association in Beijing
districts, a mainland delegation at a Taiwan li), with or without groups, any cities.

The brief is written in Simplified Chinese and converted whole to Traditional when asked.
Names of people, places and organisations go into it as placeholders and are put back after
the conversion, each in the spelling its record stores for that script, so OpenCC never
touches a name. ``paragraphs_of`` splits a stored brief back into its headline and
paragraphs for the Word and PDF exports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.template.loader import render_to_string

from civicbridge.core import hans_hant
from civicbridge.directory.models import LEAF_KINDS, Place, PlaceKind
from civicbridge.documents import fonts, places, selectors
from civicbridge.documents.models import NewsBrief
from civicbridge.documents.text import local, normalise_script, part_of_day
from civicbridge.exchanges.models import (
    ActivityKind,
    DatePrecision,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    Gift,
    HeadcountQualifier,
    MemberRole,
    Side,
    Statement,
    StatementKind,
)
from civicbridge.forums.models import Forum, Speaker, TopicMention
from civicbridge.pairings.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
    Appointment,
    Commitment,
)

_SLOT = re.compile("\ue000(\\d+)\ue001")

VISIT_KINDS = (
    ActivityKind.SITE_VISIT,
    ActivityKind.CULTURAL_VISIT,
    ActivityKind.PERFORMANCE,
    ActivityKind.WALK,
    ActivityKind.WORKSHOP,
    ActivityKind.VOLUNTEERING,
    ActivityKind.SPORT,
    ActivityKind.CONTEST,
)
# Kinds the brief does not narrate: the meal, the bus, the arrival.
QUIET_KINDS = (ActivityKind.MEAL, ActivityKind.TRAVEL, ActivityKind.ARRIVAL)
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
    "参加",
    "出席",
    "举行",
    "举办",
    "与",
    "到",
    "赴",
)
ACTIVITY_WORDS = ("考察", "参观", "交流", "座谈", "参访")
DELEGATION_NOUNS = ("参访团", "交流团", "代表团", "考察团", "访问团", "参访组", "团")


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
        return self.slot(
            hans_hant.convert_name(title_hans, hans_hant.HANS),
            hans_hant.convert_name(title_hans, hans_hant.HANT),
        )

    def text(self, text: str) -> str:
        """Free text of the record (a delegation's name, a theme): kept as written."""
        if not text:
            return ""
        return self.slot(
            hans_hant.convert_text(text, hans_hant.HANS),
            hans_hant.convert_text(text, hans_hant.HANT),
        )

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


def _span(start: dt.date, end: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    """4月22日, 4月22日至23日, 4月30日至5月2日; 7月 for a month; 日前 when approximate."""
    if precision == DatePrecision.MONTH:
        return f"{start.month}月"
    if precision == DatePrecision.BEFORE:
        return "日前"
    if end is None or end == start:
        return _month_day(start)
    if end.month == start.month:
        return f"{_month_day(start)}至{end.day}日"
    return f"{_month_day(start)}至{_month_day(end)}"


def _headcount(n: int | None, qualifier: str) -> str:
    if not n:
        return ""
    if qualifier == HeadcountQualifier.ABOUT:
        return f"{n}余人"
    if qualifier == HeadcountQualifier.AT_LEAST:
        return f"不少于{n}人"
    return f"{n}人"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？”" else text + "。"


# --- people as news writes them ----------------------------------------------------------


def _strip_prefix(title: str, *names_hans: str) -> str:
    for name in names_hans:
        if name and title.startswith(name):
            return title[len(name) :].lstrip("、，")
    return title


def _member_label(names: Names, member, *, skip_org=None) -> str:
    """<organisation><title><name>: the organisation once (not when the title already
    starts with it, nor when the sentence has just named it: ``skip_org``)."""
    if member is None:
        return ""
    person = names.named(member.person)
    if member.title:
        org = member.organisation
        title = member.title
        if org is not None:
            title = _strip_prefix(title, org.name_in(hans_hant.HANS), org.name)
        shown_org = (
            names.named(org)
            if org is not None and (skip_org is None or org.pk != skip_org.pk)
            else ""
        )
        li = ""
        if _is_li(member.home_place) and "里长" not in hans_hant.convert_name(title, "hans"):
            li = "、" + names.named(member.home_place) + names.title("里长")
        return shown_org + names.title(title) + li + person
    if _is_li(member.home_place):
        return names.li_chief(member.home_place) + person
    return person


def _is_li(place) -> bool:
    return place is not None and place.kind == PlaceKind.LI


def _official(names: Names, person, day, title: str = "", *, titles: selectors.Titles) -> str:
    if title:
        return names.title(title) + names.named(person)
    hans = titles.of(person, day, hans_hant.HANS)
    hant = titles.of(person, day, hans_hant.HANT)
    return (names.slot(hans, hant) if hans else "") + names.named(person)


def _body_speaker(names: Names, speaker) -> str:
    """A speaker known only as a community or an office: its name, or its title when the
    title already says who it is (石景山区台办主任)."""
    body = speaker.place or speaker.organisation
    if body is None:
        return names.title(speaker.title)
    shown = body.display_name_in(hans_hant.HANS) if hasattr(body, "display_name_in") else body.name
    if speaker.title and (shown in speaker.title or body.name in speaker.title):
        return names.title(speaker.title)
    return names.named(body) + (names.title(speaker.title) if speaker.title else "")


def _speaker(names: Names, read: _Read, speaker, day) -> str:
    if speaker.person is None:
        return _body_speaker(names, speaker)
    member = read.member_of.get(speaker.person_id)
    if speaker.side == Side.VISITING and member is not None and _is_li(member.home_place):
        # 北投区大屯里里长勤荣辉, as the report names a visiting li chief
        return names.li_chief(member.home_place) + names.named(speaker.person)
    if not speaker.title and member is not None and member.title:
        return _member_label(names, member)
    return _official(names, speaker.person, day, speaker.title, titles=read.titles)


def _forum_title(activity, theme: str = "") -> str:
    """The forum's name without its theme: 京台社区大讲堂 (of 京台社区大讲堂走进海淀谱新章)."""
    title = activity.title.strip().rstrip("。")
    if theme and theme in title and title != theme:
        title = title.replace(theme, "").strip(" ：:—-·（）()")
    return title


def _phrase(activity, theme: str = "") -> str:
    """What the delegation did, as a verb phrase: 参观植物科普馆, 到龙泉务村考察."""
    title = _forum_title(activity, theme)
    if title.startswith(VISIT_VERBS):
        return title
    if activity.kind in (ActivityKind.FORUM, ActivityKind.CEREMONY, ActivityKind.SIGNING):
        return "出席" + title
    if any(w in title for w in ACTIVITY_WORDS):
        return "到" + title
    if activity.kind == ActivityKind.MEETING:
        return "参加" + title
    return "参观" + title


JOINED_VERBS = ("参观", "出席", "参加", "观看")


def _phrases(phrases) -> str:
    """参观A、B，出席C和D: one verb for what follows it with the same verb."""
    out = ""
    last = ""
    for phrase in phrases:
        verb = next((v for v in JOINED_VERBS if phrase.startswith(v)), "")
        if verb and verb == last:
            out += "、" + phrase[len(verb) :]
        else:
            out += ("，" if out else "") + phrase
        last = verb
    return out


def _delegation_noun(exchange: Exchange) -> str:
    """What the brief calls the delegation after the lead: 参访团, 代表团, 交流团."""
    name = exchange.delegation_name
    for noun in DELEGATION_NOUNS:
        if name.endswith(noun) and len(noun) > 1:
            return noun
    return "参访团"


# --- what the brief reads, in bulk --------------------------------------------------------


@dataclass
class _Read:
    activities: list
    forums: dict
    titles: selectors.Titles
    member_of: dict
    appointments: list
    agreements: list
    statements: list
    commitments: list
    gift_activities: set
    host_places: list


def _read(exchange: Exchange, groups, members, extra_places) -> _Read:
    acts = list(selectors.activities_for(exchange))
    forums = {
        f.activity_id: f
        for f in Forum.objects.filter(activity__in=acts)
        .select_related("activity", "activity__place")
        .prefetch_related(
            Prefetch("topic_mentions", queryset=TopicMention.objects.select_related("topic")),
            Prefetch(
                "activity__speakers",
                queryset=Speaker.objects.select_related("person", "organisation", "place"),
            ),
            "outcomes",
        )
    }
    speakers = [sp for forum in forums.values() for sp in forum.activity.speakers.all()]
    member_of: dict = {}
    for member in members:
        member_of.setdefault(member.person_id, member)
    people = {h for a in acts for h in a.hosts.all()} | {
        sp.person for sp in speakers if sp.person is not None
    }
    appointments = list(
        Appointment.objects.alive()
        .filter(exchange=exchange)
        .select_related("person", "community", "community__parent", "person_place")
        .order_by("appointed_on", "certificate_number", "id")
    )
    agreements = list(
        Agreement.objects.filter(exchange=exchange)
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("place", "organisation"),
            ),
            Prefetch("signatories", queryset=AgreementSignatory.objects.select_related("person")),
        )
        .order_by("signed_on", "id")
    )
    statements = list(
        Statement.objects.filter(exchange=exchange)
        .select_related("person", "organisation")
        .order_by("order", "id")
    )
    # further host places: named in the lead when no group names where it went
    host_places = []
    if not any(g.host_place_id for g in groups):
        host_places = [
            ep.place
            for ep in ExchangePlace.objects.filter(
                exchange=exchange, role=ExchangePlace.Role.HOST, place__isnull=False
            )
            .select_related("place")
            .order_by("order", "id")
        ]
    places.prime(
        [
            *extra_places,
            *host_places,
            *(a.place for a in acts),
            *(ap.community for ap in appointments),
            *(ap.person_place for ap in appointments),
            *(m.home_place for m in member_of.values()),
            *(p.place for ag in agreements for p in ag.parties.all()),
        ]
    )
    gift_activities = set(
        Gift.objects.filter(exchange=exchange, activity__in=acts).values_list(
            "activity_id", flat=True
        )
    )
    days = sorted(
        {exchange.start_date, *(local(a.starts_at, exchange.timezone).date() for a in acts)}
    )
    return _Read(
        activities=acts,
        forums=forums,
        titles=selectors.Titles(people, days),
        member_of=member_of,
        appointments=appointments,
        agreements=agreements,
        statements=statements,
        commitments=list(
            Commitment.objects.filter(exchange=exchange).values_list("title", flat=True)
        ),
        gift_activities=gift_activities,
        host_places=host_places,
    )


def _within(place, host) -> bool:
    if place is None or host is None:
        return False
    if host.kind in LEAF_KINDS:
        return place.pk == host.pk
    return place.path.startswith(host.path)


# --- the brief ---------------------------------------------------------------------------


@dataclass
class Brief:
    headline: str
    paragraphs: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n\n".join([self.headline, *self.paragraphs]) + "\n"


class _Writer:
    def __init__(self, exchange: Exchange, which: str):
        self.exchange = exchange
        self.names = Names(which)
        self.zone = exchange.timezone
        self.groups = list(
            exchange.groups.select_related(
                "host_place",
                "leader",
                "leader__person",
                "leader__organisation",
                "leader__home_place",
            )
            .annotate(member_count=Count("members"))
            .order_by("order", "id")
        )
        self.members = list(
            exchange.members.select_related("person", "organisation", "home_place").order_by(
                "order", "pk"
            )
        )
        self.leader = self._delegation_leader()
        self.noun = _delegation_noun(exchange)
        self.read = _read(
            exchange,
            self.groups,
            self.members,
            [
                exchange.host_place,
                exchange.visiting_place,
                self.leader.home_place if self.leader else None,
                *(g.host_place for g in self.groups),
            ],
        )
        self.acts_by_id = {a.pk: a for a in self.read.activities}

    def _delegation_leader(self):
        leaders = [m for m in self.members if m.role == MemberRole.LEADER]
        whole = [m for m in leaders if m.group_id is None]
        if len(self.groups) > 1 and len(leaders) > 1:
            # several groups' leaders: none of them leads the whole delegation
            return (whole or [None])[0]
        return (whole or leaders or [None])[0]

    # the parts of the brief

    def when(self, activity) -> str:
        moment = local(activity.starts_at, self.zone)
        text = _month_day(moment.date())
        if activity.time_precision != "day":
            text += part_of_day(moment)
        return text

    def visiting_side(self) -> str:
        """台北市方面, 北京市方面: the visiting side's city, or the delegation."""
        city = (
            places.city_of(self.exchange.visiting_place) if self.exchange.visiting_place else None
        )
        return (self.names.named(city) + "方面") if city else self.noun

    def host_side(self) -> str:
        city = places.city_of(self.exchange.host_place) or self.exchange.host_place
        return self.names.named(city) + "方面"

    def delegation(self) -> str:
        """The delegation as the lead names it, its organisation once."""
        ex = self.exchange
        if ex.delegation_name:
            return self.names.text(ex.delegation_name)
        if ex.visiting_organisation is not None:
            return self.names.named(ex.visiting_organisation) + self.noun
        if ex.visiting_place is not None:
            return self.names.place(ex.visiting_place) + self.noun
        return self.noun

    def where(self) -> list:
        """The host places named in the lead: the groups' (in order), the exchange's and
        its further host places otherwise."""
        by_group = [g.host_place for g in self.groups if g.host_place_id]
        found = by_group or [self.exchange.host_place, *self.read.host_places]
        return list({p.pk: p for p in found if p is not None}.values())

    def where_text(self, where) -> str:
        """北京市海淀区、石景山区: the city once, then the places below it."""
        if not where:
            return ""
        cities = {getattr(places.city_of(p), "pk", None) for p in where}
        if len(cities) == 1 and None not in cities:
            city = places.city_of(where[0])
            below = [p for p in where if p.pk != city.pk]
            if not below:
                return self.names.named(city)
            return self.names.named(city) + _join(
                self.names.slot(
                    places.label(p, hans_hant.HANS, top="district"),
                    places.label(p, hans_hant.HANT, top="district"),
                )
                for p in below
            )
        return _join(self.names.place(p) for p in where)

    def headline(self) -> str:
        where = self.where()
        if self.groups and len(where) > 1:
            head_where = _join(self.names.named(p) for p in where)
        else:
            head_where = self.where_text(where)
        return f"{self.delegation()}赴{head_where}参访交流"

    def lead(self) -> str:
        ex, names = self.exchange, self.names
        city = places.city_of(ex.host_place) or ex.host_place
        dateline = f"{names.named(city)}讯　"
        span = _span(ex.start_date, ex.end_date, ex.date_precision)
        year = f"{ex.start_date.year}年" if ex.date_precision != DatePrecision.BEFORE else ""
        who = self.delegation()
        leader = ""
        if self.leader is not None:
            leader = _member_label(names, self.leader, skip_org=None)
            if ex.visiting_organisation is not None and not ex.delegation_name:
                # 由台北市里长联谊会总会会长李祖民率领的参访团: the organisation once.
                org = self.leader.organisation
                if org is not None and org.pk == ex.visiting_organisation_id:
                    who = self.noun
        count = _headcount(
            ex.declared_headcount or sum(1 for m in self.members if m.side == Side.VISITING),
            ex.headcount_qualifier,
        )
        text = f"{dateline}{year}{span}，"
        text += f"由{leader}率领的{who}" if leader else who
        text += f"一行{count}" if count else "一行"
        where = self.where_text(self.where())
        days = (ex.end_date - ex.start_date).days + 1 if ex.end_date else 1
        if days > 1 and ex.date_precision == DatePrecision.DAY:
            text += f"来到{where}，开展为期{_count(days)}天的参访交流。"
        else:
            text += f"来到{where}参访交流。"
        escorts = ExchangeOrganisation.objects.filter(
            exchange=ex, role=ExchangeOrganisation.Role.ESCORT
        ).select_related("organisation")
        escort_names = _join(names.named(e.organisation) for e in escorts)
        if escort_names:
            text += f"{escort_names}有关负责同志陪同参访。"
        if len(self.groups) > 1:
            spread = _join(names.named(g.host_place) for g in self.groups if g.host_place_id)
            text += f"{self.noun}分为{_count(len(self.groups))}个组"
            text += f"，分赴{spread}" if spread else ""
            text += "开展参访交流。"
        return text

    def _acts_of(self, group):
        """``selectors.activities_for(exchange, group=group)``, from the activities read once
        (the same rule: the group's own and the whole delegation's)."""
        if group is None:
            return list(self.read.activities)
        return [
            a
            for a in self.read.activities
            if not a.groups.all() or any(g.pk == group.pk for g in a.groups.all())
        ]

    def _theme(self, activity) -> str:
        forum = self.read.forums.get(activity.pk)
        return forum.theme if forum is not None else ""

    def _day_sentences(self, acts, subject: str, arrive: str = "", then: str = "") -> list[str]:
        """One sentence a day: 4月22日上午，参访团来到海淀区，先后参观了…，…。"""
        by_day: dict = {}
        for a in acts:
            if a.kind in QUIET_KINDS:
                continue
            by_day.setdefault(local(a.starts_at, self.zone).date(), []).append(a)
        sentences = []
        for i, (_day, day_acts) in enumerate(sorted(by_day.items())):
            phrases = _phrases(dict.fromkeys(_phrase(a, self._theme(a)) for a in day_acts))
            many = "先后" if len(day_acts) > 1 else ""
            who = subject if i == 0 else (then or self.noun)
            there = f"来到{arrive}，" if arrive and i == 0 else ""
            sentences.append(f"{self.when(day_acts[0])}，{who}{there}{many}{phrases}。")
        return sentences

    def group_paragraph(self, group) -> str:
        names = self.names
        own = [a for a in self._acts_of(group) if a.groups.all()]
        heading = names.named(group.host_place) if group.host_place_id else ""
        leader = _member_label(names, group.leader) if group.leader_id else ""
        label = names.text(group.name)
        # a group of one named member (its leader) is not "一行1人": the count is unknown
        known = group.member_count if group.member_count > 1 else None
        count = _headcount(group.declared_headcount or known, group.headcount_qualifier)
        if leader:
            subject = f"{leader}带领的{label}" if label else f"{leader}一行"
        else:
            subject = label or self.noun
        if count:
            subject += f"一行{count}" if "一行" not in subject else count
        sentences = self._day_sentences(own, subject, heading, then="该组")
        if not sentences and heading:
            sentences = [f"{subject}来到{heading}参访交流。"]
        return "".join(sentences)

    def forum_paragraph(self, forum) -> str:
        names, read = self.names, self.read
        activity = forum.activity
        day = local(activity.starts_at, self.zone).date()
        where = names.named(activity.place) if activity.place_id else ""
        title = _forum_title(activity, forum.theme)
        title = names.text(title) if title else "座谈交流会"
        # the activity as read with its groups (the forum's own copy has none prefetched)
        groups = list(self.acts_by_id.get(activity.pk, activity).groups.all())
        who = "、".join(names.text(g.name) for g in groups) if groups else ""
        text = f"{self.when(activity)}，"
        text += f"以“{names.text(forum.theme)}”为主题的" if forum.theme else ""
        text += f"{title}在{where}举行" if where else f"{title}举行"
        text += f"，{who}参加活动。" if who else "。"
        visiting, hosting = [], []
        for sp in activity.speakers.all():
            label = _speaker(names, read, sp, day)
            (visiting if sp.side == Side.VISITING else hosting).append(label)
        spoke = {sp.person_id for sp in activity.speakers.all() if sp.person_id}
        hosts = self.acts_by_id.get(activity.pk, activity).hosts.all()
        present = _join(
            _official(names, h, day, titles=read.titles) for h in hosts if h.pk not in spoke
        )
        visiting, hosting = _join(visiting), _join(hosting)
        if visiting or hosting:
            said = []
            if visiting:
                said.append(f"{self.visiting_side()}{visiting}")
            if hosting:
                said.append(f"{self.host_side()}{hosting}")
            text += "与".join(said) + "先后发言，介绍了各自社区的工作经验。"
        topics = _join(
            names.text(m.wording or m.topic.name_hans) if m.topic_id else names.text(m.wording)
            for m in forum.topic_mentions.all()
        )
        if topics:
            text += f"双方围绕{topics}等议题进行了深入交流。"
        if present:
            text += f"{present}出席活动。"
        for outcome in forum.outcomes.all():
            text += names.text(_sentence(outcome.text))
        return text

    def appointment_sentences(self, appointments) -> str:
        """田村路街道阜四社区聘请中正区板溪里里长黄国辉、…为荣誉主任，并颁发聘书。"""
        names = self.names
        by: dict = {}
        for ap in appointments:
            street = places.street_of(ap.community)
            community = (names.named(street) if street else "") + names.named(ap.community)
            who = (names.li_chief(ap.person_place) if ap.person_place else "") + names.named(
                ap.person
            )
            by.setdefault((community, ap.title or "荣誉主任"), []).append(who)
        parts = [f"{c}聘请{_join(people)}为{names.title(t)}" for (c, t), people in by.items()]
        return ("；".join(parts) + "，并颁发聘书。") if parts else ""

    def agreement_sentence(self, agreement) -> str:
        names = self.names
        parties = _join(
            (
                names.place(p.place)
                if p.place_id
                else names.named(p.organisation)
                if p.organisation_id
                else names.text(p.wording)
            )
            for p in agreement.parties.all()
        )
        if parties.count("、") == 1:
            parties = parties.replace("、", "与")
        when = f"{_month_day(agreement.signed_on)}，" if agreement.signed_on else ""
        text = f"{when}{parties}正式签署《{names.text(agreement.subject)}》"
        signers = _join(
            (names.title(s.title) if s.title else "")
            + (names.named(s.person) if s.person_id else names.text(s.wording))
            for s in agreement.signatories.all()
        )
        if signers:
            text += f"，{signers}代表各方在协议上签字"
        return text + "。"

    def statements_paragraph(self) -> str:
        names = self.names
        out = []
        for st in self.read.statements:
            if st.person_id:
                member = self.read.member_of.get(st.person_id)
                who = _member_label(names, member) if member else names.named(st.person)
            elif st.organisation_id:
                who = names.named(st.organisation)
            else:
                who = names.text(st.speaker_wording) or "双方"
            said = names.text(st.text.strip().rstrip("。！"))
            verb = "表示" if st.kind != StatementKind.IMPRESSION else "谈到"
            out.append(f"{who}{verb}：“{said}。”")
        return "".join(out)

    def closing(self) -> str:
        names = self.names
        commitments = [names.text(c) for c in self.read.commitments]
        if commitments:
            return f"双方表示，今后将{_join(commitments, '，')}，进一步深化两岸基层交流与合作。"
        return "此次参访交流活动在融洽友好的氛围中圆满结束，双方表达了今后常来常往、深化交流合作的愿望。"

    def write(self) -> Brief:
        brief = Brief(headline=self.headline())
        brief.paragraphs.append(self.lead())
        forums_done: set = set()
        appointments_done: set = set()
        agreements_done: set = set()

        def tail_of(acts, place) -> list[str]:
            """The forums, appointments and agreements of these activities (or place)."""
            out = []
            ids = {a.pk for a in acts}
            for a in acts:
                forum = self.read.forums.get(a.pk)
                if forum is not None and a.pk not in forums_done:
                    forums_done.add(a.pk)
                    out.append(self.forum_paragraph(forum))
            aps = [
                ap
                for ap in self.read.appointments
                if ap.pk not in appointments_done
                and (
                    ap.activity_id in ids
                    if ap.activity_id
                    else (place is not None and _within(ap.community, place))
                )
            ]
            ags = [
                ag
                for ag in self.read.agreements
                if ag.pk not in agreements_done and ag.activity_id in ids
            ]
            appointments_done.update(ap.pk for ap in aps)
            agreements_done.update(ag.pk for ag in ags)
            formal = ""
            if aps:
                gifts = any(ap.activity_id in self.read.gift_activities for ap in aps) or bool(
                    ids & self.read.gift_activities
                )
                formal += ("活动中双方互赠礼品，" if gifts else "活动中，") + (
                    self.appointment_sentences(aps)
                )
            formal += "".join(self.agreement_sentence(ag) for ag in ags)
            if formal:
                out.append(formal)
            return out

        if self.groups:
            whole = [a for a in self.read.activities if not a.groups.all()]
            whole_parts = []
            whole_text = "".join(self._day_sentences(whole, "全团"))
            if whole_text:
                whole_parts = [whole_text, *tail_of(whole, None)]
            own_days = [a.starts_at for a in self.read.activities if a.groups.all()]
            # the whole delegation's day comes before or after the groups', in time order
            first = bool(whole_parts) and (not own_days or whole[0].starts_at <= min(own_days))
            if first:
                brief.paragraphs += whole_parts
            for group in self.groups:
                own = [a for a in self._acts_of(group) if a.groups.all()]
                text = self.group_paragraph(group)
                if text and group.headline:
                    brief.paragraphs.append(self.names.text(group.headline))
                if text:
                    brief.paragraphs.append(text)
                brief.paragraphs += tail_of(own, group.host_place)
            if not first:
                brief.paragraphs += whole_parts
        else:
            acts = self._acts_of(None)
            by_day: dict = {}
            for a in acts:
                by_day.setdefault(local(a.starts_at, self.zone).date(), []).append(a)
            for _day, day_acts in sorted(by_day.items()):
                text = "".join(self._day_sentences(day_acts, self.noun))
                if text:
                    brief.paragraphs.append(text)
                brief.paragraphs += tail_of(day_acts, None)
        # Whatever is not tied to an activity shown above.
        rest_aps = [ap for ap in self.read.appointments if ap.pk not in appointments_done]
        if rest_aps:
            brief.paragraphs.append("交流中，" + self.appointment_sentences(rest_aps))
        rest_ags = [ag for ag in self.read.agreements if ag.pk not in agreements_done]
        if rest_ags:
            brief.paragraphs.append("".join(self.agreement_sentence(ag) for ag in rest_ags))
        said = self.statements_paragraph()
        if said:
            brief.paragraphs.append(said)
        brief.paragraphs.append(self.closing())
        return brief


CHINESE_COUNTS = "零一两三四五六七八九十"


def _count(n: int) -> str:
    return CHINESE_COUNTS[n] if 0 <= n <= 10 else str(n)


def write_brief(exchange: Exchange, which: str | None = None) -> Brief:
    """The news brief of ``exchange`` in script ``which``: its headline and paragraphs."""
    which = normalise_script(which) if which else hans_hant.HANS
    writer = _Writer(exchange, which)
    draft = writer.write()
    names = writer.names

    def finish(text: str) -> str:
        text = text.strip()
        if which == hans_hant.HANT:
            text = hans_hant.convert_text(text, hans_hant.HANT)
        return names.fill(text)

    return Brief(
        headline=finish(draft.headline), paragraphs=[finish(p) for p in draft.paragraphs if p]
    )


def build_brief(exchange: Exchange, which: str | None = None) -> str:
    """The draft news brief of ``exchange`` as plain text in script ``which``: the headline,
    then the paragraphs, a blank line between them."""
    return write_brief(exchange, which).text()


def brief_script(exchange: Exchange) -> str:
    """The script a brief of ``exchange`` is written and stored in: its host side's."""
    return places.script_of_place(exchange.host_place) or hans_hant.HANS


def shown_in(version, which: str) -> str:
    """A stored version's text in the reader's script ``which`` (stored once, converted)."""
    which = normalise_script(which)
    if version.script == which:
        return version.text
    return hans_hant.convert_text(version.text, which)


def current_brief(exchange: Exchange, which: str) -> Brief:
    """What the exports print: the latest saved version in ``which``, else a fresh draft."""
    latest = NewsBrief.objects.filter(exchange=exchange).order_by("-number").first()
    if latest is None:
        return write_brief(exchange, which)
    return paragraphs_of(shown_in(latest, which))


def paragraphs_of(text: str) -> Brief:
    """A stored brief split back into its headline and paragraphs (a blank line, or a line
    break, ends a paragraph)."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return Brief(headline="")
    return Brief(headline=lines[0], paragraphs=lines[1:])


# --- Word and PDF, in the house style of an office's 新闻稿 -----------------------------------

# Fonts named as an office's Windows has them: the headline in 方正小标宋简体 (SimHei where
# it is missing), the body in 仿宋.
WORD_HEADING_FONT = "方正小标宋简体"
WORD_HEADING_FALLBACK = "SimHei"
WORD_BODY_FONT = "仿宋"
WORD_LATIN_FONT = "Times New Roman"


def _word_font(run, east_asian: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn  # noqa: PLC0415 (heavy)
    from docx.shared import Pt  # noqa: PLC0415 (heavy)

    run.font.name = WORD_LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), WORD_LATIN_FONT)
    fonts.set(qn("w:hAnsi"), WORD_LATIN_FONT)


def brief_docx(brief: Brief, which: str = hans_hant.HANS) -> bytes:
    """The brief as a Word document: the headline centred in 方正小标宋 (二号, 22pt), the
    paragraphs in 仿宋 三号 (16pt) with a two-character first-line indent, A4."""
    import io  # noqa: PLC0415 (heavy)

    from docx import Document  # noqa: PLC0415 (heavy)
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415 (heavy)
    from docx.shared import Cm, Pt  # noqa: PLC0415 (heavy)

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    document.core_properties.title = brief.headline
    document.core_properties.language = "zh-TW" if which == hans_hant.HANT else "zh-CN"
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_after = Pt(16)
    _word_font(heading.add_run(brief.headline), WORD_HEADING_FONT, 22)
    for text in brief.paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        _word_font(paragraph.add_run(text), WORD_BODY_FONT, 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def brief_pdf(brief: Brief, which: str = hans_hant.HANS) -> bytes:
    """The brief as a PDF (WeasyPrint; the CJK fonts embedded as subsets)."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 (heavy)

    serif = fonts.font_stack("serif", which)
    sans = fonts.font_stack("sans", which)
    html = render_to_string(
        "documents/brief_print.html",
        {"brief": brief, "lang": "zh-hant" if which == hans_hant.HANT else "zh-hans"},
    )
    css = CSS(
        string=(
            "@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }"
            f"body {{ font-family: 'FangSong', {serif}; font-size: 16pt; line-height: 28pt; }}"
            f"h1 {{ font-family: '{WORD_HEADING_FONT}', 'SimHei', {sans}; font-size: 22pt;"
            " text-align: center; font-weight: normal; margin: 0 0 16pt; line-height: 1.4; }"
            "p { text-indent: 2em; margin: 0; text-align: justify; }"
        )
    )
    return HTML(string=html).write_pdf(stylesheets=[css])


def place_label(place: Place, which: str) -> str:
    return places.label(place, which)
