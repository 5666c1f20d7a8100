"""The versioned JSON interchange document: the whole database as one file.

``export_document()`` builds the document (a dict), ``dump()`` turns it into deterministic
text, ``import_document()`` loads a document into an empty database with the ids it
carries. The format is described in docs/export-format.md; the layout below (``SPECS``)
is its single source of truth.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from civicbridge.core import script
from civicbridge.core.models import UserPreference
from civicbridge.directory.models import Organisation, Person, Place, PlaceAlias, Position
from civicbridge.documents.models import CalendarToken, NewsBrief
from civicbridge.exchanges.models import (
    Activity,
    Exchange,
    ExchangeOrganisation,
    Gift,
    Group,
    Member,
    Photo,
)
from civicbridge.forums.models import AgendaItem, Forum, ForumTopic, Outcome, Speaker, Topic
from civicbridge.twinning.models import (
    Appointment,
    Attachment,
    ChannelMembership,
    Commitment,
    CommitmentEvent,
    Message,
    NotificationPreference,
    Pairing,
    ReadMark,
)

FORMAT = "civicbridge-export"
VERSION = 1


class InterchangeError(Exception):
    """A document that cannot be imported, or a database that cannot take it."""


@dataclass(frozen=True)
class Spec:
    """One list of the document: which model, nested under what, with which lists inside."""

    key: str
    model: type[models.Model]
    # The foreign key implied by nesting (left out of each record), e.g. "exchange".
    parent_field: str | None = None
    # For a nested list whose parent is not a direct foreign key (forums under exchanges).
    parent_of: Callable[[models.Model], int] | None = None
    select_related: tuple[str, ...] = ()
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
    parent_of=lambda forum: forum.activity.exchange_id,
    select_related=("activity",),
    children=(
        Spec("topics", ForumTopic, parent_field="forum"),
        Spec("speakers", Speaker, parent_field="forum"),
        Spec("agenda", AgendaItem, parent_field="forum", m2m=("speakers",)),
        Spec("outcomes", Outcome, parent_field="forum"),
    ),
)

# In dependency order: a list refers only to lists above it (or to itself, parents first),
# except the ``deferred`` keys.
SPECS: tuple[Spec, ...] = (
    Spec("places", Place),
    Spec("place_aliases", PlaceAlias),
    Spec("organisations", Organisation),
    Spec("people", Person),
    Spec("positions", Position),
    Spec("topics", Topic, natural_key="code"),
    Spec(
        "exchanges",
        Exchange,
        children=(
            Spec("organisations", ExchangeOrganisation, parent_field="exchange"),
            Spec("groups", Group, parent_field="exchange", deferred=("leader",)),
            Spec("members", Member, parent_field="exchange"),
            Spec(
                "activities",
                Activity,
                parent_field="exchange",
                m2m=("groups", "hosts", "participants"),
            ),
            FORUM_SPEC,
            Spec("news_briefs", NewsBrief, parent_field="exchange"),
        ),
    ),
    Spec("gifts", Gift),
    Spec("photos", Photo),
    Spec("pairings", Pairing),
    Spec("appointments", Appointment),
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
)

# Models of our apps that are deliberately not part of the document: accounts, their
# preferences, what they follow and have read, and their secret calendar links belong to
# the installation, not to the data.
NOT_EXPORTED: tuple[type[models.Model], ...] = (
    UserPreference,
    CalendarToken,
    ChannelMembership,
    ReadMark,
    NotificationPreference,
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
    return frozenset(getattr(spec.model, "PERSONAL_FIELDS", ()))


# ---------------------------------------------------------------------------------------
# Export


def _iso_datetime(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


class _Exporter:
    def __init__(self, *, include_personal: bool):
        self.include_personal = include_personal
        self.topic_codes = dict(Topic.objects.values_list("pk", "code"))
        self.usernames = dict(get_user_model()._base_manager.values_list("pk", "username"))

    def value(self, f: models.Field, obj: models.Model):
        if f.is_relation:
            raw = getattr(obj, f.attname)
            if raw is None:
                return None
            if f.related_model is Topic:
                return self.topic_codes[raw]
            if f.related_model is get_user_model():
                return self.usernames[raw]
            return raw
        raw = f.value_from_object(obj)
        if raw is None:
            return None
        if isinstance(f, models.FileField):
            return raw.name or ""
        if isinstance(f, models.DateTimeField):
            return _iso_datetime(raw)
        if isinstance(f, models.DateField):
            return raw.isoformat()
        return raw

    def record(self, spec: Spec, obj: models.Model, nested: dict[str, list]) -> dict:
        skip = set() if self.include_personal else _personal(spec)
        out = {}
        for f in _fields(spec):
            if f.primary_key:
                if spec.natural_key is None:
                    out["id"] = obj.pk
                continue
            if f.name in skip:
                continue
            out[f.name] = self.value(f, obj)
        for name in spec.m2m:
            out[name] = sorted(getattr(obj, f"_m2m_{name}", ()))
        out.update(nested)
        return out

    def rows(self, spec: Spec) -> list[models.Model]:
        qs = spec.model._base_manager.all()
        if spec.select_related:
            qs = qs.select_related(*spec.select_related)
        qs = qs.order_by(spec.natural_key or "pk")
        rows = list(qs)
        for name in spec.m2m:
            through = spec.model._meta.get_field(name).remote_field.through
            source = spec.model._meta.model_name
            target = spec.model._meta.get_field(name).related_model._meta.model_name
            if source == target:  # pragma: no cover - no symmetrical m2m in our models
                raise NotImplementedError
            links = defaultdict(list)
            for a, b in through.objects.values_list(f"{source}_id", f"{target}_id"):
                links[a].append(b)
            for obj in rows:
                setattr(obj, f"_m2m_{name}", links.get(obj.pk, ()))
        return rows

    def build(self, spec: Spec) -> dict[int | None, list[dict]]:
        """Records of ``spec`` grouped by the id of the record they nest under."""
        children = {child.key: self.build(child) for child in spec.children}
        grouped: dict[int | None, list[dict]] = defaultdict(list)
        for obj in self.rows(spec):
            nested = {key: groups.get(obj.pk, []) for key, groups in children.items()}
            if spec.parent_of is not None:
                parent = spec.parent_of(obj)
            elif spec.parent_field is not None:
                parent = getattr(obj, spec.model._meta.get_field(spec.parent_field).attname)
            else:
                parent = None
            grouped[parent].append(self.record(spec, obj, nested))
        return grouped


def export_document(*, include_personal: bool = True, timestamp: bool = True) -> dict:
    """The whole database as one document. ``include_personal=False`` leaves out the
    personal fields of people (phone, e-mail, permit number, date of birth)."""
    exporter = _Exporter(include_personal=include_personal)
    document: dict = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (
            _iso_datetime(timezone.now().replace(microsecond=0)) if timestamp else None
        ),
        "includes_personal_data": include_personal,
    }
    for spec in SPECS:
        document[spec.key] = exporter.build(spec).get(None, [])
    return document


def dump(document: dict) -> str:
    """Deterministic text: the same database gives the same bytes (but for exported_at)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------
