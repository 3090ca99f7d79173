"""The meeting's invitation letter (it then runs the letters' own flow)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from audit.services import record_event
from letters import permissions as letter_permissions
from letters.models import Letter
from letters.services import update_letter
from letters.texts import default_carbon_copies, default_signer
from meetings import permissions
from meetings.models import Meeting
from meetings.texts import invitation_texts


def draft_meeting_invitation(meeting, *, by):
    """Draft the meeting's invitation letter (Surat Undangan Rapat Koordinasi) to the
    cycle's OPDs from the schedule, signed by the institution's signer. It then runs the
    letters' own flow (submit_letter → dispose_letter → number_letter → record_signature →
    dispatch_letter), which leaves the clock of SOP steps 1-3 alone for this kind.

    Returns the Letter. Side effects: the Letter in draft with its recipients, linked to the
    meeting; audit "letter.drafted" (on the letter, as for the step-1 letters).
    """
    cycle = meeting.cycle
    if not letter_permissions.can_draft_letters(by, cycle):
        raise PermissionDenied
    permissions.check_not_frozen(meeting)
    institution = cycle.institution
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.invitation_id is not None:
            raise ValidationError(_("Undangan rapat ini sudah dibuat."), code="exists")
        if current.started_at is not None:
            raise ValidationError(_("Rapat sudah dimulai."), code="started")
        with translation.override("id"):
            subject, body, attachment = invitation_texts(meeting)
            signer_name, signer_title, signer_nip = default_signer(institution)
            carbon_copies = "\n".join(default_carbon_copies(institution))
        agencies = list(cycle.agencies.all())
        letter = Letter.objects.create(
            cycle=cycle,
            kind=Letter.Kind.MEETING_INVITATION,
            subject=subject,
            body=body,
            attachment=attachment,
            carbon_copies=carbon_copies,
            signer_name=signer_name,
            signer_title=signer_title,
            signer_nip=signer_nip,
            created_by=by,
        )
        letter.recipients.set(agencies)
        meeting.invitation = letter
        meeting.save(update_fields=["invitation", "updated_at"])
        record_event(
            "letter.drafted",
            by=by,
            institution=institution,
            target=letter,
            after={"kind": letter.kind, "recipients": len(agencies), "meeting": meeting.pk},
        )
    return letter


def _redraft_invitation(meeting, *, by):
    letter = meeting.invitation
    with translation.override("id"):
        subject, body, _attachment = invitation_texts(meeting)
    update_letter(
        letter,
        by=by,
        subject=subject,
        body=body,
        nature=letter.nature,
        attachment=letter.attachment,
        carbon_copies=letter.carbon_copies,
        signer_name=letter.signer_name,
        signer_title=letter.signer_title,
        signer_nip=letter.signer_nip,
    )
