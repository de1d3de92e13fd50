"""The `weibao` console command: Django's manage.py with Weibao's own subcommands
(`serve`, `demo`, `createtoken`, `calendar_import`, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
