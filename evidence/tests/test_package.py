"""The evidence package: folders and names, the manifest against the files in the ZIP,
streaming to a writer that cannot seek, storing it as a Document."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments import services as assessment_services
from cycles import services as cycle_services
from documents.models import Document, GenerationJob
from evidence import package
from evidence import services as evidence_services
from evidence.models import EvidenceRevision
from evidence.tests.helpers import image_bytes, pdf_bytes, stored_files, upload
from submissions import services as submission_services
from submissions.models import Submission


@pytest.fixture
def indicators(framework):
    nodes = {node.code: node for node in framework.nodes.filter(code__in=["I1", "I2", "I3"])}
    return nodes["I1"], nodes["I2"], nodes["I3"]


@pytest.fixture
def cycle(
    framework, sop, coordinator, agency, other_agency, agency_user, other_agency_user, indicators
):
    """BKPSDM answers indicators 1 and 2, Dinkes answers 2 and 3; step 4 running."""
    first, second, third = indicators
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={first: [agency], second: [agency, other_agency], third: [other_agency]},
    )
    for number in (1, 2, 3):
        cycle_services.finish_step(cycle, number, by=coordinator)
    cycle_services.start_step(cycle, 4, by=coordinator)
    return cycle


def answer(cycle, indicator, user, files=(), links=()):
    """The operator's answer with its files [(title, name, content)] and links, saved as a
    draft through the services."""
    agency = user.memberships.get().agency
    submission = submission_services.save_draft(
        cycle, indicator, agency, by=user, level=3, fakta="Ada SK.", analisis="Cukup.", version=0
    )
    for title, name, content in files:
        evidence_services.add_file_evidence(
            cycle,
            agency,
            by=user,
            uploaded_file=upload(name, content),
            title=title,
            document_date=datetime.date(2026, 3, 2),
            submission=submission,
        )
    for title, url in links:
        evidence_services.add_link_evidence(
            cycle, agency, by=user, url=url, title=title, submission=submission
        )
    return submission


PDF_A = pdf_bytes(1)
PDF_B = pdf_bytes(2)
PDF_C = pdf_bytes(3)
PNG = image_bytes("PNG")


@pytest.fixture
def answered(cycle, indicators, agency_user, other_agency_user, coordinator):
    """I1 (BKPSDM): two files and a link, accepted. I2: BKPSDM and Dinkes each a file titled
    "SK Tim SPBE"; BKPSDM's accepted, Dinkes's submitted. I3 (Dinkes): a file on a draft
    answer — not in the package."""
    first, second, third = indicators
    s1 = answer(
        cycle,
        first,
        agency_user,
        files=[("Perwa Arsitektur SPBE", "perwa.pdf", PDF_A), ("Foto Rapat", "rapat.png", PNG)],
        links=[("JDIH Perwa", "https://jdih.pontianak.go.id/perwa-12")],
    )
    s2 = answer(cycle, second, agency_user, files=[("SK Tim SPBE", "sk.pdf", PDF_B)])
    s2b = answer(cycle, second, other_agency_user, files=[("SK Tim SPBE", "sk-tim.pdf", PDF_C)])
    answer(cycle, third, other_agency_user, files=[("Draf", "draf.pdf", PDF_A)])
    for submission, user in ((s1, agency_user), (s2, agency_user), (s2b, other_agency_user)):
        submission_services.submit_submission(submission, by=user)
    submission_services.accept_submission(s1, by=coordinator)
    submission_services.accept_submission(s2, by=coordinator)
    return s1, s2, s2b


EXPECTED_FILES = [
    "1. Kebijakan Internal Arsitektur SPBE Instansi Pusat-Pemerintah/1.a.Perwa-Arsitektur-SPBE.pdf",
    "1. Kebijakan Internal Arsitektur SPBE Instansi Pusat-Pemerintah/1.b.Foto-Rapat.png",
    "2. Kebijakan Internal Peta Rencana SPBE Instansi/2.a.SK-Tim-SPBE.pdf",
    "2. Kebijakan Internal Peta Rencana SPBE Instansi/2.b.SK-Tim-SPBE.pdf",
]


def read_zip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    manifest = list(csv.DictReader(io.StringIO(archive.read("MANIFEST.csv").decode("utf-8-sig"))))
    return archive, manifest


def test_folder_name_drops_the_common_prefix_and_unsafe_characters(indicators):
    assert package.folder_name(indicators[0]) == (
        "1. Kebijakan Internal Arsitektur SPBE Instansi Pusat-Pemerintah"
    )


def test_the_package_holds_each_file_under_its_folder_and_national_name(cycle, answered):
    out = io.BytesIO()
    summary = package.write_evidence_package(cycle, out)
    archive, manifest = read_zip(out.getvalue())
    files = [name for name in archive.namelist() if "/" in name]
    assert files == EXPECTED_FILES
    assert summary == package.PackageSummary(
        files=4, links=1, bytes=sum(len(c) for c in (PDF_A, PNG, PDF_B, PDF_C))
    )
    assert archive.read(EXPECTED_FILES[0]) == PDF_A
    assert archive.read(EXPECTED_FILES[1]) == PNG
    # Two OPDs' "SK Tim SPBE" for indicator 2: letters a and b, each OPD's own file.
    assert archive.read(EXPECTED_FILES[2]) == PDF_B
    assert archive.read(EXPECTED_FILES[3]) == PDF_C
    files = [row for row in manifest if row["jenis"] == "berkas"]
    assert [(row["berkas"], row["opd"]) for row in files[2:4]] == [
        (EXPECTED_FILES[2], "BKPSDM"),
        (EXPECTED_FILES[3], "Dinkes"),
    ]


def test_manifest_hashes_are_the_hashes_of_the_files_inside(cycle, answered):
    out = io.BytesIO()
    package.write_evidence_package(cycle, out)
    archive, manifest = read_zip(out.getvalue())
    file_rows = [row for row in manifest if row["jenis"] == "berkas"]
    assert [row["berkas"] for row in file_rows] == EXPECTED_FILES
    for row in file_rows:
        content = archive.read(row["berkas"])
        assert row["sha256"] == hashlib.sha256(content).hexdigest()
        assert int(row["ukuran_byte"]) == len(content)
    revision = EvidenceRevision.objects.get(original_name="perwa.pdf")
    assert file_rows[0] == {
        "berkas": EXPECTED_FILES[0],
        "indikator": "1",
        "opd": "BKPSDM",
        "jenis": "berkas",
        "judul": "Perwa Arsitektur SPBE",
        "nama_asli": "perwa.pdf",
        "sha256": revision.sha256,
        "ukuran_byte": str(len(PDF_A)),
        "tanggal_dokumen": "2026-03-02",
        "diunggah": timezone.localtime(revision.uploaded_at).isoformat(timespec="seconds"),
        "tautan": "",
    }
    link = [row for row in manifest if row["jenis"] == "tautan"]
    assert [(row["berkas"], row["indikator"], row["tautan"]) for row in link] == [
        ("", "1", "https://jdih.pontianak.go.id/perwa-12")
    ]
    data = json.loads(archive.read("manifest.json"))
    assert data["instansi"] == "Pemerintah Kota Pontianak"
    assert [row["berkas"] for row in data["berkas"] if row["jenis"] == "berkas"] == EXPECTED_FILES


def test_the_official_form_is_at_the_root_and_in_the_manifest(cycle, answered):
    out = io.BytesIO()
    package.write_evidence_package(cycle, out)
    archive, manifest = read_zip(out.getvalue())
    form = archive.read("Formulir-Evaluasi-SPBE-2026.xlsx")
    assert openpyxl.load_workbook(io.BytesIO(form)).sheetnames[0] == "Formulir"
    assert manifest[0]["berkas"] == "Formulir-Evaluasi-SPBE-2026.xlsx"
    assert manifest[0]["jenis"] == "formulir"
    assert manifest[0]["sha256"] == hashlib.sha256(form).hexdigest()


def test_compressed_formats_are_stored_and_others_deflated(cycle, answered):
    out = io.BytesIO()
    package.write_evidence_package(cycle, out)
    archive = zipfile.ZipFile(out)
    types = {info.filename: info.compress_type for info in archive.infolist()}
    assert types[EXPECTED_FILES[0]] == zipfile.ZIP_STORED
    assert types[EXPECTED_FILES[1]] == zipfile.ZIP_STORED
    assert types["MANIFEST.csv"] == zipfile.ZIP_DEFLATED
    assert archive.testzip() is None


def test_draft_and_returned_answers_stay_out(cycle, answered):
    entries = package.package_entries(cycle)
    assert "draf.pdf" not in [entry.original_name for entry in entries]
    assert {entry.indicator for entry in entries} == {"1", "2"}


def test_evidence_the_team_cited_replaces_the_answers_files_of_that_indicator(
    cycle, answered, indicators, evaluator
):
    s1, s2, s2b = answered
    assessment_services.set_decision(
        cycle,
        indicators[1],
        by=evaluator,
        level=3,
        fakta="SK Tim.",
        analisis="Cukup.",
        evidence=list(s2b.evidence.all()) + list(s2.evidence.all()),
    )
    entries = package.package_entries(cycle)
    assert sorted((entry.path, entry.agency) for entry in entries if entry.indicator == "2") == [
        (EXPECTED_FILES[2], "BKPSDM"),
        (EXPECTED_FILES[3], "Dinkes"),
    ]
    # Citing one file leaves the other OPD's out of that indicator's folder.
    assessment_services.set_decision(
        cycle,
        indicators[1],
        by=evaluator,
        level=3,
        fakta="SK Tim.",
        analisis="Cukup.",
        evidence=list(s2.evidence.all()),
    )
    assert [entry.path for entry in package.package_entries(cycle) if entry.path] == (
        EXPECTED_FILES[:3]
    )


def test_the_names_are_those_of_the_official_form(cycle, answered):
    from assessments.official_form import official_form_rows

    form_names = [
        item.name for row in official_form_rows(cycle) for item in row.evidence if item.sha256
    ]
    package_names = [
        entry.path.rsplit("/", 1)[1] for entry in package.package_entries(cycle) if entry.path
    ]
    assert package_names == form_names


def test_a_repeated_name_gets_a_number():
    taken = set()
    assert package._unique("1. X/1.a.SK.pdf", taken) == "1. X/1.a.SK.pdf"
    assert package._unique("1. X/1.a.sk.pdf", taken) == "1. X/1.a.sk-2.pdf"
    assert package._unique("1. X/1.a.SK.pdf", taken) == "1. X/1.a.SK-3.pdf"


class ForwardOnly:
    """A socket-like writer: write() only, no tell(), no seek()."""

    def __init__(self):
        self.chunks = []

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass


def test_the_package_streams_to_a_writer_that_cannot_seek(cycle, answered):
    target = ForwardOnly()
    calls = []
    package.write_evidence_package(
        cycle, target, progress=lambda done, total: calls.append((done, total))
    )
    archive, manifest = read_zip(b"".join(target.chunks))
    assert archive.testzip() is None
    assert [name for name in archive.namelist() if "/" in name] == EXPECTED_FILES
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_missing_stored_file_stops_the_package_with_its_name(cycle, answered):
    revision = EvidenceRevision.objects.get(original_name="rapat.png")
    revision.file.storage.delete(revision.file.name)
    with pytest.raises(package.PackageError) as caught:
        package.write_evidence_package(cycle, io.BytesIO())
    assert caught.value.messages == [
        "Berkas data dukung 1. Kebijakan Internal Arsitektur SPBE Instansi "
        "Pusat-Pemerintah/1.b.Foto-Rapat.png (BKPSDM) tidak ditemukan di penyimpanan."
    ]


def test_a_changed_stored_file_stops_the_package(cycle, answered):
    revision = EvidenceRevision.objects.get(original_name="perwa.pdf")
    with open(revision.file.path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(package.PackageError, match="SHA-256 berbeda"):
        package.write_evidence_package(cycle, io.BytesIO())


# --- Stored as a Document ----------------------------------------------------------------


def test_build_stores_the_zip_as_a_document_hashed_on_the_way(
    cycle, answered, coordinator, settings
):
    document = package.build_evidence_package(cycle, by=coordinator)
    assert (document.kind, document.format, document.version) == ("evidence_package", "zip", 1)
    assert document.title == "Paket Data Dukung Evaluasi SPBE Pemerintah Kota Pontianak Tahun 2026"
    assert document.source == f"evidence.package:{cycle.pk}"
    with document.file.open("rb") as handle:
        content = handle.read()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    archive, _manifest = read_zip(content)
    assert json.loads(archive.read("manifest.json"))["verifikasi"]["kode"] == document.code
    # No second copy anywhere: the evidence files and this one ZIP.
    documents = [name for name in stored_files(settings) if name.startswith("documents/")]
    assert documents == [document.file.name]
    assert package.build_evidence_package(cycle, by=coordinator).version == 2


def test_a_failed_build_leaves_no_file_and_no_row(cycle, answered, coordinator, settings):
    revision = EvidenceRevision.objects.get(original_name="rapat.png")
    revision.file.storage.delete(revision.file.name)
    with pytest.raises(package.PackageError):
        package.build_evidence_package(cycle, by=coordinator)
    assert Document.objects.count() == 0
    assert [name for name in stored_files(settings) if name.startswith("documents/")] == []


def test_only_the_coordinator_builds_the_package(cycle, answered, agency_user, evaluator):
    for user in (agency_user, evaluator):
        with pytest.raises(PermissionDenied):
            package.build_evidence_package(cycle, by=user)


def test_a_cycle_without_files_has_no_package(cycle, coordinator):
    with pytest.raises(ValidationError) as caught:
        package.build_evidence_package(cycle, by=coordinator)
    assert caught.value.messages == [
        "Belum ada berkas data dukung pada isian yang diterima atau diputuskan; paket data "
        "dukung belum dapat dibuat."
    ]
    assert Submission.objects.count() == 0


def test_a_job_follows_the_files_copied(cycle, answered, coordinator, monkeypatch):
    seen = []
    monkeypatch.setattr(
        package, "update_job", lambda job, *, progress, step: seen.append((progress, step))
    )
    job = GenerationJob.objects.create(
        institution=cycle.institution,
        cycle=cycle,
        kind="evidence_package",
        requested_by=coordinator,
    )
    package.build_evidence_package(cycle, by=coordinator, job=job)
    assert seen == [
        (27, "Menyalin data dukung 1 dari 4"),
        (50, "Menyalin data dukung 2 dari 4"),
        (72, "Menyalin data dukung 3 dari 4"),
        (95, "Menyalin data dukung 4 dari 4"),
    ]


def test_a_title_a_spreadsheet_would_run_is_text_in_the_manifest(
    cycle, indicators, agency_user, coordinator
):
    payload = '=HYPERLINK("https://x","klik")'
    submission = answer(cycle, indicators[0], agency_user, files=[(payload, "perwa.pdf", PDF_A)])
    submission_services.submit_submission(submission, by=agency_user)
    submission_services.accept_submission(submission, by=coordinator)
    out = io.BytesIO()

    package.write_evidence_package(cycle, out)

    _archive, manifest = read_zip(out.getvalue())
    mine = [row for row in manifest if row["nama_asli"] == "perwa.pdf"]
    assert [(row["judul"], row["ukuran_byte"]) for row in mine] == [
        ("'" + payload, str(len(PDF_A)))
    ]
