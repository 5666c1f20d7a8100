"""Issue 14: one selection of what a group or a person does (``activities_for``). An
activity with no group ticked belongs to the whole delegation (全团): every group's and
every member's programme and calendar hold it; activities not yet scheduled, none."""

import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from icalendar import Calendar

from civicbridge.documents import calendars, programme
from civicbridge.documents.selectors import activities_for
from civicbridge.exchanges import services as exchanges
from tests.factories import at, build_whole_delegation_exchange

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_whole_delegation_exchange()


@pytest.fixture
def signed_in(client):
    user = get_user_model().objects.create_superuser("prog-admin", "p@example.org", "x-pass-1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _titles(activities) -> list[str]:
    return [a.title for a in activities]


def _summaries(data: bytes) -> list[str]:
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(data).walk("VEVENT")]


GROUP_ONE = ["参观康安社区", "两岸社区治理论坛", "荣誉主任聘任仪式"]


def test_a_group_takes_part_in_its_own_and_the_whole_delegations_activities(world):
    assert _titles(activities_for(world["exchange"], group=world["group"])) == GROUP_ONE
    assert _titles(activities_for(world["exchange"], group=world["second"])) == [
        "参观海淀创新中心",
        "两岸社区治理论坛",
        "荣誉主任聘任仪式",
    ]


def test_the_whole_exchange_is_every_scheduled_activity(world):
    assert _titles(activities_for(world["exchange"])) == [
        "参观康安社区",
        "参观海淀创新中心",
        "两岸社区治理论坛",
        "荣誉主任聘任仪式",
    ]


def test_a_person_takes_part_in_their_groups_the_whole_delegations_and_what_they_host(world):
    exchange = world["exchange"]
    assert _titles(activities_for(exchange, person=world["member"])) == GROUP_ONE
    # a member of no group: the whole delegation's only
    assert _titles(activities_for(exchange, person=world["loose"])) == [
        "两岸社区治理论坛",
        "荣誉主任聘任仪式",
    ]
    # a host who is no member: what they host (across exchanges too)
    assert _titles(activities_for(exchange, person=world["host"])) == ["参观康安社区"]
    assert _titles(activities_for(None, person=world["host"])) == ["参观康安社区"]


def test_the_whole_delegations_activities_stay_in_their_exchange(world):
    other = _exchange_elsewhere(world)
    assert "别处的全团活动" not in _titles(activities_for(world["exchange"], group=world["group"]))
    assert "别处的全团活动" not in _titles(activities_for(None, person=world["member"]))
    assert _titles(activities_for(other)) == ["别处的全团活动"]


def _exchange_elsewhere(world):
    """Another exchange of the same places with a whole-delegation activity of its own."""
    exchange = world["exchange"]
    other = exchanges.create_exchange(
        title="另一次参访",
        start_date=exchange.start_date,
        end_date=exchange.end_date,
        visiting_organisation=exchange.visiting_organisation,
        visiting_place=exchange.visiting_place,
        host_place=exchange.host_place,
    )
    exchanges.create_activity(
        exchange=other, kind="meeting", title="别处的全团活动", starts_at=at(9), ends_at=at(10)
    )
    return other


def test_group_programme_page_holds_the_whole_delegations_forum_and_ceremony(world, signed_in):
    html = signed_in.get(reverse("documents:programme_group", args=[world["group"].pk]))
    text = html.content.decode()
    assert [title in text for title in GROUP_ONE] == [True, True, True]
    assert "参观海淀创新中心" not in text
    assert "待定座谈会" not in text


def test_group_programme_html_of_the_second_group_holds_them_too(world):
    html = programme.programme_html(world["exchange"], "hans", group=world["second"])
    assert ["两岸社区治理论坛" in html, "荣誉主任聘任仪式" in html] == [True, True]
    assert "参观康安社区" not in html


def test_group_calendar_holds_the_whole_delegations_forum_and_ceremony(world, signed_in):
    url = reverse("documents:ics_group", args=[world["group"].pk])
    ics = signed_in.get(url + "?script=zh-hans")
    assert _summaries(ics.content) == GROUP_ONE


def test_person_calendar_holds_the_whole_delegations_forum_and_ceremony(world, signed_in):
    ics = signed_in.get(reverse("documents:ics_person", args=[world["member"].pk]))
    assert _summaries(ics.content) == GROUP_ONE
    assert _summaries(calendars.person_calendar(world["loose"])) == [
        "两岸社区治理论坛",
        "荣誉主任聘任仪式",
    ]


def test_person_calendar_of_one_exchange_holds_them(world):
    data = calendars.person_calendar(world["member"], exchange=world["exchange"])
    assert _summaries(data) == GROUP_ONE


@pytest.mark.slow
def test_group_programme_pdf_holds_the_whole_delegations_forum_and_ceremony(
    world, signed_in, tmp_path
):
    pdf = signed_in.get(reverse("documents:programme_group_pdf", args=[world["group"].pk]))
    assert pdf.content[:5] == b"%PDF-"
    path = tmp_path / "programme.pdf"
    path.write_bytes(pdf.content)
    argv = [shutil.which("pdftotext"), str(path), "-"]
    text = subprocess.run(argv, capture_output=True, check=True).stdout.decode()  # noqa: S603
    text = "".join(text.split())
    assert [title in text for title in GROUP_ONE] == [True, True, True]
    assert "参观海淀创新中心" not in text
    # styled by the programme's stylesheets: the CJK family everywhere, page numbers too
    argv = [shutil.which("pdffonts"), str(path)]
    fonts = subprocess.run(argv, capture_output=True, check=True).stdout.decode()  # noqa: S603
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert families == {"Noto-Sans-CJK-SC"}
