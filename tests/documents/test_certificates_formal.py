"""Formal certificates (issue 14): the number in the community's pattern, unique as before;
the title as of the appointment date, asked when the register cannot say; the script
choice; the seal area."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from civicbridge.api import interchange
from civicbridge.core import hans_hant
from civicbridge.directory import services as directory
from civicbridge.documents import certificates
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import Appointment, CertificateNumbering
from tests.factories import make_admin, make_user

pytestmark = pytest.mark.django_db

PATTERN = "〔{year}〕田阜字第{seq}号"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "certificate.png"


def _organiser(world):
    return make_user("haidian_organiser", role="organiser", place=world.haidian)


def _numbered(world):
    pairings.set_certificate_numbering(
        community=world.community, pattern=PATTERN, actor=_organiser(world)
    )


def _person(name):
    return directory.create_person(name=name)


def _appoint(world, person, on, **extra):
    return pairings.appoint(
        person=person, community=world.community, appointed_on=on, person_place=world.li, **extra
    )


# --- the pattern -----------------------------------------------------------------------------


def test_numbers_follow_the_communitys_pattern_per_year(pairing_world):
    w = pairing_world
    _numbered(w)
    first = _appoint(w, _person("甲"), dt.date(2016, 5, 1))
    second = _appoint(w, _person("乙"), dt.date(2016, 6, 1))
    next_year = _appoint(w, _person("丙"), dt.date(2017, 1, 9))
    assert first.certificate_number == "〔2016〕田阜字第001号"
    assert second.certificate_number == "〔2016〕田阜字第002号"
    assert next_year.certificate_number == "〔2017〕田阜字第001号"
    # the appointment made before the pattern keeps its number
    w.appointment.refresh_from_db()
    assert w.appointment.certificate_number.endswith("-2016-001")


def test_the_pattern_counts_on_from_a_number_given_by_hand_and_digits(pairing_world):
    w = pairing_world
    pairings.set_certificate_numbering(
        community=w.community, pattern=PATTERN, digits=4, actor=make_admin()
    )
    _appoint(w, _person("甲"), dt.date(2016, 5, 1), certificate_number="〔2016〕田阜字第0041号")
    assert _appoint(w, _person("乙"), dt.date(2016, 5, 2)).certificate_number == (
        "〔2016〕田阜字第0042号"
    )


def test_a_pattern_without_its_number_or_with_unknown_braces_is_refused(pairing_world):
    w = pairing_world
    admin = make_admin()
    for bad in ("田阜字第号", "{seq}{seq}", "〔{year}〕{seq}{month}", "{year}{year}{seq}"):
        with pytest.raises(ValidationError) as caught:
            pairings.set_certificate_numbering(community=w.community, pattern=bad, actor=admin)
        assert list(caught.value.message_dict) == ["pattern"]
    with pytest.raises(ValidationError) as caught:
        pairings.set_certificate_numbering(community=w.li, pattern=PATTERN, actor=admin)
    assert list(caught.value.message_dict) == ["community"]


def test_only_an_organiser_of_the_community_sets_its_pattern(pairing_world):
    w = pairing_world
    outsider = make_user("taipei_organiser", role="organiser", place=w.taipei)
    with pytest.raises(PermissionDenied):
        pairings.set_certificate_numbering(community=w.community, pattern=PATTERN, actor=outsider)
    assert CertificateNumbering.objects.count() == 0


def test_the_numbering_page_sets_and_changes_the_pattern(client, pairing_world):
    w = pairing_world
    organiser = _organiser(w)
    client.force_login(organiser)
    url = reverse("documents:certificate_numbering", args=[w.community.pk])
    response = client.post(url, {"pattern": PATTERN, "digits": 3})
    assert response.status_code == 302
    assert CertificateNumbering.objects.get().pattern == PATTERN
    page = client.get(url).content.decode()
    assert "〔2026〕田阜字第001号" in page or "田阜字第001号" in page
    numbering = CertificateNumbering.objects.get()
    response = client.post(
        url, {"pattern": "{seq}", "digits": 2, "expected_version": numbering.version}
    )
    assert response.status_code == 302
    assert CertificateNumbering.objects.get().digits == 2
    bad = client.post(url, {"pattern": "no number", "digits": 3})
    assert bad.status_code == 200
    assert CertificateNumbering.objects.get().pattern == "{seq}"
    client.force_login(make_user("viewer"))
    assert client.get(url).status_code == 403


def test_the_pattern_is_exported_with_the_data(pairing_world):
    _numbered(pairing_world)
    document = interchange.export_document()
    assert [
        (n["community"], n["pattern"], n["digits"]) for n in document["certificate_numberings"]
    ] == [(pairing_world.community.pk, PATTERN, 3)]


# --- uniqueness as before --------------------------------------------------------------------


def test_numbers_in_the_pattern_stay_unique_per_community_and_year(pairing_world):
    w = pairing_world
    _numbered(w)
    taken = _appoint(w, _person("甲"), dt.date(2016, 5, 1)).certificate_number
    with pytest.raises(ValidationError) as caught:
        _appoint(w, _person("乙"), dt.date(2016, 5, 2), certificate_number=taken)
    assert list(caught.value.message_dict) == ["certificate_number"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            person=_person("丙"),
            community=w.community,
            appointed_on=dt.date(2016, 5, 3),
            certificate_year=2016,
            certificate_number=taken,
        )


def test_an_appointment_without_a_certificate_prints_none(client, pairing_world):
    w = pairing_world
    bare = _appoint(w, _person("甲"), dt.date(2016, 4, 22), certificate=False, exchange=w.exchange)
    assert list(certificates.appointments_for(exchange=w.exchange)) == [w.appointment]
    client.force_login(make_admin())
    assert client.get(reverse("documents:certificate", args=[bare.pk])).status_code == 404
    page = reverse("documents:certificates_page", args=["appointment", bare.pk])
    assert client.get(page).status_code == 404


# --- the title as of the appointment date ----------------------------------------------------


def test_the_title_is_the_registers_on_the_appointment_date(pairing_world):
    text = certificates.certificate_text(pairing_world.appointment, "zh-hant")
    assert text.appointee_title == "里長"


def test_a_2027_certificate_asks_for_the_title_never_drops_it(pairing_world):
    w = pairing_world
    later = _appoint(w, w.chief, dt.date(2027, 3, 1), create_pairing_with_place=False)
    answer = certificates.needs_title(later)
    assert answer.last.end_date == dt.date(2026, 12, 24)
    with pytest.raises(certificates.TitleNeeded):
        certificates.certificate_text(later)
    text = certificates.certificate_text(later, title="里長")
    assert text.appointee_title == "里長"
    assert text.appointee_place + text.appointee_title == "臺北市中正區板溪里里長"
    # someone else's term published for that day: no title of that place, nothing asked
    directory.add_position(
        person=_person("林新"), title="里長", place=w.li, start_date=dt.date(2026, 12, 25)
    )
    assert certificates.needs_title(later) is None
    assert certificates.certificate_text(later).appointee_title == ""


def test_the_page_asks_for_the_2027_title_and_the_pdf_waits_for_it(client, pairing_world):
    w = pairing_world
    later = _appoint(w, w.chief, dt.date(2027, 3, 1), create_pairing_with_place=False)
    client.force_login(make_admin())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("documents:certificates_page", args=["appointment", later.pk]))
    html = page.content.decode()
    assert f'name="title_{later.pk}"' in html
    assert "required" in html.split(f'name="title_{later.pk}"')[1].split(">")[0]
    assert "2026-12-24" in html
    pdf_url = reverse("documents:certificate", args=[later.pk])
    response = client.get(pdf_url, {"script": "zh-hant"})
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("documents:certificates_page", args=["appointment", later.pk])
    )
    assert "script=zh-hant" in response["Location"]
    # no question for a certificate the register can title
    page = client.get(
        reverse("documents:certificates_page", args=["appointment", w.appointment.pk])
    )
    assert 'name="title_' not in page.content.decode()


# --- the script ------------------------------------------------------------------------------


def test_the_page_shows_the_script_choice_and_says_the_default(client, pairing_world):
    w = pairing_world
    client.force_login(make_admin())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(
        reverse("documents:certificates_page", args=["exchange", w.exchange.pk])
    ).content.decode()
    assert 'name="script"' in html
    assert "Each recipient&#x27;s script (default)" in html
    assert "By default each certificate is printed in its recipient" in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    assert len(rows) == 1
    assert "Traditional (繁體)" in rows[0]
    assert f'action="{reverse("documents:certificates_exchange", args=[w.exchange.pk])}"' in html


def test_the_script_defaults_to_the_recipients_and_can_be_chosen(pairing_world):
    appointment = pairing_world.appointment
    assert certificates.certificate_text(appointment).script == hans_hant.HANT
    assert certificates.certificate_text(appointment).title == "聘書"
    assert certificates.certificate_text(appointment, "zh-hans").title == "聘书"


def test_a_formal_number_stands_alone_in_the_recipients_script(pairing_world):
    w = pairing_world
    _numbered(w)
    appointment = _appoint(w, w.chief, dt.date(2016, 4, 23), create_pairing_with_place=False)
    text = certificates.certificate_text(appointment)
    assert (text.number_label, text.number) == ("", "〔2016〕田阜字第001號")
    assert certificates.certificate_text(appointment, "zh-hans").number == "〔2016〕田阜字第001号"
    assert certificates.certificate_text(w.appointment).number_label == "證書編號"


# --- the PDF ---------------------------------------------------------------------------------


def _run(*argv):
    return subprocess.run(argv, capture_output=True, check=True).stdout  # noqa: S603


@pytest.mark.slow
def test_the_pdf_prints_the_title_given_the_formal_number_and_the_seal_area(
    client, pairing_world, tmp_path
):
    w = pairing_world
    _numbered(w)
    later = _appoint(w, w.chief, dt.date(2027, 3, 1), create_pairing_with_place=False)
    client.force_login(make_admin())
    response = client.get(
        reverse("documents:certificate", args=[later.pk]), {f"title_{later.pk}": "里長"}
    )
    assert response.status_code == 200
    path = tmp_path / "c.pdf"
    path.write_bytes(response.content)
    text = _run(shutil.which("pdftotext"), str(path), "-").decode()
    assert "板溪里里長" in text
    assert "〔2027〕田阜字第001號" in text
    assert "（蓋章）" in text
    assert "證書編號" not in text
    assert "二〇二七年三月一日" in text
    prefix = tmp_path / "page"
    _run(shutil.which("pdftoppm"), "-png", "-r", "80", "-singlefile", str(path), str(prefix))
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(f"{prefix}.png", SCREENSHOT)


def test_an_unknown_scope_or_script_is_not_a_forum_nor_an_error(client, pairing_world):
    w = pairing_world
    client.force_login(make_admin())
    assert client.get(reverse("documents:certificates_page", args=["x", 1])).status_code == 404
    page = reverse("documents:certificates_page", args=["exchange", w.exchange.pk])
    assert client.get(page, {"script": "zh-tw"}).status_code == 200
    chosen = client.get(page, {"script": "zh-hant"}).content.decode()
    assert 'value="hant" maxlength="20" id="id_script_2" checked>' in chosen
    default = client.get(page).content.decode()
    assert 'value="" maxlength="20" id="id_script_0" checked>' in default


def test_the_exchange_page_links_only_certificates_that_exist(client, pairing_world):
    w = pairing_world
    bare = _appoint(w, _person("甲"), dt.date(2016, 4, 22), certificate=False, exchange=w.exchange)
    client.force_login(make_admin())
    html = client.get(w.exchange.get_absolute_url()).content.decode()
    assert reverse("documents:certificate", args=[w.appointment.pk]) in html
    assert reverse("documents:certificate", args=[bare.pk]) not in html
    assert reverse("documents:certificates_page", args=["exchange", w.exchange.pk]) in html
