import datetime
import io
import re

from docx import Document as WordDocument
from docx.oxml.ns import qn
from pypdf import PdfReader

from documents.letters import prepare_letter_context, render_letter_docx, render_letter_pdf

DINKES = "Kepala Dinas Kesehatan"
BKPSDM = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
INDICATOR_36 = "Tingkat Kematangan Layanan Publik Berbasis Elektronik"
INDICATOR_23 = "Tingkat Kematangan Layanan Kepegawaian"
SUBJECT = "Undangan Pengisian Evaluasi Mandiri SPBE Tahun 2026"


def letter_context(**changes):
    context = {
        "institution": {
            "name": "Pemerintah Kota Pontianak",
            "letterhead_lines": ["PEMERINTAH KOTA PONTIANAK", "DINAS KOMUNIKASI DAN INFORMATIKA"],
            "address": "Jalan Rahadi Usman Nomor 3\nPontianak 78111",
            "phone": "(0561) 733041",
            "email": "diskominfo@pontianak.go.id",
            "website": "diskominfo.pontianak.go.id",
            "city": "Pontianak",
        },
        "number": "005/12/DISKOMINFO/2026",
        "date": datetime.date(2026, 11, 22),
        "place": "Pontianak",
        "nature": "Biasa",
        "attachment": "1 (satu) berkas",
        "subject": SUBJECT,
        "addressees": [
            {"name": DINKES, "agency": "Dinas Kesehatan", "short_name": "Dinkes"},
            {
                "name": BKPSDM,
                "agency": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                "short_name": "BKPSDM",
            },
        ],
        "per_agency": False,
        "body": "Dengan hormat, kami mohon Saudara mengisi evaluasi mandiri SPBE.\n\n"
        "Demikian disampaikan, atas perhatian Saudara diucapkan terima kasih.",
        "signer": {
            "name": "Dr. Rina Kartika, S.Kom., M.T.",
            "title": "Kepala Dinas Komunikasi dan Informatika,",
            "nip": "19780101 200501 2 001",
        },
        "carbon_copies": ["Wali Kota Pontianak (sebagai laporan)"],
        "draft": False,
        "attachments": [
            {
                "title": "Formulir Evaluasi SPBE — Dinas Kesehatan",
                "agency": "Dinas Kesehatan",
                "deadline": datetime.date(2026, 12, 5),
                "indicators": [
                    {"number": 36, "name": INDICATOR_36, "aspect": "Layanan Publik"},
                ],
            },
            {
                "title": "Formulir Evaluasi SPBE — BKPSDM",
                "agency": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                "deadline": datetime.date(2026, 12, 5),
                "indicators": [
                    {"number": 23, "name": INDICATOR_23, "aspect": "Layanan Administrasi"},
                ],
            },
        ],
    }
    return {**context, **changes}


