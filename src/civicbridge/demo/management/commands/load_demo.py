from django.core.management.base import BaseCommand, CommandError

from civicbridge.demo.visit2016 import DemoError, demo_exchange, ensure_directory, load_demo


class Command(BaseCommand):
    help = (
        "Record the 22 April 2016 visit of the Taipei li chiefs (the demo), loading the "
        "directory first if needed: from CIVICBRIDGE_DATA_DIR when the national files are "
        "there, else the demo's own few dozen places and people."
    )

    def handle(self, *args, **options):
        if demo_exchange() is not None:
            self.stdout.write("The demo visit is already loaded.")
            return
        try:
            ensure_directory(stdout=self.stdout)
            exchange = load_demo()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Loaded the demo: {exchange.title} — {exchange.groups.count()} groups, "
            f"{exchange.activities.count()} activities, {exchange.appointments.count()} appointments."
        )
