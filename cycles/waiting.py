"""What waits for a person's action, across every open cycle of their institution, computed
from the state of the records themselves (never from notifications): a letter in the status
that waits for their role, answers handed in and not yet reviewed, a meeting to schedule,
prepare or open, levels to agree and a result to finalize, a statement to number, route or
sign, the Dokumen Evaluasi to make; for an OPD's operators, their answers and their
follow-ups. An item disappears for everyone who had it as soon as anyone does the action.

`waiting_for(user)` runs a fixed number of queries whatever the number of cycles, letters,
answers or OPDs: the home page and the inbox list it (once per request, see
`cached_waiting_for`). The menu badge on every other page asks `waiting_count(user)`, which
counts the items without building the list: one hand-written statement for the staff's
letters and reviews (the work of SOP steps 5 to 8 is listed when a cycle runs them), two for
an operator's answers and follow-ups due (see "The menu badge's counts" for why)."""

import datetime
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Assessment
from cycles.models import Assignment, Cycle, StepRun
from cycles.permissions import CLOSING_STEP
from documents.formal import long_date
from followups.queries import open_follow_ups_of
from frameworks.models import Node
from institutions.models import Institution, Role
from institutions.permissions import agencies_of, roles_of
from letters.models import Letter, Receipt
from letters.queries import WAITING_FOR, data_requests_for
from meetings.models import Meeting
from monev import plain
from reports.models import SignedReport
from submissions.models import Reopening, Submission
from submissions.queries import agency_work, answering_is_open

# An open follow-up shows up this many days before its due date (and stays once it is late).
FOLLOW_UP_NOTICE_DAYS = 14

# The kinds of waiting work, in the SOP's order (the order of the list within a cycle).
LETTER = "letter"
REVIEW = "review"
ANSWERS = "answers"
MEETING_SCHEDULE = "meeting.schedule"
MEETING_INVITATION = "meeting.invitation"
MEETING_EQUIPMENT = "meeting.equipment"
MEETING_START = "meeting.start"
DECISIONS = "assessment.decisions"
FINALIZE = "assessment.finalize"
REPORT_PREPARE = "report.prepare"
REPORT_NUMBER = "report.number"
REPORT_ROUTE = "report.route"
REPORT_SIGN = "report.sign"
EVALUATION = "evaluation"
FOLLOW_UP = "follow_up"
KINDS = (
    LETTER,
    REVIEW,
    ANSWERS,
    MEETING_SCHEDULE,
    MEETING_INVITATION,
    MEETING_EQUIPMENT,
    MEETING_START,
    DECISIONS,
    FINALIZE,
    REPORT_PREPARE,
    REPORT_NUMBER,
    REPORT_ROUTE,
    REPORT_SIGN,
    EVALUATION,
    FOLLOW_UP,
)

# The roles with work of the institution's staff (_staff_work).
STAFF_ROLES = {Role.COORDINATOR, Role.SUPERVISOR, Role.SECRETARIAT, Role.EVALUATOR, Role.LEADER}

# The roles that review the OPDs' answers and agree the levels (submissions.permissions.
# can_review, assessments.permissions.can_decide).
REVIEWERS = (Role.COORDINATOR, Role.EVALUATOR)


@dataclass(frozen=True)
class Waiting:
    """One action waiting for the person: what to do (`title`), a line of context
    (`detail`), the page where it is done (`url`), how many things it covers (`count`) and
    since when the oldest of them waits (`since`, `days` whole days; None when the state
    has no moment of its own). `role`: the person's role that makes it their job."""

    kind: str
    title: str
    url: str
    cycle: object
    role: str
    detail: str = ""
    count: int = 1
    since: datetime.datetime | None = None
    days: int | None = None


