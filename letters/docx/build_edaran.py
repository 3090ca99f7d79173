"""Build the Word template of the Surat Edaran Sekretaris Daerah, letters/docx/edaran.docx,
from the building blocks of the project's other Word templates (documents/docx/
build_templates.py: page setup, DRAF header, kop, signature). Regenerate after a change of
layout (or of the shared kop):

    .venv/bin/python letters/docx/build_edaran.py

The placeholders are letters.circular.EDARAN_PLACEHOLDERS (its context:
prepare_circular_context).
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from documents.docx.build_templates import (  # noqa: E402
    SIDE,
    _draft_header,
    _page_setup,
    _reference,
    _signature,
    distribution_list,
    letterhead,
    para,
    tag,
)

HERE = Path(__file__).resolve().parent
ENACTED = Cm(3.0)  # "Ditetapkan di" and its colon, before the place and the date


def build_edaran(path):
    doc = Document()
    _page_setup(doc)
    _draft_header(doc)
    letterhead(doc)

    para(doc, "Yth. {{ addressee_line }}")
    para(doc, "(daftar distribusi terlampir)", after=Pt(16))
    for text in ("SURAT EDARAN {{ issuer_title }}", "NOMOR {{ number_text }}", "TENTANG"):
        para(doc, text, bold=True, center=True)
    para(doc, "{{ subject_title }}", bold=True, center=True, after=Pt(14))

    tag(doc, "{%p for point in points %}")
    point = para(doc, "{{ loop.index }}.\t{{ point.text }}", after=Pt(4))
    _hanging(point, Cm(0), Cm(0.8))
    tag(doc, "{%p for item in point.subpoints %}")
    item = para(doc, "{{ item.label }}.\t{{ item.text }}", after=Pt(3))
    _hanging(item, Cm(0.8), Cm(0.6))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    for label, value, before in (
        ("Ditetapkan di", "{{ place }}", Pt(14)),
        ("pada tanggal", "{{ date_text }}", 0),
    ):
        line = para(doc, f"{label}\t:\t{value}", indent=SIDE + ENACTED, before=before)
        fmt = line.paragraph_format
        fmt.first_line_indent = -ENACTED
        fmt.tab_stops.add_tab_stop(SIDE + Cm(2.7))
        fmt.tab_stops.add_tab_stop(SIDE + ENACTED)
        fmt.keep_with_next = True
    _signature(doc)

    tag(doc, "{%p if carbon_copies %}")
    para(doc, "Tembusan:", size=Pt(10.5), before=Pt(18))
    tag(doc, "{%p for cc in carbon_copies %}")
    cc = para(doc, "{{ loop.index }}.\t{{ cc }}", size=Pt(10.5))
    _hanging(cc, Cm(0), Cm(0.6))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if distribution %}")
    _reference(doc)
    # The reference of a Surat Edaran's attachment: "Lampiran Surat Edaran … Tentang".
    first, *_middle, last = doc.paragraphs[-4:]
    first.runs[0].text = "Lampiran Surat Edaran"
    last.runs[0].text = last.runs[0].text.replace("Hal\t", "Tentang\t")
    distribution_list(doc)
    _signature(doc)
    tag(doc, "{%p endif %}")

    props = doc.core_properties
    props.author = "Monev SPBE"
    props.title = "Surat Edaran"
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.last_modified_by = "Monev SPBE"
    doc.save(path)


def _hanging(paragraph, left, hang):
    """A numbered line: the number at `left`, the text (and its next lines) at left + hang."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = left + hang
    fmt.first_line_indent = -hang
    fmt.tab_stops.add_tab_stop(left + hang)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "edaran.docx"
    build_edaran(target)
    print(f"wrote {target}")
