"""Certificates of appointment (聘书): one per appointment, or a batch for a forum/exchange."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from civicbridge.core import hans_hant
from civicbridge.directory.models import Gender, Position
from civicbridge.documents import fonts, places
from civicbridge.documents.text import chinese_date, conv, language_of, normalise_script
from civicbridge.pairings.models import Appointment


@dataclass
class CertificateText:
    """Everything printed on one certificate, already in the certificate's script."""

    script: str
    lang: str
    title: str
    opening: str
    name: str
    honorific: str
    appointee_place: str
    appointee_title: str
    role_line: str
    closing: str
    issuer_street: str
    issuer_community: str
    issuer_full: str
    date: str
    number_label: str
    number: str
    font: str


def appointments_for(*, exchange=None, forum=None, appointment_ids=None):
    qs = Appointment.objects.alive().select_related(
        "person",
        "person__home_place",
        "community",
        "community__parent",
        "community__parent__parent",
        "person_place",
        "person_place__parent",
        "person_place__parent__parent",
    )
    if exchange is not None:
        qs = qs.filter(exchange=exchange)
    if forum is not None:
        qs = qs.filter(activity=forum.activity)
    if appointment_ids is not None:
        qs = qs.filter(pk__in=appointment_ids)
    return qs.order_by("appointed_on", "certificate_number", "id")


def default_script(appointment: Appointment) -> str:
    return places.script_of_person(appointment.person, appointment.person_place)


def _appointee_title(appointment: Appointment) -> str:
    if appointment.person_place is None:
        return ""
    position = (
        Position.objects.on(appointment.appointed_on)
        .filter(person=appointment.person, place=appointment.person_place)
        .order_by("-start_date")
        .first()
    )
    return position.title if position else ""


def certificate_text(appointment: Appointment, which: str | None = None) -> CertificateText:
    which = normalise_script(which) if which else default_script(appointment)
    person = appointment.person
    community = appointment.community
    street = places.street_of(community)
    honorific = {Gender.MALE: "先生", Gender.FEMALE: "女士"}.get(person.gender, "")
    appointee_place = (
        places.label(appointment.person_place, which) if appointment.person_place else ""
    )
    appointee_title = hans_hant.convert_name(_appointee_title(appointment), which)
    community_name = community.display_name_in(which)
    street_name = street.display_name_in(which) if street else ""
    district = places.district_of(community)
    return CertificateText(
        script=which,
        lang=language_of(which),
        title=conv("聘书", which),
        opening=conv("兹聘请", which),
        name=person.name_in(which),
        honorific=conv(honorific, which),
        appointee_place=appointee_place,
        appointee_title=appointee_title,
        role_line=conv("为", which)
        + street_name
        + community_name
        + hans_hant.convert_name(appointment.title or "荣誉主任", which)
        + conv("。", which),
        closing=conv("特发此聘书。", which),
        issuer_street=(district.display_name_in(which) if district else "") + street_name,
        issuer_community=community_name,
        issuer_full=places.label(community, which),
        date=chinese_date(appointment.appointed_on),
        number_label=conv("证书编号", which),
        number=appointment.certificate_number,
        font=fonts.font_stack("serif", which),
    )


def render_html(texts: list[CertificateText]) -> str:
    return render_to_string("documents/certificate.html", {"certificates": texts})


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (heavy)

    return HTML(string=html).write_pdf()


def certificate_pdf(appointment: Appointment, which: str | None = None) -> bytes:
    """The certificate of one appointment as PDF bytes."""
    return _pdf(render_html([certificate_text(appointment, which)]))


def batch_pdf(appointments, which: str | None = None) -> bytes:
    """One PDF with a page per appointment (each in its recipient's script unless given)."""
    texts = [certificate_text(a, which) for a in appointments]
    if not texts:
        raise ValueError("There are no appointments to print.")
    return _pdf(render_html(texts))
