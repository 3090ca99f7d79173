"""Helpers shared by the benchmark commands (bench_documents, bench_backup)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def check_throwaway(flag, command):
    """A benchmark stage writes only into the throwaway folder its parent made for it (named
    in the environment variable `flag`): a SQLite database and MEDIA_ROOT inside it."""
    folder = os.environ.get(flag)
    database = Path(str(settings.DATABASES["default"]["NAME"]))
    if (
        not folder
        or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
        or not database.is_relative_to(folder)
        or not Path(settings.MEDIA_ROOT).is_relative_to(folder)
    ):
        raise CommandError(f"--stage runs only inside the throwaway folder of {command}.")
