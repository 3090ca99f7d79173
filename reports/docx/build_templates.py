"""Build the project's Word templates of the step-7 statements:
reports/docx/berita_acara.docx and reports/docx/publication_consent.docx.

The .docx files are project files (committed, used as they are); this script is how they
were made and regenerates them after a change of layout:

    .venv/bin/python reports/docx/build_templates.py

It reuses the building blocks of documents/docx/build_templates.py (page setup, DRAF
watermark, tables) so every template of the project has the same look. The placeholders are
listed in reports/kinds.py (shown on the template page); the context comes from
reports/content.py. An institution that wants its own letterhead edits a copy in Word and
uploads it.
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "documents" / "docx"))
import build_templates as base  # noqa: E402  (documents/docx/build_templates.py)

para, tag = base.para, base.tag
TEXT_WIDTH = Cm(16)  # A4 21 cm − 3 cm left − 2 cm right


def build(path, *, berita_acara):
    doc = Document()
    base._page_setup(doc)
    base._draft_header(doc)
    base.letterhead(doc)
    para(doc, "{{ title }}", bold=True, center=True, size=Pt(13))
    para(doc, "{{ subtitle }}", bold=True, center=True)
    para(doc, "Nomor: {{ number_text }}", center=True, after=Pt(12))
    if berita_acara:
        _berita_acara_body(doc)
    else:
        _publication_consent_body(doc)
    _justified(doc, "{%p for s in statements %}", "{{ s }}", "{%p endfor %}")
    if berita_acara:
        _two_signatures(doc)
    else:
        _signature(doc)

    props = doc.core_properties
    props.author = "Monev SPBE"
    props.title = "Berita Acara" if berita_acara else "Pernyataan Persetujuan Publikasi"
    props.subject = props.comments = props.keywords = ""
    props.last_modified_by = "Monev SPBE"
    doc.save(path)


def _berita_acara_body(doc):
    _justified(doc, None, "{{ opening }}", None)
    table = base._grid(
        doc,
        ["No.", "Nama", "Jabatan", "OPD / Unit"],
        ["{{ p.number }}", "{{ p.name }}", "{{ p.position }}", "{{ p.unit }}"],
        loop="p in participants",
        widths=(Cm(1.2), Cm(5), Cm(4.5), Cm(5.3)),
    )
    _space_after(doc, table)
    _justified(doc, None, "{{ result_intro }}", None)
    result = para(doc, "", center=True, before=Pt(4), after=Pt(6))
    for text, bold in (
        ("Indeks SPBE: ", False),
        ("{{ index }}", True),
        ("     Predikat: ", False),
        ("{{ rating }}", True),
    ):
        run = result.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(13)
    table = base._grid(
        doc,
        ["Domain / Aspek", "Nama", "Indeks"],
        ["{{ n.kind }} {{ n.number }}", "{{ n.name }}", "{{ n.display }}"],
        loop="n in nodes",
        widths=(Cm(3.2), Cm(10.6), Cm(2.2)),
    )
    _space_after(doc, table)


def _publication_consent_body(doc):
    para(doc, "{{ opening }}", after=Pt(6))
    rows = base._rows(
        doc,
        [
            ("Nama", "{{ signer.name }}"),
            ("NIP", "{{ signer.nip }}"),
            ("Jabatan", "{{ signer.title }}"),
            ("Instansi", "{{ institution.name }}"),
        ],
        widths=(Cm(3), Cm(0.5), Cm(12.5)),
    )
    for row in rows.rows:
        row.cells[0].paragraphs[0].paragraph_format.left_indent = Cm(1)
    para(doc, "", after=Pt(6))
    # Continues the sentence "Yang bertanda tangan di bawah ini: ...": no indent.
    _justified(doc, None, "{{ result_intro }}", None, indent=False)


def _justified(doc, start, text, end, *, indent=True):
    if start:
        tag(doc, start)
    paragraph = para(doc, text, after=Pt(6))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    if end:
        tag(doc, end)


def _space_after(doc, _table):
    para(doc, "", after=Pt(6))


def _signature_cell(cell, *, lines, who):
    """The lines above the title (place and date, "Yang membuat,"), the title, room to
    sign, the name bold and underlined, the NIP."""
    cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph().add_run(line)
    cell.add_paragraph().add_run(f"{{{{ {who}.title }}}},")
    space = cell.add_paragraph()
    space.paragraph_format.line_spacing = Cm(2.2)
    name = cell.add_paragraph().add_run(f"{{{{ {who}.name }}}}")
    name.bold = True
    name.underline = True
    cell.add_paragraph().add_run(f"{{% if {who}.nip %}}NIP. {{{{ {who}.nip }}}}{{% endif %}}")


def _signature_table(doc, widths):
    para(doc, "", after=Pt(6))
    table = doc.add_table(rows=1, cols=2)
    base._fix_widths(table, widths)
    # The signature block is never split over two pages.
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    return table.rows[0].cells


def _two_signatures(doc):
    """Yang membuat (left) and the signer who approves (right), side by side; the place
    and date above the right one."""
    left, right = _signature_table(doc, (Cm(8), Cm(8)))
    _signature_cell(left, lines=["", "Yang membuat,"], who="maker")
    _signature_cell(right, lines=["{{ place_date }}", "Mengetahui dan menyetujui,"], who="signer")


def _signature(doc):
    _left, right = _signature_table(doc, (Cm(8), Cm(8)))
    _signature_cell(right, lines=["{{ place_date }}"], who="signer")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    build(target / "berita_acara.docx", berita_acara=True)
    build(target / "publication_consent.docx", berita_acara=False)
    print(f"wrote {target}/berita_acara.docx, {target}/publication_consent.docx")
