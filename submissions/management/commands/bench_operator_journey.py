"""Benchmark of the OPD operator's journey (issue 12): 15 indicators answered with data
dukung and handed in, in a real Chromium, in two scenarios (an OPD's first year; a
returning OPD starting from last year's answers) on a phone and on a laptop.

    .venv/bin/python manage.py bench_operator_journey [--indicators 15] [--keep]

Counts what the script did (clicks/taps, keys outside text fields, characters typed, file
dialogs, full page loads, wall-clock time) and estimates a person's time from stated
assumptions. Target: ≤ 30 minutes of the person's time for 15 indicators and ≤ 3
interactions per indicator besides typing and choosing files, printed two ways: (a) every
click/tap/key, (b) the same without those that only move into a text field (the target is
judged on (b)).

Never touches the configured database or media folder: a child process (--stage setup,
which refuses to run outside the throwaway folder) builds a fresh SQLite database and media
folder in a temporary folder, `runserver` serves it on a free port, Chromium (Debian's,
driven by Playwright; $CHROMIUM overrides the path) runs the journey against it, and
--stage check reads back what was handed in. The folder is deleted at the end (--keep
leaves it).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monev.benchmarks import check_throwaway
from monev.browser import launch_chromium
from submissions.management import operator_journey as bench

CHILD_FLAG = "MONEV_BENCH_DIR"
TARGET_MINUTES = 30
TARGET_PER_INDICATOR = 3

# The person-time model, printed with the table.
READING_SECONDS = 20  # reading the chosen level's criteria (and last year's answer), per indicator
SECONDS_PER_CLICK = 2
SECONDS_PER_KEY = 1
SECONDS_PER_DIALOG = 10  # finding and choosing the two files in the file dialog


def person_parts(journey):
    """{part: seconds} of a person doing what the script did (see ASSUMPTIONS)."""
    return {
        "reading": READING_SECONDS * journey.indicators,
        "typing": journey.chars / journey.viewport.chars_per_second,
        "clicks": SECONDS_PER_CLICK * journey.clicks,
        "keys": SECONDS_PER_KEY * journey.keys,
        "file dialogs": SECONDS_PER_DIALOG * journey.dialogs,
        "machine": journey.seconds,
    }


def person_seconds(journey):
    return sum(person_parts(journey).values())


ASSUMPTIONS = f"""\
Person time = reading {READING_SECONDS} s per indicator (the chosen level's criteria; the same for
    a returning OPD, checking last year's answer taken as part of it)
  + typed characters at 2.5 chars/s on the phone (30 words/min) and 3.3 chars/s on the laptop
    (40 words/min): first year FAKTA ~{len(bench.FAKTA.format(n=10))} and ANALISIS \
~{len(bench.ANALISIS.format(level=3))} characters per indicator;
    returning {len(bench.FAKTA_UPDATE.format(year=2026))} appended to FAKTA and \
{len(bench.ANALISIS_UPDATE)} to ANALISIS; plus the login
  + {SECONDS_PER_CLICK} s per click/tap + {SECONDS_PER_KEY} s per key outside text fields
  + {SECONDS_PER_DIALOG} s per file dialog (choosing 2 files)
  + the machine time as measured (server, uploads, page loads; it also holds the script's own
    typing and waiting, so it overstates the wait a little)."""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _minutes(seconds):
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


class Command(BaseCommand):
    help = "Measure an OPD operator's journey (15 indicators, phone and laptop) in Chromium."

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=15, help="indicators per OPD")
        parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
        parser.add_argument("--stage", choices=["setup", "check"], help="(internal)")

    def handle(self, *args, **options):
        if options["stage"]:
            check_throwaway(CHILD_FLAG, "bench_operator_journey")
            self._stage(options["stage"], options["indicators"])
            return
        folder = Path(tempfile.mkdtemp(prefix="monev-bench-journey-"))
        self.stdout.write(f"Throwaway folder: {folder}")
        server = None
        try:
            self._manage(folder, ["migrate", "-v0"])
            started = time.perf_counter()
            setup = self._manage(
                folder,
                [
                    "bench_operator_journey",
                    "--stage",
                    "setup",
                    "--indicators",
                    options["indicators"],
                ],
            )
            operators = json.loads(setup.splitlines()[-1])
            self.stdout.write(f"Data built in {time.perf_counter() - started:.1f} s.")
            port = _free_port()
            server = self._serve(folder, port)
            journeys = self._drive(f"http://127.0.0.1:{port}", operators, folder, options)
            check = self._manage(folder, ["bench_operator_journey", "--stage", "check"])
            self._report(journeys, json.loads(check.splitlines()[-1]), options["indicators"])
        finally:
            if server:
                server.terminate()
                server.wait(timeout=10)
            if options["keep"]:
                self.stdout.write(f"Kept: {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
                self.stdout.write("Temporary database, files and server log deleted.")

    def _stage(self, stage, indicators):
        if stage == "setup":
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            operators = bench.build_cycle(indicators=indicators)
            self.stdout.write(json.dumps(operators))
        else:
            self.stdout.write(json.dumps(bench.handed_in()))

    def _env(self, folder):
        return {
            **os.environ,
            CHILD_FLAG: str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "STORAGE": "local",
            "TASKS_BACKEND": "immediate",
            "DEBUG": "true",
            "SITE_URL": "http://127.0.0.1",
        }

    def _command(self, *args):
        return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *map(str, args)]

    def _manage(self, folder, args):
        """Run manage.py in the throwaway installation; returns its standard output."""
        done = subprocess.run(
            self._command(*args), env=self._env(folder), capture_output=True, text=True
        )
        if done.returncode:
            self.stderr.write(done.stderr[-3000:])
            raise CommandError(f"{' '.join(map(str, args))} failed (exit {done.returncode}).")
        return done.stdout

    def _serve(self, folder, port):
        """Start runserver on the throwaway installation and wait until it answers."""
        log = open(folder / "server.log", "w")  # noqa: SIM115 (closed with the folder)
        server = subprocess.Popen(
            self._command("runserver", "--noreload", f"127.0.0.1:{port}"),
            env=self._env(folder),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk/", timeout=2)
                return server
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.3)
        server.terminate()
        raise CommandError(f"runserver did not start; see {folder / 'server.log'}.")

    def _drive(self, base_url, operators, folder, options):
        from playwright.sync_api import sync_playwright

        journeys = []
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for number, run in enumerate(bench.RUNS):
                    files = folder / f"files-{number}"
                    files.mkdir()
                    username = operators[run.agency]
                    self.stdout.write(f"{run.scenario}, {run.viewport.name}, as {username}…")
                    journeys.append(
                        bench.run_journey(
                            browser,
                            base_url,
                            run.viewport,
                            username=username,
                            password=bench.PASSWORD,
                            indicators=options["indicators"],
                            folder=files,
                            scenario=run.scenario,
                        )
                    )
            finally:
                browser.close()
        return journeys

    def _report(self, journeys, handed_in, indicators):
        write = self.stdout.write
        write("")
        header = (
            f"{'Scenario':<10} {'Viewport':<15} {'Clicks/taps':>11} {'Keys':>4} {'Typed':>5} "
            f"{'Dialogs':>7} {'Loads':>5} {'Machine':>7} {'Person':>6} {'(a)/ind.':>8} "
            f"{'(b)/ind.':>8}"
        )
        write(header)
        write("-" * len(header))
        for journey in journeys:
            write(
                f"{journey.scenario:<10} {journey.viewport.name:<15} {journey.clicks:>11} "
                f"{journey.keys:>4} {journey.chars:>5} {journey.dialogs:>7} {journey.loads:>5} "
                f"{_minutes(journey.seconds):>7} {_minutes(person_seconds(journey)):>6} "
                f"{_spread(journey.per_indicator):>8} {_spread(journey.per_indicator_b):>8}"
            )
        write(
            "Clicks/taps: all, the one per indicator that opens the file dialog included. Keys:"
            " pressed outside\ntyping (1–5, Tab, Ctrl+Enter, Enter). Typed: characters typed"
            " into text fields, login included.\nLoads: full page loads. Machine: wall clock"
            " of the whole journey. Person: the estimate below (min:s).\n"
            "(a)/ind.: interactions per indicator, every click/tap/key besides the typed"
            " characters and choosing\nthe files (the tap on 'Pilih berkas' and its dialog).\n"
            "(b)/ind.: the same without the clicks/taps/Tab that only move the cursor into a"
            " text field (the\nstart of typing). The ≤ 3 target is judged on (b); (a) is"
            " printed beside it.\n"
        )
        write(ASSUMPTIONS + "\n")
        for journey in journeys:
            write(f"{journey.scenario}, {journey.viewport.name}:")
            write(
                f"  {journey.indicators} indicators handed in; each: "
                + ", ".join(journey.indicator_steps[-1])
            )
            overhead = journey.interactions - sum(journey.per_indicator)
            write(f"  plus {overhead} for logging in, 'Lanjutkan' and handing in.")
            parts = ", ".join(f"{p} {_minutes(v)}" for p, v in person_parts(journey).items())
            write(f"  Person time {_minutes(person_seconds(journey))} = {parts}.")
            minutes = person_seconds(journey) / 60
            most_a, most_b = max(journey.per_indicator), max(journey.per_indicator_b)
            write(
                f"  ≤ {TARGET_MINUTES} min: {_met(minutes <= TARGET_MINUTES)} ({minutes:.1f} min);"
                f" ≤ {TARGET_PER_INDICATOR} per indicator (on b): "
                f"{_met(most_b <= TARGET_PER_INDICATOR)} (b = {_spread(journey.per_indicator_b)}"
                f"; a = {_spread(journey.per_indicator)}, "
                f"{'also' if most_a <= TARGET_PER_INDICATOR else 'not'} ≤ {TARGET_PER_INDICATOR})."
            )
            if journey.remarks:
                write("  Found on the way (counted above): " + "; ".join(journey.remarks))
        write(
            "\nIn the database afterwards, [handed in, with ≥ 2 files, last year's texts"
            f" updated] per OPD: {handed_in}"
        )
        expected = {
            run.agency: [
                indicators,
                indicators,
                indicators if run.scenario == bench.RETURNING else 0,
            ]
            for run in bench.RUNS
        }
        if handed_in != expected:
            raise CommandError(f"Expected {expected} in the database.")


def _spread(counts):
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high}"


def _met(condition):
    return "met" if condition else "NOT met"
