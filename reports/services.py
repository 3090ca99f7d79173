"""Every write to the step-7 statements (Berita Acara, Pernyataan Persetujuan Publikasi):
preparing, editing, numbering, routing to the leader and signing, and generating their
documents.

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction, writes an audit event and notifies people
(e-mails leave after commit, see notifications.services.notify).
"""

import datetime
import zoneinfo
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.queries import find_assessment
from audit.services import apply_changes, record_event
from cycles.models import Cycle
from cycles.permissions import check_not_closed, closed_reason, is_closed
from cycles.services import finish_step, role_holders, start_step
from documents.downloads import current_document, renew_document
from documents.models import Document
from documents.services import (
    generate_pdf,
    render_docx_document,
    store_document,
)
from documents.signing import check_signature_choice, signing
from institutions.models import Role, User
from letters.services import take_next_number
from letters.texts import default_signer
from meetings.queries import meeting_of
from notifications.messages import choice, phrase
from notifications.services import notify, settle
from reports import permissions
from reports.content import document_context, leader_title
from reports.models import SignedReport
from reports.queries import content_of, executive_brief, statement_content

EDITABLE_FIELDS = [
    "place",
    "signer_name",
    "signer_title",
    "signer_nip",
    "maker_name",
    "maker_title",
    "maker_nip",
]
# The Word template kind of each statement (documents.kinds, registered in kinds.py).
DOCX_KINDS = {
    SignedReport.Kind.BERITA_ACARA: "berita_acara",
    SignedReport.Kind.PUBLICATION_CONSENT: "publication_consent",
}
# The Document.kind of each statement's files.
DOCUMENT_KINDS = {
    SignedReport.Kind.BERITA_ACARA: "report.berita_acara",
    SignedReport.Kind.PUBLICATION_CONSENT: "report.publication_consent",
}


def report_url(report):
    return reverse("report_detail", args=[report.pk])


def document_source(report):
    """What the statement's documents are generated from (documents.Document.source)."""
    return f"reports.report:{report.pk}"


def _final_or_error(cycle, message):
    if not find_assessment(cycle).is_final:
        raise ValidationError(message, code="not_final")


def _lock(report):
    """Lock the statement's row for this transaction and refresh its state from it, so two
    requests acting on it at once cannot both pass the status check. Refused in a closed
    cycle (cycles.permissions.FrozenError): every write to a statement starts here. Except
    for the Dokumen Evaluasi's approval (reports.evaluation_signing): it is step 8's own
    record, made by the build that closes the cycle, and completed (names, signature) after.
    """
    if not report.is_evaluation:
        check_not_closed(report.cycle)
    fresh = SignedReport.objects.select_for_update().get(pk=report.pk)
    for name in ("status", "number", "routed_at", "updated_at"):
        setattr(report, name, getattr(fresh, name))
    return report


# --- Preparing ----------------------------------------------------------------------------


def default_leader(institution):
    """The institution's one active leader (Sekda / Koordinator SPBE); None when there are
    several or none."""
    people = list(
        User.objects.filter(
            institution=institution, is_active=True, memberships__role=Role.LEADER
        ).distinct()[:2]
    )
    return people[0] if len(people) == 1 else None


def default_people(institution):
    """({signer_name, signer_title, signer_nip}, {maker_name, maker_title, maker_nip}): the
    institution's one leader (else a placeholder for the regional secretary) and the letters'
    signer, the head of Diskominfo (letters.texts.default_signer)."""
    leader = default_leader(institution)
    with translation.override("id"):
        maker_name, maker_title, maker_nip = default_signer(institution)
        signer_title = (leader.position if leader else "") or leader_title(institution)
    signer = {
        "signer_name": leader.get_full_name() if leader else "[Nama Sekretaris Daerah]",
        "signer_title": signer_title,
        "signer_nip": leader.nip if leader else "",
    }
    maker = {"maker_name": maker_name, "maker_title": maker_title, "maker_nip": maker_nip}
    return signer, maker


def create_record(cycle, *, kind, by, values):
    """Inside the caller's transaction: a new SignedReport of `kind` with `values` (draft)
    and its audit event "report.prepared". IntegrityError when the cycle has one already."""
    report = SignedReport.objects.create(cycle=cycle, kind=kind, created_by=by, **values)
    record_event(
        "report.prepared",
        by=by,
        institution=cycle.institution,
        target=report,
        after={"kind": str(kind), **values},
    )
    return report


