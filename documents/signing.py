"""Signing an official document: the steps every sign service shares (a letter's
letters.services.record_signature, a statement's reports.services.sign_report, later the
Dokumen Evaluasi's). Each service keeps its own permission checks and its own side effects;
the signed PDF's check, its storage, the record's signed state, the freezing of its
generated versions and the audit event are done here, the same way for all."""

import hashlib
import uuid
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from audit.services import record_event
from documents.services import mark_documents_signed

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


def check_signature_choice(signed_pdf, internal_approval):
    """A signature is either an uploaded signed PDF or an internal approval, never both or
    neither (ValidationError "signature_choice")."""
    if (signed_pdf is None) == (not internal_approval):
        raise ValidationError(
            _(
                "Pilih salah satu: unggah PDF bertanda tangan elektronik, atau catat "
                "persetujuan internal penanda tangan."
            ),
            code="signature_choice",
        )


@contextmanager
def signing(record, *, by, signed_pdf, lock, event, source, extra=None):
    """Sign `record` in one transaction, in which the with-block runs the sign service's own
    steps (its notifications, the SOP's steps) after the shared ones.

    `record` is a document record to sign (numbered, or the unnumbered Dokumen Evaluasi's
    approval): a model with signed_file, signed_file_sha256, signature, signed_at, status,
    number, signer_name and cycle, and the choices Signature.UPLOAD / INTERNAL and
    Status.SIGNED. `lock(record)` locks its row
    and checks again that it may be signed. `signed_pdf` (checked here by check_signed_pdf,
    before anything is written; its hash kept) or None for an internal approval.

    Side effects: the signed PDF stored under a generated name; signature, signed_file_sha256,
    signed_at (now), status "signed" and the `extra` fields saved; the generated versions of
    `source` carrying the record's number marked signed (documents.services); audit `event`
    (before: the status it had; after: status, signature, signer, sha256). When anything in the
    transaction fails, the stored file is deleted again: a rejected signing changes nothing.
    """
    sha256 = check_signed_pdf(signed_pdf) if signed_pdf is not None else ""
    model = type(record)
    extra = extra or {}
    stored_name = None
    try:
        with transaction.atomic():
            lock(record)
            before_status = record.status
            if signed_pdf is not None:
                record.signed_file.save(f"{uuid.uuid4().hex}.pdf", signed_pdf, save=False)
                stored_name = record.signed_file.name
                record.signature = model.Signature.UPLOAD
            else:
                record.signature = model.Signature.INTERNAL
            record.signed_file_sha256 = sha256
            record.signed_at = timezone.now()
            record.status = model.Status.SIGNED
            for name, value in extra.items():
                setattr(record, name, value)
            fields = ["signed_file", "signed_file_sha256", "signature", "signed_at", *extra]
            record.save(update_fields=[*fields, "status", "updated_at"])
            mark_documents_signed(
                source, number=record.number, signature=record.signature, signed_at=record.signed_at
            )
            record_event(
                event,
                by=by,
                institution=record.cycle.institution,
                target=record,
                before={"status": before_status},
                after={
                    "status": record.status,
                    "signature": record.signature,
                    "signer": record.signer_name,
                    "sha256": sha256,
                },
            )
            yield record
    except Exception:
        if stored_name:
            record.signed_file.storage.delete(stored_name)
        raise
