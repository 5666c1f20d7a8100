"""``civicbridge record-facts FILE [--as USERNAME] [--into ID]``: record a facts document as
a draft exchange (reports.services.record_facts), or add it to exchange ID
(reports.services.add_facts)."""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicbridge.exchanges.models import Exchange
from civicbridge.reports.services import FactsError, add_facts, record_facts

MAX_BYTES = 5_000_000


class Command(BaseCommand):
    help = (
        "Record a report's facts (a civicbridge-report-facts JSON document, '-' for standard "
        "input) as a draft exchange with its records, source and provenance. Prints the "
        "exchange, the records per type and the names it could not resolve."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the facts document (JSON); '-' reads standard input")
        parser.add_argument(
            "--as",
            dest="username",
            help="record as this user, with their permissions (default: the system)",
        )
        parser.add_argument(
            "--into",
            type=int,
            metavar="ID",
            help="add the facts to exchange ID (a report of an exchange already recorded): "
            "what it holds is not recorded again, its dates and delegation are kept",
        )

    def _read(self, name: str):
        try:
            if name == "-":
                text = self.stdin.read(MAX_BYTES + 1)
            else:
                path = Path(name)
                if path.stat().st_size > MAX_BYTES:
                    raise CommandError(f"{name}: larger than {MAX_BYTES:,} bytes.")
                text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{name}: {exc}") from exc
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise CommandError(f"{name}: not JSON ({exc}).") from exc

    def handle(self, *args, file, username=None, into=None, **options):
        self.stdin = options.get("stdin") or sys.stdin
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {username!r}.")
        exchange = None
        if into is not None:
            exchange = Exchange.objects.filter(pk=into, deleted_at__isnull=True).first()
            if exchange is None:
                raise CommandError(f"No exchange {into}.")
        document = self._read(file)
        try:
            if exchange is not None:
                result = add_facts(exchange=exchange, document=document, actor=actor)
            else:
                result = record_facts(document=document, actor=actor)
        except FactsError as exc:
            raise CommandError(
                f"{file}: not recorded, {len(exc.problems)} problem(s):\n"
                + "\n".join(f"- {p}" for p in exc.problems)
            ) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{file}: not recorded: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(f"{file}: not recorded: {'; '.join(exc.messages)}") from exc
        if exchange is not None:
            self._added(result)
        else:
            exchange = result.exchange
            self.stdout.write(
                f"Recorded exchange {exchange.pk}: {exchange.title} ({exchange.status})"
            )
            for label, count in result.counts.items():
                self.stdout.write(f"  {label}: {count}")
        self._names(result)

    def _added(self, result):
        exchange = result.exchange
        added = sum(result.counts.values())
        self.stdout.write(
            f"Added to exchange {exchange.pk}: {exchange.title} ({added} record(s) added)"
        )
        for label, count in result.counts.items():
            self.stdout.write(f"  {label}: {count}")
        if result.matched:
            self.stdout.write("Already held (not recorded again):")
            for label, count in result.matched.items():
                self.stdout.write(f"  {label}: {count}")
        if result.filled:
            self.stdout.write(f"Filled: {', '.join(result.filled)}")
        for note in result.notes:
            self.stdout.write(f"Kept: {note}")

    def _names(self, result):
        if result.created:
            self.stdout.write(f"Created ({len(result.created)}), not found in the directory:")
            for record in result.created:
                self.stdout.write(f"  {record._meta.label_lower} {record.pk}: {record}")
        if result.unresolved:
            self.stdout.write(f"Unresolved ({len(result.unresolved)}), kept as written:")
            for row in result.unresolved:
                self.stdout.write(
                    f"  facts[{row['fact']}] {row['type']} {row['field']}: {row['wording']}"
                    + (f" ({row['why']})" if row["why"] else "")
                )
        else:
            self.stdout.write("Every name was resolved.")
