from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civicbridge.directory.importers import Progress, import_directory, missing_files


class Command(BaseCommand):
    help = (
        "Load the national reference directory: every mainland unit from province down to "
        "community/village (NBS 2023), every Taiwan county/city, township/district and "
        "village/li (MOI codes), and the elected village/li chiefs of the 2014, 2018 and 2022 "
        "terms. Idempotent: a second run changes nothing; --only loads subtrees."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=str(settings.CIVICBRIDGE_DATA_DIR),
            help="Folder with china_divisions.csv.xz, taiwan_villages.csv and "
            "taiwan_li_chiefs.csv (default: CIVICBRIDGE_DATA_DIR, else ../shared/data "
            "beside the project).",
        )
        parser.add_argument(
            "--only",
            default="",
            help="Comma-separated division codes whose subtrees to load (with the places "
            "above them): a province 11, a city 4403, a county 110108; a Taiwan county or "
            "city 63000, a township 64000010 …",
        )

    def handle(self, *args, data_dir, only, verbosity, **options):
        path = Path(data_dir)
        codes = [c.strip() for c in only.split(",") if c.strip()]
        missing = missing_files(path, codes)
        if missing:
            raise CommandError(f"{missing[0]} is missing. Set --data-dir or CIVICBRIDGE_DATA_DIR.")
        progress = Progress(self.stderr._out, enabled=verbosity > 0)
        try:
            report = import_directory(path, only=codes, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not report.total:
            self.stdout.write("The directory is up to date: nothing changed.")
        for what, n in report.created.items():
            self.stdout.write(f"created {n:,} {what}")
