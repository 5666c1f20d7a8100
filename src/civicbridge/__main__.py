"""The ``civicbridge`` command: every Django management command, plus our own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "civicbridge"
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
