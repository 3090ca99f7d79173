"""The Dokumen Evaluasi SPBE (the output of SOP step 8) and the evidence package, built in the
background: what goes into the document, its PDF and Word versions, and the jobs that build
them (tasks in reports/tasks.py, progress through documents.jobs).

The document is an Indonesian official document whatever the UI language: its words are
written here and in the templates as they are printed, and it is built under
translation.override("id").
"""

import datetime
import io
import re
import zoneinfo
from collections import defaultdict
from pathlib import Path

import docx
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from docx.shared import Cm

from assessments.queries import chart_context, find_assessment, live_result, year_over_year
from audit.chain import chain_head
from cycles.models import Cycle, StepRun
from cycles.queries import step_lines
from cycles.services import finish_step, role_holders
from cycles.team import decree_citation
from documents.formal import tanggal
from documents.jobs import start_job, update_job
from documents.letters import institution_fields, kop_context
from documents.models import Document, GenerationJob
from documents.services import generate_pdf, render_docx_document, store_document
from documents.verification import verification_url
from evidence.package import check_has_files, package_entries, package_source
from frameworks.models import kind_label
from frameworks.scoring import display, plain
from institutions.models import Role
from letters.models import Letter
from notifications.services import notify
from reports.charts_png import chart_pngs
from reports.models import SignedReport
from reports.permissions import can_prepare_report, can_view_reports
from reports.tasks import build_evaluation, build_package
from sops.durations import duration_text, minutes_text

KIND = "evaluation"
PACKAGE_KIND = "evidence_package"
STEP = 8
STEP_OUTPUT = "Dokumen Evaluasi SPBE"
PDF_TEMPLATE = "reports/evaluation_pdf.html"
DOCX_TEMPLATE = Path(__file__).resolve().parent / "docx" / "evaluation.docx"
SHORT_HASH = 12


# --- Who, what, whether ----------------------------------------------------------------------


def can_generate_evaluation(user, cycle):
    """The coordinator builds the Dokumen Evaluasi and the evidence package (step 8 is
    theirs); the rest of the staff can see and download them."""
    return can_prepare_report(user, cycle)


def can_view_evaluation(user, cycle):
    return can_view_reports(user, cycle)


def evaluation_source(cycle):
    return f"reports.evaluation:{cycle.pk}"


def evaluation_title(cycle):
    return f"Dokumen Evaluasi SPBE {cycle.institution.name} Tahun {cycle.year}"


def not_final_error():
    return ValidationError(
        _(
            "Hasil evaluasi mandiri belum final. Finalkan hasilnya di halaman Hasil Evaluasi "
            "Mandiri, lalu buat Dokumen Evaluasi SPBE."
        ),
        code="not_final",
    )


def check_ready(cycle):
    """Raise ValidationError unless the cycle's self-evaluation result is final."""
    if not find_assessment(cycle).is_final:
        raise not_final_error()


# --- What the document says --------------------------------------------------------------------


def _institution(institution):
    return kop_context(institution_fields(institution))


def _summary(result):
    spec = result.spec
    nodes = [
        {
            "kind": str(kind_label(node.kind)),
            "number": node.number,
            "name": node.name,
            "weight": plain(node.weight),
            "index": shown,
            "depth": spec.kinds.index(node.kind),
        }
        for node, _index, shown in result.nodes
    ]
    bands = [
        {"rating": band.rating, "range": f"{display(band.min)} – {display(band.max)}"}
        for band in spec.bands
    ]
    return {"index": result.display, "rating": result.rating or "–", "nodes": nodes, "bands": bands}


def _evidence_by_indicator(cycle):
    """{indicator number: [{name, agency, title, sha256, sha_short, url}]} — exactly the
    files (and links) of the evidence package, under the same names."""
    by_number = defaultdict(list)
    for entry in package_entries(cycle):
        by_number[entry.indicator].append(
            {
                "name": entry.path.rsplit("/", 1)[-1] if entry.path else entry.title,
                "title": entry.title,
                "agency": entry.agency,
                "sha256": entry.sha256,
                "sha_short": entry.sha256[:SHORT_HASH],
                "url": entry.url,
                "is_link": not entry.path,
            }
        )
    return by_number


