"""Writes for reports: a facts document (reports/facts.py) recorded as a draft exchange
with all its records, its source and the provenance of every record.

``record_facts`` writes through the services of each app, in one transaction: an invalid
document, a name the records cannot hold or a permission refused leaves nothing behind.
Names are resolved against the directory (codes first, then the directory's resolver within
the exchange's host and visiting places; either script), the li-chief register, and the
organisations and people already recorded; what is not found is created (organisations
and people) or kept as the report's wording, and listed in ``RecordedFacts.unresolved``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core.services import create_record, validate_text_fields
from civicbridge.directory import services as directory
from civicbridge.directory.models import (
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceAlias,
    PlaceKind,
)
from civicbridge.directory.resolution import CHIEF_KINDS, resolve_li_chief
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    ActivityKind,
    DatePrecision,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    ExchangeStatus,
    Group,
    Member,
    MemberRole,
    Side,
)
from civicbridge.forums import services as forums
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import Agreement, PairingKind
from civicbridge.programmes import services as programmes
from civicbridge.programmes.models import ExchangeLink
from civicbridge.reports import resolution
from civicbridge.reports.facts import Document, Fact, FactsError, read_document
from civicbridge.reports.models import Provenance, Source

__all__ = ["FactsError", "RecordedFacts", "create_source", "record_facts"]

COMMUNITY_KINDS = (PlaceKind.COMMUNITY, PlaceKind.VILLAGE, PlaceKind.LI)
_CHIEF_TITLE = re.compile(r"(里长|里長|村长|村長)")


@dataclass
class RecordedFacts:
    """What ``record_facts`` recorded: the exchange, its source, the records per type
    (model label: count), the names it could not resolve (kept as wording) and the
    organisations and people it created because the directory had none of that name."""

    exchange: Exchange
    source: Source
    counts: dict[str, int] = field(default_factory=dict)
    unresolved: list[dict] = field(default_factory=list)
    created: list = field(default_factory=list)


# --- sources ----------------------------------------------------------------------------


@transaction.atomic
def create_source(
    *,
    exchange: Exchange | None = None,
    headline: str = "",
    publishers: str = "",
    url: str = "",
    published_on: dt.date | None = None,
    dateline: str = "",
    reporter: str = "",
    script: str = "",
    text_sha256: str = "",
    note: str = "",
    actor=None,
) -> Source:
    """A report an exchange's records come from. ``actor`` must be allowed to change the
    exchange (when one is given)."""
    if (
        exchange is not None
        and actor is not None
        and not actor.has_perm("exchanges.change_exchange", exchange)
    ):
        raise PermissionDenied(_("You are not allowed to do that."))
    source = create_record(
        Source,
        headline=headline,
        publishers=publishers,
        url=url,
        published_on=published_on,
        dateline=dateline,
        reporter=reporter,
        script=script,
        text_sha256=text_sha256,
        note=note,
    )
    if exchange is not None:
        source.exchanges.add(exchange)
    return source


def add_provenance(*, source: Source, record, fact_type: str, span=None) -> Provenance:
    row = Provenance(
        source=source,
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        fact_type=fact_type,
        span_start=span[0] if span else None,
        span_end=span[1] if span else None,
    )
    validate_text_fields(row)
    row.save()
    return row


# --- recording a document ---------------------------------------------------------------


def _key(text: str) -> str:
    return resolution.names_key(text or "")


def _dates(doc: Document) -> tuple[dt.date, dt.date | None, str, str]:
    """start, end, precision and how they were read."""
    dates = doc.of("date")
    if dates:
        fact = dates[0]
        return (
            dt.date.fromisoformat(fact.values["start"]),
            dt.date.fromisoformat(fact.values["end"]),
            DatePrecision.DAY,
            "",
        )
    if doc.published is None:
        raise FactsError(
            [_("No date fact and no publication date: the exchange's days cannot be read.")]
        )
    return (
        doc.published,
        None,
        DatePrecision.BEFORE,
        _("The report gives no date: on or before its publication (%(day)s).")
        % {"day": doc.published.isoformat()},
    )


def _party_key(party: dict) -> tuple:
    if party.get("place") is not None:
        return ("place", party["place"].pk)
    if party.get("organisation") is not None:
        return ("organisation", party["organisation"].pk)
    return ("wording", _key(party.get("wording", "")))


class _Recorder:
    def __init__(self, doc: Document, actor):
        self.doc = doc
        self.actor = actor
        self.records: list[tuple[object, Fact]] = []
        self.unresolved: list[dict] = []
        self.created: list = []  # organisations and people not found, created
        self.people: dict[str, Person] = {}  # name key → person
        self.groups: dict[str, Group] = {}  # name or host key → group
        self.forum_records: dict[int, object] = {}  # fact index → Forum
        self.agreement_records: list[tuple[set, Agreement]] = []  # (party keys, agreement)
        self.start, self.end, self.precision, self.date_note = _dates(doc)

    # --- bookkeeping ------------------------------------------------------------------
    def keep(self, record, fact: Fact):
        self.records.append((record, fact))
        return record

    def new_organisation(self, *, name: str, kind: str, place: Place):
        """The organisation of that name at ``place``, created (and listed) when there is none."""
        existing = Organisation.objects.filter(place=place, name=name).first()
        if existing is not None:
            return existing
        org = directory.create_organisation(name=name, kind=kind, place=place)
        self.created.append(org)
        return org

    def missing(self, fact: Fact, name: str, wording: str, why: str = "") -> None:
        self.unresolved.append(
            {"fact": fact.index, "type": fact.type, "field": name, "wording": wording, "why": why}
        )

    # --- places -----------------------------------------------------------------------
    def place(
        self, fact: Fact, text: str, scopes, *, code=None, kinds=None, alias=True, anywhere=False
    ):
        """The place ``text`` names: by ``code``, else within ``scopes`` (and, ``anywhere``,
        in the whole directory when it names one place only)."""
        place = resolution.by_code(code)
        if place is not None:
            self._alias(place, text, force=alias)
            return place
        found = resolution.resolve(text, list(scopes), on=self.start, kinds=kinds)
        if found is None and anywhere and scopes:
            found = resolution.resolve(text, [], on=self.start, kinds=kinds)
        if found is None:
            return None
        if alias and found.reason in resolution.SPELLING_REASONS:
            self._alias(found.place, text, force=True)
        return found.place

    def _alias(self, place: Place, text: str, *, force: bool) -> None:
        """Keep the report's spelling of a place it names otherwise (阜四社区 for
        阜石路第四社区居委会, 慈佑里 for 慈祐里) as an alias, so it is found by it."""
        if not text or not force:
            return
        key = _key(text)
        known = {_key(n) for n in (place.name, place.name_hans, place.name_hant, place.short_name)}
        known |= {_key(a) for a in place.aliases.values_list("name", flat=True)}
        stripped = {
            re.sub(r"(社区居委会|居委会|居民委员会|村民委员会|社区)$", "", k) for k in known
        }
        if key in known or re.sub(r"社区$", "", key) in stripped:
            return
        directory.add_place_alias(
            place=place,
            name=text,
            kind=PlaceAlias.Kind.SOURCE_SPELLING,
            note=_("Spelling of a report recorded from facts."),
        )

    def scopes_for(self, side: str | None) -> list[Place]:
        host_side = self.primary.side_id
        if side == host_side:
            return self.hosts
        if side:
            return self.visiting
        return [*self.hosts, *self.visiting]

    # --- organisations and people -------------------------------------------------------
    def organisation(self, fact: Fact, name: str, *, kind: str, scopes, default: Place | None):
        found = resolution.find_organisation(name, places=self._with_ancestors(scopes))
        if found is not None:
            return found
        place = resolution.leading_place(name, list(scopes), on=self.start) or (
            resolution.leading_place(name, [], on=self.start)
        )
        place = place or default
        if place is None:
            self.missing(fact, "organisation", name, "no place for the organisation")
            return None
        return self.new_organisation(name=name, kind=kind, place=resolution.visible(place))

    def _with_ancestors(self, places) -> list[Place]:
        out = {}
        for place in places:
            out[place.pk] = place
            for ancestor in place.ancestors(include_hidden=False):
                out[ancestor.pk] = ancestor
        return list(out.values())

    def person(
        self,
        fact: Fact,
        name: str,
        *,
        place_text: str = "",
        side: str | None = None,
        register: bool = False,
        title: str = "",
        place: Place | None = None,
    ) -> tuple[Person, Place | None]:
        """The person ``name`` names: the li chief of the register (when the report takes
        the name from it, or the name agrees with it), a person already recorded, or a new
        one."""
        if place is None and place_text:
            place = self.place(fact, place_text, self.scopes_for(side), anywhere=True)
            if place is None:
                self.missing(fact, "place", place_text, "place not found")
        key = _key(name)
        if key in self.people:
            return self.people[key], place
        person = None
        if place is not None and place.kind in CHIEF_KINDS:
            chief = resolve_li_chief(place, on=self.start, name=name)
            if chief.person is not None and (register or chief.name_matches):
                person = chief.person
            elif register:
                self.missing(fact, "name", name, "not in the li-chief register")
        elif register:
            self.missing(fact, "name", name, "not in the li-chief register")
        if person is None:
            person = resolution.find_person(name, place=place)
        if person is None and place is None and not _CHIEF_TITLE.search(title):
            person = resolution.find_person(name)
        if person is None:
            person = directory.create_person(name=name, home_place=place)
            self.created.append(person)
        self.people[key] = person
        return person, place

    def member(
        self,
        person: Person,
        *,
        side: str | None,
        title: str = "",
        home_place: Place | None = None,
        role: str = MemberRole.MEMBER,
        group: Group | None = None,
    ) -> Member:
        existing = Member.objects.filter(exchange=self.exchange, person=person).first()
        if existing is not None:
            changes = {}
            if title and not existing.title:
                changes["title"] = title[:100]
            if home_place is not None and existing.home_place_id is None:
                changes["home_place"] = home_place
            if role == MemberRole.LEADER and existing.role != role:
                changes["role"] = role
            if changes:
                exchanges.update_member(member=existing, **changes)
            return existing
        member_side = Side.HOST if side == self.primary.side_id else Side.VISITING
        return exchanges.add_member(
            exchange=self.exchange,
            person=person,
            role=role,
            side=member_side,
            title=title[:100],
            home_place=home_place,
            group=group,
        )

    # --- the exchange -------------------------------------------------------------------
    def resolve_hosts(self) -> None:
        self.host_places: list[tuple[Fact, Place | None]] = []
        for fact in self.doc.of("host"):
            place = self.place(fact, fact.values["place"], [], code=fact.get("code"), alias=False)
            if place is None:
                self.missing(fact, "place", fact.values["place"], "host place not found")
            self.host_places.append((fact, place))
        resolved = list(dict.fromkeys(p for _f, p in self.host_places if p is not None))
        if not resolved:
            raise FactsError(
                [
                    _("No host place was found in the directory: %(names)s.")
                    % {"names": "、".join(f.values["place"] for f, _p in self.host_places)}
                ]
            )
        self.hosts = resolved
        primary = resolved[0]
        if len(resolved) > 1:
            primary = resolution.common_ancestor(resolved) or resolved[0]
        self.primary = primary
        if self.actor is not None:
            if not self.actor.has_perm("exchanges.add_exchange"):
                raise PermissionDenied(_("You are not allowed to do that."))
            for place in {primary, *resolved}:
                if not self.actor.has_perm("exchanges.host_in_place", place):
                    raise PermissionDenied(
                        _("You may not record an exchange hosted at %(place)s.") % {"place": place}
                    )

    def resolve_visiting(self) -> None:
        self.visiting: list[Place] = []
        for fact in self.doc.of("delegation"):
            for text in (fact.values["organisation"], fact.get("leader_place", "")):
                places = resolution.leading_places(text, [], on=self.start) if text else []
                self.visiting += [p for p in places if p.side_id != self.primary.side_id]
        self.visiting = list(dict.fromkeys(self.visiting))

    def visiting_party(self, who: str) -> Organisation | None:
        """The organisation a delegation fact names (found, or created at the place its
        name begins with); None for a delegation (参访团, 考察团) or one that cannot be placed,
        which the exchange names as written (``delegation_name``)."""
        if re.search(r"[团團]$", who):
            return None
        organisation = resolution.find_organisation(who, places=self._with_ancestors(self.visiting))
        if organisation is None and self.visiting:
            organisation = self.new_organisation(
                name=who,
                kind=OrganisationKind.ASSOCIATION,
                place=resolution.visible(self.visiting[0]),
            )
        return organisation

    def create_exchange(self) -> Exchange:
        delegations = self.doc.of("delegation")
        fact = delegations[0] if delegations else None
        who = fact.values["organisation"] if fact else ""
        organisation = self.visiting_party(who) if fact else None
        # Further visiting parties: organisations of the exchange, or named beside the first.
        others = [(f, self.visiting_party(f.values["organisation"])) for f in delegations[1:]]
        names = [who] if fact and organisation is None else []
        names += [f.values["organisation"] for f, org in others if org is None]
        hosts = "、".join(f.values["place"] for f, _p in self.host_places)
        title = f"{who or _('Delegation')}：{hosts}（{self.start.isoformat()}）"
        visiting_place = resolution.visible(self.visiting[0]) if self.visiting else None
        if visiting_place is not None and visiting_place.pk == self.primary.pk:
            visiting_place = None
        held = self.doc.published is not None and (
            self.precision == DatePrecision.BEFORE or self.doc.published > (self.end or self.start)
        )
        self.exchange = exchanges.create_exchange(
            title=title[:200],
            start_date=self.start,
            end_date=self.end,
            date_precision=self.precision,
            date_note=self.date_note,
            host_place=self.primary,
            visiting_organisation=organisation,
            visiting_place=visiting_place,
            delegation_name="、".join(names)[:200],
            status=ExchangeStatus.HELD if held else ExchangeStatus.PLANNED,
            declared_headcount=fact.get("size") if fact else None,
            source=self.doc.source.get("headline", "") or self.doc.source.get("url", ""),
            actor=self.actor,
        )
        if fact is not None:
            self.keep(self.exchange, fact)
            if fact.get("leader"):
                person, place = self.person(
                    fact,
                    fact.values["leader"],
                    place_text=fact.get("leader_place", ""),
                    side=self.visiting_side,
                    title=fact.get("leader_title", ""),
                )
                self.keep(
                    self.member(
                        person,
                        side=self.visiting_side,
                        title=fact.get("leader_title", ""),
                        home_place=place,
                        role=MemberRole.LEADER,
                    ),
                    fact,
                )
        for other, org in others:
            if org is None or org == organisation:
                self.keep(self.exchange, other)
                continue
            self.keep(
                exchanges.add_exchange_organisation(
                    exchange=self.exchange,
                    organisation=org,
                    role=ExchangeOrganisation.Role.VISITING,
                    actor=self.actor,
                ),
                other,
            )
        for fact in self.doc.of("date"):
            self.keep(self.exchange, fact)
        # The main host place is on the exchange (the hosts' common ancestor when there is
        # one: 北京市 for four districts); every other host is an ExchangePlace.
        added = {self.primary.pk}
        for fact, place in self.host_places:
            if place is not None and place.pk in added:
                self.keep(self.exchange, fact)
                continue
            if place is not None:
                added.add(place.pk)
            self.keep(
                exchanges.add_exchange_place(
                    exchange=self.exchange,
                    role=ExchangePlace.Role.HOST,
                    place=place,
                    wording=fact.values["place"] if place is None else "",
                    actor=self.actor,
                ),
                fact,
            )
        return self.exchange

    @property
    def visiting_side(self) -> str:
        return "taiwan" if self.primary.side_id == "mainland" else "mainland"

    def escorts(self) -> None:
        for fact in self.doc.of("escort"):
            name = fact.values["organisation"]
            org = self.organisation(
                fact,
                name,
                kind=OrganisationKind.GOVERNMENT_OFFICE,
                scopes=self.hosts,
                default=self.primary,
            )
            if org is None:
                continue
            self.keep(
                exchanges.add_exchange_organisation(
                    exchange=self.exchange,
                    organisation=org,
                    role=ExchangeOrganisation.Role.ESCORT,
                    actor=self.actor,
                ),
                fact,
            )

    def groups_(self) -> None:
        for fact in self.doc.of("group"):
            host_text = fact.get("host", "")
            host = None
            if host_text:
                host = self.place(fact, host_text, self.hosts, alias=False)
                if host is not None and host.kind != PlaceKind.DISTRICT:
                    host = next(
                        (a for a in reversed(host.ancestors()) if a.kind == PlaceKind.DISTRICT),
                        None,
                    )
                if host is None:
                    self.missing(fact, "host", host_text, "district not found")
            name = fact.get("name") or host_text
            leader = None
            if fact.get("leader"):
                person, place = self.person(fact, fact.values["leader"], side=self.visiting_side)
                leader = self.member(person, side=self.visiting_side, home_place=place)
            group = exchanges.create_group(
                exchange=self.exchange,
                name=name[:200],
                host_place=host,
                leader=leader,
                declared_headcount=fact.get("size"),
                actor=self.actor,
            )
            self.keep(group, fact)
            for text in (name, host_text):
                if text:
                    self.groups.setdefault(_key(text), group)

    def group_of(self, fact: Fact) -> Group | None:
        text = fact.get("group", "")
        if not text:
            return None
        group = self.groups.get(_key(text))
        if group is None:
            self.missing(fact, "group", text, "no group of that name or host")
        return group

    def where(self, fact: Fact, text: str, group: Group | None, *, code=None):
        """(place, venue) of an activity at ``text``: a place of the directory, or a venue
        (an organisation, found or created) at the group's or the exchange's host place."""
        scopes = [group.host_place] if group is not None and group.host_place else []
        scopes += self.hosts
        place = self.place(fact, text, scopes, code=code, kinds=None)
        if place is not None:
            return place, None
        default = scopes[0] if scopes else self.primary
        venue = self.organisation(
            fact, text, kind=OrganisationKind.VENUE, scopes=scopes, default=default
        )
        return None, venue

    def visits(self) -> None:
        for fact in self.doc.of("visit"):
            group = self.group_of(fact)
            place, venue = self.where(fact, fact.values["venue"], group, code=fact.get("code"))
            if fact.get("code") and place is None:
                self.missing(fact, "code", fact.values["code"], "code not in the directory")
            self.keep(
                exchanges.create_activity(
                    exchange=self.exchange,
                    kind=ActivityKind.SITE_VISIT,
                    title=fact.values["venue"][:200],
                    place=place,
                    venue=venue,
                    groups=[group] if group else [],
                    actor=self.actor,
                ),
                fact,
            )

    def forums_(self) -> None:
        for fact in self.doc.of("forum"):
            group = self.group_of(fact)
            place = venue = None
            if fact.get("host"):
                place, venue = self.where(fact, fact.values["host"], group)
            elif group is not None:
                place = group.host_place
            theme = fact.get("theme", "")
            activity = exchanges.create_activity(
                exchange=self.exchange,
                kind=ActivityKind.FORUM,
                title=(theme or fact.get("host", ""))[:200],
                place=place,
                venue=venue,
                groups=[group] if group else [],
                actor=self.actor,
            )
            self.keep(activity, fact)
            forum = forums.create_forum(activity=activity, theme=theme[:200], actor=self.actor)
            self.forum_records[fact.index] = forum
            self.keep(forum, fact)

    def persons(self) -> None:
        for fact in self.doc.of("person"):
            side = fact.get("side")
            person, place = self.person(
                fact,
                fact.values["name"],
                place_text=fact.get("place", ""),
                side=side,
                register=bool(fact.get("register")),
                title=fact.get("title", ""),
            )
            self.keep(person, fact)
            self.keep(
                self.member(
                    person,
                    side=side or self.visiting_side,
                    title=fact.get("title", ""),
                    home_place=place,
                ),
                fact,
            )

    def appointments(self) -> None:
        for fact in self.doc.of("appointment"):
            community = self.place(
                fact, fact.values["community"], self.hosts, kinds=COMMUNITY_KINDS
            )
            li_text = fact.get("li", "")
            li = None
            if li_text:
                li = self.place(fact, li_text, self.visiting, kinds=CHIEF_KINDS, anywhere=True)
                if li is None:
                    self.missing(fact, "li", li_text, "li not found")
            person, _place = self.person(
                fact,
                fact.values["person"],
                side=self.visiting_side,
                register=bool(fact.get("register")),
                place=li,
            )
            self.member(person, side=self.visiting_side, home_place=li)
            if community is None:
                self.missing(fact, "community", fact.values["community"], "community not found")
                continue
            appointment = pairings.appoint(
                person=person,
                community=community,
                appointed_on=self.start,
                exchange=self.exchange,
                person_place=li,
                certificate=False,
                status=self.exchange.status,
            )
            self.keep(appointment, fact)

    def party(self, fact: Fact, text: str, name: str) -> dict:
        place = self.place(fact, text, [*self.hosts, *self.visiting], anywhere=True)
        if place is not None:
            return {"place": place}
        org = resolution.find_organisation(text)
        if org is not None:
            return {"organisation": org}
        self.missing(fact, name, text, "party not found")
        return {"wording": text}

    def pairings_(self) -> None:
        for fact in self.doc.of("pairing"):
            kind = fact.get("kind") or PairingKind.FRIENDLY
            a = self.party(fact, fact.values["a"], "a")
            b = self.party(fact, fact.values["b"], "b")
            # A pairing by agreement between the parties of an agreement of the report.
            agreement = None
            if kind == PairingKind.AGREEMENT:
                keys = {_party_key(a), _party_key(b)}
                agreement = next((ag for k, ag in self.agreement_records if k == keys), None)
            if "wording" in a or "wording" in b:
                # A party not in the directory: an organisation of that name at the nearest
                # place the name gives (the records hold no party by wording alone).
                a, b = (self._party_organisation(fact, p) for p in (a, b))
                if a is None or b is None:
                    continue
            if a.get("place") and b.get("place"):
                existing = pairings.open_pairing_between(a["place"], b["place"])
                if existing is not None:
                    self.keep(existing, fact)
                    continue
            self.keep(
                pairings.record_pairing(
                    kind=kind,
                    place_a=a.get("place"),
                    place_b=b.get("place"),
                    organisation_a=a.get("organisation"),
                    organisation_b=b.get("organisation"),
                    started_on=self.start,
                    status=self.exchange.status,
                    exchange=self.exchange,
                    agreement=agreement,
                    actor=self.actor,
                ),
                fact,
            )

    def _party_organisation(self, fact: Fact, party: dict) -> dict | None:
        if "wording" not in party:
            return party
        text = party["wording"]
        place = resolution.leading_place(text, [*self.hosts, *self.visiting], on=self.start)
        place = place or resolution.leading_place(text, [], on=self.start)
        place = place or (self.visiting[0] if self.visiting else None)
        if place is None:
            self.missing(fact, "party", text, "pairing not recorded: no place for the party")
            return None
        return {
            "organisation": self.new_organisation(
                name=text, kind=OrganisationKind.OTHER, place=resolution.visible(place)
            )
        }

    def agreements(self) -> None:
        for fact in self.doc.of("agreement"):
            parties = [
                self.party(fact, text, f"parties[{i}]")
                for i, text in enumerate(fact.values["parties"])
            ]
            agreement = pairings.record_agreement(
                subject=(fact.get("subject") or "、".join(fact.values["parties"]))[:300],
                kind=Agreement.Kind.COOPERATION,
                parties=parties,
                signed_on=self.start if self.precision == DatePrecision.DAY else None,
                status=self.exchange.status,
                exchange=self.exchange,
                actor=self.actor,
            )
            self.agreement_records.append(({_party_key(p) for p in parties}, agreement))
            self.keep(agreement, fact)

    def alliances(self) -> None:
        for fact in self.doc.of("alliance"):
            members = [
                self.party(fact, text, f"members[{i}]")
                for i, text in enumerate(fact.get("members") or [])
            ]
            self.keep(
                pairings.launch_alliance(
                    name=fact.values["name"][:200],
                    members=members,
                    launched_on=self.start if self.precision == DatePrecision.DAY else None,
                    status=self.exchange.status,
                    exchange=self.exchange,
                    actor=self.actor,
                ),
                fact,
            )

    def topics(self) -> None:
        """A topic fact that follows a forum fact is taken as discussed there (readings list
        a forum's topics after it); others are the exchange's. The same taxonomy topic in
        other words (社区养老, 为老服务) goes to the next place free for it."""
        forum = None
        forum_of: dict[int, object] = {}
        for fact in self.doc.facts:
            if fact.type == "forum":
                forum = self.forum_records.get(fact.index)
            elif fact.type in ("group", "delegation"):
                forum = None
            forum_of[fact.index] = forum
        for fact in self.doc.of("topic"):
            forum = forum_of.get(fact.index)
            places = [{"forum": forum}] if forum is not None else []
            places.append({})
            if forum is not None:
                places.append({"activity": forum.activity})
            places += [{"activity": a} for a in self.exchange.activities.order_by("id")]
            for where in places:
                try:
                    mention = forums.mention_topic(
                        exchange=self.exchange,
                        wording=fact.values["topic"][:100],
                        actor=self.actor,
                        **where,
                    )
                except ValidationError as exc:
                    if "topic" not in exc.message_dict:
                        raise
                    continue
                self.keep(mention, fact)
                break
            else:
                self.missing(fact, "topic", fact.values["topic"], "topic already recorded")

    def _giver(self, text: str) -> dict:
        if not text:
            return {}
        if _key(text) in self.people:
            return {"person": self.people[_key(text)]}
        org = resolution.find_organisation(text)
        return {"organisation": org} if org is not None else {}

    def gifts(self) -> None:
        for fact in self.doc.of("gift"):
            giver, recipient = self._giver(fact.get("from", "")), self._giver(fact.get("to", ""))
            self.keep(
                exchanges.record_gift(
                    exchange=self.exchange,
                    giver_person=giver.get("person"),
                    giver_organisation=giver.get("organisation"),
                    recipient_person=recipient.get("person"),
                    recipient_organisation=recipient.get("organisation"),
                    giver_wording=fact.get("from", ""),
                    recipient_wording=fact.get("to", ""),
                    description=fact.get("what", ""),
                    actor=self.actor,
                ),
                fact,
            )

    def statistics(self) -> None:
        for fact in self.doc.of("statistic"):
            about = fact.get("about", "")
            self.keep(
                programmes.record_programme_figure(
                    programme_name=(about or fact.values["unit"])[:200],
                    figure=fact.values["figure"],
                    unit=fact.values["unit"][:200],
                    about=about[:200],
                    exchange=self.exchange,
                    actor=self.actor,
                ),
                fact,
            )

    def related(self) -> None:
        for fact in self.doc.of("related_exchange"):
            where = fact.get("where", "")
            place = (
                self.place(fact, where, [*self.hosts, *self.visiting], anywhere=True)
                if where
                else None
            )
            start, end = fact.get("start"), fact.get("end")
            self.keep(
                programmes.link_exchange(
                    exchange=self.exchange,
                    kind=ExchangeLink.Kind.EARLIER,
                    who=fact.get("who", "")[:200],
                    where=where[:200],
                    where_place=place,
                    start_date=dt.date.fromisoformat(start) if start else None,
                    end_date=dt.date.fromisoformat(end) if end else None,
                    actor=self.actor,
                ),
                fact,
            )

    def run(self) -> Exchange:
        self.resolve_hosts()
        self.resolve_visiting()
        self.create_exchange()
        self.escorts()
        self.groups_()
        self.visits()
        self.forums_()
        self.persons()
        self.appointments()
        self.agreements()
        self.pairings_()
        self.alliances()
        self.topics()
        self.gifts()
        self.statistics()
        self.related()
        return self.exchange


@transaction.atomic
def record_facts(*, document: dict, actor, source: dict | None = None) -> RecordedFacts:
    """Record ``document`` (a facts document, reports/facts.py) as a draft exchange with
    all its records, a Source and the provenance of each record, in one transaction.

    ``actor`` must be allowed to create an exchange hosted at every host place the
    document names (``exchanges.add_exchange``, ``exchanges.host_in_place``), as on the
    pages; ``None`` acts for the system (commands without ``--as``). ``source`` gives the
    report's headline, publishers, url, dateline, reporter, script and text hash when the
    document does not. Raises FactsError (every problem) or PermissionDenied; nothing is
    written then."""
    doc = read_document(document)
    if source:
        extra = read_document(
            {"format": "civicbridge-report-facts", "version": 1, "facts": [], **source}
        )
        doc.source = {**extra.source, **doc.source}
    sha = doc.source.get("text_sha256")
    if sha:
        known = Source.objects.filter(text_sha256=sha).first()
        if known is not None:
            raise FactsError(
                [
                    _("This report (text_sha256) is already recorded: source %(id)s.")
                    % {"id": known.pk}
                ]
            )
    recorder = _Recorder(doc, actor)
    exchange = recorder.run()
    row = create_source(
        exchange=exchange,
        published_on=doc.published,
        actor=actor,
        **{k: v for k, v in doc.source.items() if k != "published"},
    )
    counts: Counter = Counter()
    seen = set()
    for record, fact in recorder.records:
        add_provenance(source=row, record=record, fact_type=fact.type, span=fact.span)
        ident = (type(record), record.pk)
        if ident not in seen:
            seen.add(ident)
            counts[type(record)._meta.label_lower] += 1
    return RecordedFacts(
        exchange=exchange, source=row, counts=dict(sorted(counts.items())),
        unresolved=recorder.unresolved, created=recorder.created,
    )  # fmt: skip
