"""Build the project's Word template of the Dokumen Evaluasi SPBE, reports/docx/evaluation.docx.

The .docx is a project file (committed, used as it is); this script is how it was made and
regenerates it after a change of layout:

    .venv/bin/python reports/docx/build_evaluation_template.py

Its placeholders are listed in reports.evaluation.EVALUATION_PLACEHOLDERS (shown on the
template page); the building blocks are the letter template's (documents/docx).
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from documents.docx.build_templates import (  # noqa: E402
    _fix_widths,
    _grid,
    _page_setup,
    _shade,
    letterhead,
    para,
    tag,
)
from reports.docx.build_templates import _signature_cell, _signature_table  # noqa: E402

SMALL = Pt(10)


def build_evaluation(path):
    doc = Document()
    _page_setup(doc)
    _cover(doc)
    _summary(doc)
    _indicators(doc)
    _findings(doc)
    _follow_ups(doc)
    _steps_and_signed(doc)

    props = doc.core_properties
    props.author = "Monev SPBE"
    props.title = "Dokumen Evaluasi SPBE"
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.last_modified_by = "Monev SPBE"
    doc.save(path)


def _heading(doc, text, *, page_break=True):
    heading = para(doc, text, bold=True, size=Pt(13), after=Pt(10))
    heading.paragraph_format.page_break_before = page_break
    heading.paragraph_format.keep_with_next = True
    return heading


def _subheading(doc, text):
    sub = para(doc, text, bold=True, before=Pt(10), after=Pt(4))
    sub.paragraph_format.keep_with_next = True
    return sub


def _justified(doc, text, **kwargs):
    paragraph = para(doc, text, after=Pt(6), **kwargs)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def _cover(doc):
    letterhead(doc)
    para(doc, "DOKUMEN EVALUASI SPBE", bold=True, center=True, size=Pt(24), before=Cm(4))
    para(
        doc,
        "Evaluasi Mandiri Sistem Pemerintahan Berbasis Elektronik",
        center=True,
        size=Pt(13),
        before=Pt(8),
    )
    para(doc, "{{ institution.name|upper }}", bold=True, center=True, size=Pt(16), before=Cm(1))
    para(doc, "TAHUN {{ year }}", bold=True, center=True, size=Pt(16))
    para(doc, "Indeks SPBE hasil evaluasi mandiri", center=True, before=Cm(1.5))
    para(doc, "{{ index }}", bold=True, center=True, size=Pt(30))
    para(doc, "Predikat {{ rating }}", bold=True, center=True, size=Pt(15))
    para(doc, "{{ framework }}", center=True, size=SMALL, before=Cm(2.5))
    para(doc, "{{ place_date }}", center=True, size=SMALL)


def _summary(doc):
    _heading(doc, "BAB I. RINGKASAN HASIL EVALUASI MANDIRI")
    _subheading(doc, "Dasar")
    for text in (
        "1.\tKerangka evaluasi: {{ framework }};",
        "2.\tStandar operasional prosedur: {{ sop_text }}{% if decree %};{% else %}.{% endif %}",
    ):
        _numbered(doc, text)
    tag(doc, "{%p if decree %}")
    _numbered(doc, "3.\t{{ decree }}.")
    tag(doc, "{%p endif %}")
    _subheading(doc, "Hasil")
    _justified(
        doc,
        "Evaluasi mandiri Sistem Pemerintahan Berbasis Elektronik (SPBE) {{ institution.name }} "
        "Tahun {{ year }} dilaksanakan sesuai {{ sop_text }} dan menggunakan kerangka "
        "{{ framework }}. Evaluasi ini melibatkan {{ agency_count }} Perangkat Daerah dan "
        "menilai {{ indicator_count }} indikator{% if finalized_text %}; hasilnya ditetapkan "
        "final pada {{ finalized_text }}{% endif %}. Indeks SPBE hasil evaluasi mandiri adalah "
        "{{ index }} dengan predikat {{ rating }}.",
    )
    _subheading(doc, "Indeks per domain dan aspek")
    _grid(
        doc,
        ["Tingkat", "Domain / aspek", "Bobot (%)", "Indeks"],
        [
            "{{ n.kind }} {{ n.number }}",
            "{{ n.name }}",
            "{{ n.weight }}",
            "{{ n.index }}",
        ],
        loop="n in nodes",
        widths=(Cm(2.6), Cm(9.4), Cm(2), Cm(2)),
    )
    para(
        doc,
        "Indeks SPBE: {{ index }} (predikat {{ rating }}). Predikat: "
        "{% for b in bands %}{{ b.rating }} ({{ b.range }}){% if not loop.last %}; "
        "{% endif %}{% endfor %}.",
        size=SMALL,
        before=Pt(6),
    )
    # Each marker alone in its paragraph: reports.evaluation.insert_charts puts the chart's
    # picture in its place.
    para(doc, "{{ charts.aspect_radar }}", center=True, before=Pt(10))
    para(doc, "{{ charts.domain_bars }}", center=True, before=Pt(10))


def _numbered(doc, text):
    item = para(doc, text, after=Pt(2))
    item.paragraph_format.left_indent = Cm(0.6)
    item.paragraph_format.first_line_indent = Cm(-0.6)
    item.paragraph_format.tab_stops.add_tab_stop(Cm(0.6))
    return item


def _indicators(doc):
    _heading(doc, "BAB II. TINGKAT KEMATANGAN PER INDIKATOR")
    _justified(
        doc,
        "Tingkat yang disepakati untuk setiap indikator beserta penjelasannya (FAKTA dan "
        "ANALISIS) dan data dukungnya. Nama berkas data dukung sama dengan namanya dalam paket "
        "data dukung; kode SHA-256 (12 karakter pertama) memastikan berkas yang diperiksa "
        "adalah berkas yang sama.",
    )
    widths = (Cm(1), Cm(4.6), Cm(2.2), Cm(8.2))
    table = doc.add_table(rows=4, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    heading_row, loop_start, row, loop_end = table.rows
    heading_row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for cell, text in zip(
        heading_row.cells,
        ["No.", "Indikator", "Tingkat", "Penjelasan dan data dukung"],
        strict=True,
    ):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = SMALL
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "E8E8E8")
    loop_start.cells[0].paragraphs[0].add_run("{%tr for row in indicators %}")
    loop_end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    number, name, level, body = row.cells
    _cell(number, ["{{ row.number }}"], center=True)
    _cell(name, ["{{ row.name }}", "{{ row.aspect }}"], small_from=1)
    _cell(level, ["{{ row.level }}", "{{ row.level_name }}"], center=True)
    _cell(
        body,
        [
            "FAKTA: {{ row.fakta }}",
            "ANALISIS: {{ row.analisis }}",
            "Data dukung:{% if not row.evidence %} –{% endif %}",
            "{{ row.evidence_text }}",
        ],
        small_from=3,
    )
    _fix_widths(table, widths)


def _cell(cell, lines, *, center=False, small_from=None):
    for index, text in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(text)
        run.font.size = Pt(8.5) if small_from is not None and index >= small_from else SMALL
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _findings(doc):
    _heading(doc, "BAB III. KEKUATAN, KELEMAHAN DAN REKOMENDASI")
    tag(doc, "{%p for group in findings %}")
    _subheading(doc, "{{ group.aspect }}")
    for key, label in (
        ("strengths", "Kekuatan"),
        ("weaknesses", "Kelemahan"),
        ("recommendations", "Rekomendasi"),
    ):
        tag(doc, f"{{%p if group.{key} %}}")
        para(doc, label, bold=True, size=SMALL, before=Pt(4))
        tag(doc, f"{{%p for text in group.{key} %}}")
        item = para(doc, "{{ loop.index }}.\t{{ text }}", size=SMALL)
        item.paragraph_format.left_indent = Cm(0.6)
        item.paragraph_format.first_line_indent = Cm(-0.6)
        item.paragraph_format.tab_stops.add_tab_stop(Cm(0.6))
        tag(doc, "{%p endfor %}")
        tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not findings %}")
    para(doc, "Belum ada kekuatan, kelemahan atau rekomendasi yang dicatat untuk periode ini.")
    tag(doc, "{%p endif %}")


def _follow_up_table(doc, rows, *, carried):
    origin = ", tahun {{ f.origin_year }}" if carried else ""
    tag(doc, f"{{%p if {rows} %}}")
    _grid(
        doc,
        ["No.", "Rekomendasi dan tindak lanjut", "OPD", "Batas waktu", "Status"],
        [
            "{{ loop.index }}",
            "{{ f.recommendation }}{% if f.description %} Tindak lanjut: {{ f.description }}"
            "{% endif %} ({{ f.aspect }}" + origin + ")",
            "{{ f.agency }}",
            "{{ f.due_date_text }}",
            "{{ f.status }}",
        ],
        loop=f"f in {rows}",
        widths=(Cm(1), Cm(8.8), Cm(2), Cm(2.3), Cm(1.9)),
    )
    tag(doc, "{%p else %}")
    para(doc, "Tidak ada.")
    tag(doc, "{%p endif %}")


def _follow_ups(doc):
    _heading(doc, "BAB IV. TINDAK LANJUT")
    _subheading(doc, "Tindak lanjut atas rekomendasi tahun {{ year }}")
    _follow_up_table(doc, "follow_ups", carried=False)
    _subheading(doc, "Tindak lanjut tahun sebelumnya yang masih berjalan")
    _follow_up_table(doc, "carried_follow_ups", carried=True)


def _steps_and_signed(doc):
    _heading(doc, "BAB V. CATATAN MUTU BAKU PELAKSANAAN SOP")
    _grid(
        doc,
        ["No.", "Aktivitas", "Waktu standar", "Waktu nyata", "Tepat waktu", "Keluaran"],
        [
            "{{ s.number }}",
            "{{ s.activity }}",
            "{{ s.standard }}",
            "{{ s.actual }}",
            "{{ s.on_time }}",
            "{{ s.output }}",
        ],
        loop="s in steps",
        widths=(Cm(1), Cm(5.4), Cm(2.4), Cm(2.6), Cm(1.8), Cm(2.8)),
    )
    _heading(
        doc, "LAMPIRAN. DOKUMEN BERTANDA TANGAN", page_break=False
    ).paragraph_format.space_before = Pt(18)
    tag(doc, "{%p if signed_documents %}")
    _grid(
        doc,
        ["No.", "Dokumen", "Nomor", "Tanggal", "Tanda tangan"],
        [
            "{{ loop.index }}",
            "{{ d.kind }}",
            "{{ d.number }}",
            "{{ d.date_text }}",
            "{{ d.signature }}",
        ],
        loop="d in signed_documents",
        widths=(Cm(1), Cm(5), Cm(3.6), Cm(2.8), Cm(3.6)),
    )
    tag(doc, "{%p else %}")
    para(doc, "Belum ada surat atau pernyataan yang ditandatangani pada periode ini.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Dokumen ini disusun dengan aplikasi Monev SPBE dari data periode {{ cycle_name }}.",
        size=SMALL,
        before=Pt(18),
    )
    _approval(doc)
    tag(doc, "{%p if verification %}")
    para(
        doc,
        "Keaslian dokumen ini (versi PDF) dapat diperiksa di {{ verification.url }} — kode "
        "verifikasi {{ verification.code }}.",
        size=Pt(9),
        before=Pt(6),
    )
    tag(doc, "{%p endif %}")


def _approval(doc):
    """Mengetahui (the Sekretaris Daerah, left) and Yang membuat (the head of Diskominfo,
    right, under the place and date), as in the PDF."""
    tag(doc, "{%p if approval %}")
    left, right = _signature_table(doc, (Cm(8), Cm(8)))
    _signature_cell(left, lines=["", "Mengetahui,"], who="approval.signer")
    _signature_cell(right, lines=["{{ place_date }}", "Yang membuat,"], who="approval.maker")
    tag(doc, "{%p endif %}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "evaluation.docx"
    build_evaluation(target)
    print(f"wrote {target}")
