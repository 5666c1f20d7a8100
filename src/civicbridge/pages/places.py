"""Reads for the place, person and organisation pages: a directory record with the
exchanges, activities, appointments, speeches and pairings of other apps that name it.
Each page runs a fixed number of queries, whatever the number of records; long lists are
capped (with their full count)."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from civicbridge.directory.models import Organisation, Person, Place, within
from civicbridge.directory.selectors import (
    SECTION_LIMIT,
    capped,
    place_organisations,
    place_positions,
)
from civicbridge.exchanges.models import Activity, Exchange, ExchangeOrganisation, Group, Member
from civicbridge.exchanges.selectors import held_exchanges
from civicbridge.forums.models import Speaker
from civicbridge.pages.figures import counts
from civicbridge.pairings.models import Appointment, Pairing
from civicbridge.pairings.selectors import (
    held_appointments,
    held_pairings,
    of_place_q,
    place_agreements,
    place_alliance_memberships,
    readable_pairings,
)
from civicbridge.programmes.models import ExchangeLink
from civicbridge.programmes.selectors import programmes_at_place

# --- places ------------------------------------------------------------------------------


def exchanges_of_place(place: Place):
    """Exchanges this place (or a place below it) hosted or joined: as host or visiting
    side, as a group's host district, or as the place of one of its activities."""
    return (
        Exchange.objects.alive()
        .filter(
            within(place, field="host_place")
            | within(place, field="visiting_place")
            | within(place, field="groups__host_place")
            | within(place, field="places__place")
            | within(place, field="activities__place")
        )
        .distinct()
    )


def return_visits_of() -> Prefetch:
    """Each exchange's links as the return visit of an earlier trip, as ``return_visits``:
    the trip recorded (and not deleted) or as the sources write it. One query for the
    whole list, whatever its length."""
    return Prefetch(
        "links",
        queryset=ExchangeLink.objects.filter(kind=ExchangeLink.Kind.RETURN_VISIT)
        .filter(Q(other__isnull=True) | Q(other__deleted_at__isnull=True))
        .select_related("other", "where_place")
        .order_by("start_date", "id"),
        to_attr="return_visits",
    )


def place_exchanges(place: Place):
    """The exchanges of ``exchanges_of_place``, whatever their status (planned ones too),
    each with the earlier trips it is the return visit of (``return_visits``)."""
    return capped(
        exchanges_of_place(place)
        .select_related("visiting_organisation", "host_place", "visiting_place")
        .prefetch_related(return_visits_of())
        .order_by("-start_date", "id")
    )


def place_figures(place: Place, *, user=None) -> dict[str, int]:
    """What took place here, counted (one query): held exchanges of ``exchanges_of_place``,
    held appointments of honorary directors by this community, held pairings of the place
    that ``user`` may read. The lists show planned ones too; the figures never count them."""
    return counts(
        exchanges=held_exchanges(exchanges_of_place(place)),
        appointments=held_appointments(Appointment.objects.alive().filter(community=place)),
        pairings=held_pairings(readable_pairings(user, Pairing.objects.filter(of_place_q(place)))),
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
        Pairing.objects.filter(of_place_q(place)),
    )
    rows = list(
        queryset.select_related(
            "place_a__parent",
            "place_b__parent",
            "organisation_a__place",
            "organisation_b__place",
            "exchange",
            "batch",
        ).order_by("-started_on", "id")[:SECTION_LIMIT]
    )
    return [{"pairing": p, "other": _other_party(p, place)} for p in rows]


def _other_party(pairing: Pairing, place: Place):
    """The party of ``pairing`` that is not ``place`` (nor an organisation based there)."""
    a_here = pairing.place_a_id == place.pk or (
        pairing.organisation_a_id is not None and pairing.organisation_a.place_id == place.pk
    )
    return pairing.party_b if a_here else pairing.party_a


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
        "agreements": place_agreements(place),
        "alliance_memberships": place_alliance_memberships(place),
        "alias_names": list(place.aliases.values_list("name", flat=True)),
        "figures": place_figures(place, user=user),
        # Programmes and series whose exchanges were hosted here or came from here.
        "programmes": programmes_at_place(place),
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
                "activity__exchange", "activity__place", "activity__forum", "organisation", "place"
            )
            .order_by("-activity__starts_at", "id")
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