def _indicators(result, evidence):
    spec = result.spec
    rows = []
    for node in spec.indicators:
        decision = result.decisions.get(node.code)
        parent = spec.parents.get(node.code)
        level = decision.level if decision else None
        items = evidence.get(str(node.number), [])
        rows.append(
            {
                "number": node.number,
                "name": node.name,
                "aspect": f"{kind_label(parent.kind)} {parent.number}. {parent.name}"
                if parent
                else "",
                "level": level if level is not None else "–",
                "level_name": spec.level_name(node, level) if level is not None else "",
                "fakta": decision.fakta if decision else "",
                "analisis": decision.analisis if decision else "",
                "evidence": items,
                "evidence_text": "\n".join(_evidence_line(item) for item in items),
            }
        )
    return rows


def _evidence_line(item):
    if item["is_link"]:
        return f"{item['title']} ({item['agency']}): {item['url']}"
    return f"{item['name']} ({item['agency']}) SHA-256 {item['sha_short']}"


def _findings(cycle):
    """[{aspect, strengths, weaknesses, recommendations}] (texts), only the aspects with
    findings; [] while the followups app records none."""
    from followups.queries import findings_by_aspect

    rows = []
    for group in findings_by_aspect(cycle):
        if not group.count:
            continue
        aspect = group.aspect
        rows.append(
            {
                "aspect": f"{kind_label(aspect.kind)} {aspect.number}. {aspect.name}",
                "strengths": [finding.text for finding in group.strengths],
                "weaknesses": [finding.text for finding in group.weaknesses],
                "recommendations": [finding.text for finding in group.recommendations],
            }
        )
    return rows


def _follow_up(item):
    """A follow-up row; its description is "" when it only repeats the recommendation (the
    document prints that text once)."""
    recommendation = item.recommendation.text
    same = item.description.strip() == recommendation.strip()
    return {
        "recommendation": recommendation,
        "aspect": f"{kind_label(item.recommendation.aspect.kind)} "
        f"{item.recommendation.aspect.number}",
        "agency": item.agency.short_name,
        "agency_name": item.agency.name,
        "description": "" if same else item.description,
        "due_date_text": tanggal(item.due_date),
        "status": str(item.get_status_display()),
        "origin_year": item.cycle.year,
    }


def _follow_ups(cycle):
    from followups.queries import carried_follow_ups, follow_ups_of

    return (
        [_follow_up(item) for item in follow_ups_of(cycle)],
        [_follow_up(item) for item in carried_follow_ups(cycle)],
    )


def _steps(cycle, now):
    """The Mutu Baku record of the SOP steps: step, standard, actual, on time."""
    zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
    rows = []
    for line in step_lines(cycle, now=now):
        run, elapsed = line.run, line.elapsed
        actual, on_time = "–", "–"
        if elapsed is not None:
            actual = duration_text(elapsed.value, elapsed.unit)
            if run.status == StepRun.Status.DONE or elapsed.is_late:
                on_time = "Tidak" if elapsed.is_late else "Ya"
        running_note = ""
        if run.number == STEP and run.status != StepRun.Status.DONE:
            running_note = "diselesaikan dengan terbitnya dokumen ini"
        rows.append(
            {
                "number": run.number,
                "activity": run.step.activity,
                "standard": _standard_text(run.step.time_display),
                "actual": actual,
                "on_time": on_time,
                "state": str(line.state.label),
                "started": tanggal(run.started_at.astimezone(zone).date())
                if run.started_at
                else "",
                "finished": tanggal(run.finished_at.astimezone(zone).date())
                if run.finished_at
                else "",
                "note": line.note,
                "running_note": running_note,
                "output": run.output or run.step.output,
            }
        )
    return rows


MINUTES_LABEL = re.compile(r"^\s*(\d+)\s*menit\s*$", re.IGNORECASE)


def _standard_text(label):
    """A step's time standard as printed: an SOP's "180 menit" reads "3 jam" (as the actual
    times do, sops.durations.minutes_text); other words stay the SOP's own."""
    match = MINUTES_LABEL.match(label)
    return minutes_text(int(match.group(1))) if match else label


def sop_text(name):
    """ "SOP <name>", unless the SOP's name already says so."""
    return name if name.upper().startswith(("SOP", "STANDAR OPERASIONAL")) else f"SOP {name}"


