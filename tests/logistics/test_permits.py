"""Permits: which one a member needs, and the warning when it is missing, not issued or
expires before the visit ends — on the exchange page and on the dashboard, the number masked
for a reader who may not see it, the warning itself shown to the exchange's organisers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from civicbridge.directory import services as directory
from civicbridge.directory.models import PermitKind
from civicbridge.exchanges import services as exchanges
from civicbridge.logistics import selectors
from civicbridge.pages import dashboard

pytestmark = pytest.mark.django_db

EXPIRES = "permit expires before the visit ends"
TAGS = re.compile(r"<[^>]+>")


def test_the_kind_follows_the_direction(visit):
    world = visit.world
    member = visit.members[0]
    assert selectors.needed_permit(visit.exchange, member) == PermitKind.MAINLAND_TRAVEL
    back = exchanges.create_exchange(
        title="回访台北",
        start_date=dt.date(2016, 10, 8),
        visiting_place=world.beijing,
        host_place=world.taipei,
    )
    resident = directory.create_person(name="海淀居民", home_place=world.community)
    visitor = exchanges.add_member(exchange=back, person=resident)
    assert selectors.needed_permit(back, visitor) == PermitKind.TAIWAN_ENTRY
    host = exchanges.add_member(exchange=back, person=visit.members[3].person, side="host")
    assert selectors.needed_permit(back, host) == ""


def test_a_permit_expiring_the_day_before_the_last_day_is_warned(visit):
    warnings = selectors.permit_warnings(visit.exchange)
    assert [(w.member.pk, w.reasons) for w in warnings] == [
        (visit.expiring.pk, [selectors.EXPIRES]),
        (visit.unpermitted.pk, [selectors.MISSING]),
    ]
    # The last day itself is fine; without an end date the start counts.
    directory.update_person(person=visit.expiring.person, permit_expires_on=dt.date(2016, 4, 25))
    assert [w.member.pk for w in selectors.permit_warnings(visit.exchange)] == [
        visit.unpermitted.pk
    ]


def test_status_and_kind_are_warned(visit):
    person = visit.members[4].person
    directory.update_person(person=person, permit_status="applied")
    directory.update_person(person=visit.members[5].person, permit_kind="taiwan_entry")
    directory.update_person(person=visit.members[6].person, permit_status="refused")
    reasons = {w.member.pk: w.reasons for w in selectors.permit_warnings(visit.exchange)}
    assert reasons[visit.members[4].pk] == [selectors.NOT_ISSUED]
    assert reasons[visit.members[5].pk] == [selectors.WRONG_KIND]
    assert reasons[visit.members[6].pk] == [selectors.REFUSED]


def _panel(client_for, key, visit):
    response = client_for(key).get(reverse("exchanges:detail", args=[visit.exchange.pk]))
    assert response.status_code == 200
    return TAGS.sub("", response.content.decode())


def test_the_exchange_page_warns_its_organisers(visit, client_for):
    number = visit.expiring.person.permit_number
    # 海淀's organiser hosts the first group (林里长02's): the number and its expiry are shown.
    page = _panel(client_for, "organiser_haidian", visit)
    assert "林里长02: " + EXPIRES in page
    assert number in page
    assert "valid until 2016-04-24" in page
    assert "林里长03: no permit recorded" in page
    # 延庆's organiser runs the visit too (the second group) but may not see the first
    # group's permits: the warning without the number or the expiry.
    page = _panel(client_for, "organiser_yanqing", visit)
    assert "林里长02: " + EXPIRES in page
    assert number not in page
    assert "valid until 2016-04-24" not in page
    assert "•••" in page
    # A viewer gets no warnings at all.
    page = _panel(client_for, "viewer", visit)
    assert EXPIRES not in page
    assert number not in page


def _dashboard_html(user, today) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        html = render_to_string(
            "pages/dashboard.html", dashboard.dashboard(today, user=user), request=request
        )
    return TAGS.sub("", html)


def test_the_dashboard_warns_about_upcoming_visits_in_scope(visit):
    users = visit.world.users
    before = dt.date(2016, 4, 20)
    number = visit.expiring.person.permit_number
    html = _dashboard_html(users["organiser_haidian"], before)
    assert "林里长02: " + EXPIRES in html
    assert number in html
    html = _dashboard_html(users["organiser_yanqing"], before)
    assert "林里长02: " + EXPIRES in html
    assert number not in html
    html = _dashboard_html(users["viewer"], before)
    assert EXPIRES not in html
    # Once the visit is over it is not upcoming any more.
    assert EXPIRES not in _dashboard_html(users["organiser_haidian"], dt.date(2016, 4, 26))


def test_the_dashboard_counts_only_the_users_scope(visit):
    users = visit.world.users
    day = dt.date(2016, 4, 20)
    coordinator = selectors.upcoming_permit_warnings(users["coordinator_other"], day)
    assert coordinator == []
    mine = selectors.upcoming_permit_warnings(users["coordinator"], day)
    assert {w.member.pk for w in mine} == {visit.expiring.pk, visit.unpermitted.pk}
