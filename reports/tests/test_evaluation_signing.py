"""The Dokumen Evaluasi SPBE as an official document: its closing signature block, the
verification code on every page, its Word version with the charts, and its approval (internal
or an uploaded TTE PDF) after which it is frozen."""

import datetime
import hashlib
import io
import shutil

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from audit.models import AuditEvent
from cycles.models import Cycle
from documents.models import Document
from documents.verification import verification_url
from reports import evaluation, evaluation_signing, queries, services
from reports.charts_png import chart_pngs
from reports.models import SignedReport
from reports.tests.conftest import KADIS, KADIS_NIP, SEKDA, SEKDA_NIP, pdf_upload


@pytest.fixture
def built(final, coordinator, people):
    """The first build: [pdf, docx]."""
    return evaluation.generate_evaluation(final, by=coordinator)


@pytest.fixture
def record(built, final):
    return evaluation_signing.evaluation_record(final)


def flat(text):
    return " ".join(text.split())


def pages(document):
    with document.file.open("rb") as handle:
        return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(handle.read())).pages]


def test_the_pdf_ends_with_the_signature_block_with_both_nip(built):
    pdf, _word = built
    last = pages(pdf)[-1]
    assert f"Mengetahui, Sekretaris Daerah Kota Pontianak, {SEKDA} NIP. {SEKDA_NIP}" in last, last
    assert (
        "Yang membuat, Kepala Dinas Komunikasi dan Informatika Kota Pontianak, "
        f"{KADIS} NIP. {KADIS_NIP}"
    ) in last


def test_every_page_carries_the_verification_code_in_its_footer(built):
    pdf, _word = built
    line = f"Dokumen ini dapat diverifikasi di {verification_url(pdf.code)} dengan kode {pdf.code}"
    texts = pages(pdf)
    assert len(texts) > 5
    assert [number for number, text in enumerate(texts, 1) if line not in text] == []


def test_the_texts_read_as_a_reviewer_would(built):
    pdf, _word = built
    texts = pages(pdf)
    whole = " ".join(texts)
    assert "dilaksanakan menurut" not in whole
    assert (
        "Tahun 2026 dilaksanakan sesuai SOP Monitoring dan Evaluasi SPBE dan menggunakan kerangka"
        in whole
    )
    assert "…" not in whole


def test_a_standard_in_minutes_reads_in_hours():
    with translation.override("id"):
        assert evaluation._standard_text("180 menit") == "3 jam"
        assert evaluation._standard_text("1120 menit") == "18 jam 40 menit"
        assert evaluation._standard_text("45 Menit") == "45 menit"
        assert evaluation._standard_text("1 - 2 minggu") == "1 - 2 minggu"


def test_the_names_come_from_the_berita_acara_when_it_exists(final, coordinator, people, meeting):
    report = services.prepare_report(final, by=coordinator, kind=SignedReport.Kind.BERITA_ACARA)
    services.update_report(report, by=coordinator, maker_name="Hendra, S.Kom.", maker_nip="1980")
    evaluation.generate_evaluation(final, by=coordinator)
    record = evaluation_signing.evaluation_record(final)
    assert (record.status, record.number) == (SignedReport.Status.DRAFT, "")
    assert (record.maker_name, record.maker_nip) == ("Hendra, S.Kom.", "1980")
    assert (record.signer_name, record.signer_nip) == (SEKDA, SEKDA_NIP)
    # The report list keeps its two statements.
    assert [kind for kind, _report in queries.reports_of(final)] == list(
        SignedReport.STATEMENT_KINDS
    )


