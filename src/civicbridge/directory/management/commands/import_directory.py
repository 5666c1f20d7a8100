from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civicbridge.directory.importers import import_directory


class Command(BaseCommand):
    help = (
        "Load the reference directory (Beijing's districts, streets/towns and communities/villages; "
        "Taipei's districts and li; Taipei's elected li chiefs per term). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=str(settings.CIVICBRIDGE_DATA_DIR),
            help="Folder with beijing_divisions.csv, taipei_li.csv, taipei_li_chiefs.csv "
            "(default: CIVICBRIDGE_DATA_DIR, else ../shared/data beside the project).",
        )

    def handle(self, *args, data_dir, **options):
        path = Path(data_dir)
        for name in ("beijing_divisions.csv", "taipei_li.csv", "taipei_li_chiefs.csv"):
            if not (path / name).is_file():
                raise CommandError(
                    f"{path / name} is missing. Set --data-dir or CIVICBRIDGE_DATA_DIR."
                )
        report = import_directory(path)
        if not report.total:
            self.stdout.write("The directory is up to date: nothing changed.")
        for what, n in report.created.items():
            self.stdout.write(f"created {n} {what}")
