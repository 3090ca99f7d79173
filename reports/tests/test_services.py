import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument
from pypdf import PdfReader

from assessments import services as assessment_services
from audit.models import AuditEvent
from cycles.models import StepRun
from documents.models import Document
from letters import services as letter_services
from letters.models import Letter
from notifications.models import Notification
from reports import services
from reports.models import SignedReport
from reports.tests.conftest import PLACE, pdf_upload

BA = SignedReport.Kind.BERITA_ACARA
CONSENT = SignedReport.Kind.PUBLICATION_CONSENT
LEADER_TITLE = "Sekretaris Daerah Kota Pontianak selaku Koordinator SPBE"


def number_of(institution, seq):
    return f"005/{seq}/DISKOMINFO/{institution.today().year}"


def actions(target):
    return list(
        AuditEvent.objects.filter(target=f"reports.signedreport:{target.pk}")
        .order_by("id")
        .values_list("action", flat=True)
    )


def step(cycle, number):
    return StepRun.objects.get(cycle=cycle, number=number)


def pdf_text(document):
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


# --- prepare_report -------------------------------------------------------------------------


def test_prepare_report_refused_until_the_result_is_final(decided, coordinator):
    with pytest.raises(ValidationError) as error:
        services.prepare_report(decided, by=coordinator, kind=BA)
    assert error.value.messages == [
        "Hasil evaluasi mandiri belum final. Finalkan hasil evaluasi pada rapat koordinasi "
        "sebelum menyiapkan Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE."
    ]
    assert not SignedReport.objects.exists()


@pytest.mark.parametrize("persona", ["secretariat", "leader", "evaluator", "agency_user"])
def test_prepare_report_is_the_coordinators_job(final, persona, request):
    with pytest.raises(PermissionDenied):
        services.prepare_report(final, by=request.getfixturevalue(persona), kind=BA)


def test_prepare_report_refused_to_another_institution(final, outsider):
    with pytest.raises(PermissionDenied):
        services.prepare_report(final, by=outsider, kind=BA)


def test_prepare_report_drafts_with_defaults_and_starts_step_7(final, meeting, coordinator):
    report = services.prepare_report(final, by=coordinator, kind=BA)

    assert report.status == SignedReport.Status.DRAFT
    assert report.number == ""
    assert report.place == PLACE
    assert (report.signer_name, report.signer_title, report.signer_nip) == (
        "Sekretaris Daerah",
        LEADER_TITLE,
        "",
    )
    assert (report.maker_name, report.maker_title) == (
        "[Nama Kepala Dinas Komunikasi dan Informatika]",
        "Kepala Dinas Komunikasi dan Informatika Kota Pontianak",
    )
    assert report.created_by == coordinator
    assert actions(report) == ["report.prepared"]
    assert step(final, 6).status == StepRun.Status.DONE
    assert step(final, 7).status == StepRun.Status.RUNNING
    assert step(final, 7).holder == coordinator


def test_prepare_report_without_meeting_takes_the_city_and_institution_signer(
    final, coordinator, institution
):
    institution.signer_name = "Drs. Hendri Kurniawan, M.Si."
    institution.signer_title = "Kepala Dinas Komunikasi dan Informatika Kota Pontianak"
    institution.signer_nip = "19700505 199803 1 004"
    institution.save()
    report = services.prepare_report(final, by=coordinator, kind=BA)
    assert report.place == "Pontianak"
    assert (report.maker_name, report.maker_nip) == (
        "Drs. Hendri Kurniawan, M.Si.",
        "19700505 199803 1 004",
    )


def test_prepare_report_takes_the_leaders_position_and_nip(final, coordinator, leader):
    leader.position = "Sekretaris Daerah Kota Pontianak"
    leader.nip = "19690101 199001 1 001"
    leader.save()
    report = services.prepare_report(final, by=coordinator, kind=CONSENT)
    assert (report.signer_name, report.signer_title, report.signer_nip) == (
        "Sekretaris Daerah",
        "Sekretaris Daerah Kota Pontianak",
        "19690101 199001 1 001",
    )
    assert (report.maker_name, report.maker_title) == ("", "")


