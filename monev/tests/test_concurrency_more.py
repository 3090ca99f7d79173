"""The same request N times at the same instant at the remaining write endpoints a person
may double-click (letters, cycles, answers, data dukung, the meeting, the result, reports,
users): real threads, real HTTP to the live server (monev.tests.firing).

Every request is answered without a 5xx, and the write happens once: one row, one number,
one state change with its one audit event. Where a repeat is answered differently from the
first request (the page again with the refusal, 200, instead of the redirect), the set of
statuses allowed says so. With -s it prints the table of what it saw.
"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment, Decision
from audit.models import AuditEvent
from cycles import services as cycle_services
from cycles.models import Cycle
from documents.models import Document, GenerationJob
from evidence import services as evidence_services
from evidence.models import Evidence
from followups import services as followup_services
from followups.models import FollowUpUpdate
from institutions.models import User
from letters import services as letter_services
from letters.models import Disposition, Letter, NumberSequence, Receipt
from letters.tests.conftest import advance
from meetings import services as meeting_services
from meetings.models import Attendee, Meeting
from monev.tests import firing
from monev.tests.firing import (
    ANALISIS,
    FAKTA,
    answering_cycle,
    draft,
    fire,
    session_headers,
)
from reports import services as report_services
from reports.models import SignedReport
from submissions import services as submission_services
from submissions.models import Review, Submission

REDIRECT = {302}
REDIRECT_OR_PAGE = {302, 200}  # the first redirects; a repeat shows the page with the refusal
CONFIRMED = {"confirmed": "yes"}  # past the confirmation page, as its button posts
PLACE = "Ruang Rapat Pontive Center"
RESULTS = firing.Results("rows / changes")


_print_table = RESULTS.printer()
_media = firing.tmp_media


check = RESULTS.check


def events(action):
    return AuditEvent.objects.filter(action=action).count()


# --- Letters (steps 1-3) -----------------------------------------------------------------


@pytest.fixture
def letter_cycle(framework, sop, coordinator, supervisor, secretariat, agency, agency_user):
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
    )


def letter_at(cycle, status, *, coordinator, supervisor, secretariat):
    """The cycle's data-request letter taken through the services up to `status`."""
    letter = letter_services.draft_cycle_letters(cycle, by=coordinator)[1]
    return advance(
        letter, status, coordinator=coordinator, supervisor=supervisor, secretariat=secretariat
    )


# (url name, the letter's status before, who, POST data, allowed statuses, status after,
#  the audit action that must be recorded exactly once)
LETTER_STEPS = [
    ("letter_submit", "draft", "coordinator", {}, REDIRECT, "submitted", "letter.submitted"),
    (
        "letter_dispose",
        "submitted",
        "supervisor",
        {"decision": "approve", "instruction": "Segera kirim ke OPD."},
        REDIRECT_OR_PAGE,
        "approved",
        "letter.approved",
    ),
    (
        "letter_dispose",
        "submitted",
        "supervisor",
        {"decision": "return", "note": "Perbaiki tanggal rapat."},
        REDIRECT_OR_PAGE,
        "returned",
        "letter.returned",
    ),
    (
        "letter_number",
        "approved",
        "secretariat",
        CONFIRMED,
        REDIRECT,
        "numbered",
        "letter.numbered",
    ),
    (
        "letter_sign",
        "numbered",
        "secretariat",
        {"method": "internal", **CONFIRMED},
        REDIRECT_OR_PAGE,
        "signed",
        "letter.signed",
    ),
    (
        "letter_dispatch",
        "signed",
        "secretariat",
        CONFIRMED,
        REDIRECT,
        "dispatched",
        "letter.dispatched",
    ),
]


