"""Writes for programmes and series (一日里长, 双城交流), their figures per period, and the
links between exchanges (a return visit, a follow-up, an earlier visit a report mentions).

Pages and the API pass the acting user as ``actor=`` and the services ask the rules
(programmes/rules.py) by name; ``actor=None`` is the system (the demo, an import, the
pairings app proposing a return visit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant
from civicbridge.core.services import (
    check_dates,
    create_record,
    update_record,
    validate_text,
)
from civicbridge.directory.models import Organisation, Place
from civicbridge.exchanges.models import Exchange
from civicbridge.programmes.models import Direction, ExchangeLink, Programme, ProgrammeFigure

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
# A figure is a count or an amount: at most ten digits before the point (the field's 12).
MAX_FIGURE = Decimal("9999999999.99")

PROGRAMME_EDITABLE = {"name", "kind", "organiser", "direction", "start_year", "aim", "note"}


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


# --- checks -------------------------------------------------------------------------------


def _year(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a year.")}) from None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(
            {
                field: _("Give a year between %(earliest)d and %(latest)d.")
                % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
            }
        )
    return year


def _direction(value: str | None) -> str:
    value = value or ""
    if value and value not in Direction.values:
        raise ValidationError({"direction": _("Unknown direction.")})
    return value


def _kind(value: str | None) -> str:
    value = value or Programme.Kind.PROGRAMME
    if value not in Programme.Kind.values:
        raise ValidationError({"kind": _("Choose programme or series.")})
    return value


def _organiser(value):
    if value is not None and not isinstance(value, Organisation):
        raise ValidationError({"organiser": _("Choose an organisation.")})
    if value is not None and value.is_deleted:
        raise ValidationError({"organiser": _("This organisation was deleted.")})
    return value


def name_key(name: str) -> str:
    """A programme's name as compared: Simplified, 臺→台, no spaces (一日里長 = 一日里长)."""
    return hans_hant.search_key(name)


def find_programme(name: str) -> Programme | None:
    """The programme called ``name`` in either script (programmes are few: read them all)."""
    key = name_key(name)
    if not key:
        return None
    for programme in Programme.objects.only("id", "name"):
        if name_key(programme.name) == key:
            return Programme.objects.get(pk=programme.pk)
    return None


def _check_name(name: str, programme: Programme | None = None) -> str:
    name = validate_text(name, field="name", max_length=200)
    same = find_programme(name)
    if same is not None and (programme is None or same.pk != programme.pk):
        raise ValidationError(
            {"name": _("There is already a programme called %(name)s.") % {"name": same.name}}
        )
    return name


def _validate_programme(programme: Programme) -> None:
    programme.kind = _kind(programme.kind)
    programme.direction = _direction(programme.direction)
    programme.start_year = _year(programme.start_year, "start_year")
    programme.aim = validate_text(
        programme.aim, field="aim", max_length=5000, required=False, multiline=True
    )
    programme.note = validate_text(
        programme.note, field="note", max_length=5000, required=False, multiline=True
    )
    _organiser(programme.organiser)


# --- programmes ---------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    name: str,
    kind: str = Programme.Kind.PROGRAMME,
    organiser: Organisation | None = None,
    direction: str = "",
    start_year: int | None = None,
    aim: str = "",
    note: str = "",
    actor=None,
) -> Programme:
    """A programme or series; its name is unique in either script."""
    _require(actor, "programmes.add_programme")
    programme = Programme(
        name=_check_name(name),
        kind=kind,
        organiser=organiser,
        direction=direction,
        start_year=start_year,
        aim=aim,
        note=note,
    )
    _validate_programme(programme)
    return create_record(Programme, **_fields_of(programme))


def _fields_of(programme: Programme) -> dict:
    return {f: getattr(programme, f) for f in PROGRAMME_EDITABLE}


@transaction.atomic
def update_programme(
    *, programme: Programme, expected_version: int | None = None, actor=None, **fields
) -> Programme:
    """Change a programme's name, kind, organiser, direction, start year, aim or note."""
    _require(actor, "programmes.change_programme", programme)
    if "name" in fields:
        fields["name"] = _check_name(fields["name"], programme)
    return update_record(
        programme,
        fields=fields,
        allowed=PROGRAMME_EDITABLE,
        expected_version=expected_version,
        validate=_validate_programme,
    )


def _live_exchange(exchange) -> Exchange:
    if not isinstance(exchange, Exchange) or exchange.is_deleted:
        raise ValidationError({"exchange": _("Choose an exchange.")})
    return exchange


@transaction.atomic
def add_exchange_to_programme(*, programme: Programme, exchange: Exchange, actor=None) -> None:
    """Count ``exchange`` as part of ``programme`` (again: nothing changes)."""
    _live_exchange(exchange)
    _require(actor, "programmes.view_programme", programme)
    _require(actor, "programmes.link_exchange", exchange)
    programme.exchanges.add(exchange)


