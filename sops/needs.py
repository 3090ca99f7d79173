"""What each SOP step needs, as the application runs it: the documents and records a step's
working page asks for, which of them the step cannot finish without (required) and which
it can (optional), and whether each is there yet.

The SOP file gives the rest of a step's facts (activity, actors, time standard, its own
Kelengkapan and Output, shown verbatim beside this list). What is required is not data:
it is the rule each app's service applies when it finishes a step (`finish_step(cycle, n)`
in letters, submissions, meetings, assessments and reports), so it is written here, next to
those step numbers, and each entry names the service it mirrors. A checker reads the state
of its item, or is None where the application does not track it.

The checkers import the apps they read inside the function: sops is below those apps.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from monev import plain


@dataclass(frozen=True)
class Need:
    name: str | Promise
    required: bool
    # check(facts) -> True / False, or None when the state is unknown there (Facts below).
    check: Callable | None = None


@dataclass(frozen=True)
class NeedLine:
    need: Need
    done: bool | None

    @property
    def name(self):
        return self.need.name

    @property
    def required(self):
        return self.need.required


@dataclass(frozen=True)
class StepNeeds:
    number: int
    step: object  # SopStep
    run: object  # cycles.StepRun, or None
    actor_names: list
    lines: list


# --- Checkers --------------------------------------------------------------------------------


def _step_runs(cycle):
    """The cycle's step runs, each with its SOP step and the SOP, in one plain statement
    (monev.plain): the portal, the cycle page and the indicator page read them for their
    boxes, and the ORM's query with its joins cost more to build than to run."""
    from cycles.models import StepRun

    from .models import Sop, SopStep

    runs = []
    for row in plain.fetch(_step_runs_sql(), [cycle.pk]):
        run, step, sop = plain.instances((StepRun, SopStep, Sop), row)
        run.step, step.sop, run.cycle = step, sop, cycle
        runs.append(run)
    return runs


@functools.cache
def _step_runs_sql():
    from cycles.models import StepRun

    from .models import Sop, SopStep

    select = plain.select((StepRun, "r"), (SopStep, "p", "r.step"), (Sop, "o", "p.sop"))
    return f"{select}WHERE {plain.column(StepRun, 'cycle', 'r')} = %s"


class Facts:
    """What the checkers of one box read, each fetched once: the cycle's step runs (with
    their SOP steps), its letters and its meeting. `answers`: the OPD's (assigned, handed
    in) counts when the caller has them already (the OPD portal's AgencyWork)."""

    def __init__(self, cycle, agency, answers=None):
        from cycles.models import StepRun

        self.cycle, self.agency, self.answers = cycle, agency, answers
        self.runs = {run.number: run for run in _step_runs(cycle)}
        self._done = StepRun.Status.DONE

    def step_done(self, number):
        run = self.runs.get(number)
        return run is not None and run.status == self._done

    @cached_property
    def letters(self):
        """{kind: [status, ...]} of the cycle's letters."""
        letters = {}
        for kind, status in self.cycle.letters.values_list("kind", "status"):
            letters.setdefault(kind, []).append(status)
        return letters

    @cached_property
    def meeting(self):
        """The cycle's meeting with `present` (checked-in attendees), or None."""
        from django.db.models import Count, Q

        from meetings.models import Meeting

        present = Count("attendees", filter=Q(attendees__checked_in_at__isnull=False))
        return (
            Meeting.objects.filter(cycle=self.cycle)
            .select_related("invitation")
            .annotate(present=present)
            .first()
        )

    @cached_property
    def signed_reports(self):
        """{statement kind: signed?} of the cycle's Berita Acara and Pernyataan."""
        from reports.models import SignedReport

        rows = SignedReport.objects.filter(cycle=self.cycle).values_list("kind", "status")
        return {kind: status == SignedReport.Status.SIGNED for kind, status in rows}

    @cached_property
    def document_kinds(self):
        """The kinds of documents generated for the cycle."""
        from documents.models import Document

        return set(Document.objects.filter(cycle=self.cycle).values_list("kind", flat=True))


