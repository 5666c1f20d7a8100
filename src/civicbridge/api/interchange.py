"""The versioned JSON interchange document: the whole database as one file.

``export_document()`` builds the document (a dict), ``dump()`` turns it into deterministic
text, ``import_document()`` loads a document into an empty database with the ids it
carries. The format is described in docs/export-format.md; the layout below (``SPECS``)
is its single source of truth.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from civicbridge.approvals.models import CostLine, PlanStep, ReceptionPlan
from civicbridge.attendance.models import Attendance, SpentCheckInLink
from civicbridge.core import hans_hant, uploads
from civicbridge.core.models import UserPreference
from civicbridge.core.services import check_characters
from civicbridge.directory import search
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    Organisation,
    Person,
    PersonAlias,
    PersonKey,
    Place,
    PlaceAlias,
    PlaceKey,
    Position,
    Side,
    ensure_sides,
)
from civicbridge.documents.models import CalendarToken, NewsBrief
from civicbridge.exchanges.models import (
    Activity,
    Composition,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    Gift,
    Group,
    Label,
    Member,
    Photo,
    Statement,
)
from civicbridge.forums.models import AgendaItem, Forum, Outcome, Speaker, Topic, TopicMention
from civicbridge.logistics.models import Needs, SeatAssignment, Stay, TravelLeg, Vehicle
from civicbridge.pairings.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
    Alliance,
    AllianceMember,
    Appointment,
    Attachment,
    CertificateNumbering,
    ChannelMembership,
    Commitment,
    CommitmentEvent,
    Message,
    NotificationPreference,
    Pairing,
    PairingBatch,
    ReadMark,
)
from civicbridge.programmes.models import ExchangeLink, Programme, ProgrammeFigure
from civicbridge.releases.models import (
    NoticeSubscription,
    Release,
    ReleaseChange,
    ReleasedActivity,
)
from civicbridge.reports.models import Provenance, Source

FORMAT = "civicbridge-export"
VERSION = 2
# Versions an import reads. Version 1 (before issue 12) kept a forum's speakers and topics
# inside the forum; they are read as the activity's speakers and the exchange's topics
# discussed (``_exchange_from_version_1``).
READABLE_VERSIONS = (1, 2)
# Rows read per query when exporting, records written per batch when importing.
CHUNK_SIZE = 2000
BATCH_SIZE = 2000
# Ids per ``IN (…)`` (SQLite allows 999 parameters).
IN_BATCH = 900
MAX_ID = 2**53
# Deeper than any tree of ours: a chain of parents this long is a loop.
MAX_DEPTH = 64


class InterchangeError(Exception):
    """A document that cannot be imported, or a database that cannot take it."""


@dataclass(frozen=True, eq=False)
class Spec:
    """One list of the document: which model, nested under what, with which lists inside."""

    key: str
    model: type[models.Model]
    # The foreign key implied by nesting (left out of each record), e.g. "exchange".
    parent_field: str | None = None
    # For a nested list whose parent is not a direct foreign key (forums under exchanges):
    # the lookup of the parent's id.
    parent_lookup: str | None = None
    children: tuple[Spec, ...] = ()
    # Many-to-many fields written as sorted lists of ids.
    m2m: tuple[str, ...] = ()
    # Foreign keys set in a second pass (they point at records created later).
    deferred: tuple[str, ...] = ()
    # Records identified by this natural key instead of an id (topics, seeded by migration).
    natural_key: str | None = None


FORUM_SPEC = Spec(
    "forums",
    Forum,
    parent_lookup="activity__exchange_id",
    children=(
        Spec("agenda", AgendaItem, parent_field="forum", m2m=("speakers",)),
        Spec("outcomes", Outcome, parent_field="forum"),
    ),
)

# Speakers belong to an activity (a forum's speakers are those of its activity).
SPEAKER_SPEC = Spec("speakers", Speaker, parent_lookup="activity__exchange_id")

# Records nested in an exchange that name other records of the same exchange: the key and
# the model it names (checked on import: a forum of another exchange's activity is refused).
_SAME_EXCHANGE: dict[type[models.Model], tuple[tuple[str, type[models.Model]], ...]] = {
    Forum: (("activity", Activity),),
    Speaker: (("activity", Activity),),
    Composition: (("group", Group),),
    Member: (("group", Group),),
    TopicMention: (("group", Group), ("activity", Activity), ("forum", Forum)),
    Statement: (("activity", Activity),),
    TravelLeg: (("member", Member),),
    Stay: (("member", Member),),
    Needs: (("member", Member),),
    SeatAssignment: (("member", Member),),
    Attendance: (("activity", Activity), ("member", Member)),
    NoticeSubscription: (("member", Member),),
}
# The models whose ids are collected per exchange for those checks.
_OF_EXCHANGE = frozenset(model for refs in _SAME_EXCHANGE.values() for _, model in refs)

# In dependency order: a list refers only to lists above it (or to itself, parents first),
# except the ``deferred`` keys and links between exchanges (``other``: any exchange).
SPECS: tuple[Spec, ...] = (
    Spec("places", Place),
    Spec("place_aliases", PlaceAlias),
    Spec("organisations", Organisation),
    Spec("people", Person),
    Spec("person_aliases", PersonAlias),
    Spec("positions", Position),
    Spec("topics", Topic, natural_key="code"),
    Spec("labels", Label, m2m=("places",)),
    Spec(
        "exchanges",
        Exchange,
        m2m=("labels",),
        children=(
            Spec("places", ExchangePlace, parent_field="exchange"),
            Spec("organisations", ExchangeOrganisation, parent_field="exchange"),
            Spec("groups", Group, parent_field="exchange", deferred=("leader",)),
            Spec("composition", Composition, parent_field="exchange"),
            Spec("members", Member, parent_field="exchange"),
            # A visit's logistics (logistics/models.py); needs are personal data.
            Spec("travel_legs", TravelLeg, parent_lookup="member__exchange_id"),
            Spec("stays", Stay, parent_lookup="member__exchange_id"),
            Spec("needs", Needs, parent_lookup="member__exchange_id"),
            Spec(
                "vehicles",
                Vehicle,
                parent_field="exchange",
                children=(Spec("assignments", SeatAssignment, parent_field="vehicle"),),
            ),
            Spec(
                "activities",
                Activity,
                parent_field="exchange",
                m2m=("groups", "hosts", "participants"),
            ),
            SPEAKER_SPEC,
            FORUM_SPEC,
            Spec("topic_mentions", TopicMention, parent_field="exchange"),
            Spec("statements", Statement, parent_field="exchange"),
            Spec("links", ExchangeLink, parent_field="exchange"),
            Spec("news_briefs", NewsBrief, parent_field="exchange"),
            # The reception plan (approvals/models.py): its cost lines and approval steps.
            Spec(
                "reception_plan",
                ReceptionPlan,
                parent_field="exchange",
                children=(
                    Spec("cost_lines", CostLine, parent_field="plan"),
                    Spec("steps", PlanStep, parent_field="plan"),
                ),
            ),
            # Who checked in at which activity (attendance/models.py).
            Spec("attendance", Attendance, parent_lookup="activity__exchange_id"),
            Spec(
                "releases",
                Release,
                parent_field="exchange",
                children=(
                    Spec("activities", ReleasedActivity, parent_field="release"),
                    Spec("changes", ReleaseChange, parent_field="release"),
                ),
            ),
            # The e-mail is personal (NoticeSubscription.PERSONAL_FIELDS).
            Spec("notice_subscriptions", NoticeSubscription, parent_field="exchange"),
        ),
    ),
    Spec("gifts", Gift),
    Spec("photos", Photo),
    Spec(
        "programmes",
        Programme,
        m2m=("exchanges",),
        children=(Spec("figures", ProgrammeFigure, parent_field="programme"),),
    ),
    Spec(
        "agreements",
        Agreement,
        children=(
            Spec("parties", AgreementParty, parent_field="agreement"),
            Spec("signatories", AgreementSignatory, parent_field="agreement"),
        ),
    ),
    Spec(
        "alliances",
        Alliance,
        children=(Spec("members", AllianceMember, parent_field="alliance"),),
    ),
    Spec("pairing_batches", PairingBatch, m2m=("districts_a", "districts_b")),
    Spec("pairings", Pairing),
    Spec("appointments", Appointment),
    Spec("certificate_numberings", CertificateNumbering),
    Spec(
        "commitments",
        Commitment,
        children=(Spec("events", CommitmentEvent, parent_field="commitment"),),
    ),
    Spec(
        "messages",
        Message,
        children=(Spec("attachments", Attachment, parent_field="message"),),
    ),
    Spec(
        "sources",
        Source,
        m2m=("exchanges",),
        children=(Spec("provenance", Provenance, parent_field="source"),),
    ),
)

# Models of our apps that are deliberately not part of the document: accounts, their
# preferences, what they follow and have read, and their secret calendar links belong to
# the installation, not to the data.
# The two sides are seeded by a migration (ensure_sides) and named by code ("side":
# "taiwan"), like topics but fixed.
NOT_EXPORTED: tuple[type[models.Model], ...] = (
    Side,
    # The search index: derived rows, rebuilt after an import (search.index_unindexed).
    PlaceKey,
    PersonKey,
    UserPreference,
    CalendarToken,
    ChannelMembership,
    ReadMark,
    NotificationPreference,
    # Spent check-in links: their tokens are signed with this installation's SECRET_KEY,
    # which no other installation shares, so they mean nothing elsewhere.
    SpentCheckInLink,
)
# Apps whose every model belongs to the installation: roles, API tokens, the audit log.
NOT_EXPORTED_APPS: tuple[str, ...] = ("accounts",)


def _walk(specs: tuple[Spec, ...] = SPECS) -> Iterator[Spec]:
    for spec in specs:
        yield spec
        yield from _walk(spec.children)


def _paths(specs: tuple[Spec, ...] = SPECS, prefix: str = "") -> Iterator[tuple[str, Spec]]:
    for spec in specs:
        yield prefix + spec.key, spec
        yield from _paths(spec.children, f"{prefix}{spec.key}.")


def exported_models() -> list[type[models.Model]]:
    return [spec.model for spec in _walk()]


def domain_models() -> list[type[models.Model]]:
    """The models an import fills; the database must hold none of their rows beforehand
    (topics excepted: they are seeded by a migration and matched by code)."""
    return [spec.model for spec in _walk() if spec.natural_key is None]


# Bookkeeping fields of the abstract bases: written after a record's own fields.
_LAST = ("created_at", "updated_at", "version", "deleted_at")


def _fields(spec: Spec) -> list[models.Field]:
    fields = [f for f in spec.model._meta.concrete_fields if f.name != spec.parent_field]
    return sorted(fields, key=lambda f: _LAST.index(f.name) + 1 if f.name in _LAST else 0)


def _personal(spec: Spec) -> frozenset[str]:
    """The personal fields of the model, and those stored beside them (a permit's expiry)."""
    fields = tuple(getattr(spec.model, "PERSONAL_FIELDS", ()))
    companions = getattr(spec.model, "PERSONAL_COMPANIONS", {})
    return frozenset(fields + tuple(c for f in fields for c in companions.get(f, ())))


def _m2m_columns(m2m_field: models.ManyToManyField) -> tuple[str, str]:
    """The through table's columns for the record and for the record it names
    (``pairingbatch_id``, ``place_id`` of ``PairingBatch.districts_a``)."""
    through = m2m_field.remote_field.through._meta
    return (
        through.get_field(m2m_field.m2m_field_name()).attname,
        through.get_field(m2m_field.m2m_reverse_field_name()).attname,
    )


# ---------------------------------------------------------------------------------------
# Generic references (a provenance row names a record of any list): the record's model by
# its natural key, "app_label.model" ("exchanges.exchange"), never a content-type id (they
# differ from one database to the next), and the record's id, kept by the import.


def _content_type_label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


@functools.cache
def _referable_models() -> dict[str, type[models.Model]]:
    """The models a generic reference may name: those of the document that keep their ids."""
    return {
        f"{m._meta.app_label}.{m._meta.model_name}": m
        for m in (spec.model for spec in _walk() if spec.natural_key is None)
    }


# ---------------------------------------------------------------------------------------
# Uploaded files: referred to by the generated name of their record's file (e.g.
# "3f2c…9a.png"), never by a path that could be served; the files themselves are sent only
# by the views that check their record's permission (core/uploads.py).


def _file_reference(f: models.FileField, name: str) -> str:
    return (name or "").rsplit("/", 1)[-1]


def _stored_name(f: models.FileField, value, where: str) -> str:
    if not isinstance(value, str):
        raise InterchangeError(f"{where}: expected a file name.")
    if value == "":
        return ""
    if not uploads.is_generated_name(value):
        raise InterchangeError(
            f"{where}: {value!r} is not a file name CivicBridge generates "
            "(32 hexadecimal digits and one of our extensions, e.g. 3f2c….png)."
        )
    directory = getattr(f.model, "UPLOAD_DIR", None) or str(f.upload_to).strip("/")
    return f"{directory}/{value}"


# ---------------------------------------------------------------------------------------
# Export


def _iso_datetime(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


class _Exporter:
    """Writes records one by one: each list is read with ``.iterator(chunk_size)`` in the
    document's order, nested lists are merged in by their parents' ids (they are read in
    the same order), many-to-many ids are fetched per chunk. Memory stays bounded by a
    chunk and one top-level record (an exchange with everything in it)."""

    def __init__(self, *, include_personal: bool, chunk_size: int = CHUNK_SIZE):
        self.include_personal = include_personal
        self.chunk_size = chunk_size
        self.topic_codes = dict(Topic.objects.values_list("pk", "code"))
        self.user_model = get_user_model()
        self.usernames = dict(self.user_model._base_manager.values_list("pk", "username"))
        self.content_type_labels = {
            ct.pk: _content_type_label(ct) for ct in ContentType.objects.all()
        }
        self.layouts: dict[Spec, list[tuple[str, int, Callable | None]]] = {}

    def converter(self, f: models.Field) -> Callable | None:
        """How a stored value (as ``values_list`` reads it) becomes the document's value;
        None: as it is."""
        if f.is_relation:
            if f.related_model is Topic:
                return self.topic_codes.__getitem__
            if f.related_model is self.user_model:
                return self.usernames.__getitem__
            if f.related_model is ContentType:
                return self.content_type_labels.__getitem__
            return None
        if isinstance(f, models.FileField):
            return lambda name, f=f: _file_reference(f, name)
        if isinstance(f, models.DateTimeField):
            return _iso_datetime
        if isinstance(f, models.DateField):
            return dt.date.isoformat
        if isinstance(f, models.DecimalField):
            # As text with the field's decimal places ("221.00"): exact, whatever the database.
            exponent = Decimal(1).scaleb(-f.decimal_places)
            return lambda value: str(Decimal(value).quantize(exponent))
        return None

    def layout(self, spec: Spec) -> list[tuple[str, int, Callable | None]]:
        """(key, column, converter) of each value of a record, in the document's order;
        column 0 is the primary key."""
        if spec not in self.layouts:
            skip = set() if self.include_personal else _personal(spec)
            columns = self.columns(spec)
            self.layouts[spec] = [
                ("id" if f.primary_key else f.name, columns.index(f.attname), self.converter(f))
                for f in _fields(spec)
                if f.name not in skip and not (f.primary_key and spec.natural_key)
            ]
        return self.layouts[spec]

    @staticmethod
    def columns(spec: Spec) -> list[str]:
        pk = spec.model._meta.pk.attname
        return [pk, *(f.attname for f in _fields(spec) if not f.primary_key)]

    def record(self, spec: Spec, row: tuple, m2m: dict, nested: dict[str, list]) -> dict:
        out = {}
        for key, column, convert in self.layout(spec):
            value = row[column]
            out[key] = value if value is None or convert is None else convert(value)
        for name in spec.m2m:
            out[name] = sorted(m2m.get(name, {}).get(row[0], ()))
        out.update(nested)
        return out

    def objects(
        self, spec: Spec, ancestors: tuple[str, ...]
    ) -> Iterator[tuple[tuple, tuple, dict]]:
        """The rows of ``spec`` (tuples of ``columns``) ordered by their ancestors' ids, then
        by id, each with the tuple of its ancestors' ids (empty for a top-level list) and
        its many-to-many ids."""
        qs = spec.model._base_manager.all()
        names = self.columns(spec)
        if ancestors:
            qs = qs.annotate(**{f"_cb_a{i}": models.F(a) for i, a in enumerate(ancestors)})
            # A record whose link to its parent is empty (a nullable link) is in no parent.
            qs = qs.filter(**{f"{a}__isnull": False for a in ancestors})
            names += [f"_cb_a{i}" for i in range(len(ancestors))]
        qs = qs.order_by(*ancestors, spec.natural_key or "pk").values_list(*names)
        width = len(names) - len(ancestors)
        batch: list[tuple] = []
        for row in qs.iterator(chunk_size=self.chunk_size):
            batch.append(row)
            if len(batch) >= self.chunk_size:
                yield from self._with_m2m(spec, width, batch)
                batch = []
        yield from self._with_m2m(spec, width, batch)

    def _with_m2m(self, spec: Spec, width: int, batch: list[tuple]):
        m2m: dict[str, dict[int, list[int]]] = {}
        for name in spec.m2m:
            m2m_field = spec.model._meta.get_field(name)
            through = m2m_field.remote_field.through
            source, target = _m2m_columns(m2m_field)
            links = m2m[name] = defaultdict(list)
            pks = [row[0] for row in batch]
            for start in range(0, len(pks), IN_BATCH):
                for a, b in through.objects.filter(
                    **{f"{source}__in": pks[start : start + IN_BATCH]}
                ).values_list(source, target):
                    links[a].append(b)
        for row in batch:
            yield row[width:], row, m2m

    def records(self, spec: Spec, ancestors: tuple[str, ...] = ()) -> Iterator[tuple[tuple, dict]]:
        """(ancestors' ids, record with its nested lists), in the document's order."""
        children = []
        for child in spec.children:
            via = child.parent_lookup or f"{child.parent_field}_id"
            up = child.parent_lookup or child.parent_field
            chain = (*(f"{up}__{a}" for a in ancestors), via) if ancestors else (via,)
            children.append((child, _Peekable(self.records(child, chain))))
        for key, row, m2m in self.objects(spec, ancestors):
            own = (*key, row[0])
            nested = {}
            for child, rows in children:
                items = []
                while rows.head is not None and rows.head[0] <= own:
                    child_key, record = rows.pop()
                    if child_key == own:
                        items.append(record)
                nested[child.key] = items
            yield key, self.record(spec, row, m2m, nested)


class _Peekable:
    def __init__(self, iterator):
        self.iterator = iterator
        self.head = next(iterator, None)

    def pop(self):
        head = self.head
        self.head = next(self.iterator, None)
        return head


def export_document(*, include_personal: bool = True, timestamp: bool = True) -> dict:
    """The whole database as one document (a dict; ``write_document`` streams it instead).
    ``include_personal=False`` leaves out the personal fields of people (phone, e-mail,
    permit number, date of birth)."""
    exporter = _Exporter(include_personal=include_personal)
    document = _header(include_personal=include_personal, timestamp=timestamp)
    for spec in SPECS:
        document[spec.key] = [record for _, record in exporter.records(spec)]
    return document


def _header(*, include_personal: bool, timestamp: bool) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (
            _iso_datetime(timezone.now().replace(microsecond=0)) if timestamp else None
        ),
        "includes_personal_data": include_personal,
    }


def dump(document: dict) -> str:
    """Deterministic text: the same database gives the same bytes (but for exported_at)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _encoded(value, level: int) -> str:
    """``value`` as ``dump`` writes it when it starts ``level`` indents deep (JSON text has
    no raw newlines inside strings, so indenting every line is exact)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level) if level else text


