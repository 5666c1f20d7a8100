"""The ``civicbridge`` command: every Django management command, plus our own
(``demo``, ``serve``, ``load-demo``, ``import-directory``, ``export``, ``import``,
``document``). Hyphens and underscores are interchangeable in command names."""

import os
import sys

ALIASES = {"import": "import_data"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 (bootstrap)

    argv = list(sys.argv)
    argv[0] = "civicbridge"
    if len(argv) == 1:
        argv.append("help")
    elif not argv[1].startswith("-"):
        argv[1] = ALIASES.get(argv[1], argv[1].replace("-", "_"))
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
