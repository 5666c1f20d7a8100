"""``civicbridge import FILE``: load an export document into an empty database."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicbridge.api import interchange


class Command(BaseCommand):
    help = (
        "Load a CivicBridge export (docs/export-format.md) into an empty, migrated database, "
        "keeping every id. FILE may be - for standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                text = sys.stdin.buffer.read().decode("utf-8")
            else:
                text = Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from exc
        try:
            counts = interchange.import_document(document)
        except interchange.InterchangeError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        summary = ", ".join(f"{n} {key}" for key, n in counts.items() if n)
        self.stdout.write(f"Imported {file}: {summary or 'nothing'}.")