_scalar = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _encoded_record(record: dict, level: int) -> str:
    """``_encoded(record, level)``, fast: json's indenting encoder is written in Python, so
    scalars and lists of ids are encoded here by the C encoder, line by line."""
    pad = "  " * (level + 1)
    lines = []
    for key, value in record.items():
        if isinstance(value, list):
            if not value:
                text = "[]"
            elif all(type(item) is int for item in value):
                inner = ",\n" + pad + "  "
                text = "[\n" + pad + "  " + inner.join(map(str, value)) + "\n" + pad + "]"
            else:
                text = _encoded(value, level + 1)
        elif isinstance(value, dict):
            text = _encoded(value, level + 1)
        else:
            text = _scalar(value)
        lines.append(f"{pad}{_scalar(key)}: {text}")
    if not lines:
        return "{}"
    return "{\n" + ",\n".join(lines) + "\n" + "  " * level + "}"


def write_document(
    out, *, include_personal: bool = True, timestamp: bool = True, chunk_size: int = CHUNK_SIZE
) -> dict[str, int]:
    """Write the document to the text stream ``out`` record by record: the same bytes as
    ``dump(export_document(...))`` in bounded memory. Returns how many top-level records
    each list holds."""
    exporter = _Exporter(include_personal=include_personal, chunk_size=chunk_size)
    header = _header(include_personal=include_personal, timestamp=timestamp)
    write = out.write
    write("{")
    separator = "\n"
    for key, value in header.items():
        write(f"{separator}  {_encoded(key, 0)}: {_encoded(value, 1)}")
        separator = ",\n"
    counts = {}
    for spec in SPECS:
        write(f"{separator}  {_encoded(spec.key, 0)}: [")
        n = 0
        for _, record in exporter.records(spec):
            write(("\n    " if n == 0 else ",\n    ") + _encoded_record(record, 2))
            n += 1
        write("\n  ]" if n else "]")
        counts[spec.key] = n
    write("\n}\n")
    return counts