def pdf_pages(data):
    """The text of each page, whitespace collapsed (line breaks fall anywhere in a PDF)."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def docx_paragraphs(data):
    """Every paragraph of the body (tables included), in order, as its text."""
    document = WordDocument(io.BytesIO(data))
    return [
        "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
        for paragraph in document.element.body.iter(qn("w:p"))
    ]


def test_prepare_letter_context_derived_values():
    prepared = prepare_letter_context(letter_context())
    assert prepared["letterhead_title"] == "PEMERINTAH KOTA PONTIANAK"
    assert prepared["letterhead_rest"] == ["DINAS KOMUNIKASI DAN INFORMATIKA"]
    assert prepared["contact_lines"] == [
        "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        "Telepon (0561) 733041, Pos-el diskominfo@pontianak.go.id, "
        "Laman diskominfo.pontianak.go.id",
    ]
    assert prepared["number_text"] == "005/12/DISKOMINFO/2026"
    assert prepared["date_text"] == "22 November 2026"
    assert prepared["place_date"] == "Pontianak, 22 November 2026"
    assert prepared["attachment_text"] == "1 (satu) berkas"
    assert prepared["paragraphs"] == [
        "Dengan hormat, kami mohon Saudara mengisi evaluasi mandiri SPBE.",
        "Demikian disampaikan, atas perhatian Saudara diucapkan terima kasih.",
    ]
    assert prepared["letters"] == [{"addressee": "(daftar terlampir)", "agency": ""}]
    assert [a["name"] for a in prepared["distribution"]] == [DINKES, BKPSDM]
    assert prepared["signer"]["title"] == "Kepala Dinas Komunikasi dan Informatika"
    assert [a["deadline_text"] for a in prepared["attachments"]] == [
        "5 Desember 2026",
        "5 Desember 2026",
    ]


def test_prepare_letter_context_per_agency_and_draft_defaults():
    prepared = prepare_letter_context(
        letter_context(
            per_agency=True,
            draft=True,
            number="",
            date=None,
            year=2026,
            attachment="",
            nature="",
            addressees=[{"agency": "Dinas Sosial", "short_name": "Dinsos"}],
        )
    )
    assert prepared["letters"] == [{"addressee": "Kepala Dinas Sosial", "agency": "Dinas Sosial"}]
    assert prepared["distribution"] == []
    assert prepared["number_text"] == "....... (draf)"
    assert prepared["date_text"] == "....... 2026"
    assert prepared["attachment_text"] == "-"
    assert prepared["nature"] == "Biasa"


def test_render_letter_pdf_with_distribution_list():
    pages = pdf_pages(render_letter_pdf(letter_context()))

    # The letter, the distribution list, one form per OPD.
    assert len(pages) == 4
    letter, distribution, form_dinkes, form_bkpsdm = pages
    assert letter.startswith("PEMERINTAH KOTA PONTIANAK DINAS KOMUNIKASI DAN INFORMATIKA")
    assert "Pontianak, 22 November 2026" in letter
    assert "Nomor : 005/12/DISKOMINFO/2026" in letter
    assert "Sifat : Biasa" in letter
    assert "Lampiran : 1 (satu) berkas" in letter
    assert f"Hal : {SUBJECT}" in letter
    assert "Yth. (daftar terlampir) di – Tempat" in letter
    assert "Dr. Rina Kartika, S.Kom., M.T. NIP. 19780101 200501 2 001" in letter
    assert "Tembusan: 1. Wali Kota Pontianak (sebagai laporan)" in letter
    assert "DRAF" not in " ".join(pages)

    assert "DAFTAR DISTRIBUSI" in distribution
    assert f"1 {DINKES} Dinas Kesehatan" in distribution
    assert f"2 {BKPSDM} Badan Kepegawaian" in distribution
    assert "Nomor : 005/12/DISKOMINFO/2026" in distribution

    assert "Formulir Evaluasi SPBE — Dinas Kesehatan" in form_dinkes
    assert f"1 36 {INDICATOR_36} Layanan Publik" in form_dinkes
    assert "Batas waktu pengisian : 5 Desember 2026" in form_dinkes
    assert "Formulir Evaluasi SPBE — BKPSDM" in form_bkpsdm
    assert f"1 23 {INDICATOR_23} Layanan Administrasi" in form_bkpsdm

    metadata = PdfReader(io.BytesIO(render_letter_pdf(letter_context()))).metadata
    assert metadata.title == SUBJECT
    assert metadata.author == "Pemerintah Kota Pontianak"


def test_render_letter_pdf_one_page_per_agency_before_the_attachments():
    pages = pdf_pages(render_letter_pdf(letter_context(per_agency=True)))

    assert len(pages) == 4
    assert [("Yth. " + DINKES) in page for page in pages] == [True, False, False, False]
    assert [("Yth. " + BKPSDM) in page for page in pages] == [False, True, False, False]
    for letter in pages[:2]:
        assert letter.startswith("PEMERINTAH KOTA PONTIANAK")
        assert "Nomor : 005/12/DISKOMINFO/2026" in letter
        assert "Pontianak, 22 November 2026" in letter
        assert "Dr. Rina Kartika, S.Kom., M.T." in letter
    assert "DAFTAR DISTRIBUSI" not in " ".join(pages)
    assert INDICATOR_36 in pages[2]
    assert INDICATOR_23 in pages[3]


def test_render_letter_pdf_draft_has_watermark_on_every_page_and_no_number():
    context = letter_context(draft=True, number="", date=None, year=2026)
    pages = pdf_pages(render_letter_pdf(context))

    assert len(pages) == 4
    assert ["DRAF" in page for page in pages] == [True] * 4
    assert "Nomor : ....... (draf)" in pages[0]
    assert "Pontianak, ....... 2026" in pages[0]
    assert "005/12/DISKOMINFO/2026" not in " ".join(pages)


def test_render_letter_docx_with_distribution_list():
    paragraphs = docx_paragraphs(render_letter_docx(letter_context()))
    text = "\n".join(paragraphs)

    assert paragraphs[:4] == [
        "PEMERINTAH KOTA PONTIANAK",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        "Telepon (0561) 733041, Pos-el diskominfo@pontianak.go.id, "
        "Laman diskominfo.pontianak.go.id",
    ]
    assert "Pontianak, 22 November 2026" in paragraphs
    assert "Nomor\n:\n005/12/DISKOMINFO/2026" in text
    assert f"Hal\n:\n{SUBJECT}" in text
    assert "Yth. (daftar terlampir)\ndi –\nTempat" in text
    assert "Kepala Dinas Komunikasi dan Informatika,\n\nDr. Rina Kartika, S.Kom., M.T." in text
    assert "NIP. 19780101 200501 2 001" in paragraphs
    assert "1.Wali Kota Pontianak (sebagai laporan)" in paragraphs
    assert "DAFTAR DISTRIBUSI" in paragraphs
    assert f"1\n{DINKES}\nDinas Kesehatan" in text
    assert f"2\n{BKPSDM}\nBadan Kepegawaian dan Pengembangan Sumber Daya Manusia" in text
    assert f"1\n36\n{INDICATOR_36}\nLayanan Publik" in text
    assert f"1\n23\n{INDICATOR_23}\nLayanan Administrasi" in text
    assert paragraphs.count("Batas waktu pengisian") == 2
    assert paragraphs.count("5 Desember 2026") == 2
    # No docxtpl tag is left over.
    assert not re.search(r"\{[{%]|[}%]\}", text)


def test_render_letter_docx_one_letter_per_agency():
    data = render_letter_docx(letter_context(per_agency=True))
    paragraphs = docx_paragraphs(data)

    assert [p for p in paragraphs if p.startswith("Yth.")] == [f"Yth. {DINKES}", f"Yth. {BKPSDM}"]
    assert paragraphs.count("PEMERINTAH KOTA PONTIANAK") == 2
    assert paragraphs.count("005/12/DISKOMINFO/2026") == 2
    assert "DAFTAR DISTRIBUSI" not in paragraphs
    assert "Formulir Evaluasi SPBE — Dinas Kesehatan" in paragraphs
    assert "Formulir Evaluasi SPBE — BKPSDM" in paragraphs
    # The second letter starts on a new page.
    body = WordDocument(io.BytesIO(data)).element.body
    assert len(body.xpath('.//w:br[@w:type="page"]')) == 1
    header = WordDocument(io.BytesIO(data)).sections[0].header
    assert [p.text for p in header.paragraphs] == [""]


def test_render_letter_docx_draft_has_watermark_and_no_number():
    data = render_letter_docx(letter_context(draft=True, number="", date=None, year=2026))
    document = WordDocument(io.BytesIO(data))
    paragraphs = docx_paragraphs(data)

    header = document.sections[0].header
    assert [p.text for p in header.paragraphs] == ["DRAF — belum bernomor dan belum ditandatangani"]
    assert header._element.xml.count('string="DRAF"') == 1
    assert "....... (draf)" in paragraphs
    assert "Pontianak, ....... 2026" in paragraphs
    assert "005/12/DISKOMINFO/2026" not in "\n".join(paragraphs)


def test_render_letter_docx_escapes_text():
    data = render_letter_docx(letter_context(subject="Rapat <SPBE> & Tata Kelola"))
    assert "Rapat <SPBE> & Tata Kelola" in docx_paragraphs(data)
