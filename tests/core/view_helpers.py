"""Helpers and factories for the view tests of core and directory (ours, not shared)."""

import datetime as dt
import re

import factory

from civicbridge.directory.models import TAIWAN, PlaceKind, Position
from civicbridge.pairings.models import Appointment, Commitment, Pairing
from tests.factories import PersonFactory, PlaceFactory

H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


def h1_count(response) -> int:
    return len(H1.findall(response.content.decode()))


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    title = "里长"
    place = factory.SubFactory(PlaceFactory)
    start_date = dt.date(2018, 12, 25)


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    place_a = factory.SubFactory(PlaceFactory)
    place_b = factory.SubFactory(PlaceFactory, side_id=TAIWAN, kind=PlaceKind.LI)
    started_on = dt.date(2016, 4, 22)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    community = factory.SubFactory(PlaceFactory)
    appointed_on = dt.date(2016, 4, 22)
    certificate_year = 2016
    certificate_number = factory.Sequence(lambda n: f"{n:03d}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    title = factory.Sequence(lambda n: f"建立常态化的互访机制 {n}")


def make_user(
    username: str = "organiser",
    password: str = "correct horse battery",  # noqa: S107
    role: str | None = "viewer",
    place=None,
    organisation=None,
):
    """A user with a role (viewer by default; ``role=None``: none, so it reads nothing)."""
    from django.contrib.auth import get_user_model

    from civicbridge.accounts.services import assign_role

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=password
    )
    if role:
        assign_role(user=user, role=role, place=place, organisation=organisation)
    return user


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