# ---------------------------------------------------------------------------------------
# Import
#
# The document is read as a stream of events (``_events`` for a dict already in memory,
# ``read_events`` for a file): top-level values, and the records of each list one by one.
# Each record is checked, turned into model instances and written in batches inside one
# transaction, so that a national directory loads in bounded memory: what is kept is the
# set of ids seen per list (a bitmap), the references that point forward (a record's
# parent later in the file, a group's leader) and, for the trees, each record's parent id.
# Foreign keys are checked by the database at commit (Django creates them deferrable), by
# us before it for a clear message.


class NotJSON(InterchangeError):
    """The text is not JSON at all."""


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Reader:
    """An incremental reader of one JSON object whose values are lists: yields
    ("value", key, value) for a top-level value that is not a list, and ("item", key,
    record) for each element of a top-level list (("list", key, None) before the first)."""

    def __init__(self, stream, chunk_chars: int = 1 << 20):
        self.stream = stream
        self.chunk_chars = chunk_chars
        self.buffer = ""
        self.pos = 0
        self.dropped = 0
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(self.chunk_chars)
        if not chunk:
            self.eof = True
            return False
        if self.pos:
            self.dropped += self.pos
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        self.buffer += chunk
        return True

    def _error(self, message: str, at: int | None = None):
        where = self.dropped + (self.pos if at is None else at)
        return NotJSON(f"{message} (at character {where}).")

    def _peek(self) -> str:
        while True:
            self.pos = _WHITESPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                return ""

    def _expect(self, chars: str) -> str:
        char = self._peek()
        if not char or char not in chars:
            found = repr(char) if char else "the end of the file"
            raise self._error(f"expected {' or '.join(repr(c) for c in chars)}, found {found}")
        self.pos += 1
        return char

    def _value(self):
        self._peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self._fill():
                    continue
                raise self._error(exc.msg, exc.pos) from exc
            except RecursionError as exc:
                raise self._error("nested too deeply") from exc
            if end == len(self.buffer) and not isinstance(value, dict | list) and self._fill():
                continue  # a number or literal may go on in the next chunk
            self.pos = end
            return value

    def __iter__(self):
        char = self._peek()
        if char != "{":
            self._value()  # not JSON: NotJSON; JSON but not an object: the caller says so
            raise InterchangeError("The file is not a CivicBridge export (expected a JSON object).")
        self.pos += 1
        if self._peek() == "}":
            self.pos += 1
        else:
            while True:
                if self._peek() != '"':
                    raise self._error("expected a key in double quotes")
                key = self._value()
                self._expect(":")
                if self._peek() == "[":
                    self.pos += 1
                    yield ("list", key, None)
                    if self._peek() == "]":
                        self.pos += 1
                    else:
                        while True:
                            yield ("item", key, self._value())
                            if self._expect(",]") == "]":
                                break
                else:
                    yield ("value", key, self._value())
                if self._expect(",}") == "}":
                    break
        if self._peek():
            raise self._error("extra data after the document")


