"""Benchmark of SOP step 8 at city scale: the Dokumen Evaluasi SPBE (PDF, DOCX) and the
evidence package.

    .venv/bin/python manage.py bench_documents [--package-gb 2] [--keep]

Never touches the configured database or media folder: the command runs its stages in child
processes of its own, each pointed (DATABASE_URL, MEDIA_ROOT) at a fresh temporary folder
with its own SQLite file, and deletes the folder at the end (--keep leaves it, and says
where). Stages:

1. documents: migrate the throwaway database; a city (40 OPDs, an operator each), a cycle
   with the 47 indicators assigned, 80 answers accepted carrying ~2,000 data dukung files
   (small files), every indicator decided with FAKTA/ANALISIS citing all of them, findings and
   follow-ups per aspect, the result final; then the time of the context, the PDF, the
   DOCX and the whole generate_evaluation (target: PDF < 10 s).
2. package: in a fresh process, 40 of those files become ~50 MB of random bytes each
   (--package-gb in total), then the evidence package is built into storage with
   tracemalloc on; reported: time, throughput, the tracemalloc peak and the process's
   RSS high-water mark (resource.getrusage) before and after (target: < 200 MB).
"""

import datetime
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments.official_form import official_form_xlsx
from assessments.queries import find_assessment
from cycles import services as cycle_services
from cycles.models import Cycle
from documents.models import Document
from documents.render import render_pdf
from documents.services import render_docx_document
from documents.verification import verification_context
from evidence.models import Evidence, EvidenceRevision
from evidence.package import build_evidence_package
from followups import services as followup_services
from followups.queries import aspects_of
from frameworks.models import Framework
from frameworks.services import load_framework_files, shipped_framework_files
from institutions.models import Agency, Institution, Role
from monev.benchmarks import check_throwaway
from monev.testing import make_user
from reports import evaluation
from sops.services import SHIPPED_SOPS, load_sop_file
from submissions import services as submission_services
from submissions.models import Submission

CHILD_FLAG = "MONEV_BENCH_DIR"
AGENCIES = 40
FILES_PER_ANSWER = 25
BIG_FILES = 40
CHUNK = 1024 * 1024
TITLES = [
    "SK Tim Koordinasi SPBE",
    "Peraturan Wali Kota",
    "Notulen Rapat",
    "Laporan Audit TIK",
    "Dokumen Arsitektur SPBE",
    "Tangkapan Layar Aplikasi",
    "Daftar Hadir",
    "Rekap Layanan",
]
EXTENSIONS = [("pdf", "application/pdf")] * 4 + [
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
]