def waiting_for(user, *, now=None, work=None, follow_ups=None):
    """[Waiting] for `user`, newest cycle first, then in the SOP's order. A fixed number of
    queries: the open cycles' running steps, then one query per source the person's roles
    and the cycles' steps call for (letters, answers, meetings, agreed levels, statements;
    an operator's data requests, answers and follow-ups). `work`: the operator's
    submissions.queries.AgencyWork when the caller has it already (the home page);
    `follow_ups`: the open follow-ups of the person's OPDs when the caller has them (the
    request's, _open_follow_ups)."""
    if not getattr(user, "is_authenticated", False) or user.institution_id is None:
        return []
    now = now or timezone.now()
    roles = roles_of(user)
    items = []
    if roles & STAFF_ROLES:
        items += _staff_work(user, roles, now)
    own = agencies_of(user)
    if own:
        if follow_ups is None:
            follow_ups = list(open_follow_ups_of(own))
        items += _agency_work(user, own, now, work) + _follow_ups(follow_ups, now)
    order = {kind: position for position, kind in enumerate(KINDS)}
    return sorted(items, key=lambda item: (-item.cycle.year, order[item.kind]))


def cached_waiting_for(user, *, work=None):
    """waiting_for(user), computed once per request (kept on the user object, like its
    memberships): the page and the menu badge share it, and the open follow-ups it reads
    with the OPD's own list of them (open_follow_ups)."""
    if not hasattr(user, "_monev_waiting"):
        follow_ups = None
        if getattr(user, "is_authenticated", False) and user.institution_id is not None:
            own = agencies_of(user)
            follow_ups = _open_follow_ups(user, own) if own else None
        user._monev_waiting = waiting_for(user, work=work, follow_ups=follow_ups)
    return user._monev_waiting


def open_follow_ups(user, agency):
    """The open follow-ups of `agency`, one of the person's OPDs, earliest due first (as
    followups.queries.follow_ups_for_agency, with their cycle and its institution): read
    once per request with the waiting list's, and not at all when the request knows the
    person's OPDs have none."""
    return [
        follow_up
        for follow_up in _open_follow_ups(user, agencies_of(user))
        if follow_up.agency_id == agency.pk
    ]


def waiting_count(user, *, now=None):
    """How many items waiting_for(user) lists, for the menu badge: the list's own length
    when the page has it; otherwise counted without building the list (_staff_count,
    _agency_count: a few hand-written statements, see there why)."""
    if not getattr(user, "is_authenticated", False) or user.institution_id is None:
        return 0
    if hasattr(user, "_monev_waiting"):
        return len(user._monev_waiting)
    now = now or timezone.now()
    roles = roles_of(user)
    own = agencies_of(user)
    count = 0
    if roles & STAFF_ROLES:
        count += _staff_count(user, roles, now)
    if own:
        count += _agency_count(user, own, now)
    return count


def _days(since, cycle, now):
    if since is None:
        return None
    institution = cycle.institution
    return (institution.today(now) - institution.today(since)).days


def _item(kind, title, url, cycle, role, *, now, detail="", count=1, since=None):
    return Waiting(
        kind=kind,
        title=title,
        url=url,
        cycle=cycle,
        role=role,
        detail=detail,
        count=count,
        since=since,
        days=_days(since, cycle, now),
    )


def _first(roles, *candidates):
    """The first of `candidates` the person holds (the role the item is shown under)."""
    return next((role for role in candidates if role in roles), None)


# --- The institution's staff -------------------------------------------------------------------


def _staff_work(user, roles, now):
    """The staff's work in the institution's open cycles (not closed by SOP step 8)."""
    runs = list(
        StepRun.objects.filter(
            cycle__institution_id=user.institution_id, status=StepRun.Status.RUNNING
        ).select_related("cycle__institution")
    )
    cycles = {run.cycle_id: run.cycle for run in runs}
    running = {}
    for run in runs:
        running.setdefault(run.cycle_id, set()).add(run.number)
    if not cycles:
        return []
    items = _letters(roles, cycles, now)
    if _first(roles, *REVIEWERS):
        items += _reviews(roles, cycles, now)
    return items + _later_work(roles, running, lambda: cycles, now)


