"""`sylva` is the project's manage.py: `sylva <command>` runs any Django management command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sylva.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:  # a bad or missing SYLVA_* variable: its message, not a traceback
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as exc:
        sys.exit(f"sylva: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
