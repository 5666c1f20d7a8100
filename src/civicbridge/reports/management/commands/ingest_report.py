"""``civicbridge ingest-report FILE [--facts] [--record] [--published YYYY-MM-DD] [--as USER]``:
read a news report (.txt, .html, .docx) into facts (FACTS.md) and, with ``--record``, record
them as a draft exchange (reports.services.record_facts)."""

import datetime as dt
import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicbridge.reports.reading.extract import read_report
from civicbridge.reports.reading.source import UnreadableReport, load_report
from civicbridge.reports.services import FactsError, record_facts


class Command(BaseCommand):
    help = (
        "Read a news report (.txt, .html or .docx) into typed facts, resolved against the "
        "directory and the li-chief register. --facts prints the facts document (the default); "
        "--record records a draft exchange from them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the report: a .txt, .html or .docx file")
        parser.add_argument("--facts", action="store_true", help="print the facts document")
        parser.add_argument("--record", action="store_true", help="record a draft exchange")
        parser.add_argument(
            "--published",
            help="the publication date (YYYY-MM-DD) when the file does not say: dates "
            "without a year take it from here",
        )
        parser.add_argument("--as", dest="username", help="record as this user")

    def handle(
        self, *args, file, facts=False, record=False, published=None, username=None, **options
    ):
        when = None
        if published:
            try:
                when = dt.date.fromisoformat(published)
            except ValueError as exc:
                raise CommandError(
                    f"--published: {published!r} is not a date (YYYY-MM-DD)."
                ) from exc
        try:
            report = load_report(file)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from exc
        except UnreadableReport as exc:
            raise CommandError(f"{file}: {exc}") from exc
        document = read_report(report.text, published=when or report.published, url=report.url)
        if facts or not record:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
        if not record:
            return
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {username!r}.")
        source = {
            "url": report.url,
            "text_sha256": hashlib.sha256(report.text.encode("utf-8")).hexdigest(),
        }
        try:
            result = record_facts(document=document, actor=actor, source=source)
        except FactsError as exc:
            raise CommandError(
                f"{file}: not recorded, {len(exc.problems)} problem(s):\n"
                + "\n".join(f"- {p}" for p in exc.problems)
            ) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{file}: not recorded: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(f"{file}: not recorded: {'; '.join(exc.messages)}") from exc
        self.stderr.write(f"Recorded exchange {result.exchange.pk}: {result.exchange.title}")
