from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from civicbridge.demo.visit2016 import DemoError, demo_exchange, load_demo
from civicbridge.directory.models import Place


class Command(BaseCommand):
    help = "Record the 22 April 2016 visit of the Taipei li chiefs (the demo), importing the directory first if needed."

    def handle(self, *args, **options):
        if demo_exchange() is not None:
            self.stdout.write("The demo visit is already loaded.")
            return
        if not Place.objects.filter(code="110000").exists():
            call_command("import_directory", stdout=self.stdout)
        try:
            exchange = load_demo()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Loaded the demo: {exchange.title} — {exchange.groups.count()} groups, "
            f"{exchange.activities.count()} activities, {exchange.appointments.count()} appointments."
        )
