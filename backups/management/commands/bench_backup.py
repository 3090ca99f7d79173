"""Benchmark of backup and restore: time, archive size and memory.

    .venv/bin/python manage.py bench_backup [--gb 2] [--keep]

Never touches the configured database or media folder: everything happens in a fresh
temporary folder, each installation there with its own SQLite file and media folder, and
the folder is deleted at the end (--keep leaves it). The data is built by child processes
of this command (--stage, which refuses to run outside that folder); `backup` and `restore`
run as the real commands in child processes whose time and resident-set high-water mark
(os.wait4's ru_maxrss) are reported. Data sets:

1. demo: the `demo` command's two institutions with last year's finished cycle;
2. city: bench_documents' city (40 OPDs, ~2,000 small data dukung files, 47 decisions);
3. city + big files: 40 of its files grown to --gb GiB of random bytes in total (target:
   backup and restore stay under 200 MB of memory).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from monev.benchmarks import check_throwaway

CHILD_FLAG = "MONEV_BENCH_DIR"
MIB = 1024 * 1024


@dataclass
class Run:
    seconds: float
    cpu: float
    rss: float

    def __str__(self):
        return f"{self.seconds:.1f} s ({self.cpu:.1f} s CPU), RSS high-water {self.rss:.0f} MiB"


class Command(BaseCommand):
    help = "Measure backup and restore (time, archive size, memory) on throwaway data."

    def add_arguments(self, parser):
        parser.add_argument("--gb", type=float, default=2.0, help="big files in total (GiB)")
        parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
        parser.add_argument("--stage", choices=["demo", "city", "grow"], help="(internal)")

    def handle(self, *args, **options):
        if options["stage"]:
            self._check_throwaway()
            self._build(options["stage"], options["gb"])
            return
        folder = Path(tempfile.mkdtemp(prefix="monev-bench-backup-"))
        self.stdout.write(f"Throwaway folder: {folder}")
        try:
            migrate = self._manage(folder, "empty", ["migrate", "-v0"])
            self.stdout.write(f"[empty] migrate alone (part of every restore): {migrate}")
            self._bench(folder, "demo", "demo")
            self._bench(folder, "city", "city")
            self._bench(folder, "city", "grow", name="city-big", gb=options["gb"])
        finally:
            if options["keep"]:
                self.stdout.write(f"Kept: {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
                self.stdout.write("Temporary databases and files deleted.")

    def _bench(self, folder, source, stage, *, name=None, gb=0):
        """Build (or extend) the installation `source` with `stage`, back it up, restore
        the archive into a fresh installation, and report."""
        name = name or source
        built = self._manage(folder, source, ["bench_backup", "--stage", stage, "--gb", str(gb)])
        self.stdout.write(f"[{name}] built in {built.seconds:.1f} s")
        archive = folder / f"{name}.zip"
        backup = self._manage(folder, source, ["backup", archive, "-v0"])
        restore = self._manage(folder, f"{name}-restored", ["restore", archive, "-v0"])
        with zipfile.ZipFile(archive) as opened:
            manifest = json.loads(opened.read("manifest.json"))
        rows = sum(entry["rows"] for entry in manifest["tables"])
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            f"[{name}] {rows:,} rows in {len(manifest['tables'])} tables, "
            f"{len(manifest['files']):,} files of {size / MIB:,.1f} MiB; archive "
            f"{archive.stat().st_size / MIB:,.1f} MiB.\n"
            f"[{name}] backup: {backup}; restore (migrate included): {restore}. "
            f"Target < 200 MB: {'met' if max(backup.rss, restore.rss) < 200 else 'NOT met'}."
        )
        archive.unlink()
        shutil.rmtree(folder / f"{name}-restored", ignore_errors=True)
        (folder / f"{name}-restored.sqlite3").unlink(missing_ok=True)

    def _manage(self, folder, installation, args):
        """Run manage.py on one installation of the folder; returns its Run."""
        env = {
            **os.environ,
            CHILD_FLAG: str(folder),
            "DATABASE_URL": f"sqlite:///{folder / installation}.sqlite3",
            "MEDIA_ROOT": str(folder / installation),
            "STORAGE": "local",
            "TASKS_BACKEND": "immediate",
            "DEBUG": "true",
        }
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *map(str, args)]
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise CommandError(f"{' '.join(map(str, args))} failed (exit {process.returncode}).")
        return Run(
            seconds=time.perf_counter() - started,
            cpu=usage.ru_utime + usage.ru_stime,
            rss=usage.ru_maxrss / 1024,  # Linux reports KiB
        )

    def _check_throwaway(self):
        check_throwaway(CHILD_FLAG, "bench_backup")

    def _build(self, stage, gb):
        # Imported here: the benchmark's builders are needed by the stages only.
        from cycles.models import Cycle
        from demo import builder as demo
        from reports.management.commands import bench_documents

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        if stage == "grow":
            bench_documents.grow_files(Cycle.objects.get(), gb)
            return
        call_command("migrate", verbosity=0)
        if stage == "demo":
            demo.build()
        else:
            bench_documents.build_city()