def _signed_documents(cycle):
    """The signed letters and statements of the cycle: kind, number, date, signature."""
    rows = []
    letters = Letter.objects.filter(
        cycle=cycle, status__in=[Letter.Status.SIGNED, Letter.Status.DISPATCHED]
    ).select_related("agency")
    for letter in letters.order_by("letter_date", "pk"):
        title = str(letter.get_kind_display())
        if letter.agency_id:
            title += f" ({letter.agency.short_name})"
        rows.append(
            {
                "kind": title,
                "number": letter.number,
                "date": letter.letter_date,
                "date_text": tanggal(letter.letter_date),
                "signature": str(letter.get_signature_display()),
            }
        )
    statements = SignedReport.objects.filter(
        cycle=cycle,
        status=SignedReport.Status.SIGNED,
        kind__in=SignedReport.STATEMENT_KINDS,
    )
    for report in statements.order_by("report_date", "pk"):
        rows.append(
            {
                "kind": str(report.get_kind_display()),
                "number": report.number,
                "date": report.report_date,
                "date_text": tanggal(report.report_date),
                "signature": str(report.get_signature_display()),
            }
        )
    return rows


def evaluation_context(cycle, *, progress=None, now=None):
    """Everything the Dokumen Evaluasi prints, as plain data (the Word template sees the
    same dict, with `charts` as the markers of its pictures and without `comparison`, the
    charts' data). `progress(percent, step)` is told each stage. The
    placeholders are listed in EVALUATION_PLACEHOLDERS. A fixed number of queries whatever
    the number of OPDs and files."""
    now = now or timezone.now()
    report = progress or (lambda percent, step: None)
    with translation.override("id"):
        institution = cycle.institution
        assessment = find_assessment(cycle)
        report(5, "Menghitung indeks dan predikat")
        result = live_result(assessment)
        summary = _summary(result)
        report(10, "Menggambar grafik indeks")
        comparison = year_over_year(cycle)
        charts = chart_context(cycle, comparison=comparison)
        report(15, "Menyusun tingkat, penjelasan dan data dukung 47 indikator")
        indicators = _indicators(result, _evidence_by_indicator(cycle))
        report(25, "Menyusun kekuatan, kelemahan, rekomendasi dan tindak lanjut")
        findings = _findings(cycle)
        follow_ups, carried = _follow_ups(cycle)
        report(30, "Menyusun catatan Mutu Baku dan dokumen bertanda tangan")
        steps = _steps(cycle, now)
        signed = _signed_documents(cycle)
        today = institution.today(now)
        finalized = (
            tanggal(assessment.finalized_at.astimezone(zoneinfo.ZoneInfo(institution.time_zone)))
            if assessment.finalized_at
            else ""
        )
        return {
            **_institution(institution),
            "title": evaluation_title(cycle),
            "year": cycle.year,
            "cycle_name": cycle.name,
            "framework": cycle.framework.name,
            "sop": cycle.sop.name,
            "sop_text": sop_text(cycle.sop.name),
            "decree": decree_citation(cycle),
            "place": institution.city,
            "date": today,
            "date_text": tanggal(today),
            "place_date": f"{institution.city}, {tanggal(today)}"
            if institution.city
            else tanggal(today),
            "final": assessment.is_final,
            "finalized_text": finalized,
            **summary,
            "indicator_count": len(indicators),
            "evidence_count": sum(
                1 for row in indicators for item in row["evidence"] if not item["is_link"]
            ),
            "agency_count": cycle.agencies.count(),
            "indicators": indicators,
            "findings": findings,
            "follow_ups": follow_ups,
            "carried_follow_ups": carried,
            "steps": steps,
            "signed_documents": signed,
            "charts": charts,
            "comparison": comparison,
        }


# --- Building ----------------------------------------------------------------------------------


