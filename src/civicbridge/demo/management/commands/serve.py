import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve CivicBridge with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CIVICBRIDGE_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("CIVICBRIDGE_WORKERS", "2"))
        )

    def handle(self, *args, bind, workers, **options):
        settings.HOME.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"CivicBridge on http://{bind}/ (data in {settings.HOME})")
        sys.stdout.flush()
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "civicbridge.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            # Calendar subscription tokens (secrets in the URL) are blanked in the log.
            "--logger-class",
            "civicbridge.demo.access_log.RedactingLogger",
        ]
        os.execv(sys.executable, args)  # noqa: S606 — replaces this process with gunicorn
