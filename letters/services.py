"""Every write to letters: drafting a cycle's step-1 letters, editing, the supervisor's
disposition, numbering, signature and dispatch to the OPDs (SOP steps 1-3).

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction, writes an audit event and notifies people
(e-mails leave after commit, see notifications.services.notify).
"""

import hashlib
import threading
import uuid
from collections import defaultdict
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from audit.services import apply_changes, record_event, target_of
from cycles.models import Assignment, StepRun
from cycles.services import finish_step, hand_over_step, role_holders, start_step
from documents.dates import tanggal
from documents.letters import LETTER_HTML, prepare_letter_context
from documents.queries import latest_documents
from documents.services import generate_pdf, render_docx_document, store_document
from institutions.models import Membership, Role
from letters import permissions
from letters.models import STEP_ONE_KINDS, Disposition, Letter, NumberSequence, Receipt
from letters.queries import letter_context
from letters.texts import default_carbon_copies, default_signer, default_texts
from notifications.services import notify

MAX_SIGNED_PDF_SIZE = 20 * 1024 * 1024
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

# SQLite has no row locks: in the embedded mode (one process) this lock makes concurrent
# numbering requests wait for each other instead of failing with "database is locked".
_sqlite_numbering_lock = threading.Lock()


def letter_url(letter):
    return reverse("letter_detail", args=[letter.pk])


# --- Step 1: drafting --------------------------------------------------------------------


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
    letters = []
    with transaction.atomic():
        for kind, (subject, body, attachment) in texts.items():
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
                institution=institution,
                target=letter,
                after={"kind": kind, "recipients": len(agencies)},
            )
            letters.append(letter)
    return letters


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
    with transaction.atomic():
        _lock(letter)
        _check_editable(letter)
        apply_changes(
            letter, values, action="letter.updated", by=by, institution=letter.cycle.institution
        )
    return letter


def _lock(letter):
    """Lock the letter's row for this transaction and refresh its status from it, so two
    requests acting on the same letter at once cannot both pass the status check."""
    letter.status = (
        Letter.objects.select_for_update().values_list("status", flat=True).get(pk=letter.pk)
    )


def _step_one_letters(cycle):
    return list(Letter.objects.filter(cycle=cycle, kind__in=STEP_ONE_KINDS, agency=None))


def _step_running(cycle, number):
    return StepRun.objects.filter(
        cycle=cycle, number=number, status=StepRun.Status.RUNNING
    ).exists()


def _sole_holder(cycle, role):
    """The one person holding `role`, to hold a step; None when there are several or none."""
    people = list(role_holders(cycle, role)[:2])
    return people[0] if len(people) == 1 else None


def submit_letter(letter, *, by):
    """Submit a draft (or a returned letter, corrected) to the supervisor for disposition.

    Side effects: status "submitted"; a new Disposition round; audit "letter.submitted";
    the supervisors are notified. Once every step-1 letter of the cycle has been submitted,
    SOP step 1 finishes and step 2 starts; a resubmitted letter hands a running step 2 back
    to the supervisor who returned it.
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
            message=_("%(kind)s “%(subject)s” menunggu disposisi Anda.")
            % {"kind": letter.get_kind_display(), "subject": letter.subject},
            url=letter_url(letter),
        )
    return letter


# --- Step 2: disposition -----------------------------------------------------------------

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
    step-1 letter is approved, SOP step 2 finishes and step 3 starts.
    """
    if not permissions.can_dispose_letter(by, letter):
        raise PermissionDenied
    note, instruction, addressed_to = note.strip(), instruction.strip(), addressed_to.strip()
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
        values = {"kind": letter.get_kind_display(), "subject": letter.subject}
        if not approve:
            # Only a step-1 letter holds step 2 (a meeting invitation runs outside the clock).
            if letter.kind in STEP_ONE_KINDS and _step_running(cycle, 2):
                hand_over_step(cycle, 2, by=by, holder=letter.created_by)
            notify(
                [letter.created_by],
                key=f"letter:{letter.pk}:returned:{disposition.round}",
                message=_("%(kind)s “%(subject)s” dikembalikan Kabid: %(note)s")
                % {**values, "note": note},
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
            message=_("%(kind)s “%(subject)s” telah didisposisikan; mohon diberi nomor.") % values,
            url=letter_url(letter),
        )
    return letter


# --- Step 3: number, signature, dispatch -------------------------------------------------


