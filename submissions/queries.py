"""Reads of OPD answers reused by views, services and other apps (the recap, reminders).
Each function runs a fixed number of queries, whatever the number of OPDs or indicators."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.models import Assignment, StepRun
from cycles.permissions import CLOSING_STEP, Frozen, FrozenError, closed_reason
from documents.dates import tanggal
from evidence.models import Evidence, EvidenceRevision
from frameworks.queries import indicator_levels
from submissions.models import Reopening, Review, Submission

NOT_STARTED = "not_started"

# State of an assigned indicator for an OPD: (label, badge class).
STATES = {
    NOT_STARTED: (_("belum diisi"), ""),
    Submission.Status.DRAFT: (_("draf"), "badge-warn"),
    Submission.Status.SUBMITTED: (_("diajukan"), "badge-info"),
    Submission.Status.RETURNED: (_("dikembalikan"), "badge-bad"),
    Submission.Status.ACCEPTED: (_("diterima"), "badge-ok"),
}


def state_of(submission):
    return NOT_STARTED if submission is None else submission.status


# --- The answering window: deadline and reopenings --------------------------------------


@dataclass(frozen=True)
class Window:
    """Whether an OPD may answer now: before the end of the deadline day (in the
    institution's time zone) while SOP step 4 (the collection) runs, or while a reopening
    runs; never once the cycle is closed (step 8). The same rule freezes the answers and
    their data dukung (evidence.permissions.evidence_locked)."""

    today: object
    deadline: object
    reopening: Reopening | None
    # SOP step 4 is finished: the collection is closed.
    collected: bool = False
    # cycles.permissions.Frozen of a closed cycle, or None.
    closed: object = None

    @property
    def deadline_passed(self):
        return self.today > self.deadline

    @property
    def is_open(self):
        if self.closed is not None:
            return False
        return self.reopening is not None or not (self.deadline_passed or self.collected)

    @property
    def needs_reopening(self):
        """Closed to the OPD, and a reopening by the coordinator would open it."""
        return not self.is_open and self.closed is None

    @property
    def frozen(self):
        """Why the OPD's answers and data dukung are read-only now, and who can reopen them
        (cycles.permissions.Frozen), or None while they are open."""
        if self.is_open:
            return None
        if self.closed is not None:
            return self.closed
        if self.collected:
            reason = _("Pengumpulan isian OPD (langkah 4 SOP) sudah ditutup.")
        else:
            reason = _("Batas waktu pengisian (%(deadline)s) telah lewat.") % {
                "deadline": tanggal(self.deadline)
            }
        return Frozen(
            str(reason), str(_("Koordinator dapat membuka kembali isian OPD ini dengan alasan."))
        )

    def refusal(self):
        """The error a write gets while the window is shut by the cycle's close or the end
        of the collection; None while open, and for the plain deadline (the caller's own
        message)."""
        if self.closed is not None:
            return FrozenError(self.closed)
        if not self.is_open and self.collected:
            return ValidationError(str(self.frozen), code="collection_closed")
        return None

    @property
    def days_left(self):
        return (self.deadline - self.today).days


def local_today(cycle, *, now=None):
    return cycle.institution.today(now)


def active_reopening(cycle, agency, *, now=None):
    """The reopening of the OPD's answers running now, the one lasting longest (one query)."""
    return (
        Reopening.objects.filter(cycle=cycle, agency=agency, until__gt=now or timezone.now())
        .order_by("-until")
        .first()
    )


def reopened_agency_ids(cycle, *, now=None):
    """The ids of the cycle's OPDs whose reopening runs now (one query)."""
    return set(
        Reopening.objects.filter(cycle=cycle, until__gt=now or timezone.now()).values_list(
            "agency_id", flat=True
        )
    )


def answer_window(cycle, agency, *, now=None):
    """The OPD's answering window now (two queries at most: the finished SOP steps 4 and
    8, and reopenings once the deadline passed or the collection closed)."""
    now = now or timezone.now()
    today = local_today(cycle, now=now)
    done = set(
        StepRun.objects.filter(
            cycle_id=cycle.pk, number__in=(4, CLOSING_STEP), status=StepRun.Status.DONE
        ).values_list("number", flat=True)
    )
    collected = 4 in done
    closed = CLOSING_STEP in done
    reopening = None
    if (today > cycle.deadline or collected) and not closed:
        reopening = active_reopening(cycle, agency, now=now)
    return Window(
        today=today,
        deadline=cycle.deadline,
        reopening=reopening,
        collected=collected,
        closed=closed_reason(cycle) if closed else None,
    )


# --- The OPD portal ---------------------------------------------------------------------


@dataclass(frozen=True)
class PortalRow:
    """One indicator assigned to the OPD, with its answer (None: not started yet)."""

    indicator: object
    submission: Submission | None
    return_note: str = ""

    @property
    def state(self):
        return state_of(self.submission)

    @property
    def state_label(self):
        return STATES[self.state][0]

    @property
    def badge(self):
        return STATES[self.state][1]

    @property
    def is_complete(self):
        return self.submission is not None and not self.submission.missing_parts

    @property
    def is_in(self):
        """Submitted or accepted: the OPD's part is done unless it comes back."""
        return self.state in (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


def portal_rows(cycle, agency):
    """One row per indicator assigned to the OPD in the cycle, in framework order, with its
    submission (annotated with `evidence_count`) and, for a returned one, the reviewer's
    latest note (three queries)."""
    assignments = (
        Assignment.objects.filter(cycle=cycle, agency=agency)
        .select_related("indicator__parent")
        .order_by("indicator__position")
    )
    submissions = {
        submission.indicator_id: submission
        for submission in Submission.objects.filter(cycle=cycle, agency=agency).annotate(
            evidence_count=Count("evidence")
        )
    }
    returned = [s.pk for s in submissions.values() if s.status == Submission.Status.RETURNED]
    notes = {}
    if returned:
        for review in Review.objects.filter(
            submission_id__in=returned, kind=Review.Kind.RETURNED
        ).order_by("at", "id"):
            notes[review.submission_id] = review.note  # the latest wins
    rows = []
    for assignment in assignments:
        submission = submissions.get(assignment.indicator_id)
        note = notes.get(submission.pk, "") if submission else ""
        rows.append(PortalRow(assignment.indicator, submission, note))
    return rows


@dataclass(frozen=True)
class Progress:
    total: int
    submitted: int
    ready: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    accepted: int = 0


def progress_of(rows):
    """Counts for the portal's progress line and its "what to do next" text."""
    waiting = [row for row in rows if not row.is_in]
    return Progress(
        total=len(rows),
        submitted=len(rows) - len(waiting),
        ready=[row for row in waiting if row.is_complete],
        incomplete=[row for row in waiting if not row.is_complete],
        returned=[row for row in rows if row.state == Submission.Status.RETURNED],
        accepted=sum(1 for row in rows if row.state == Submission.Status.ACCEPTED),
    )


def portal_advice(progress, window):
    """What the OPD should do next, as one sentence for the portal."""
    numbers = ", ".join(str(row.indicator.number) for row in progress.incomplete)
    if progress.total == 0:
        return _("Belum ada indikator yang ditugaskan kepada OPD ini pada periode ini.")
    if progress.returned:
        return _(
            "Ada isian yang dikembalikan: baca catatan verifikator, perbaiki isiannya, lalu "
            "ajukan kembali."
        )
    waiting = progress.incomplete or progress.ready
    if waiting and not window.is_open:
        if window.closed is not None or window.collected:
            return str(window.frozen)
        return _("Batas waktu telah lewat; hubungi koordinator untuk membuka kembali.")
    if progress.incomplete:
        return _(
            "Lengkapi tingkat, FAKTA dan ANALISIS untuk indikator %(numbers)s dan unggah data "
            "dukungnya, lalu ajukan."
        ) % {"numbers": numbers}
    if progress.ready:
        return _("Semua isian sudah lengkap. Periksa sekali lagi, lalu klik “Ajukan semua”.")
    if progress.accepted == progress.total:
        return _("Semua isian OPD Anda sudah diterima. Terima kasih.")
    return _(
        "Semua isian sudah diajukan; tunggu hasil verifikasi. Isian yang dikembalikan muncul "
        "di sini bersama catatannya."
    )


# --- Threads and side-by-side contributions --------------------------------------------


def thread(submission):
    """The submission's review thread, oldest first, with who wrote each entry (one query)."""
    return submission.reviews.select_related("by").order_by("at", "id")


@dataclass(frozen=True)
class Contribution:
    """One OPD's answer to an indicator, for the reviewers' side-by-side view."""

    agency: object
    submission: Submission | None
    assigned: bool = True

    @property
    def state(self):
        return state_of(self.submission)

    @property
    def state_label(self):
        return STATES[self.state][0]

    @property
    def badge(self):
        return STATES[self.state][1]

    @property
    def thread(self):
        return list(self.submission.reviews.all()) if self.submission else []


def contributions(cycle, indicator):
    """Every OPD's answer to one indicator, side by side: the OPDs assigned to it (by name),
    then any answer of an OPD no longer assigned. Five queries: assignments, submissions,
    their threads, their data dukung and its revisions (newest first)."""
    assignments = (
        Assignment.objects.filter(cycle=cycle, indicator=indicator)
        .select_related("agency")
        .order_by("agency__name")
    )
    submissions = {
        submission.agency_id: submission
        for submission in Submission.objects.filter(cycle=cycle, indicator=indicator)
        .select_related("agency", "updated_by")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("by").order_by("at", "id")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.prefetch_related(
                    Prefetch("revisions", queryset=EvidenceRevision.objects.order_by("-number"))
                ),
            ),
        )
    }
    rows = []
    for assignment in assignments:
        rows.append(Contribution(assignment.agency, submissions.pop(assignment.agency_id, None)))
    for submission in sorted(submissions.values(), key=lambda s: s.agency.name):
        rows.append(Contribution(submission.agency, submission, assigned=False))
    return rows


