"""Every write to letters: drafting a cycle's step-1 letters, editing, the supervisor's
disposition, numbering, signature and dispatch to the OPDs (SOP steps 1-3).

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction, writes an audit event and notifies people
(e-mails leave after commit, see notifications.services.notify).

The package, by SOP stage: drafting (step 1: draft, update, submit; the Surat Edaran
Sekretaris Daerah of step 4 too), disposition (step 2), numbering (the institution's yearly
number sequence, shared with other numbered documents, or an issuing unit's own register),
signature and dispatch (step 3: signed PDF or internal approval, sending to the OPDs, receipts),
documents (the letter as PDF / DOCX), issuing_units (the units with their own register,
set by the administrator). Import from the package: `from letters import services`.
"""

from letters.services._common import letter_url
from letters.services.dispatch import dispatch_letter, mark_letter_opened
from letters.services.disposition import DISPOSED, dispose_letter
from letters.services.documents import FORMATS, letter_document
from letters.services.drafting import (
    EDITABLE_FIELDS,
    draft_circular,
    draft_cycle_letters,
    submit_letter,
    update_letter,
)
from letters.services.issuing_units import save_issuing_unit
from letters.services.numbering import (
    format_letter_number,
    number_letter,
    peek_next_number,
    take_next_number,
)
from letters.services.signature import record_signature

__all__ = [
    "DISPOSED",
    "EDITABLE_FIELDS",
    "FORMATS",
    "dispatch_letter",
    "dispose_letter",
    "draft_circular",
    "draft_cycle_letters",
    "format_letter_number",
    "peek_next_number",
    "letter_document",
    "letter_url",
    "mark_letter_opened",
    "number_letter",
    "record_signature",
    "save_issuing_unit",
    "submit_letter",
    "take_next_number",
    "update_letter",
]
