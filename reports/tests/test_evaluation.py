"""The Dokumen Evaluasi SPBE: what it says (PDF and DOCX read back), the background job,
SOP step 8."""

import datetime
import io
import re
import zipfile

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments.queries import find_assessment, live_result
from audit.chain import chain_head, verify_chain
from audit.models import AuditEvent
from cycles import services as cycle_services
from cycles.models import StepRun
from documents.models import Document, GenerationJob
from evidence import services as evidence_services
from evidence.models import EvidenceRevision
from evidence.tests.helpers import pdf_bytes, upload
from followups import services as followup_services
from reports import evaluation
from submissions import services as submission_services

# A fixed level for each of the 47 indicators, in tree order (index 2.99, "Baik").
LEVELS = [(number * 7) % 5 + 1 for number in range(47)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def indicators(framework):
    return list(framework.nodes.filter(children__isnull=True).order_by("position"))


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency, agency_user, indicators):
    """Step 4 running; BKPSDM answers indicators 1 and 2, Dinkes answers 2 and 3."""
    first, second, third = indicators[:3]
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={first: [agency], second: [agency, other_agency], third: [other_agency]},
    )
    with transaction.atomic():
        for number in (1, 2, 3):
            cycle_services.finish_step(cycle, number, by=coordinator)
        cycle_services.start_step(cycle, 4, by=coordinator)
    return cycle


@pytest.fixture
def decided(cycle, indicators, agency_user, coordinator, evaluator):
    """BKPSDM's answer to indicator 1 with one file, accepted; every indicator decided."""
    submission = submission_services.save_draft(
        cycle,
        indicators[0],
        agency_user.memberships.get().agency,
        by=agency_user,
        level=3,
        fakta="Perwa 12/2024.",
        analisis="Terpenuhi.",
        version=0,
    )
    evidence_services.add_file_evidence(
        cycle,
        submission.agency,
        by=agency_user,
        uploaded_file=upload("perwa.pdf", pdf_bytes(1)),
        title="Perwa Arsitektur SPBE",
        submission=submission,
    )
    submission_services.submit_submission(submission, by=agency_user)
    submission_services.accept_submission(submission, by=coordinator)
    for indicator, level in zip(indicators, LEVELS, strict=True):
        assessment_services.set_decision(
            cycle,
            indicator,
            by=evaluator,
            level=level,
            fakta=f"Fakta indikator {indicator.number}.",
            analisis=f"Analisis indikator {indicator.number}.",
        )
    return cycle


@pytest.fixture
def final(decided, coordinator):
    assessment_services.finalize_assessment(find_assessment(decided), by=coordinator)
    return decided


FOLDER = "1. Kebijakan Internal Arsitektur SPBE Instansi Pusat-Pemerintah"


def headline(result):
    return (
        f"Indeks SPBE hasil evaluasi mandiri adalah {result.display} dengan predikat "
        f"{result.rating}"
    )


def pdf_text(document):
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def docx_text(document):
    with document.file.open("rb") as handle:
        word = docx.Document(io.BytesIO(handle.read()))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


# --- What it says ----------------------------------------------------------------------------


def test_the_context_holds_the_result_every_indicator_and_the_evidence(final):
    context = evaluation.evaluation_context(final)
    result = live_result(find_assessment(final))
    assert context["title"] == "Dokumen Evaluasi SPBE Pemerintah Kota Pontianak Tahun 2026"
    assert (context["index"], context["rating"]) == (result.display, result.rating)
    assert len(context["indicators"]) == 47
    first = context["indicators"][0]
    revision = EvidenceRevision.objects.get()
    assert first["level"] == LEVELS[0]
    assert first["fakta"] == "Fakta indikator 1."
    assert first["evidence"] == [
        {
            "name": "1.a.Perwa-Arsitektur-SPBE.pdf",
            "title": "Perwa Arsitektur SPBE",
            "agency": "BKPSDM",
            "sha256": revision.sha256,
            "sha_short": revision.sha256[:12],
            "url": "",
            "is_link": False,
        }
    ]
    assert [row["number"] for row in context["steps"]] == list(range(1, 9))
    assert context["steps"][0]["on_time"] == "Ya"
    assert context["steps"][7]["running_note"] == "diselesaikan dengan terbitnya dokumen ini"
    assert context["charts"]["aspect_radar"].startswith("<svg")


