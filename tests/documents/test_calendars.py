import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from civicbridge.accounts.models import RoleAssignment
from civicbridge.accounts.services import assign_role
from civicbridge.documents import calendars, services
from civicbridge.documents.models import CalendarToken
from civicbridge.exchanges import services as exchanges
from tests.factories import at, build_small_exchange

pytestmark = pytest.mark.django_db


def _events(data):
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_changed_activity_keeps_uid_and_raises_sequence():
    records = build_small_exchange()
    activity = records["activity"]
    uid = f"activity-{activity.pk}@civicbridge"
    before = _events(calendars.group_calendar(records["group"]))[uid]
    exchanges.update_activity(
        activity=activity, expected_version=activity.version, starts_at=at(15), ends_at=at(16)
    )
    after = _events(calendars.group_calendar(records["group"]))[uid]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == at(15)


def test_person_calendar_holds_activities_they_host():
    records = build_small_exchange()
    events = _events(calendars.person_calendar(records["host"]))
    assert list(events) == [f"activity-{records['activity'].pk}@civicbridge"]


def test_exchange_calendar_has_vtimezone_of_taipei_when_exchange_is_there():
    records = build_small_exchange()
    exchange = records["exchange"]
    exchanges.update_exchange(exchange=exchange, timezone="Asia/Taipei")
    exchange.refresh_from_db()
    cal = Calendar.from_ical(calendars.exchange_calendar(exchange))
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Asia/Taipei"]
    event = next(iter(cal.walk("VEVENT")))
    assert event["DTSTART"].params["TZID"] == "Asia/Taipei"
    assert event.decoded("DTSTART") == records["activity"].starts_at


def _reader(username="calendar_reader", role="viewer"):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.org")
    assign_role(user=user, role=role)
    return user


def test_subscription_url_serves_ics_without_login_until_revoked(client):
    # Issue 9 (hole 8): a link works while its creator may read the calendar, so the
    # link is created by a reader (it was created by nobody before).
    records = build_small_exchange()
    token = services.create_calendar_token(
        scope=CalendarToken.Scope.GROUP, object_id=records["group"].pk, created_by=_reader()
    )
    url = reverse("documents:ics_subscription", args=[token.token])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    services.revoke_calendar_token(token=token)
    assert client.get(url).status_code == 404
    assert client.get(reverse("documents:ics_subscription", args=["guess"])).status_code == 404


def test_calendar_token_for_missing_object_is_refused():
    with pytest.raises(ValidationError):
        services.create_calendar_token(scope="group", object_id=999999)


@pytest.mark.parametrize("scope", ["exchange", "group", "person"])
def test_hole8_subscription_link_stops_when_its_creator_loses_every_role(client, scope):
    records = build_small_exchange()
    target = {"exchange": records["exchange"], "group": records["group"], "person": records["host"]}
    creator = _reader()
    token = services.create_calendar_token(
        scope=scope, object_id=target[scope].pk, created_by=creator
    )
    url = reverse("documents:ics_subscription", args=[token.token])
    assert client.get(url).status_code == 200
    RoleAssignment.objects.filter(user=creator).delete()
    assert client.get(url).status_code == 404
    assign_role(user=creator, role="viewer")
    assert client.get(url).status_code == 200


def test_hole8_subscription_link_stops_when_its_creator_is_deactivated(client):
    records = build_small_exchange()
    creator = _reader()
    token = services.create_calendar_token(
        scope=CalendarToken.Scope.EXCHANGE, object_id=records["exchange"].pk, created_by=creator
    )
    url = reverse("documents:ics_subscription", args=[token.token])
    assert client.get(url).status_code == 200
    creator.is_active = False
    creator.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_hole8_subscription_link_without_creator_does_not_work(client):
    records = build_small_exchange()
    creator = _reader()
    token = services.create_calendar_token(
        scope=CalendarToken.Scope.GROUP, object_id=records["group"].pk, created_by=creator
    )
    url = reverse("documents:ics_subscription", args=[token.token])
    creator.delete()
    assert client.get(url).status_code == 404
