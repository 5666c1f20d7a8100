"""``civicbridge export [--output FILE] [--without-personal-data]``: the whole database as
one JSON document.

An administrator's tool on the server: by default the document carries people's personal
data (phone, e-mail, permit number, date of birth), so that export → import round-trips
exactly. Such an export is recorded in the audit trail (accounts.services.record_export).
``--without-personal-data`` leaves those fields out (and records nothing)."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand

from civicbridge.accounts.services import record_export
from civicbridge.api import interchange

WHAT = "command.export"


class _Writer:
    """A text stream over the command's output wrapper."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = (
        "Write the whole database as one versioned JSON document "
        "(format civicbridge-export, see docs/export-format.md). Standard output by default. "
        "Personal data is included unless --without-personal-data is given; an export "
        "including it is recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE")
        parser.add_argument(
            "--no-timestamp",
            action="store_true",
            help='leave "exported_at" null, so the same database gives the same bytes',
        )
        parser.add_argument(
            "--without-personal-data",
            action="store_true",
            help="leave out people's phone, e-mail, permit number and date of birth",
        )

    def handle(
        self, *args, output=None, no_timestamp=False, without_personal_data=False, **options
    ):
        include_personal = not without_personal_data
        options = {"include_personal": include_personal, "timestamp": not no_timestamp}
        to_file = bool(output and output != "-")
        if to_file:
            # Written record by record (bounded memory), then moved into place.
            path = Path(output)
            tmp = path.with_name(path.name + ".part")
            with tmp.open("w", encoding="utf-8", newline="\n") as stream:
                counts = interchange.write_document(stream, **options)
            tmp.replace(path)
        else:
            out = getattr(self.stdout, "_out", None)
            buffer = getattr(out, "buffer", None)
            if buffer is not None:
                # Whatever the terminal's locale, the document is UTF-8.
                out.flush()
                stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
                try:
                    counts = interchange.write_document(stream, **options)
                    stream.flush()
                finally:
                    stream.detach()
            else:
                counts = interchange.write_document(_Writer(self.stdout), **options)
        if include_personal:
            record_export(
                what=WHAT,
                includes_personal=True,
                note=f"to {path}" if to_file else "to standard output",
            )
        if to_file:
            summary = ", ".join(f"{counts[key]} {key}" for key in ("places", "people", "exchanges"))
            personal = "" if include_personal else "; without personal data"
            self.stderr.write(f"Exported to {path} ({summary}{personal}).")
