"""Step 2: the supervisor's disposition of a submitted letter."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from cycles.services import finish_step, hand_over_step, role_holders, start_step
from institutions.models import Role
from letters import permissions
from letters.models import STEP_ONE_KINDS, Disposition, Letter
from letters.services._common import (
    _lock,
    _sole_holder,
    _step_one_letters,
    _step_running,
    letter_url,
)
from monev.limits import NOTE_LENGTH, check_length
from notifications.messages import choice
from notifications.services import notify, settle

DISPOSED = (
    Letter.Status.APPROVED,
    Letter.Status.NUMBERED,
    Letter.Status.SIGNED,
    Letter.Status.DISPATCHED,
)


def dispose_letter(letter, *, by, approve, note="", instruction="", addressed_to=""):
    """The supervisor's disposition of a submitted letter: approve, or return with a note.

    Side effects: the round's verdict, note, instruction and addressee are recorded (every
    round is kept); status "approved" or "returned"; audit "letter.approved" or
    "letter.returned". On a return the coordinator who drafted the letter is notified and
    a running step 2 is handed to them. On approval the secretariat is notified; once every
    step-1 letter is approved, SOP step 2 finishes and step 3 starts. The supervisors'
    "waiting for your disposition" notifications of the round are marked read.
    """
    if not permissions.can_dispose_letter(by, letter):
        raise PermissionDenied
    note, instruction, addressed_to = note.strip(), instruction.strip(), addressed_to.strip()
    check_length(note, NOTE_LENGTH, _("Catatan"))
    check_length(instruction, NOTE_LENGTH, _("Instruksi disposisi"))
    if not approve and not note:
        raise ValidationError(
            _("Tuliskan catatan untuk koordinator saat mengembalikan surat."),
            code="note_required",
        )
    cycle = letter.cycle
    with transaction.atomic():
        _lock(letter)
        if letter.status != Letter.Status.SUBMITTED:
            raise ValidationError(
                _("Surat ini tidak sedang menunggu disposisi."), code="not_submitted"
            )
        disposition = letter.dispositions.order_by("-round").first()
        settle(keys=[f"letter:{letter.pk}:submitted:{disposition.round}"])
        disposition.decided_by = by
        disposition.decided_at = timezone.now()
        disposition.verdict = (
            Disposition.Verdict.APPROVED if approve else Disposition.Verdict.RETURNED
        )
        disposition.note = note
        disposition.instruction = instruction
        disposition.addressed_to = addressed_to
        disposition.save()
        letter.status = Letter.Status.APPROVED if approve else Letter.Status.RETURNED
        letter.save(update_fields=["status", "updated_at"])
        record_event(
            "letter.approved" if approve else "letter.returned",
            by=by,
            institution=cycle.institution,
            target=letter,
            before={"status": Letter.Status.SUBMITTED},
            after={
                "status": letter.status,
                "round": disposition.round,
                "instruction": instruction,
                "addressed_to": addressed_to,
            },
            reason=note,
        )
        values = {"kind": choice(letter, "kind"), "subject": letter.subject}
        if not approve:
            # Only a step-1 letter holds step 2 (a meeting invitation runs outside the clock).
            if letter.kind in STEP_ONE_KINDS and _step_running(cycle, 2):
                hand_over_step(cycle, 2, by=by, holder=letter.created_by)
            notify(
                [letter.created_by],
                key=f"letter:{letter.pk}:returned:{disposition.round}",
                template=gettext_noop("%(kind)s “%(subject)s” dikembalikan Kabid: %(note)s"),
                params={**values, "note": note},
                url=letter_url(letter),
            )
            return letter
        if letter.kind in STEP_ONE_KINDS and all(
            other.status in DISPOSED for other in _step_one_letters(cycle)
        ):
            finish_step(cycle, 2, by=by, output=_("Surat telah didisposisikan"))
            start_step(cycle, 3, by=by, holder=_sole_holder(cycle, Role.SECRETARIAT))
        notify(
            role_holders(cycle, Role.SECRETARIAT),
            key=f"letter:{letter.pk}:approved",
            template=gettext_noop(
                "%(kind)s “%(subject)s” telah didisposisikan; mohon diberi nomor."
            ),
            params=values,
            url=letter_url(letter),
        )
    return letter