def format_letter_number(institution, *, seq, year):
    try:
        return institution.letter_number_format.format(seq=seq, year=year)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            _("Format nomor surat instansi tidak valid: %(format)s")
            % {"format": institution.letter_number_format},
            code="number_format",
        ) from None


@contextmanager
def take_next_number(institution, *, today):
    """Take the next number of the institution's yearly sequence, shared by letters and
    every other numbered document (Berita Acara ...): `with take_next_number(...) as (seq,
    number):` and write the numbered row inside the block.

    The block is one transaction in which the sequence row stays locked, so concurrent
    requests get consecutive numbers, never the same and never a gap: an exception inside
    the block rolls the number back. On SQLite (no row locks) a process lock serializes the
    whole block instead of failing with "database is locked".
    """
    with _numbering_lock(), transaction.atomic():
        NumberSequence.objects.bulk_create(
            [NumberSequence(institution=institution, year=today.year)], ignore_conflicts=True
        )
        sequence = NumberSequence.objects.select_for_update().get(
            institution=institution, year=today.year
        )
        seq = sequence.last + 1
        number = format_letter_number(institution, seq=seq, year=today.year)
        sequence.last = seq
        sequence.save(update_fields=["last"])
        yield seq, number


@contextmanager
def _numbering_lock():
    if connection.vendor == "sqlite":
        with _sqlite_numbering_lock:
            yield
    else:
        yield


def number_letter(letter, *, by):
    """Give an approved letter the next number of its institution's yearly sequence
    (take_next_number). Side effects: number, sequence and letter date (today in the
    institution's time zone); status "numbered"; audit "letter.numbered".
    """
    if not permissions.can_number_letter(by, letter):
        raise PermissionDenied
    institution = letter.cycle.institution
    today = institution.today()
    with take_next_number(institution, today=today) as (seq, number):
        # Re-read under lock: another request may have numbered this letter meanwhile.
        current = Letter.objects.select_for_update().get(pk=letter.pk)
        if current.status != Letter.Status.APPROVED:
            if current.number:
                raise ValidationError(_("Surat ini sudah bernomor."), code="numbered")
            raise ValidationError(_("Surat belum didisposisikan Kabid."), code="not_approved")
        letter.number = number
        letter.sequence = seq
        letter.letter_date = today
        letter.status = Letter.Status.NUMBERED
        letter.save(update_fields=["number", "sequence", "letter_date", "status", "updated_at"])
        record_event(
            "letter.numbered",
            by=by,
            institution=institution,
            target=letter,
            before={"status": Letter.Status.APPROVED},
            after={"status": letter.status, "number": number, "date": today.isoformat()},
        )
    return letter


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


def dispatch_letter(letter, *, by):
    """Send a signed letter to its OPDs.

    Side effects: status "dispatched"; a Receipt per recipient OPD (delivered now); audit
    "letter.dispatched"; each OPD's operators are notified (in the app and by e-mail) with
    the indicators their OPD must answer. Once every step-1 letter is dispatched, SOP step 3
    finishes and step 4 starts.
    """
    if not permissions.can_dispatch_letter(by, letter):
        raise PermissionDenied
    cycle = letter.cycle
    with transaction.atomic():
        _lock(letter)
        if letter.status == Letter.Status.DISPATCHED:
            raise ValidationError(_("Surat ini sudah dikirim."), code="dispatched")
        if letter.status != Letter.Status.SIGNED:
            raise ValidationError(_("Surat belum ditandatangani."), code="not_signed")
        recipients = list(letter.recipients.all())
        now = timezone.now()
        Receipt.objects.bulk_create(
            Receipt(letter=letter, agency=agency, delivered_at=now) for agency in recipients
        )
        letter.status = Letter.Status.DISPATCHED
        letter.dispatched_at = now
        letter.save(update_fields=["status", "dispatched_at", "updated_at"])
        record_event(
            "letter.dispatched",
            by=by,
            institution=cycle.institution,
            target=letter,
            before={"status": Letter.Status.SIGNED},
            after={"status": letter.status, "recipients": len(recipients)},
        )
        _notify_recipients(letter, recipients)
        if letter.kind in STEP_ONE_KINDS and all(
            other.status == Letter.Status.DISPATCHED for other in _step_one_letters(cycle)
        ):
            finish_step(cycle, 3, by=by, output=_("Surat ditandatangani dan dikirim ke OPD"))
            start_step(cycle, 4, by=by)
    return letter