def _later_work(roles, running, load_cycles, now):
    """The staff's work of SOP steps 5 to 8 (meeting, agreed levels, statements, Dokumen
    Evaluasi) in the cycles `running` ({cycle id: numbers of its running steps});
    `load_cycles()` gives {cycle id: cycle with its institution}, asked only when a cycle
    runs one of these steps for one of the person's roles."""
    meeting_cycles = [pk for pk, numbers in running.items() if numbers & {5, 6}]
    result_cycles = [pk for pk, numbers in running.items() if numbers & {6, 7}]
    report_cycles = [pk for pk, numbers in running.items() if numbers & {7, CLOSING_STEP}]
    meetings = meeting_cycles and _first(roles, Role.COORDINATOR, Role.SECRETARIAT)
    results = result_cycles and _first(roles, *REVIEWERS)
    reports = report_cycles and _first(roles, Role.COORDINATOR, Role.SECRETARIAT, Role.LEADER)
    if not (meetings or results or reports):
        return []
    cycles = load_cycles()
    items = []
    if meetings:
        items += _meetings(roles, cycles, running, meeting_cycles, now)
    drafts = set()
    if results:
        assessment_items, drafts = _assessments(roles, cycles, running, result_cycles, now)
        items += assessment_items
    if reports:
        items += _reports(roles, cycles, running, report_cycles, drafts, now)
    return items


def _letter_statuses(roles):
    """{letter status: the person's role it waits for} (letters.queries.WAITING_FOR)."""
    return {
        status: role for role, waiting in WAITING_FOR.items() if role in roles for status in waiting
    }


def _letters(roles, cycles, now):
    """A letter waits for the role its status names (letters.queries.WAITING_FOR)."""
    statuses = _letter_statuses(roles)
    if not statuses:
        return []
    letters = Letter.objects.filter(cycle_id__in=cycles, status__in=statuses).order_by("kind", "pk")
    titles = {
        Letter.Status.DRAFT: _("Lengkapi dan ajukan %(letter)s"),
        Letter.Status.RETURNED: _("Perbaiki %(letter)s yang dikembalikan Kabid"),
        Letter.Status.SUBMITTED: _("Disposisi %(letter)s"),
        Letter.Status.APPROVED: _("Beri nomor %(letter)s"),
        Letter.Status.NUMBERED: _("Catat tanda tangan %(letter)s"),
        Letter.Status.SIGNED: _("Kirim %(letter)s ke OPD"),
    }
    items = []
    for letter in letters:
        cycle = cycles[letter.cycle_id]
        items.append(
            _item(
                LETTER,
                titles[letter.status] % {"letter": letter.get_kind_display()},
                reverse("letter_detail", args=[letter.pk]),
                cycle,
                statuses[letter.status],
                now=now,
                detail=cycle.name,
                since=letter.updated_at,
            )
        )
    return items


def _reviews(roles, cycles, now):
    """Answers handed in and not reviewed yet, one item per indicator: how many, and since
    when the oldest waits (the review page of that indicator)."""
    rows = (
        Submission.objects.filter(cycle_id__in=cycles, status=Submission.Status.SUBMITTED)
        .values("cycle_id", "indicator_id", "indicator__number", "indicator__position")
        .annotate(count=Count("id"), since=Min(Coalesce("submitted_at", "updated_at")))
        .order_by("cycle_id", "indicator__position")
    )
    role = _first(roles, *REVIEWERS)
    items = []
    for row in rows:
        cycle = cycles[row["cycle_id"]]
        count = row["count"]
        items.append(
            _item(
                REVIEW,
                _("Verifikasi jawaban indikator %(number)s") % {"number": row["indicator__number"]},
                reverse("review_indicator", args=[cycle.pk, row["indicator_id"]]),
                cycle,
                role,
                now=now,
                detail=ngettext(
                    "%(count)d jawaban OPD menunggu — %(cycle)s",
                    "%(count)d jawaban OPD menunggu — %(cycle)s",
                    count,
                )
                % {"count": count, "cycle": cycle.name},
                count=count,
                since=row["since"],
            )
        )
    return items


