"""``civicbridge import FILE``: load an export document into an empty database."""

import io
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
                stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
            else:
                stream = Path(file).open(encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        try:
            # Read record by record: a national directory loads in bounded memory.
            counts = interchange.import_stream(stream)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        except interchange.NotJSON as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from exc
        except interchange.InterchangeError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        except RecursionError as exc:
            raise CommandError(
                f"Nothing was imported. {file} is not a CivicBridge export: its JSON is "
                "nested too deeply."
            ) from exc
        finally:
            if file == "-":
                stream.detach()
            else:
                stream.close()
        summary = ", ".join(f"{n} {key}" for key, n in counts.items() if n)
        self.stdout.write(f"Imported {file}: {summary or 'nothing'}.")
