"""Time meeting mode at city scale: every indicator screen, as the evaluator sees it.

    manage.py bench_meeting_mode [--opds 40] [--per-indicator N] [--rounds 3]

Leaves nothing behind: everything (an institution of its own, its OPDs and people, a cycle
with all indicators assigned, the OPDs' answers with FAKTA/ANALISIS, data dukung and review
threads, decisions for half the indicators) is built inside one transaction that is rolled
back at the end, and the data dukung files go to a temporary directory deleted afterwards.
It still writes to the configured database while it runs (SQLite locks it for writers), so
point it at a throwaway copy when others use that database:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 manage.py bench_meeting_mode

The answers and the files are written as rows directly (the services would take minutes for
thousands of answers); the cycle, its step clock and the decisions go through the services.
"""

import hashlib
import statistics
import tempfile
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Decision
from cycles import services as cycle_services
from evidence.models import Evidence, EvidenceRevision
from frameworks.models import Framework
from frameworks.services import load_framework_files, shipped_framework_files
from institutions.models import Agency, Institution, Membership, Role, User
from sops.services import SHIPPED_SOPS, load_sop_file
from submissions.models import Review, Submission

TARGET_MS = 100
FAKTA = (
    "Peraturan Wali Kota Nomor {n} Tahun 2025 tentang penerapan SPBE di lingkungan {opd} "
    "telah ditetapkan dan disosialisasikan kepada seluruh pegawai; berkas terlampir."
)
ANALISIS = (
    "Kebijakan telah ditetapkan dan diterapkan pada seluruh unit kerja {opd}, tetapi belum "
    "direviu secara berkala; kriteria tingkat {level} terpenuhi."
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Rollback(Exception):
    """Raised at the end to roll the whole run back."""


class Command(BaseCommand):
    help = (
        "Build a city-scale cycle in a rolled-back transaction and time every meeting-mode "
        "indicator screen (median, p95, max in ms; queries per screen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--opds", type=int, default=40, help="OPDs in the cycle (40)")
        parser.add_argument(
            "--per-indicator",
            type=int,
            default=None,
            help="OPDs answering each indicator (default: all of them, the heaviest screens)",
        )
        parser.add_argument("--rounds", type=int, default=3, help="times every screen is read")

    def handle(self, *args, opds, per_indicator, rounds, **options):
        if opds < 1 or rounds < 1:
            raise CommandError("--opds and --rounds must be at least 1.")
        per_indicator = min(per_indicator or opds, opds)
        # DEBUG off as in production (no query log, no template debug information).
        with (
            tempfile.TemporaryDirectory(prefix="bench-meeting-") as media,
            override_settings(MEDIA_ROOT=media, ALLOWED_HOSTS=["*"], DEBUG=False),
        ):
            try:
                with transaction.atomic():
                    self.run(opds, per_indicator, rounds)
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write("Rolled back: nothing was kept.")

    def run(self, opds, per_indicator, rounds):
        started = time.perf_counter()
        cycle, evaluator, indicators = build(opds, per_indicator)
        counts = {
            "answers": Submission.objects.filter(cycle=cycle).count(),
            "data dukung": Evidence.objects.filter(cycle=cycle).count(),
            "reviews": Review.objects.filter(submission__cycle=cycle).count(),
            "decisions": Decision.objects.filter(assessment__cycle=cycle).count(),
        }
        self.stdout.write(
            f"Built in {time.perf_counter() - started:.1f} s: {opds} OPDs, "
            f"{len(indicators)} indicators, {per_indicator} OPDs per indicator, "
            + ", ".join(f"{count} {name}" for name, count in counts.items())
        )
        client = Client()
        client.force_login(evaluator)
        urls = [reverse("meeting_indicator", args=[cycle.pk, node.pk]) for node in indicators]

        # A first pass (not timed) warms caches and counts the queries of every screen.
        queries = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            queries.append(len(captured))

        times, cpu = [], []
        for _round in range(rounds):
            for url in urls:
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        self.report("Indicator screen (full page)", times, queries)
        self.report("  the same, CPU time of this process", cpu)

        # Moving between indicators with htmx renders the screen without the page around it.
        htmx_times = []
        for url in urls:
            start = time.perf_counter()
            client.get(url, HTTP_HX_REQUEST="true")
            htmx_times.append((time.perf_counter() - start) * 1000)
        self.report("Indicator screen (htmx navigation)", htmx_times)

        # Saving: the form, the live panel and the bar come back (services.set_decision).
        save_times = []
        for node, url in zip(indicators, urls, strict=True):
            start = time.perf_counter()
            response = client.post(
                url + "simpan/",
                {"level": "3", "fakta": "Fakta rapat.", "analisis": "Analisis rapat."},
                HTTP_HX_REQUEST="true",
            )
            save_times.append((time.perf_counter() - start) * 1000)
            if b"Tersimpan" not in response.content:
                raise CommandError(f"Saving indicator {node.number} failed.")
        self.report("Save with htmx (form + live panel)", save_times)

    def report(self, title, times, queries=None):
        ordered = sorted(times)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        line = (
            f"{title}: {len(times)} requests; median {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms, max {max(times):.1f} ms"
        )
        if queries:
            low, high = min(queries), max(queries)
            line += f"; queries per screen {low}" + (f"–{high}" if high != low else "")
        verdict = "OK" if p95 < TARGET_MS else f"ABOVE the {TARGET_MS} ms target"
        self.stdout.write(f"{line} ({verdict})")


def _user(institution, username, role, agency=None):
    user = User.objects.create_user(
        username, password=None, institution=institution, full_name=username.title()
    )
    Membership.objects.create(user=user, role=role, agency=agency)
    return user


def build(opds, per_indicator):
    """The institution, cycle, answers, data dukung, threads and decisions; returns
    (cycle, evaluator, indicators in tree order)."""
    framework = Framework.objects.default()
    if framework is None:
        load_framework_files(shipped_framework_files())
        framework = Framework.objects.default()
    tag = uuid.uuid4().hex[:8]
    institution = Institution.objects.create(
        slug=f"bench-{tag}", name=f"Pemerintah Kota Uji {tag}", city="Kota Uji"
    )
    load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    coordinator = _user(institution, f"bench-{tag}-koordinator", Role.COORDINATOR)
    evaluator = _user(institution, f"bench-{tag}-evaluator", Role.EVALUATOR)
    agencies = Agency.objects.bulk_create(
        Agency(institution=institution, name=f"Dinas Uji {n + 1}", short_name=f"DU{n + 1}")
        for n in range(opds)
    )
    operators = [
        _user(institution, f"bench-{tag}-opd-{n + 1}", Role.AGENCY, agency=agency)
        for n, agency in enumerate(agencies)
    ]
    indicators = list(framework.nodes.filter(children__isnull=True).order_by("position"))
    # Each indicator answered by `per_indicator` OPDs, taken round the list so every OPD
    # answers its share.
    assignments = {
        node: [agencies[(i + k) % opds] for k in range(per_indicator)]
        for i, node in enumerate(indicators)
    }
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=timezone.localdate().year,
        framework=framework,
        agencies=agencies,
        deadline=timezone.localdate(),
        contact_person=coordinator,
        assignments=assignments,
    )
    for number in (1, 2, 3):
        cycle_services.finish_step(cycle, number, by=coordinator)
    cycle_services.start_step(cycle, 4, by=coordinator)
    _answers(cycle, assignments, dict(zip(agencies, operators, strict=True)), coordinator)
    for i, node in enumerate(indicators[::2]):
        services.set_decision(
            cycle,
            node,
            by=evaluator,
            level=i % 5 + 1,
            fakta=FAKTA.format(n=i, opd="seluruh OPD"),
            analisis=ANALISIS.format(opd="Pemerintah Kota", level=i % 5 + 1),
        )
    return cycle, evaluator, indicators


