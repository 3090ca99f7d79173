"""Every write to OPD answers: drafts and submission by the OPD (SOP step 4), the
reviewers' accept / return loop and reopening after the deadline (step 5), and closing the
collection on the SOP clock.

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction, writes an audit event and notifies people
(e-mails leave after commit, see notifications.services.notify).
"""

import datetime
import functools
import hashlib
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from cycles.models import Assignment, StepRun
from cycles.permissions import check_not_closed
from cycles.services import agency_operators, finish_step, role_holders, start_step
from institutions.models import Agency, Role
from monev import plain
from monev.limits import LONG_TEXT_LENGTH, NOTE_LENGTH, check_length
from notifications.messages import day
from notifications.services import notify, settle
from submissions import permissions, queries
from submissions.models import Reopening, Review, Submission

EDITABLE = (Submission.Status.DRAFT, Submission.Status.RETURNED)


def conflict_error():
    return ValidationError(
        _("Isian ini sudah diubah di tempat lain; muat ulang halaman."), code="conflict"
    )


def deadline_error():
    return ValidationError(
        _("Batas waktu telah lewat; hubungi koordinator untuk membuka kembali."),
        code="deadline",
    )


def edit_url(submission):
    return reverse(
        "submission_edit",
        args=[submission.cycle_id, submission.agency_id, submission.indicator_id],
    )


def review_url(submission):
    return reverse("review_indicator", args=[submission.cycle_id, submission.indicator_id])


def portal_url(cycle, agency):
    return reverse("portal", args=[cycle.pk, agency.pk])


def _label(indicator):
    return f"{indicator.number}. {indicator.name}"


# --- Step 4: the OPD answers --------------------------------------------------------------


def _clean_level(framework, level):
    if level in (None, ""):
        return None
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = None
    if level is None or not framework.scale_min <= level <= framework.scale_max:
        raise ValidationError(
            _("Tingkat harus antara %(min)s dan %(max)s.")
            % {"min": framework.scale_min, "max": framework.scale_max},
            code="level",
        )
    return level


def _clean_text(value, label):
    # Browsers send CRLF; store LF so the same text typed twice compares equal.
    value = (value or "").replace("\r\n", "\n")
    return check_length(value, LONG_TEXT_LENGTH, label)


def edit_refusal(cycle, agency, submission, *, window=None):
    """Why the OPD cannot change this answer now (a ValidationError to raise or show), or
    None when it can. `window` saves a query when the caller has it already."""
    if submission is not None and submission.status == Submission.Status.ACCEPTED:
        return ValidationError(
            _("Isian ini sudah diterima dan tidak dapat diubah."), code="accepted"
        )
    if submission is not None and submission.status == Submission.Status.SUBMITTED:
        return ValidationError(
            _("Isian ini sudah diajukan dan sedang diperiksa; tunggu hasil verifikasi."),
            code="submitted",
        )
    window = window or queries.answer_window(cycle, agency)
    return None if window.is_open else window.refusal() or deadline_error()


def _check_window(cycle, agency):
    """Answers are accepted until the end of the deadline day (in the institution's time
    zone), or while a reopening of the OPD runs. The same rule locks the data dukung
    (evidence.permissions.evidence_locked)."""
    window = queries.answer_window(cycle, agency)
    if not window.is_open:
        raise window.refusal() or deadline_error()


# save_draft runs on every autosave, the product's most frequent request: its reads and its
# update are plain statements (monev.plain; the ORM's querysets cost ~0.2–0.4 ms each to
# build and compile, several times what running them costs).


def _where(model, alias):
    return " AND ".join(
        f"{plain.column(model, name, alias)} = %s" for name in ("cycle", "indicator", "agency")
    )


@functools.cache
def _answer_sql(for_update):
    assigned = f"EXISTS (SELECT 1 FROM {plain.table(Assignment)} a WHERE {_where(Assignment, 'a')})"
    columns = plain.select_list(Submission, "s")
    lock = " FOR UPDATE OF s" if for_update else ""
    return (
        f"SELECT {assigned}, {columns} FROM {plain.table(Submission)} s "
        f"WHERE {_where(Submission, 's')}{lock}"
    )


@functools.cache
def _assigned_sql():
    return f"SELECT 1 FROM {plain.table(Assignment)} a WHERE {_where(Assignment, 'a')}"


def _is_assigned(cycle, indicator, agency):
    return bool(plain.fetch(_assigned_sql(), [cycle.pk, indicator.pk, agency.pk]))