def _meetings(roles, cycles, running, cycle_ids, now):
    """The coordination meeting while the recap (step 5) runs: to schedule, its invitation
    to draft, the room to prepare, and to open on its day."""
    meetings = {
        meeting.cycle_id: meeting
        for meeting in Meeting.objects.filter(cycle_id__in=cycle_ids).annotate(
            not_ready=Count("equipment", filter=Q(equipment__ready=False))
        )
    }
    coordinator = Role.COORDINATOR in roles
    preparer = _first(roles, Role.COORDINATOR, Role.SECRETARIAT)
    items = []
    for pk in cycle_ids:
        cycle = cycles[pk]
        url = reverse("meeting_detail", args=[pk])
        meeting = meetings.get(pk)
        if meeting is None:
            if coordinator and 5 in running[pk]:
                items.append(
                    _item(
                        MEETING_SCHEDULE,
                        _("Jadwalkan rapat koordinasi"),
                        f"{url}#jadwal",
                        cycle,
                        Role.COORDINATOR,
                        now=now,
                        detail=cycle.name,
                    )
                )
            continue
        if meeting.is_started:
            continue
        when = _("%(cycle)s — rapat %(date)s") % {
            "cycle": cycle.name,
            "date": long_date(meeting.starts_at, time_zone=cycle.institution.time_zone),
        }
        if coordinator and meeting.invitation_id is None:
            items.append(
                _item(
                    MEETING_INVITATION,
                    _("Buat surat undangan rapat koordinasi"),
                    f"{url}#undangan",
                    cycle,
                    Role.COORDINATOR,
                    now=now,
                    detail=when,
                )
            )
        if meeting.not_ready:
            items.append(
                _item(
                    MEETING_EQUIPMENT,
                    ngettext(
                        "Siapkan peralatan rapat: %(count)d belum siap",
                        "Siapkan peralatan rapat: %(count)d belum siap",
                        meeting.not_ready,
                    )
                    % {"count": meeting.not_ready},
                    f"{url}#peralatan",
                    cycle,
                    preparer,
                    now=now,
                    detail=when,
                    count=meeting.not_ready,
                )
            )
        if coordinator and cycle.institution.today(meeting.starts_at) <= cycle.institution.today(
            now
        ):
            items.append(
                _item(
                    MEETING_START,
                    _("Mulai rapat koordinasi"),
                    f"{url}#rapat",
                    cycle,
                    Role.COORDINATOR,
                    now=now,
                    detail=when,
                    since=meeting.starts_at,
                )
            )
    return items