@dataclass(frozen=True)
class ReviewRow:
    """One indicator of the cycle for the reviewers: how many OPDs answer it, per state."""

    indicator: object
    counts: dict

    @property
    def assigned(self):
        return sum(self.counts.values())

    @property
    def waiting(self):
        return self.counts.get(Submission.Status.SUBMITTED, 0)


def review_rows(cycle):
    """Every indicator with assigned OPDs, with the count of their answers per state
    (two queries)."""
    states = {
        (indicator_id, agency_id): status
        for indicator_id, agency_id, status in Submission.objects.filter(cycle=cycle).values_list(
            "indicator_id", "agency_id", "status"
        )
    }
    rows = {}
    for assignment in (
        Assignment.objects.filter(cycle=cycle)
        .select_related("indicator")
        .order_by("indicator__position")
    ):
        row = rows.setdefault(assignment.indicator_id, ReviewRow(assignment.indicator, {}))
        state = states.get((assignment.indicator_id, assignment.agency_id), NOT_STARTED)
        row.counts[state] = row.counts.get(state, 0) + 1
    return list(rows.values())


# --- The indicator's texts -----------------------------------------------------------------


def level_criteria(framework, indicator):
    """The indicator's criteria per level (frameworks.queries.indicator_levels), with a
    criterion that two sources word identically (up to spacing) shown once under both
    sources' names. Each level: {level, name, blocks: [{sources, text, extra}]}."""
    levels = []
    for row in indicator_levels(framework, indicator):
        blocks = []
        for cell in row["cells"]:
            same = blocks and _squeezed(blocks[-1]["text"]) == _squeezed(cell["text"])
            if same and cell["text"]:
                blocks[-1]["sources"].append(cell["source"])
                blocks[-1]["extra"] += cell["extra"]
            else:
                blocks.append(
                    {"sources": [cell["source"]], "text": cell["text"], "extra": cell["extra"]}
                )
        levels.append({"level": row["level"], "name": row["name"], "blocks": blocks})
    return levels


def _squeezed(text):
    return re.sub(r"\s+", "", text or "")