@pytest.mark.parametrize(
    ("name", "before", "persona", "data", "allowed", "after", "action"),
    LETTER_STEPS,
    ids=[f"{step[0]}-{step[5]}" for step in LETTER_STEPS],
)
def test_letter_step(
    request, live_server, client, letter_cycle, name, before, persona, data, allowed, after, action
):
    people = {
        role: request.getfixturevalue(role) for role in ("coordinator", "supervisor", "secretariat")
    }
    letter = letter_at(letter_cycle, before, **people)
    sequence_before = NumberSequence.objects.filter(year=timezone.localdate().year).first()
    last_before = sequence_before.last if sequence_before else 0

    statuses = fire(
        live_server,
        reverse(name, args=[letter.pk]),
        session_headers(client, people[persona]),
        data,
    )

    letter.refresh_from_db()
    last = NumberSequence.objects.get(year=timezone.localdate().year).last if letter.sequence else 0
    changes = f"status {before}→{letter.status}; {action}×{events(action)}"
    if name == "letter_number":
        changes += f"; sequence {last_before}→{last}"
    check(f"{name} ({after})", statuses, changes, allowed=allowed)
    assert letter.status == after
    assert events(action) == 1
    if name == "letter_dispose":  # one decided round, not one per request
        assert Disposition.objects.filter(letter=letter).exclude(verdict="").count() == 1
    if name == "letter_number":  # one number taken: the sequence advanced by exactly 1
        assert (letter.sequence, last) == (last_before + 1, last_before + 1)
    if name == "letter_dispatch":  # one receipt per recipient OPD
        assert Receipt.objects.filter(letter=letter).count() == 1


def test_draft_the_cycle_letters(live_server, client, letter_cycle, coordinator):
    statuses = fire(
        live_server,
        reverse("cycle_letters_draft", args=[letter_cycle.pk]),
        session_headers(client, coordinator),
    )

    rows = Letter.objects.filter(cycle=letter_cycle).count()
    check("cycle_letters_draft", statuses, f"{rows} letters", allowed=REDIRECT)
    assert rows == 2  # the invitation and the data request, once
    assert events("letter.drafted") == 2


# --- Cycles ------------------------------------------------------------------------------


def test_open_a_cycle(live_server, client, framework, sop, coordinator, agency):
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "year": 2026,
        "framework": framework.pk,
        "deadline": deadline.isoformat(),
        "contact_person": coordinator.pk,
        "agencies": [agency.pk],
    }

    statuses = fire(live_server, reverse("cycle_open"), session_headers(client, coordinator), data)

    rows = Cycle.objects.filter(year=2026).count()
    check("cycle_open", statuses, f"{rows} cycle", allowed=REDIRECT_OR_PAGE)
    assert rows == 1
    assert events("cycle.opened") == 1


def test_save_the_assignments(live_server, client, framework, sop, coordinator, agency):
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={},
    )
    indicators = list(framework.nodes.filter(code__in=["I1", "I2"]).order_by("position"))
    data = {f"i{indicator.pk}": [agency.pk] for indicator in indicators}

    statuses = fire(
        live_server,
        reverse("cycle_assignments", args=[cycle.pk]),
        session_headers(client, coordinator),
        data,
    )

    rows = cycle.assignments.count()
    saved = events("cycle.assignments_set")
    check("cycle_assignments", statuses, f"{rows} assignments; set×{saved}", allowed=REDIRECT)
    assert rows == 2
    assert saved == 1  # the same assignment again changes nothing


# --- Answers and data dukung (step 4) ----------------------------------------------------


@pytest.fixture
def answering(framework, sop, coordinator, agency, agency_user):
    """A cycle in step 4 where BKPSDM answers indicators 1 to 3."""
    return answering_cycle(framework, coordinator, [agency])


def test_accept_an_answer(live_server, client, answering, agency_user, coordinator):
    cycle, (first, *_rest) = answering
    submission = submission_services.submit_submission(
        draft(cycle, first, agency_user), by=agency_user
    )

    statuses = fire(
        live_server,
        reverse("submission_accept", args=[submission.pk]),
        session_headers(client, coordinator),
        {"note": ""},
    )

    rows = Review.objects.filter(submission=submission, kind=Review.Kind.ACCEPTED).count()
    check("submission_accept", statuses, f"{rows} review accepted", allowed=REDIRECT)
    assert rows == 1
    submission.refresh_from_db()
    assert submission.status == "accepted"


def test_submit_every_answer_of_an_opd(live_server, client, answering, agency, agency_user):
    cycle, indicators = answering
    for indicator in indicators:
        draft(cycle, indicator, agency_user)

    statuses = fire(
        live_server,
        reverse("portal_submit_all", args=[cycle.pk, agency.pk]),
        session_headers(client, agency_user),
    )

    rows = Review.objects.filter(submission__cycle=cycle, kind=Review.Kind.SUBMITTED).count()
    check("portal_submit_all", statuses, f"{rows} reviews submitted (3 answers)", allowed=REDIRECT)
    assert rows == 3  # one per answer, not one per request
    assert set(Submission.objects.filter(cycle=cycle).values_list("status", flat=True)) == {
        "submitted"
    }