def _assessments(roles, cycles, running, cycle_ids, now):
    """The levels to agree while the meeting (step 6) runs, and a result to finalize (also
    after a reopening during step 7). Returns (items, ids of the cycles whose result is
    not final)."""
    assessments = {
        assessment.cycle_id: assessment
        for assessment in Assessment.objects.filter(cycle_id__in=cycle_ids).annotate(
            decided=Count("decisions")
        )
    }
    frameworks = {cycles[pk].framework_id for pk in cycle_ids}
    totals = dict(
        Node.objects.filter(framework_id__in=frameworks, children__isnull=True)
        .values_list("framework_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    reviewer = _first(roles, *REVIEWERS)
    items, drafts = [], set()
    for pk in cycle_ids:
        cycle = cycles[pk]
        assessment = assessments.get(pk)
        if assessment is not None and assessment.is_final:
            continue
        if assessment is None and 6 not in running[pk]:
            continue  # step 7 started without a result: nothing to agree here
        drafts.add(pk)
        missing = totals.get(cycle.framework_id, 0) - (assessment.decided if assessment else 0)
        if missing > 0:
            items.append(
                _item(
                    DECISIONS,
                    ngettext(
                        "Sepakati tingkat %(count)d indikator",
                        "Sepakati tingkat %(count)d indikator",
                        missing,
                    )
                    % {"count": missing},
                    reverse("meeting_mode", args=[pk]),
                    cycle,
                    reviewer,
                    now=now,
                    detail=cycle.name,
                    count=missing,
                )
            )
        elif Role.COORDINATOR in roles:
            items.append(
                _item(
                    FINALIZE,
                    _("Finalkan hasil evaluasi mandiri"),
                    reverse("assessment_result", args=[pk]) + "#final",
                    cycle,
                    Role.COORDINATOR,
                    now=now,
                    detail=cycle.name,
                )
            )
    return items, drafts


def _reports(roles, cycles, running, cycle_ids, drafts, now):
    """The Berita Acara and the Pernyataan (step 7): to prepare, then each waits for the
    role its status names (SignedReport.next_actor); then the Dokumen Evaluasi (step 8)."""
    reports = {}
    for report in SignedReport.objects.filter(cycle_id__in=cycle_ids):
        reports[report.cycle_id, report.kind] = report
    titles = {
        REPORT_NUMBER: _("Beri nomor %(report)s"),
        REPORT_ROUTE: _("Ajukan %(report)s untuk ditandatangani pimpinan"),
        REPORT_SIGN: _("Tandatangani %(report)s"),
    }
    items = []
    for pk in cycle_ids:
        cycle = cycles[pk]
        for kind in SignedReport.Kind:
            report = reports.get((pk, kind))
            if report is None:
                if Role.COORDINATOR in roles and 7 in running[pk] and pk not in drafts:
                    items.append(
                        _item(
                            REPORT_PREPARE,
                            _("Siapkan %(report)s") % {"report": kind.label},
                            reverse("report_list", args=[pk]),
                            cycle,
                            Role.COORDINATOR,
                            now=now,
                            detail=_report_detail(kind, cycle),
                        )
                    )
                continue
            kind_key, since = _report_step(report)
            if kind_key is None or report.next_actor not in roles:
                continue
            detail = cycle.name if not report.number else f"{report.number} — {cycle.name}"
            items.append(
                _item(
                    kind_key,
                    titles[kind_key] % {"report": report.get_kind_display()},
                    reverse("report_detail", args=[report.pk]),
                    cycle,
                    report.next_actor,
                    now=now,
                    detail=detail,
                    since=since,
                )
            )
        if Role.COORDINATOR in roles and CLOSING_STEP in running[pk]:
            items.append(
                _item(
                    EVALUATION,
                    _("Susun Dokumen Evaluasi SPBE"),
                    reverse("evaluation", args=[pk]),
                    cycle,
                    Role.COORDINATOR,
                    now=now,
                    detail=cycle.name,
                )
            )
    return items


def _report_detail(kind, cycle):
    """The cycle's name; the Pernyataan says it is optional (step 7 needs only the Berita
    Acara: sops.needs)."""
    if kind == SignedReport.Kind.PUBLICATION_CONSENT:
        return _("%(cycle)s · opsional") % {"cycle": cycle.name}
    return cycle.name


def _report_step(report):
    """(kind of the waiting action, since when) of a statement; (None, None) once signed."""
    if report.status == SignedReport.Status.DRAFT:
        return REPORT_NUMBER, report.created_at
    if report.status == SignedReport.Status.NUMBERED:
        if report.is_routed:
            return REPORT_SIGN, report.routed_at
        return REPORT_ROUTE, report.updated_at
    return None, None


# --- An OPD's operators --------------------------------------------------------------------------


def _agency_work(user, own, now, work=None):
    """Per data request (cycle, OPD) while the OPD may answer: the answers it still has to
    work on, leading to the next one (a returned answer first), or the complete ones to hand
    in (the follow-ups are _follow_ups')."""
    if work is None:
        requests = data_requests_for(user)
        work = agency_work([(request.cycle, request.agency) for request in requests], now=now)
    items = []
    for each in work:
        cycle, agency = each.cycle, each.agency
        if not each.window.is_open:
            continue
        to_do = each.to_do_rows
        if each.window.reopening is not None:
            days_left = _("dibuka kembali sampai %(date)s") % {
                "date": long_date(
                    each.window.reopening.until, time_zone=cycle.institution.time_zone
                )
            }
        else:
            days_left = ngettext(
                "sisa %(days)d hari kerja", "sisa %(days)d hari kerja", each.working_days_left
            ) % {"days": each.working_days_left}
        if each.next_row is not None:
            returned = len(each.returned_rows)
            detail = ngettext(
                "%(count)d indikator perlu dikerjakan",
                "%(count)d indikator perlu dikerjakan",
                len(to_do),
            ) % {"count": len(to_do)}
            if returned:
                detail += " · " + ngettext(
                    "%(count)d dikembalikan verifikator",
                    "%(count)d dikembalikan verifikator",
                    returned,
                ) % {"count": returned}
            items.append(
                _item(
                    ANSWERS,
                    _("Isi jawaban %(agency)s: indikator %(number)s — %(cycle)s")
                    % {
                        "agency": agency.short_name,
                        "number": each.next_row.indicator.number,
                        "cycle": cycle.name,
                    },
                    reverse(
                        "submission_edit", args=[cycle.pk, agency.pk, each.next_row.indicator.pk]
                    ),
                    cycle,
                    Role.AGENCY,
                    now=now,
                    detail=f"{detail} · {days_left}",
                    count=len(to_do),
                )
            )
        elif each.submittable_count:
            items.append(
                _item(
                    ANSWERS,
                    ngettext(
                        "Ajukan %(count)d isian %(agency)s yang sudah lengkap — %(cycle)s",
                        "Ajukan %(count)d isian %(agency)s yang sudah lengkap — %(cycle)s",
                        each.submittable_count,
                    )
                    % {
                        "count": each.submittable_count,
                        "agency": agency.short_name,
                        "cycle": cycle.name,
                    },
                    reverse("portal", args=[cycle.pk, agency.pk]),
                    cycle,
                    Role.AGENCY,
                    now=now,
                    detail=days_left,
                    count=each.submittable_count,
                )
            )
    return items


# --- The menu badge's counts -------------------------------------------------------------------
#
# The badge is on every page with the menu, so its counts are two hand-written statements,
# not ORM querysets: building and compiling the equivalent queryset (five correlated
# EXISTS, annotate, distinct) cost ~3.3 ms per page and running it 0.03 ms; the follow-ups
# due another ~1.4 ms (three select_related). The statements take their table and column
# names from the models' _meta and every value as a parameter; they run on SQLite and
# PostgreSQL alike, and cycles/tests/test_waiting.py checks on both that the badge equals
# the list's length in every state.


# Short names for the statements below (monev.plain's).
_table, _column, _placeholders = plain.table, plain.column, plain.placeholders


def _as_date(value):
    """A DATE column's value (SQLite returns it as text)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


@functools.cache
def _answer_pairs_sql(agencies):
    """The data requests (cycle, OPD) of `agencies` OPDs with an assigned indicator not
    handed in, each with the cycle's deadline, its institution's time zone and whether
    the cycle is closed (step 8 done), the collection closed (step 4 done) and a
    reopening runs."""
    a_cycle, a_agency = _column(Assignment, "cycle"), _column(Assignment, "agency")
    r_cycle, r_number = _column(StepRun, "cycle"), _column(StepRun, "number")
    r_status = _column(StepRun, "status")
    step_done = (
        f"EXISTS (SELECT 1 FROM {_table(StepRun)} r WHERE r.{r_cycle} = a.{a_cycle} "
        f"AND r.{r_status} = %s AND r.{r_number} = %s)"
    )
    return f"""
        SELECT DISTINCT a.{a_cycle}, a.{a_agency}, c.{_column(Cycle, "deadline")},
            i.{_column(Institution, "time_zone")}, {step_done}, {step_done},
            EXISTS (SELECT 1 FROM {_table(Reopening)} o
                WHERE o.{_column(Reopening, "cycle")} = a.{a_cycle}
                AND o.{_column(Reopening, "agency")} = a.{a_agency}
                AND o.{_column(Reopening, "until")} > %s)
        FROM {_table(Assignment)} a
        INNER JOIN {_table(Cycle)} c ON c.{_column(Cycle, "id")} = a.{a_cycle}
        INNER JOIN {_table(Institution)} i
            ON i.{_column(Institution, "id")} = c.{_column(Cycle, "institution")}
        WHERE a.{a_agency} IN ({_placeholders(agencies)})
        AND EXISTS (SELECT 1 FROM {_table(Receipt)} t
            INNER JOIN {_table(Letter)} l
                ON l.{_column(Letter, "id")} = t.{_column(Receipt, "letter")}
            WHERE t.{_column(Receipt, "agency")} = a.{a_agency}
            AND l.{_column(Letter, "cycle")} = a.{a_cycle} AND l.{_column(Letter, "status")} = %s)
        AND NOT EXISTS (SELECT 1 FROM {_table(Submission)} s
            WHERE s.{_column(Submission, "cycle")} = a.{a_cycle}
            AND s.{_column(Submission, "agency")} = a.{a_agency}
            AND s.{_column(Submission, "indicator")} = a.{_column(Assignment, "indicator")}
            AND s.{_column(Submission, "status")} IN (%s, %s))
    """


def _agency_count(user, own, now):
    """How many items _agency_work and _follow_ups list, in two statements (the second
    one the request's _follow_up_rows), without reading every answer.

    ANSWERS: one per data request (a dispatched letter the OPD received, letters.queries.
    data_requests_for) while the OPD may answer (submissions.queries.answering_is_open) and
    has an answer to work on ("Isi jawaban …") or complete ones to hand in ("Ajukan … yang
    sudah lengkap"): exactly when one of its assigned indicators is not handed in (no
    answer, a draft or a returned one; an answer with a return note is one of these).
    FOLLOW_UP: one per open follow-up due within FOLLOW_UP_NOTICE_DAYS or late (_due)."""
    agencies = [agency.pk for agency in own]
    with connection.cursor() as cursor:
        cursor.execute(
            _answer_pairs_sql(len(agencies)),
            [
                StepRun.Status.DONE,
                CLOSING_STEP,
                StepRun.Status.DONE,
                4,
                connection.ops.adapt_datetimefield_value(now),
                *agencies,
                Letter.Status.DISPATCHED,
                Submission.Status.SUBMITTED,
                Submission.Status.ACCEPTED,
            ],
        )
        pairs = cursor.fetchall()
    answers = sum(
        1
        for _cycle, _agency, deadline, zone, closed, collected, reopened in pairs
        if answering_is_open(
            closed=bool(closed),
            reopened=bool(reopened),
            deadline_passed=Institution(time_zone=zone).today(now) > _as_date(deadline),
            collected=bool(collected),
        )
    )
    due = sum(
        1
        for _agency, due_date, zone in _follow_up_rows(user, own)
        if _due(due_date, Institution(time_zone=zone).today(now))
    )
    return answers + due


@functools.cache
def _staff_sql(letter_statuses, reviewer):
    """Each running step of the institution's cycles (cycle id, step number), with the
    cycle's letters in `letter_statuses` statuses and, for a reviewer, its indicators with
    an answer handed in and not reviewed (0 when the person has none of that work)."""
    r_cycle = _column(StepRun, "cycle")
    letters = "0"
    if letter_statuses:
        letters = f"""(SELECT COUNT(*) FROM {_table(Letter)} l
            WHERE l.{_column(Letter, "cycle")} = r.{r_cycle}
            AND l.{_column(Letter, "status")} IN ({_placeholders(letter_statuses)}))"""
    reviews = "0"
    if reviewer:
        reviews = f"""(SELECT COUNT(DISTINCT s.{_column(Submission, "indicator")})
            FROM {_table(Submission)} s WHERE s.{_column(Submission, "cycle")} = r.{r_cycle}
            AND s.{_column(Submission, "status")} = %s)"""
    return f"""
        SELECT r.{r_cycle}, r.{_column(StepRun, "number")}, {letters}, {reviews}
        FROM {_table(StepRun)} r
        INNER JOIN {_table(Cycle)} c ON c.{_column(Cycle, "id")} = r.{r_cycle}
        WHERE c.{_column(Cycle, "institution")} = %s AND r.{_column(StepRun, "status")} = %s
    """


def _staff_count(user, roles, now):
    """How many items _staff_work lists: its letters (one per letter) and reviews (one per
    indicator) counted by one statement together with the running steps; the work of
    steps 5 to 8 (_later_work) listed when a cycle runs them."""
    statuses = list(_letter_statuses(roles))
    reviewer = bool(_first(roles, *REVIEWERS))
    with connection.cursor() as cursor:
        cursor.execute(
            _staff_sql(len(statuses), reviewer),
            [
                *statuses,
                *([Submission.Status.SUBMITTED] if reviewer else []),
                user.institution_id,
                StepRun.Status.RUNNING,
            ],
        )
        rows = cursor.fetchall()
    running, counts = {}, {}
    for cycle_id, number, letters, reviews in rows:
        running.setdefault(cycle_id, set()).add(number)
        counts[cycle_id] = letters + reviews

    def load_cycles():
        return Cycle.objects.select_related("institution").in_bulk(list(running))

    return sum(counts.values()) + len(_later_work(roles, running, load_cycles, now))


def _due(due_date, today):
    """Whether an open follow-up shows: due within FOLLOW_UP_NOTICE_DAYS, or late."""
    return due_date <= today + datetime.timedelta(days=FOLLOW_UP_NOTICE_DAYS)


def _follow_up_rows(user, own):
    """[(OPD id, due date, its institution's time zone)] of the open follow-ups of the
    person's OPDs `own` (from _open_follow_ups: one statement per request)."""
    return [
        (follow_up.agency_id, follow_up.due_date, follow_up.cycle.institution.time_zone)
        for follow_up in _open_follow_ups(user, own)
    ]


def _open_follow_ups(user, own):
    """The open follow-ups of the person's OPDs `own`, earliest due first, read once per
    request (followups.queries.open_follow_ups_of, one plain statement) for the badge, the
    list and the OPD's follow-ups box."""
    if not hasattr(user, "_monev_follow_ups"):
        user._monev_follow_ups = open_follow_ups_of(own)
    return user._monev_follow_ups


def _follow_ups(follow_ups, now):
    """The open `follow_ups` due within FOLLOW_UP_NOTICE_DAYS or late."""
    items = []
    for follow_up in follow_ups:
        cycle = follow_up.cycle
        today = cycle.institution.today(now)
        if not _due(follow_up.due_date, today):
            continue
        due = long_date(follow_up.due_date)
        if follow_up.due_date < today:
            detail = _("lewat batas waktu %(date)s") % {"date": due}
        else:
            detail = _("batas waktu %(date)s") % {"date": due}
        items.append(
            _item(
                FOLLOW_UP,
                _("Laporkan tindak lanjut %(agency)s: %(text)s")
                % {
                    "agency": follow_up.agency.short_name,
                    "text": Truncator(follow_up.description).words(10),
                },
                reverse("follow_up_detail", args=[follow_up.pk]),
                follow_up.carried_to or cycle,
                Role.AGENCY,
                now=now,
                detail=f"{detail} — {cycle.name}",
            )
        )
    return items
