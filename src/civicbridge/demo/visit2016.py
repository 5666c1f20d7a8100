"""The demo: the visit of 22 April 2016 as the source report (shared/seed) tells it.

The facts are in ``visit2016.toml`` beside this module (read it first: its comments say
what the report says and where it is silent). This module reads the file and records
the visit through the services of each app, in the file's order; it writes no model
directly. ``ensure_directory`` loads what the demo needs of the directory first: the
Beijing and Taipei subtrees of the national files, or, on a bare clone, the demo's own
rows in ``demo/directory/``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from civicbridge.directory import services as directory
from civicbridge.directory.importers import import_directory, missing_files
from civicbridge.directory.models import (
    TAIPEI_CODE,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceAlias,
    PlaceKind,
    Position,
)
from civicbridge.directory.resolution import resolve_li_chief
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    Exchange,
    ExchangeOrganisation,
    ExchangeStatus,
    MemberRole,
    Side,
    TimePrecision,
)
from civicbridge.forums import services as forums
from civicbridge.forums.models import AgendaItem, Outcome, Topic
from civicbridge.pairings import services as pairings

FACTS_FILE = Path(__file__).with_name("visit2016.toml")

# The demo's own directory rows (names, codes and kinds of the few dozen places it needs,
# and the terms of its twelve li chiefs), in the national files' formats: a clone with no
# shared/data beside it still records the whole visit.
BUNDLED_DIRECTORY = Path(__file__).with_name("directory")
# With the national files at hand the demo loads these subtrees (Beijing, Taipei); see
# README ("The directory") for why not the whole country, which import-directory adds.
DEMO_SUBTREES = ("11", TAIPEI_CODE)


class DemoError(Exception):
    pass


@functools.cache
def facts() -> dict[str, Any]:
    """The contents of visit2016.toml (read once)."""
    with FACTS_FILE.open("rb") as fh:
        return tomllib.load(fh)


def _choice(choices, value: str, what: str) -> str:
    if value not in choices.values:
        raise DemoError(f"{FACTS_FILE.name}: unknown {what} {value!r}.")
    return value


def _known(row: dict, what: str, *keys: str) -> dict:
    """``row`` itself, once it is known to hold only ``keys`` (a misspelt key in the file
    would otherwise be ignored without a word)."""
    unknown = sorted(set(row) - set(keys))
    if unknown:
        raise DemoError(f"{FACTS_FILE.name}: unknown key {unknown[0]!r} in {what} {row}.")
    return row


def _lookup(table: dict, key: str, what: str):
    try:
        return table[key]
    except KeyError:
        raise DemoError(f"{FACTS_FILE.name}: no {what} {key!r}.") from None


class _Loader:
    """Records the facts of visit2016.toml, one kind of record after another."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.day: dt.date = data["exchange"]["start_date"]
        self.tz = ZoneInfo(data["exchange"]["timezone"])
        self.places: dict[str, Place] = {}
        self.orgs: dict[str, Organisation] = {}
        self.chiefs: dict[str, Person] = {}  # by li
        self.people: dict[str, Person] = {}  # officials and others, by name
        self.members = {}  # by li
        self.groups = {}
        self.activities: dict[str, Activity] = {}
        self.outcomes: dict[str, Outcome] = {}
        forums.ensure_topics()
        self.topics = {t.code: t for t in Topic.objects.all()}

    # --- references ------------------------------------------------------------------
    def place(self, key: str) -> Place:
        return _lookup(self.places, key, "place")

    def org(self, key: str | None) -> Organisation | None:
        return None if key is None else _lookup(self.orgs, key, "organisation")

    def chief(self, li: str) -> Person:
        return _lookup(self.chiefs, li, "li")

    def person(self, name: str) -> Person:
        return _lookup(self.people, name, "person")

    def at(self, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(self.day, time, tzinfo=self.tz)

    # --- places ----------------------------------------------------------------------
    def resolve_places(self):
        codes: dict[str, str] = self.data["places"]
        by_code = {p.code: p for p in Place.objects.filter(code__in=codes.values())}
        missing = [name for name, code in codes.items() if code not in by_code]
        if missing:
            raise DemoError(
                "The directory lacks "
                + "、".join(missing)
                + ". Run `civicbridge import_directory` first."
            )
        for name, code in codes.items():
            self.places[name] = by_code[code]
        taipei = Place.objects.filter(code=TAIPEI_CODE).first()
        if taipei is None:
            raise DemoError("The directory lacks 臺北市. Run `civicbridge import_directory` first.")
        self.places["臺北市"] = taipei
        in_taipei = Place.objects.within(taipei)
        districts = []
        for li in self.data["taipei_li"]:
            self.places[li["name"]] = in_taipei.get(
                kind=PlaceKind.LI, parent__name=li["district"], name=li["name"]
            )
            if li["district"] not in districts:
                districts.append(li["district"])
        for district in districts:
            self.places[district] = in_taipei.get(kind=PlaceKind.DISTRICT, name=district)

    def annotate_places(self):
        for row in self.data["place_updates"]:
            fields = {k: v for k, v in row.items() if k != "place"}
            directory.update_place(place=self.place(row["place"]), **fields)
        for row in self.data["place_aliases"]:
            _known(row, "place alias", "place", "name", "kind", "note")
            directory.add_place_alias(
                place=self.place(row["place"]),
                name=row["name"],
                kind=_choice(PlaceAlias.Kind, row["kind"], "alias kind"),
                note=row.get("note", ""),
            )
        pilots = self.data["pilots"]
        for key in pilots["places"]:
            place = self.place(key)
            if not place.is_pilot:
                directory.update_place(
                    place=place,
                    is_pilot=True,
                    note=(place.note + "\n" if place.note else "") + pilots["note"],
                )

    # --- organisations ---------------------------------------------------------------
    def create_organisations(self):
        for row in self.data["organisations"]:
            _known(
                row,
                "organisation",
                "key",
                "name",
                "kind",
                "place",
                "parent",
                "short_name",
                "description",
                "note",
            )
            extra = {k: row[k] for k in ("short_name", "description", "note") if k in row}
            if "parent" in row:
                extra["parent"] = self.org(row["parent"])
            self.orgs[row["key"]] = directory.get_or_create_organisation(
                name=row["name"],
                kind=_choice(OrganisationKind, row["kind"], "organisation kind"),
                place=self.place(row["place"]),
                **extra,
            )

    # --- people ----------------------------------------------------------------------
    def find_li_chiefs(self):
        """Each li's chief on the day, by the register (directory.resolution)."""
        for row in self.data["taipei_li"]:
            li = self.place(row["name"])
            found = resolve_li_chief(li, on=self.day)
            if found.person is None:
                raise DemoError(f"The li-chief register has no chief of {li.name} on {self.day}.")
            self.chiefs[row["name"]] = found.person

    def create_people(self):
        self.find_li_chiefs()
        positions = self.data["positions"]
        source = positions["source"]
        for row in positions["association"]:
            person, assoc = self.chief(row["chief_of"]), self.org("总会")
            if not Position.objects.filter(
                person=person, title=row["title"], organisation=assoc
            ).exists():
                directory.add_position(
                    person=person,
                    title=row["title"],
                    organisation=assoc,
                    source=source,
                    note=row.get("note", ""),
                )
        officials = self.data["officials"]
        for row in officials["people"]:
            name = row["name"]
            person = Person.objects.filter(name=name, positions__source=source).first()
            if person is None:
                person = directory.create_person(name=name, note=officials["note"])
            for post in row["positions"]:
                organisation = self.org(post["organisation"])
                if not Position.objects.filter(
                    person=person, title=post["title"], organisation=organisation
                ).exists():
                    directory.add_position(
                        person=person,
                        title=post["title"],
                        organisation=organisation,
                        start_date=None,
                        end_date=None,
                        source=source,
                        note=officials["position_note"],
                    )
            self.people[name] = person
        for row in self.data["people"]:
            person = Person.objects.filter(name=row["name"], note=row.get("note", "")).first()
            self.people[row["name"]] = person or directory.create_person(
                name=row["name"], gender=row.get("gender", ""), note=row.get("note", "")
            )

    # --- the exchange, its members and groups ----------------------------------------
    def create_exchange(self) -> Exchange:
        row = self.data["exchange"]
        exchange = exchanges.create_exchange(
            title=row["title"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            visiting_organisation=self.org(row["visiting_organisation"]),
            visiting_place=self.place(row["visiting_place"]),
            host_place=self.place(row["host_place"]),
            status=_choice(ExchangeStatus, row["status"], "exchange status"),
            declared_headcount=row["declared_headcount"],
            timezone=row["timezone"],
            summary=row["summary"],
            source=row["source"],
            note=row["note"],
        )
        for role, keys in (
            (ExchangeOrganisation.Role.ESCORT, row["escorts"]),
            (ExchangeOrganisation.Role.HOST, row["hosts"]),
        ):
            for key in keys:
                exchanges.add_exchange_organisation(
                    exchange=exchange, organisation=self.org(key), role=role
                )
        return exchange

    def add_members(self, exchange):
        visiting = self.org(self.data["exchange"]["visiting_organisation"])
        for row in self.data["members"]:
            _known(row, "member", "chief_of", "role", "title", "note")
            li = row["chief_of"]
            self.members[li] = exchanges.add_member(
                exchange=exchange,
                person=self.chief(li),
                role=_choice(MemberRole, row["role"], "member role"),
                side=Side.VISITING,
                title=row["title"],
                organisation=visiting,
                home_place=self.place(li),
                note=row.get("note", ""),
            )

    def create_groups(self, exchange):
        for row in self.data["groups"]:
            _known(
                row,
                "group",
                "key",
                "name",
                "host_place",
                "host_organisation",
                "leader",
                "declared_headcount",
                "quoted_headline",
                "members",
                "note",
            )
            group = exchanges.create_group(
                exchange=exchange,
                name=row["name"],
                host_place=self.place(row["host_place"]),
                host_organisation=self.org(row.get("host_organisation")),
                leader=_lookup(self.members, row["leader"], "member") if "leader" in row else None,
                declared_headcount=row["declared_headcount"],
                headline=row["quoted_headline"],
                note=row.get("note", ""),
            )
            for li in row["members"]:
                exchanges.assign_member_to_group(
                    member=_lookup(self.members, li, "member"), group=group
                )
            self.groups[row["key"]] = group

    # --- the groups' days ------------------------------------------------------------
    def create_activities(self, exchange):
        for row in self.data["activities"]:
            _known(
                row,
                "activity",
                "key",
                "group",
                "kind",
                "title",
                "starts",
                "ends",
                "time_precision",
                "place",
                "venue",
                "hosts",
                "participants",
                "description",
                "note",
            )
            kw = {k: row[k] for k in ("description", "note") if k in row}
            if "place" in row:
                kw["place"] = self.place(row["place"])
            if "venue" in row:
                kw["venue"] = self.org(row["venue"])
            for role in ("hosts", "participants"):
                if role in row:
                    kw[role] = [self.person(name) for name in row[role]]
            activity = exchanges.create_activity(
                exchange=exchange,
                kind=_choice(ActivityKind, row["kind"], "activity kind"),
                title=row["title"],
                starts_at=self.at(row["starts"]),
                ends_at=self.at(row["ends"]),
                time_precision=_choice(
                    TimePrecision, row.get("time_precision", TimePrecision.PART_OF_DAY), "precision"
                ),
                groups=[_lookup(self.groups, row["group"], "group")],
                **kw,
            )
            if "key" in row:
                self.activities[row["key"]] = activity

    def activity(self, key: str) -> Activity:
        return _lookup(self.activities, key, "activity")

    def speaker_kwargs(self, row) -> dict:
        if "chief_of" in row:
            return {"person": self.chief(row["chief_of"])}
        if "person" in row:
            return {"person": self.person(row["person"])}
        if "organisation" in row:
            return {"organisation": self.org(row["organisation"])}
        return {"place": self.place(row["place"])}

    def create_forums(self):
        for row in self.data["forums"]:
            _known(
                row,
                "forum",
                "activity",
                "theme",
                "summary",
                "topics",
                "speakers",
                "agenda",
                "outcomes",
            )
            forum = forums.create_forum(
                activity=self.activity(row["activity"]),
                theme=row.get("theme", ""),
                summary=row.get("summary", ""),
            )
            speakers = {}
            for said in row["speakers"]:
                _known(
                    said,
                    "speaker",
                    "key",
                    "side",
                    "chief_of",
                    "person",
                    "organisation",
                    "place",
                    "title",
                    "summary",
                    "quote",
                )
                speakers[said["key"]] = forums.add_speaker(
                    forum=forum,
                    side=_choice(Side, said["side"], "side"),
                    title=said["title"],
                    summary=said["summary"],
                    **self.speaker_kwargs(said),
                )
            for item in row["agenda"]:
                _known(item, "agenda item", "kind", "title", "speakers", "description")
                forums.add_agenda_item(
                    forum=forum,
                    kind=_choice(AgendaItem.Kind, item["kind"], "agenda item kind"),
                    title=item["title"],
                    speakers=[
                        _lookup(speakers, key, "speaker") for key in item.get("speakers", [])
                    ],
                    description=item.get("description", ""),
                )
            forums.set_forum_topics(
                forum=forum,
                topics=[
                    (_lookup(self.topics, t["code"], "topic"), t["wording"]) for t in row["topics"]
                ],
            )
            for outcome in row["outcomes"]:
                self.outcomes[outcome["key"]] = forums.add_outcome(
                    forum=forum, text=outcome["text"]
                )

    def record_gifts(self, exchange):
        for row in self.data["gifts"]:
            _known(
                row,
                "gift",
                "activity",
                "giver_organisation",
                "giver_wording",
                "recipient_organisation",
                "recipient_wording",
                "description",
                "note",
            )
            # Giver and recipient: an organisation (by key), or as the report words them.
            exchanges.record_gift(
                exchange=exchange,
                activity=self.activity(row["activity"]),
                giver_organisation=self.org(row.get("giver_organisation")),
                giver_wording=row.get("giver_wording", ""),
                recipient_organisation=self.org(row.get("recipient_organisation")),
                recipient_wording=row.get("recipient_wording", ""),
                description=row.get("description", ""),
                note=row.get("note", ""),
            )

    def appoint(self, exchange):
        for row in self.data["appointments"]:
            _known(row, "appointment", "activity", "community", "chief_of", "note")
            li = row["chief_of"]
            pairings.appoint(
                person=self.chief(li),
                community=self.place(row["community"]),
                appointed_on=self.day,
                activity=self.activity(row["activity"]),
                exchange=exchange,
                person_place=self.place(li),
                note=row.get("note", ""),
            )

    def add_photos(self, exchange):
        for row in self.data["photos"]:
            _known(row, "photo", "activity", "caption", "quote")
            exchanges.add_photo(
                exchange=exchange,
                activity=self.activity(row["activity"]),
                caption=row["caption"],
                taken_on=self.day,
            )

    def create_commitments(self, exchange):
        for row in self.data["commitments"]:
            _known(
                row,
                "commitment",
                "outcome",
                "title",
                "description",
                "owner_organisation",
                "owner_person",
            )
            # A commitment that came out of a forum names its outcome (and so its
            # activity and exchange); the others belong to the exchange itself.
            where = (
                {"outcome": _lookup(self.outcomes, row["outcome"], "outcome")}
                if "outcome" in row
                else {"exchange": exchange}
            )
            pairings.create_commitment(
                title=row["title"],
                description=row.get("description", ""),
                owner_organisation=self.org(row.get("owner_organisation")),
                owner_person=self.person(row["owner_person"]) if "owner_person" in row else None,
                **where,
            )


def _codes() -> set[str]:
    return {*facts()["places"].values(), TAIPEI_CODE}


def _directory_ready() -> bool:
    codes = _codes()
    if Place.objects.filter(code__in=codes).count() < len(codes):
        return False
    return Position.objects.filter(place__code__startswith=TAIPEI_CODE, title="里長").exists()


def ensure_directory(*, stdout=None) -> str:
    """Load what the demo needs of the directory, unless it is there: the Beijing and Taipei
    subtrees of the national files in CIVICBRIDGE_DATA_DIR, or, without them, the demo's
    own rows. Returns "present", "national" or "bundled"."""

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    if _directory_ready():
        return "present"
    data_dir = Path(settings.CIVICBRIDGE_DATA_DIR)
    if not missing_files(data_dir, DEMO_SUBTREES):
        report = import_directory(data_dir, only=DEMO_SUBTREES)
        say(
            f"Loaded {report.total:,} directory records of Beijing and Taipei from {data_dir}. "
            "`civicbridge import-directory` adds the rest of the country."
        )
        return "national"
    report = import_directory(BUNDLED_DIRECTORY)
    say(
        f"The reference data is not in {data_dir}: loaded the demo's own "
        f"{report.total:,} directory records instead. For the whole directory (every mainland "
        "community and Taiwan village, and the li chiefs), put the data files there (or set "
        "CIVICBRIDGE_DATA_DIR to their folder) and run `civicbridge import-directory`."
    )
    return "bundled"


def demo_exchange() -> Exchange | None:
    row = facts()["exchange"]
    return Exchange.objects.filter(title=row["title"], start_date=row["start_date"]).first()


@transaction.atomic
def load_demo() -> Exchange:
    """Record the visit. Refuses to load twice."""
    if demo_exchange() is not None:
        raise DemoError("The demo visit is already loaded.")
    loader = _Loader(facts())
    loader.resolve_places()
    loader.annotate_places()
    loader.create_organisations()
    loader.create_people()
    exchange = loader.create_exchange()
    loader.add_members(exchange)
    loader.create_groups(exchange)
    loader.create_activities(exchange)
    loader.create_forums()
    loader.record_gifts(exchange)
    loader.appoint(exchange)
    loader.add_photos(exchange)
    loader.create_commitments(exchange)
    return exchange


__all__ = ["DemoError", "ValidationError", "demo_exchange", "ensure_directory", "load_demo"]
