"""The demo's finished cycle carries the SOP's own papers (issue 15): the evaluator team's
decree with its members, the coat of arms on its documents, the Dokumen Evaluasi SPBE
signed, and the Surat Edaran Sekretaris Daerah numbered in the Setda's register and
dispatched before the OPDs answered. The stored PDFs are read back with pypdf."""

import datetime
import io
import re

from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from audit.services import target_of
from cycles import team
from cycles.models import TeamDecree
from documents.downloads import newest_document
from institutions.data import DEMO_LOGO
from letters.models import Letter
from reports.evaluation_signing import evaluation_record, served_document
from reports.models import SignedReport
from reports.services import document_source

CITATION = (
    "Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun {year} tentang Tim Koordinasi dan "
    "Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis Elektronik Kota Pontianak"
)
SEKDA = "Sekretaris Daerah Kota Pontianak, Dr. H. Mulyadi, M.Si. NIP. 19680817 199203 1 005"
KADIS = (
    "Kepala Dinas Komunikasi dan Informatika Kota Pontianak, Drs. Hendri Kurniawan, M.Si. "
    "NIP. 19700101 199503 1 001"
)


def pages(document):
    """The stored PDF's pages as text on one line each, and its reader."""
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages], reader


def first_page_images(reader):
    """The pixel sizes of the images drawn on the first page (the kop's coat of arms)."""
    return [image.image.size for image in reader.pages[0].images]


def logo_size():
    with Image.open(DEMO_LOGO) as logo:
        return logo.size


def test_the_finished_cycle_has_its_confirmed_team_decree_with_eight_members(finished):
    decree = TeamDecree.objects.get(cycle=finished)
    year = finished.year
    assert (decree.status, decree.number, decree.date) == (
        TeamDecree.Status.CONFIRMED,
        f"162/DKI/Tahun {year}",
        datetime.date(year, 5, 28),
    )
    assert decree.signed_file and len(decree.signed_file_sha256) == 64
    members = [
        (m.group, m.role, m.name, m.nip, m.agency.short_name if m.agency else None)
        for m in decree.members.order_by("group", "order")
    ]
    assert sorted(members) == sorted(
        [
            ("koordinasi", "pengarah", "Dr. H. Mulyadi, M.Si.", "19680817 199203 1 005", None),
            (
                "koordinasi",
                "ketua",
                "Drs. Hendri Kurniawan, M.Si.",
                "19700101 199503 1 001",
                "Diskominfo",
            ),
            (
                "koordinasi",
                "sekretaris",
                "Ir. Hendra Saputra, M.T.",
                "19760312 200003 1 004",
                "Diskominfo",
            ),
            ("koordinasi", "anggota", "Ir. Yuliani Sari, M.T.", "19730525 199803 2 006", "Bappeda"),
            ("pokja", "ketua", "Rina Wulandari, S.Kom.", "19850704 201001 2 012", "Diskominfo"),
            ("pokja", "anggota", "Agus Pratama, S.T.", "19900214 201503 1 003", "Diskominfo"),
            (
                "pokja",
                "anggota",
                "Drs. Syarif Hidayat, M.M.",
                "19720919 199703 1 002",
                "Inspektorat",
            ),
            (
                "pokja",
                "anggota",
                "Nurhayati, S.Sos., M.Si.",
                "19781130 200501 2 009",
                "Bag. Organisasi",
            ),
        ]
    )
    assert sorted(decree.members.exclude(user=None).values_list("user__username", flat=True)) == [
        "evaluator",
        "kabid",
        "koordinator",
        "sekda",
    ]
    assert team.decree_citation(finished) == CITATION.format(year=year)


def test_the_current_cycle_carries_the_decree_as_a_draft_to_confirm(finished):
    current = finished.institution.cycles.get(year=finished.year + 1)
    decree = TeamDecree.objects.get(cycle=current)
    assert (decree.status, decree.carried_from_year, decree.members.count()) == (
        TeamDecree.Status.DRAFT,
        finished.year,
        8,
    )
    assert team.decree_citation(current) == ""


def test_the_berita_acara_pdf_has_the_coat_of_arms_and_cites_the_decree(finished):
    assert finished.institution.logo.name.endswith(".png")
    report = SignedReport.objects.get(cycle=finished, kind=SignedReport.Kind.BERITA_ACARA)
    texts, reader = pages(newest_document(document_source(report), "pdf"))
    assert first_page_images(reader) == [logo_size()]
    assert f"Berdasarkan {CITATION.format(year=finished.year)}," in " ".join(texts)
    assert f"Mengetahui dan menyetujui, {SEKDA}" in texts[-1]


def test_the_dokumen_evaluasi_is_signed_by_the_sekda_and_served_as_signed(finished):
    record = evaluation_record(finished)
    assert (record.status, record.signature, record.signed_by.username) == (
        SignedReport.Status.SIGNED,
        SignedReport.Signature.INTERNAL,
        "sekda",
    )
    assert timezone.localtime(record.signed_at).date() == datetime.date(finished.year, 6, 27)
    document = served_document(finished, "pdf")
    assert (document.pk, document.signature) == (record.content["pdf"], "internal")
    texts, reader = pages(document)
    assert first_page_images(reader) == [logo_size()]
    assert f"Mengetahui, {SEKDA}" in texts[-1]
    assert f"Yang membuat, {KADIS}" in texts[-1]
    assert CITATION.format(year=finished.year) in " ".join(texts)


def test_the_surat_edaran_is_dispatched_in_the_setdas_register_before_the_first_answer(finished):
    circular = Letter.objects.get(cycle=finished, kind=Letter.Kind.CIRCULAR)
    year = finished.year
    assert circular.status == Letter.Status.DISPATCHED
    assert re.fullmatch(rf"800/\d+/Setda-Org/{year}", circular.number)
    assert circular.number == f"800/1/Setda-Org/{year}"
    assert (circular.issuing_unit.code, circular.issuing_unit.is_secretariat) == (
        "Setda-Org",
        True,
    )
    assert circular.recipients.count() == finished.agencies.count() == 30
    first_answer = min(finished.submissions.values_list("submitted_at", flat=True))
    assert circular.dispatched_at < first_answer
    assert timezone.localtime(circular.dispatched_at).date() == datetime.date(year, 6, 5)
    texts, reader = pages(newest_document(target_of(circular), "pdf"))
    assert first_page_images(reader) == [logo_size()]
    first = texts[0]
    assert "PEMERINTAH KOTA PONTIANAK SEKRETARIAT DAERAH" in first
    assert f"NOMOR 800/1/Setda-Org/{year}" in first
    assert f"b. {CITATION.format(year=year)}." in first
    assert SEKDA in texts[-1]


def test_the_diskominfo_letters_keep_their_own_register(finished):
    numbers = list(
        Letter.objects.filter(cycle=finished)
        .exclude(kind=Letter.Kind.CIRCULAR)
        .order_by("sequence")
        .values_list("number", flat=True)
    )
    year = finished.year
    assert numbers == [f"005/{n}/DISKOMINFO-TKPBET/{year}" for n in (1, 2, 3)]
