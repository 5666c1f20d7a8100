"""Reads for the place, person and organisation pages: a directory record with the
exchanges, activities, appointments, speeches and pairings of other apps that name it.
Each page runs a fixed number of queries, whatever the number of records; long lists are
capped (with their full count)."""

from __future__ import annotations

from django.db.models import Q

from civicbridge.directory.models import Organisation, Person, Place, within
from civicbridge.directory.selectors import (
    SECTION_LIMIT,
    capped,
    place_organisations,
    place_positions,
)
from civicbridge.exchanges.models import Activity, Exchange, ExchangeOrganisation, Group, Member
from civicbridge.forums.models import Speaker
from civicbridge.pairings.models import Appointment, Pairing
from civicbridge.pairings.selectors import readable_pairings

# --- places ------------------------------------------------------------------------------


def place_exchanges(place: Place):
    """Exchanges this place (or a place below it) hosted or joined: as host or visiting
    side, as a group's host district, or as the place of one of its activities."""
    return capped(
        Exchange.objects.alive()
        .filter(
            within(place, field="host_place")
            | within(place, field="visiting_place")
            | within(place, field="groups__host_place")
            | within(place, field="activities__place")
        )
        .distinct()
        .select_related("visiting_organisation", "host_place", "visiting_place")
        .order_by("-start_date", "id")
    )


def place_activities(place: Place):
    """Itinerary activities that took place here or below."""
    return capped(
        Activity.objects.filter(within(place, field="place"), exchange__deleted_at__isnull=True)
        .select_related("exchange", "place", "venue")
        .order_by("-starts_at", "id")
    )


def _appointments():
    return Appointment.objects.alive().select_related(
        "person", "community", "person_place", "exchange"
    )


def place_appointments_made(place: Place):
    """Honorary directors appointed by this community."""
    return capped(_appointments().filter(community=place).order_by("-appointed_on", "id"))


def place_appointments_received(place: Place):
    """Appointments received by people from this place (a li's chief appointed in Beijing)."""
    return capped(_appointments().filter(person_place=place).order_by("-appointed_on", "id"))


def place_pairings(place: Place, *, user=None) -> list[dict]:
    """The place's pairings; with ``user``, only those they may read (the pairings' one
    read rule, pairings.selectors)."""
    queryset = readable_pairings(
        user,
        Pairing.objects.filter(Q(place_a=place) | Q(place_b=place)),
    )
    rows = list(
        queryset.select_related("place_a__parent", "place_b__parent", "exchange").order_by(
            "-started_on", "id"
        )[:SECTION_LIMIT]
    )
    return [
        {"pairing": p, "other": p.place_b if p.place_a_id == place.pk else p.place_a} for p in rows
    ]


def place_page(place: Place, *, user=None) -> dict:
    return {
        "place": place,
        "ancestors": place.ancestors(include_hidden=False),
        "positions": place_positions(place),
        "organisations": place_organisations(place),
        "exchanges": place_exchanges(place),
        "activities": place_activities(place),
        "appointments_made": place_appointments_made(place),
        "appointments_received": place_appointments_received(place),
        "pairings": place_pairings(place, user=user),
        "alias_names": list(place.aliases.values_list("name", flat=True)),
    }


# --- people ------------------------------------------------------------------------------


def person_page(person: Person) -> dict:
    return {
        "person": person,
        "positions": list(
            person.positions.select_related("organisation__place", "place__parent").order_by(
                "-start_date", "id"
            )
        ),
        "memberships": list(
            Member.objects.filter(person=person, exchange__deleted_at__isnull=True)
            .select_related(
                "exchange__visiting_organisation",
                "exchange__host_place",
                "group__host_place",
                "organisation",
                "home_place",
            )
            .order_by("-exchange__start_date", "id")
        ),
        "appointments": list(
            person.appointments.alive()
            .select_related("community__parent", "person_place", "exchange")
            .order_by("-appointed_on", "id")
        ),
        "speeches": list(
            Speaker.objects.filter(person=person)
            .select_related(
                "forum__activity__exchange", "forum__activity__place", "organisation", "place"
            )
            .order_by("-forum__activity__starts_at", "id")
        ),
        "hosted": list(
            person.activities_hosted.select_related("exchange", "place")
            .filter(exchange__deleted_at__isnull=True)
            .order_by("-starts_at", "id")[:SECTION_LIMIT]
        ),
    }


# --- organisations --------------------------------------------------------------------------


def organisation_page(org: Organisation) -> dict:
    roles = list(
        ExchangeOrganisation.objects.filter(organisation=org, exchange__deleted_at__isnull=True)
        .select_related("exchange")
        .order_by("-exchange__start_date", "order")[:SECTION_LIMIT]
    )
    return {
        "organisation": org,
        "branches": list(org.branches.alive().order_by("name")),
        "positions": capped(
            org.positions.select_related("person").order_by("-start_date", "title", "id")
        ),
        "visits": capped(
            org.visits_made.alive().select_related("host_place").order_by("-start_date", "id")
        ),
        "roles": roles,
        "groups_hosted": list(
            Group.objects.filter(host_organisation=org, exchange__deleted_at__isnull=True)
            .select_related("exchange", "host_place")
            .order_by("-exchange__start_date", "order")[:SECTION_LIMIT]
        ),
        "venue_of": capped(
            org.activities_hosted.filter(exchange__deleted_at__isnull=True)
            .select_related("exchange")
            .order_by("-starts_at", "id")
        ),
    }
