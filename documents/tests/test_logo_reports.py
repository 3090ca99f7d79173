"""The coat of arms on the kop of the Berita Acara (PDF and Word) and on the executive brief,
read back."""

# The app's own fixtures, imported: pytest finds them in this module; the tests take them as
# arguments, which ruff reads as redefinitions.
# ruff: noqa: F811

from documents.tests.logo_helpers import content_of, docx_pictures, pdf_images, set_logo
from reports import services
from reports.tests.conftest import (  # noqa: F401
    _media,
    berita_acara,
    consent,
    cycle,
    decided,
    final,
    indicators,
    meeting,
    numbered,
    staff,
)


def test_berita_acara_pdf_and_docx_kop_have_the_logo(numbered, secretariat, admin_user):
    set_logo(numbered.cycle.institution, admin_user)
    pdf = content_of(services.report_document(numbered, by=secretariat, format="pdf"))
    images = pdf_images(pdf)
    assert images[0] == [(2.2, 2.6)]
    assert not any(images[1:])
    docx = content_of(services.report_document(numbered, by=secretariat, format="docx"))
    relations, anchors = docx_pictures(docx)
    assert (len(relations), anchors) == (1, [(2.17, 2.6, "margin")])


def test_berita_acara_without_a_logo_has_no_picture(numbered, secretariat):
    pdf = content_of(services.report_document(numbered, by=secretariat, format="pdf"))
    assert not any(pdf_images(pdf))
    docx = content_of(services.report_document(numbered, by=secretariat, format="docx"))
    assert docx_pictures(docx) == ([], [])


def test_publication_consent_pdf_kop_has_the_logo(consent, coordinator, admin_user):
    set_logo(consent.cycle.institution, admin_user)
    pdf = content_of(services.report_document(consent, by=coordinator, format="pdf"))
    assert pdf_images(pdf)[0] == [(2.2, 2.6)]


def test_executive_brief_has_the_kop_with_the_logo_on_one_page(final, coordinator, admin_user):
    set_logo(final.institution, admin_user)
    pdf = content_of(services.brief_document(final, by=coordinator))
    assert pdf_images(pdf) == [[(2.2, 2.6)]]


def test_executive_brief_without_a_logo_has_no_picture(final, coordinator):
    pdf = content_of(services.brief_document(final, by=coordinator))
    assert pdf_images(pdf) == [[]]


def test_the_dokumen_evaluasi_kop_has_the_logo(final, coordinator, admin_user):
    # reports/evaluation_pdf.html prints {% kop %} from reports.evaluation's kop_context;
    # its Word template shares the letterhead of documents/docx/build_templates.py.
    from reports import evaluation

    set_logo(final.institution, admin_user)
    pdf, word = evaluation.generate_evaluation(final, by=coordinator)
    assert pdf_images(content_of(pdf))[0] == [(2.2, 2.6)]
    relations, anchors = docx_pictures(content_of(word))
    assert (2.17, 2.6, "margin") in anchors
