"""The coat of arms in Word: the placeholder of the shipped kop, an institution's template
with or without it, and an SVG logo (none in Word)."""

import base64
import io

from docx import Document as WordDocument

from documents.letters import LETTER_TEMPLATE, render_letter_docx, sample_letter_context
from documents.render import check_docx_template
from documents.tests.logo_helpers import docx_pictures, logo_png

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def context_with(logo):
    context = sample_letter_context()
    context["institution"]["logo"] = logo
    return context


def own_template(text):
    document = WordDocument(LETTER_TEMPLATE)
    document.paragraphs[0].insert_paragraph_before(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_placeholder_is_known_to_the_template_check():
    assert check_docx_template(own_template("{{ letterhead_logo_image }}")) == []
    assert check_docx_template(own_template("KOP SENDIRI")) == []


def test_a_wide_logo_is_2_6_cm_wide():
    png = base64.b64encode(logo_png(size=(520, 260))).decode()
    data = render_letter_docx(context_with(f"data:image/png;base64,{png}"))
    relations, anchors = docx_pictures(data)
    assert (len(relations), anchors) == (1, [(2.6, 1.3, "margin")])


def test_an_own_template_without_the_placeholder_has_no_picture():
    # An institution's template made before the coat of arms (the placeholder dropped).
    document = WordDocument(LETTER_TEMPLATE)
    runs = [run for p in document.paragraphs for run in p.runs if "logo_image" in run.text]
    assert len(runs) == 1
    runs[0].text = ""
    buffer = io.BytesIO()
    document.save(buffer)
    png = base64.b64encode(logo_png()).decode()
    data = render_letter_docx(context_with(f"data:image/png;base64,{png}"), template=buffer)
    assert docx_pictures(data) == ([], [])
    assert WordDocument(io.BytesIO(data)).paragraphs[0].text == "PEMERINTAH KOTA PONTIANAK"


def test_an_svg_logo_stays_out_of_word():
    svg = base64.b64encode(SVG.encode()).decode()
    data = render_letter_docx(context_with(f"data:image/svg+xml;base64,{svg}"))
    assert docx_pictures(data) == ([], [])
