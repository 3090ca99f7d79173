"""The approval and signature of the Dokumen Evaluasi SPBE (SOP step 8), modelled on the
Berita Acara's (reports.services.sign_report) and signed through the same documents.signing.

The record is a SignedReport of kind "dokumen_evaluasi", one per cycle, created with the
first build of the document (reports.evaluation.generate_evaluation): "Yang membuat" is the
head of Diskominfo and "Mengetahui" the Sekretaris Daerah — the Berita Acara's maker and
signer when it exists, else the institution's letter signer and its one leader
(reports.services.default_people). The coordinator corrects them while it is a draft
(reports.services.update_report); each build prints them in the document's closing block.

Not numbered. The Dokumen Evaluasi SPBE is the report of the evaluation, not a letter: it
takes no number from the institution's letter register (which would use up a letter
number), and it is identified by its verification code. Its record goes draft → signed,
with no "numbered" state and no routing: each new build notifies the leaders that a version
waits for their approval.

The first build finishes SOP step 8 and so closes the cycle (cycles.permissions.is_closed):
the approval is the one record still written after that — its names corrected while a draft,
then its signature — as the document itself may still be built again until it is signed.

Signing: the leader's internal approval, or the PDF signed with TTE / SRIKANDI uploaded by
the leader or the secretariat (checked by its content). What is signed is the newest PDF
version, which must have been built after the last change of the names (else: build it
again first). From then on the Dokumen Evaluasi is frozen: a new build is refused
(check_not_signed), and its downloads serve the signed versions as stored, byte for byte
(signed_documents). There is no reopening: the Berita Acara has none either.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cycles.services import role_holders
from documents.downloads import newest_document
from documents.formal import tanggal
from documents.models import Document
from documents.signing import signing
from institutions.models import Role
from notifications.services import notify, settle
from reports import evaluation, permissions
from reports.models import SignedReport
from reports.services import _lock, check_signer, create_record, default_people

KIND = SignedReport.EVALUATION_KIND


def evaluation_record(cycle):
    """The cycle's Dokumen Evaluasi approval record, or None before the first build."""
    record = SignedReport.objects.filter(cycle=cycle, kind=KIND).select_related("signed_by").first()
    if record is not None:
        record.cycle = cycle
    return record


def _approval_key(cycle):
    return f"evaluation:{cycle.pk}:approval"


def evaluation_url(cycle):
    return reverse("evaluation", args=[cycle.pk])


def signed_error(record):
    return ValidationError(
        _(
            "Dokumen Evaluasi SPBE sudah ditandatangani pada %(date)s; versi yang "
            "ditandatangani tetap berlaku dan tidak dibuat ulang."
        )
        % {"date": tanggal(record.signed_at, time_zone=record.cycle.institution.time_zone)},
        code="signed",
    )


def check_not_signed(cycle):
    """Raise ValidationError ("signed") when the cycle's Dokumen Evaluasi is signed."""
    record = evaluation_record(cycle)
    if record is not None and record.is_signed:
        raise signed_error(record)


def lock_unsigned(record):
    """Inside a build's transaction: lock the approval's row and refuse (ValidationError
    "signed") when it was signed while the document was being built."""
    fresh = SignedReport.objects.select_for_update().get(pk=record.pk)
    if fresh.is_signed:
        fresh.cycle = record.cycle
        raise signed_error(fresh)


def prepare_evaluation_approval(cycle, *, by):
    """The cycle's approval record, created as a draft on the first call.

    Defaults: the Berita Acara's maker and signer (with their NIP) when it exists, else
    reports.services.default_people; the place is the institution's city. Side effects, only
    when creating: one SignedReport (kind "dokumen_evaluasi", draft); audit "report.prepared".
    """
    record = evaluation_record(cycle)
    if record is not None:
        return record
    institution = cycle.institution
    berita_acara = SignedReport.objects.filter(
        cycle=cycle, kind=SignedReport.Kind.BERITA_ACARA
    ).first()
    signer, maker = default_people(institution)
    if berita_acara is not None:
        signer = {name: getattr(berita_acara, name) for name in signer}
        if berita_acara.maker_name:
            maker = {name: getattr(berita_acara, name) for name in maker}
    values = {"place": institution.city or institution.name, **signer, **maker}
    try:
        with transaction.atomic():
            record = create_record(cycle, kind=KIND, by=by, values=values)
    except IntegrityError:  # created by a concurrent build a moment ago
        return evaluation_record(cycle)
    return record


