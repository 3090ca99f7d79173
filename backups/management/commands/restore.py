from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backups.archive import ArchiveError
from backups.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an EMPTY installation (database and storage): checks "
        "the whole archive first, migrates the database to the archive's state, then writes "
        "every row and file in one go — all or nothing. Progress on standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `manage.py backup`")

    def handle(self, *args, **options):
        out = self.stderr.write if options["verbosity"] else None
        try:
            restored = restore_backup(options["file"], out=out)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(
                f"The rows do not fit this database ({error}). Nothing was restored."
            ) from None
        if not options["verbosity"]:
            return
        self.stdout.write(
            f"Restored {restored['rows']:,} rows in {restored['tables']} tables and "
            f"{restored['files']:,} files ({restored['bytes'] / 1024 / 1024:,.1f} MiB)."
        )
        if missing := restored["missing_files"]:
            self.stdout.write(
                f"Note: missing from the storage when the backup was made ({len(missing)}): "
                + ", ".join(missing[:5])
            )
        if restored["newer_migrations"]:
            self.stdout.write(
                f"This code has {restored['newer_migrations']} migrations newer than the "
                "archive: run `python manage.py migrate` now."
            )
