import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import scale
from demo.builder import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Build data at scale in the configured database and media storage: --city (one "
        "institution of 80 OPDs, 4 finished cycles and the current one in step 4, ~20,000 "
        "data dukung revisions) or --province (15 of them). Deterministic for a --seed."
    )

    def add_arguments(self, parser):
        size = parser.add_mutually_exclusive_group(required=True)
        size.add_argument("--city", action="store_true", help="one institution")
        size.add_argument("--province", action="store_true", help="15 institutions")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--institutions", type=int, help="default 1 (--city), 15 (--province)")
        parser.add_argument("--opds", type=int, default=80, help="OPDs per institution")
        parser.add_argument("--past-cycles", type=int, default=4)
        parser.add_argument(
            "--revisions", type=int, default=20000, help="data dukung revisions per institution"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            help="institutions built at once in child processes (default: one per CPU on "
            "PostgreSQL, 1 on SQLite, which writes one transaction at a time)",
        )

    def handle(self, *args, **options):
        institutions = options["institutions"] or (15 if options["province"] else 1)
        if institutions < 1 or options["opds"] < 1 or options["past_cycles"] < 0:
            raise CommandError("--institutions and --opds must be at least 1, --past-cycles 0.")
        jobs = options["jobs"]
        if jobs is None:
            jobs = os.cpu_count() if connection.vendor == "postgresql" else 1
        if options["revisions"] < 0 or jobs < 1:
            raise CommandError("--revisions must be at least 0 and --jobs at least 1.")

        def report(text):
            self.stdout.write(text)
            self.stdout.flush()

        try:
            summary = scale.build_scale(
                institutions=institutions,
                opds=options["opds"],
                past_cycles=options["past_cycles"],
                revisions=options["revisions"],
                seed=options["seed"],
                jobs=jobs,
                report=report,
            )
        except scale.ScaleError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"\nScale data: {summary.institutions} institutions, {summary.agencies} OPDs, "
            f"{summary.users} users, {summary.cycles} cycles, {summary.submissions} answers, "
            f"{summary.revisions} data dukung revisions; built "
            f"{len(summary.built)} (already present: {len(summary.skipped)}) "
            f"in {summary.elapsed:.0f} s."
        )
        self.stdout.write(f"\nAccounts (password for all: {DEMO_PASSWORD}):")
        for slug, rows in summary.accounts:
            staff = [username for username, who in rows if not who.startswith("operator ")]
            operators = [username for username, who in rows if who.startswith("operator ")]
            self.stdout.write(f"  {slug}: {', '.join(staff)}")
            self.stdout.write(f"  {slug} operators ({len(operators)}): {', '.join(operators)}")
