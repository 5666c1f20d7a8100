"""Helpers shared by the endpoint modules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query

from civicbridge.api.core import MAX_ID
from civicbridge.core.services import EARLIEST_DATE, LATEST_DATE, validate_date_range

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
Version = Annotated[int, Field(ge=1, le=MAX_ID, description="the version you read")]
QueryVersion = Annotated[int, Query(ge=1, le=MAX_ID, description="the version you read")]
OptId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Headcount = Annotated[int | None, Field(ge=0, le=100000)]
Order = Annotated[int, Field(ge=0, le=32767)]
# The one date limit of pages and API alike (core.services).
Date = Annotated[dt.date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]


def within_dates(value):
    """core.services.validate_date_range for a pydantic field (a datetime, say)."""
    try:
        validate_date_range(value)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    return value


def Text(max_length: int):  # noqa: N802 (a type alias factory)
    return Annotated[str, Field(max_length=max_length)]


def need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


def get(model, pk: int, queryset=None):
    """The record of a path id, or 404."""
    obj = (queryset if queryset is not None else model._default_manager).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def ref(model, pk: int | None, field: str, queryset=None):
    """The record a body field refers to; a missing one is a field error (422)."""
    if pk is None:
        return None
    obj = (queryset if queryset is not None else model._default_manager).filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("There is no record %(id)s.") % {"id": pk}})
    return obj


def refs(model, pks, field: str) -> list:
    pks = list(dict.fromkeys(pks or []))
    found = model._default_manager.in_bulk(pks)
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise ValidationError(
            {field: _("There is no record %(id)s.") % {"id": ", ".join(map(str, missing))}}
        )
    return [found[pk] for pk in pks]


def changes(payload, exclude=("version",)) -> dict:
    """The fields a PATCH body actually sets."""
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k not in exclude}
