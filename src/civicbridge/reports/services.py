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
from decimal import Decimal

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
    Gift,
    Group,
    Member,
    MemberRole,
    Side,
)
from civicbridge.forums import services as forums
from civicbridge.forums.models import TopicMention
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import Agreement, Alliance, Appointment, Pairing, PairingKind
from civicbridge.programmes import services as programmes
from civicbridge.programmes.models import ExchangeLink, ProgrammeFigure
from civicbridge.reports import resolution
from civicbridge.reports.facts import Document, Fact, FactsError, read_document
from civicbridge.reports.models import Provenance, Source

__all__ = ["FactsError", "RecordedFacts", "add_facts", "create_source", "record_facts"]

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
    # add_facts only: the records the exchange already held that the facts matched (model
    # label: count), and what the facts say otherwise than the exchange (never overwritten).
    matched: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)  # the exchange's fields filled


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


def _party_of(row) -> dict:
    """An agreement's party row as the recorder's party dict."""
    if row.place_id:
        return {"place": row.place}
    if row.organisation_id:
        return {"organisation": row.organisation}
    return {"wording": row.wording}


def _party_key(party: dict) -> tuple:
    if party.get("place") is not None:
        return ("place", party["place"].pk)
    if party.get("organisation") is not None:
        return ("organisation", party["organisation"].pk)
    return ("wording", _key(party.get("wording", "")))