def test_close_the_collection(live_server, client, answering, coordinator):
    cycle, _indicators = answering

    statuses = fire(
        live_server,
        reverse("collection_close", args=[cycle.pk]),
        session_headers(client, coordinator),
        {"confirmed": "yes"},
    )

    closed = events("submission.collection_closed")
    check("collection_close", statuses, f"collection_closed×{closed}", allowed=REDIRECT)
    assert closed == 1
    runs = cycle.step_runs.filter(number__in=[4, 5]).order_by("number")
    assert list(runs.values_list("status", flat=True)) == ["done", "running"]


def test_add_a_link(live_server, client, answering, agency_user):
    cycle, (first, *_rest) = answering
    submission = draft(cycle, first, agency_user)
    data = {"url": "https://jdih.pontianak.go.id/perwa-12-2024", "title": "Perwa 12/2024"}

    statuses = fire(
        live_server,
        reverse("evidence_link", args=[submission.pk]),
        session_headers(client, agency_user),
        data,
    )

    rows = Evidence.objects.filter(cycle=cycle).count()
    check("evidence_link", statuses, f"{rows} evidence", allowed=REDIRECT)
    assert rows == 1
    assert submission.evidence.count() == 1


# --- The meeting (step 6) ----------------------------------------------------------------


@pytest.fixture
def meeting_cycle(answering, supervisor, secretariat, evaluator, leader):
    """The cycle in step 4 with every staff persona (the invitees are found by role)."""
    cycle, _indicators = answering
    return cycle


def tomorrow_at_nine(cycle):
    zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
    day = timezone.localdate() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=zone)


@pytest.fixture
def meeting(meeting_cycle, coordinator):
    return meeting_services.schedule_meeting(
        meeting_cycle, by=coordinator, starts_at=tomorrow_at_nine(meeting_cycle), place=PLACE
    )


def test_schedule_the_meeting(live_server, client, meeting_cycle, coordinator):
    starts_at = tomorrow_at_nine(meeting_cycle)
    data = {
        "date": starts_at.date().isoformat(),
        "time": "09:00",
        "duration_minutes": 120,
        "place": PLACE,
        "agenda": "Kesepakatan hasil evaluasi mandiri.",
    }

    statuses = fire(
        live_server,
        reverse("meeting_schedule", args=[meeting_cycle.pk]),
        session_headers(client, coordinator),
        data,
    )

    rows = Meeting.objects.filter(cycle=meeting_cycle).count()
    scheduled = events("meeting.scheduled")
    check(
        "meeting_schedule",
        statuses,
        f"{rows} meeting; scheduled×{scheduled}; rescheduled×{events('meeting.rescheduled')}",
        allowed=REDIRECT_OR_PAGE,
    )
    assert (rows, scheduled) == (1, 1)
    # The same schedule again moves nothing (no "rescheduled", no second invitee list).
    assert events("meeting.rescheduled") == 0
    invitees = Attendee.objects.filter(meeting__cycle=meeting_cycle)
    assert invitees.count() == invitees.values("user").distinct().count()


def test_add_equipment(live_server, client, meeting, coordinator):
    before = meeting.equipment.count()

    statuses = fire(
        live_server,
        reverse("meeting_equipment", args=[meeting.cycle_id]),
        session_headers(client, coordinator),
        {"new_name": "Pointer laser"},
    )

    rows = meeting.equipment.filter(name="Pointer laser").count()
    check("meeting_equipment", statuses, f"{rows} line added", allowed=REDIRECT_OR_PAGE)
    assert (rows, meeting.equipment.count()) == (1, before + 1)


def test_draft_the_meeting_invitation(live_server, client, meeting, coordinator):
    statuses = fire(
        live_server,
        reverse("meeting_invitation", args=[meeting.cycle_id]),
        session_headers(client, coordinator),
    )

    rows = Letter.objects.filter(cycle=meeting.cycle, kind=Letter.Kind.MEETING_INVITATION).count()
    check("meeting_invitation", statuses, f"{rows} letter", allowed=REDIRECT)
    assert rows == 1