# Import


@dataclass
class _Pending:
    spec: Spec
    objects: list[models.Model] = field(default_factory=list)
    m2m: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    deferred: list[tuple[models.Model, dict[str, int]]] = field(default_factory=list)


def _where(path: str, key: str | None = None) -> str:
    return f"{path}.{key}" if key else path


class _Importer:
    def __init__(self, document: dict):
        self.document = document
        self.ids: dict[type[models.Model], set[int]] = defaultdict(set)
        self.topic_codes: set[str] = set()
        self.user_model = get_user_model()
        self.usernames: set[str] = set()
        self.pending: dict[Spec, _Pending] = {}

    # -- first pass: every id in the document, duplicates refused ------------------------
    def collect(self, spec: Spec, records, path: str) -> None:
        if not isinstance(records, list):
            raise InterchangeError(f"{path}: expected a list, found {type(records).__name__}.")
        for index, record in enumerate(records):
            where = f"{path}[{index}]"
            if not isinstance(record, dict):
                raise InterchangeError(f"{where}: expected an object.")
            if spec.natural_key:
                code = record.get(spec.natural_key)
                if not isinstance(code, str) or not code:
                    raise InterchangeError(f"{where}.{spec.natural_key}: missing.")
                if code in self.topic_codes:
                    raise InterchangeError(f"{where}: {spec.natural_key} {code!r} appears twice.")
                self.topic_codes.add(code)
            else:
                pk = record.get("id")
                if not isinstance(pk, int) or isinstance(pk, bool) or pk < 1:
                    raise InterchangeError(f"{where}.id: expected a positive whole number.")
                if pk in self.ids[spec.model]:
                    raise InterchangeError(f"{where}.id: {spec.key} id {pk} appears twice.")
                self.ids[spec.model].add(pk)
            for child in spec.children:
                self.collect(child, record.get(child.key, []), f"{where}.{child.key}")

    # -- second pass: model instances ----------------------------------------------------
    def reference(self, f: models.Field, value, where: str):
        target = f.related_model
        if target is Topic:
            if value not in self.topic_codes and not Topic.objects.filter(code=value).exists():
                raise InterchangeError(f"{where}: no topic with code {value!r}.")
            return value
        if target is self.user_model:
            if not isinstance(value, str) or not value:
                raise InterchangeError(f"{where}: expected a username.")
            self.usernames.add(value)
            return value
        if not isinstance(value, int) or isinstance(value, bool):
            raise InterchangeError(f"{where}: expected an id (a whole number), found {value!r}.")
        if value not in self.ids[target]:
            raise InterchangeError(
                f"{where}: refers to {target._meta.model_name} {value}, which is not in the file."
            )
        return value

    def build(self, spec: Spec, records: list, path: str, parent_id: int | None = None):
        pending = self.pending.setdefault(spec, _Pending(spec))
        fields = {f.name: f for f in _fields(spec)}
        known = set(fields) | set(spec.m2m) | {c.key for c in spec.children} | {"id"}
        for index, record in enumerate(records):
            where = f"{path}[{index}]"
            unknown = sorted(set(record) - known)
            if unknown:
                raise InterchangeError(f"{where}: unknown key(s) {', '.join(unknown)}.")
            obj = spec.model()
            later: dict[str, int] = {}
            for name, f in fields.items():
                if f.primary_key:
                    if spec.natural_key is None:
                        obj.pk = record["id"]
                    continue
                at = _where(where, name)
                if name not in record:
                    if f.is_relation and not f.null:
                        raise InterchangeError(f"{at}: missing.")
                    if not f.is_relation and not (f.has_default() or f.null or f.blank):
                        raise InterchangeError(f"{at}: missing.")
                    if getattr(f, "auto_now", False):
                        setattr(obj, f.attname, timezone.now())
                    continue
                value = record[name]
                if value is None:
                    if not f.null:
                        raise InterchangeError(f"{at}: may not be null.")
                    setattr(obj, f.attname, None)
                    continue
                if f.is_relation:
                    value = self.reference(f, value, at)
                    if name in spec.deferred:
                        later[f.attname] = value
                    else:
                        setattr(obj, f.attname, value)
                    continue
                setattr(obj, f.attname, self.scalar(f, value, at))
            if spec.parent_field:
                setattr(obj, spec.model._meta.get_field(spec.parent_field).attname, parent_id)
            for name in spec.m2m:
                values = record.get(name, [])
                if not isinstance(values, list):
                    raise InterchangeError(f"{where}.{name}: expected a list of ids.")
                m2m_field = spec.model._meta.get_field(name)
                for value in values:
                    self.reference(m2m_field, value, f"{where}.{name}")
                    pending.m2m[name].append((obj.pk, value))
            if spec is FORUM_SPEC and obj.activity_id not in self.activities_of[parent_id]:
                raise InterchangeError(
                    f"{where}.activity: activity {obj.activity_id} is not in this exchange."
                )
            if spec.model is Activity:
                self.activities_of[parent_id].add(obj.pk)
            pending.objects.append(obj)
            if later:
                pending.deferred.append((obj, later))
            for child in spec.children:
                self.build(child, record.get(child.key, []), f"{where}.{child.key}", obj.pk)

    activities_of: dict[int | None, set[int]]

    def scalar(self, f: models.Field, value, where: str):
        if isinstance(value, dict | list):
            raise InterchangeError(f"{where}: expected a single value.")
        if isinstance(f, models.FileField):
            if not isinstance(value, str):
                raise InterchangeError(f"{where}: expected a file name.")
            return value
        if isinstance(f, models.BooleanField) and not isinstance(value, bool):
            raise InterchangeError(f"{where}: expected true or false.")
        if isinstance(f, models.IntegerField) and (
            not isinstance(value, int) or isinstance(value, bool)
        ):
            raise InterchangeError(f"{where}: expected a whole number.")
        if isinstance(f, models.CharField | models.TextField) and not isinstance(value, str):
            raise InterchangeError(f"{where}: expected text.")
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
        if getattr(f, "choices", None) and parsed not in {c[0] for c in f.flatchoices}:
            raise InterchangeError(f"{where}: {parsed!r} is not one of the allowed values.")
        if isinstance(f, models.CharField) and f.max_length and len(parsed) > f.max_length:
            raise InterchangeError(f"{where}: longer than {f.max_length} characters.")
        return parsed

    # -- writing -------------------------------------------------------------------------
    def resolve_users(self) -> int:
        User = self.user_model
        existing = dict(
            User._base_manager.filter(username__in=self.usernames).values_list("username", "pk")
        )
        created = 0
        for username in sorted(self.usernames - set(existing)):
            # An account named in the file but unknown here: recorded, unable to sign in.
            user = User(username=username, is_active=False)
            user.set_unusable_password()
            user.save()
            existing[username] = user.pk
            created += 1
        self.user_pk = existing
        return created

    def write(self) -> None:
        topic_pk = {}
        for spec in _walk():
            pending = self.pending.get(spec)
            if pending is None:
                continue
            if spec.natural_key:
                topic_pk = self.write_topics(pending.objects)
                continue
            objects = pending.objects
            for obj in objects:
                for f in spec.model._meta.concrete_fields:
                    if f.is_relation and f.related_model is Topic:
                        code = getattr(obj, f.attname)
                        setattr(obj, f.attname, topic_pk.get(code) or _topic_pk(code))
                    elif f.is_relation and f.related_model is self.user_model:
                        name = getattr(obj, f.attname)
                        if name is not None:
                            setattr(obj, f.attname, self.user_pk[name])
            if any(f.remote_field and f.related_model is spec.model for f in _fields(spec)):
                objects = _parents_first(spec, objects)
            spec.model._base_manager.bulk_create(objects, batch_size=500)
            for name, pairs in pending.m2m.items():
                m2m_field = spec.model._meta.get_field(name)
                through = m2m_field.remote_field.through
                source = f"{spec.model._meta.model_name}_id"
                target = f"{m2m_field.related_model._meta.model_name}_id"
                through.objects.bulk_create(
                    [through(**{source: a, target: b}) for a, b in sorted(set(pairs))],
                    batch_size=500,
                )
        for spec, pending in self.pending.items():
            if pending.deferred:
                names = sorted({k for _, later in pending.deferred for k in later})
                for obj, later in pending.deferred:
                    for attname, value in later.items():
                        setattr(obj, attname, value)
                spec.model._base_manager.bulk_update(
                    [obj for obj, _ in pending.deferred], names, batch_size=500
                )

    def write_topics(self, objects: list[Topic]) -> dict[str, int]:
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
        return dict(Topic.objects.values_list("code", "pk"))