def read_events(stream, chunk_chars: int = 1 << 20):
    """The events of a document read from the text stream ``stream`` (see ``_Reader``)."""
    return iter(_Reader(stream, chunk_chars))


def _events(document):
    """The events of a document held in memory, in the order an export writes them."""
    if not isinstance(document, dict):
        raise InterchangeError("The file is not a CivicBridge export (expected a JSON object).")
    specs = {spec.key for spec in SPECS}
    for key, value in document.items():
        if key not in specs:
            yield ("value", key, value)
    for spec in SPECS:
        if spec.key not in document:
            continue
        records = document[spec.key]
        if not isinstance(records, list):
            yield ("value", spec.key, records)
            continue
        yield ("list", spec.key, None)
        for record in records:
            yield ("item", spec.key, record)


class _IdSet:
    """Positive ids: a bitmap for the dense range, a set beyond it."""

    DENSE = 1 << 24

    def __init__(self):
        self.bits = bytearray()
        self.sparse: set[int] = set()

    def add(self, pk: int) -> None:
        if pk < self.DENSE:
            byte = pk >> 3
            if byte >= len(self.bits):
                self.bits.extend(bytes(max(byte + 1 - len(self.bits), len(self.bits))))
            self.bits[byte] |= 1 << (pk & 7)
        else:
            self.sparse.add(pk)

    def __contains__(self, pk: int) -> bool:
        if pk < self.DENSE:
            byte = pk >> 3
            return byte < len(self.bits) and bool(self.bits[byte] & (1 << (pk & 7)))
        return pk in self.sparse


class _IdMap:
    """id → parent id for the records of a tree: an array for the dense range (0: no
    parent), a dict beyond it."""

    DENSE = 1 << 24

    def __init__(self):
        self.dense = array("q")
        self.sparse: dict[int, int] = {}

    def __setitem__(self, pk: int, parent: int) -> None:
        if pk < self.DENSE:
            if pk >= len(self.dense):
                self.dense.extend(
                    array("q", bytes(8 * max(pk + 1 - len(self.dense), len(self.dense))))
                )
            self.dense[pk] = parent
        else:
            self.sparse[pk] = parent

    def get(self, pk: int) -> int | None:
        if pk < self.DENSE:
            parent = self.dense[pk] if pk < len(self.dense) else 0
        else:
            parent = self.sparse.get(pk, 0)
        return parent or None


@dataclass
class _Pending:
    """Instances of one list waiting to be written."""

    spec: Spec
    # Rows of values in the order of the list's _Plan.attnames.
    objects: list[list] = field(default_factory=list)
    m2m: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    count: int = 0


def _where(path: str, key: str | None = None) -> str:
    return f"{path}.{key}" if key else path


HEADER_KEYS = ("format", "version", "exported_at", "includes_personal_data")