def test_the_word_version_has_the_charts_as_pictures_and_the_signatures(built):
    _pdf, word = built
    with word.file.open("rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    assert len(document.inline_shapes) == 2
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "[grafik:" not in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("Mengetahui,\nSekretaris Daerah Kota Pontianak," in cell for cell in cells)
    assert any(f"{SEKDA}\nNIP. {SEKDA_NIP}" in cell for cell in cells)
    assert any("Yang membuat,\nKepala Dinas" in cell and KADIS_NIP in cell for cell in cells)


def test_the_chart_pictures_are_png(final):
    from assessments.queries import year_over_year

    pngs = chart_pngs(year_over_year(final))
    assert sorted(pngs) == ["aspect_radar", "domain_bars"]
    assert all(png.startswith(b"\x89PNG\r\n") for png in pngs.values())


def test_the_leader_signs_by_internal_approval_and_the_document_is_frozen(
    record, final, coordinator, leader
):
    pdf = Document.objects.filter(source=evaluation.evaluation_source(final), format="pdf").get()
    evaluation_signing.sign_evaluation(record, by=leader, internal_approval=True)
    record.refresh_from_db()
    assert (record.status, record.signature, record.signed_by) == (
        SignedReport.Status.SIGNED,
        SignedReport.Signature.INTERNAL,
        leader,
    )
    assert (record.content["pdf"], record.content["pdf_sha256"]) == (pdf.pk, pdf.sha256)
    pdf.refresh_from_db()
    assert pdf.signature == Document.Signature.INTERNAL
    event = AuditEvent.objects.filter(action="report.signed").get()
    assert event.after["signer"] == SEKDA
    with pytest.raises(ValidationError) as refused:
        evaluation.generate_evaluation(final, by=coordinator)
    assert refused.value.code == "signed"
    assert refused.value.messages[0].startswith("Dokumen Evaluasi SPBE sudah ditandatangani pada")
    with pytest.raises(ValidationError):
        evaluation.start_evaluation(final, by=coordinator)
    assert Document.objects.filter(source=evaluation.evaluation_source(final)).count() == 2


def test_the_signed_version_is_downloaded_as_stored(client, record, final, leader, coordinator):
    evaluation_signing.sign_evaluation(record, by=leader, internal_approval=True)
    stored = Document.objects.get(pk=record.content["pdf"])
    client.force_login(coordinator)
    response = client.get(reverse("evaluation_download", args=[final.pk, "pdf"]))
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == stored.sha256
    assert response["Content-Disposition"] == (
        'attachment; filename="dokumen-evaluasi-spbe-2026.pdf"'
    )
    page = client.get(reverse("evaluation", args=[final.pk])).content.decode()
    assert "Dokumen Evaluasi SPBE sudah ditandatangani dan tidak dibuat ulang." in page
    assert reverse("evaluation_generate", args=[final.pk]) not in page


def test_an_upload_must_be_a_pdf(record, secretariat):
    fake = SimpleUploadedFile("ttd.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        evaluation_signing.sign_evaluation(record, by=secretariat, signed_pdf=fake)
    assert refused.value.messages == ["Berkas tanda tangan harus PDF."]
    record.refresh_from_db()
    assert record.status == SignedReport.Status.DRAFT


def test_the_secretariat_uploads_the_tte_pdf(client, record, final, secretariat):
    upload = pdf_upload("dokumen-evaluasi-ttd.pdf")
    expected = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    evaluation_signing.sign_evaluation(record, by=secretariat, signed_pdf=upload)
    record.refresh_from_db()
    assert (record.signature, record.signed_file_sha256) == (
        SignedReport.Signature.UPLOAD,
        expected,
    )
    client.force_login(secretariat)
    response = client.get(reverse("evaluation_signed_file", args=[final.pk]))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == expected


def test_a_non_pdf_upload_through_the_page_says_why(client, record, final, leader):
    client.force_login(leader)
    fake = SimpleUploadedFile("ttd.pdf", b"GIF89a....", content_type="application/pdf")
    response = client.post(
        reverse("evaluation_upload", args=[final.pk]),
        {"signed_pdf": fake, "confirmed": "yes"},
        follow=True,
    )
    assert "Berkas tanda tangan harus PDF." in response.content.decode()
    record.refresh_from_db()
    assert record.status == SignedReport.Status.DRAFT


def test_the_leader_approves_through_the_page(client, record, final, leader):
    client.force_login(leader)
    response = client.post(reverse("evaluation_approve", args=[final.pk]), {"confirm": "on"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_signed


def test_names_changed_after_the_build_must_be_built_again(record, final, coordinator, leader):
    services.update_report(record, by=coordinator, signer_nip="196805121990032099")
    with pytest.raises(ValidationError) as refused:
        evaluation_signing.sign_evaluation(record, by=leader, internal_approval=True)
    assert refused.value.code == "stale"
    evaluation.generate_evaluation(final, by=coordinator)
    record.refresh_from_db()
    evaluation_signing.sign_evaluation(record, by=leader, internal_approval=True)
    assert record.is_signed
    # Only the version signed (the second) is marked signed.
    versions = Document.objects.filter(source=evaluation.evaluation_source(final), format="pdf")
    assert sorted(versions.values_list("version", "signature")) == [(1, "pending"), (2, "internal")]


@pytest.mark.parametrize("persona", ["coordinator", "evaluator", "supervisor"])
def test_only_the_leader_approves(request, record, persona):
    with pytest.raises(PermissionDenied):
        evaluation_signing.sign_evaluation(
            record, by=request.getfixturevalue(persona), internal_approval=True
        )


def test_the_coordinator_cannot_upload(record, coordinator):
    with pytest.raises(PermissionDenied):
        evaluation_signing.sign_evaluation(record, by=coordinator, signed_pdf=pdf_upload())


@pytest.mark.parametrize("persona", ["outsider", "agency_user"])
def test_other_institution_and_opd_operators_get_404(client, record, final, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("evaluation", args=[final.pk]),
        reverse("evaluation_download", args=[final.pk, "pdf"]),
        reverse("evaluation_signed_file", args=[final.pk]),
    ):
        assert client.get(url).status_code == 404
    for name in ("evaluation_approve", "evaluation_upload", "evaluation_approval_edit"):
        assert client.post(reverse(name, args=[final.pk])).status_code == 404
    record.refresh_from_db()
    assert record.status == SignedReport.Status.DRAFT


DECREE = (
    "Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim Koordinasi dan "
    "Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis Elektronik"
)


def confirm_team_decree(cycle, by):
    from cycles import team
    from cycles.models import TeamMember

    decree = team.save_decree(
        cycle,
        by=by,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2020",
        date=datetime.date(2020, 1, 2),
        title="Tim Koordinasi dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan "
        "Berbasis Elektronik",
    )
    team.add_member(
        decree,
        by=by,
        role=TeamMember.Role.KETUA,
        group=TeamMember.Group.COORDINATION,
        name=SEKDA,
    )
    team.confirm_decree(decree, by=by)


def test_the_dokumen_evaluasi_cites_the_team_decree_in_its_basis(final, coordinator, people):
    confirm_team_decree(final, coordinator)
    pdf, word = evaluation.generate_evaluation(Cycle.objects.get(pk=final.pk), by=coordinator)
    assert f"3. {DECREE}." in pages(pdf)[1]
    with word.file.open("rb") as handle:
        paragraphs = [p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs]
    assert f"3.\t{DECREE}." in paragraphs


def test_without_a_decree_the_basis_has_two_points(built):
    pdf, _word = built
    assert (
        "2. Standar operasional prosedur: SOP Monitoring dan Evaluasi SPBE. Hasil"
        in (pages(pdf)[1])
    )


def test_the_berita_acara_cites_the_team_decree(final, meeting, coordinator, secretariat):
    confirm_team_decree(final, coordinator)
    cycle = Cycle.objects.get(pk=final.pk)
    report = services.prepare_report(cycle, by=coordinator, kind=SignedReport.Kind.BERITA_ACARA)
    services.number_report(report, by=secretariat)
    assert report.content["decree"] == DECREE
    pdf = services.report_document(report, by=coordinator, format="pdf")
    assert f"Berdasarkan {DECREE}, rapat koordinasi telah membahas" in " ".join(pages(pdf))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
def test_the_word_version_with_its_charts_converts_in_libreoffice(built, tmp_path):
    from monev.tests.test_libreoffice import convert, text_of

    _pdf, word = built
    with word.file.open("rb") as handle:
        converted = convert({"dokumen-evaluasi.docx": handle.read()}, tmp_path)
    text = " ".join(text_of(converted["dokumen-evaluasi.docx"]).split())
    assert f"Mengetahui, Sekretaris Daerah Kota Pontianak, {SEKDA} NIP. {SEKDA_NIP}" in text


def test_the_leaders_are_asked_and_their_request_is_settled_by_the_signature(
    record, final, leader, coordinator
):
    from notifications.models import Notification

    asked = Notification.objects.get(user=leader)
    assert (asked.key, asked.read_at) == (f"evaluation:{final.pk}:approval:v1", None)
    evaluation_signing.sign_evaluation(record, by=leader, internal_approval=True)
    asked.refresh_from_db()
    assert asked.read_at is not None
    told = Notification.objects.get(user=coordinator, key=f"evaluation:{final.pk}:signed")
    assert told.params == {"year": 2026}
