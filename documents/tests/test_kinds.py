"""The registry of Word template kinds, institution templates per kind, and the sandbox that
keeps a template away from the database, files and settings."""

import io
from pathlib import Path

import docx
import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from jinja2.exceptions import SecurityError, UndefinedError

from audit.models import AuditEvent
from documents import kinds
from documents.letters import LETTER_TEMPLATE, sample_render_context
from documents.models import DocumentTemplate
from documents.placeholders import LETTER_PLACEHOLDERS
from documents.render import check_docx_template, render_docx
from documents.services import render_docx_document, upload_template


def word_bytes(*paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word_file(*paragraphs, name="kop.docx"):
    return SimpleUploadedFile(name, word_bytes(*paragraphs))


def text_of(content):
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


@pytest.fixture
def minutes_kind(tmp_path):
    """A kind registered the way another app does it, removed again after the test."""
    default = tmp_path / "notulen.docx"
    default.write_bytes(word_bytes("NOTULEN BAWAAN {{ judul }}"))
    kind = kinds.register(
        kinds.TemplateKind(
            key="notulen_uji",
            label="Notulen uji",
            default_template=default,
            placeholders=[("{{ judul }}", "judul rapat")],
            sample_context=lambda: {"judul": "Rapat Koordinasi SPBE"},
        )
    )
    yield kind
    del kinds._registry[kind.key]


# --- The registry --------------------------------------------------------------------------


def test_the_letter_kind_is_registered_by_documents():
    letter = kinds.get("letter")
    assert (letter.key, str(letter.label), letter.default_template) == (
        "letter",
        "Surat",
        LETTER_TEMPLATE,
    )
    assert letter.placeholders == LETTER_PLACEHOLDERS
    assert letter.sample_context() == sample_render_context()
    assert kinds.all_kinds()[0] == letter


def test_an_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        kinds.get("surat_cinta")


def test_registering_again_at_start_up_is_harmless(minutes_kind):
    again = kinds.TemplateKind(
        key="notulen_uji",
        label="Notulen uji",
        default_template=minutes_kind.default_template,
        placeholders=[],
        sample_context=dict,
    )
    kinds.register(again)
    assert kinds.get("notulen_uji") is again
    assert [k.key for k in kinds.all_kinds()].count("notulen_uji") == 1


def test_two_defaults_under_one_key_are_refused(minutes_kind):
    clash = kinds.TemplateKind(
        key="notulen_uji",
        label="Lain",
        default_template=Path("/elsewhere.docx"),
        placeholders=[],
        sample_context=dict,
    )
    with pytest.raises(ImproperlyConfigured):
        kinds.register(clash)


def test_the_template_kind_is_validated_against_the_registry(institution, coordinator):
    template = DocumentTemplate(
        institution=institution,
        kind="surat_cinta",
        file="x.docx",
        original_name="x.docx",
        sha256="0" * 64,
        uploaded_by=coordinator,
    )
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert error.value.message_dict == {"kind": ["Jenis templat tidak dikenal: surat_cinta"]}
    template.kind = "letter"
    template.full_clean()


# --- Uploading and rendering per kind ---------------------------------------------------------


def test_a_kind_is_checked_against_its_own_sample(institution, coordinator, minutes_kind):
    template = upload_template(
        institution,
        by=coordinator,
        kind="notulen_uji",
        uploaded_file=word_file("NOTULEN KOTA {{ judul }}", name="notulen.docx"),
    )
    assert (template.kind, template.original_name) == ("notulen_uji", "notulen.docx")
    event = AuditEvent.objects.get(action="template.uploaded")
    assert event.after == {
        "kind": "notulen_uji",
        "sha256": template.sha256,
        "name": "notulen.docx",
    }
    # The letter's sample has no `judul`: the same file is no letter template.
    with pytest.raises(ValidationError) as error:
        upload_template(
            institution,
            by=coordinator,
            kind="letter",
            uploaded_file=word_file("NOTULEN KOTA {{ judul }}"),
        )
    assert error.value.messages == ["Isian tidak dikenal: {{ judul }}"]
    assert DocumentTemplate.objects.count() == 1


def test_an_unknown_kind_cannot_be_uploaded(institution, coordinator):
    with pytest.raises(ValidationError) as error:
        upload_template(
            institution, by=coordinator, kind="surat_cinta", uploaded_file=word_file("x")
        )
    assert error.value.messages == ["Jenis templat tidak dikenal: surat_cinta"]


@pytest.mark.parametrize("persona", ["supervisor", "evaluator", "agency_user", "outsider"])
def test_only_the_institutions_admin_or_coordinator_uploads(request, institution, persona):
    with pytest.raises(PermissionDenied):
        upload_template(
            institution,
            by=request.getfixturevalue(persona),
            kind="letter",
            uploaded_file=word_file("{{ subject }}"),
        )


def test_render_docx_document_uses_the_default_until_an_own_template(
    institution, other_institution, coordinator, minutes_kind
):
    context = {"judul": "Rapat 3 Desember"}
    assert text_of(render_docx_document(institution, "notulen_uji", context)) == [
        "NOTULEN BAWAAN Rapat 3 Desember"
    ]
    upload_template(
        institution,
        by=coordinator,
        kind="notulen_uji",
        uploaded_file=word_file("NOTULEN PONTIANAK {{ judul }}"),
    )
    assert text_of(render_docx_document(institution, "notulen_uji", context)) == [
        "NOTULEN PONTIANAK Rapat 3 Desember"
    ]
    # The newest upload is the one in use; another institution keeps the default.
    upload_template(
        institution,
        by=coordinator,
        kind="notulen_uji",
        uploaded_file=word_file("NOTULEN BARU {{ judul }}"),
    )
    assert text_of(render_docx_document(institution, "notulen_uji", context)) == [
        "NOTULEN BARU Rapat 3 Desember"
    ]
    assert text_of(render_docx_document(other_institution, "notulen_uji", context)) == [
        "NOTULEN BAWAAN Rapat 3 Desember"
    ]


def test_an_own_template_failing_on_real_data_falls_back_to_the_default(
    institution, coordinator, minutes_kind, caplog
):
    # Fine with the sample (a title), fails when a meeting has none.
    upload_template(
        institution,
        by=coordinator,
        kind="notulen_uji",
        uploaded_file=word_file("{{ judul.upper() }}"),
    )
    content = render_docx_document(institution, "notulen_uji", {"judul": None})
    assert text_of(content) == ["NOTULEN BAWAAN None"]
    assert "using the default" in caplog.text


def test_render_docx_document_of_an_unknown_kind(institution):
    with pytest.raises(KeyError):
        render_docx_document(institution, "surat_cinta", {})


# --- The sandbox ---------------------------------------------------------------------------------

SAMPLE = sample_render_context()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{{ ''.__class__ }}",
            "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
            "access to attribute '__class__' of 'str' object is unsafe.",
        ),
        (
            "{{ subject.__class__.__mro__[1].__subclasses__() }}",
            "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
            "access to attribute '__class__' of 'str' object is unsafe.",
        ),
        (
            "{{ cycler.__init__.__globals__ }}",
            "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
            "access to attribute '__init__' of 'type' object is unsafe.",
        ),
        ("{{ settings.SECRET_KEY }}", "Isian tidak dikenal: {{ settings }}"),
        ("{{ config }}", "Isian tidak dikenal: {{ config }}"),
        ("{{ request.user }}", "Isian tidak dikenal: {{ request }}"),
        (
            "{% include '/etc/passwd' %}",
            "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
            "loading another template or file is not allowed: '/etc/passwd'",
        ),
        (
            "{% extends 'base.html' %}",
            "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
            "loading another template or file is not allowed: 'base.html'",
        ),
        (
            "{% import 'documents/letter.html' as letter %}",
            "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
            "loading another template or file is not allowed: 'documents/letter.html'",
        ),
        (
            "{{ institution.objects.all() }}",
            "Isian tidak dapat diisi: 'dict object' has no attribute 'objects'",
        ),
        (
            "{{ addressees.append(1) }}",
            "Templat mencoba mengakses sesuatu yang tidak diizinkan: "
            "access to attribute 'append' of 'list' object is unsafe.",
        ),
        (
            "{{ range(100000000)|list|length }}",
            "Templat membuat hasil yang terlalu besar (perulangan terlalu panjang).",
        ),
    ],
)
def test_a_template_reaching_outside_its_data_is_refused(source, message):
    assert check_docx_template(word_bytes(source), context=SAMPLE) == [message]


def test_a_model_in_the_context_is_only_its_text(institution, django_assert_num_queries):
    """Whatever a caller passes, the template sees text: no manager, no query, no field."""
    with django_assert_num_queries(0):
        content = render_docx(
            word_bytes("[{{ inst }}][{{ inst.pk }}][{{ inst.name }}][{{ inst.objects }}]"),
            {"inst": institution},
        )
        assert text_of(content) == ["[Pemerintah Kota Pontianak][][][]"]
        with pytest.raises(UndefinedError):
            render_docx(word_bytes("{{ inst.objects.all() }}"), {"inst": institution})
        with pytest.raises(SecurityError):
            render_docx(word_bytes("{{ inst.__class__.objects.all() }}"), {"inst": institution})


def test_an_uploaded_template_reaching_outside_is_refused_and_nothing_stored(
    institution, coordinator, media_root
):
    for source in ("{{ ''.__class__ }}", "{% include '/etc/passwd' %}", "{{ settings }}"):
        with pytest.raises(ValidationError):
            upload_template(
                institution, by=coordinator, kind="letter", uploaded_file=word_file(source)
            )
    assert DocumentTemplate.objects.count() == 0
    assert not (media_root / "templates").exists()