def prepare_report(cycle, *, by, kind):
    """Draft the cycle's Berita Acara or Pernyataan Persetujuan Publikasi, once the
    hasil evaluasi mandiri is final.

    Defaults: the place is the coordination meeting's, else the institution's city; the
    signer is the institution's one leader (name, position, NIP), else a placeholder for
    the regional secretary; the Berita Acara's "yang membuat" is the letters' signer (the
    head of Diskominfo). Side effects: one SignedReport in draft; audit "report.prepared";
    SOP step 6 finishes (no-op when done) and step 7 starts, held by the coordinator.
    """
    if not permissions.can_prepare_report(by, cycle):
        raise PermissionDenied
    check_not_closed(cycle)
    kind = SignedReport.Kind(kind)
    _final_or_error(
        cycle,
        _(
            "Hasil evaluasi mandiri belum final. Finalkan hasil evaluasi pada rapat "
            "koordinasi sebelum menyiapkan %(kind)s."
        )
        % {"kind": kind.label},
    )
    exists = ValidationError(
        _("%(kind)s periode ini sudah dibuat.") % {"kind": kind.label}, code="exists"
    )
    if SignedReport.objects.filter(cycle=cycle, kind=kind).exists():
        raise exists
    institution = cycle.institution
    meeting = meeting_of(cycle)
    signer, maker = default_people(institution)
    values = {
        "place": (meeting.place if meeting else "") or institution.city or institution.name,
        **signer,
    }
    if kind == SignedReport.Kind.BERITA_ACARA:
        values |= maker
    try:
        with transaction.atomic():
            report = create_record(cycle, kind=kind, by=by, values=values)
            finish_step(cycle, 6, by=by, output=_("Hasil evaluasi mandiri"))
            start_step(cycle, 7, by=by, holder=by)
    except IntegrityError:  # prepared by a concurrent request a moment ago
        raise exists from None
    return report


def update_report(report, *, by, **values):
    """Correct a draft statement's place, signer or maker (keyword arguments named as the
    fields in EDITABLE_FIELDS; the others keep their value).

    Side effects: audit "report.updated" with the changed fields before and after.
    """
    if not permissions.can_edit_report(by, report):
        raise PermissionDenied
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    values = {name: (value or "").strip() for name, value in values.items()}
    missing = [
        label
        for name, label in [
            ("place", _("tempat")),
            ("signer_name", _("nama penanda tangan")),
            ("signer_title", _("jabatan penanda tangan")),
        ]
        if name in values and not values[name]
    ]
    if missing:
        raise ValidationError(
            _("Lengkapi %(fields)s.") % {"fields": ", ".join(missing)}, code="required"
        )
    with transaction.atomic():
        _lock(report)
        if report.status != SignedReport.Status.DRAFT:
            raise ValidationError(
                _("Dokumen yang sudah bernomor tidak dapat diubah."), code="numbered"
            )
        apply_changes(
            report, values, action="report.updated", by=by, institution=report.cycle.institution
        )
    return report


# --- Numbering, routing, signing ------------------------------------------------------------


def number_refusal(report):
    """Why a draft statement cannot be numbered now (the hasil evaluasi mandiri was reopened
    meanwhile), as the ValidationError number_report raises, or None. The report page asks
    for confirmation only when this is None."""
    if not find_assessment(report.cycle).is_final:
        return ValidationError(
            _("Hasil evaluasi mandiri dibuka kembali; finalkan lagi sebelum memberi nomor."),
            code="not_final",
        )
    return None


def number_report(report, *, by):
    """Give a draft statement the next number of the institution's letter sequence (shared
    with the letters: letters.services.take_next_number) and today's date in the
    institution's time zone; what it states (the result, the participants) is frozen from
    now on. Refused when the hasil evaluasi mandiri was reopened meanwhile.

    Side effects: number, sequence, date, content; status "numbered"; audit
    "report.numbered".
    """
    if not permissions.can_number_report(by, report):
        raise PermissionDenied
    cycle = report.cycle
    institution = cycle.institution
    refusal = number_refusal(report)
    if refusal is not None:
        raise refusal
    content = statement_content(cycle)
    today = institution.today()
    with take_next_number(institution, today=today) as (seq, number):
        _lock(report)
        if report.status != SignedReport.Status.DRAFT:
            raise ValidationError(_("Dokumen ini sudah bernomor."), code="numbered")
        report.number = number
        report.sequence = seq
        report.report_date = today
        report.content = content
        report.status = SignedReport.Status.NUMBERED
        report.save(
            update_fields=["number", "sequence", "report_date", "content", "status", "updated_at"]
        )
        record_event(
            "report.numbered",
            by=by,
            institution=institution,
            target=report,
            before={"status": SignedReport.Status.DRAFT},
            after={
                "status": report.status,
                "number": number,
                "date": today.isoformat(),
                "index": content["index"],
                "rating": content["rating"],
                "participants": len(content["participants"]),
            },
        )
    return report


