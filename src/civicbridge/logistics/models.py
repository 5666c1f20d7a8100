"""A visit's logistics per member: how they arrive and leave, where they sleep, what they
need (personal data), and the exchange's vehicles with their seats. Permits live on the
person (``directory.Person.permit_*``); their warnings are read in ``selectors``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Timestamped
from civicbridge.directory.models import Organisation, Place
from civicbridge.exchanges.models import Exchange, Member


class TravelMode(models.TextChoices):
    FLIGHT = "flight", _("Flight")
    TRAIN = "train", _("Train")
    COACH = "coach", _("Coach")
    CAR = "car", _("Car")
    SHIP = "ship", _("Ship")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival")
    DEPARTURE = "departure", _("Departure")


class TravelLeg(Timestamped):
    """How a member arrives at the visit or leaves it (one of each): CA185 at 首都机场T3."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="travel_legs")
    direction = models.CharField(
        _("arrival or departure"), max_length=10, choices=Direction.choices
    )
    mode = models.CharField(
        _("by"), max_length=10, choices=TravelMode.choices, default=TravelMode.FLIGHT
    )
    number = models.CharField(_("flight or train number"), max_length=40, blank=True)
    # The moment, with its time zone (stored in UTC, shown in the exchange's zone).
    at = models.DateTimeField(_("time"), null=True, blank=True)
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The place as written (首都机场T3, 北京南站), with or without a directory place.
    place_wording = models.CharField(_("place as written"), max_length=200, blank=True)
    pickup = models.BooleanField(_("pick-up needed"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("travel leg")
        verbose_name_plural = _("travel legs")
        ordering = ["member", "direction", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "direction"], name="logistics_one_leg_per_direction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.direction} {self.number}".strip()


class Stay(Timestamped):
    """Where a member sleeps: the hotel (a directory organisation or its wording), the room
    and the number of nights."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="stay")
    hotel = models.ForeignKey(
        Organisation,
        verbose_name=_("hotel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hotel_wording = models.CharField(_("hotel as written"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=40, blank=True)
    nights = models.PositiveSmallIntegerField(_("nights"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["member", "id"]

    def __str__(self) -> str:
        return f"{self.member} {self.hotel_name} {self.room}".strip()

    @property
    def hotel_name(self) -> str:
        return self.hotel.name if self.hotel_id else self.hotel_wording


class Needs(Timestamped):
    """What a member needs: dietary, mobility and medical notes. Personal data: shown with
    the person's permit number (the visit's personal data, exchanges.personal_data), masked
    elsewhere, left out of the personal-data-free export (``PERSONAL_FIELDS``)."""

    PERSONAL_FIELDS = ("dietary", "mobility", "medical")

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="needs")
    dietary = models.CharField(_("dietary needs"), max_length=200, blank=True)
    mobility = models.CharField(_("mobility needs"), max_length=200, blank=True)
    medical = models.TextField(_("medical notes"), blank=True)

    class Meta:
        verbose_name = _("needs")
        verbose_name_plural = _("needs")
        ordering = ["member", "id"]

    def __str__(self) -> str:
        return str(self.member)


class Vehicle(Timestamped):
    """A vehicle of the exchange (1号车): its plate, driver and seats."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="vehicles")
    name = models.CharField(_("vehicle"), max_length=100)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    driver = models.CharField(_("driver"), max_length=100, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["exchange", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "name"], name="logistics_vehicle_name")
        ]

    def __str__(self) -> str:
        return self.name


class SeatAssignment(Timestamped):
    """A member's seat in a vehicle, for the whole visit (no day) or for one day."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="seat_assignments")
    seat = models.CharField(_("seat"), max_length=10, blank=True)
    day = models.DateField(_("day"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat assignment")
        verbose_name_plural = _("seat assignments")
        ordering = ["member", "day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(day__isnull=True), name="logistics_one_seat"
            ),
            models.UniqueConstraint(
                fields=["member", "day"],
                condition=Q(day__isnull=False),
                name="logistics_one_seat_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.vehicle} {self.seat}".strip()