def test_prepare_report_once_per_kind(berita_acara, coordinator):
    with pytest.raises(ValidationError) as error:
        services.prepare_report(berita_acara.cycle, by=coordinator, kind=BA)
    assert error.value.messages == [
        "Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE periode ini sudah dibuat."
    ]
    consent = services.prepare_report(berita_acara.cycle, by=coordinator, kind=CONSENT)
    assert consent.kind == CONSENT


# --- update_report --------------------------------------------------------------------------


def test_update_report_corrects_a_draft(berita_acara, coordinator):
    services.update_report(
        berita_acara,
        by=coordinator,
        signer_name="Ir. Mulyadi, M.T.",
        signer_nip=" 19700101 199503 1 001 ",
        place=PLACE,
    )
    berita_acara.refresh_from_db()
    assert (berita_acara.signer_name, berita_acara.signer_nip) == (
        "Ir. Mulyadi, M.T.",
        "19700101 199503 1 001",
    )
    event = AuditEvent.objects.get(action="report.updated")
    assert event.before == {"signer_name": "Sekretaris Daerah", "signer_nip": ""}
    assert event.after == {
        "signer_name": "Ir. Mulyadi, M.T.",
        "signer_nip": "19700101 199503 1 001",
    }


def test_update_report_requires_signer_and_place(berita_acara, coordinator):
    with pytest.raises(ValidationError) as error:
        services.update_report(berita_acara, by=coordinator, place=" ", signer_name="")
    assert error.value.messages == ["Lengkapi tempat, nama penanda tangan."]


def test_update_report_refused_once_numbered(numbered, coordinator, secretariat):
    with pytest.raises(ValidationError) as error:
        services.update_report(numbered, by=coordinator, place="Aula")
    assert error.value.messages == ["Dokumen yang sudah bernomor tidak dapat diubah."]
    with pytest.raises(PermissionDenied):
        services.update_report(numbered, by=secretariat, place="Aula")


# --- number_report --------------------------------------------------------------------------


def test_number_report_takes_the_letter_sequence_and_freezes_the_content(
    berita_acara, secretariat, institution
):
    report = services.number_report(berita_acara, by=secretariat)
    report.refresh_from_db()

    assert report.status == SignedReport.Status.NUMBERED
    assert report.number == number_of(institution, 1)
    assert report.sequence == 1
    assert report.report_date == institution.today()
    assert (report.content["index"], report.content["display"], report.content["rating"]) == (
        "2.970",
        "2.97",
        "Baik",
    )
    assert report.content["participants"] == [
        {"name": "Sekretaris Daerah", "position": "Setda", "unit": ""},
        {"name": "dr. Andi Saputra", "position": "Sekretaris", "unit": "Dinas Kesehatan"},
    ]
    assert report.content["nodes"][:2] == [
        {"kind": "Domain", "number": "1", "name": "Kebijakan Internal SPBE", "display": "3.00",
         "depth": 0},
        {"kind": "Aspek", "number": "1", "name": "Kebijakan Internal Tata Kelola SPBE",
         "display": "3.00", "depth": 1},
    ]  # fmt: skip
    assert actions(report) == ["report.prepared", "report.numbered"]
    event = AuditEvent.objects.get(action="report.numbered")
    assert event.after == {
        "status": "numbered",
        "number": number_of(institution, 1),
        "date": institution.today().isoformat(),
        "index": "2.970",
        "rating": "Baik",
        "participants": 2,
    }


def test_a_letter_numbered_after_the_berita_acara_gets_the_next_number(
    berita_acara, consent, secretariat, coordinator, supervisor, institution
):
    services.number_report(berita_acara, by=secretariat)
    invitation, _request = letter_services.draft_cycle_letters(berita_acara.cycle, by=coordinator)
    letter_services.submit_letter(invitation, by=coordinator)
    letter_services.dispose_letter(invitation, by=supervisor, approve=True)
    letter = letter_services.number_letter(invitation, by=secretariat)
    services.number_report(consent, by=coordinator)  # the coordinator may number too

    assert Letter.objects.get(pk=letter.pk).number == number_of(institution, 2)
    assert SignedReport.objects.get(pk=consent.pk).number == number_of(institution, 3)