def test_generate_evaluation_writes_the_pdf_and_the_docx(final, coordinator):
    pdf, word = evaluation.generate_evaluation(final, by=coordinator)
    assert (pdf.kind, pdf.format, pdf.version, word.format) == ("evaluation", "pdf", 1, "docx")
    assert pdf.source == word.source == f"reports.evaluation:{final.pk}"
    assert pdf.title == "Dokumen Evaluasi SPBE Pemerintah Kota Pontianak Tahun 2026"
    result = live_result(find_assessment(final))
    text, pages = pdf_text(pdf)
    flat = " ".join(text.split())
    assert "PEMERINTAH KOTA PONTIANAK" in text
    assert "DOKUMEN EVALUASI SPBE" in text
    assert headline(result) in flat
    assert "Tingkat Kematangan Layanan Kepegawaian" in flat
    assert "1.a.Perwa-Arsitektur-SPBE.pdf (BKPSDM)" in flat
    assert EvidenceRevision.objects.get().sha256[:12] in flat
    assert "CATATAN MUTU BAKU" in text
    assert f"Kode verifikasi: {pdf.code}" in flat
    assert pages > 5

    words = docx_text(word)
    assert "Pemerintah Kota Pontianak" in words
    assert headline(result) in words
    assert "Tingkat Kematangan Layanan Kepegawaian" in words
    assert f"kode verifikasi {pdf.code}" in words


def test_the_pdf_prints_numbers_the_indonesian_way_whatever_the_readers_language(
    final, coordinator
):
    with translation.override("en"):
        pdf, word = evaluation.generate_evaluation(final, by=coordinator)
    result = live_result(find_assessment(final))

    for text in (pdf_text(pdf)[0], docx_text(word)):
        flat = " ".join(text.replace(" | ", " ").split())  # Word table cells as PDF text
        with translation.override("id"):
            assert headline(result) in flat
        assert re.search(r"Indeks SPBE hasil evaluasi mandiri adalah \d,\d\d dengan", flat)
        # Domain weights 16,5 and 45,5 and the band limits, with the decimal comma.
        assert "Manajemen SPBE 16,5" in flat
        assert "Layanan SPBE 45,5" in flat
        assert "2,60 – 3,50" in flat
        # No decimal point between digits anywhere (an IP address or 1.a.Berkas is not one).
        assert re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", flat) == []


def test_findings_and_follow_ups_are_printed(final, coordinator, agency, framework):
    aspect = framework.nodes.get(code="A2")
    followup_services.add_finding(
        final,
        by=coordinator,
        aspect=aspect,
        kind="kekuatan",
        text="Arsitektur SPBE sudah ditetapkan.",
    )
    recommendation = followup_services.add_finding(
        final, by=coordinator, aspect=aspect, kind="rekomendasi", text="Tetapkan peta rencana SPBE."
    )
    followup_services.create_follow_up(
        recommendation,
        by=coordinator,
        agency=agency,
        due_date=timezone.localdate() + datetime.timedelta(days=90),
        description="Menyusun Perwa Peta Rencana SPBE.",
    )
    pdf, word = evaluation.generate_evaluation(final, by=coordinator)
    flat = " ".join(pdf_text(pdf)[0].split())
    assert "Aspek 2. Perencanaan Strategis SPBE" in flat
    assert "Arsitektur SPBE sudah ditetapkan." in flat
    assert "Tetapkan peta rencana SPBE." in flat
    assert "Menyusun Perwa Peta Rencana SPBE." in flat
    words = docx_text(word)
    assert "Arsitektur SPBE sudah ditetapkan." in words
    assert "Menyusun Perwa Peta Rencana SPBE." in words


def test_the_pdf_prints_the_audit_chain_head_at_its_generation(final, coordinator):
    seq, head = chain_head(final.institution)
    pdf, _word = evaluation.generate_evaluation(final, by=coordinator)
    flat = " ".join(pdf_text(pdf)[0].split())
    assert f"Rantai jejak audit: #{seq} {head}" in flat
    # The document's own events (its approval record prepared on the first build, stored,
    # step 8 finished) come after the printed head.
    after = AuditEvent.objects.filter(institution=final.institution, seq__gt=seq)
    assert list(after.order_by("seq").values_list("action", flat=True)) == [
        "report.prepared",
        "document.generated",
        "document.generated",
        "step.finished",
    ]
    assert verify_chain(final.institution_id).ok