class _Importer:
    def __init__(self, *, batch_size: int = BATCH_SIZE):
        self.batch_size = batch_size
        self.ids: dict[type[models.Model], _IdSet] = defaultdict(_IdSet)
        self.topic_codes: set[str] = set()
        self.topic_pk: dict[str, int] = dict(Topic.objects.values_list("code", "pk"))
        self.user_model = get_user_model()
        self.user_pk: dict[str, int] = {}
        self.users_created = 0
        self.pending: dict[Spec, _Pending] = {}
        # References to records not seen yet: (model, id, where), checked at the end.
        self.forward: list[tuple[type[models.Model], int, str]] = []
        # Deferred foreign keys (a group's leader): (spec, pk, {attname: id}).
        self.deferred: list[tuple[Spec, int, dict[str, int]]] = []
        # For the trees (places, organisations): the parent of every record, and the
        # records whose parent has a greater id or comes later (where a loop must pass).
        self.parents: dict[Spec, _IdMap] = defaultdict(_IdMap)
        self.upward: dict[Spec, list[int]] = defaultdict(list)
        # The groups, activities and forums of the exchange being read (_SAME_EXCHANGE).
        self.of_exchange: dict[type[models.Model], set[int]] = defaultdict(set)
        self.header: dict = {}
        self.seen_lists: list[str] = []
        # The ``auto_now`` fields (switched off while importing): now, when a record has none.
        self.auto_now: frozenset[models.Field] = frozenset()
        self.plans: dict[Spec, _Plan] = {}
        # The sides (seeded rows, referred to by code) and the places whose path waits for
        # an ancestor later in the file.
        self.sides: set[str] = set()
        self.paths_later: list[int] = []

    # -- the top level -------------------------------------------------------------------
    def value(self, key: str, value) -> None:
        if key in self.header or key in self.seen_lists:
            raise InterchangeError(f'"{key}" appears twice.')
        if key in HEADER_KEYS:
            self.header[key] = value
            if key == "format":
                _check_format(value)
            elif key == "version":
                _check_version(value)
            return
        spec = _TOP.get(key)
        if spec is None:
            raise InterchangeError(f"Unknown top-level key(s): {key}.")
        raise InterchangeError(f"{key}: expected a list, found {type(value).__name__}.")

    def start_list(self, key: str) -> Spec:
        if key in self.header or key in self.seen_lists:
            raise InterchangeError(f'"{key}" appears twice.')
        spec = _TOP.get(key)
        if spec is None:
            raise InterchangeError(f"Unknown top-level key(s): {key}.")
        self.check_header()
        order = [s.key for s in SPECS]
        if self.seen_lists and order.index(self.seen_lists[-1]) > order.index(key):
            raise InterchangeError(
                f'"{key}" comes after "{self.seen_lists[-1]}"; the lists must be in the '
                "order of docs/export-format.md."
            )
        if self.seen_lists:
            self.finish_list(_TOP[self.seen_lists[-1]])
        self.seen_lists.append(key)
        return spec

    def check_header(self) -> None:
        _check_format(self.header.get("format"))
        _check_version(self.header.get("version"))

    def finish_list(self, spec: Spec) -> None:
        for s in _walk((spec,)):
            self.flush(s)
        if spec.natural_key:
            self.topic_pk = dict(Topic.objects.values_list("code", "pk"))

    # -- records -------------------------------------------------------------------------
    def reference(self, f: models.Field, value, where: str):
        target = f.related_model
        if target is Topic:
            if value not in self.topic_codes and value not in self.topic_pk:
                raise InterchangeError(f"{where}: no topic with code {value!r}.")
            return value
        if target is self.user_model:
            if not isinstance(value, str) or not value:
                raise InterchangeError(f"{where}: expected a username.")
            return self.user(value)
        if target is Side:
            if value not in self.sides:
                raise InterchangeError(f"{where}: no side with code {value!r}.")
            return value
        if target is ContentType:
            model = _referable_models().get(value) if isinstance(value, str) else None
            if model is None:
                raise InterchangeError(
                    f"{where}: {value!r} is not a kind of record of the document "
                    '(app label and model, e.g. "exchanges.exchange").'
                )
            return ContentType.objects.get_for_model(model).pk
        if not isinstance(value, int) or isinstance(value, bool):
            raise InterchangeError(f"{where}: expected an id (a whole number), found {value!r}.")
        if value < 1 or value > MAX_ID:
            raise InterchangeError(
                f"{where}: refers to {target._meta.model_name} {value}, which is not in the file."
            )
        if value not in self.ids[target]:
            self.forward.append((target, value, where))
        return value

    def user(self, username: str) -> int:
        pk = self.user_pk.get(username)
        if pk is None:
            User = self.user_model
            pk = User._base_manager.filter(username=username).values_list("pk", flat=True).first()
            if pk is None:
                # An account named in the file but unknown here: recorded, unable to sign in.
                user = User(username=username, is_active=False)
                user.set_unusable_password()
                user.save()
                pk = user.pk
                self.users_created += 1
            self.user_pk[username] = pk
        return pk

    def plan(self, spec: Spec) -> _Plan:
        plan = self.plans.get(spec)
        if plan is None:
            plan = self.plans[spec] = _Plan(spec, self)
        return plan

    def record(self, spec: Spec, record, where: str, parent_id: int | None = None) -> None:
        if not isinstance(record, dict):
            raise InterchangeError(f"{where}: expected an object.")
        pending = self.pending.get(spec) or self.pending.setdefault(spec, _Pending(spec))
        plan = self.plan(spec)
        if not record.keys() <= plan.known:
            unknown = sorted(set(record) - plan.known)
            raise InterchangeError(f"{where}: unknown key(s) {', '.join(unknown)}.")
        pk = None
        if spec.natural_key:
            code = record.get(spec.natural_key)
            if not isinstance(code, str) or not code:
                raise InterchangeError(f"{where}.{spec.natural_key}: missing.")
            if code in self.topic_codes:
                raise InterchangeError(f"{where}: {spec.natural_key} {code!r} appears twice.")
            self.topic_codes.add(code)
        else:
            pk = record.get("id")
            if type(pk) is not int or pk < 1 or pk > MAX_ID:
                raise InterchangeError(f"{where}.id: expected a positive whole number.")
            ids = self.ids[spec.model]
            if pk in ids:
                raise InterchangeError(f"{where}.id: {spec.key} id {pk} appears twice.")
            ids.add(pk)
        if spec.model is Place and "region" in record:
            record = _without_region(record)
        if self.header.get("version") == 1:
            if spec.model is Exchange:
                record = _exchange_from_version_1(record)
            elif spec.model is Pairing:
                record = _pairing_from_version_1(record)
        row = [pk]
        for column in plan.columns:
            name = column.name
            if name not in record:
                if column.required:
                    raise InterchangeError(f"{where}.{name}: missing.")
                row.append(column.default())
                continue
            value = record[name]
            if value is None:
                if not column.null:
                    raise InterchangeError(f"{where}.{name}: may not be null.")
                row.append(None)
                continue
            value = column.parse(value, where)
            if column.deferred:
                self.deferred.append((spec, pk, {column.attname: value}))
                value = None
            elif column.tree:
                self.parents[spec][pk] = value
                if value >= pk or value not in self.ids[spec.model]:
                    self.upward[spec].append(pk)
            row.append(value)
        if spec.parent_field:
            row.append(parent_id)
        if spec.model is Place:
            path = self.place_path(spec, pk)
            if path is None:
                self.paths_later.append(pk)
            else:
                row[plan.index["path"]] = path
        if spec.model is Exchange:
            self.of_exchange = defaultdict(set)
        for name in spec.m2m:
            values = record.get(name, [])
            if not isinstance(values, list):
                raise InterchangeError(f"{where}.{name}: expected a list of ids.")
            m2m_field = spec.model._meta.get_field(name)
            for value in values:
                self.reference(m2m_field, value, f"{where}.{name}")
                pending.m2m[name].append((pk, value))
        for name, model in _SAME_EXCHANGE.get(spec.model, ()):
            value = row[plan.index[name]]
            if value is not None and value not in self.of_exchange[model]:
                raise InterchangeError(
                    f"{where}.{name}: {model._meta.model_name} {value} is not in this exchange."
                )
        if spec.model in _OF_EXCHANGE:
            self.of_exchange[spec.model].add(pk)
        if spec.model is Provenance:
            model = ContentType.objects.get_for_id(row[plan.index["content_type"]]).model_class()
            record_id = row[plan.index["object_id"]]
            if record_id < 1 or record_id > MAX_ID:
                raise InterchangeError(
                    f"{where}.object_id: refers to {model._meta.model_name} {record_id}, "
                    "which is not in the file."
                )
            if record_id not in self.ids[model]:
                self.forward.append((model, record_id, f"{where}.object_id"))
        pending.objects.append(row)
        pending.count += 1
        for child in spec.children:
            records = record.get(child.key, [])
            path = f"{where}.{child.key}"
            if not isinstance(records, list):
                raise InterchangeError(f"{path}: expected a list, found {type(records).__name__}.")
            for index, item in enumerate(records):
                self.record(child, item, f"{path}[{index}]", pk)
        if len(pending.objects) >= self.batch_size and not spec.natural_key:
            self.flush(spec)

    def place_path(self, spec: Spec, pk: int) -> str | None:
        """The path of place ``pk``, made from its ancestors' ids (so that a file's paths,
        whatever their form, are rebuilt in the one representation); None while an
        ancestor is not in yet."""
        chain = [pk]
        parents, ids = self.parents[spec], self.ids[spec.model]
        current = parents.get(pk)
        while current is not None:
            if current not in ids or len(chain) > MAX_DEPTH:
                return None
            chain.append(current)
            current = parents.get(current)
        path = None
        for ancestor in reversed(chain):
            path = Place.path_below(path, ancestor)
        return path

    def fix_paths(self, spec: Spec) -> None:
        """Paths of the places that came before an ancestor of theirs."""
        rows = [(self.place_path(spec, pk), pk) for pk in self.paths_later]
        for start in range(0, len(rows), self.batch_size):
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE {} SET {} = %s WHERE {} = %s".format(  # noqa: S608 (our names)
                        *map(connection.ops.quote_name, (Place._meta.db_table, "path", "id"))
                    ),
                    rows[start : start + self.batch_size],
                )
        self.paths_later = []

    def scalar(self, f: models.Field, value, where: str):
        if isinstance(value, dict | list):
            raise InterchangeError(f"{where}: expected a single value.")
        if isinstance(f, models.FileField):
            return _stored_name(f, value, where)
        if isinstance(f, models.BooleanField) and not isinstance(value, bool):
            raise InterchangeError(f"{where}: expected true or false.")
        if isinstance(f, models.IntegerField) and (
            not isinstance(value, int) or isinstance(value, bool)
        ):
            raise InterchangeError(f"{where}: expected a whole number.")
        if isinstance(f, models.CharField | models.TextField) and not isinstance(value, str):
            raise InterchangeError(f"{where}: expected text.")
        if isinstance(f, models.DecimalField) and (
            not isinstance(value, str | int) or isinstance(value, bool)
        ):
            raise InterchangeError(f'{where}: expected a number as text, e.g. "221.00".')
        try:
            parsed = f.to_python(value)
        except ValidationError as exc:
            raise InterchangeError(f"{where}: {' '.join(exc.messages)}") from exc
        if isinstance(f, models.DateTimeField):
            if not isinstance(value, str) or "T" not in value:
                raise InterchangeError(f"{where}: expected a date and time (ISO 8601).")
            if timezone.is_naive(parsed):
                raise InterchangeError(f"{where}: a date and time needs its UTC offset.")
        elif isinstance(f, models.DateField) and not isinstance(value, str):
            raise InterchangeError(f"{where}: expected a date (YYYY-MM-DD).")
        if (
            getattr(f, "choices", None)
            and parsed not in _choices(f)
            and not (parsed == "" and f.blank)
        ):
            raise InterchangeError(f"{where}: {parsed!r} is not one of the allowed values.")
        if isinstance(f, models.CharField) and f.max_length and len(parsed) > f.max_length:
            raise InterchangeError(f"{where}: longer than {f.max_length} characters.")
        if isinstance(f, models.CharField | models.TextField):
            try:  # NUL and other controls: refused by PostgreSQL, so by every database
                check_characters(parsed, field=f.name, multiline=True)
            except ValidationError as exc:
                raise InterchangeError(f"{where}: {' '.join(exc.messages)}") from exc
        return parsed

    # -- writing -------------------------------------------------------------------------
    def flush(self, spec: Spec) -> None:
        pending = self.pending.get(spec)
        if pending is None:
            return
        plan = self.plan(spec)
        if spec.natural_key:
            self.write_topics(
                [
                    spec.model(**dict(zip(plan.attnames[1:], row[1:], strict=True)))
                    for row in pending.objects
                ]
            )
            pending.objects = []
            return
        if pending.objects:
            rows = [
                [prep(v) for prep, v in zip(plan.preps, row, strict=True)]
                for row in pending.objects
            ]
            with connection.cursor() as cursor:
                cursor.executemany(plan.insert_sql, rows)
        pending.objects = []
        for name, pairs in pending.m2m.items():
            m2m_field = spec.model._meta.get_field(name)
            through = m2m_field.remote_field.through
            source, target = _m2m_columns(m2m_field)
            through.objects.bulk_create(
                [through(**{source: a, target: b}) for a, b in sorted(set(pairs))],
                batch_size=500,
            )
        pending.m2m = defaultdict(list)

    def finish(self) -> None:
        if self.seen_lists:
            self.finish_list(_TOP[self.seen_lists[-1]])
        for target, value, where in self.forward:
            if value not in self.ids[target]:
                raise InterchangeError(
                    f"{where}: refers to {target._meta.model_name} {value}, "
                    "which is not in the file."
                )
        self.forward = []
        for spec, starts in self.upward.items():
            _check_no_loop(spec, self.parents[spec], starts)
        if self.paths_later:
            self.fix_paths(_TOP["places"])
        by_spec: dict[Spec, list[tuple[int, dict[str, int]]]] = defaultdict(list)
        for spec, pk, later in self.deferred:
            by_spec[spec].append((pk, later))
        for spec, rows in by_spec.items():
            names = sorted({spec.model._meta.get_field(a).name for _, later in rows for a in later})
            objects = []
            for pk, later in rows:
                obj = spec.model(pk=pk)
                for attname, value in later.items():
                    setattr(obj, attname, value)
                objects.append(obj)
            spec.model._base_manager.bulk_update(objects, names, batch_size=500)

    def write_topics(self, objects: list[Topic]) -> None:
        # Broader topics are named by code and may come later in the file: set afterwards.
        broader: dict[str, str | None] = {}
        for obj in objects:
            broader[obj.code] = obj.parent_id
            obj.parent_id = None
        existing = {t.code: t for t in Topic.objects.all()}
        names = [f.attname for f in Topic._meta.concrete_fields if not f.primary_key]
        new = []
        for obj in objects:
            current = existing.get(obj.code)
            if current is None:
                new.append(obj)
            else:
                Topic.objects.filter(pk=current.pk).update(
                    **{name: getattr(obj, name) for name in names}
                )
        Topic.objects.bulk_create(new)
        self.topic_pk = dict(Topic.objects.values_list("code", "pk"))
        self.set_broader_topics(broader)

    def set_broader_topics(self, broader: dict[str, str | None]) -> None:
        for code, parent in broader.items():
            if parent is not None and parent not in self.topic_pk:
                raise InterchangeError(f"topics: {code!r}.parent: no topic with code {parent!r}.")
            seen = [code]
            while parent is not None:
                if parent in seen:
                    raise InterchangeError(f"topics: the broader topics of {code!r} form a loop.")
                seen.append(parent)
                parent = broader.get(parent)
        by_parent: dict[str, list[str]] = defaultdict(list)
        for code, parent in broader.items():
            if parent is not None:
                by_parent[parent].append(code)
        for parent, codes in sorted(by_parent.items()):
            Topic.objects.filter(code__in=codes).update(parent_id=self.topic_pk[parent])