class _Recorder:
    def __init__(self, doc: Document, actor, into: Exchange | None = None):
        self.doc = doc
        self.actor = actor
        # Adding to an exchange already recorded (add_facts): what it holds is matched, not
        # recorded again; ``matched`` holds those records, ``notes`` what differs.
        self.into = into
        self.matched: set[tuple[type, int]] = set()
        self.notes: list[str] = []
        self.filled: list[str] = []
        self._activities_matched: set[tuple[int, bool]] = set()
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

    def match(self, record, fact: Fact):
        """Keep a record the exchange already held (add_facts)."""
        self.matched.add((type(record), record.pk))
        return self.keep(record, fact)

    def note(self, text: str) -> None:
        self.notes.append(text)

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
        person_id: int | None = None,
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
        if person_id is not None:
            # A person picked in the directory by whoever reviewed the reading.
            person = Person.objects.filter(pk=person_id, deleted_at__isnull=True).first()
            if person is None:
                self.missing(fact, "person_id", str(person_id), "no such person")
            else:
                self.people[key] = person
                return person, place
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
            if self.into is not None:
                self.matched.add((Member, existing.pk))
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
        if self.into is not None:
            self.resolve_hosts_into(resolved)
            return
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

    def held_hosts(self) -> list[Place]:
        """The host places the exchange added to holds (its own, its further hosts')."""
        exchange = self.into
        places = [exchange.host_place]
        places += [
            row.place
            for row in exchange.places.filter(role=ExchangePlace.Role.HOST, place__isnull=False)
            .select_related("place")
            .order_by("id")
        ]
        return list(dict.fromkeys(places))

    def resolve_hosts_into(self, resolved: list[Place]) -> None:
        held = self.held_hosts()
        self.hosts = list(dict.fromkeys([*held, *resolved]))
        self.primary = self.into.host_place

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

    # --- adding to an exchange already recorded (add_facts) ------------------------------
    def _held_delegation_keys(self) -> set[str]:
        exchange = self.exchange
        names = [n for n in exchange.delegation_name.split("、") if n]
        orgs = [exchange.visiting_organisation] if exchange.visiting_organisation_id else []
        orgs += [
            row.organisation
            for row in exchange.organisations.filter(
                role=ExchangeOrganisation.Role.VISITING
            ).select_related("organisation")
        ]
        for org in orgs:
            names += [org.name, org.name_hans, org.name_hant, org.short_name]
        return {_key(n) for n in names if n}

    def _attach_dates(self, changes: dict) -> None:
        exchange = self.exchange
        dates = self.doc.of("date")
        if not dates:
            return
        if exchange.date_precision != DatePrecision.DAY:
            changes.update(
                start_date=self.start,
                end_date=self.end,
                date_precision=DatePrecision.DAY,
                date_note="",
            )
        elif exchange.end_date is None and exchange.start_date == self.start:
            changes["end_date"] = self.end
        elif (exchange.start_date, exchange.end_date) != (self.start, self.end):
            self.note(
                _(
                    "The report gives the days %(start)s to %(end)s; the exchange's "
                    "(%(held_start)s to %(held_end)s) are kept."
                )
                % {
                    "start": self.start.isoformat(),
                    "end": self.end.isoformat() if self.end else "?",
                    "held_start": exchange.start_date.isoformat(),
                    "held_end": exchange.end_date.isoformat() if exchange.end_date else "?",
                }
            )
        for fact in dates:
            self.match(exchange, fact)

    def _attach_delegations(self, changes: dict) -> None:
        exchange = self.exchange
        delegations = self.doc.of("delegation")
        held = self._held_delegation_keys()
        for index, fact in enumerate(delegations):
            who = fact.values["organisation"]
            if _key(who) in held:
                self.match(exchange, fact)
            elif (
                index == 0
                and exchange.visiting_organisation_id is None
                and not (exchange.delegation_name)
            ):
                organisation = self.visiting_party(who)
                if organisation is not None:
                    changes["visiting_organisation"] = organisation
                else:
                    changes["delegation_name"] = who[:200]
                self.match(exchange, fact)
            else:
                organisation = self.visiting_party(who)
                if organisation is None:
                    self.note(
                        _("The report names the delegation %(who)s, which the exchange does not.")
                        % {"who": who}
                    )
                    continue
                row = ExchangeOrganisation.objects.filter(
                    exchange=exchange,
                    organisation=organisation,
                    role=ExchangeOrganisation.Role.VISITING,
                ).first()
                if row is not None or organisation.pk == exchange.visiting_organisation_id:
                    self.match(row or exchange, fact)
                else:
                    self.keep(
                        exchanges.add_exchange_organisation(
                            exchange=exchange,
                            organisation=organisation,
                            role=ExchangeOrganisation.Role.VISITING,
                            actor=self.actor,
                        ),
                        fact,
                    )
            if index != 0:
                continue
            size = fact.get("size")
            if size is not None and exchange.declared_headcount is None:
                changes["declared_headcount"] = size
            elif size is not None and exchange.declared_headcount != size:
                self.note(
                    _("The report gives %(size)s people; the exchange's %(held)s are kept.")
                    % {"size": size, "held": exchange.declared_headcount}
                )
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

    def attach_exchange(self) -> Exchange:
        """The exchange added to: the date and delegation facts fill what it lacks and
        never overwrite it (a difference is a note); a host place it does not hold is
        added."""
        self.exchange = exchange = self.into
        self.matched.add((Exchange, exchange.pk))
        changes: dict = {}
        self._attach_dates(changes)
        self._attach_delegations(changes)
        if exchange.visiting_place_id is None and self.visiting:
            place = resolution.visible(self.visiting[0])
            if place.pk != self.primary.pk:
                changes["visiting_place"] = place
        if changes:
            exchanges.update_exchange(exchange=exchange, actor=self.actor, **changes)
            self.filled = sorted(changes)
        # The record that holds each host place: the exchange (its own), or the row.
        held: dict = {exchange.host_place_id: exchange}
        wordings: dict = {}
        for row in exchange.places.filter(role=ExchangePlace.Role.HOST).order_by("id"):
            if row.place_id:
                held.setdefault(row.place_id, row)
            else:
                wordings.setdefault(_key(row.wording), row)
        for fact, place in self.host_places:
            holder = (
                held.get(place.pk)
                if place is not None
                else wordings.get(_key(fact.values["place"]))
            )
            if holder is not None:
                self.match(holder, fact)
                continue
            row = self.keep(
                exchanges.add_exchange_place(
                    exchange=exchange,
                    role=ExchangePlace.Role.HOST,
                    place=place,
                    wording=fact.values["place"] if place is None else "",
                    actor=self.actor,
                ),
                fact,
            )
            if place is not None:
                held[place.pk] = row
            else:
                wordings[_key(fact.values["place"])] = row
        return exchange

    def held_activity(self, *, place, venue, title: str, forum: bool, theme: str = ""):
        """An activity of the exchange added to that a visit (a forum) fact tells of again:
        at the same venue, or place without a venue, or of the same title (a forum: of the
        same theme)."""
        if self.into is None:
            return None
        rows = self.exchange.activities.all()
        if forum:
            rows = rows.filter(kind=ActivityKind.FORUM).select_related("forum")
        else:
            rows = rows.exclude(kind=ActivityKind.FORUM)
        for activity in rows.order_by("id"):
            if (activity.pk, forum) in self._activities_matched:
                continue
            if forum and theme:
                held_theme = getattr(getattr(activity, "forum", None), "theme", "")
                if _key(held_theme) == _key(theme):
                    return activity
                continue
            if venue is not None and activity.venue_id == venue.pk:
                return activity
            if (
                venue is None
                and place is not None
                and activity.venue_id is None
                and activity.place_id == place.pk
            ):
                return activity
            if title and _key(activity.title) == _key(title):
                return activity
        return None

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
            held = ExchangeOrganisation.objects.filter(
                exchange=self.exchange, organisation=org, role=ExchangeOrganisation.Role.ESCORT
            ).first()
            if held is not None:
                self.match(held, fact)
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

    def _held_groups(self) -> None:
        for group in self.exchange.groups.select_related("host_place").order_by("id"):
            self.groups.setdefault(_key(group.name), group)
            host = group.host_place
            if host is not None:
                for name in (host.name, host.name_hans, host.name_hant, host.short_name):
                    if name:
                        self.groups.setdefault(_key(name), group)

    def groups_(self) -> None:
        if self.into is not None:
            self._held_groups()
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
            held = self.groups.get(_key(name)) if self.into is not None else None
            if held is None and self.into is not None and host is not None:
                held = self.exchange.groups.filter(host_place=host).order_by("id").first()
            if held is not None:
                self.match(held, fact)
                continue
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
            held = self.held_activity(
                place=place, venue=venue, title=fact.values["venue"][:200], forum=False
            )
            if held is not None:
                self._activities_matched.add((held.pk, False))
                self.match(held, fact)
                continue
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
            held = self.held_activity(
                place=place,
                venue=venue,
                title=(theme or fact.get("host", ""))[:200],
                forum=True,
                theme=theme,
            )
            held_forum = getattr(held, "forum", None) if held is not None else None
            if held_forum is not None:
                self._activities_matched.add((held.pk, True))
                self.match(held, fact)
                self.forum_records[fact.index] = held_forum
                self.match(held_forum, fact)
                continue
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
                person_id=fact.get("person_id"),
            )
            if self.into is not None and person not in self.created:
                self.match(person, fact)
            else:
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
            held = (
                Appointment.objects.filter(person=person, community=community).first()
                if self.into is not None
                else None
            )
            if held is not None:
                self.match(held, fact)
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
                    self.match(existing, fact)
                    continue
            elif self.into is not None:
                existing = self._held_pairing(a, b)
                if existing is not None:
                    self.match(existing, fact)
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

    def _held_pairing(self, a: dict, b: dict) -> Pairing | None:
        def side(party, suffix):
            return {
                f"place_{suffix}": party.get("place"),
                f"organisation_{suffix}": party.get("organisation"),
            }

        for x, y in ((a, b), (b, a)):
            found = Pairing.objects.filter(**side(x, "a"), **side(y, "b")).first()
            if found is not None:
                return found
        return None

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
            subject = (fact.get("subject") or "、".join(fact.values["parties"]))[:300]
            held = self._held_agreement(subject, {_party_key(p) for p in parties})
            if held is not None:
                self.agreement_records.append(({_party_key(p) for p in parties}, held))
                self.match(held, fact)
                continue
            agreement = pairings.record_agreement(
                subject=subject,
                kind=Agreement.Kind.COOPERATION,
                parties=parties,
                signed_on=self.start if self.precision == DatePrecision.DAY else None,
                status=self.exchange.status,
                exchange=self.exchange,
                actor=self.actor,
            )
            self.agreement_records.append(({_party_key(p) for p in parties}, agreement))
            self.keep(agreement, fact)

    def _held_agreement(self, subject: str, keys: set) -> Agreement | None:
        if self.into is None:
            return None
        for agreement in Agreement.objects.filter(exchange=self.exchange).prefetch_related(
            "parties"
        ):
            held = {_party_key(_party_of(p)) for p in agreement.parties.all()}
            if _key(agreement.subject) == _key(subject) or held == keys:
                return agreement
        return None

    def alliances(self) -> None:
        held = (
            {_key(a.name): a for a in Alliance.objects.filter(exchange=self.exchange)}
            if self.into is not None
            else {}
        )
        for fact in self.doc.of("alliance"):
            if _key(fact.values["name"][:200]) in held:
                self.match(held[_key(fact.values["name"][:200])], fact)
                continue
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
            held = self._held_mention(fact.values["topic"][:100])
            if held is not None:
                self.match(held, fact)
                continue
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

    def _held_mention(self, wording: str):
        """A topic discussed on the exchange added to in the same words, or (the words
        another's) of the same taxonomy topic not matched yet."""
        if self.into is None:
            return None
        mentions = list(self.exchange.topic_mentions.order_by("order", "id"))
        for mention in mentions:
            if _key(mention.wording) == _key(wording):
                return mention
        topic = forums.resolve_topic(wording)
        if topic is None:
            return None
        return next(
            (
                m
                for m in mentions
                if m.topic_id == topic.pk and (TopicMention, m.pk) not in self.matched
            ),
            None,
        )

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
            held = self._held(
                Gift,
                giver_wording=fact.get("from", ""),
                recipient_wording=fact.get("to", ""),
                description=fact.get("what", ""),
            )
            if held is not None:
                self.match(held, fact)
                continue
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

    def _held(self, model, **fields):
        """A record of ``model`` on the exchange added to with these text fields (compared
        as names are: either script, spacing ignored)."""
        if self.into is None:
            return None
        wanted = {k: _key(v) if isinstance(v, str) else v for k, v in fields.items()}
        for row in model.objects.filter(exchange=self.exchange).order_by("id"):
            if (model, row.pk) in self.matched:
                continue
            held = {k: getattr(row, k) for k in fields}
            held = {k: _key(v) if isinstance(v, str) else v for k, v in held.items()}
            if held == wanted:
                return row
        return None

    def statistics(self) -> None:
        for fact in self.doc.of("statistic"):
            about = fact.get("about", "")
            held = self._held(
                ProgrammeFigure,
                unit=fact.values["unit"][:200],
                about=about[:200],
                figure=Decimal(str(fact.values["figure"])),
            )
            if held is not None:
                self.match(held, fact)
                continue
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
            held = self._held(
                ExchangeLink,
                kind=ExchangeLink.Kind.EARLIER,
                who=fact.get("who", "")[:200],
                where=where[:200],
                start_date=dt.date.fromisoformat(start) if start else None,
            )
            if held is not None:
                self.match(held, fact)
                continue
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
        if (
            self.into is not None
            and self.actor is not None
            and not self.actor.has_perm("exchanges.change_exchange", self.into)
        ):
            raise PermissionDenied(_("You are not allowed to do that."))
        self.resolve_hosts()
        self.resolve_visiting()
        if self.into is not None:
            self.attach_exchange()
        else:
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


