"""civicbridge document KIND …: the paperwork of an exchange from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicbridge.directory.models import Person
from civicbridge.documents import brief, calendars, certificates, programme, spreadsheets
from civicbridge.documents.fonts import CJKFontMissing
from civicbridge.exchanges.models import Exchange, Group
from civicbridge.exchanges.personal_data import PROGRAMME, ROSTER, PersonalView
from civicbridge.forums.models import Forum
from civicbridge.pairings.models import Appointment

KINDS = ("certificate", "programme", "brief", "ics", "roster")


def _operator(o, surface: str):
    """What the command prints of personal data: everything with --show-contacts, else none."""
    if o["show_contacts"]:
        return PersonalView.everything(surface)
    return None


class Command(BaseCommand):
    help = (
        "Produce a document from the record. KIND is one of: "
        "certificate (聘书 PDF: --appointment ID, or a batch with --exchange/--forum); "
        "programme (日程表: --exchange ID [--group ID], --format pdf|html); "
        "brief (新闻稿 draft text: --exchange ID); "
        "ics (calendar: --exchange ID [--group ID] or --person ID); "
        "roster (Excel: export --exchange ID [--table roster|itinerary|appointments|gifts] "
        "--format xlsx|csv, or --template, or --import FILE --exchange ID). "
        "Examples: civicbridge document certificate --appointment 7 --script zh-hant "
        "--output cert.pdf; civicbridge document ics --exchange 1 --group 3 --output yanqing.ics"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS, help="Which document to produce.")
        parser.add_argument("--exchange", type=int, help="Exchange id.")
        parser.add_argument("--group", type=int, help="Group id (programme, ics).")
        parser.add_argument("--person", type=int, help="Person id (ics: a person's calendar).")
        parser.add_argument(
            "--appointment", type=int, help="Appointment id (certificate: one certificate)."
        )
        parser.add_argument(
            "--forum", type=int, help="Forum id (certificate: every appointment of the forum)."
        )
        parser.add_argument(
            "--script",
            choices=("zh-hans", "zh-hant", "hans", "hant"),
            help="Simplified or Traditional. Default: the recipient's (certificate), the "
            "visiting side's (programme, ics), Simplified (brief, roster).",
        )
        parser.add_argument(
            "--format",
            choices=("pdf", "html", "xlsx", "csv", "txt"),
            help="programme: pdf (default) or html; roster: xlsx (default) or csv; brief: txt.",
        )
        parser.add_argument(
            "--table",
            choices=("roster", "itinerary", "appointments", "gifts"),
            default="roster",
            help="roster: which table to export (default: roster).",
        )
        parser.add_argument(
            "--template", action="store_true", help="roster: write the empty import template."
        )
        parser.add_argument(
            "--import",
            dest="import_file",
            metavar="FILE",
            help="roster: import this .xlsx into --exchange (all rows or none).",
        )
        parser.add_argument(
            "--show-contacts",
            action="store_true",
            help="programme: include hosts' and organisers' phones and e-mail; roster: include "
            "phone, e-mail, permit number and date of birth. The one at the server's command "
            "line holds the database, so sees every field (as an administrator does).",
        )
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (default: standard output).",
        )

    def handle(self, *args, **o):
        try:
            data = getattr(self, f"_{o['kind']}")(o)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if data is None:
            return
        if isinstance(data, str):
            data = data.encode("utf-8")
        if o["output"]:
            Path(o["output"]).write_bytes(data)
            self.stderr.write(f"Wrote {o['output']} ({len(data):,} bytes)")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()

    # --- lookups ---------------------------------------------------------------------
    def _get(self, model, pk, what):
        if pk is None:
            raise CommandError(f"Give --{what} ID.")
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            raise CommandError(f"There is no {what} with id {pk}.")
        return obj

    def _exchange(self, o):
        return self._get(Exchange, o["exchange"], "exchange")

    def _group_of(self, o, exchange=None):
        if o["group"] is None:
            return None
        group = self._get(Group, o["group"], "group")
        if exchange is not None and group.exchange_id != exchange.pk:
            raise CommandError(f"Group {group.pk} belongs to another exchange.")
        return group

    # --- kinds -----------------------------------------------------------------------
    def _certificate(self, o):
        try:
            if o["appointment"] is not None:
                appointment = self._get(Appointment, o["appointment"], "appointment")
                return certificates.certificate_pdf(appointment, o["script"])
            if o["forum"] is not None:
                forum = self._get(Forum, o["forum"], "forum")
                appointments = certificates.appointments_for(forum=forum)
            elif o["exchange"] is not None:
                appointments = certificates.appointments_for(exchange=self._exchange(o))
            else:
                raise CommandError("Give --appointment ID, or --forum ID or --exchange ID.")
            if not appointments.exists():
                raise CommandError("There are no appointments to print.")
            return certificates.batch_pdf(appointments, o["script"])
        except CJKFontMissing as exc:
            raise CommandError(str(exc)) from exc
        except certificates.TitleNeeded as exc:
            raise CommandError(
                f"The li-chief register does not say the title of appointment "
                f"{exc.appointment.pk} on {exc.appointment.appointed_on}: print it from the "
                "certificates page, where the organiser gives the title."
            ) from exc

    def _programme(self, o):
        exchange = self._exchange(o)
        group = self._group_of(o, exchange)
        fmt = o["format"] or "pdf"
        if fmt not in ("pdf", "html"):
            raise CommandError("A programme is pdf or html.")
        try:
            personal = _operator(o, PROGRAMME)
            if fmt == "html":
                return programme.programme_html(
                    exchange, o["script"], group=group, personal=personal
                )
            return programme.programme_pdf(exchange, o["script"], group=group, personal=personal)
        except CJKFontMissing as exc:
            raise CommandError(str(exc)) from exc

    def _brief(self, o):
        return brief.build_brief(self._exchange(o), o["script"])

    def _ics(self, o):
        if o["person"] is not None:
            person = self._get(Person, o["person"], "person")
            exchange = self._exchange(o) if o["exchange"] is not None else None
            return calendars.person_calendar(person, o["script"], exchange=exchange)
        exchange = self._exchange(o)
        group = self._group_of(o, exchange)
        if group is not None:
            return calendars.group_calendar(group, o["script"])
        return calendars.exchange_calendar(exchange, o["script"])

    def _roster(self, o):
        if o["template"]:
            return spreadsheets.roster_template()
        if o["import_file"]:
            exchange = self._exchange(o)
            try:
                result = spreadsheets.import_roster(
                    exchange=exchange, data=Path(o["import_file"]).read_bytes()
                )
            except spreadsheets.RosterImportError as exc:
                raise CommandError("Nothing was imported.\n" + str(exc)) from exc
            self.stdout.write(
                f"Imported {len(result.members)} members "
                f"({result.matched_people} found in the directory, "
                f"{result.created_people} new); {result.updated_members} updated, "
                f"{result.unchanged_members} unchanged."
            )
            return None
        fmt = o["format"] or "xlsx"
        if fmt not in ("xlsx", "csv"):
            raise CommandError("A roster export is xlsx or csv.")
        return spreadsheets.export(
            self._exchange(o), o["table"], fmt, o["script"], personal=_operator(o, ROSTER)
        )