class _Column:
    """How one key of a record is checked and becomes a column value."""

    def __init__(self, spec: Spec, f: models.Field, importer: _Importer):
        self.name = f.name
        self.attname = f.attname
        self.null = f.null
        self.required = (f.is_relation and not f.null) or (
            not f.is_relation and not (f.has_default() or f.null or f.blank)
        )
        self.deferred = f.name in spec.deferred
        # The tree's own link (not merged_into, which may point anywhere).
        self.tree = (
            f.is_relation
            and f.related_model is spec.model
            and f.name == "parent"
            and spec.natural_key is None  # topics: set by code (write_topics)
        )
        auto_now = getattr(f, "auto_now", False) or f in importer.auto_now
        self.default = timezone.now if auto_now else f.get_default
        self.parse = self._parser(f, importer)
        self.prep = self._prep(f)

    def _parser(self, f: models.Field, importer: _Importer):
        name = f.name
        if f.is_relation:
            if f.related_model is Topic and f.model is Topic:

                def broader(value, where):
                    # A code, resolved once every topic of the file is in (write_topics).
                    if not isinstance(value, str) or not value:
                        raise InterchangeError(f"{where}.{name}: expected a topic code.")
                    return value

                return broader
            if f.related_model is Topic:

                def topic(value, where):
                    importer.reference(f, value, f"{where}.{name}")
                    return importer.topic_pk[value]

                return topic
            return lambda value, where: importer.reference(f, value, f"{where}.{name}")
        if isinstance(f, models.CharField | models.TextField) and not isinstance(
            f, models.FileField
        ):
            choices = _choices(f) | ({""} if f.blank else set()) if f.choices else None
            max_length = f.max_length if isinstance(f, models.CharField) else None

            def text(value, where):
                if type(value) is not str:
                    return importer.scalar(f, value, f"{where}.{name}")
                if choices is not None and value not in choices:
                    raise InterchangeError(
                        f"{where}.{name}: {value!r} is not one of the allowed values."
                    )
                if max_length and len(value) > max_length:
                    raise InterchangeError(f"{where}.{name}: longer than {max_length} characters.")
                if not value.isprintable():
                    return importer.scalar(f, value, f"{where}.{name}")
                return value

            return text
        if isinstance(f, models.BooleanField):

            def boolean(value, where):
                if type(value) is not bool:
                    raise InterchangeError(f"{where}.{name}: expected true or false.")
                return value

            return boolean
        if isinstance(f, models.IntegerField) and not f.choices:

            def integer(value, where):
                if type(value) is not int:
                    raise InterchangeError(f"{where}.{name}: expected a whole number.")
                return value

            return integer
        return lambda value, where: importer.scalar(f, value, f"{where}.{name}")

    @staticmethod
    def _prep(f: models.Field):
        if f.is_relation or isinstance(
            f, models.BooleanField | models.IntegerField | models.FileField
        ):
            return _same
        if isinstance(f, models.CharField | models.TextField):
            return _same
        if isinstance(f, models.DateTimeField):
            return lambda value: connection.ops.adapt_datetimefield_value(value)
        if isinstance(f, models.DateField):
            return lambda value: connection.ops.adapt_datefield_value(value)
        return lambda value: f.get_db_prep_save(value, connection)