def _read(document: dict, source: dict | None) -> Document:
    doc = read_document(document)
    if source:
        extra = read_document(
            {"format": "civicbridge-report-facts", "version": 1, "facts": [], **source}
        )
        doc.source = {**extra.source, **doc.source}
    return doc


def known_source(text_sha256: str | None) -> Source | None:
    """The source already recorded from the same text (its SHA-256), if any."""
    if not text_sha256:
        return None
    return Source.objects.filter(text_sha256=text_sha256).order_by("id").first()


def _provenance(row: Source, recorder: _Recorder) -> tuple[dict[str, int], dict[str, int]]:
    """The provenance of every record kept (once per record, fact and span); the records
    per type (model label: count), added and matched."""
    added: Counter = Counter()
    matched: Counter = Counter()
    seen = set()
    held = set()
    if recorder.into is not None:
        held = set(
            Provenance.objects.filter(source=row).values_list(
                "content_type_id", "object_id", "fact_type", "span_start", "span_end"
            )
        )
    for record, fact in recorder.records:
        type_id = ContentType.objects.get_for_model(type(record)).pk
        span = fact.span or (None, None)
        if (type_id, record.pk, fact.type, span[0], span[1]) not in held:
            held.add((type_id, record.pk, fact.type, span[0], span[1]))
            add_provenance(source=row, record=record, fact_type=fact.type, span=fact.span)
        ident = (type(record), record.pk)
        if ident not in seen:
            seen.add(ident)
            label = type(record)._meta.label_lower
            if ident in recorder.matched:
                matched[label] += 1
            else:
                added[label] += 1
    return dict(sorted(added.items())), dict(sorted(matched.items()))