def test_the_document_needs_a_final_result(decided, coordinator):
    with pytest.raises(ValidationError) as caught:
        evaluation.generate_evaluation(decided, by=coordinator)
    assert caught.value.messages == [
        "Hasil evaluasi mandiri belum final. Finalkan hasilnya di halaman Hasil Evaluasi "
        "Mandiri, lalu buat Dokumen Evaluasi SPBE."
    ]
    with pytest.raises(ValidationError):
        evaluation.start_evaluation(decided, by=coordinator)
    assert GenerationJob.objects.count() == 0
    assert Document.objects.count() == 0


@pytest.mark.parametrize("persona", ["evaluator", "leader", "agency_user", "outsider"])
def test_only_the_coordinator_generates(request, final, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        evaluation.start_evaluation(final, by=user)
    with pytest.raises(PermissionDenied):
        evaluation.start_evidence_package(final, by=user)


# --- The job and the step clock ----------------------------------------------------------------


def test_the_job_runs_to_done_with_both_documents_and_finishes_step_8(
    final, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = evaluation.start_evaluation(final, by=coordinator)
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    assert job.started_at is not None and job.finished_at is not None
    assert sorted(job.documents.values_list("format", flat=True)) == ["docx", "pdf"]
    run = StepRun.objects.get(cycle=final, number=8)
    assert (run.status, run.output, run.finished_by) == (
        "done",
        "Dokumen Evaluasi SPBE",
        coordinator,
    )


def test_progress_moves_through_the_stages(final, coordinator, monkeypatch):
    seen = []
    from reports import evaluation as module

    real = module.update_job

    def spy(job, *, progress, step):
        seen.append((progress, step))
        real(job, progress=progress, step=step)

    monkeypatch.setattr(module, "update_job", spy)
    job = GenerationJob.objects.create(
        institution=final.institution, cycle=final, kind="evaluation", requested_by=coordinator
    )
    evaluation.generate_evaluation(final, by=coordinator, job=job)
    percents = [percent for percent, _step in seen]
    assert percents == sorted(percents)
    assert seen[-1] == (95, "Menyimpan dokumen")
    assert (40, "Membuat PDF Dokumen Evaluasi SPBE") in seen


def test_a_failure_is_recorded_with_a_readable_error(
    final, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = evaluation.start_evaluation(final, by=coordinator)
    # The result is reopened before the worker gets to the job.
    assessment_services.reopen_assessment(
        find_assessment(final), by=coordinator, reason="Koreksi indikator 5."
    )
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == (
        "Hasil evaluasi mandiri belum final. Finalkan hasilnya di halaman Hasil Evaluasi "
        "Mandiri, lalu buat Dokumen Evaluasi SPBE."
    )
    assert job.documents.count() == 0
    assert StepRun.objects.get(cycle=final, number=8).status != "done"


def test_a_second_build_waits_for_the_first(final, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        evaluation.start_evaluation(final, by=coordinator)
    with pytest.raises(ValidationError) as caught:
        evaluation.start_evaluation(final, by=coordinator)
    assert caught.value.messages == ["Dokumen ini sedang dibuat; tunggu sampai selesai."]


def test_a_new_version_keeps_the_first_and_step_8_keeps_its_first_finish(final, coordinator):
    evaluation.generate_evaluation(final, by=coordinator)
    finished = StepRun.objects.get(cycle=final, number=8).finished_at
    pdf, word = evaluation.generate_evaluation(final, by=coordinator)
    assert (pdf.version, word.version) == (2, 2)
    assert StepRun.objects.get(cycle=final, number=8).finished_at == finished
    assert Document.objects.filter(kind="evaluation").count() == 4


def test_the_package_job_stores_the_zip_with_progress(
    final, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = evaluation.start_evidence_package(final, by=coordinator)
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    (document,) = job.documents.all()
    assert (document.kind, document.format) == ("evidence_package", "zip")
    with document.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert f"{FOLDER}/1.a.Perwa-Arsitektur-SPBE.pdf" in names
    assert "MANIFEST.csv" in names


def test_the_docx_kind_is_registered_with_a_usable_default_template():
    from documents import kinds
    from documents.render import check_docx_template

    kind = kinds.get("evaluation")
    assert str(kind.label) == "Dokumen Evaluasi SPBE"
    assert (
        check_docx_template(kind.default_template.read_bytes(), context=kind.sample_context()) == []
    )