def test_add_a_walk_in(live_server, client, meeting, coordinator, agency):
    data = {"name": "dr. Andi Saputra", "position": "Sekretaris", "agency": agency.pk}

    statuses = fire(
        live_server,
        reverse("meeting_attendee_add", args=[meeting.cycle_id]),
        session_headers(client, coordinator),
        data,
    )

    rows = meeting.attendees.filter(name="dr. Andi Saputra").count()
    check("meeting_attendee_add (walk-in)", statuses, f"{rows} attendee", allowed=REDIRECT_OR_PAGE)
    assert rows == 1
    assert events("meeting.attendee_added") == 1


@pytest.mark.parametrize("where", ["desk", "self"])
def test_check_in(live_server, client, meeting, coordinator, leader, where):
    attendee = meeting.attendees.get(user=leader)
    if where == "desk":
        path = reverse("meeting_check_in", args=[meeting.cycle_id, attendee.pk])
        person = coordinator
    else:
        path = reverse("meeting_check_in_self", args=[meeting.cycle_id])
        person = leader

    statuses = fire(live_server, path, session_headers(client, person))

    checked_in = events("meeting.checked_in")
    check(f"meeting check-in ({where})", statuses, f"checked_in×{checked_in}", allowed=REDIRECT)
    assert checked_in == 1
    attendee.refresh_from_db()
    assert attendee.checked_in_by == person


def test_start_the_meeting(live_server, client, meeting, coordinator):
    submission_services.close_collection(meeting.cycle, by=coordinator)

    statuses = fire(
        live_server,
        reverse("meeting_start", args=[meeting.cycle_id]),
        session_headers(client, coordinator),
        {"confirmed": "yes"},
    )

    started = events("meeting.started")
    check("meeting_start", statuses, f"started×{started}", allowed=REDIRECT)
    assert started == 1
    runs = meeting.cycle.step_runs.filter(number__in=[5, 6]).order_by("number")
    assert list(runs.values_list("status", flat=True)) == ["done", "running"]


def test_minutes_autosave(live_server, client, meeting, coordinator):
    data = {"minutes": "Rapat dibuka pukul 09.00 oleh Sekretaris Daerah.", "version": 0}

    statuses = fire(
        live_server,
        reverse("meeting_minutes_autosave", args=[meeting.cycle_id]),
        session_headers(client, coordinator),
        data,
    )

    meeting.refresh_from_db()
    saved = events("meeting.minutes_saved")
    check("meeting_minutes_autosave", statuses, f"version {meeting.minutes_version}", allowed={200})
    # The same text on version 0: the first saves (version 1); the repeats are told of the
    # conflict (or find the same text) and save nothing.
    assert (meeting.minutes_version, saved) == (1, 1)


# --- The result (steps 6-7) and the follow-ups -------------------------------------------


def decide_all(cycle, evaluator):
    for indicator in cycle.framework.nodes.filter(children__isnull=True).order_by("position"):
        assessment_services.set_decision(
            cycle, indicator, by=evaluator, level=3, fakta="Fakta.", analisis="Analisis."
        )


def test_save_a_decision_in_meeting_mode(live_server, client, answering, evaluator):
    cycle, (first, *_rest) = answering
    data = {"level": 2, "fakta": FAKTA, "analisis": ANALISIS}

    statuses = fire(
        live_server,
        reverse("meeting_decision", args=[cycle.pk, first.pk]),
        session_headers(client, evaluator),
        data,
    )

    rows = Decision.objects.filter(assessment__cycle=cycle, indicator=first).count()
    saved = events("assessment.decision_set")
    check("meeting_decision", statuses, f"{rows} decision; decision_set×{saved}", allowed=REDIRECT)
    assert (rows, saved) == (1, 1)  # the same decision again changes nothing
    assert Assessment.objects.filter(cycle=cycle).count() == 1


def test_finalize_the_result(live_server, client, answering, coordinator, evaluator):
    cycle, _indicators = answering
    decide_all(cycle, evaluator)

    statuses = fire(
        live_server,
        reverse("assessment_finalize", args=[cycle.pk]),
        session_headers(client, coordinator),
        CONFIRMED,
    )

    finalized = events("assessment.finalized")
    check("assessment_finalize", statuses, f"finalized×{finalized}", allowed=REDIRECT)
    assert finalized == 1
    assert Assessment.objects.get(cycle=cycle).status == "final"