@transaction.atomic
def record_facts(*, document: dict, actor, source: dict | None = None) -> RecordedFacts:
    """Record ``document`` (a facts document, reports/facts.py) as a draft exchange with
    all its records, a Source and the provenance of each record, in one transaction.

    ``actor`` must be allowed to create an exchange hosted at every host place the
    document names (``exchanges.add_exchange``, ``exchanges.host_in_place``), as on the
    pages; ``None`` acts for the system (commands without ``--as``). ``source`` gives the
    report's headline, publishers, url, dateline, reporter, script and text hash when the
    document does not. A report already recorded (the same ``text_sha256``) is refused:
    it can only be added to an exchange (``add_facts``). Raises FactsError (every problem)
    or PermissionDenied; nothing is written then."""
    doc = _read(document, source)
    known = known_source(doc.source.get("text_sha256"))
    if known is not None:
        raise FactsError(
            [_("This report (text_sha256) is already recorded: source %(id)s.") % {"id": known.pk}]
        )
    recorder = _Recorder(doc, actor)
    exchange = recorder.run()
    row = create_source(
        exchange=exchange,
        published_on=doc.published,
        actor=actor,
        **{k: v for k, v in doc.source.items() if k != "published"},
    )
    added, matched = _provenance(row, recorder)
    counts = Counter(added)
    counts.update(matched)
    return RecordedFacts(
        exchange=exchange, source=row, counts=dict(sorted(counts.items())),
        unresolved=recorder.unresolved, created=recorder.created,
    )  # fmt: skip


