"""Build the project's Word template for letters, documents/docx/letter.docx.

The .docx is a project file (committed, used as it is); this script is how it was made and
regenerates it after a change of layout:

    .venv/bin/python documents/docx/build_templates.py

The template holds docxtpl tags (Jinja2): `{{ subject }}` prints a value, `{%p for ... %}` /
`{%p endfor %}` in a paragraph of their own repeat the paragraphs between them, `{%tr %}` the
same for table rows, `{%r %}` for runs. The placeholders are listed in documents/README.md.
An institution that wants its own letterhead edits a copy of this file in Word and uploads it.
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FONT = "Arial"  # Permendagri 1/2023 (tata naskah dinas): Arial 12
SIDE = Cm(9)  # left edge of the place/date line, the signature and the attachment reference


def build_letter(path):
    doc = Document()
    _page_setup(doc)
    _draft_header(doc)

    tag(doc, "{%p for letter in letters %}")
    letterhead(doc, new_page_in_loop=True)
    para(doc, "{{ place_date }}", indent=SIDE, after=Pt(12))
    _rows(
        doc,
        [
            ("Nomor", "{{ number_text }}"),
            ("Sifat", "{{ nature }}"),
            ("Lampiran", "{{ attachment_text }}"),
            ("Hal", "{{ subject }}"),
        ],
        widths=(Cm(2.4), Cm(0.5), Cm(13.1)),
    )
    para(doc, "", after=Pt(6))
    para(doc, "Yth. {{ letter.addressee }}")
    para(doc, "di –")
    para(doc, "Tempat", indent=Cm(1), after=Pt(12))
    tag(doc, "{%p for paragraph in paragraphs %}")
    body = para(doc, "{{ paragraph }}", after=Pt(6))
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1.25)
    tag(doc, "{%p endfor %}")
    _signature(doc)
    tag(doc, "{%p if carbon_copies %}")
    para(doc, "Tembusan:", size=Pt(10.5), before=Pt(18))
    tag(doc, "{%p for cc in carbon_copies %}")
    cc = para(doc, "{{ loop.index }}.\t{{ cc }}", size=Pt(10.5))
    cc.paragraph_format.left_indent = Cm(0.6)
    cc.paragraph_format.first_line_indent = Cm(-0.6)
    cc.paragraph_format.tab_stops.add_tab_stop(Cm(0.6))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    tag(doc, "{%p if distribution %}")
    _reference(doc)
    distribution_list(doc)
    _signature(doc)
    tag(doc, "{%p endif %}")

    tag(doc, "{%p for att in attachments %}")
    _reference(doc)
    para(doc, "{{ att.title }}", bold=True, center=True, after=Pt(12))
    _rows(
        doc,
        [
            ("Perangkat Daerah", "{{ att.agency }}"),
            ("Batas waktu pengisian", "{{ att.deadline_text }}"),
            ("Jumlah indikator", "{{ att.indicators|length }}"),
        ],
        widths=(Cm(5), Cm(0.5), Cm(10.5)),
    )
    para(doc, "", after=Pt(6))
    _grid(
        doc,
        ["No.", "Indikator", "Nama indikator", "Aspek"],
        ["{{ loop.index }}", "{{ i.number }}", "{{ i.name }}", "{{ i.aspect }}"],
        loop="i in att.indicators",
        widths=(Cm(1.2), Cm(2), Cm(7.3), Cm(5.5)),
    )
    note = para(
        doc,
        "Untuk setiap indikator di atas, Perangkat Daerah mengusulkan tingkat kematangan "
        "beserta penjelasan dan data dukungnya melalui aplikasi Monev SPBE"
        "{% if att.deadline_text %} paling lambat {{ att.deadline_text }}{% endif %}.",
        size=Pt(10.5),
        before=Pt(10),
    )
    note.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    tag(doc, "{%p endfor %}")

    # docxtpl renders these properties too; fixed values keep python-docx's defaults out.
    props = doc.core_properties
    props.author = "Monev SPBE"
    props.title = "Surat dinas"
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.last_modified_by = "Monev SPBE"
    doc.save(path)


# --- building blocks ----------------------------------------------------------------------


def para(doc, text="", *, bold=False, center=False, size=None, indent=None, before=0, after=0):
    paragraph = doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = size
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.space_before = before
    fmt.space_after = after
    if indent is not None:
        fmt.left_indent = indent
    return paragraph


def tag(doc, text):
    """A paragraph holding only a docxtpl paragraph tag; it disappears when rendered."""
    return para(doc, text)


def _page_setup(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.header_distance = Cm(1)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    # East Asian and complex-script fonts too, or Word falls back to its theme font there.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = 0
    normal.paragraph_format.line_spacing = 1.0


def _draft_header(doc):
    """On every page of a draft: a diagonal DRAF watermark and a red note in the header."""
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run("{%r if draft %}")
    header._p.append(parse_xml(WATERMARK))
    note = header.add_run("DRAF — belum bernomor dan belum ditandatangani")
    note.bold = True
    note.font.size = Pt(9)
    note.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    header.add_run("{%r endif %}")


# Word's own watermark shape (VML WordArt), as Word writes it for "Insert > Watermark".
VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
WATERMARK = f"""
<w:r {nsdecls("w")} {VML}>
  <w:rPr><w:noProof/></w:rPr>
  <w:pict>
    <v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
        path="m@7,l@8,m@5,21600l@6,21600e">
      <v:formulas>
        <v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
        <v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
        <v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
        <v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
        <v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
      </v:formulas>
      <v:path textpathok="t" o:connecttype="custom"
          o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
          o:connectangles="270,180,90,0"/>
      <v:textpath on="t" fitshape="t"/>
      <v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
      <o:lock v:ext="edit" text="t" shapetype="t"/>
    </v:shapetype>
    <v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136"
        style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:160pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
        o:allowincell="f" fillcolor="#c00000" stroked="f">
      <v:fill opacity=".15"/>
      <v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt;font-weight:bold"
          string="DRAF"/>
    </v:shape>
  </w:pict>
