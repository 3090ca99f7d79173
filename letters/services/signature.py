"""Step 3: recording a numbered letter's signature (signed PDF from TTE / SRIKANDI, or an
internal approval)."""

import hashlib
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from audit.services import record_event, target_of
from documents.services import mark_documents_signed
from letters import permissions
from letters.models import Letter
from letters.services._common import _lock

MAX_SIGNED_PDF_SIZE = 20 * 1024 * 1024


def check_signed_pdf(signed_pdf):
    """Check an uploaded signed PDF (from TTE / SRIKANDI), read in chunks: at most 20 MB,
    a PDF by its content (magic bytes and a parse). Returns its SHA-256; raises
    ValidationError with a message for the user otherwise."""
    not_pdf = ValidationError(_("Berkas tanda tangan harus PDF."), code="not_pdf")
    if signed_pdf.size is not None and signed_pdf.size > MAX_SIGNED_PDF_SIZE:
        raise ValidationError(_("Berkas tanda tangan melebihi 20 MB."), code="too_large")
    digest, size, head = hashlib.sha256(), 0, b""
    signed_pdf.seek(0)
    for chunk in signed_pdf.chunks():
        if len(head) < 5:
            head += chunk[: 5 - len(head)]
        size += len(chunk)
        if size > MAX_SIGNED_PDF_SIZE:
            raise ValidationError(_("Berkas tanda tangan melebihi 20 MB."), code="too_large")
        digest.update(chunk)
    if head != b"%PDF-":
        raise not_pdf
    signed_pdf.seek(0)
    try:
        pages = len(PdfReader(signed_pdf).pages)
    except Exception:  # any parser failure on untrusted bytes means "not a usable PDF"
        raise not_pdf from None
    if pages < 1:
        raise not_pdf
    signed_pdf.seek(0)
    return digest.hexdigest()


def _check_numbered(letter):
    if letter.status != Letter.Status.NUMBERED:
        if letter.is_signed:
            raise ValidationError(_("Surat ini sudah ditandatangani."), code="signed")
        raise ValidationError(
            _("Surat harus bernomor sebelum ditandatangani."), code="not_numbered"
        )


def record_signature(letter, *, by, signed_pdf=None, internal_approval=False):
    """Record that a numbered letter is signed: the signed PDF from TTE / SRIKANDI, or an
    internal approval by the named signer.

    The PDF is checked by its content (at most 20 MB) and stored under a generated name
    with its SHA-256. Side effects: status "signed"; audit "letter.signed". A rejected file
    changes nothing.
    """
    if not permissions.can_sign_letter(by, letter):
        raise PermissionDenied
    _check_numbered(letter)
    if (signed_pdf is None) == (not internal_approval):
        raise ValidationError(
            _(
                "Pilih salah satu: unggah PDF bertanda tangan elektronik, atau catat "
                "persetujuan internal penanda tangan."
            ),
            code="signature_choice",
        )
    sha256 = check_signed_pdf(signed_pdf) if signed_pdf is not None else ""
    stored_name = None
    try:
        with transaction.atomic():
            _lock(letter)
            _check_numbered(letter)
            if signed_pdf is not None:
                letter.signed_file.save(f"{uuid.uuid4().hex}.pdf", signed_pdf, save=False)
                stored_name = letter.signed_file.name
                letter.signature = Letter.Signature.UPLOAD
            else:
                letter.signature = Letter.Signature.INTERNAL
            letter.signed_file_sha256 = sha256
            letter.signed_at = timezone.now()
            letter.status = Letter.Status.SIGNED
            letter.save(
                update_fields=[
                    "signed_file",
                    "signed_file_sha256",
                    "signature",
                    "signed_at",
                    "status",
                    "updated_at",
                ]
            )
            mark_documents_signed(
                target_of(letter),
                number=letter.number,
                signature=letter.signature,
                signed_at=letter.signed_at,
            )
            record_event(
                "letter.signed",
                by=by,
                institution=letter.cycle.institution,
                target=letter,
                before={"status": Letter.Status.NUMBERED},
                after={
                    "status": letter.status,
                    "signature": letter.signature,
                    "signer": letter.signer_name,
                    "sha256": sha256,
                },
            )
    except Exception:
        if stored_name:
            letter.signed_file.storage.delete(stored_name)
        raise
    return letter