def _check_assigned(cycle, indicator, agency):
    """PermissionDenied unless the indicator is assigned to the OPD in the cycle (also the
    rule for creating an answer with its first data dukung, evidence.services)."""
    if not _is_assigned(cycle, indicator, agency):
        raise PermissionDenied


def _locked_answer(cycle, indicator, agency):
    """(the OPD's answer to the indicator or None, whether the indicator is assigned to the
    OPD): the answer's row locked until the transaction ends (the database's write lock on
    SQLite), read with the assignment in one statement; a second one for the assignment
    only before the first save."""
    keys = [cycle.pk, indicator.pk, agency.pk]
    rows = plain.fetch(_answer_sql(connection.features.has_select_for_update_of), keys * 2)
    if rows:
        return plain.instance(Submission, rows[0], 1), bool(rows[0][0])
    return None, _is_assigned(cycle, indicator, agency)


def save_draft(cycle, indicator, agency, *, by, level, fakta, analisis, version):
    """Create or update the OPD's answer to one assigned indicator (a draft, or a returned
    answer being revised, which stays "returned" until it is submitted again).

    `version` is the version the person's form was loaded with (0 for a new answer); when
    the stored answer has changed since, and differs from what is sent, nothing is saved
    (ValidationError code "conflict"). Sending the stored text again changes nothing.
    Returns the submission with its new version. Side effects: the Submission row (version
    + 1, updated_by); audit event "submission.draft_saved".
    """
    if not permissions.can_answer(by, cycle, agency):
        raise PermissionDenied
    with transaction.atomic():
        stored, assigned = _locked_answer(cycle, indicator, agency)
        if not assigned:
            raise PermissionDenied
        level = _clean_level(cycle.framework, level)
        fakta = _clean_text(fakta, _("FAKTA"))
        analisis = _clean_text(analisis, _("ANALISIS"))
        submission = _with_parents(stored, cycle, indicator, agency) if stored else None
        if submission is not None and _holds(submission, level, fakta, analisis):
            return submission  # nothing to save (a repeated autosave, a double click)
        refusal = edit_refusal(cycle, agency, submission)
        if refusal is not None:
            raise refusal
        if version != (submission.version if submission else 0):
            raise conflict_error()
        if submission is None:
            try:
                submission = _create(cycle, indicator, agency, by, level, fakta, analisis)
            except IntegrityError:  # created by a concurrent request a moment ago
                stored = Submission.objects.get(cycle=cycle, indicator=indicator, agency=agency)
                if _holds(stored, level, fakta, analisis):
                    # the same save twice at once: already done
                    return _with_parents(stored, cycle, indicator, agency)
                raise conflict_error() from None
            before = None
        else:
            before = {"level": submission.level, "version": submission.version}
            _update(submission, by, level, fakta, analisis)
        record_event(
            "submission.draft_saved",
            by=by,
            institution=cycle.institution,
            target=submission,
            before=before,
            after={
                "status": submission.status,
                "level": submission.level,
                "version": submission.version,
                "fakta_chars": len(fakta),
                "analisis_chars": len(analisis),
            },
        )
    return submission


def _with_parents(submission, cycle, indicator, agency):
    """The submission with the caller's cycle, indicator and OPD set on it, so that what
    follows a save (submit_submission: the window, the audit event, the notification) does
    not read them again."""
    submission.cycle, submission.indicator, submission.agency = cycle, indicator, agency
    return submission


def _holds(submission, level, fakta, analisis):
    return (submission.level, submission.fakta, submission.analisis) == (level, fakta, analisis)


def _create(cycle, indicator, agency, by, level, fakta, analisis):
    with transaction.atomic():  # a savepoint: the unique constraint decides a race
        return Submission.objects.create(
            cycle=cycle,
            indicator=indicator,
            agency=agency,
            level=level,
            fakta=fakta,
            analisis=analisis,
            version=1,
            updated_by=by,
        )


@functools.cache
def _update_sql():
    column = functools.partial(plain.column, Submission)
    version = column("version")
    changed = ", ".join(
        f"{column(name)} = %s"
        for name in ("level", "fakta", "analisis", "updated_by", "updated_at")
    )
    return (
        f"UPDATE {plain.table(Submission)} SET {changed}, {version} = {version} + 1 "
        f"WHERE {column('id')} = %s AND {version} = %s"
    )


def _update(submission, by, level, fakta, analisis):
    # Conditional on the version read: a concurrent save in between makes this a conflict
    # even where the database has no row locks.
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _update_sql(),
            [
                level,
                fakta,
                analisis,
                by.pk,
                connection.ops.adapt_datetimefield_value(now),
                submission.pk,
                submission.version,
            ],
        )
        updated = cursor.rowcount
    if not updated:
        raise conflict_error()
    submission.level, submission.fakta, submission.analisis = level, fakta, analisis
    submission.version += 1
    submission.updated_by, submission.updated_at = by, now


