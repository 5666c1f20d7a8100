import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Set up and serve the demo: migrate, import the directory, load the 2016 visit, "
        "create a local administrator and print its credentials, serve on 127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up only; do not start the server."
        )
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, no_serve, bind, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # The directory the demo needs (Beijing and Taipei from the national files, or the
        # demo's own rows on a bare clone), then the visit.
        call_command("load_demo", stdout=self.stdout)
        password = secrets.token_urlsafe(12)
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@localhost"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nSign in at http://{bind}/ as  admin  with password  {password}\n"
                "(a new password is set each time `civicbridge demo` runs)\n"
            )
        )
        if not no_serve:
            call_command("serve", bind=bind)