def _letter_status(kind, statuses):
    """Every letter of `kind` (a letters.Letter.Kind name) exists in one of `statuses`."""

    def check(facts):
        from letters.models import Letter

        found = facts.letters.get(getattr(Letter.Kind, kind), [])
        return bool(found) and all(status in statuses(Letter.Status) for status in found)

    return check


def _step_one_letters(statuses):
    def check(facts):
        return all(_letter_status(kind, statuses)(facts) for kind in ("INVITATION", "DATA_REQUEST"))

    return check


def _submitted(S):
    return {S.SUBMITTED, S.APPROVED, S.NUMBERED, S.SIGNED, S.DISPATCHED}


def _disposed(S):
    return {S.APPROVED, S.NUMBERED, S.SIGNED, S.DISPATCHED}


def _signed(S):
    return {S.SIGNED, S.DISPATCHED}


def _dispatched(S):
    return {S.DISPATCHED}


def _assignments_set(facts):
    return facts.cycle.assignments.exists()


def _step_done(number):
    return lambda facts: facts.step_done(number)


def _answers_in(facts):
    """With an OPD: every indicator assigned to it answered and submitted; without one: the
    collection is closed (step 4 done)."""
    if facts.agency is None:
        return facts.step_done(4)
    if facts.answers is not None:
        assigned, handed_in = facts.answers
        return assigned > 0 and handed_in >= assigned
    from submissions.models import Submission

    cycle, agency = facts.cycle, facts.agency
    assigned = cycle.assignments.filter(agency=agency).count()
    submitted = Submission.objects.filter(
        cycle=cycle,
        agency=agency,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
    ).count()
    return assigned > 0 and submitted >= assigned


def _circular_dispatched(facts):
    """The Surat Edaran Sekretaris Daerah is dispatched; not read on an OPD's own page (the
    portal reads nothing but the steps there), where its state is left unknown."""
    if facts.agency is not None:
        return None
    return _letter_status("CIRCULAR", _dispatched)(facts)


def _meeting_scheduled(facts):
    return facts.meeting is not None


def _meeting_invitation_sent(facts):
    meeting = facts.meeting
    return bool(meeting and meeting.invitation and meeting.invitation.status == "dispatched")


def _attendance_taken(facts):
    return bool(facts.meeting and facts.meeting.present)


def _minutes_written(facts):
    return bool(facts.meeting and facts.meeting.minutes.strip())


def _assessment_final(facts):
    from assessments.queries import find_assessment

    return find_assessment(facts.cycle).is_final


def _report_signed(kind_name):
    def check(facts):
        from reports.models import SignedReport

        return facts.signed_reports.get(getattr(SignedReport.Kind, kind_name), False)

    return check


def _document_made(kind):
    return lambda facts: kind in facts.document_kinds


# --- What each step needs --------------------------------------------------------------------

