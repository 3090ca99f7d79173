"""The official form (SOP step 7): its rows, the XLSX and the PDF read back, the Documents
and who may make them."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from assessments import queries, services
from assessments.official_form import (
    official_form_document,
    official_form_rows,
    official_form_xlsx,
)
from assessments.tests.conftest import LEVELS
from documents.models import Document
from evidence import services as evidence_services
from evidence.models import EvidenceRevision
from evidence.tests.helpers import pdf_bytes, upload
from frameworks.scoring import rounded
from monev.tests.printing import (
    a4_landscape_one_page_wide,
    cut_labels,
    page_setup,
    short_rows,
)
from submissions import services as submission_services

SOURCE = "assessments.cycle:{}:official_form"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def answer_with_evidence(cycle, indicators, agency, agency_user):
    """BKPSDM hands in indicator 1 at level 3 with two files attached."""

    def answer(titles=("SK Tim Koordinasi SPBE", "Notulen Rapat")):
        submission = submission_services.save_draft(
            cycle,
            indicators[0],
            agency,
            by=agency_user,
            level=3,
            fakta="SK Wali Kota.",
            analisis="Terpenuhi.",
            version=0,
        )
        pieces = [
            evidence_services.add_file_evidence(
                cycle,
                agency,
                by=agency_user,
                uploaded_file=upload(f"berkas-{n}.pdf", pdf_bytes(pages=n + 1)),
                title=title,
                submission=submission,
            )
            for n, title in enumerate(titles)
        ]
        submission_services.submit_submission(submission, by=agency_user)
        return pieces

    return answer


def sha(piece):
    return EvidenceRevision.objects.get(evidence=piece).sha256


def finalize(cycle, coordinator):
    services.finalize_assessment(queries.find_assessment(cycle), by=coordinator)


# --- Rows --------------------------------------------------------------------------------


def test_rows_follow_the_framework_with_level_penjelasan_and_evidence(
    cycle, decide_all, answer_with_evidence
):
    pieces = answer_with_evidence()
    decide_all()

    rows = official_form_rows(cycle)

    assert len(rows) == 47
    assert [row.number for row in rows] == [str(n) for n in range(1, 48)]
    first = rows[0]
    assert (first.domain.name, first.aspect.name) == (
        "Kebijakan Internal SPBE",
        "Kebijakan Internal Tata Kelola SPBE",
    )
    assert first.level == LEVELS[0]
    assert first.penjelasan == "FAKTA:\nFakta.\n\nANALISIS:\nAnalisis."
    assert [(item.name, item.short_hash) for item in first.evidence] == [
        ("1.a.SK-Tim-Koordinasi-SPBE.pdf", sha(pieces[0])[:12]),
        ("1.b.Notulen-Rapat.pdf", sha(pieces[1])[:12]),
    ]
    assert rows[1].evidence == ()
    assert rows[46].aspect.name == "Layanan Publik Berbasis Elektronik"


def test_evidence_cited_by_the_team_replaces_the_answers_evidence(
    cycle, indicators, evaluator, answer_with_evidence
):
    pieces = answer_with_evidence()
    services.set_decision(
        cycle,
        indicators[0],
        by=evaluator,
        level=2,
        fakta="",
        analisis="Hanya notulen.",
        evidence=[pieces[1]],
    )

    first = official_form_rows(cycle)[0]

    assert [item.name for item in first.evidence] == ["1.a.Notulen-Rapat.pdf"]
    assert first.penjelasan == "ANALISIS:\nHanya notulen."
    assert first.level == 2


def test_rows_before_any_decision_are_empty(cycle):
    rows = official_form_rows(cycle)

    assert [(row.level, row.penjelasan, row.evidence) for row in rows[:2]] == [
        (None, "", ()),
        (None, "", ()),
    ]


@pytest.mark.parametrize("files", [1, 6])
def test_rows_take_six_queries_whatever_the_evidence(
    cycle, decide_all, answer_with_evidence, django_assert_num_queries, files
):
    # The assessment, the tree, the decisions, the cited and the answers' evidence, the
    # newest revisions.
    decide_all()
    answer_with_evidence(titles=[f"Dokumen {n}" for n in range(files)])

    with django_assert_num_queries(6):
        rows = official_form_rows(cycle)

    assert len(rows[0].evidence) == files


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_header_table_and_index_sheet(cycle, decide_all, answer_with_evidence, coordinator):
    pieces = answer_with_evidence()
    decide_all()
    finalize(cycle, coordinator)
    result = queries.live_result(queries.find_assessment(cycle))

    workbook = openpyxl.load_workbook(io.BytesIO(official_form_xlsx(cycle)))

    assert workbook.sheetnames == ["Formulir", "Indeks"]
    sheet = workbook["Formulir"]
    assert sheet["A1"].value == "FORMULIR EVALUASI MANDIRI SPBE TAHUN 2026"
    assert sheet["A2"].value is None  # final: no DRAF
    assert [sheet.cell(row=r, column=1).value for r in range(3, 10)] == [
        "Instansi",
        "Tahun",
        "Kerangka evaluasi",
        "Indeks SPBE",
        "Predikat",
        "Status",
        "Dibuat",
    ]
    assert sheet["B3"].value == "Pemerintah Kota Pontianak"
    assert sheet["B4"].value == 2026
    assert sheet["B5"].value == "Evaluasi SPBE (PermenPANRB 59/2020)"
    assert sheet["B6"].value == float(rounded(result.index))
    assert sheet["B6"].number_format == "0.00"
    assert sheet["B7"].value == result.rating
    assert sheet["B8"].value.startswith("Final (difinalkan ")
    header = [cell.value for cell in sheet[11]]
    assert header == [
        "No.",
        "Domain",
        "Aspek",
        "Indikator",
        "Tingkat",
        "Penjelasan (FAKTA dan ANALISIS)",
        "Data dukung (nama berkas ekspor dan SHA-256)",
    ]
    table = list(sheet.iter_rows(min_row=12, values_only=True))
    assert len(table) == 47
    assert table[0][:6] == (
        1,
        "1. Kebijakan Internal SPBE",
        "1. Kebijakan Internal Tata Kelola SPBE",
        "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi Pusat/Pemerintah Daerah",
        LEVELS[0],
        "FAKTA:\nFakta.\n\nANALISIS:\nAnalisis.",
    )
    assert table[0][6] == (
        f"1.a.SK-Tim-Koordinasi-SPBE.pdf (SHA-256 {sha(pieces[0])[:12]})\n"
        f"1.b.Notulen-Rapat.pdf (SHA-256 {sha(pieces[1])[:12]})"
    )
    assert [row[0] for row in table] == list(range(1, 48))
    assert sheet.freeze_panes == "A12"
    assert sheet.print_title_rows == "$11:$11"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet["F12"].alignment.wrap_text is True

    indices = workbook["Indeks"]
    rows = list(indices.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 13  # 4 domains, 8 aspects, the index
    assert rows[0][:3] == ("Domain", "1", "Kebijakan Internal SPBE")
    assert rows[-1][4] == float(rounded(result.index))
    assert rows[-1][5] == result.rating


def test_xlsx_of_a_draft_says_draf_and_keeps_text_as_text(cycle, indicators, evaluator):
    services.set_decision(
        cycle, indicators[0], by=evaluator, level=3, fakta="=HYPERLINK(1)", analisis=""
    )

    sheet = openpyxl.load_workbook(io.BytesIO(official_form_xlsx(cycle)))["Formulir"]

    assert sheet["A2"].value.startswith("DRAF")
    assert sheet["B6"].value == "–"  # incomplete: no index
    assert sheet["B7"].value == "–"
    assert sheet["B8"].value == "DRAF (hasil evaluasi mandiri belum final)"
    assert sheet["F12"].value == "FAKTA:\n=HYPERLINK(1)"
    assert sheet["F12"].data_type == "s"


def test_xlsx_text_a_spreadsheet_would_run_is_text(cycle):
    payload = '=HYPERLINK("https://x","klik")'
    cycle.institution.name = payload

    workbook = openpyxl.load_workbook(io.BytesIO(official_form_xlsx(cycle)))

    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [cell.value for cell in cells if payload in str(cell.value)] == [
        "'" + payload,
        f"Indeks SPBE per simpul · {payload} · 2026",  # inside a text: nothing to run
    ]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []


def test_xlsx_prints_one_page_wide_with_rows_as_high_as_their_text(cycle, indicators, evaluator):
    services.set_decision(
        cycle,
        indicators[0],
        by=evaluator,
        level=3,
        fakta="Peraturan Wali Kota Nomor 12 Tahun 2024 tentang SPBE telah ditetapkan. " * 10,
        analisis="Terpenuhi.",
    )

    workbook = openpyxl.load_workbook(io.BytesIO(official_form_xlsx(cycle)))

    title = "Formulir Evaluasi Mandiri SPBE 2026"
    for sheet, repeated in zip(workbook.worksheets, ("$11:$11", "$4:$4"), strict=True):
        assert page_setup(sheet) == a4_landscape_one_page_wide(
            repeated, "Pemerintah Kota Pontianak", title
        )
        assert short_rows(sheet) == []
        assert cut_labels(sheet) == []
    sheet = workbook["Formulir"]
    # The labels of the header block print whole: "Kerangka evaluasi", not "Kerangk".
    assert sheet.column_dimensions["A"].width == 20
    assert [sheet.cell(row=11, column=c).alignment.wrap_text for c in range(1, 8)] == [True] * 7
    assert sheet["F12"].alignment.wrap_text is True
    # FAKTA: 10 × 72 characters at 79 a line is 10 lines, with its heading, the blank line
    # and ANALISIS 14 lines of 15 points. Without a penjelasan the tallest cell is the
    # indicator: 87 characters at 41 a line, 3 lines.
    assert sheet.row_dimensions[12].height == 14 * 15
    assert sheet.row_dimensions[13].height == 3 * 15


# --- PDF and Documents -------------------------------------------------------------------


def pdf_text(document):
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_document_prints_the_form_and_its_verification_code(
    cycle, decide_all, answer_with_evidence, coordinator
):
    answer_with_evidence()
    decide_all()
    finalize(cycle, coordinator)
    result = queries.live_result(queries.find_assessment(cycle))

    document = official_form_document(cycle, by=coordinator, format="pdf")

    assert (document.kind, document.source, document.format, document.title) == (
        "official_form",
        SOURCE.format(cycle.pk),
        "pdf",
        "Formulir Evaluasi Mandiri SPBE 2026",
    )
    reader, text = pdf_text(document)
    flat = " ".join(text.split())
    assert "FORMULIR EVALUASI MANDIRI SPBE TAHUN 2026" in flat
    assert "Pemerintah Kota Pontianak" in flat
    assert "Kebijakan Internal Arsitektur SPBE" in flat
    assert f"Indeks SPBE {result.display}" in flat
    assert f"Predikat {result.rating}" in flat
    assert "1.a.SK-Tim-Koordinasi-SPBE.pdf" in flat
    assert document.code in flat
    assert "DRAF" not in flat
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape


def test_pdf_of_a_draft_says_draf(cycle, decide_all, coordinator):
    decide_all(count=3)

    document = official_form_document(cycle, by=coordinator, format="pdf")

    _reader, text = pdf_text(document)
    assert "DRAF — hasil evaluasi mandiri belum final" in " ".join(text.split())


def test_every_generation_is_the_next_version(cycle, coordinator):
    first = official_form_document(cycle, by=coordinator, format="xlsx")
    second = official_form_document(cycle, by=coordinator, format="xlsx")

    assert (first.version, second.version) == (1, 2)
    assert (second.kind, second.source, second.title) == (
        "official_form",
        SOURCE.format(cycle.pk),
        "Formulir Evaluasi Mandiri SPBE 2026",
    )


def test_operators_and_outsiders_cannot_generate(cycle, agency_user, outsider):
    for user in (agency_user, outsider):
        with pytest.raises(PermissionDenied):
            official_form_document(cycle, by=user, format="xlsx")
    assert Document.objects.count() == 0


def test_unknown_format_is_refused(cycle, coordinator):
    with pytest.raises(ValueError):
        official_form_document(cycle, by=coordinator, format="docx")


# --- Views -------------------------------------------------------------------------------


def url(cycle, fmt):
    return reverse("official_form_download", args=[cycle.pk, fmt])


def test_post_generates_and_downloads_get_gives_the_newest(client, cycle, supervisor):
    client.force_login(supervisor)

    before = client.get(url(cycle, "xlsx"))
    made = client.post(url(cycle, "xlsx"))
    again = client.get(url(cycle, "xlsx"))

    assert before.status_code == 302
    assert before["Location"] == reverse("assessment_result", args=[cycle.pk]) + "#formulir"
    assert made.status_code == 200
    assert made["Content-Disposition"] == (
        'attachment; filename="formulir-evaluasi-mandiri-spbe-2026-v1.xlsx"'
    )
    content = b"".join(made.streaming_content)
    assert b"".join(again.streaming_content) == content
    assert openpyxl.load_workbook(io.BytesIO(content))["Formulir"]["B3"].value == (
        "Pemerintah Kota Pontianak"
    )
    assert Document.objects.get().generated_by == supervisor


def test_pdf_download(client, cycle, coordinator):
    client.force_login(coordinator)

    response = client.post(url(cycle, "pdf"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["agency_user", "outsider"])
def test_download_is_404_for_operators_and_other_institutions(request, client, cycle, persona):
    client.force_login(request.getfixturevalue(persona))

    statuses = [
        client.post(url(cycle, "xlsx")).status_code,
        client.get(url(cycle, "pdf")).status_code,
    ]

    assert statuses == [404, 404]
    assert Document.objects.count() == 0


def test_unknown_format_url_is_404(client, cycle, coordinator):
    client.force_login(coordinator)

    assert client.post(url(cycle, "docx")).status_code == 404


def test_result_page_offers_both_formats(client, cycle, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("assessment_result", args=[cycle.pk])).content.decode()

    assert url(cycle, "xlsx") in page and url(cycle, "pdf") in page
    assert "bertanda DRAF" in page
