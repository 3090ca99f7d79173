"""The letter as a PDF or DOCX Document."""

from django.core.exceptions import PermissionDenied
from django.utils import translation

from audit.services import target_of
from cycles.permissions import is_closed
from documents.downloads import current_document
from documents.letters import LETTER_HTML, prepare_letter_context
from documents.models import Document
from documents.services import generate_pdf, render_docx_document, store_document
from letters import permissions
from letters.circular import EDARAN_HTML, EDARAN_KIND, prepare_circular_context
from letters.models import Letter
from letters.queries import letter_context

FORMATS = ("pdf", "docx")


def letter_document(letter, *, by, format):
    """The letter as a PDF or DOCX Document (documents.downloads.current_document): the
    newest stored version, or a new version generated when the letter changed since that
    one was made; in a closed cycle always the stored one. Two simultaneous first
    downloads make one version.

    The PDF carries its verification link and QR code (documents.services.generate_pdf);
    the DOCX comes from the institution's Word template for letters, or the shipped one.
    A Surat Edaran prints in its own layout (letters.circular; documents/edaran.html and
    the "edaran" Word template kind) with its issuing unit's kop.
    Side effects, only when generating: a Document version stored through
    documents.services (which writes its audit event "document.generated").
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown letter format: {format!r}")
    if not permissions.can_view_letter(by, letter):
        raise PermissionDenied
    return current_document(
        source=target_of(letter),
        format=format,
        lock=Letter.objects.filter(pk=letter.pk),
        changed_at=letter.updated_at,
        frozen=is_closed(letter.cycle),
        make=lambda: _generate(letter, by=by, format=format),
    )


def _generate(letter, *, by, format):
    source = target_of(letter)
    institution = letter.cycle.institution
    # An official letter is Indonesian whatever language its reader's screens are in.
    circular = letter.kind == Letter.Kind.CIRCULAR
    prepare = prepare_circular_context if circular else prepare_letter_context
    with translation.override("id"):
        context = prepare(letter_context(letter))
        stored = {
            "institution": institution,
            "cycle": letter.cycle,
            "kind": f"letter.{letter.kind}",
            "source": source,
            "title": letter.get_kind_display(),
            "number": letter.number,
            "by": by,
            "signature": (letter.signature or Document.Signature.PENDING, letter.signed_at),
        }
        if format == "pdf":
            template_name = EDARAN_HTML if circular else LETTER_HTML
            return generate_pdf(template_name=template_name, context=context, **stored)
        content = render_docx_document(institution, EDARAN_KIND if circular else "letter", context)
    return store_document(format=format, content=content, **stored)