def _missing_error(submission):
    return ValidationError(
        _("Lengkapi dulu: %(parts)s.") % {"parts": ", ".join(submission.missing_parts)},
        code="incomplete",
    )


def _submit(submission, by, now):
    """The state change of one submission (inside the caller's transaction)."""
    before = submission.status
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = now
    submission.version += 1
    Submission.objects.filter(pk=submission.pk).update(
        status=submission.status, submitted_at=now, version=F("version") + 1
    )
    Review.objects.create(
        submission=submission, kind=Review.Kind.SUBMITTED, level=submission.level, by=by
    )
    if before == Submission.Status.RETURNED:
        # The OPD's "returned with a note" notifications are answered by this submission.
        settle(prefixes=[f"submission:{submission.pk}:returned:"])
    record_event(
        "submission.submitted",
        by=by,
        institution=submission.cycle.institution,
        target=submission,
        before={"status": before},
        after={
            "status": submission.status,
            "level": submission.level,
            "version": submission.version,
        },
    )


def _lock(submission):
    """Lock the row and refresh what the checks read from it."""
    fresh = Submission.objects.select_for_update().get(pk=submission.pk)
    for name in ("status", "level", "fakta", "analisis", "version", "submitted_at"):
        setattr(submission, name, getattr(fresh, name))


def submit_submission(submission, *, by):
    """Submit the OPD's answer (draft or returned) to the reviewers. Level, FAKTA and
    ANALISIS are required; data dukung is recommended, not required.

    Side effects: status "submitted", version + 1; a Review "submitted" in the thread;
    audit event "submission.submitted"; the coordinators are notified; a returned answer's
    notifications of its return are marked read.
    """
    cycle = submission.cycle
    if not permissions.can_answer(by, cycle, submission.agency):
        raise PermissionDenied
    with transaction.atomic():
        _lock(submission)
        if submission.status == Submission.Status.SUBMITTED:
            raise ValidationError(_("Isian ini sudah diajukan."), code="submitted")
        if submission.status == Submission.Status.ACCEPTED:
            raise ValidationError(_("Isian ini sudah diterima."), code="accepted")
        if submission.missing_parts:
            raise _missing_error(submission)
        _check_window(cycle, submission.agency)
        _submit(submission, by, timezone.now())
        notify(
            role_holders(cycle, Role.COORDINATOR),
            key=f"submission:{submission.pk}:submitted:v{submission.version}",
            template=gettext_noop(
                "%(agency)s mengajukan isian indikator %(indicator)s (tingkat %(level)s)."
            ),
            params={
                "agency": submission.agency.short_name,
                "indicator": _label(submission.indicator),
                "level": submission.level,
            },
            url=review_url(submission),
        )
    return submission


def submit_agency_package(cycle, agency, *, by):
    """Submit every complete draft or returned answer of the OPD at once ("Ajukan semua
    yang lengkap"); answers still missing their level, FAKTA or ANALISIS stay as they are
    (the portal names them). Refused when no answer is complete and waiting.

    Returns the submissions submitted. Side effects per submission as in submit_submission
    (status, version, Review, audit event "submission.submitted"); one notification to the
    coordinators for the whole package, marked read once none of the OPD's answers waits
    for review.
    """
    if not permissions.can_answer(by, cycle, agency):
        raise PermissionDenied
    with transaction.atomic():
        # Lock the OPD's answers first, so the rows read below cannot change underneath.
        # Unordered: the default ordering would join, and lock, the indicators' rows.
        list(Submission.objects.select_for_update().filter(cycle=cycle, agency=agency).order_by())
        rows = queries.portal_rows(cycle, agency)
        waiting = [row for row in rows if not row.is_in]
        if not waiting:
            raise ValidationError(
                _("Semua isian OPD ini sudah diajukan."), code="nothing_to_submit"
            )
        ready = [row.submission for row in waiting if row.is_complete]
        if not ready:
            raise ValidationError(
                _(
                    "Belum ada isian yang lengkap: indikator %(numbers)s belum lengkap "
                    "(tingkat, FAKTA dan ANALISIS wajib diisi)."
                )
                % {"numbers": ", ".join(str(row.indicator.number) for row in waiting)},
                code="incomplete",
            )
        _check_window(cycle, agency)
        now = timezone.now()
        for submission in ready:
            submission.cycle = cycle
            _submit(submission, by, now)
        numbers = ", ".join(str(row.indicator.number) for row in rows if row.submission in ready)
        notify(
            role_holders(cycle, Role.COORDINATOR),
            key=f"submission-package:{cycle.pk}:{agency.pk}:{_fingerprint(ready)}",
            template=gettext_noop(
                "%(agency)s mengajukan %(count)s isian sekaligus (indikator %(numbers)s)."
            ),
            params={"agency": agency.short_name, "count": len(ready), "numbers": numbers},
            url=reverse("review_list", args=[cycle.pk]),
        )
    return ready