@transaction.atomic
def remove_exchange_from_programme(*, programme: Programme, exchange: Exchange, actor=None) -> None:
    _require(actor, "programmes.link_exchange", exchange)
    programme.exchanges.remove(exchange)


# --- figures ------------------------------------------------------------------------------


def _figure(value) -> Decimal:
    try:
        figure = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"figure": _("Give a number.")}) from None
    if not figure.is_finite() or figure < 0 or figure > MAX_FIGURE:
        raise ValidationError({"figure": _("Give a number between 0 and 9,999,999,999.")})
    if figure != figure.quantize(Decimal("0.01")):
        raise ValidationError({"figure": _("At most two decimal places.")})
    return figure.quantize(Decimal("0.01"))


@transaction.atomic
def record_programme_figure(
    *,
    programme: Programme | None = None,
    programme_name: str = "",
    figure,
    unit: str,
    about: str = "",
    direction: str = "",
    period_start: int | None = None,
    period_end: int | None = None,
    exchange: Exchange | None = None,
    actor=None,
) -> ProgrammeFigure:
    """A figure about a programme over a period (221 居委会 to Taipei, 2013–2017). The
    programme is given, or named: found by its name in either script, created when there is
    none. ``exchange``: the exchange whose reports gave the figure (its editors only)."""
    figure = _figure(figure)
    unit = validate_text(unit, field="unit", max_length=200)
    about = validate_text(about, field="about", max_length=200, required=False)
    direction = _direction(direction)
    period_start = _year(period_start, "period_start")
    period_end = _year(period_end, "period_end")
    if period_start is not None and period_end is not None and period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if exchange is not None:
        _live_exchange(exchange)
        _require(actor, "programmes.link_exchange", exchange)
    if programme is None:
        name = validate_text(programme_name, field="programme_name", max_length=200)
        programme = find_programme(name)
        if programme is None:
            programme = create_programme(name=name, direction=direction, actor=actor)
    _require(actor, "programmes.add_figure", programme)
    return create_record(
        ProgrammeFigure,
        programme=programme,
        figure=figure,
        unit=unit,
        about=about,
        direction=direction,
        period_start=period_start,
        period_end=period_end,
        exchange=exchange,
        order=ProgrammeFigure.objects.filter(programme=programme).count(),
    )


@transaction.atomic
def remove_programme_figure(*, figure: ProgrammeFigure, actor=None) -> None:
    _require(actor, "programmes.add_figure", figure.programme)
    figure.delete()


# --- links between exchanges -----------------------------------------------------------------


@transaction.atomic
def link_exchange(
    *,
    exchange: Exchange,
    kind: str,
    other: Exchange | None = None,
    who: str = "",
    where: str = "",
    where_place: Place | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    note: str = "",
    actor=None,
) -> ExchangeLink:
    """Link ``exchange`` to another visit: a recorded exchange (``other``), or one known only
    as the sources tell it (who went where, when). A return visit linked to the exchange
    it returns shows on both pages ("return visit of" / "returned by")."""
    _live_exchange(exchange)
    _require(actor, "programmes.link_exchange", exchange)
    if kind not in ExchangeLink.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of link this is.")})
    # Who and where name people and places: no direction overrides.
    who = validate_text(who, field="who", max_length=200, required=False, name=True)
    where = validate_text(where, field="where", max_length=200, required=False, name=True)
    note = validate_text(note, field="note", max_length=5000, required=False, multiline=True)
    check_dates(start_date=start_date, end_date=end_date)
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The visit ends before it starts.")})
    if other is not None:
        if not isinstance(other, Exchange) or other.is_deleted:
            raise ValidationError({"other": _("Choose an exchange.")})
        if other.pk == exchange.pk:
            raise ValidationError({"other": _("An exchange cannot be linked to itself.")})
        if ExchangeLink.objects.filter(exchange=exchange, kind=kind, other=other).exists():
            raise ValidationError({"other": _("These two exchanges are already linked so.")})
    if where_place is not None and not isinstance(where_place, Place):
        raise ValidationError({"where_place": _("Choose a place.")})
    if other is None and not (who or where or where_place or start_date):
        raise ValidationError(
            {"other": _("Choose the recorded exchange, or say who went where and when.")}
        )
    if other is None and where_place is not None and not where:
        where = where_place.name
    return create_record(
        ExchangeLink,
        exchange=exchange,
        kind=kind,
        other=other,
        who=who,
        where=where,
        where_place=where_place,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )


@transaction.atomic
def unlink_exchange(*, link: ExchangeLink, actor=None) -> None:
    """Remove a link (from the exchange it was recorded on)."""
    _require(actor, "programmes.link_exchange", link.exchange)
    link.delete()
