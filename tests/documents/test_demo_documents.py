"""The issue's must-shows, on the demo visit (loaded once for this module)."""

import shutil
import subprocess
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from icalendar import Calendar

from civicbridge.core import hans_hant
from civicbridge.documents import brief, calendars, certificates, programme, spreadsheets
from civicbridge.exchanges.models import Exchange
from civicbridge.pairings.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_exchange(django_db_setup, django_db_blocker):
    """The demo, loaded once inside a transaction that is rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
            yield Exchange.objects.get()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _datun(exchange):
    return Appointment.objects.get(exchange=exchange, person_place__name="大屯里")


def _run(*argv, data=None):
    return subprocess.run(argv, input=data, capture_output=True, check=True).stdout  # noqa: S603


def test_certificate_demo_datun_in_traditional_has_text_fonts_and_size(demo_exchange, tmp_path):
    appointment = _datun(demo_exchange)
    pdf = certificates.certificate_pdf(appointment, "zh-hant")
    path = tmp_path / "datun.pdf"
    path.write_bytes(pdf)
    text = _run(shutil.which("pdftotext"), str(path), "-").decode()
    assert "勤榮輝" in text
    assert "康安社區" in text
    assert appointment.certificate_number in text
    assert "二〇一六年四月二十二日" in text
    assert "大屯里里長" in text
    fonts = _run(shutil.which("pdffonts"), str(path)).decode().splitlines()[2:]
    assert fonts
    for line in fonts:
        name, *rest = line.split()
        assert "+" in name and len(name.split("+")[0]) == 6
        assert "CJK" in name
        assert " yes yes " in line  # embedded, subset
    assert len(pdf) < 300 * 1024


def test_certificate_default_script_is_recipients(demo_exchange):
    text = certificates.certificate_text(_datun(demo_exchange))
    assert text.script == hans_hant.HANT
    assert text.title == "聘書"


def test_certificate_batch_of_exchange_has_a_page_per_appointment(demo_exchange, tmp_path):
    pdf = certificates.batch_pdf(certificates.appointments_for(exchange=demo_exchange))
    path = tmp_path / "batch.pdf"
    path.write_bytes(pdf)
    info = _run(shutil.which("pdfinfo"), str(path)).decode()
    pages = next(line for line in info.splitlines() if line.startswith("Pages:"))
    assert pages.split()[1] == "12"
    assert len(pdf) < 600 * 1024


def test_brief_demo_names_districts_leaders_themes_and_appointees(demo_exchange):
    for which in (hans_hant.HANS, hans_hant.HANT):
        text = brief.build_brief(demo_exchange, which)
        groups = list(demo_exchange.groups.select_related("host_place", "leader__person"))
        assert len(groups) == 4
        for group in groups:
            assert group.host_place.display_name_in(which) in text
            if group.leader_id:
                assert group.leader.person.name_in(which) in text
            else:  # the report does not name the Mentougou group's leader: named by group
                assert hans_hant.convert_text(group.name, which) in text
            for activity in group.activities.filter(forum__isnull=False):
                if activity.forum.theme:
                    assert hans_hant.convert_text(activity.forum.theme, which) in text
        appointments = Appointment.objects.filter(exchange=demo_exchange)
        assert appointments.count() == 12
        for ap in appointments:
            assert ap.person.name_in(which) in text
    hant = brief.build_brief(demo_exchange, hans_hant.HANT)
    assert "邱郁惠" in hant and "邱鬱惠" not in hant
    assert "勤榮輝" in hant and "慈祐里里長" in hant


def test_documents_of_the_demo_read_a_fixed_number_of_queries(
    demo_exchange, django_assert_num_queries
):
    """The demo's four groups, forums with speakers and topics, twelve appointments: the
    brief, the programme, the calendar and the tables read in bulk, never a query per
    group, row or level of a place (tests/pages/test_query_counts.py pins the pages)."""
    documents = {
        "brief": (lambda ex: brief.build_brief(ex, hans_hant.HANS), 20),
        "programme": (lambda ex: programme.programme_html(ex, hans_hant.HANS), 6),
        # (+1 since the published releases set each event's SEQUENCE)
        "calendar": (lambda ex: calendars.exchange_calendar(ex, hans_hant.HANS), 6),
        **{
            kind: (lambda ex, kind=kind: spreadsheets.export_table(ex, kind, hans_hant.HANS), n)
            # (the roster: +3 for its logistics columns: stays and needs, legs, seats)
            for kind, n in {"roster": 5, "itinerary": 5, "appointments": 2}.items()
        },
    }
    for name, (build, queries) in documents.items():
        build(Exchange.objects.get(pk=demo_exchange.pk))  # warm the caches (names) first
        exchange = Exchange.objects.get(pk=demo_exchange.pk)
        exchange.host_place  # noqa: B018 (read before counting)
        with django_assert_num_queries(queries, info=name):
            build(exchange)


def test_ics_yanqing_group_places_each_activity_at_local_time(demo_exchange):
    group = demo_exchange.groups.get(host_place__name="延庆区")
    cal = Calendar.from_ical(calendars.group_calendar(group))
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    activities = list(group.activities.all())
    assert len(events) == len(activities) > 0
    shanghai = ZoneInfo("Asia/Shanghai")
    for activity in activities:
        event = events[f"activity-{activity.pk}@civicbridge"]
        start = event.decoded("DTSTART")
        assert start == activity.starts_at
        assert start.utcoffset() == activity.starts_at.astimezone(shanghai).utcoffset()
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert start.astimezone(shanghai).hour == activity.starts_at.astimezone(shanghai).hour


def test_programme_demo_shows_parts_of_day_not_clock_times(demo_exchange):
    group = demo_exchange.groups.get(host_place__name="延庆区")
    html = programme.programme_html(demo_exchange, "hans", group=group)
    assert "上午" in html and "下午" in html
    assert "09:00" not in html


def test_command_writes_demo_documents(demo_exchange, tmp_path):
    appointment = _datun(demo_exchange)
    out = tmp_path / "c.pdf"
    call_command(
        "document",
        "certificate",
        "--appointment",
        str(appointment.pk),
        "--output",
        str(out),
        stderr=StringIO(),
    )
    assert out.read_bytes()[:5] == b"%PDF-"
    group = demo_exchange.groups.get(host_place__name="延庆区")
    ics = tmp_path / "g.ics"
    call_command(
        "document",
        "ics",
        "--exchange",
        str(demo_exchange.pk),
        "--group",
        str(group.pk),
        "-o",
        str(ics),
        stderr=StringIO(),
    )
    assert ics.read_text().startswith("BEGIN:VCALENDAR")
    text = tmp_path / "b.txt"
    call_command(
        "document",
        "brief",
        "--exchange",
        str(demo_exchange.pk),
        "--script",
        "zh-hant",
        "-o",
        str(text),
        stderr=StringIO(),
    )
    assert "勤榮輝" in text.read_text()
    csv_path = tmp_path / "roster.csv"
    call_command(
        "document",
        "roster",
        "--exchange",
        str(demo_exchange.pk),
        "--format",
        "csv",
        "-o",
        str(csv_path),
        stderr=StringIO(),
    )
    assert Path(csv_path).read_bytes()[:3] == b"\xef\xbb\xbf"