def route_report_for_signature(report, *, by):
    """Send a numbered statement to the leader(s) for signature.

    Side effects: routed_at/by; audit "report.routed"; every leader of the institution is
    notified (in the app and by e-mail) with a link to the statement.
    """
    if not permissions.can_route_report(by, report):
        raise PermissionDenied
    cycle = report.cycle
    with transaction.atomic():
        _lock(report)
        if report.status == SignedReport.Status.SIGNED:
            raise ValidationError(_("Dokumen ini sudah ditandatangani."), code="signed")
        if report.status != SignedReport.Status.NUMBERED:
            raise ValidationError(
                _("Beri nomor terlebih dahulu sebelum mengajukan tanda tangan."),
                code="not_numbered",
            )
        if report.is_routed:
            raise ValidationError(_("Dokumen ini sudah diajukan kepada pimpinan."), code="routed")
        leaders = list(role_holders(cycle, Role.LEADER))
        if not leaders:
            raise ValidationError(
                _(
                    "Belum ada pengguna dengan peran Pimpinan (Sekda / Koordinator SPBE). "
                    "Minta administrator menetapkannya, atau unggah PDF yang sudah "
                    "ditandatangani."
                ),
                code="no_leader",
            )
        report.routed_at = timezone.now()
        report.routed_by = by
        report.save(update_fields=["routed_at", "routed_by", "updated_at"])
        record_event(
            "report.routed",
            by=by,
            institution=cycle.institution,
            target=report,
            after={"leaders": [leader.pk for leader in leaders]},
        )
        title = phrase(
            gettext_noop("Berita Acara")
            if report.is_berita_acara
            else gettext_noop("Pernyataan Persetujuan Publikasi")
        )
        notify(
            leaders,
            key=f"report:{report.pk}:routed",
            template=gettext_noop("%(title)s menunggu tanda tangan: nomor %(number)s, %(cycle)s."),
            params={"title": title, "number": report.number, "cycle": cycle.name},
            url=report_url(report),
        )
    return report


def sign_report(report, *, by, signed_pdf=None, internal_approval=False):
    """Record that a numbered statement is signed: the leader's internal approval, or the
    PDF signed with TTE / SRIKANDI uploaded by the leader or the secretariat (checked by
    its content, at most 20 MB, stored under a generated name with its SHA-256).

    Side effects (the shared ones through documents.signing.signing): status "signed",
    signature, signed_at/by; the generated versions marked signed; audit "report.signed".
    For the Berita Acara, SOP step 7 finishes ("Berita Acara ditandatangani") and step 8
    starts, held by the coordinator who prepared it. The leaders' "waiting for your signature"
    notifications are marked read. A rejected file changes nothing.
    """
    check_signer(report, by=by, signed_pdf=signed_pdf, internal_approval=internal_approval)
    _check_numbered(report)
    cycle = report.cycle
    with signing(
        report,
        by=by,
        signed_pdf=signed_pdf,
        lock=_lock_numbered,
        event="report.signed",
        source=document_source(report),
        extra={"signed_by": by},
    ):
        settle(keys=[f"report:{report.pk}:routed"])
        if report.is_berita_acara:
            finish_step(cycle, 7, by=by, output=_("Berita Acara ditandatangani"))
            start_step(cycle, 8, by=by, holder=report.created_by)
        notify(
            [report.created_by],
            key=f"report:{report.pk}:signed",
            template=gettext_noop("%(kind)s nomor %(number)s telah ditandatangani."),
            params={"kind": choice(report, "kind"), "number": report.number},
            url=report_url(report),
        )
    return report


def check_signer(report, *, by, signed_pdf, internal_approval):
    """PermissionDenied unless `by` may sign `report` this way (the leader approves, the
    leader or the secretariat uploads); ValidationError unless exactly one way is chosen."""
    if not permissions.can_sign_report(by, report):
        raise PermissionDenied
    check_signature_choice(signed_pdf, internal_approval)
    if internal_approval and not permissions.can_approve_report(by, report):
        raise PermissionDenied
    if signed_pdf is not None and not permissions.can_upload_signed_report(by, report):
        raise PermissionDenied


def _lock_numbered(report):
    _lock(report)
    _check_numbered(report)