def test_reopen_the_result(live_server, client, answering, coordinator, evaluator):
    cycle, _indicators = answering
    decide_all(cycle, evaluator)
    assessment_services.finalize_assessment(Assessment.objects.get(cycle=cycle), by=coordinator)

    statuses = fire(
        live_server,
        reverse("assessment_reopen", args=[cycle.pk]),
        session_headers(client, coordinator),
        {"reason": "Bukti indikator 5 keliru."},
    )

    assessment = Assessment.objects.get(cycle=cycle)
    check(
        "assessment_reopen",
        statuses,
        f"reopened_count {assessment.reopened_count}",
        allowed=REDIRECT,
    )
    assert (assessment.status, assessment.reopened_count) == ("draft", 1)
    assert events("assessment.reopened") == 1


def test_update_a_follow_up(live_server, client, answering, coordinator, agency, agency_user):
    cycle, _indicators = answering
    aspect = cycle.framework.nodes.filter(kind="aspect").order_by("position").first()
    recommendation = followup_services.add_finding(
        cycle, by=coordinator, aspect=aspect, kind="rekomendasi", text="Tetapkan Perwa."
    )
    follow_up = followup_services.create_follow_up(
        recommendation,
        by=coordinator,
        agency=agency,
        due_date=timezone.localdate() + datetime.timedelta(days=28),
    )
    data = {"status": "dalam proses", "note": "Draf Perwa disusun."}

    statuses = fire(
        live_server,
        reverse("follow_up_detail", args=[follow_up.pk]),
        session_headers(client, agency_user),
        data,
    )

    rows = FollowUpUpdate.objects.filter(follow_up=follow_up).count()
    check("follow_up_detail (status update)", statuses, f"{rows} update", allowed=REDIRECT_OR_PAGE)
    assert rows == 1
    follow_up.refresh_from_db()
    assert follow_up.status == "dalam proses"


# --- Reports and the Dokumen Evaluasi (steps 7-8) ----------------------------------------


@pytest.fixture
def final_cycle(answering, supervisor, secretariat, evaluator, leader, coordinator):
    """The cycle whose hasil evaluasi mandiri is agreed and final."""
    cycle, _indicators = answering
    decide_all(cycle, evaluator)
    assessment_services.finalize_assessment(Assessment.objects.get(cycle=cycle), by=coordinator)
    return cycle


REPORT_ORDER = ["draft", "numbered", "routed"]


def berita_acara_at(cycle, state, *, coordinator, secretariat):
    report = report_services.prepare_report(
        cycle, by=coordinator, kind=SignedReport.Kind.BERITA_ACARA
    )
    if state in ("numbered", "routed"):
        report = report_services.number_report(report, by=secretariat)
    if state == "routed":
        report = report_services.route_report_for_signature(report, by=secretariat)
    return report


# (url name, the Berita Acara's state before, who, POST data, allowed, audit action)
REPORT_STEPS = [
    ("report_number", "draft", "secretariat", CONFIRMED, REDIRECT, "report.numbered"),
    ("report_route", "numbered", "secretariat", {}, REDIRECT, "report.routed"),
    ("report_approve", "routed", "leader", {"confirm": "on"}, REDIRECT_OR_PAGE, "report.signed"),
]


@pytest.mark.parametrize(
    ("name", "before", "persona", "data", "allowed", "action"),
    REPORT_STEPS,
    ids=[step[0] for step in REPORT_STEPS],
)
def test_report_step(
    request, live_server, client, final_cycle, name, before, persona, data, allowed, action
):
    coordinator, secretariat = (request.getfixturevalue(p) for p in ("coordinator", "secretariat"))
    report = berita_acara_at(final_cycle, before, coordinator=coordinator, secretariat=secretariat)
    last_before = (
        NumberSequence.objects.get(year=timezone.localdate().year).last if before != "draft" else 0
    )

    statuses = fire(
        live_server,
        reverse(name, args=[report.pk]),
        session_headers(client, request.getfixturevalue(persona)),
        data,
    )

    report.refresh_from_db()
    changes = f"{action}×{events(action)}; status {report.status}"
    if name == "report_number":
        last = NumberSequence.objects.get(year=timezone.localdate().year).last
        changes += f"; sequence {last_before}→{last}"
        assert last == last_before + 1  # one number taken
    check(name, statuses, changes, allowed=allowed)
    assert events(action) == 1
    assert (report.status, report.is_routed) == {
        "report_number": ("numbered", False),
        "report_route": ("numbered", True),
        "report_approve": ("signed", True),
    }[name]


