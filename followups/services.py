"""Every write to findings and follow-ups: the findings per aspect, a recommendation turned
into an OPD's follow-up, its progress, and carrying open follow-ups into the next cycle.

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction, writes an audit event and notifies after
commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from cycles import permissions as cycle_permissions
from cycles.models import Cycle
from cycles.services import agency_operators, role_holders
from documents.formal import tanggal
from followups import permissions
from followups.models import Finding, FollowUp, FollowUpUpdate
from followups.queries import ASPECT
from institutions.models import Role
from monev.limits import NOTE_LENGTH, check_length
from notifications.messages import day
from notifications.services import notify, settle


def _clean_text(value, *, empty_message):
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError(empty_message, code="required")
    return check_length(value, NOTE_LENGTH, _("Uraian"))


def _clean_kind(kind):
    if kind not in Finding.Kind.values:
        raise ValidationError(_("Jenis temuan tidak dikenal."), code="kind")
    return Finding.Kind(kind)


# --- Findings -----------------------------------------------------------------------------


def add_finding(cycle, *, by, aspect, kind, text):
    """Add a strength, weakness or recommendation to one aspect of the cycle; it goes last
    in its list. The same text again on the same aspect and kind (a double click) adds
    nothing and returns the finding already there. Returns the Finding. Side effects: audit
    event "finding.added"."""
    if not permissions.can_edit_findings(by, cycle):
        raise PermissionDenied
    permissions.check_not_frozen(cycle)
    kind = _clean_kind(kind)
    if aspect.framework_id != cycle.framework_id or aspect.kind != ASPECT:
        raise ValidationError(_("Aspek bukan bagian dari kerangka periode ini."), code="aspect")
    text = _clean_text(text, empty_message=_("Tulis uraian temuan."))
    with transaction.atomic():
        # Lock the cycle: two additions at once get one row each position, and the same
        # text twice at once makes one finding.
        list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk"))
        same = Finding.objects.filter(cycle=cycle, aspect=aspect, kind=kind, text=text)
        if (done := same.first()) is not None:
            return done
        last = Finding.objects.filter(cycle=cycle, aspect=aspect, kind=kind).aggregate(
            last=Max("position")
        )["last"]
        finding = Finding.objects.create(
            cycle=cycle,
            aspect=aspect,
            kind=kind,
            text=text,
            position=0 if last is None else last + 1,
            created_by=by,
        )
        record_event(
            "finding.added",
            by=by,
            institution=cycle.institution,
            target=finding,
            after={"aspect": aspect.number, "kind": kind.value, "text": text},
        )
    return finding


def update_finding(finding, *, by, text):
    """Change the text of a finding (its follow-ups keep their own description). The same
    text again (a double click) changes nothing and records nothing.
    Side effects: audit event "finding.updated" with the text before and after."""
    if not permissions.can_edit_findings(by, finding.cycle):
        raise PermissionDenied
    permissions.check_not_frozen(finding.cycle)
    text = _clean_text(text, empty_message=_("Tulis uraian temuan."))
    with transaction.atomic():
        # Compared with the row as it is now (locked), not as the request read it.
        before = (
            Finding.objects.select_for_update().values_list("text", flat=True).get(pk=finding.pk)
        )
        if before == text:
            finding.text = text
            return finding
        finding.text = text
        finding.save(update_fields=["text", "updated_at"])
        record_event(
            "finding.updated",
            by=by,
            institution=finding.cycle.institution,
            target=finding,
            before={"text": before},
            after={"text": text},
        )
    return finding


def delete_finding(finding, *, by):
    """Delete a finding. Refused for a recommendation that already has follow-ups (they
    refer to it). Deleting one already deleted (a double click) does nothing.
    Side effects: audit event "finding.deleted" with what was deleted."""
    if not permissions.can_edit_findings(by, finding.cycle):
        raise PermissionDenied
    permissions.check_not_frozen(finding.cycle)
    with transaction.atomic():
        if not Finding.objects.select_for_update().filter(pk=finding.pk).exists():
            return
        if finding.follow_ups.exists():
            raise ValidationError(
                _(
                    "Rekomendasi ini sudah dijadikan tindak lanjut dan tidak dapat dihapus; "
                    "batalkan tindak lanjutnya atau ubah uraiannya."
                ),
                code="has_follow_ups",
            )
        record_event(
            "finding.deleted",
            by=by,
            institution=finding.cycle.institution,
            target=finding,
            before={
                "aspect": finding.aspect.number,
                "kind": finding.kind,
                "text": finding.text,
            },
        )
        finding.delete()


# --- Follow-ups -----------------------------------------------------------------------------


def _follow_up_url(follow_up):
    return reverse("follow_up_detail", args=[follow_up.pk])


def create_follow_up(finding, *, by, agency, due_date, description=""):
    """Turn a recommendation into a follow-up for one OPD, due by `due_date` (today or
    later); an empty description takes the recommendation's text. Returns the FollowUp.
    The same follow-up again (same OPD, due date and description: a double click) creates
    nothing and returns the one already there; a different one for the same OPD is refused.

    Side effects: audit event "followup.created"; the OPD's operators are notified with a
    link to the follow-up.
    """
    cycle = finding.cycle
    if not permissions.can_create_follow_up(by, cycle):
        raise PermissionDenied
    permissions.check_not_frozen(cycle)
    if not finding.is_recommendation:
        raise ValidationError(
            _("Hanya rekomendasi yang dapat dijadikan tindak lanjut."), code="not_recommendation"
        )
    if agency is None or agency.institution_id != cycle.institution_id:
        raise ValidationError(_("Pilih OPD instansi ini."), code="agency")
    if due_date is None:
        raise ValidationError(_("Isi batas waktu tindak lanjut."), code="due_date")
    today = cycle.institution.today()
    if due_date < today:
        raise ValidationError(
            _("Batas waktu tidak boleh sebelum hari ini (%(today)s).") % {"today": tanggal(today)},
            code="due_date_past",
        )
    description = _clean_text(
        description or finding.text, empty_message=_("Tulis uraian tindak lanjut.")
    )
    try:
        return _create_follow_up(finding, cycle, by, agency, due_date, description)
    except IntegrityError:  # created by a concurrent request a moment ago
        return _existing_follow_up(finding, agency, due_date, description)


def _existing_follow_up(finding, agency, due_date, description):
    """The recommendation's follow-up for `agency` when it is the one asked for again
    (already done), else the refusal; None when there is none."""
    existing = FollowUp.objects.filter(recommendation=finding, agency=agency).first()
    if existing is None or (existing.due_date, existing.description) == (due_date, description):
        return existing
    raise ValidationError(
        _("Rekomendasi ini sudah menjadi tindak lanjut %(agency)s.")
        % {"agency": agency.short_name},
        code="duplicate",
    )


def _create_follow_up(finding, cycle, by, agency, due_date, description):
    with transaction.atomic():
        # Lock the recommendation: a second identical request waits, then finds the first.
        list(Finding.objects.select_for_update().filter(pk=finding.pk).values_list("pk"))
        if (done := _existing_follow_up(finding, agency, due_date, description)) is not None:
            return done
        follow_up = FollowUp.objects.create(
            recommendation=finding,
            cycle=cycle,
            agency=agency,
            due_date=due_date,
            description=description,
            created_by=by,
        )
        record_event(
            "followup.created",
            by=by,
            institution=cycle.institution,
            target=follow_up,
            after={
                "recommendation": finding.pk,
                "agency": agency.short_name,
                "due_date": due_date.isoformat(),
                "status": follow_up.status,
            },
        )
        notify(
            agency_operators([agency]),
            key=f"followup:{follow_up.pk}:created",
            template=gettext_noop(
                "Tindak lanjut baru untuk %(agency)s dari %(cycle)s: %(text)s Batas waktu %(due)s."
            ),
            params={
                "agency": agency.short_name,
                "cycle": cycle.name,
                "text": _shorten(description),
                "due": day(due_date),
            },
            url=_follow_up_url(follow_up),
        )
    return follow_up


def _shorten(text, limit=120):
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return text if text.endswith((".", "!", "?", "…")) else text + "."


CLOSED = (FollowUp.Status.DONE, FollowUp.Status.DROPPED)


def update_follow_up(follow_up, *, by, status, note=""):
    """Record progress on a follow-up: a new status, a progress note, or both.

    The responsible OPD's operators and the coordinator may report; only the coordinator
    drops a follow-up (with the reason as the note) or reopens a closed one. Returns the
    FollowUp. Side effects: status, progress_note (when a note is given), closed_at/by on
    closing (cleared on reopening); a FollowUpUpdate row; audit event "followup.updated"
    (before → after status, the note as reason); when it becomes done, the coordinators are
    notified; on closing, the OPD's notifications of the new follow-up are marked read. The
    same status and note as the last update again (a double click, a retry)
    changes nothing.
    """
    if not permissions.can_update_follow_up(by, follow_up):
        raise PermissionDenied
    if status not in FollowUp.Status.values:
        raise ValidationError(_("Status tindak lanjut tidak dikenal."), code="status")
    status = FollowUp.Status(status)
    note = check_length((note or "").replace("\r\n", "\n").strip(), NOTE_LENGTH, _("Catatan"))
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        before = FollowUp.Status(follow_up.status)
        last = follow_up.updates.order_by("-pk").first()
        if last is not None and (last.by_id, last.status_after, last.note) == (by.pk, status, note):
            return follow_up  # this very update was just recorded
        if before in CLOSED and status != before:
            if not permissions.can_close_for_good(by, follow_up):
                raise ValidationError(
                    _(
                        "Tindak lanjut ini sudah ditutup; hubungi koordinator untuk "
                        "membukanya kembali."
                    ),
                    code="closed",
                )
        elif before in CLOSED:
            raise ValidationError(_("Tindak lanjut ini sudah ditutup."), code="closed")
        if status == FollowUp.Status.DROPPED:
            if not permissions.can_close_for_good(by, follow_up):
                raise PermissionDenied
            if not note:
                raise ValidationError(
                    _("Tulis alasan pembatalan tindak lanjut."), code="reason_required"
                )
        if status == before and not note:
            raise ValidationError(
                _("Tidak ada perubahan: pilih status lain atau tulis catatan kemajuan."),
                code="no_change",
            )
        follow_up.status = status
        if note:
            follow_up.progress_note = note
        if status in CLOSED:
            follow_up.closed_at, follow_up.closed_by = timezone.now(), by
        else:
            follow_up.closed_at, follow_up.closed_by = None, None
        follow_up.save(update_fields=["status", "progress_note", "closed_at", "closed_by"])
        if status in CLOSED:
            settle(keys=[f"followup:{follow_up.pk}:created"])
        update = FollowUpUpdate.objects.create(
            follow_up=follow_up, status_before=before, status_after=status, note=note, by=by
        )
        record_event(
            "followup.updated",
            by=by,
            institution=follow_up.cycle.institution,
            target=follow_up,
            before={"status": before.value},
            after={"status": status.value},
            reason=note,
        )
        if status == FollowUp.Status.DONE and before != status:
            notify(
                role_holders(follow_up.cycle, Role.COORDINATOR).exclude(pk=by.pk),
                key=f"followup:{follow_up.pk}:done:{update.pk}",
                template=gettext_noop("%(agency)s menyelesaikan tindak lanjut: %(text)s"),
                params={
                    "agency": follow_up.agency.short_name,
                    "text": _shorten(follow_up.description),
                },
                url=_follow_up_url(follow_up),
            )
    return follow_up


def carry_follow_ups(cycle, *, by):
    """Carry every still-open follow-up of the institution's earlier cycles into `cycle`
    (those not carried yet, or carried only as far as an earlier cycle than this one).
    Called by cycles.services.open_cycle in its transaction. Returns how many.

    Side effects: carried_to = cycle on each; audit event "followup.carried" with their ids
    (only when there are some).
    """
    if not cycle_permissions.can_manage_cycle(by, cycle):
        raise PermissionDenied
    with transaction.atomic():
        rows = FollowUp.objects.filter(
            Q(carried_to__isnull=True) | Q(carried_to__year__lt=cycle.year),
            cycle__institution=cycle.institution,
            cycle__year__lt=cycle.year,
            status__in=FollowUp.OPEN_STATUSES,
        )
        ids = sorted(rows.values_list("pk", flat=True))
        if not ids:
            return 0
        FollowUp.objects.filter(pk__in=ids).update(carried_to=cycle)
        record_event(
            "followup.carried",
            by=by,
            institution=cycle.institution,
            target=cycle,
            after={"count": len(ids), "follow_ups": ids},
        )
    return len(ids)