def _check_numbered(report):
    if report.status == SignedReport.Status.SIGNED:
        raise ValidationError(_("Dokumen ini sudah ditandatangani."), code="signed")
    if report.status != SignedReport.Status.NUMBERED:
        raise ValidationError(
            _("Dokumen harus bernomor sebelum ditandatangani."), code="not_numbered"
        )


# --- Documents ------------------------------------------------------------------------------

FORMATS = ("pdf", "docx")
PDF_TEMPLATES = {
    SignedReport.Kind.BERITA_ACARA: "reports/berita_acara.html",
    SignedReport.Kind.PUBLICATION_CONSENT: "reports/publication_consent.html",
}


def report_document(report, *, by, format):
    """The statement as a PDF or DOCX Document (documents.downloads.current_document): the
    newest stored version when the statement is signed or its cycle closed (always as
    stored), or when it has not changed since that version was made; else a new version.
    A draft states the live result and participants, so it changes with them too.

    Side effects, only when generating: a Document version (documents.services), with its
    audit event "document.generated".
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown report format: {format!r}")
    if not permissions.can_view_reports(by, report.cycle):
        raise PermissionDenied
    return current_document(
        source=document_source(report),
        format=format,
        lock=SignedReport.objects.filter(pk=report.pk),
        changed_at=_content_changed_at(report),
        frozen=report.is_signed or is_closed(report.cycle),
        make=lambda: _generate_report(report, by=by, format=format),
    )


def _content_changed_at(report):
    """When what the statement states last changed: the statement itself, and for a draft
    the live result (decisions, finalizing) and the meeting's attendance too."""
    moments = [report.updated_at]
    if report.status == SignedReport.Status.DRAFT:
        cycle = report.cycle
        assessment = find_assessment(cycle)
        moments.append(assessment.finalized_at)
        if assessment.pk:
            moments.append(assessment.decisions.aggregate(latest=Max("decided_at"))["latest"])
        meeting = meeting_of(cycle)
        moments.append(meeting.updated_at if meeting else None)
    return max(moment for moment in moments if moment is not None)


def _generate_report(report, *, by, format):
    source = document_source(report)
    cycle = report.cycle
    with translation.override("id"):
        context = document_context(report, content_of(report))
        title = report.get_kind_display()
    common = {
        "institution": cycle.institution,
        "cycle": cycle,
        "kind": DOCUMENT_KINDS[report.kind],
        "source": source,
        "title": str(title),
        "number": report.number,
        "by": by,
        "signature": (report.signature or Document.Signature.PENDING, report.signed_at),
    }
    if format == "pdf":
        return generate_pdf(template_name=PDF_TEMPLATES[report.kind], context=context, **common)
    content = render_docx_document(cycle.institution, DOCX_KINDS[report.kind], context)
    return store_document(format="docx", content=content, **common)


def brief_source(cycle):
    return f"reports.brief:{cycle.pk}"


def brief_document(cycle, *, by, renew=False):
    """The executive brief (queries.executive_brief) as a one-page A4 PDF Document. It is
    the state of one day (the result and the open work are live): a download serves the
    version made today in the institution's time zone, or makes today's; in a closed cycle
    always the stored one (documents.downloads.current_document). `renew` ("Buat versi
    baru") makes a new version now, refused in a closed cycle (FrozenError).

    Side effects, only when generating: a Document version (documents.services.generate_pdf)
    with its audit event "document.generated".
    """
    if not permissions.can_view_reports(by, cycle):
        raise PermissionDenied
    lock = Cycle.objects.filter(pk=cycle.pk)
    make = partial(_generate_brief, cycle, by=by)
    if renew:
        return renew_document(
            source=brief_source(cycle),
            format="pdf",
            lock=lock,
            make=make,
            frozen=closed_reason(cycle),
        )
    zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
    start_of_day = datetime.datetime.combine(cycle.institution.today(), datetime.time(), zone)
    return current_document(
        source=brief_source(cycle),
        format="pdf",
        lock=lock,
        changed_at=start_of_day,
        frozen=is_closed(cycle),
        make=make,
    )


def _generate_brief(cycle, *, by):
    institution = cycle.institution
    with translation.override("id"):
        context = {
            "cycle": cycle,
            "institution": institution,
            "brief": executive_brief(cycle),
            "today": institution.today(),
        }
        return generate_pdf(
            template_name="reports/executive_brief_pdf.html",
            context=context,
            institution=institution,
            cycle=cycle,
            kind="report.executive_brief",
            source=brief_source(cycle),
            title=_("Ringkasan Eksekutif Evaluasi SPBE %(year)s") % {"year": cycle.year},
            by=by,
        )