def rss_mb():
    """The process's resident set size high-water mark (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Time the Dokumen Evaluasi SPBE and measure the evidence package's memory at city scale."

    def add_arguments(self, parser):
        parser.add_argument("--package-gb", type=float, default=2.0)
        parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
        parser.add_argument("--stage", choices=["documents", "package"], help="(internal)")

    def handle(self, *args, **options):
        if options["stage"]:
            self._check_throwaway()
            with _quiet_hashing():
                getattr(self, f"stage_{options['stage']}")(options)
            return
        folder = Path(tempfile.mkdtemp(prefix="monev-bench-"))
        env = {
            **os.environ,
            CHILD_FLAG: str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "TASKS_BACKEND": "immediate",
            "DEBUG": "true",
        }
        self.stdout.write(f"Throwaway folder: {folder}")
        try:
            for stage in ("documents", "package"):
                command = [
                    sys.executable,
                    str(Path(settings.BASE_DIR) / "manage.py"),
                    "bench_documents",
                    "--stage",
                    stage,
                    "--package-gb",
                    str(options["package_gb"]),
                ]
                done = subprocess.run(command, env=env, check=False)
                if done.returncode:
                    raise CommandError(f"Stage {stage} failed (exit {done.returncode}).")
        finally:
            if options["keep"]:
                self.stdout.write(f"Kept: {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
                self.stdout.write("Temporary database and files deleted.")

    def _check_throwaway(self):
        check_throwaway(CHILD_FLAG, "bench_documents")

    # --- Stage 1: a city-scale cycle and the Dokumen Evaluasi ------------------------------

    def stage_documents(self, options):
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        cycle, coordinator = build_city()
        self.stdout.write(
            f"Setup: {AGENCIES} OPD, {cycle.submissions.count()} answers accepted, "
            f"{cycle.evidence.count()} data dukung, in {time.perf_counter() - started:.1f} s"
        )

        with translation.override("id"):
            t0 = time.perf_counter()
            context = evaluation.evaluation_context(cycle)
            t1 = time.perf_counter()
            pdf = render_pdf(
                evaluation.PDF_TEMPLATE, {**context, "verification": verification_context("X")}
            )
            t2 = time.perf_counter()
            word = {key: value for key, value in context.items() if key != "charts"}
            docx = render_docx_document(cycle.institution, evaluation.KIND, word)
            t3 = time.perf_counter()
        documents = evaluation.generate_evaluation(cycle, by=coordinator)
        t4 = time.perf_counter()

        with documents[0].file.open("rb") as handle:
            pages = len(PdfReader(handle).pages)
        self.stdout.write(
            f"Dokumen Evaluasi: context {t1 - t0:.2f} s, PDF {t2 - t1:.2f} s "
            f"({pages} pages, {len(pdf) / 1024:.0f} KiB), DOCX {t3 - t2:.2f} s "
            f"({len(docx) / 1024:.0f} KiB); generate_evaluation (context + PDF + DOCX + "
            f"store + step 8) {t4 - t3:.2f} s. Target PDF < 10 s: "
            f"{'met' if t2 - t1 < 10 else 'NOT met'}."
        )

    # --- Stage 2: the evidence package of ~2 GB --------------------------------------------

    def stage_package(self, options):
        cycle = Cycle.objects.get()
        coordinator = cycle.institution.users.filter(memberships__role=Role.COORDINATOR).first()
        started = time.perf_counter()
        total = grow_files(cycle, options["package_gb"])
        self.stdout.write(
            f"Wrote {BIG_FILES} files of {total / BIG_FILES / CHUNK:.1f} MiB "
            f"({total / CHUNK / 1024:.2f} GiB) in {time.perf_counter() - started:.1f} s"
        )
        rss_before = rss_mb()
        tracemalloc.start()
        t0 = time.perf_counter()
        document = build_evidence_package(cycle, by=coordinator)
        elapsed = time.perf_counter() - t0
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = rss_mb()
        path = Path(document.file.path)
        check = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                check.update(chunk)
        known = {Path(name).name for name in Document.objects.values_list("file", flat=True)}
        stray = [item for item in path.parent.iterdir() if item.name not in known]
        tracemalloc.start()
        official_form_xlsx(cycle)
        _current, form_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"Evidence package: {document.size / CHUNK / 1024:.2f} GiB in {elapsed:.1f} s "
            f"({document.size / CHUNK / elapsed:.0f} MiB/s); tracemalloc peak "
            f"{peak / CHUNK:.1f} MiB (the official form workbook alone: "
            f"{form_peak / CHUNK:.1f} MiB); RSS high-water mark {rss_before:.0f} MiB before, "
            f"{rss_after:.0f} MiB after (+{rss_after - rss_before:.0f}). Target < 200 MB: "
            f"{'met' if rss_after < 200 else 'NOT met'}. Stored hash "
            f"{'matches' if check.hexdigest() == document.sha256 else 'DIFFERS from'} the "
            f"file; files in storage without a Document: {len(stray)}."
        )


class _quiet_hashing:
    """The throwaway users need no slow password hashing."""

    def __enter__(self):
        self.saved = settings.PASSWORD_HASHERS
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def __exit__(self, *exc):
        settings.PASSWORD_HASHERS = self.saved


def build_city():
    """A city at the scale DESIGN.md names, reached through the services where the state
    matters (cycle, answers, review, decisions citing every file, findings, finalize); the
    2,000 evidence rows and their small files are written in bulk (the upload path is
    measured elsewhere)."""

    load_framework_files(shipped_framework_files())
    framework = Framework.objects.default()
    institution = Institution.objects.create(
        slug="bench",
        name="Pemerintah Kota Pontianak",
        city="Pontianak",
        address="Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        letterhead="PEMERINTAH KOTA PONTIANAK\nDINAS KOMUNIKASI DAN INFORMATIKA",
    )
    load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    coordinator = make_user(institution, "koordinator", Role.COORDINATOR, full_name="Koordinator")
    evaluator = make_user(institution, "evaluator", Role.EVALUATOR, full_name="Evaluator")
    agencies, operators = [], {}
    for number in range(1, AGENCIES + 1):
        agency = Agency.objects.create(
            institution=institution, name=f"Dinas Nomor {number}", short_name=f"OPD{number:02d}"
        )
        agencies.append(agency)
        operators[agency.pk] = make_user(
            institution, f"opd{number}", Role.AGENCY, agency=agency, full_name=f"Operator {number}"
        )
    indicators = list(framework.nodes.filter(children__isnull=True).order_by("position"))
    assignments = {}
    for index, indicator in enumerate(indicators):
        chosen = [agencies[index % AGENCIES]]
        if index % 3 != 2 and len(chosen) < 2:
            chosen.append(agencies[(index + 17) % AGENCIES])
        assignments[indicator] = chosen
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=agencies,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments=assignments,
    )
    with transaction.atomic():
        for number in (1, 2, 3):
            cycle_services.finish_step(cycle, number, by=coordinator)
        cycle_services.start_step(cycle, 4, by=coordinator)

    submissions = []
    for indicator, chosen in assignments.items():
        for agency in chosen:
            submissions.append(
                submission_services.save_draft(
                    cycle,
                    indicator,
                    agency,
                    by=operators[agency.pk],
                    level=3,
                    fakta=f"{agency.name} menerapkan indikator {indicator.number} melalui "
                    "peraturan, aplikasi dan laporan yang dilampirkan.",
                    analisis="Kriteria tingkat 3 terpenuhi; tingkat 4 belum.",
                    version=0,
                )
            )
    _bulk_evidence(cycle, submissions, operators)
    for submission in submissions:
        submission_services.submit_submission(submission, by=operators[submission.agency_id])
        submission_services.accept_submission(submission, by=coordinator)

    attached = {}
    for row in Submission.evidence.through.objects.filter(submission__cycle=cycle).values_list(
        "submission__indicator_id", "evidence_id"
    ):
        attached.setdefault(row[0], []).append(row[1])
    evidence_by_id = Evidence.objects.in_bulk()
    for index, indicator in enumerate(indicators):
        assessment_services.set_decision(
            cycle,
            indicator,
            by=evaluator,
            level=(index * 7) % 5 + 1,
            fakta=(
                f"Tim SPBE memeriksa data dukung indikator {indicator.number}: kebijakan "
                "ditetapkan dengan Peraturan Wali Kota, diterapkan pada seluruh OPD, dan "
                "dievaluasi setiap tahun. " * 2
            ).strip(),
            analisis=(
                "Kriteria tingkat yang disepakati terpenuhi seluruhnya; kriteria tingkat "
                "berikutnya belum terpenuhi karena belum ada reviu berkala. " * 2
            ).strip(),
            evidence=[evidence_by_id[pk] for pk in attached.get(indicator.pk, [])],
        )
    _findings(cycle, coordinator, agencies)
    with transaction.atomic():
        for number in (4, 5, 6, 7):
            cycle_services.finish_step(cycle, number, by=coordinator)
        cycle_services.start_step(cycle, 8, by=coordinator)
    assessment_services.finalize_assessment(find_assessment(cycle), by=coordinator)
    return cycle, coordinator


def _bulk_evidence(cycle, submissions, operators):

    Attachment = Submission.evidence.through
    rows, files = [], []
    for s_index, submission in enumerate(submissions):
        for f_index in range(FILES_PER_ANSWER):
            number = s_index * FILES_PER_ANSWER + f_index
            extension, content_type = EXTENSIONS[number % len(EXTENSIONS)]
            content = os.urandom(2048 + (number % 7) * 1024)
            name = default_storage.save(
                f"evidence/{cycle.pk}/bench-{number}.{extension}", ContentFile(content)
            )
            rows.append(
                Evidence(
                    cycle=cycle,
                    agency_id=submission.agency_id,
                    kind=Evidence.Kind.FILE,
                    title=f"{TITLES[number % len(TITLES)]} {number + 1}",
                    created_by=operators[submission.agency_id],
                )
            )
            files.append((submission, name, extension, content_type, content))
    created = Evidence.objects.bulk_create(rows)
    EvidenceRevision.objects.bulk_create(
        EvidenceRevision(
            evidence=evidence,
            number=1,
            file=name,
            original_name=f"berkas-{evidence.pk}.{extension}",
            content_type=content_type,
            extension=extension,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=evidence.created_by,
        )
        for evidence, (_submission, name, extension, content_type, content) in zip(
            created, files, strict=True
        )
    )
    Attachment.objects.bulk_create(
        Attachment(submission_id=submission.pk, evidence_id=evidence.pk)
        for evidence, (submission, *_rest) in zip(created, files, strict=True)
    )


def _findings(cycle, coordinator, agencies):
    """Two strengths, a weakness and a recommendation with a follow-up per aspect."""

    for index, aspect in enumerate(aspects_of(cycle.framework)):
        for kind, text in (
            ("kekuatan", f"Kebijakan {aspect.name} sudah ditetapkan dan diterapkan."),
            ("kekuatan", "Koordinasi antar-OPD berjalan melalui Tim Koordinasi SPBE."),
            ("kelemahan", "Reviu dan evaluasi berkala belum terdokumentasi."),
        ):
            followup_services.add_finding(
                cycle, by=coordinator, aspect=aspect, kind=kind, text=text
            )
        recommendation = followup_services.add_finding(
            cycle,
            by=coordinator,
            aspect=aspect,
            kind="rekomendasi",
            text=f"Menyusun jadwal reviu tahunan untuk {aspect.name}.",
        )
        followup_services.create_follow_up(
            recommendation,
            by=coordinator,
            agency=agencies[index],
            due_date=timezone.localdate() + datetime.timedelta(days=180),
        )


def grow_files(cycle, gigabytes):
    """Make BIG_FILES of the cycle's files (one per OPD) random bytes adding up to
    `gigabytes`, written in 1 MiB chunks, and record their new size and hash — a benchmark
    shortcut: an upload would have produced the same rows."""

    size = int(gigabytes * 1024 * CHUNK / BIG_FILES)
    seen, total = set(), 0
    revisions = EvidenceRevision.objects.filter(
        evidence__cycle=cycle, extension="pdf"
    ).select_related("evidence")
    for revision in revisions.order_by("pk"):
        if revision.evidence.agency_id in seen:
            continue
        seen.add(revision.evidence.agency_id)
        digest, left = hashlib.sha256(), size
        with open(revision.file.path, "wb") as handle:
            while left:
                chunk = os.urandom(min(CHUNK, left))
                digest.update(chunk)
                handle.write(chunk)
                left -= len(chunk)
        EvidenceRevision.objects.filter(pk=revision.pk).update(size=size, sha256=digest.hexdigest())
        total += size
        if len(seen) == BIG_FILES:
            break
    return total