def generate_evaluation(cycle, *, by, job=None):
    """Build the Dokumen Evaluasi SPBE of a cycle whose result is final: the PDF (with its
    verification code) and the DOCX (the institution's Word template for "evaluation", else
    the shipped one), stored as the next versions of "reports.evaluation:<cycle pk>".

    The PDF prints the head of the institution's audit chain as it stands before the
    document's own events ("Rantai jejak audit: #seq hash"), anchoring the trail: a later
    change to an earlier event no longer matches the printed head (manage.py verify_audit).

    The document ends with its approval block ("Yang membuat" the head of Diskominfo,
    "Mengetahui" the Sekretaris Daerah, reports.evaluation_signing); once that is signed the
    document is frozen and a new build is refused.

    Returns [pdf Document, docx Document]. Side effects: the approval record on the first
    build (reports.evaluation_signing.prepare_evaluation_approval); two Documents (audit
    "document.generated" each); SOP step 8 finished with output "Dokumen Evaluasi SPBE"
    (audit "step.finished"; a no-op when it is already done); the coordinators notified,
    the leaders asked for their approval. With a GenerationJob, its progress follows each
    stage. Raises PermissionDenied, ValidationError (not final; already signed).
    """
    from reports import evaluation_signing

    if not can_generate_evaluation(by, cycle):
        raise PermissionDenied
    check_ready(cycle)
    evaluation_signing.check_not_signed(cycle)
    seq, head = chain_head(cycle.institution)
    record = evaluation_signing.prepare_evaluation_approval(cycle, by=by)

    def progress(percent, step):
        if job is not None:
            update_job(job, progress=percent, step=step)

    context = evaluation_context(cycle, progress=progress)
    context["approval"] = evaluation_signing.approval_context(record)
    context["audit_chain"] = {"seq": seq, "hash": head}
    common = {
        "institution": cycle.institution,
        "cycle": cycle,
        "kind": KIND,
        "source": evaluation_source(cycle),
        "title": evaluation_title(cycle),
        "by": by,
        # To be signed (reports.evaluation_signing): pending until the leader signs.
        "signature": (Document.Signature.PENDING, None),
    }
    with translation.override("id"):
        progress(40, "Membuat PDF Dokumen Evaluasi SPBE")
        pdf = generate_pdf(template_name=PDF_TEMPLATE, context=context, **common)
        progress(80, "Membuat versi Word (DOCX) dengan grafiknya")
        word_context = {
            key: value for key, value in context.items() if key not in ("charts", "comparison")
        }
        word_context["charts"] = CHART_MARKS
        word_context["verification"] = {"code": pdf.code, "url": verification_url(pdf.code)}
        content = render_docx_document(cycle.institution, KIND, word_context)
        content = insert_charts(content, chart_pngs(context["comparison"]))
        progress(95, "Menyimpan dokumen")
        with transaction.atomic():
            evaluation_signing.lock_unsigned(record)
            docx = store_document(format="docx", content=content, **common)
            finish_step(cycle, STEP, by=by, output=STEP_OUTPUT)
            evaluation_signing.notify_leaders(cycle, pdf.version)
            notify(
                role_holders(cycle, Role.COORDINATOR),
                key=f"evaluation:{cycle.pk}:v{pdf.version}",
                template=gettext_noop(
                    "Dokumen Evaluasi SPBE %(year)s versi %(version)s siap diunduh."
                ),
                params={"year": cycle.year, "version": pdf.version},
                url=reverse("evaluation", args=[cycle.pk]),
            )
    return [pdf, docx]


# The Word version's charts: the template prints each marker alone in a paragraph, which
# insert_charts replaces with the chart's picture (Word templates see plain text only, see
# documents.render.plain, so the pictures go in after rendering).
CHART_MARKS = {
    "aspect_radar": "[grafik: indeks per aspek]",
    "domain_bars": "[grafik: indeks per domain]",
}
CHART_WIDTH_CM = 15


