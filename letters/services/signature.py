"""Step 3: recording a numbered letter's signature (signed PDF from TTE / SRIKANDI, or an
internal approval), through the shared steps of documents.signing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from audit.services import target_of
from documents.signing import check_signature_choice, signing
from letters import permissions
from letters.models import Letter
from letters.services._common import _lock


def _check_numbered(letter):
    if letter.status != Letter.Status.NUMBERED:
        if letter.is_signed:
            raise ValidationError(_("Surat ini sudah ditandatangani."), code="signed")
        raise ValidationError(
            _("Surat harus bernomor sebelum ditandatangani."), code="not_numbered"
        )


def _lock_numbered(letter):
    _lock(letter)
    _check_numbered(letter)


def record_signature(letter, *, by, signed_pdf=None, internal_approval=False):
    """Record that a numbered letter is signed: the signed PDF from TTE / SRIKANDI, or an
    internal approval by the named signer.

    The PDF is checked by its content (at most 20 MB) and stored under a generated name
    with its SHA-256. Side effects: status "signed"; the letter's generated versions marked
    signed; audit "letter.signed" (documents.signing.signing). A rejected file changes
    nothing.
    """
    if not permissions.can_sign_letter(by, letter):
        raise PermissionDenied
    _check_numbered(letter)
    check_signature_choice(signed_pdf, internal_approval)
    with signing(
        letter,
        by=by,
        signed_pdf=signed_pdf,
        lock=_lock_numbered,
        event="letter.signed",
        source=target_of(letter),
    ):
        pass
    return letter
