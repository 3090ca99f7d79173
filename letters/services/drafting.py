"""Step 1: drafting the cycle's letters, editing them, submitting them for disposition."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import apply_changes, record_event
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
from letters.texts import (
    circular_carbon_copies,
    circular_signer,
    circular_texts,
    default_carbon_copies,
    default_signer,
    default_texts,
)
from monev.limits import LONG_TEXT_LENGTH, NOTE_LENGTH, check_length
from notifications.messages import choice
from notifications.services import notify, settle

EDITABLE_FIELDS = [
    "subject",
    "body",
    "nature",
    "attachment",
    "carbon_copies",
    "signer_name",
    "signer_title",
    "signer_nip",
]


def draft_cycle_letters(cycle, *, by):
    """Draft the cycle's step-1 letters (Surat Undangan, Surat Permohonan Data) from the
    default texts, addressed to the cycle's OPDs. Returns them, the invitation first.

    Side effects: two Letter rows in draft; audit event "letter.drafted" per letter.
    """
    if not permissions.can_draft_letters(by, cycle):
        raise PermissionDenied
    if cycle.letters.filter(kind__in=STEP_ONE_KINDS).exists():
        raise ValidationError(
            _("Surat undangan dan permohonan data periode ini sudah dibuat."), code="exists"
        )
    try:
        return _create_step_one_letters(cycle, by=by)
    except IntegrityError:  # drafted by a concurrent request a moment ago
        raise ValidationError(
            _("Surat undangan dan permohonan data periode ini sudah dibuat."), code="exists"
        ) from None


def _create_step_one_letters(cycle, *, by):
    institution = cycle.institution
    # A letter is an Indonesian official document whatever language its author's UI uses.
    with translation.override("id"):
        signer_name, signer_title, signer_nip = default_signer(institution)
        carbon_copies = "\n".join(default_carbon_copies(institution))
        texts = default_texts(cycle)
    agencies = list(cycle.agencies.all())
    signer = (signer_name, signer_title, signer_nip)
    with transaction.atomic():
        return [
            _create_letter(
                cycle,
                kind,
                by=by,
                texts=(subject, body, attachment),
                carbon_copies=carbon_copies,
                signer=signer,
                agencies=agencies,
            )
            for kind, (subject, body, attachment) in texts.items()
        ]


def _create_letter(cycle, kind, *, by, texts, carbon_copies, signer, agencies):
    """One drafted letter of `kind` with its texts (subject, body, attachment), tembusan,
    signer (name, title, NIP) and recipient OPDs; audit "letter.drafted". Inside the
    caller's transaction."""
    subject, body, attachment = texts
    signer_name, signer_title, signer_nip = signer
    letter = Letter.objects.create(
        cycle=cycle,
        kind=kind,
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
    record_event(
        "letter.drafted",
        by=by,
        institution=cycle.institution,
        target=letter,
        after={"kind": kind, "recipients": len(agencies)},
    )
    return letter


def draft_circular(cycle, *, by):
    """Draft the cycle's Surat Edaran Sekretaris Daerah (SOP step 4's required item) from
    the cycle's data: signed by the institution's leader (the Sekda), addressed to every
    Kepala OPD of the cycle as one letter with a distribution list. It then goes the way of
    the other letters (submit, disposition, number from the secretariat unit's register,
    signature, dispatch).

    Side effects: one Letter in draft; audit event "letter.drafted".
    """
    if not permissions.can_draft_letters(by, cycle):
        raise PermissionDenied
    exists = ValidationError(
        _("Surat Edaran Sekretaris Daerah periode ini sudah dibuat."), code="exists"
    )
    if cycle.letters.filter(kind=Letter.Kind.CIRCULAR).exists():
        raise exists
    if not cycle.letters.filter(kind__in=STEP_ONE_KINDS).exists():
        raise ValidationError(
            _("Buat draf surat undangan dan surat permohonan data periode ini lebih dahulu."),
            code="no_step_one",
        )
    institution = cycle.institution
    with translation.override("id"):
        signer = circular_signer(institution)
        subject, body = circular_texts(cycle)
        carbon_copies = "\n".join(circular_carbon_copies(institution))
        attachment = _("1 (satu) berkas")
    try:
        with transaction.atomic():
            return _create_letter(
                cycle,
                Letter.Kind.CIRCULAR,
                by=by,
                texts=(subject, body, attachment),
                carbon_copies=carbon_copies,
                signer=signer,
                agencies=list(cycle.agencies.all()),
            )
    except IntegrityError:  # drafted by a concurrent request a moment ago
        raise exists from None


def _check_editable(letter):
    if letter.number or letter.status in (
        Letter.Status.NUMBERED,
        Letter.Status.SIGNED,
        Letter.Status.DISPATCHED,
    ):
        raise ValidationError(_("Surat yang sudah bernomor tidak dapat diubah."), code="numbered")
    if not letter.is_editable:
        raise ValidationError(
            _("Surat hanya dapat diubah selagi berstatus draf atau dikembalikan."),
            code="not_editable",
        )


def update_letter(
    letter,
    *,
    by,
    subject,
    body,
    nature,
    attachment,
    carbon_copies,
    signer_name,
    signer_title,
    signer_nip="",
):
    """Change a letter's text while the coordinator holds it (draft or returned).

    `carbon_copies` is a list of lines or a text with one per line. Side effects: audit
    event "letter.updated" with the changed fields before and after.
    """
    if not permissions.can_edit_letter(by, letter):
        raise PermissionDenied
    _check_editable(letter)
    if not isinstance(carbon_copies, str):
        carbon_copies = "\n".join(carbon_copies)
    values = {
        "subject": subject.strip(),
        "body": body.strip(),
        "nature": nature.strip(),
        "attachment": attachment.strip(),
        "carbon_copies": "\n".join(
            line.strip() for line in carbon_copies.splitlines() if line.strip()
        ),
        "signer_name": signer_name.strip(),
        "signer_title": signer_title.strip(),
        "signer_nip": signer_nip.strip(),
    }
    missing = [
        label
        for field, label in [
            ("subject", _("hal")),
            ("body", _("isi surat")),
            ("signer_name", _("nama penanda tangan")),
            ("signer_title", _("jabatan penanda tangan")),
        ]
        if not values[field]
    ]
    if missing:
        raise ValidationError(
            _("Lengkapi %(fields)s.") % {"fields": ", ".join(missing)}, code="required"
        )
    check_length(values["body"], LONG_TEXT_LENGTH, _("Isi surat"))
    check_length(values["carbon_copies"], NOTE_LENGTH, _("Tembusan"))
    with transaction.atomic():
        _lock(letter)
        _check_editable(letter)
        apply_changes(
            letter, values, action="letter.updated", by=by, institution=letter.cycle.institution
        )
    return letter


def submit_letter(letter, *, by):
    """Submit a draft (or a returned letter, corrected) to the supervisor for disposition.

    Side effects: status "submitted"; a new Disposition round; audit "letter.submitted";
    the supervisors are notified. Once every step-1 letter of the cycle has been submitted,
    SOP step 1 finishes and step 2 starts; a resubmitted letter hands a running step 2 back
    to the supervisor who returned it, and the "returned" notification is marked read.
    """
    if not permissions.can_submit_letter(by, letter):
        raise PermissionDenied
    cycle = letter.cycle
    with transaction.atomic():
        _lock(letter)
        if not letter.is_editable:
            raise ValidationError(
                _("Surat ini sudah diajukan dan tidak sedang dipegang koordinator."),
                code="not_editable",
            )
        before = letter.status
        last = letter.dispositions.order_by("-round").first()
        round_ = last.round + 1 if last else 1
        if last is not None:
            settle(keys=[f"letter:{letter.pk}:returned:{last.round}"])
        Disposition.objects.create(
            letter=letter, round=round_, submitted_by=by, submitted_at=timezone.now()
        )
        letter.status = Letter.Status.SUBMITTED
        letter.save(update_fields=["status", "updated_at"])
        record_event(
            "letter.submitted",
            by=by,
            institution=cycle.institution,
            target=letter,
            before={"status": before},
            after={"status": letter.status, "round": round_},
        )
        if letter.kind in STEP_ONE_KINDS:
            if all(other.status != Letter.Status.DRAFT for other in _step_one_letters(cycle)):
                finish_step(cycle, 1, by=by, output=_("Surat undangan dan permohonan data (draf)"))
                start_step(cycle, 2, by=by, holder=_sole_holder(cycle, Role.SUPERVISOR))
            if last is not None and last.decided_by and _step_running(cycle, 2):
                hand_over_step(cycle, 2, by=by, holder=last.decided_by)
        notify(
            role_holders(cycle, Role.SUPERVISOR),
            key=f"letter:{letter.pk}:submitted:{round_}",
            template=gettext_noop("%(kind)s “%(subject)s” menunggu disposisi Anda."),
            params={"kind": choice(letter, "kind"), "subject": letter.subject},
            url=letter_url(letter),
        )
    return letter