def test_number_report_once(numbered, secretariat):
    with pytest.raises(ValidationError) as error:
        services.number_report(numbered, by=secretariat)
    assert error.value.messages == ["Dokumen ini sudah bernomor."]


def test_number_report_refused_after_the_result_was_reopened(berita_acara, coordinator):
    assessment_services.reopen_assessment(
        berita_acara.cycle.assessment, by=coordinator, reason="Koreksi indikator 3."
    )
    with pytest.raises(ValidationError) as error:
        services.number_report(berita_acara, by=coordinator)
    assert error.value.messages == [
        "Hasil evaluasi mandiri dibuka kembali; finalkan lagi sebelum memberi nomor."
    ]
    assert SignedReport.objects.get(pk=berita_acara.pk).status == SignedReport.Status.DRAFT


@pytest.mark.parametrize("persona", ["leader", "evaluator", "supervisor"])
def test_number_report_is_the_secretariats_or_coordinators_job(berita_acara, persona, request):
    with pytest.raises(PermissionDenied):
        services.number_report(berita_acara, by=request.getfixturevalue(persona))


# --- route_report_for_signature ---------------------------------------------------------------


def test_route_report_notifies_the_leader(numbered, secretariat, leader):
    services.route_report_for_signature(numbered, by=secretariat)
    numbered.refresh_from_db()

    assert numbered.routed_by == secretariat
    assert numbered.next_actor == "leader"
    notification = Notification.objects.get(user=leader, key=f"report:{numbered.pk}:routed")
    assert notification.text == (
        f"Berita Acara menunggu tanda tangan: nomor {numbered.number}, {numbered.cycle.name}."
    )
    assert notification.url == f"/laporan/dokumen/{numbered.pk}/"
    assert actions(numbered)[-1] == "report.routed"


def test_route_report_needs_a_number(berita_acara, secretariat):
    with pytest.raises(ValidationError) as error:
        services.route_report_for_signature(berita_acara, by=secretariat)
    assert error.value.messages == ["Beri nomor terlebih dahulu sebelum mengajukan tanda tangan."]


def test_route_report_once(routed, secretariat):
    with pytest.raises(ValidationError) as error:
        services.route_report_for_signature(routed, by=secretariat)
    assert error.value.messages == ["Dokumen ini sudah diajukan kepada pimpinan."]


def test_route_report_needs_a_leader(numbered, secretariat, leader):
    leader.is_active = False
    leader.save()
    with pytest.raises(ValidationError) as error:
        services.route_report_for_signature(numbered, by=secretariat)
    assert error.value.code == "no_leader"


def test_route_report_not_by_the_leader(numbered, leader):
    with pytest.raises(PermissionDenied):
        services.route_report_for_signature(numbered, by=leader)


# --- sign_report ----------------------------------------------------------------------------


def test_leader_approval_signs_the_berita_acara_and_moves_the_clock_to_step_8(
    routed, leader, coordinator
):
    services.sign_report(routed, by=leader, internal_approval=True)
    routed.refresh_from_db()

    assert routed.status == SignedReport.Status.SIGNED
    assert routed.signature == SignedReport.Signature.INTERNAL
    assert routed.signed_by == leader
    assert routed.next_actor == "coordinator"
    seven, eight = step(routed.cycle, 7), step(routed.cycle, 8)
    assert (seven.status, seven.output) == (StepRun.Status.DONE, "Berita Acara ditandatangani")
    assert (eight.status, eight.holder) == (StepRun.Status.RUNNING, coordinator)
    event = AuditEvent.objects.get(action="report.signed")
    assert event.after == {
        "status": "signed",
        "signature": "internal",
        "signer": "Sekretaris Daerah",
        "sha256": "",
    }
    assert Notification.objects.get(user=coordinator, key=f"report:{routed.pk}:signed").text == (
        f"Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE nomor {routed.number} telah "
        "ditandatangani."
    )