</w:r>
"""


def letterhead(doc, *, new_page_in_loop=False):
    """The kop of every Word template of the project (letters, statements, the Dokumen
    Evaluasi), from the same context names as the PDF kop (documents/_kop.html):
    `{{ letterhead_title }}` largest, the other kop lines, the contact lines and the
    thick-thin rule. The region's coat of arms is `{{ letterhead_logo_image }}` in the first
    line: a picture 2.6 cm high that documents.render.render_docx anchors at the left
    margin beside the kop lines (or nothing when the institution has none, or only an SVG).
    The kop lines keep 2.9 cm free on both sides, so they stay centred on the page and
    clear of the coat of arms, as Tata Naskah Dinas places them.

    `new_page_in_loop`: inside a `{%p for ... %}` of several letters, each letter after the
    first starts on a new page: a paragraph 1 pt high holding the page break comes before
    the kop (not in its first line: the coat of arms is placed from the top of that
    paragraph, which must begin on the new page)."""
    if new_page_in_loop:
        tag(doc, "{%p if not loop.first %}")
        breaker = para(doc)
        breaker.add_run().add_break(WD_BREAK.PAGE)
        breaker.paragraph_format.line_spacing = Pt(1)
        tag(doc, "{%p endif %}")
    first = para(doc, center=True)
    _kop_indents(first)
    first.add_run("{{ letterhead_logo_image }}")
    title = first.add_run("{{ letterhead_title }}")
    title.bold = True
    title.font.size = Pt(15)

    tag(doc, "{%p for line in letterhead_rest %}")
    _kop_indents(para(doc, "{{ line }}", bold=True, center=True, size=Pt(13)))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for line in contact_lines %}")
    _kop_indents(para(doc, "{{ line }}", center=True, size=Pt(9)))
    tag(doc, "{%p endfor %}")

    # The thick-thin rule under the kop: the bottom border of a tiny paragraph.
    rule = para(doc, "", after=Pt(14), size=Pt(2))
    rule.paragraph_format.line_spacing = Pt(4)
    rule._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="thickThinSmallGap" w:sz="24" '
            'w:space="1" w:color="000000"/></w:pBdr>'
        )
    )


KOP_SIDE = Cm(2.9)  # the coat of arms (2.6 cm) and a little room, on both sides


def _kop_indents(paragraph):
    paragraph.paragraph_format.left_indent = KOP_SIDE
    paragraph.paragraph_format.right_indent = KOP_SIDE


def distribution_list(doc):
    """The distribution list of a letter to many OPDs: its heading and one row per OPD
    (`distribution`, a list of {name, agency}); used by the letter and the Surat Edaran."""
    para(doc, "DAFTAR DISTRIBUSI", bold=True, center=True, after=Pt(12))
    _grid(
        doc,
        ["No.", "Yth.", "Perangkat Daerah"],
        ["{{ loop.index }}", "{{ a.name }}", "{{ a.agency }}"],
        loop="a in distribution",
        widths=(Cm(1.2), Cm(7.4), Cm(7.4)),
    )


def _signature(doc):
    title = para(doc, "{{ signer.title }},", indent=SIDE, before=Pt(14))
    title.paragraph_format.keep_with_next = True
    space = para(doc, "", indent=SIDE)
    space.paragraph_format.line_spacing = Cm(2.2)
    space.paragraph_format.keep_with_next = True
    name = para(doc, "", indent=SIDE)
    name.paragraph_format.keep_with_next = True
    run = name.add_run("{{ signer.name }}")
    run.bold = True
    run.underline = True
    tag(doc, "{%p if signer.nip %}")
    para(doc, "NIP. {{ signer.nip }}", indent=SIDE)
    tag(doc, "{%p endif %}")


def _reference(doc):
    """ "Lampiran surat / Nomor / Tanggal / Hal" at the top right of a distribution list or an
    attachment page; the first line starts the new page."""
    label = Cm(2)
    first = para(doc, "Lampiran surat", indent=SIDE, size=Pt(10.5))
    first.paragraph_format.page_break_before = True
    lines = (("Nomor", "number_text"), ("Tanggal", "date_text"), ("Hal", "subject"))
    for number, (name, key) in enumerate(lines):
        line = para(doc, f"{name}\t:\t{{{{ {key} }}}}", size=Pt(10.5))
        fmt = line.paragraph_format
        fmt.left_indent = SIDE + label + Cm(0.4)
        fmt.first_line_indent = -(label + Cm(0.4))
        fmt.tab_stops.add_tab_stop(SIDE + label)
        fmt.tab_stops.add_tab_stop(SIDE + label + Cm(0.4))
        if number == len(lines) - 1:
            fmt.space_after = Pt(16)


def _rows(doc, rows, *, widths):
    """A borderless label : value table (Nomor, Sifat, ...)."""
    table = doc.add_table(rows=len(rows), cols=3)
    table.autofit = False
    for row, (label, value) in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, (label, ":", value), strict=True):
            cell.paragraphs[0].add_run(text)
    _no_cell_margins(table)
    _fix_widths(table, widths)
    return table


def _grid(doc, headings, cells, *, loop, widths):
    """A bordered table: a heading row repeated on every page, then one row per item."""
    table = doc.add_table(rows=4, cols=len(headings))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    heading_row, loop_start, item_row, loop_end = table.rows
    heading_row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for cell, text in zip(heading_row.cells, headings, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(10.5)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "E8E8E8")
    loop_start.cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    loop_end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for index, (cell, text) in enumerate(zip(item_row.cells, cells, strict=True)):
        run = cell.paragraphs[0].add_run(text)
        run.font.size = Pt(10.5)
        if index == 0 or text.startswith("{{ i.number"):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fix_widths(table, widths)
    return table


def _fix_widths(table, widths):
    """Column widths as Word and LibreOffice both read them: the grid and every cell."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _shade(cell, fill):
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def _no_cell_margins(table):
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "letter.docx"
    build_letter(target)
    print(f"wrote {target}")
