"""Checks shared by every app's services."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# The dates CivicBridge accepts anywhere (pages, API, imports): the one limit.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)


def validate_date_range(value) -> None:
    """A Django validator (forms, services) for a date or datetime: between EARLIEST_DATE
    and LATEST_DATE. The API's schemas use the same two constants."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
            code="date_range",
        )


def check_dates(**values) -> None:
    """``validate_date_range`` for a service's keyword arguments, as field errors."""
    errors = {}
    for field, value in values.items():
        try:
            validate_date_range(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)


# Direction overrides and isolates: in a name they reorder what the reader sees
# ("Trojan source"), so a name cannot carry them.
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Characters that show nothing: zero-width spaces and joiners, word joiner, BOM, soft
# hyphen, Mongolian vowel separator, direction marks. A name of only these is no name.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f") | BIDI_CONTROLS
# Fields that hold names (Named's name, name_hans, name_hant, short names …).
NAME_FIELDS = ("name", "short_name")
MULTILINE_CONTROLS = frozenset("\n\t")


def _is_name_field(field: str) -> bool:
    return any(field == n or field.startswith(f"{n}_") for n in NAME_FIELDS)


def _visible(text: str) -> bool:
    return any(not ch.isspace() and ch not in INVISIBLE for ch in text)


def check_characters(text: str, *, field: str, multiline: bool = False, name: bool = False):
    """Refuse what one database accepts and another refuses, or what misleads a reader:
    NUL and the other C0/C1 controls (but newline and tab in a multi-line text), lone
    surrogates, and in a name direction overrides or nothing but invisible characters.
    Private-use characters and rare CJK (names Unicode cannot spell, 𠀋) are kept."""
    allowed = MULTILINE_CONTROLS if multiline and not name else frozenset()
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in allowed:
            raise ValidationError({field: _("Control characters are not allowed.")})
        if category == "Cs":
            raise ValidationError({field: _("This text contains an invalid character.")})
    if name and text:
        if BIDI_CONTROLS.intersection(text):
            raise ValidationError(
                {field: _("Writing-direction override characters are not allowed in names.")}
            )
        if not _visible(text):
            raise ValidationError({field: _("A name needs at least one visible character.")})


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def validate_text(
    value,
    *,
    field: str,
    max_length: int | None,
    required: bool = True,
    multiline: bool = False,
    name: bool | None = None,
) -> str:
    """Trim and check a text: not empty (when required; invisible characters alone count
    as empty), not too long, no control characters (``check_characters``). A multi-line
    text keeps newlines and tabs (\\r\\n becomes \\n). ``name`` defaults to whether the
    field is a name field."""
    text = "" if value is None else str(value)
    if multiline:
        text = normalise_newlines(text)
    text = text.strip()
    if required and not _visible(text):
        raise ValidationError({field: _("This field is required.")})
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            {
                field: _("At most %(max)d characters (this has %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    check_characters(
        text, field=field, multiline=multiline, name=_is_name_field(field) if name is None else name
    )
    return text


def validate_text_fields(obj, *, exclude=()) -> None:
    """Check every text field of a model instance before it is saved, collecting every
    field's error: the characters (``check_characters``; newlines normalised in multi-line
    fields, in place), and the length, which PostgreSQL enforces and SQLite does not. Every
    service calls it (directly, or through ``create_record`` / ``update_record``), so pages,
    API, imports and the demo accept the same text on every database. Text is not trimmed
    here (the services trim what they validate with ``validate_text``)."""
    errors: dict[str, list[str]] = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude or not isinstance(f, models.CharField | models.TextField):
            continue
        value = getattr(obj, f.attname)
        if not isinstance(value, str):
            continue
        multiline = isinstance(f, models.TextField)
        if multiline:
            value = normalise_newlines(value)
            setattr(obj, f.attname, value)
        try:
            check_characters(value, field=f.name, multiline=multiline, name=_is_name_field(f.name))
            if f.max_length is not None and len(value) > f.max_length:
                raise ValidationError(
                    {
                        f.name: _("At most %(max)d characters (this has %(n)d).")
                        % {"max": f.max_length, "n": len(value)}
                    }
                )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def create_record(model, **fields):
    """``model.objects.create`` for a service: the text fields checked first."""
    obj = model(**fields)
    validate_text_fields(obj)
    obj.save()
    return obj


class StaleVersion(ValidationError):
    """Raised when an edit is based on an older version of the record."""


def check_version(obj, expected_version: int | None) -> None:
    """Refuse an edit based on an older version. Reads the stored version (locking the row
    where the database can), so two concurrent edits cannot both pass."""
    if expected_version is None:
        return
    current = (
        type(obj)
        ._base_manager.select_for_update()
        .filter(pk=obj.pk)
        .order_by()  # no joins for the model's ordering: PostgreSQL locks no outer join
        .values_list("version", flat=True)
        .first()
    )
    if current is not None:
        obj.version = current
    if int(expected_version) != obj.version:
        raise StaleVersion(
            _(
                "Someone else changed this record while you were editing it "
                "(your version %(mine)s, current %(current)s). Reload and apply your change again."
            )
            % {"mine": expected_version, "current": obj.version},
            code="stale",
        )


def bump_version(obj) -> None:
    obj.version = (obj.version or 0) + 1


def update_record(obj, *, fields: dict, allowed, expected_version=None, validate=None):
    """The common shape of an update service: refuse a stale version and fields that may not
    be changed, apply the changes, validate, raise the version and save."""
    check_version(obj, expected_version)
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    for key, value in fields.items():
        setattr(obj, key, value)
    if validate is not None:
        validate(obj)
    validate_text_fields(obj)
    bump_version(obj)
    obj.save()
    return obj