NEEDS = {
    # letters.services.drafting.submit_letter: step 1 ends when both letters went to Kabid.
    1: [
        Need(
            _("Surat Undangan, diajukan kepada Kabid"),
            True,
            _letter_status("INVITATION", _submitted),
        ),
        Need(
            _("Surat Permohonan Data, diajukan kepada Kabid"),
            True,
            _letter_status("DATA_REQUEST", _submitted),
        ),
        # The data request and each OPD's evaluation form list the OPD's indicators.
        Need(_("OPD peserta dan pembagian indikator"), True, _assignments_set),
    ],
    # letters.services.disposition: step 2 ends when Kabid approved both letters.
    2: [
        Need(
            _("Disposisi Kabid atas Surat Undangan dan Surat Permohonan Data"),
            True,
            _step_one_letters(_disposed),
        ),
    ],
    # letters.services.dispatch: step 3 ends when both letters are signed and sent.
    3: [
        Need(_("Nomor dan tanda tangan kedua surat"), True, _step_one_letters(_signed)),
        Need(_("Surat dikirim ke setiap OPD peserta"), True, _step_one_letters(_dispatched)),
    ],
    # submissions.services.close_collection ends step 4; answers are what it collects.
    4: [
        Need(
            _("Isian setiap indikator yang ditugaskan: tingkat, penjelasan dan data dukung"),
            True,
            _answers_in,
        ),
        Need(_("Pengumpulan isian ditutup"), True, _step_done(4)),
        # Both seed SOPs list "Surat Edaran Setda" as step 4's requirement: shown as
        # required, but the application warns instead of blocking (the cycle page and the
        # dispatch of the last step-1 letter, letters.queries.collection_without_circular).
        Need(_("Surat Edaran Sekretaris Daerah, dikirim ke OPD"), True, _circular_dispatched),
    ],
    # meetings.services.running.start_meeting ends step 5: it needs the collection closed and
    # the meeting scheduled; reviewing answers and the recap workbook are not checked.
    5: [
        Need(_("Pengumpulan isian OPD ditutup (langkah 4)"), True, _step_done(4)),
        Need(_("Verifikasi isian OPD: diterima atau dikembalikan"), False),
        Need(_("Rekap isian OPD (XLSX) untuk bahan rapat"), False),
        Need(_("Jadwal rapat koordinasi"), True, _meeting_scheduled),
    ],
    # assessments.services.finalize_assessment ends step 6 once every indicator has a level;
    # the meeting invitation "runs outside the clock" (letters.services.disposition) and the
    # daftar hadir and notulen are not checked by it.
    6: [
        Need(_("Surat Undangan Rapat Koordinasi"), False, _meeting_invitation_sent),
        Need(_("Daftar hadir rapat"), False, _attendance_taken),
        Need(
            _("Tingkat yang disepakati untuk setiap indikator, hasil difinalkan"),
            True,
            _assessment_final,
        ),
        Need(_("Notulen rapat"), False, _minutes_written),
    ],
    # The SOP (both seeds, step 7: "Membuat BA Penyelenggaraan Evaluasi Mandiri ditandatangani
    # oleh Setda/Sekda"; Output "BA ditandatangani" in DESIGN.md) asks for the Berita Acara
    # only, and reports.services.sign_report ends step 7 when the Berita Acara is signed.
    # The Pernyataan Persetujuan Publikasi is not in the SOP: optional.
    7: [
        Need(
            _("Berita Acara Penyelenggaraan Evaluasi Mandiri, ditandatangani Sekda"),
            True,
            _report_signed("BERITA_ACARA"),
        ),
        Need(_("Pernyataan Persetujuan Publikasi"), False, _report_signed("PUBLICATION_CONSENT")),
        Need(_("Formulir evaluasi resmi (ekspor)"), False),
    ],
    # reports.evaluation: step 8 ends when the first Dokumen Evaluasi SPBE is made.
    8: [
        Need(_("Dokumen Evaluasi SPBE (PDF dan DOCX)"), True, _document_made("evaluation")),
        Need(_("Paket data dukung"), False, _document_made("evidence_package")),
    ],
}


def step_needs(cycle, number, *, agency=None, answers=None):
    """What step `number` of the cycle's SOP needs, with the state of each item, or None
    when the cycle has no such step. Queries: the step runs, then one or two per item
    (none for the OPD's answers when `answers`, see Facts, is given)."""
    facts = Facts(cycle, agency, answers)
    run = facts.runs.get(number)
    if run is None:
        return None
    names = run.step.sop.actor_names
    lines = []
    for need in NEEDS.get(number, []):
        done = need.check(facts) if need.check else None
        if done is None and need.required and facts.step_done(number):
            done = True  # the step could not have finished without it
        lines.append(NeedLine(need, done))
    return StepNeeds(
        number=number,
        step=run.step,
        run=run,
        actor_names=[names.get(key, key) for key in run.step.actors],
        lines=lines,
    )


def letter_step(letter):
    """The SOP step a letter's page works on: a step-1 letter is drafted in step 1, waits for
    Kabid's disposition in step 2 and is numbered, signed and sent in step 3; the meeting
    invitation belongs to the meeting (step 6), the Surat Edaran Sekretaris Daerah to the
    collection (step 4)."""
    from letters.models import STEP_ONE_KINDS, Letter

    if letter.kind == Letter.Kind.CIRCULAR:
        return 4
    if letter.kind not in STEP_ONE_KINDS:
        return 6
    S = Letter.Status
    if letter.status in (S.DRAFT, S.RETURNED):
        return 1
    if letter.status == S.SUBMITTED:
        return 2
    return 3
