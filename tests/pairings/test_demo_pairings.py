"""The demo visit: twelve appointments make twelve pairings, each li with its community."""

import datetime as dt

import pytest
from django.urls import reverse

from civicbridge.directory.models import Place
from civicbridge.pairings import selectors
from civicbridge.pairings.models import Appointment, Pairing

# (li as the register spells it, the appointing community's short name)
EXPECTED = {
    ("板溪里", "阜四社区"),
    ("建倫里", "阜四社区"),
    ("綠堤里", "阜四社区"),
    ("龍田里", "八角北里社区"),
    ("鵬程里", "老山东里社区"),
    ("慈祐里", "四季园社区"),
    ("大屯里", "康安社区"),
    ("永明里", "振兴南社区"),
    ("富光里", "振兴北社区"),
    ("四育里", "峪园社区"),
    ("六合里", "龙门新区三区社区"),
    ("玉成里", "龙泉务社区"),
}


def _short(place):
    return place.short_name or place.name


@pytest.mark.django_db
def test_demo_twelve_appointments_make_twelve_pairings(demo):
    appointments = Appointment.objects.alive().filter(exchange=demo)
    pairings = Pairing.objects.filter(exchange=demo).select_related("place_a", "place_b")
    assert appointments.count() == 12
    assert pairings.count() == 12
    found = {(p.place_b.name, _short(p.place_a)) for p in pairings}
    assert found == EXPECTED
    assert all(a.pairing_id is not None for a in appointments)


@pytest.mark.django_db
def test_demo_fusi_place_page_lists_three_honorary_directors(demo, signed_in):
    fusi = Place.objects.get(name="阜石路第四社区居委会")
    assert fusi.short_name == "阜四社区"
    html = signed_in.get(reverse("directory:place", args=[fusi.pk])).content.decode()
    names = [a.person.name_hans for a in fusi.appointments_made.alive().select_related("person")]
    assert len(names) == 3
    for name in ("黄国辉", "林正达", "邱郁惠"):
        assert name in html


@pytest.mark.django_db
def test_demo_pairing_page_shows_both_places_and_the_appointment(demo, signed_in):
    pairing = Pairing.objects.get(exchange=demo, place_b__name="板溪里")
    response = signed_in.get(reverse("pairings:detail", args=[pairing.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "阜四社区" in html
    assert "板溪里" in html
    assert "黄国辉" in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_demo_pairings_are_quiet_ten_years_on(demo):
    rows = selectors.pairing_list(today=dt.date(2026, 11, 30))
    assert len(rows) == 12
    assert all(h.is_quiet for h in rows)
    assert {h.last_contact for h in rows} == {dt.date(2016, 4, 22)}
    fresh = selectors.pairing_list(today=dt.date(2016, 5, 1))
    assert not any(h.is_quiet for h in fresh)