def test_prepare_the_berita_acara(live_server, client, final_cycle, coordinator):
    statuses = fire(
        live_server,
        reverse("report_prepare", args=[final_cycle.pk]),
        session_headers(client, coordinator),
        {"kind": SignedReport.Kind.BERITA_ACARA},
    )

    rows = SignedReport.objects.filter(cycle=final_cycle).count()
    check("report_prepare", statuses, f"{rows} report", allowed=REDIRECT)
    assert rows == 1
    assert events("report.prepared") == 1


def test_start_the_dokumen_evaluasi(live_server, client, final_cycle, coordinator):
    statuses = fire(
        live_server,
        reverse("evaluation_generate", args=[final_cycle.pk]),
        session_headers(client, coordinator),
    )

    jobs = list(GenerationJob.objects.filter(cycle=final_cycle).order_by("queued_at"))
    check("evaluation_generate", statuses, f"{len(jobs)} job(s)", allowed=REDIRECT)
    # One build: the later requests find it queued or running (it runs, with the immediate
    # backend, in the request that started it, for longer than the requests take to arrive).
    assert len(jobs) == 1
    assert events("document.job_started") == len(jobs)


# --- Users -------------------------------------------------------------------------------


def test_create_a_user(live_server, client, admin_user, agency, mailoutbox):
    data = {
        "username": "opd-baru",
        "full_name": "Operator Baru",
        "email": "operator.baru@pontianak.go.id",
        "roles": ["agency"],
        "agency": agency.pk,
        "invite": "on",
    }

    statuses = fire(
        live_server, reverse("person_create"), session_headers(client, admin_user), data
    )

    rows = User.objects.filter(username__iexact="opd-baru").count()
    check(
        "person_create",
        statuses,
        f"{rows} user; {len(mailoutbox)} invitation",
        allowed=REDIRECT_OR_PAGE,
    )
    assert (rows, events("user.created")) == (1, 1)
    assert len(mailoutbox) == 1  # only the request that created the account invites


def test_deactivate_a_user(live_server, client, admin_user, evaluator):
    statuses = fire(
        live_server,
        reverse("person_deactivate", args=[evaluator.pk]),
        session_headers(client, admin_user),
    )

    evaluator.refresh_from_db()
    deactivated = events("user.deactivated")
    check("person_deactivate", statuses, f"deactivated×{deactivated}", allowed=REDIRECT)
    assert (evaluator.is_active, deactivated) == (False, 1)


def test_send_an_invitation(live_server, client, admin_user, evaluator, mailoutbox):
    evaluator.email = "eko@pontianak.go.id"
    evaluator.save()

    statuses = fire(
        live_server,
        reverse("person_invite", args=[evaluator.pk]),
        session_headers(client, admin_user),
    )

    invited = events("user.invited")
    check(
        "person_invite", statuses, f"invited×{invited}; {len(mailoutbox)} e-mail", allowed=REDIRECT
    )
    assert (invited, len(mailoutbox)) == (1, 1)  # one e-mail for a double click


def test_attach_evidence_to_another_answer(live_server, client, answering, agency_user):
    cycle, (first, second, _third) = answering
    link = evidence_services.add_link_evidence(
        cycle,
        agency_user.memberships.get().agency,
        by=agency_user,
        url="https://jdih.pontianak.go.id/perwa-12-2024",
        title="Perwa 12/2024",
        submission=draft(cycle, first, agency_user),
    )
    submission = draft(cycle, second, agency_user)

    statuses = fire(
        live_server,
        reverse("evidence_attach", args=[submission.pk]),
        session_headers(client, agency_user),
        {"evidence": link.pk},
    )

    attached = events("evidence.attached")
    check("evidence_attach", statuses, f"attached×{attached}", allowed=REDIRECT_OR_PAGE)
    assert (list(submission.evidence.all()), attached) == ([link], 1)


def test_make_a_new_version_of_the_brief(live_server, client, final_cycle, coordinator):
    statuses = fire(
        live_server,
        reverse("executive_brief_pdf", args=[final_cycle.pk]),
        session_headers(client, coordinator),
    )

    versions = sorted(
        Document.objects.filter(source=report_services.brief_source(final_cycle)).values_list(
            "version", flat=True
        )
    )
    check("executive_brief_pdf (new version)", statuses, f"versions {versions}", allowed={200})
    # N "Buat versi baru" at once are one click repeated: one new version, served to all.
    assert versions == [1]