def test_secretariat_uploads_the_signed_pdf(numbered, secretariat):
    services.sign_report(numbered, by=secretariat, signed_pdf=pdf_upload())
    numbered.refresh_from_db()
    assert numbered.signature == SignedReport.Signature.UPLOAD
    assert len(numbered.signed_file_sha256) == 64
    assert numbered.signed_file.name.startswith("reports/signed/")
    with numbered.signed_file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_signing_the_consent_leaves_the_step_clock(consent, coordinator, leader):
    services.number_report(consent, by=coordinator)
    services.sign_report(consent, by=leader, internal_approval=True)
    assert consent.next_actor is None
    assert step(consent.cycle, 7).status == StepRun.Status.RUNNING
    assert step(consent.cycle, 8).status == StepRun.Status.WAITING


def test_sign_report_refuses_a_file_that_is_not_a_pdf(numbered, secretariat):
    fake = SimpleUploadedFile("ba.pdf", b"<html>bukan pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.sign_report(numbered, by=secretariat, signed_pdf=fake)
    assert error.value.messages == ["Berkas tanda tangan harus PDF."]
    numbered.refresh_from_db()
    assert (numbered.status, numbered.signed_file.name) == (SignedReport.Status.NUMBERED, "")


def test_sign_report_needs_exactly_one_way(numbered, leader):
    with pytest.raises(ValidationError) as error:
        services.sign_report(numbered, by=leader)
    assert error.value.messages == [
        "Pilih salah satu: unggah PDF bertanda tangan elektronik, atau catat persetujuan "
        "internal penanda tangan."
    ]


def test_sign_report_needs_a_number(berita_acara, leader):
    with pytest.raises(ValidationError) as error:
        services.sign_report(berita_acara, by=leader, internal_approval=True)
    assert error.value.messages == ["Dokumen harus bernomor sebelum ditandatangani."]


def test_sign_report_once(routed, leader):
    services.sign_report(routed, by=leader, internal_approval=True)
    with pytest.raises(ValidationError) as error:
        services.sign_report(routed, by=leader, internal_approval=True)
    assert error.value.messages == ["Dokumen ini sudah ditandatangani."]


def test_only_the_leader_approves_internally(numbered, secretariat, coordinator):
    with pytest.raises(PermissionDenied):
        services.sign_report(numbered, by=secretariat, internal_approval=True)
    with pytest.raises(PermissionDenied):
        services.sign_report(numbered, by=coordinator, signed_pdf=pdf_upload())


# --- documents ------------------------------------------------------------------------------


def test_berita_acara_pdf_reads_back(routed, leader, institution):
    services.sign_report(routed, by=leader, internal_approval=True)
    routed.refresh_from_db()
    document = services.report_document(routed, by=leader, format="pdf")

    assert (document.kind, document.source, document.number) == (
        "report.berita_acara",
        f"reports.report:{routed.pk}",
        number_of(institution, 1),
    )
    reader, text = pdf_text(document)
    assert len(reader.pages) in (1, 2)
    flat = " ".join(text.split())
    for expected in [
        "PEMERINTAH KOTA PONTIANAK",
        "BERITA ACARA",
        f"Nomor: {number_of(institution, 1)}",
        "Pemerintah Kota Pontianak Tahun 2026",
        "bertempat di Ruang Rapat Wali Kota Pontianak",
        "dr. Andi Saputra",
        "Indeks SPBE: 2,97",
        "Predikat: Baik",
        "Kebijakan Internal Tata Kelola SPBE",
        LEADER_TITLE,
        document.code,
    ]:
        assert expected in flat
    assert "DRAF" not in flat


def test_berita_acara_opening_spells_the_date(numbered, secretariat, institution):
    from documents.formal import date_in_words

    document = services.report_document(numbered, by=secretariat, format="pdf")
    flat = " ".join(pdf_text(document)[1].split())
    assert f"Pada hari ini, {date_in_words(institution.today())}, bertempat di" in flat


def test_draft_pdf_is_marked_and_regenerated_when_it_changed(berita_acara, coordinator):
    first = services.report_document(berita_acara, by=coordinator, format="pdf")
    again = services.report_document(berita_acara, by=coordinator, format="pdf")
    services.update_report(berita_acara, by=coordinator, place="Aula Kantor Wali Kota")
    second = services.report_document(berita_acara, by=coordinator, format="pdf")
    assert (first.version, again.pk, second.version) == (1, first.pk, 2)
    flat = " ".join(pdf_text(second)[1].split())
    assert "DRAF" in flat
    assert "Nomor: ....... (draf)" in flat


def test_numbered_pdf_is_generated_once(numbered, secretariat, leader):
    first = services.report_document(numbered, by=secretariat, format="pdf")
    again = services.report_document(numbered, by=leader, format="pdf")
    assert again.pk == first.pk
    assert Document.objects.filter(source=f"reports.report:{numbered.pk}").count() == 1


def test_berita_acara_docx_reads_back(numbered, secretariat, institution):
    document = services.report_document(numbered, by=secretariat, format="docx")
    assert (document.format, document.kind) == ("docx", "report.berita_acara")
    with document.file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))
    paragraphs = " ".join(p.text for p in word.paragraphs)
    cells = " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert f"Nomor: {number_of(institution, 1)}" in paragraphs
    assert "Pemerintah Kota Pontianak Tahun 2026" in paragraphs
    assert "2,97" in paragraphs and "Baik" in paragraphs
    assert "dr. Andi Saputra" in cells
    assert "Dinas Kesehatan" in cells
    assert "Kebijakan Internal Tata Kelola SPBE" in cells
    assert "Sekretaris Daerah Kota Pontianak selaku Koordinator SPBE," in cells


