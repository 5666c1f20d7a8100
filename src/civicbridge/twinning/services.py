"""Writes for appointments, pairings and commitments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from civicbridge.core.services import bump_version, check_version, validate_text
from civicbridge.directory.models import Organisation, Person, Place, PlaceKind, Position
from civicbridge.exchanges.models import Activity, Exchange
from civicbridge.forums.models import Outcome
from civicbridge.twinning.models import (
    Appointment,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Pairing,
)

HONORARY_DIRECTOR = "荣誉主任"


def next_certificate_number(*, community: Place, year: int) -> str:
    """The next certificate number of ``community`` for ``year``: <code>-<year>-<nnn>."""
    prefix = f"{community.code or f'P{community.pk}'}-{year}-"
    taken = Appointment.objects.filter(
        community=community, certificate_year=year, certificate_number__startswith=prefix
    ).values_list("certificate_number", flat=True)
    numbers = [int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _li_of(person: Person, on: dt.date) -> Place | None:
    """The li (or community) a person headed on a date, else their home place."""
    position = (
        Position.objects.on(on)
        .filter(
            person=person, place__kind__in=[PlaceKind.LI, PlaceKind.COMMUNITY, PlaceKind.VILLAGE]
        )
        .select_related("place")
        .first()
    )
    return position.place if position else person.home_place


@transaction.atomic
def create_pairing(
    *,
    place_a: Place,
    place_b: Place,
    started_on: dt.date,
    origin: str = Pairing.Origin.DIRECT,
    exchange: Exchange | None = None,
    note: str = "",
) -> Pairing:
    if place_a.pk == place_b.pk:
        raise ValidationError({"place_b": _("A pairing links two different places.")})
    if Pairing.objects.filter(
        Q(place_a=place_a, place_b=place_b) | Q(place_a=place_b, place_b=place_a),
        ended_on__isnull=True,
    ).exists():
        raise ValidationError({"place_b": _("These two places are already paired.")})
    return Pairing.objects.create(
        place_a=place_a,
        place_b=place_b,
        started_on=started_on,
        origin=origin,
        exchange=exchange,
        note=note,
    )


def open_pairing_between(a: Place, b: Place) -> Pairing | None:
    return Pairing.objects.filter(
        Q(place_a=a, place_b=b) | Q(place_a=b, place_b=a), ended_on__isnull=True
    ).first()


@transaction.atomic
def end_pairing(
    *, pairing: Pairing, ended_on: dt.date, expected_version: int | None = None, note: str = ""
) -> Pairing:
    check_version(pairing, expected_version)
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it began.")})
    pairing.ended_on = ended_on
    if note:
        pairing.note = f"{pairing.note}\n{note}".strip()
    bump_version(pairing)
    pairing.save()
    return pairing


@transaction.atomic
def appoint(
    *,
    person: Person,
    community: Place,
    appointed_on: dt.date,
    activity: Activity | None = None,
    exchange: Exchange | None = None,
    title: str = HONORARY_DIRECTOR,
    person_place: Place | None = None,
    certificate_number: str | None = None,
    create_pairing_with_place: bool = True,
    note: str = "",
) -> Appointment:
    """Appoint ``person`` (honorary director, by default) of ``community``.

    The certificate number is issued when none is given. The appointee's li is taken from
    their position on that day unless given; the appointment creates (or joins) the
    pairing of that li with the community."""
    errors = {}
    if not community.is_community_level:
        errors["community"] = _("Only a community or village appoints honorary directors.")
    if activity is not None:
        exchange = exchange or activity.exchange
        if activity.exchange_id != exchange.pk:
            errors["activity"] = _("The activity belongs to another exchange.")
    if exchange is not None and not (exchange.start_date <= appointed_on <= exchange.end_date):
        errors["appointed_on"] = _("The date lies outside the exchange's dates.")
    if errors:
        raise ValidationError(errors)
    year = appointed_on.year
    number = (certificate_number or "").strip() or next_certificate_number(
        community=community, year=year
    )
    number = validate_text(number, field="certificate_number", max_length=40)
    if Appointment.objects.filter(
        community=community, certificate_year=year, certificate_number=number
    ).exists():
        raise ValidationError(
            {
                "certificate_number": _(
                    "Certificate number %(n)s is already used by this community in %(y)s."
                )
                % {"n": number, "y": year}
            }
        )
    person_place = person_place or _li_of(person, appointed_on)
    pairing = None
    if create_pairing_with_place and person_place is not None and person_place.pk != community.pk:
        pairing = open_pairing_between(community, person_place) or create_pairing(
            place_a=community,
            place_b=person_place,
            started_on=appointed_on,
            origin=Pairing.Origin.APPOINTMENT,
            exchange=exchange,
        )
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                person=person,
                community=community,
                person_place=person_place,
                title=validate_text(title, field="title", max_length=100),
                exchange=exchange,
                activity=activity,
                appointed_on=appointed_on,
                certificate_year=year,
                certificate_number=number,
                pairing=pairing,
                note=note,
            )
    except IntegrityError as exc:  # a concurrent appointment took the number
        raise ValidationError(
            {"certificate_number": _("That certificate number was just taken.")}
        ) from exc


@transaction.atomic
def create_commitment(
    *,
    title: str,
    description: str = "",
    exchange: Exchange | None = None,
    activity: Activity | None = None,
    outcome: Outcome | None = None,
    pairing: Pairing | None = None,
    owner_person: Person | None = None,
    owner_organisation: Organisation | None = None,
    due_on: dt.date | None = None,
    status: str = CommitmentStatus.OPEN,
    by=None,
    note: str = "",
) -> Commitment:
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if outcome is not None:
        activity = activity or outcome.forum.activity
    if activity is not None:
        exchange = exchange or activity.exchange
    commitment = Commitment.objects.create(
        title=validate_text(title, field="title", max_length=300),
        description=description,
        exchange=exchange,
        activity=activity,
        outcome=outcome,
        pairing=pairing,
        owner_person=owner_person,
        owner_organisation=owner_organisation,
        due_on=due_on,
        status=status,
    )
    CommitmentEvent.objects.create(commitment=commitment, status=status, note=note, by=by)
    return commitment


@transaction.atomic
def change_commitment_status(
    *,
    commitment: Commitment,
    status: str,
    note: str = "",
    by=None,
    expected_version: int | None = None,
) -> Commitment:
    check_version(commitment, expected_version)
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    commitment.status = status
    bump_version(commitment)
    commitment.save()
    CommitmentEvent.objects.create(commitment=commitment, status=status, note=note, by=by)
    return commitment
