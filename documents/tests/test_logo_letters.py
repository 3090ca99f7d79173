"""The coat of arms on a letter's kop, PDF and Word, read back."""

# The app's own fixtures, imported: pytest finds them in this module; the tests take them as
# arguments, which ruff reads as redefinitions.
# ruff: noqa: F811

import io

from docx import Document as WordDocument

from documents.tests.logo_helpers import content_of, docx_pictures, pdf_images, set_logo
from letters.services import letter_document
from letters.tests.conftest import _letters_settings, cycle, drafted, letter, staff  # noqa: F401


def test_letter_pdf_kop_has_the_logo(letter, coordinator, admin_user):
    set_logo(letter.cycle.institution, admin_user)
    data = content_of(letter_document(letter, by=coordinator, format="pdf"))
    # On the letter's kop, 2.6 cm high (300 × 360 px); the distribution list and the OPDs'
    # forms after it have no kop.
    images = pdf_images(data)
    assert images[0] == [(2.2, 2.6)]
    assert not any(images[1:])


def test_letter_pdf_without_a_logo_has_no_picture(letter, coordinator):
    data = content_of(letter_document(letter, by=coordinator, format="pdf"))
    images = pdf_images(data)
    assert len(images) > 1
    assert not any(images)


def test_letter_docx_kop_has_the_logo(letter, coordinator, admin_user):
    set_logo(letter.cycle.institution, admin_user)
    data = content_of(letter_document(letter, by=coordinator, format="docx"))
    relations, anchors = docx_pictures(data)
    assert len(relations) == 1
    # 300 × 360 px: 2.6 cm high, anchored at the left margin, once per letter.
    assert set(anchors) == {(2.17, 2.6, "margin")}
    first = WordDocument(io.BytesIO(data)).paragraphs[0]
    assert first.text == "PEMERINTAH KOTA PONTIANAK"
    assert first._p.xpath(".//wp:anchor")


def test_letter_docx_without_a_logo_has_no_picture(letter, coordinator):
    data = content_of(letter_document(letter, by=coordinator, format="docx"))
    assert docx_pictures(data) == ([], [])
