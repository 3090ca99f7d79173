"""Reads of OPD answers reused by views, services and other apps (the recap, reminders).
Each function runs a fixed number of queries, whatever the number of OPDs or indicators."""

import datetime
import functools
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.clock import Calendar
from cycles.models import Assignment, Cycle, StepRun
from cycles.permissions import CLOSING_STEP, Frozen, FrozenError, closed_reason
from documents.formal import long_date
from evidence.models import Evidence, EvidenceRevision
from frameworks.models import Node
from frameworks.queries import indicator_levels, tree_rows
from frameworks.trees import node_copy, tree_of
from institutions.models import Agency, User
from monev import plain
from submissions.models import Reopening, Review, Submission

NOT_STARTED = "not_started"
# The answers the OPD may still change and must hand in (again).
WAITING_FOR_OPD = (Submission.Status.DRAFT, Submission.Status.RETURNED)

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
        return answering_is_open(
            closed=self.closed is not None,
            reopened=self.reopening is not None,
            deadline_passed=self.deadline_passed,
            collected=self.collected,
        )

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
                "deadline": long_date(self.deadline)
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


def answering_is_open(*, closed, reopened, deadline_passed, collected):
    """The answering rule on its bare facts (Window.is_open; the menu badge's count in
    cycles.waiting asks it without building a Window): never in a closed cycle; while a
    reopening runs; otherwise until the deadline passes or the collection closes."""
    if closed:
        return False
    return reopened or not (deadline_passed or collected)


def local_today(cycle, *, now=None):
    return cycle.institution.today(now)


def active_reopening(cycle, agency, *, now=None):
    """The reopening of the OPD's answers running now, the one lasting longest (one query)."""
    running = Reopening.objects.filter(
        cycle_id=cycle.pk, agency_id=agency.pk, until__gt=now or timezone.now()
    ).order_by()  # a few rows at most: the longest is picked here, without ORDER BY
    return max(running, key=lambda reopening: reopening.until, default=None)


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
    done = {run.number: run for run in _done_runs([cycle.pk])}
    reopening = None
    if _may_reopen(cycle, today, done):
        reopening = active_reopening(cycle, agency, now=now)
    return _window(cycle, today, done, reopening)


@functools.cache
def _done_runs_sql(count):
    number, status = plain.column(StepRun, "number", "r"), plain.column(StepRun, "status", "r")
    return (
        f"SELECT {plain.select_list(StepRun, 'r')} FROM {plain.table(StepRun)} r "
        f"WHERE {plain.column(StepRun, 'cycle', 'r')} IN ({plain.placeholders(count)}) "
        f"AND {number} IN (%s, %s) AND {status} = %s"
    )


def _done_runs(cycle_pks):
    """The finished steps 4 and 8 of the cycles `cycle_pks` (two rows each at most). Read by
    every autosave and every answer page: one plain statement (monev.plain)."""
    params = [*cycle_pks, 4, CLOSING_STEP, StepRun.Status.DONE]
    rows = plain.fetch(_done_runs_sql(len(cycle_pks)), params)
    return [plain.instance(StepRun, row) for row in rows]


def _may_reopen(cycle, today, done):
    """Whether a reopening would matter: the deadline passed or the collection closed, and
    the cycle is not closed."""
    return (today > cycle.deadline or 4 in done) and CLOSING_STEP not in done