def insert_charts(content, pngs):
    """The DOCX bytes `content` with each paragraph that holds only a CHART_MARKS marker
    replaced by that chart's picture (15 cm wide); a chart without a picture (no nodes of
    its kind) leaves an empty paragraph. Paragraphs in table cells are searched too."""
    document = docx.Document(io.BytesIO(content))
    marks = {mark: key for key, mark in CHART_MARKS.items()}
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        key = marks.get(paragraph.text.strip())
        if key is None:
            continue
        for run in paragraph.runs[1:]:
            run._element.getparent().remove(run._element)
        run = paragraph.runs[0] if paragraph.runs else paragraph.add_run()
        run.text = ""
        if pngs.get(key):
            run.add_picture(io.BytesIO(pngs[key]), width=Cm(CHART_WIDTH_CM))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def start_evaluation(cycle, *, by):
    """Queue the Dokumen Evaluasi build (reports.tasks.build_evaluation) and return its
    GenerationJob. Refused at once (ValidationError) while the result is not final, and
    while another build of it is still queued or running.

    Side effects: documents.jobs.start_job (a GenerationJob, audit "document.job_started",
    the task enqueued after commit); the task then runs generate_evaluation.
    """
    from reports.evaluation_signing import check_not_signed

    if not can_generate_evaluation(by, cycle):
        raise PermissionDenied
    check_ready(cycle)
    check_not_signed(cycle)
    return _start_once(cycle, KIND, by=by, task=build_evaluation)


def start_evidence_package(cycle, *, by):
    """Queue the evidence package build (reports.tasks.build_package, which runs
    evidence.package.build_evidence_package) and return its GenerationJob. Refused at once
    (ValidationError) when no answer carries a file yet, and while another package build of
    the cycle is queued or running. Side effects as start_evaluation."""
    if not can_generate_evaluation(by, cycle):
        raise PermissionDenied
    check_has_files(cycle)
    return _start_once(cycle, PACKAGE_KIND, by=by, task=build_package)


def _start_once(cycle, kind, *, by, task):
    """start_job unless a build of `kind` is queued or running; the cycle's row is locked
    from the check to the new job, so a double click starts one build (the task is
    enqueued after this transaction commits)."""
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        _check_not_running(cycle, kind)
        return start_job(institution=cycle.institution, cycle=cycle, kind=kind, by=by, task=task)


def _check_not_running(cycle, kind):
    running = GenerationJob.objects.filter(
        cycle=cycle,
        kind=kind,
        status__in=[GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING],
    )
    if running.exists():
        raise ValidationError(
            _("Dokumen ini sedang dibuat; tunggu sampai selesai."), code="running"
        )


# --- Reads for the page ------------------------------------------------------------------------


def latest_jobs(cycle):
    """{kind: the newest GenerationJob} of the Dokumen Evaluasi and of the package, with
    who asked and the documents made (at most four queries)."""
    jobs = {}
    for kind in (KIND, PACKAGE_KIND):
        job = (
            GenerationJob.objects.filter(cycle=cycle, kind=kind)
            .select_related("requested_by")
            .prefetch_related("documents")
            .first()
        )
        if job is not None:
            jobs[kind] = job
    return jobs


def evaluation_documents(cycle):
    """Every version of the Dokumen Evaluasi and of the package, newest first (one query)."""
    return Document.objects.filter(
        Q(source=evaluation_source(cycle)) | Q(source=package_source(cycle))
    ).select_related("generated_by")


