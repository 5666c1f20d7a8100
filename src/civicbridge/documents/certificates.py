"""Certificates of appointment (聘书): one per appointment, or a batch for a forum/exchange."""

from __future__ import annotations

import datetime as dt
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
    seal_label: str
    font: str


class TitleNeeded(ValueError):
    """The register cannot say the appointee's title on the appointment date (a term not
    yet published): the organiser gives it, it is never silently left out."""

    def __init__(self, appointment: Appointment, last: Position | None):
        self.appointment = appointment
        self.last = last
        super().__init__(
            f"The register has no term of {appointment.person_place} on "
            f"{appointment.appointed_on}: give the title of {appointment.person} on the "
            "certificate."
        )


@dataclass
class RegisterTitle:
    """The appointee's title as the register gives it on the appointment date. ``known`` is
    False when the register cannot say (no term of the place published for that day while
    the appointee held a title there before): ``last`` is that earlier position."""

    title: str
    known: bool
    last: Position | None = None


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
    # An appointment reported without a certificate (聘书) prints none.
    qs = qs.exclude(certificate_number="")
    return qs.order_by("appointed_on", "certificate_number", "id")


def default_script(appointment: Appointment) -> str:
    return places.script_of_person(appointment.person, appointment.person_place)


def register_title(appointment: Appointment) -> RegisterTitle:
    """The appointee's title on the appointment date, read from the register."""
    place, day = appointment.person_place, appointment.appointed_on
    if place is None:
        return RegisterTitle("", known=True)
    positions = list(Position.objects.filter(place=place).order_by("-start_date"))
    on_day = [p for p in positions if _holds_on(p, day)]
    own = [p for p in on_day if p.person_id == appointment.person_id]
    if own:
        return RegisterTitle(own[0].title, known=True)
    if on_day:  # the register names someone else for that day: no title of that place
        return RegisterTitle("", known=True)
    earlier = [
        p
        for p in positions
        if p.person_id == appointment.person_id and p.end_date and p.end_date < day
    ]
    if earlier:  # a term not yet published: the register cannot say
        return RegisterTitle("", known=False, last=earlier[0])
    return RegisterTitle("", known=True)


def _holds_on(position: Position, day: dt.date) -> bool:
    return (position.start_date is None or position.start_date <= day) and (
        position.end_date is None or position.end_date >= day
    )


def needs_title(appointment: Appointment) -> RegisterTitle | None:
    """The register's answer when the organiser must give the title, else None."""
    answer = register_title(appointment)
    return None if answer.known else answer


def certificate_text(
    appointment: Appointment, which: str | None = None, *, title: str | None = None
) -> CertificateText:
    """``title``: the appointee's title given by the organiser (required when the register
    cannot say it for the appointment date, see ``TitleNeeded``)."""
    which = normalise_script(which) if which else default_script(appointment)
    if title is None or not title.strip():
        answer = register_title(appointment)
        if not answer.known:
            raise TitleNeeded(appointment, answer.last)
        title = answer.title
    person = appointment.person
    community = appointment.community
    street = places.street_of(community)
    honorific = {Gender.MALE: "先生", Gender.FEMALE: "女士"}.get(person.gender, "")
    appointee_place = (
        places.label(appointment.person_place, which) if appointment.person_place else ""
    )
    appointee_title = hans_hant.convert_name(title.strip(), which)
    community_name = community.display_name_in(which)
    street_name = street.display_name_in(which) if street else ""
    district = places.district_of(community)
    number = conv(appointment.certificate_number, which)
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
        # A formal number (〔2016〕田阜字第001号) stands alone; an internal code is labelled.
        number_label="" if number.endswith(("号", "號")) else conv("证书编号", which),
        number=number,
        seal_label=conv("（盖章）", which),
        font=fonts.font_stack("serif", which),
    )


def render_html(texts: list[CertificateText]) -> str:
    return render_to_string("documents/certificate.html", {"certificates": texts})


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (heavy)

    return HTML(string=html).write_pdf()


def certificate_pdf(
    appointment: Appointment, which: str | None = None, *, title: str | None = None
) -> bytes:
    """The certificate of one appointment as PDF bytes."""
    return _pdf(render_html([certificate_text(appointment, which, title=title)]))


def batch_pdf(appointments, which: str | None = None, *, titles: dict | None = None) -> bytes:
    """One PDF with a page per appointment (each in its recipient's script unless given);
    ``titles``: appointment id → the title the organiser gave."""
    titles = titles or {}
    texts = [certificate_text(a, which, title=titles.get(a.pk)) for a in appointments]
    if not texts:
        raise ValueError("There are no appointments to print.")
    return _pdf(render_html(texts))