def _window(cycle, today, done, reopening):
    """`done`: {step number: finished StepRun} of the cycle's steps 4 and 8."""
    closing = done.get(CLOSING_STEP)
    return Window(
        today=today,
        deadline=cycle.deadline,
        reopening=reopening,
        collected=4 in done,
        closed=closed_reason(cycle, run=closing) if closing else None,
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
    submission (annotated with `evidence_count`) and, while it waits to be handed in again,
    the reviewer's return note (three queries at most)."""
    return _rows_of_pairs([(cycle, agency)])[cycle.pk, agency.pk]


def _rows_of_pairs(pairs):
    """portal_rows for several (cycle, OPD) pairs at once: {(cycle id, agency id): rows}
    (three queries at most, whatever the number of pairs). The indicators are the
    process's kept framework trees' (frameworks.trees), without their texts, each with its
    `parent`: the cycles come with their framework."""
    cycle_ids = {cycle.pk for cycle, _agency in pairs}
    agency_ids = {agency.pk for _cycle, agency in pairs}
    wanted = {(cycle.pk, agency.pk) for cycle, agency in pairs}
    indicators = _indicators_of({cycle.framework_id: cycle.framework for cycle, _a in pairs})
    keys = [*cycle_ids, *agency_ids]
    counts = (len(cycle_ids), len(agency_ids))
    assignments = sorted(
        assignment_triples(cycle_ids, agency_ids),
        key=lambda assignment: indicators[assignment[2]].position,
    )
    submissions = {}
    for row in plain.fetch(_answers_sql(*counts), keys):
        submission = plain.instance(Submission, row)
        submission.evidence_count = row[-1]
        submissions[submission.cycle_id, submission.agency_id, submission.indicator_id] = submission
    notes = _return_notes(submissions.values())
    rows = {pair: [] for pair in wanted}
    for cycle_id, agency_id, indicator_id in assignments:
        pair = (cycle_id, agency_id)
        if pair not in wanted:
            continue
        submission = submissions.get((*pair, indicator_id))
        note = notes.get(submission.pk, "") if submission else ""
        rows[pair].append(PortalRow(indicators[indicator_id], submission, note))
    return rows


# The OPD's work is on its home, its portal and every indicator page: its assignments and
# answers are read by plain statements (monev.plain), the ORM's cost more to build than to run.


def _pair_filter(model, alias, cycles, agencies):
    return (
        f"{plain.column(model, 'cycle', alias)} IN ({plain.placeholders(cycles)}) "
        f"AND {plain.column(model, 'agency', alias)} IN ({plain.placeholders(agencies)})"
    )


def assignment_triples(cycle_ids, agency_ids):
    """[(cycle id, OPD id, indicator id)] of the assignments of the cycles `cycle_ids` to the
    OPDs `agency_ids`, unordered: one plain statement (every operator's page reads them)."""
    cycle_ids, agency_ids = list(cycle_ids), list(agency_ids)
    sql = _assignments_sql(len(cycle_ids), len(agency_ids))
    return plain.fetch(sql, [*cycle_ids, *agency_ids])


@functools.cache
def _assignments_sql(cycles, agencies):
    columns = ", ".join(
        plain.column(Assignment, name, "a") for name in ("cycle", "agency", "indicator")
    )
    return (
        f"SELECT {columns} FROM {plain.table(Assignment)} a "
        f"WHERE {_pair_filter(Assignment, 'a', cycles, agencies)}"
    )


@functools.cache
def _answers_sql(cycles, agencies):
    """The answers, each with how many data dukung it has, last."""
    attachment = Submission.evidence.through
    answer = plain.column(attachment, "submission", "e")
    count = (
        f", (SELECT COUNT(*) FROM {plain.table(attachment)} e "
        f"WHERE {answer} = {plain.column(Submission, 'id', 's')})"
    )
    return (
        f"SELECT {plain.select_list(Submission, 's')}{count} FROM {plain.table(Submission)} s "
        f"WHERE {_pair_filter(Submission, 's', cycles, agencies)}"
    )


def _indicators_of(frameworks):
    """{node pk: the caller's own copy of the node, without texts, its `parent` set} of
    `frameworks` ({pk: Framework}), from the kept trees (no query once kept)."""
    nodes = {}
    for framework in frameworks.values():
        copies = {node.pk: node for node in tree_rows(framework)}
        for node in copies.values():
            if node.parent_id is not None:
                node.parent = copies[node.parent_id]
        nodes.update(copies)
    return nodes


def _return_notes(submissions):
    """{submission id: the reviewer's latest return note} for the answers that wait to be
    handed in again (one plain statement at most: the OPD's home and portal read them)."""
    editable = [s.pk for s in submissions if s.status in WAITING_FOR_OPD]
    if not editable:
        return {}
    notes = {}
    params = [*editable, Review.Kind.RETURNED, Review.Kind.SUBMITTED]
    for submission_id, kind, note in plain.fetch(_return_notes_sql(len(editable)), params):
        notes[submission_id] = note if kind == Review.Kind.RETURNED else None
    return {pk: note for pk, note in notes.items() if note is not None}


@functools.cache
def _return_notes_sql(count):
    """The answers' return and hand-in entries, oldest first (the last one tells)."""
    columns = ", ".join(plain.column(Review, name, "r") for name in ("submission", "kind", "note"))
    return (
        f"SELECT {columns} FROM {plain.table(Review)} r "
        f"WHERE {plain.column(Review, 'submission', 'r')} IN ({plain.placeholders(count)}) "
        f"AND {plain.column(Review, 'kind', 'r')} IN (%s, %s) "
        f"ORDER BY {plain.column(Review, 'at', 'r')}, {plain.column(Review, 'id', 'r')}"
    )


def previous_answer(cycle, agency, indicator):
    """The OPD's handed-in answer to the same indicator (by number) in the previous cycle
    (cycles.queries.previous_cycle: the cycle this one was copied from, else the
    institution's cycle of the year before), as a starting point for this year's; None
    when there is none. One query: the cycle is matched in the answer's own query (a
    copied-from cycle always exists, its foreign key is set null on delete)."""
    copied = cycle.copied_from_id is not None
    rows = plain.fetch(
        _previous_answer_sql(copied),
        [
            cycle.copied_from_id if copied else cycle.year - 1,
            cycle.institution_id,
            agency.pk,
            indicator.number,
            Submission.Status.SUBMITTED,
            Submission.Status.ACCEPTED,
        ],
    )
    if not rows:
        return None
    answer, source_cycle = plain.instances((Submission, Cycle), rows[0])
    answer.cycle = source_cycle
    return answer


@functools.cache
def _previous_answer_sql(copied):
    """Every indicator page reads it: one plain statement (monev.plain)."""

    def col(alias, model, field):
        return plain.column(model, field, alias)

    select = plain.select((Submission, "s"), (Cycle, "c", "s.cycle")) + plain.join(
        Node, "n", col("s", Submission, "indicator")
    )

    source = col("c", Cycle, "id") if copied else col("c", Cycle, "year")
    return (
        f"{select}WHERE {source} = %s AND {col('c', Cycle, 'institution')} = %s "
        f"AND {col('s', Submission, 'agency')} = %s AND {col('n', Node, 'number')} = %s "
        f"AND {col('s', Submission, 'status')} IN (%s, %s) "
        f"ORDER BY {col('s', Submission, 'id')} LIMIT 1"
    )


def pinned_return(submission, thread):
    """The "returned" review whose note stays above the form until the answer is handed in
    again: the latest return newer than the latest submission, while the answer is a draft
    or returned (a reopening in between does not hide it). None otherwise. `thread`: the
    submission's reviews, oldest first."""
    if submission is None or submission.status not in WAITING_FOR_OPD:
        return None
    pinned = None
    for entry in thread:
        if entry.kind == Review.Kind.RETURNED:
            pinned = entry
        elif entry.kind == Review.Kind.SUBMITTED:
            pinned = None
    return pinned


def _to_do(row):
    """The OPD still has to work on this answer: it came back with a note, or it is not
    handed in and still misses its level, FAKTA or ANALISIS. A complete draft is not work
    left: "Ajukan semua yang lengkap" hands it in."""
    return bool(row.return_note) or (not row.is_in and not row.is_complete)


def first_to_do(rows):
    """The row the OPD should open first: a returned answer, else the first one still
    incomplete, in framework order; None when nothing is left but handing in."""
    returned = [row for row in rows if row.return_note]
    return (returned or [row for row in rows if _to_do(row)] or [None])[0]


def next_to_do(rows, indicator):
    """The next row after `indicator` in framework order still to work on (see _to_do),
    wrapping round to the start; never `indicator` itself. None when no other is left."""
    index = next(i for i, row in enumerate(rows) if row.indicator.pk == indicator.pk)
    following = rows[index + 1 :] + rows[:index]
    return next((row for row in following if _to_do(row)), None)


@dataclass(frozen=True)
class Position:
    """Where an indicator stands among the OPD's assigned ones (1-based), with the
    indicators before and after it (nodes without texts)."""

    number: int
    total: int
    previous: Node | None
    next: Node | None


@dataclass(frozen=True)
class AnswerPlace:
    """What the indicator page needs of the OPD's work (see answer_place)."""

    submission: Submission | None
    position: Position
    window: Window


def answer_place(cycle, agency, indicator_pk, *, now=None):
    """The OPD's answer to one indicator (None before it starts), the indicator's position
    among the OPD's assigned ones in framework order, and the answering window; None when
    the indicator is not assigned to the OPD. Two queries (three when a reopening could
    matter): the assignments with this indicator's answer in one plain statement (every
    indicator page reads it), then answer_window's. The cycle comes with its framework and
    institution (a view's get_portal_or_404)."""
    assigned, submission = set(), None
    params = [indicator_pk, cycle.pk, agency.pk]
    for row in plain.fetch(_place_sql(), params):
        assigned.add(row[0])
        if row[0] == indicator_pk:
            submission = plain.instance(Submission, row, start=1)
    if indicator_pk not in assigned:
        return None
    # The kept tree's nodes are in framework order; the neighbours are the caller's copies.
    order = [node for node in tree_of(cycle.framework).nodes if node.pk in assigned]
    index = next(i for i, node in enumerate(order) if node.pk == indicator_pk)
    position = Position(
        number=index + 1,
        total=len(order),
        previous=node_copy(order[index - 1], with_texts=False) if index > 0 else None,
        next=node_copy(order[index + 1], with_texts=False) if index + 1 < len(order) else None,
    )
    return AnswerPlace(submission, position, answer_window(cycle, agency, now=now))


@functools.cache
def _place_sql():
    """Each assignment of the OPD in the cycle by its indicator, the given indicator's with
    its answer's columns (NULL for the others, and before the answer exists)."""

    def on(name):
        return f"{plain.column(Submission, name, 's')} = {plain.column(Assignment, name, 'a')}"

    indicator = plain.column(Assignment, "indicator", "a")
    return (
        f"SELECT {indicator}, {plain.select_list(Submission, 's')} "
        f"FROM {plain.table(Assignment)} a LEFT JOIN {plain.table(Submission)} s "
        f"ON {on('cycle')} AND {on('agency')} AND {on('indicator')} AND {indicator} = %s "
        f"WHERE {plain.column(Assignment, 'cycle', 'a')} = %s "
        f"AND {plain.column(Assignment, 'agency', 'a')} = %s"
    )


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
        return _(
            "Semua isian sudah lengkap. Periksa sekali lagi, lalu klik “Ajukan semua yang lengkap”."
        )
    if progress.accepted == progress.total:
        return _("Semua isian OPD Anda sudah diterima. Terima kasih.")
    return _(
        "Semua isian sudah diajukan; tunggu hasil verifikasi. Isian yang dikembalikan muncul "
        "di sini bersama catatannya."
    )


# --- The OPD's work: the operator's home and the portal's top block -----------------------


def working_days_left(calendar, today, deadline):
    """The working days from today to the deadline day, both counted (today counts while
    it is a working day: the operator can still work on it). 0 once the deadline passed."""
    days = (deadline - today).days + 1
    return sum(
        1
        for offset in range(max(days, 0))
        if calendar.is_working_day(today + datetime.timedelta(days=offset))
    )


@dataclass(frozen=True)
class AgencyWork:
    """One OPD's work in one cycle: its rows, progress, window and what to open next."""

    cycle: object
    agency: object
    rows: list
    window: Window
    # The institutions' working-day calendars, shared by the pairs of one agency_work call
    # and read only when a page shows the days left: {institution id: Calendar}.
    calendars: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def working_days_left(self):
        """The working days left until the deadline (0 once it passed; see
        working_days_left)."""
        if self.window.today > self.cycle.deadline:
            return 0
        institution = self.cycle.institution
        if institution.pk not in self.calendars:
            self.calendars[institution.pk] = Calendar.for_institution(institution)
        return working_days_left(
            self.calendars[institution.pk], self.window.today, self.cycle.deadline
        )

    @cached_property
    def progress(self):
        return progress_of(self.rows)

    @cached_property
    def next_row(self):
        return first_to_do(self.rows)

    @cached_property
    def to_do_rows(self):
        """The rows still to work on (see _to_do), in framework order."""
        return [row for row in self.rows if _to_do(row)]

    @cached_property
    def returned_rows(self):
        return [row for row in self.rows if row.return_note]

    @property
    def submittable_count(self):
        """How many answers "Ajukan semua yang lengkap" would hand in now (the complete
        ones not handed in, see services.submit_agency_package); 0 while the window is
        shut."""
        return len(self.progress.ready) if self.window.is_open else 0


def agency_work(pairs, *, now=None):
    """AgencyWork for each (cycle, OPD) pair, in the given order, in a fixed number of
    queries whatever the number of pairs and indicators: assignments, answers, return notes
    (when an answer waits for the OPD), finished steps, reopenings (when one could matter);
    the cycles with their institution unless given so; the days off when a page shows the
    working days left."""
    if not pairs:
        return []
    now = now or timezone.now()
    cycles = _loaded([cycle for cycle, _agency in pairs])
    rows = _rows_of_pairs([(cycles[cycle.pk], agency) for cycle, agency in pairs])
    done = {}
    for run in _done_runs(list(cycles)):
        done.setdefault(run.cycle_id, {})[run.number] = run
    today = {pk: local_today(cycle, now=now) for pk, cycle in cycles.items()}
    reopenable = [
        pk for pk, cycle in cycles.items() if _may_reopen(cycle, today[pk], done.get(pk, {}))
    ]
    reopenings = {}
    if reopenable:
        for reopening in Reopening.objects.filter(cycle_id__in=reopenable, until__gt=now).order_by(
            "until"
        ):
            reopenings[reopening.cycle_id, reopening.agency_id] = reopening  # longest wins
    calendars = {}
    work = []
    for pair_cycle, agency in pairs:
        cycle = cycles[pair_cycle.pk]
        window = _window(
            cycle,
            today[cycle.pk],
            done.get(cycle.pk, {}),
            reopenings.get((cycle.pk, agency.pk)),
        )
        work.append(AgencyWork(cycle, agency, rows[cycle.pk, agency.pk], window, calendars))
    return work


def _loaded(cycles):
    """{pk: cycle} with each cycle's institution and framework loaded: the given cycles
    when they carry them already (a view's get_cycle_or_404), else read again with them
    (one query)."""
    if all(Cycle.institution.is_cached(c) and Cycle.framework.is_cached(c) for c in cycles):
        return {cycle.pk: cycle for cycle in cycles}
    return {
        cycle.pk: cycle
        for cycle in Cycle.objects.filter(pk__in={c.pk for c in cycles}).select_related(
            "institution", "framework"
        )
    }


# --- Threads and side-by-side contributions --------------------------------------------


@functools.cache
def _thread_sql():
    return (
        f"{plain.select((Review, 'r'), (User, 'u', 'r.by'))}"
        f"WHERE {plain.column(Review, 'submission', 'r')} = %s "
        f"ORDER BY {plain.column(Review, 'at', 'r')}, {plain.column(Review, 'id', 'r')}"
    )


def thread(submission):
    """[Review] of the submission's thread, oldest first, with who wrote each entry: one
    plain statement (monev.plain), since every indicator page shows it."""
    entries = []
    for row in plain.fetch(_thread_sql(), [submission.pk]):
        review, author = plain.instances((Review, User), row)
        review.by = author
        entries.append(review)
    return entries


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
    """One indicator of the cycle for the reviewers: how many OPDs answer it, per state,
    and since when its oldest waiting answer waits (None: none waits)."""

    indicator: object
    counts: dict
    waiting_since: list = field(default_factory=list)

    @property
    def assigned(self):
        return sum(self.counts.values())

    @property
    def waiting(self):
        return self.counts.get(Submission.Status.SUBMITTED, 0)

    @property
    def oldest_waiting(self):
        return min(self.waiting_since, default=None)


def review_rows(cycle, *, agency_id=None):
    """Every indicator with assigned OPDs (only `agency_id`'s assignments when given), in
    framework order, with the count of their answers per state and when each waiting answer
    was handed in (two queries)."""
    submissions = Submission.objects.filter(cycle=cycle)
    assignments = Assignment.objects.filter(cycle=cycle)
    if agency_id is not None:
        submissions = submissions.filter(agency_id=agency_id)
        assignments = assignments.filter(agency_id=agency_id)
    answers = {
        (indicator_id, agency_id): (status, submitted_at or updated_at)
        for indicator_id, agency_id, status, submitted_at, updated_at in submissions.values_list(
            "indicator_id", "agency_id", "status", "submitted_at", "updated_at"
        )
    }
    rows = {}
    for assignment in assignments.select_related("indicator").order_by("indicator__position"):
        row = rows.setdefault(assignment.indicator_id, ReviewRow(assignment.indicator, {}))
        pair = (assignment.indicator_id, assignment.agency_id)
        state, since = answers.get(pair, (NOT_STARTED, None))
        row.counts[state] = row.counts.get(state, 0) + 1
        if state == Submission.Status.SUBMITTED:
            row.waiting_since.append(since)
    return list(rows.values())


# The review list's filter, in the order of its tabs: the coordinator's work first.
QUEUE_STATES = (
    Submission.Status.SUBMITTED,
    Submission.Status.RETURNED,
    Submission.Status.DRAFT,
    NOT_STARTED,
    Submission.Status.ACCEPTED,
)
ALL_STATES = "all"


def review_queue(rows, state):
    """The rows of the review list's filter: those with an answer in `state` (ALL_STATES:
    every row); the waiting ones with the longest waiting answer first, the others in
    framework order."""
    if state == ALL_STATES:
        return list(rows)
    chosen = [row for row in rows if row.counts.get(state)]
    if state == Submission.Status.SUBMITTED:
        chosen.sort(key=lambda row: row.oldest_waiting)
    return chosen


def queue_counts(rows):
    """{state: how many indicators have an answer in that state, ALL_STATES: all of them}."""
    counts = {state: sum(1 for row in rows if row.counts.get(state)) for state in QUEUE_STATES}
    counts[ALL_STATES] = len(rows)
    return counts


def days_waiting(since, cycle, *, now=None):
    """Whole days from the day `since` (in the institution's time zone) to today."""
    return (local_today(cycle, now=now) - local_today(cycle, now=since)).days


def reviewed_agencies(cycle):
    """The OPDs with an indicator assigned in the cycle, by name (one query)."""
    return Agency.objects.filter(assignments__cycle=cycle).distinct().order_by("name")


def next_waiting(cycle, indicator):
    """({"pk", "number"} of the next indicator after `indicator` in framework order with a
    submitted answer, wrapping round, never `indicator` itself, or None; how many indicators
    other than `indicator` have one). One query."""
    waiting = (
        Submission.objects.filter(cycle=cycle, status=Submission.Status.SUBMITTED)
        .exclude(indicator=indicator)
        .values_list("indicator__position", "indicator_id", "indicator__number")
        .distinct()
    )
    others = sorted(set(waiting))
    if not others:
        return None, 0
    after = [row for row in others if row[0] > indicator.position]
    _position, pk, number = (after or others)[0]
    return {"pk": pk, "number": number}, len(others)


def close_gaps(cycle):
    """What closing the collection leaves behind: (the number of OPDs, the number of their
    assigned indicators) not handed in, i.e. not submitted or accepted (two queries)."""
    handed_in = set(
        Submission.objects.filter(
            cycle=cycle, status__in=(Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)
        ).values_list("indicator_id", "agency_id")
    )
    missing = [
        pair
        for pair in Assignment.objects.filter(cycle=cycle).values_list("indicator_id", "agency_id")
        if pair not in handed_in
    ]
    return len({agency_id for _indicator_id, agency_id in missing}), len(missing)


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


def level_names(framework, indicator):
    """[{level, name}] of the framework's scale for the indicator, named by its capability
    model as in frameworks.queries.indicator_levels: what the answer's form needs, without
    the criteria texts (the autosave and submit posts read no more)."""
    names = framework.capability_models.get(indicator.capability_model, {}).get("levels", {})
    return [
        {"level": level, "name": names.get(str(level), {}).get("name", "")}
        for level in range(framework.scale_min, framework.scale_max + 1)
    ]


def _squeezed(text):
    return re.sub(r"\s+", "", text or "")