def _same(value):
    return value


class _Plan:
    """The columns of one list, in the order its rows are built and inserted: the primary
    key, the record's fields, then the foreign key its nesting implies."""

    def __init__(self, spec: Spec, importer: _Importer):
        fields = [f for f in _fields(spec) if not f.primary_key]
        self.columns = [_Column(spec, f, importer) for f in fields]
        self.known = _known_keys(spec)
        pk = spec.model._meta.pk
        self.attnames = [pk.attname, *(c.attname for c in self.columns)]
        self.preps = [_same, *(c.prep for c in self.columns)]
        if spec.parent_field:
            self.attnames.append(spec.model._meta.get_field(spec.parent_field).attname)
            self.preps.append(_same)
        self.index = {c.name: i + 1 for i, c in enumerate(self.columns)}
        by_attname = {f.attname: f.column for f in spec.model._meta.concrete_fields}
        qn = connection.ops.quote_name
        # Identifiers of our own models, quoted; the values are parameters.
        self.insert_sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            qn(spec.model._meta.db_table),
            ", ".join(qn(by_attname[a]) for a in self.attnames),
            ", ".join(["%s"] * len(self.attnames)),
        )


_TOP = {spec.key: spec for spec in SPECS}


@functools.cache
def _field_map(spec: Spec) -> dict[str, models.Field]:
    return {f.name: f for f in _fields(spec)}


@functools.cache
def _known_keys(spec: Spec) -> frozenset[str]:
    legacy = {"region"} if spec.model is Place else set()
    return frozenset(
        set(_field_map(spec)) | set(spec.m2m) | {c.key for c in spec.children} | {"id"} | legacy
    )


# Files written before the sides were data name a region instead.
LEGACY_REGIONS = {"beijing": MAINLAND, "taipei": TAIWAN}


def _without_region(record: dict) -> dict:
    record = dict(record)
    region = record.pop("region")
    if "side" not in record:
        record["side"] = LEGACY_REGIONS.get(region, region)
    return record


