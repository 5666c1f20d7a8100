"""Checks shared by every app's services."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_text(value, *, field: str, max_length: int, required: bool = True) -> str:
    """Trim and check a short text: not empty (when required), not too long, no control
    characters. Private-use characters (names Unicode cannot spell) are kept."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("At most %(max)d characters (this has %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    for ch in text:
        if unicodedata.category(ch) == "Cc":
            raise ValidationError({field: _("Control characters are not allowed.")})
    return text


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
    bump_version(obj)
    obj.save()
    return obj
