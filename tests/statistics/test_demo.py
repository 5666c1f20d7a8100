"""The statistics page over the 2016 visit (the demo): the visit is counted in 2016 with its
people, its appointments and pairings, and 海淀区 meets 臺北市 in the matrix."""

import pytest

from civicbridge.demo.visit2016 import demo_exchange
from civicbridge.exchanges.models import Member
from civicbridge.pairings.models import Appointment, Pairing
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_2016_visit_in_the_figures(client, demo):
    exchange = demo_exchange()
    client.force_login(make_user("leader", role="viewer"))
    response = client.get("/statistics/", {"year_from": 2016, "year_to": 2016})
    assert response.status_code == 200
    sections = {s.key: s for s in response.context["sections"]}
    people = Member.objects.filter(exchange=exchange).values("person").distinct().count()
    assert sections["exchanges"].rows == [[2016, 1, people, 0]]
    appointments = Appointment.objects.alive().filter(status="held", appointed_on__year=2016)
    pairings = Pairing.objects.filter(status="held", started_on__year=2016)
    row = sections["appointments"].rows[0]
    assert (row[1], row[3]) == (appointments.count(), pairings.count())
    assert appointments.count() > 0
    matrix = sections["matrix"]
    assert "海淀区" in [r[0] for r in matrix.rows]
    assert any(h in ("臺北市", "台北市") for h in matrix.headers)
    assert response.content.decode().count("<h1") == 1
