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

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Need:
    name: str | Promise
    required: bool
    # check(cycle, agency) -> True / False, or None when the state is unknown there.
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


def _step_one_letters(cycle):
    from letters.models import STEP_ONE_KINDS

    return list(cycle.letters.filter(kind__in=STEP_ONE_KINDS).only("kind", "status"))


def _letter_in(kind, statuses):
    def check(cycle, agency):
        return cycle.letters.filter(kind=kind, status__in=statuses).exists()

    return check


def _step_one_letters_in(statuses):
    def check(cycle, agency):
        letters = _step_one_letters(cycle)
        return len(letters) >= 2 and all(letter.status in statuses for letter in letters)

    return check


def _submitted_statuses():
    from letters.models import Letter

    S = Letter.Status
    return {S.SUBMITTED, S.APPROVED, S.NUMBERED, S.SIGNED, S.DISPATCHED}


def _disposed_statuses():
    from letters.models import Letter

    S = Letter.Status
    return {S.APPROVED, S.NUMBERED, S.SIGNED, S.DISPATCHED}


def _letter_submitted(kind_name):
    def check(cycle, agency):
        from letters.models import Letter

        return _letter_in(getattr(Letter.Kind, kind_name), _submitted_statuses())(cycle, agency)

    return check


def _letters_disposed(cycle, agency):
    return _step_one_letters_in(_disposed_statuses())(cycle, agency)


def _letters_signed(cycle, agency):
    from letters.models import Letter

    return _step_one_letters_in({Letter.Status.SIGNED, Letter.Status.DISPATCHED})(cycle, agency)


def _letters_dispatched(cycle, agency):
    from letters.models import Letter

    return _step_one_letters_in({Letter.Status.DISPATCHED})(cycle, agency)


def _assignments_set(cycle, agency):
    return cycle.assignments.exists()


def _step_done(number):
    def check(cycle, agency):
        from cycles.models import StepRun

        return cycle.step_runs.filter(number=number, status=StepRun.Status.DONE).exists()

    return check


def _answers_in(cycle, agency):
    """With an OPD: every indicator assigned to it answered and submitted; without one: the
    collection is closed (step 4 done)."""
    if agency is None:
        return _step_done(4)(cycle, agency)
    from submissions.models import Submission

    assigned = cycle.assignments.filter(agency=agency).count()
    submitted = Submission.objects.filter(
        cycle=cycle,
        agency=agency,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
    ).count()
    return assigned > 0 and submitted >= assigned


def _meeting_scheduled(cycle, agency):
    from meetings.models import Meeting

    return Meeting.objects.filter(cycle=cycle).exists()


def _meeting_invitation_sent(cycle, agency):
    from letters.models import Letter

    return _letter_in(Letter.Kind.MEETING_INVITATION, {Letter.Status.DISPATCHED})(cycle, agency)


def _attendance_taken(cycle, agency):
    from meetings.models import Attendee

    return Attendee.objects.filter(meeting__cycle=cycle, checked_in_at__isnull=False).exists()


def _minutes_written(cycle, agency):
    from meetings.models import Meeting

    return Meeting.objects.filter(cycle=cycle).exclude(minutes="").exists()


def _assessment_final(cycle, agency):
    from assessments.queries import find_assessment

    return find_assessment(cycle).is_final


def _report_signed(kind_name):
    def check(cycle, agency):
        from reports.models import SignedReport

        return SignedReport.objects.filter(
            cycle=cycle,
            kind=getattr(SignedReport.Kind, kind_name),
            status=SignedReport.Status.SIGNED,
        ).exists()

    return check


def _document_made(kind):
    def check(cycle, agency):
        from documents.models import Document

        return Document.objects.filter(cycle=cycle, kind=kind).exists()

    return check


# --- What each step needs --------------------------------------------------------------------

NEEDS = {
    # letters.services.drafting.submit_letter: step 1 ends when both letters went to Kabid.
    1: [
        Need(_("Surat Undangan, diajukan kepada Kabid"), True, _letter_submitted("INVITATION")),
        Need(
            _("Surat Permohonan Data, diajukan kepada Kabid"),
            True,
            _letter_submitted("DATA_REQUEST"),
        ),
        # The data request and each OPD's evaluation form list the OPD's indicators.
        Need(_("OPD peserta dan pembagian indikator"), True, _assignments_set),
    ],
    # letters.services.disposition: step 2 ends when Kabid approved both letters.
    2: [
        Need(
            _("Disposisi Kabid atas Surat Undangan dan Surat Permohonan Data"),
            True,
            _letters_disposed,
        ),
    ],
    # letters.services.dispatch: step 3 ends when both letters are signed and sent.
    3: [
        Need(_("Nomor dan tanda tangan kedua surat"), True, _letters_signed),
        Need(_("Surat dikirim ke setiap OPD peserta"), True, _letters_dispatched),
    ],
    # submissions.services.close_collection ends step 4; answers are what it collects.
    4: [
        Need(
            _("Isian setiap indikator yang ditugaskan: tingkat, penjelasan dan data dukung"),
            True,
            _answers_in,
        ),
        Need(_("Pengumpulan isian ditutup"), True, _step_done(4)),
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


def step_needs(cycle, number, *, agency=None):
    """What step `number` of the cycle's SOP needs, with the state of each item, or None
    when the cycle's SOP has no such step."""
    step = cycle.sop.steps.filter(number=number).first()
    if step is None:
        return None
    run = cycle.step_runs.filter(number=number).first()
    names = cycle.sop.actor_names
    lines = []
    for need in NEEDS.get(number, []):
        done = need.check(cycle, agency) if need.check else None
        if done is None and need.required and run is not None and run.status == "done":
            done = True  # the step could not have finished without it
        lines.append(NeedLine(need, done))
    return StepNeeds(
        number=number,
        step=step,
        run=run,
        actor_names=[names.get(key, key) for key in step.actors],
        lines=lines,
    )


def letter_step(letter):
    """The SOP step a letter's page works on: a step-1 letter is drafted in step 1, waits for
    Kabid's disposition in step 2 and is numbered, signed and sent in step 3; the meeting
    invitation belongs to the meeting (step 6)."""
    from letters.models import STEP_ONE_KINDS, Letter

    if letter.kind not in STEP_ONE_KINDS:
        return 6
    S = Letter.Status
    if letter.status in (S.DRAFT, S.RETURNED):
        return 1
    if letter.status == S.SUBMITTED:
        return 2
    return 3
