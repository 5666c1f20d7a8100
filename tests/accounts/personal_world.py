"""The world of the personal-data tests: tests/accounts/world.py (海淀区 and 延庆区, a Taipei
li, the association's delegation with a group in each district, one user per role) plus six
people with every personal field recorded, one per relation:

- ``yq_resident``: lives in 延庆 (the 延庆 organiser's own directory entry); escorts the 延庆
  group (host side of the roster).
- ``member``: a Taipei li chief in the 延庆 group (on the 延庆 organiser's roster, the
  association coordinator's delegation).
- ``hd_member``: a Taipei visitor in the 海淀 group (another district's roster).
- ``hd_resident``: lives in 海淀 but was put on the 延庆 group's roster as a visitor (the
  roster must not hand a 海淀 entry to 延庆, nor to the coordinator).
- ``host``: lives in 海淀 and hosts the 延庆 activity (an activity host).
- ``outsider``: recorded nowhere, on another organisation's delegation (unrelated to all but
  that organisation's coordinator).

Every one of them hosts the 延庆 activity too, so the programme lists all of them.
Built once per session and replayed into each test (tests/conftest.py ``_replay``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from civicbridge.directory.models import Person
from civicbridge.exchanges.models import Activity, Exchange

PEOPLE = ("yq_resident", "member", "hd_member", "hd_resident", "host", "outsider")
FIELDS = ("phone", "email", "permit_number", "date_of_birth")
ROLES = {
    "administrator": "admin",
    "organiser_inside": "org_yanqing",
    "organiser_outside": "org_haidian",
    "coordinator": "coordinator",
    "coordinator_other": "coordinator_other",
    "community_member": "community",
    "viewer": "viewer",
}
NAMES = {
    "yq_resident": "赵延庆",
    "member": "李里长",  # world.person
    "hd_member": "陈海淀组",
    "hd_resident": "钱海淀",
    "host": "孙接待",
    "outsider": "王外人",  # world.outsider
}


def values(index: int) -> dict:
    """Distinct values, none a substring of another's."""
    return {
        "phone": f"1397{index}0{index}0{index}55",
        "email": f"person{index}.matrix@example.org",
        "permit_number": f"MX{index}7{index}3{index}9",
        "date_of_birth": dt.date(1950 + index, 3, 10 + index),
    }


VALUES = {key: values(i + 1) for i, key in enumerate(PEOPLE)}


def text_of(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _build() -> None:
    from civicbridge.directory import services as directory
    from civicbridge.exchanges import services as exchanges
    from civicbridge.exchanges.models import Side
    from tests.accounts.world import build

    w = build()
    people = {
        "yq_resident": directory.create_person(
            name=NAMES["yq_resident"], home_place=w.other_community
        ),
        "member": w.person,
        "hd_member": directory.create_person(name=NAMES["hd_member"], home_place=w.daan),
        "hd_resident": directory.create_person(name=NAMES["hd_resident"], home_place=w.community),
        "host": directory.create_person(name=NAMES["host"], home_place=w.street),
        "outsider": w.outsider,
    }
    for key, person in people.items():
        person.refresh_from_db()
        directory.update_person(person=person, **VALUES[key])
    exchanges.add_member(
        exchange=w.exchange, person=people["yq_resident"], group=w.group_yanqing, side=Side.HOST
    )
    exchanges.add_member(exchange=w.exchange, person=people["hd_member"], group=w.group_haidian)
    exchanges.add_member(exchange=w.exchange, person=people["hd_resident"], group=w.group_yanqing)
    w.activity_yanqing.hosts.set([people[key] for key in PEOPLE])


class PersonalWorld:
    """Handles on the replayed rows (looked up by name: the rows are new in every test)."""

    def __init__(self):
        users = get_user_model().objects
        self.users = {role: users.get(username=name) for role, name in ROLES.items()}
        self.nobody = users.get(username="nobody")
        self.people = {key: Person.objects.get(name=name) for key, name in NAMES.items()}
        self.exchange = Exchange.objects.get(title="基层参访团北京参访")
        self.activity = Activity.objects.get(title="延庆座谈")
        self.roster = {"yq_resident", "member", "hd_member", "hd_resident"}


@pytest.fixture
def personal_world(db, settings):
    from tests.conftest import _replay

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _replay("personal_world", _build)
    return PersonalWorld()