def _fingerprint(submissions):
    """A short stable name for one package: which answers, at which versions."""
    text = ",".join(f"{s.pk}v{s.version}" for s in submissions)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- Step 5: review ------------------------------------------------------------------------


def return_submission(submission, *, by, note):
    """Return a submitted (or accepted) answer to the OPD for revision, with a note saying
    what to fix. Returning an answer that is already returned changes nothing (a double
    click, or two reviewers at once: the OPD gets one note).

    Side effects: status "returned"; a Review "returned" with the note; audit event
    "submission.returned"; the OPD's operators are notified and the coordinators'
    notification of the submission is marked read. Refused in a closed cycle
    (cycles.permissions.FrozenError), as accepting and reopening are.
    """
    if not permissions.can_review_submission(by, submission):
        raise PermissionDenied
    check_not_closed(submission.cycle)
    note = _clean_note(note, _("Catatan untuk OPD"))
    if not note:
        raise ValidationError(
            _("Tulis catatan: apa yang perlu diperbaiki OPD."), code="note_required"
        )
    with transaction.atomic():
        _lock(submission)
        if submission.status == Submission.Status.RETURNED:
            return submission  # already done
        if submission.status not in (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED):
            raise ValidationError(
                _("Hanya isian yang sudah diajukan yang dapat dikembalikan."), code="not_submitted"
            )
        review = _decide(submission, by, Review.Kind.RETURNED, Submission.Status.RETURNED, note)
        notify(
            agency_operators([submission.agency]),
            key=f"submission:{submission.pk}:returned:{review.pk}",
            template=gettext_noop(
                "Isian indikator %(indicator)s dikembalikan oleh %(by)s: %(note)s"
            ),
            params={
                "indicator": _label(submission.indicator),
                "by": by.get_full_name(),
                "note": note,
            },
            url=edit_url(submission),
        )
    return submission


def accept_submission(submission, *, by, note=""):
    """Accept a submitted answer (the OPD cannot change it any more).

    Side effects: status "accepted"; a Review "accepted" with the optional note; audit event
    "submission.accepted"; the OPD's operators are notified and the coordinators'
    notification of the submission is marked read.
    """
    if not permissions.can_review_submission(by, submission):
        raise PermissionDenied
    check_not_closed(submission.cycle)
    note = _clean_note(note, _("Catatan untuk OPD"))
    with transaction.atomic():
        _lock(submission)
        if submission.status == Submission.Status.ACCEPTED:
            raise ValidationError(_("Isian ini sudah diterima."), code="accepted")
        if submission.status != Submission.Status.SUBMITTED:
            raise ValidationError(
                _("Hanya isian yang sudah diajukan yang dapat diterima."), code="not_submitted"
            )
        review = _decide(submission, by, Review.Kind.ACCEPTED, Submission.Status.ACCEPTED, note)
        notify(
            agency_operators([submission.agency]),
            key=f"submission:{submission.pk}:accepted:{review.pk}",
            template=gettext_noop("Isian indikator %(indicator)s diterima oleh %(by)s."),
            params={"indicator": _label(submission.indicator), "by": by.get_full_name()},
            url=edit_url(submission),
        )
    return submission


def _clean_note(value, label):
    return check_length((value or "").replace("\r\n", "\n").strip(), NOTE_LENGTH, label)


def _decide(submission, by, kind, status, note):
    before = submission.status
    submission.status = status
    Submission.objects.filter(pk=submission.pk).update(status=status)
    settle(keys=[f"submission:{submission.pk}:submitted:v{submission.version}"])
    waiting = Submission.objects.filter(
        cycle=submission.cycle_id, agency=submission.agency_id, status=Submission.Status.SUBMITTED
    )
    if not waiting.exists():  # a package notification is done once none of it waits
        settle(prefixes=[f"submission-package:{submission.cycle_id}:{submission.agency_id}:"])
    review = Review.objects.create(
        submission=submission, kind=kind, note=note, level=submission.level, by=by
    )
    record_event(
        f"submission.{status}",
        by=by,
        institution=submission.cycle.institution,
        target=submission,
        before={"status": before},
        after={"status": status, "note": note, "level": submission.level},
    )
    return review


