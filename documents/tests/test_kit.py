"""The official-document kit: the kop, the signature block and the file download that every
app's documents share."""

import io

import pypdf
from django.template import Context, Template

from documents.downloads import file_response
from documents.letters import institution_fields, kop_context
from documents.render import render_pdf

LOGO = (
    "data:image/svg+xml;base64,"
    "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCI+"
    "PHJlY3Qgd2lkdGg9IjEwIiBoZWlnaHQ9IjEwIi8+PC9zdmc+"
)


def render(source, **context):
    return Template("{% load official %}" + source).render(Context(context))


def test_kop_from_an_institution_model(institution):
    institution.letterhead = "PEMERINTAH KOTA CONTOH\nDINAS KOMUNIKASI DAN INFORMATIKA"
    institution.address = "Jalan Merdeka 1\nContoh"
    institution.phone = "(0561) 1"
    institution.email = ""
    institution.website = "contoh.go.id"
    html = render("{% kop %}", institution=institution)
    assert '<div class="kop-title">PEMERINTAH KOTA CONTOH</div>' in html
    assert '<div class="kop-line">DINAS KOMUNIKASI DAN INFORMATIKA</div>' in html
    assert '<div class="kop-contact">Jalan Merdeka 1, Contoh</div>' in html
    assert '<div class="kop-contact">Telepon (0561) 1, Laman contoh.go.id</div>' in html
    assert "kop-logo" not in html


def test_kop_from_the_context_with_a_logo(institution):
    fields = {**institution_fields(institution), "logo": LOGO}
    html = render("{% kop %}", **kop_context(fields))
    assert '<header class="kop with-logo">' in html
    assert f'<img class="kop-logo" src="{LOGO}" alt="">' in html


def test_kop_without_kop_lines_prints_the_name():
    context = kop_context({"name": "Pemerintah Kota Contoh", "letterhead_lines": []})
    assert context["letterhead_title"] == "Pemerintah Kota Contoh"
    assert context["institution"]["letterhead_lines"] == ["Pemerintah Kota Contoh"]
    assert context["letterhead_logo"] == ""


def test_kop_logo_is_drawn_in_the_pdf(institution):
    # The logo (a black 10 x 10 square in SVG) is drawn as a filled rectangle; the kop
    # alone, without the house CSS, draws nothing else but text.
    def drawing(logo):
        fields = {**institution_fields(institution), "logo": logo}
        pdf = pypdf.PdfReader(io.BytesIO(render_pdf("documents/_kop.html", kop_context(fields))))
        page = pdf.pages[0]
        return page.extract_text().split("\n")[0], page.get_contents().get_data()

    title, content = drawing(LOGO)
    assert title == "PEMERINTAH KOTA PONTIANAK"
    assert b"0 0 10 10 re\nf\n" in content
    title, content = drawing("")
    assert title == "PEMERINTAH KOTA PONTIANAK"
    assert b" re\n" not in content


def test_signature_block_variants():
    signer = {"name": "Ir. Mulyadi, M.T.", "title": "Sekretaris Daerah", "nip": "1970"}
    html = render(
        '{% include "documents/_signature.html" with signer=signer '
        'place_date="Contoh, 1 Mei 2026" role="Mengetahui," only %}',
        signer=signer,
    )
    lines = [line.strip() for line in html.splitlines() if line.strip()]
    assert lines == [
        "<div>Contoh, 1 Mei 2026</div>",
        "<div>Mengetahui,</div>",
        '<div class="signer-title">Sekretaris Daerah,</div>',
        '<div class="signer-space"></div>',
        '<div class="signer-name">Ir. Mulyadi, M.T.</div>',
        "<div>NIP. 1970</div>",
    ]
    html = render(
        '{% include "documents/_signature.html" with date_line=True role="Notulis," only %}'
    )
    lines = [line.strip() for line in html.splitlines() if line.strip()]
    assert lines == [
        "<div>&nbsp;</div>",
        "<div>Notulis,</div>",
        '<div class="signer-space"></div>',
        "<div>(.......................................)</div>",
    ]


def test_file_response_serves_the_stored_bytes(make_document):
    document = make_document(b"%PDF-1.7 tersimpan")
    response = file_response(document.file, "surat.pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.7 tersimpan"
    assert response["Content-Disposition"] == 'attachment; filename="surat.pdf"'
    assert response["Content-Type"] == "application/pdf"