@functools.cache
def _topic_fields(spec: Spec) -> tuple[models.Field, ...]:
    return tuple(
        f for f in spec.model._meta.concrete_fields if f.is_relation and f.related_model is Topic
    )


def _choices(f: models.Field) -> frozenset:
    return frozenset(c[0] for c in f.flatchoices)


def _topic_pk(code: str) -> int:
    return Topic.objects.get(code=code).pk


def _check_no_loop(spec: Spec, parents: _IdMap, starts: list[int]) -> None:
    """A loop in a tree passes through a record whose parent has a greater id (or comes
    later in the file): follow the parents from each of those."""
    done: set[int] = set()
    for start in starts:
        chain: list[int] = []
        current = start
        while current is not None and current not in done:
            if current in chain:
                raise InterchangeError(f"{spec.key}: the parents of id {start} form a loop.")
            chain.append(current)
            current = parents.get(current)
        done.update(chain)


def _check_format(value) -> None:
    if value != FORMAT:
        raise InterchangeError(
            f'The file is not a CivicBridge export: "format" is {value!r}, expected {FORMAT!r}.'
        )


def _check_version(version) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError(f'"version" must be a whole number, found {version!r}.')
    if version not in READABLE_VERSIONS:
        newer = " Upgrade CivicBridge to read it." if version > VERSION else ""
        raise InterchangeError(
            f"The file is version {version} of the export format; this CivicBridge reads "
            f"versions {READABLE_VERSIONS[0]} to {VERSION}.{newer}"
        )


def _exchange_from_version_1(record):
    """An exchange of a version 1 file in the layout of this version, as the migrations of
    issue 12 turned the database: each forum's ``speakers`` become speakers of the forum's
    activity, each forum's ``topics`` topics discussed at that forum and its activity
    (``topic_mentions``, keeping their ids, in the order of the file), and an activity
    without a status takes its exchange's. Anything not shaped as expected is left where
    it is, for the checks to name."""
    if not isinstance(record, dict):
        return record
    record = dict(record)
    if isinstance(record.get("activities"), list) and "status" in record:
        record["activities"] = [
            {**a, "status": record["status"]} if isinstance(a, dict) and "status" not in a else a
            for a in record["activities"]
        ]
    if not isinstance(record.get("forums"), list):
        return record
    speakers = list(record.get("speakers") or [])
    mentions = list(record.get("topic_mentions") or [])
    forums = []
    for forum in record["forums"]:
        if isinstance(forum, dict):
            forum = dict(forum)
            if isinstance(forum.get("speakers"), list):
                speakers += [
                    {**s, "activity": forum.get("activity")} if isinstance(s, dict) else s
                    for s in forum.pop("speakers")
                ]
            if isinstance(forum.get("topics"), list):
                mentions += [
                    {
                        **t,
                        "forum": forum.get("id"),
                        "activity": forum.get("activity"),
                        "order": len(mentions) + index,
                    }
                    if isinstance(t, dict)
                    else t
                    for index, t in enumerate(forum.pop("topics"))
                ]
        forums.append(forum)
    record["forums"] = forums
    record["speakers"] = speakers
    record["topic_mentions"] = mentions
    return record


def _pairing_from_version_1(record):
    """A pairing of a version 1 file: one born of an appointment is honorary (as the
    migration made them)."""
    if isinstance(record, dict) and "kind" not in record and record.get("origin") == "appointment":
        return {**record, "kind": "honorary"}
    return record
    record = dict(record)
    speakers = list(record.get("speakers") or [])
    mentions = list(record.get("topic_mentions") or [])
    forums = []
    for forum in record["forums"]:
        if isinstance(forum, dict):
            forum = dict(forum)
            if isinstance(forum.get("speakers"), list):
                speakers += [
                    {**s, "activity": forum.get("activity")} if isinstance(s, dict) else s
                    for s in forum.pop("speakers")
                ]
            if isinstance(forum.get("topics"), list):
                mentions += [
                    {**t, "forum": forum.get("id")} if isinstance(t, dict) else t
                    for t in forum.pop("topics")
                ]
        forums.append(forum)
    record["forums"] = forums
    record["speakers"] = speakers
    record["topic_mentions"] = mentions
    return record


@contextmanager
def _keep_timestamps():
    """bulk_create would stamp ``auto_now`` fields with the current time; the document's
    values are kept instead."""
    touched = []
    for model in exported_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False):
                f.auto_now = False
                touched.append(f)
    try:
        yield frozenset(touched)
    finally:
        for f in touched:
            f.auto_now = True


def check_document(document) -> None:
    if not isinstance(document, dict):
        raise InterchangeError("The file is not a CivicBridge export (expected a JSON object).")
    _check_format(document.get("format"))
    _check_version(document.get("version"))
    known = {*HEADER_KEYS} | {spec.key for spec in SPECS}
    unknown = sorted(set(document) - known)
    if unknown:
        raise InterchangeError(f"Unknown top-level key(s): {', '.join(unknown)}.")


def nonempty_tables() -> list[str]:
    """The lists of the document whose tables already hold rows."""
    return [
        path
        for path, spec in _paths()
        if spec.natural_key is None and spec.model._base_manager.exists()
    ]


def import_document(document) -> dict[str, int]:
    """Load ``document`` (a dict) into an empty database, keeping its ids. All or nothing.
    Returns how many records of each list were loaded."""
    check_document(document)
    return import_events(_events(document))


def import_stream(stream) -> dict[str, int]:
    """Load the document read from the text stream ``stream`` (``import_document`` for a
    file, in bounded memory). Raises ``NotJSON`` for text that is not JSON."""
    return import_events(read_events(stream))


def import_events(events, *, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    importer = _Importer(batch_size=batch_size)
    try:
        with transaction.atomic():
            filled = nonempty_tables()
            if filled:
                raise InterchangeError(
                    "The database is not empty (it holds "
                    + ", ".join(filled)
                    + "). Import into a freshly migrated database."
                )
            ensure_sides()
            importer.sides = set(Side.objects.values_list("code", flat=True))
            with _keep_timestamps() as auto_now:
                importer.auto_now = auto_now
                spec = None
                index = 0
                for kind, key, value in events:
                    if kind == "value":
                        importer.value(key, value)
                    elif kind == "list":
                        spec = importer.start_list(key)
                        index = 0
                    else:
                        importer.record(spec, value, f"{key}[{index}]")
                        index += 1
                importer.check_header()
                importer.finish()
            search.index_unindexed()
            _reset_sequences()
    except (IntegrityError, DatabaseError) as exc:
        raise InterchangeError(f"The database refused the data: {exc}") from exc
    hans_hant.invalidate_names()
    counts = {path: 0 for path, _ in _paths()}
    by_spec = {spec: path for path, spec in _paths()}
    for spec, pending in importer.pending.items():
        counts[by_spec[spec]] = pending.count
    counts["accounts created"] = importer.users_created
    return counts


def _reset_sequences() -> None:
    models_ = [*exported_models(), get_user_model()]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