def _answers(cycle, assignments, operators, reviewer):
    now = timezone.now()
    submissions = []
    for node, agencies in assignments.items():
        for k, agency in enumerate(agencies):
            level = (int(node.number) + k) % 5 + 1
            submissions.append(
                Submission(
                    cycle=cycle,
                    indicator=node,
                    agency=agency,
                    status=Submission.Status.ACCEPTED if k % 2 else Submission.Status.SUBMITTED,
                    level=level,
                    fakta=FAKTA.format(n=node.number, opd=agency.name),
                    analisis=ANALISIS.format(opd=agency.short_name, level=level),
                    version=2,
                    updated_by=operators[agency],
                    submitted_at=now,
                )
            )
    submissions = Submission.objects.bulk_create(submissions)
    pieces, revisions, links, reviews = [], [], [], []
    for submission in submissions:
        operator = operators[submission.agency]
        for title in ("SK penetapan", "Laporan pelaksanaan"):
            pieces.append(
                Evidence(
                    cycle=cycle,
                    agency=submission.agency,
                    kind=Evidence.Kind.FILE,
                    title=f"{submission.indicator.number}. {title} {submission.agency.short_name}",
                    created_by=operator,
                )
            )
        reviews.append(Review(submission=submission, kind=Review.Kind.SUBMITTED, by=operator))
        if submission.status == Submission.Status.ACCEPTED:
            reviews.append(
                Review(
                    submission=submission, kind=Review.Kind.ACCEPTED, note="Lengkap.", by=reviewer
                )
            )
    pieces = Evidence.objects.bulk_create(pieces)
    for n, piece in enumerate(pieces):
        submission = submissions[n // 2]
        content = PDF + piece.title.encode()
        name = default_storage.save(
            f"evidence/{cycle.pk}/{uuid.uuid4().hex}.pdf", ContentFile(content)
        )
        revisions.append(
            EvidenceRevision(
                evidence=piece,
                number=1,
                file=name,
                original_name=f"{piece.title}.pdf",
                content_type="application/pdf",
                extension="pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=piece.created_by,
            )
        )
        links.append(Submission.evidence.through(submission_id=submission.pk, evidence_id=piece.pk))
    EvidenceRevision.objects.bulk_create(revisions)
    Submission.evidence.through.objects.bulk_create(links)
    Review.objects.bulk_create(reviews)