def _end_of_day(day, cycle):
    zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), zone)


def reopen_agency(cycle, agency, *, by, until, reason):
    """Reopen an OPD's answers after the deadline until `until` (a datetime, or a date:
    the end of that day in the institution's time zone). The same reopening again (same
    OPD, moment and reason: a double click) changes nothing and returns the first one.

    Side effects: a Reopening; a Review "reopened" with the reason on the OPD's draft and
    returned answers; audit event "submission.agency_reopened"; the OPD's operators are
    notified.
    """
    if not permissions.can_reopen(by, cycle):
        raise PermissionDenied
    if not cycle.agencies.filter(pk=agency.pk).exists():
        raise PermissionDenied
    check_not_closed(cycle)
    reason = _clean_note(reason, _("Alasan"))
    if not reason:
        raise ValidationError(_("Tulis alasan pembukaan kembali."), code="reason_required")
    if until is None:
        raise ValidationError(_("Isi batas waktu pembukaan kembali."), code="until_required")
    if not isinstance(until, datetime.datetime):
        until = _end_of_day(until, cycle)
    if until <= timezone.now():
        raise ValidationError(
            _("Batas waktu pembukaan kembali harus setelah saat ini."), code="until_past"
        )
    with transaction.atomic():
        # Lock the OPD so that two identical requests at once make one reopening.
        list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
        same = Reopening.objects.filter(cycle=cycle, agency=agency, until=until, reason=reason)
        if (done := same.first()) is not None:
            return done
        reopening = Reopening.objects.create(
            cycle=cycle, agency=agency, until=until, reason=reason, by=by
        )
        Review.objects.bulk_create(
            Review(submission=submission, kind=Review.Kind.REOPENED, note=reason, by=by)
            for submission in Submission.objects.filter(
                cycle=cycle, agency=agency, status__in=EDITABLE
            )
        )
        record_event(
            "submission.agency_reopened",
            by=by,
            institution=cycle.institution,
            target=reopening,
            after={"agency": agency.pk, "until": until.isoformat(), "reason": reason},
        )
        zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
        notify(
            agency_operators([agency]),
            key=f"reopening:{reopening.pk}",
            template=gettext_noop(
                "Isian %(agency)s pada %(cycle)s dibuka kembali hingga %(until)s pukul "
                "%(time)s: %(reason)s"
            ),
            params={
                "agency": agency.short_name,
                "cycle": cycle.name,
                "until": day(until.astimezone(zone).date()),
                "time": until.astimezone(zone).strftime("%H.%M"),
                "reason": reason,
            },
            url=portal_url(cycle, agency),
        )
    return reopening


# --- The SOP clock -------------------------------------------------------------------------


def close_collection(cycle, *, by):
    """Close the OPDs' collection: SOP step 4 finishes ("Isian dan data dukung OPD
    terkumpul") and step 5 (the recap and review) starts, held by the coordinator.

    Answers already submitted stay as they are; from now on only a reopening lets an OPD
    change anything (queries.answer_window). Side effects: the two StepRuns; audit events
    "step.finished", "step.started" and "submission.collection_closed" with the count of
    answers per state; the evaluators are notified.
    """
    if not permissions.can_close_collection(by, cycle):
        raise PermissionDenied
    with transaction.atomic():
        run = StepRun.objects.select_for_update().get(cycle=cycle, number=4)
        if run.status == StepRun.Status.DONE:
            raise ValidationError(_("Pengumpulan isian sudah ditutup."), code="closed")
        if run.status == StepRun.Status.WAITING:
            raise ValidationError(
                _("Langkah 4 belum dimulai: surat permohonan data belum dikirim ke OPD."),
                code="not_started",
            )
        finish_step(cycle, 4, by=by, output=_("Isian dan data dukung OPD terkumpul"))
        start_step(cycle, 5, by=by, holder=by)
        counts = {}
        for status in Submission.objects.filter(cycle=cycle).values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        record_event(
            "submission.collection_closed",
            by=by,
            institution=cycle.institution,
            target=cycle,
            after={"submissions": counts, "assignments": cycle.assignments.count()},
        )
        notify(
            role_holders(cycle, Role.EVALUATOR),
            key=f"cycle:{cycle.pk}:collection_closed",
            template=gettext_noop("Pengumpulan isian OPD %(cycle)s ditutup; periksa isian OPD."),
            params={"cycle": cycle.name},
            url=reverse("review_list", args=[cycle.pk]),
        )
    return run