def _notify_recipients(letter, recipients):
    """Each recipient OPD's operators: the letter, and for a step-1 letter their OPD's
    indicators and the deadline."""
    operators = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Role.AGENCY, agency__in=recipients, user__is_active=True
    ).select_related("user"):
        operators[membership.agency_id].append(membership.user)
    indicators = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(cycle=letter.cycle, agency__in=recipients)
        .select_related("indicator")
        .order_by("indicator__position")
    ):
        indicators[assignment.agency_id].append(assignment.indicator)
    for agency in recipients:
        if not operators[agency.pk]:
            continue
        if letter.kind not in STEP_ONE_KINDS:
            notify(
                operators[agency.pk],
                key=f"letter:{letter.pk}:dispatched:{agency.pk}",
                message=_(
                    "%(kind)s nomor %(number)s “%(subject)s” dari %(institution)s telah "
                    "dikirim ke %(agency)s."
                )
                % {
                    "kind": letter.get_kind_display(),
                    "number": letter.number,
                    "subject": letter.subject,
                    "institution": letter.cycle.institution.name,
                    "agency": agency.name,
                },
                url=letter_url(letter),
            )
            continue
        own = indicators[agency.pk]
        listed = (
            "; ".join(f"{node.number}. {node.name}" for node in own)
            if own
            else _("belum ada indikator yang ditugaskan")
        )
        message = _(
            "%(kind)s nomor %(number)s “%(subject)s” dari %(institution)s telah dikirim ke "
            "%(agency)s. Batas waktu pengisian: %(deadline)s. Indikator yang harus dijawab "
            "OPD Anda (%(count)s): %(indicators)s."
        ) % {
            "kind": letter.get_kind_display(),
            "number": letter.number,
            "subject": letter.subject,
            "institution": letter.cycle.institution.name,
            "agency": agency.name,
            "deadline": tanggal(letter.cycle.deadline),
            "count": len(own),
            "indicators": listed,
        }
        notify(
            operators[agency.pk],
            key=f"letter:{letter.pk}:dispatched:{agency.pk}",
            message=message,
            url=letter_url(letter),
        )


def mark_letter_opened(letter, *, by):
    """An operator opened a dispatched letter: record it on their OPD's receipt, once.

    Returns the number of receipts marked. Side effects: opened_at / opened_by of the
    receipt(s) not opened before; audit "letter.opened" when something was marked.
    """
    if not permissions.is_recipient_operator(by, letter):
        raise PermissionDenied
    own = [agency.pk for agency in permissions.recipient_agencies_of(by, letter)]
    with transaction.atomic():
        marked = Receipt.objects.filter(
            letter=letter, agency_id__in=own, opened_at__isnull=True
        ).update(opened_at=timezone.now(), opened_by=by)
        if marked:
            record_event(
                "letter.opened",
                by=by,
                institution=letter.cycle.institution,
                target=letter,
                after={"agencies": own},
            )
    return marked


# --- Documents -----------------------------------------------------------------------------

FORMATS = ("pdf", "docx")


def letter_document(letter, *, by, format):
    """The letter as a PDF or DOCX Document: the newest stored version, or a new version
    generated when the letter changed since that one was made.

    The PDF carries its verification link and QR code (documents.services.generate_pdf);
    the DOCX comes from the institution's Word template for letters, or the shipped one.
    Side effects, only when generating: a Document version stored through
    documents.services (which writes its audit event "document.generated").
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown letter format: {format!r}")
    if not permissions.can_view_letter(by, letter):
        raise PermissionDenied
    source = target_of(letter)
    latest = next((d for d in latest_documents(source) if d.format == format), None)
    if latest is not None and latest.generated_at >= letter.updated_at:
        return latest
    institution = letter.cycle.institution
    # An official letter is Indonesian whatever language its reader's screens are in.
    with translation.override("id"):
        context = prepare_letter_context(letter_context(letter))
        stored = {
            "institution": institution,
            "cycle": letter.cycle,
            "kind": f"letter.{letter.kind}",
            "source": source,
            "title": letter.get_kind_display(),
            "number": letter.number,
            "by": by,
        }
        if format == "pdf":
            return generate_pdf(template_name=LETTER_HTML, context=context, **stored)
        content = render_docx_document(institution, "letter", context)
    return store_document(format=format, content=content, **stored)