def _topic_pk(code: str) -> int:
    return Topic.objects.get(code=code).pk


def _parents_first(spec: Spec, objects: list[models.Model]) -> list[models.Model]:
    """Order records so that each comes after the record its self-reference names."""
    attname = next(
        f.attname for f in _fields(spec) if f.remote_field and f.related_model is spec.model
    )
    by_pk = {obj.pk: obj for obj in objects}
    depth: dict[int, int] = {}

    def depth_of(obj) -> int:
        chain = []
        current = obj
        while current.pk not in depth:
            if current in chain:
                raise InterchangeError(f"{spec.key}: the parents of id {obj.pk} form a loop.")
            chain.append(current)
            parent = getattr(current, attname)
            if parent is None:
                depth[current.pk] = 0
                chain.pop()
                break
            current = by_pk[parent]
        for item in reversed(chain):
            depth[item.pk] = depth[getattr(item, attname)] + 1
        return depth[obj.pk]

    return sorted(objects, key=lambda obj: (depth_of(obj), obj.pk))


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
        yield
    finally:
        for f in touched:
            f.auto_now = True


def check_document(document) -> None:
    if not isinstance(document, dict):
        raise InterchangeError("The file is not a CivicBridge export (expected a JSON object).")
    if document.get("format") != FORMAT:
        raise InterchangeError(
            f'The file is not a CivicBridge export: "format" is {document.get("format")!r}, '
            f"expected {FORMAT!r}."
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError(f'"version" must be a whole number, found {version!r}.')
    if version != VERSION:
        newer = " Upgrade CivicBridge to read it." if version > VERSION else ""
        raise InterchangeError(
            f"The file is version {version} of the export format; this CivicBridge reads "
            f"version {VERSION}.{newer}"
        )
    known = {"format", "version", "exported_at", "includes_personal_data"} | {
        spec.key for spec in SPECS
    }
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
    """Load ``document`` into an empty database, keeping its ids. All or nothing. Returns
    how many records of each list were loaded."""
    check_document(document)
    importer = _Importer(document)
    importer.activities_of = defaultdict(set)
    for spec in SPECS:
        importer.collect(spec, document.get(spec.key, []), spec.key)
    for spec in SPECS:
        importer.build(spec, document.get(spec.key, []), spec.key)
    try:
        with transaction.atomic():
            filled = nonempty_tables()
            if filled:
                raise InterchangeError(
                    "The database is not empty (it holds "
                    + ", ".join(filled)
                    + "). Import into a freshly migrated database."
                )
            users_created = importer.resolve_users()
            with _keep_timestamps():
                importer.write()
            _reset_sequences()
    except (IntegrityError, DatabaseError) as exc:
        raise InterchangeError(f"The database refused the data: {exc}") from exc
    script.invalidate_names()
    counts = {
        path: len(importer.pending[spec].objects) if spec in importer.pending else 0
        for path, spec in _paths()
    }
    counts["accounts created"] = users_created
    return counts


def _reset_sequences() -> None:
    models_ = [*exported_models(), get_user_model()]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