def sample_evaluation_context():
    """What a Word template of the Dokumen Evaluasi sees, as sample data: the same keys as
    evaluation_context() without the charts (used to try an uploaded template)."""
    evidence = [
        {
            "name": "36.a.SK-Kepegawaian.pdf",
            "title": "SK Kepegawaian",
            "agency": "BKPSDM",
            "sha256": "3fa1c2d4e5b6" + "0" * 52,
            "sha_short": "3fa1c2d4e5b6",
            "url": "",
            "is_link": False,
        },
        {
            "name": "Portal SIMPEG",
            "title": "Portal SIMPEG",
            "agency": "BKPSDM",
            "sha256": "",
            "sha_short": "",
            "url": "https://simpeg.contoh.go.id",
            "is_link": True,
        },
    ]
    follow_up = {
        "recommendation": "Menyusun peta rencana SPBE.",
        "aspect": "Aspek 2",
        "agency": "Bappeda",
        "agency_name": "Badan Perencanaan Pembangunan Daerah",
        "description": "Menyusun dan menetapkan Peta Rencana SPBE.",
        "due_date_text": "30 Juni 2027",
        "status": "terbuka",
        "origin_year": 2026,
    }
    return {
        "institution": {
            "name": "Pemerintah Kota Contoh",
            "letterhead_lines": ["PEMERINTAH KOTA CONTOH", "DINAS KOMUNIKASI DAN INFORMATIKA"],
            "address": "Jalan Merdeka Nomor 1, Contoh 12345",
            "phone": "(0561) 000000",
            "email": "diskominfo@contoh.go.id",
            "website": "diskominfo.contoh.go.id",
            "city": "Contoh",
        },
        "letterhead_title": "PEMERINTAH KOTA CONTOH",
        "letterhead_rest": ["DINAS KOMUNIKASI DAN INFORMATIKA"],
        "contact_lines": ["Jalan Merdeka Nomor 1, Contoh 12345", "Telepon (0561) 000000"],
        "title": "Dokumen Evaluasi SPBE Pemerintah Kota Contoh Tahun 2026",
        "year": 2026,
        "cycle_name": "Monev SPBE 2026",
        "framework": "Evaluasi SPBE (PermenPANRB 59/2020)",
        "sop": "SOP Monitoring dan Evaluasi SPBE",
        "sop_text": "SOP Monitoring dan Evaluasi SPBE",
        "decree": "Keputusan Wali Kota Contoh Nomor 100/12/Tahun 2026 tentang Tim Koordinasi "
        "dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis Elektronik",
        "place": "Contoh",
        "date": datetime.date(2026, 11, 22),
        "date_text": "22 November 2026",
        "place_date": "Contoh, 22 November 2026",
        "final": True,
        "finalized_text": "20 November 2026",
        "index": "3.49",
        "rating": "Baik",
        "nodes": [
            {
                "kind": "Domain",
                "number": "1",
                "name": "Kebijakan Internal SPBE",
                "weight": "13",
                "index": "3.20",
                "depth": 0,
            },
            {
                "kind": "Aspek",
                "number": "1",
                "name": "Kebijakan Internal Tata Kelola SPBE",
                "weight": "13",
                "index": "3.20",
                "depth": 1,
            },
        ],
        "bands": [{"rating": "Baik", "range": "2.60 – 3.50"}],
        "indicator_count": 1,
        "evidence_count": 1,
        "agency_count": 1,
        "indicators": [
            {
                "number": "36",
                "name": "Tingkat Kematangan Layanan Kepegawaian",
                "aspect": "Aspek 7. Layanan Administrasi Pemerintahan Berbasis Elektronik",
                "level": 3,
                "level_name": "Terintegrasi",
                "fakta": "Aplikasi SIMPEG dipakai semua OPD.",
                "analisis": "Kriteria tingkat 3 terpenuhi.",
                "evidence": evidence,
                "evidence_text": "\n".join(_evidence_line(item) for item in evidence),
            }
        ],
        "findings": [
            {
                "aspect": "Aspek 2. Perencanaan Strategis SPBE",
                "strengths": ["Arsitektur SPBE sudah ditetapkan."],
                "weaknesses": ["Peta rencana belum ditetapkan."],
                "recommendations": ["Menyusun peta rencana SPBE."],
            }
        ],
        "follow_ups": [follow_up],
        "carried_follow_ups": [{**follow_up, "origin_year": 2025}],
        "steps": [
            {
                "number": 1,
                "activity": "Menyiapkan surat undangan",
                "standard": "3 hari kerja",
                "actual": "2 hari kerja",
                "on_time": "Ya",
                "state": "Selesai",
                "started": "3 November 2026",
                "finished": "5 November 2026",
                "note": "selesai 5 November 2026, 2 hari kerja",
                "running_note": "",
                "output": "surat",
            },
        ],
        "signed_documents": [
            {
                "kind": "Surat Undangan",
                "number": "005/12/DISKOMINFO/2026",
                "date": datetime.date(2026, 11, 3),
                "date_text": "3 November 2026",
                "signature": "persetujuan internal oleh penanda tangan",
            },
        ],
        "verification": {
            "code": "ABCDE23456",
            "url": "https://monev.contoh.go.id/verifikasi/ABCDE23456/",
        },
        "approval": {
            "maker": {
                "name": "Ir. Budi Santoso, M.T.",
                "title": "Kepala Dinas Komunikasi dan Informatika Kota Contoh",
                "nip": "197001011995031001",
            },
            "signer": {
                "name": "Dr. Siti Aminah, M.Si.",
                "title": "Sekretaris Daerah Kota Contoh selaku Koordinator SPBE",
                "nip": "196805121990032002",
            },
        },
        "charts": CHART_MARKS,
    }