def approval_context(record):
    """The closing block's people, as plain data for the PDF and Word templates."""
    return {
        "maker": {
            "name": record.maker_name,
            "title": record.maker_title,
            "nip": record.maker_nip,
        },
        "signer": {
            "name": record.signer_name,
            "title": record.signer_title,
            "nip": record.signer_nip,
        },
    }


def notify_leaders(cycle, version):
    """A new version waits for the leaders' approval (inside the build's transaction)."""
    notify(
        role_holders(cycle, Role.LEADER),
        key=f"{_approval_key(cycle)}:v{version}",
        template=gettext_noop(
            "Dokumen Evaluasi SPBE %(year)s versi %(version)s menunggu persetujuan Anda."
        ),
        params={"year": cycle.year, "version": version},
        url=evaluation_url(cycle),
    )


def evaluation_actions(user, record):
    """What the user can do with the approval now: a set of "edit", "approve", "upload"."""
    actions = set()
    if record is None or record.is_signed:
        return actions
    if permissions.can_edit_report(user, record):
        actions.add("edit")
    if permissions.can_approve_report(user, record):
        actions.add("approve")
    if permissions.can_upload_signed_report(user, record):
        actions.add("upload")
    return actions


def signing_refusal(record):
    """Why the newest version cannot be signed now, as a ValidationError, or None."""
    if record.is_signed:
        return signed_error(record)
    cycle = record.cycle
    if not evaluation.find_assessment(cycle).is_final:
        return evaluation.not_final_error()
    pdf = newest_document(evaluation.evaluation_source(cycle), "pdf")
    if pdf is None:
        return ValidationError(
            _("Buat Dokumen Evaluasi SPBE terlebih dahulu, lalu tandatangani."), code="no_document"
        )
    if pdf.generated_at < record.updated_at:
        return ValidationError(
            _(
                "Nama atau jabatan penanda tangan diubah setelah versi terakhir dibuat. Buat "
                "ulang Dokumen Evaluasi SPBE agar versi yang ditandatangani memuatnya."
            ),
            code="stale",
        )
    return None


def _lock_signable(record):
    _lock(record)
    refusal = signing_refusal(record)
    if refusal is not None:
        raise refusal


def sign_evaluation(record, *, by, signed_pdf=None, internal_approval=False):
    """Sign the newest version of the Dokumen Evaluasi SPBE: the leader's internal approval,
    or the PDF signed with TTE / SRIKANDI uploaded by the leader or the secretariat
    (documents.signing.check_signed_pdf: a PDF by its content, at most 20 MB).

    Side effects (the shared ones through documents.signing.signing): status "signed",
    signature, signed_at/by, the signed file; the generated versions marked signed; the
    signed PDF and DOCX versions recorded in `content` (what the downloads serve from now
    on); audit "report.signed"; the leaders' approval notifications marked read, the
    coordinator who prepared it notified. A rejected file or a refusal changes nothing.
    """
    check_signer(record, by=by, signed_pdf=signed_pdf, internal_approval=internal_approval)
    refusal = signing_refusal(record)
    if refusal is not None:
        raise refusal
    cycle = record.cycle
    source = evaluation.evaluation_source(cycle)
    with signing(
        record,
        by=by,
        signed_pdf=signed_pdf,
        lock=_lock_signable,
        event="report.signed",
        source=source,
        extra={"signed_by": by},
    ):
        pdf = newest_document(source, "pdf")
        docx = newest_document(source, "docx")
        record.content = {
            "pdf": pdf.pk,
            "pdf_version": pdf.version,
            "pdf_sha256": pdf.sha256,
            "code": pdf.code,
            "docx": docx.pk if docx else None,
        }
        record.save(update_fields=["content", "updated_at"])
        # documents.signing marked every version of the source (none is numbered): the
        # earlier ones stay unsigned.
        Document.objects.filter(source=source).exclude(pk__in=[pdf.pk, docx.pk]).update(
            signature=Document.Signature.PENDING, signed_at=None
        )
        settle(prefixes=[f"{_approval_key(cycle)}:"])
        notify(
            [record.created_by],
            key=f"evaluation:{cycle.pk}:signed",
            template=gettext_noop("Dokumen Evaluasi SPBE %(year)s telah ditandatangani."),
            params={"year": cycle.year},
            url=evaluation_url(cycle),
        )
    return record


def served_document(cycle, format):
    """The version a download of the Dokumen Evaluasi serves: once signed, the signed
    version recorded at signing (as stored); before, the newest one; None when none."""
    record = evaluation_record(cycle)
    if record is not None and record.is_signed and record.content.get(format):
        return Document.objects.get(pk=record.content[format])
    return newest_document(evaluation.evaluation_source(cycle), format)
