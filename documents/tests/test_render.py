import io
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document as WordDocument
from jinja2.exceptions import SecurityError

from documents.letters import LETTER_TEMPLATE
from documents.render import StaticFilesURLFetcher, check_docx_template, render_docx


def word_template(*lines):
    """A .docx whose body is one paragraph per line, as bytes."""
    document = WordDocument()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def body_text(data):
    return [p.text for p in WordDocument(io.BytesIO(data)).paragraphs]


def test_check_docx_template_accepts_the_project_template():
    assert check_docx_template(LETTER_TEMPLATE) == []
    assert check_docx_template(LETTER_TEMPLATE.read_bytes()) == []


def test_check_docx_template_accepts_a_simple_own_template():
    template = word_template(
        "{{ institution.name }}",
        "Nomor: {{ number_text }}, {{ date|tanggal }}",
        "{%p for a in addressees %}",
        "Yth. {{ a.name }}",
        "{%p endfor %}",
    )
    assert check_docx_template(template) == []


def test_check_docx_template_reports_a_syntax_error():
    template = word_template("{%p for a in addressees %}", "Yth. {{ a.name }}")
    assert check_docx_template(template) == [
        "Kesalahan penulisan tag Jinja: Unexpected end of template. Jinja was looking for the "
        "following tags: 'endfor' or 'else'. The innermost block that needs to be closed is "
        "'for'. (di sekitar: {% for a in addressees %} Yth. {{ a.name }})"
    ]


def test_check_docx_template_reports_an_unknown_placeholder():
    template = word_template("Nomor: {{ nomer }}")
    assert check_docx_template(template) == ["Isian tidak dikenal: {{ nomer }}"]


def test_check_docx_template_refuses_what_is_not_a_word_file():
    assert check_docx_template(b"%PDF-1.7 not a word file") == [
        "Berkas bukan dokumen Word (.docx) yang dapat dibaca."
    ]


def test_check_docx_template_refuses_a_sandbox_escape():
    template = word_template("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    assert check_docx_template(template) == [
        "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
        "access to attribute '__class__' of 'str' object is unsafe."
    ]


def test_render_docx_sandbox_blocks_escapes():
    for source in (
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ institution.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
    ):
        with pytest.raises(SecurityError):
            render_docx(word_template(source), {"institution": {"name": "Kota"}})


def test_render_docx_context_cannot_be_changed_by_the_template():
    template = word_template("{{ addressees.append(1) }}{{ addressees|length }}")
    with pytest.raises(SecurityError):
        render_docx(template, {"addressees": []})


def test_render_docx_sees_objects_only_as_text():
    class Secretive:
        secret = "rahasia"

        def __str__(self):
            return "benda"

    data = render_docx(word_template("{{ thing }}|{{ thing.secret }}"), {"thing": Secretive()})
    assert body_text(data)[0] == "benda|"


def test_url_fetcher_refuses_network_and_files_outside_static():
    fetcher = StaticFilesURLFetcher()
    for url in (
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "ftp://example.com/logo.png",
        "file:///etc/passwd",
        Path(settings.BASE_DIR / "static" / ".." / "manage.py").as_uri(),
    ):
        with pytest.raises(ValueError, match="URL not allowed"):
            fetcher.fetch(url)


def test_url_fetcher_reads_static_files_and_data_urls():
    fetcher = StaticFilesURLFetcher()
    stylesheet = Path(settings.BASE_DIR / "static" / "css" / "monev.css")
    response = fetcher.fetch(stylesheet.as_uri())
    assert response.read() == stylesheet.read_bytes()
    response.close()
    response = fetcher.fetch("data:text/plain;base64,U1BCRQ==")
    assert response.read() == b"SPBE"
    response.close()