@transaction.atomic
def add_facts(
    *, exchange: Exchange, document: dict, actor, source: dict | None = None
) -> RecordedFacts:
    """Record ``document`` as additions to ``exchange`` (a report of an exchange already
    recorded), in one transaction: the facts the exchange already holds (the same venue,
    host place, member, topic, appointment, pairing, agreement …) are not recorded again
    but given the source's provenance; the others are added as ``record_facts`` adds them.
    The date and delegation facts fill what the exchange lacks and never overwrite it: a
    difference is returned in ``notes``. ``counts`` holds the records added, ``matched`` the
    records the facts found.

    The same report (``text_sha256``) already recorded keeps its Source, which is linked to
    the exchange. ``actor`` must be allowed to change the exchange (``None``: the system).
    Raises FactsError or PermissionDenied; nothing is written then."""
    doc = _read(document, source)
    if actor is not None and not actor.has_perm("exchanges.change_exchange", exchange):
        raise PermissionDenied(_("You are not allowed to do that."))
    recorder = _Recorder(doc, actor, into=exchange)
    recorder.run()
    row = known_source(doc.source.get("text_sha256"))
    if row is None:
        row = create_source(
            exchange=exchange,
            published_on=doc.published,
            actor=actor,
            **{k: v for k, v in doc.source.items() if k != "published"},
        )
    else:
        row.exchanges.add(exchange)
    added, matched = _provenance(row, recorder)
    return RecordedFacts(
        exchange=exchange, source=row, counts=added, matched=matched,
        unresolved=recorder.unresolved, created=recorder.created,
        notes=recorder.notes, filled=recorder.filled,
    )  # fmt: skip
