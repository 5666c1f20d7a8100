"""civicbridge createuser USERNAME --email E --role ROLE [--place CODE|--organisation ID]
[--password-from-stdin]"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicbridge.accounts import audit, services
from civicbridge.accounts.models import Role
from civicbridge.directory.models import Organisation, Place


class Command(BaseCommand):
    help = "Create a user with a role (an administrator, or an organiser of a place, …)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=Role.values, required=True)
        parser.add_argument("--place", help="official code (or id) of the role's place")
        parser.add_argument("--organisation", type=int, help="id of the role's organisation")
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="read the password from standard input (else: no password; use reset)",
        )

    def handle(self, *args, username, email, role, place, organisation, **options):
        place_obj = org_obj = None
        if place:
            place_obj = Place.objects.filter(code=place).first()
            if place_obj is None and place.isdigit():
                place_obj = Place.objects.filter(pk=int(place)).first()
            if place_obj is None:
                raise CommandError(f"No place with the code {place}.")
        if organisation is not None:
            org_obj = Organisation.objects.filter(pk=organisation).first()
            if org_obj is None:
                raise CommandError(f"No organisation with the id {organisation}.")
        password = None
        if options["password_from_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("No password on standard input.")
        try:
            with audit.acting_as(None):
                user = services.create_user(
                    username=username,
                    email=email,
                    password=password,
                    role=role,
                    place=place_obj,
                    organisation=org_obj,
                )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(f"Created {user.username} ({role}).")
