"""``civicbridge export [--output FILE]``: the whole database as one JSON document."""

from pathlib import Path

from django.core.management.base import BaseCommand

from civicbridge.api import interchange


class Command(BaseCommand):
    help = (
        "Write the whole database as one versioned JSON document "
        "(format civicbridge-export, see docs/export-format.md). Standard output by default."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE")
        parser.add_argument(
            "--no-timestamp",
            action="store_true",
            help='leave "exported_at" null, so the same database gives the same bytes',
        )

    def handle(self, *args, output=None, no_timestamp=False, **options):
        document = interchange.export_document(timestamp=not no_timestamp)
        text = interchange.dump(document)
        if output and output != "-":
            path = Path(output)
            tmp = path.with_name(path.name + ".part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            counts = ", ".join(
                f"{len(document[key])} {key}" for key in ("places", "people", "exchanges")
            )
            self.stderr.write(f"Exported to {path} ({counts}).")
            return
        out = getattr(self.stdout, "_out", None)
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            # Whatever the terminal's locale, the document is UTF-8.
            out.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            self.stdout.write(text, ending="")