def test_publication_consent_pdf_and_docx_read_back(consent, coordinator, institution):
    services.number_report(consent, by=coordinator)
    document = services.report_document(consent, by=coordinator, format="pdf")
    assert document.kind == "report.publication_consent"
    reader, text = pdf_text(document)
    flat = " ".join(text.split())
    assert len(reader.pages) == 1
    for expected in [
        "SURAT PERNYATAAN",
        "PERSETUJUAN PUBLIKASI HASIL EVALUASI MANDIRI SPBE TAHUN 2026",
        f"Nomor: {number_of(institution, 1)}",
        "dengan Indeks SPBE 2,97 dan predikat Baik",
        "Pemerintah Kota Pontianak",
    ]:
        assert expected in flat
    docx = services.report_document(consent, by=coordinator, format="docx")
    with docx.file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))
    assert "dengan Indeks SPBE 2,97 dan predikat Baik" in " ".join(p.text for p in word.paragraphs)


def test_report_document_for_staff_only(numbered, agency_user, outsider):
    for person in (agency_user, outsider):
        with pytest.raises(PermissionDenied):
            services.report_document(numbered, by=person, format="pdf")


def test_executive_brief_pdf_is_one_page(final, coordinator):
    document = services.brief_document(final, by=coordinator)
    reader, text = pdf_text(document)
    flat = " ".join(text.split())
    assert len(reader.pages) == 1
    assert document.kind == "report.executive_brief"
    assert "Ringkasan Eksekutif Evaluasi SPBE 2026" in flat
    assert "2,97" in flat and "Baik" in flat
    assert "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia" in flat


def test_an_institutions_own_word_template_is_used(numbered, coordinator, institution):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import upload_template
    from reports.kinds import DOCX_DIR

    own = WordDocument(DOCX_DIR / "berita_acara.docx")
    own.paragraphs[0].insert_paragraph_before("KOP SENDIRI PEMKOT")
    buffer = io.BytesIO()
    own.save(buffer)
    upload_template(
        institution,
        by=coordinator,
        kind="berita_acara",
        uploaded_file=SimpleUploadedFile("ba.docx", buffer.getvalue()),
    )
    document = services.report_document(numbered, by=coordinator, format="docx")
    with document.file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))
    assert word.paragraphs[0].text == "KOP SENDIRI PEMKOT"
    assert f"Nomor: {number_of(institution, 1)}" in " ".join(p.text for p in word.paragraphs)


def test_signing_marks_the_statements_files_signed(routed, leader, secretariat):
    pdf = services.report_document(routed, by=secretariat, format="pdf")
    assert pdf.signature == "pending"
    services.sign_report(routed, by=leader, internal_approval=True)
    routed.refresh_from_db()
    pdf.refresh_from_db()
    assert (pdf.signature, pdf.signed_at) == ("internal", routed.signed_at)
    assert services.report_document(routed, by=secretariat, format="docx").signature == "internal"
