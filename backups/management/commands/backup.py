from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import ArchiveError, write_backup


class Command(BaseCommand):
    help = (
        "Write the whole installation into one ZIP archive: every table of every app, read "
        "in one snapshot while the app keeps running, and every stored file, with SHA-256 "
        "hashes and a manifest. Progress on standard error (none with -v0)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write (must not exist yet)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if path.exists():
            raise CommandError(f"{path} already exists: give the backup a new file name.")
        out = self.stderr.write if options["verbosity"] else None
        try:
            manifest = write_backup(path, out=out)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            rows = sum(entry["rows"] for entry in manifest["tables"])
            size = sum(entry["size"] for entry in manifest["files"])
            self.stdout.write(
                f"Backup written to {path}: {rows:,} rows in {len(manifest['tables'])} tables "
                f"and {len(manifest['files']):,} files ({size / 1024 / 1024:,.1f} MiB); "
                f"archive {path.stat().st_size / 1024 / 1024:,.1f} MiB."
            )
            if missing := manifest["missing_files"]:
                self.stdout.write(
                    f"Warning: missing from the storage, so not in the archive "
                    f"({len(missing)}): " + ", ".join(missing[:5])
                )
