"""A generated world (benchmarks/world.py, a small scale) for the statistics tests."""

import datetime as dt

import pytest
from django.utils import timezone

from benchmarks.world import build_world


def small_world(scale: float = 0.02, seed: int = 7):
    return build_world(years=10, scale=scale, seed=seed, today=timezone.localdate())


@pytest.fixture
def world(db):
    return small_world()


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()
