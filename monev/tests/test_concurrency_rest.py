"""The same request N times at the same instant at the write endpoints the other two
concurrency modules leave out (a data dukung's new revision, detaching and reusing data
dukung, the evidence package, editing a finding, reactivating an account, the inbox, the
notulen without JavaScript): real threads, real HTTP to the live server (monev.tests.firing).

Every request is answered without a 5xx and the write happens once; where the service
records a repeat with the same values anyway, the test says how many events it expects.
With -s it prints the table of what it saw.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from documents.models import GenerationJob
from evidence import services as evidence_services
from evidence.models import Evidence
from evidence.tests import test_services as evidence_tests
from evidence.tests.helpers import pdf_bytes, upload
from followups import services as followup_services
from institutions import services as institution_services
from institutions.models import User
from letters.forms import LetterForm
from monev.tests import firing
from monev.tests import test_concurrency_more as more
from monev.tests.firing import draft, fire, session_headers
from monev.tests.test_concurrency_more import REDIRECT, REDIRECT_OR_PAGE, events
from notifications.models import Notification
from notifications.services import notify
from submissions import services as submission_services

RESULTS = firing.Results("rows / changes")

# The fixtures this module builds on, taken from the modules that define them.
answering, meeting_cycle, meeting = more.answering, more.meeting_cycle, more.meeting
final_cycle = more.final_cycle
last_year, last_year_evidence = evidence_tests.last_year, evidence_tests.last_year_evidence


_print_table = RESULTS.printer()
_media = firing.tmp_media


check = RESULTS.check


# --- Data dukung (step 4) ----------------------------------------------------------------


@pytest.fixture
def file_evidence(answering, agency, agency_user):
    """An answer of BKPSDM to indicator 1 with a PDF (revision 1) attached."""
    cycle, (first, *_rest) = answering
    submission = draft(cycle, first, agency_user)
    evidence = evidence_services.add_file_evidence(
        cycle,
        agency,
        by=agency_user,
        uploaded_file=upload("sk.pdf", pdf_bytes(1)),
        title="SK Tim SPBE",
        submission=submission,
    )
    return submission, evidence


def test_upload_a_new_revision(live_server, client, file_evidence, agency_user):
    submission, evidence = file_evidence

    statuses = fire(
        live_server,
        reverse("evidence_revision", args=[submission.pk, evidence.pk]),
        session_headers(client, agency_user),
        files={"file": ("sk-2.pdf", pdf_bytes(2))},
    )

    numbers = list(evidence.revisions.order_by("number").values_list("number", flat=True))
    revised = events("evidence.revised")
    check(
        "evidence_revision", statuses, f"revisions {numbers}; revised×{revised}", allowed=REDIRECT
    )
    # The same content again is the revision just made (add_revision): one new revision.
    assert (numbers, revised) == ([1, 2], 1)


def test_detach_evidence(live_server, client, file_evidence, agency_user):
    submission, evidence = file_evidence

    statuses = fire(
        live_server,
        reverse("evidence_detach", args=[submission.pk, evidence.pk]),
        session_headers(client, agency_user),
    )

    detached = events("evidence.detached")
    check("evidence_detach", statuses, f"detached×{detached}", allowed=REDIRECT)
    assert (submission.evidence.count(), detached) == (0, 1)
    assert Evidence.objects.filter(pk=evidence.pk).exists()  # the evidence itself stays


def test_reuse_last_years_evidence(
    live_server,
    client,
    answering,
    agency,
    agency_user,
    last_year_evidence,
):
    cycle, _indicators = answering
    sk, link, _foreign = last_year_evidence

    statuses = fire(
        live_server,
        reverse("evidence_reuse", args=[cycle.pk, agency.pk]),
        session_headers(client, agency_user),
        {"evidence": [sk.pk, link.pk]},
    )

    rows = Evidence.objects.filter(cycle=cycle).count()
    reused = events("evidence.reused")
    check("evidence_reuse", statuses, f"{rows} evidence; reused×{reused}", allowed=REDIRECT_OR_PAGE)
    # The repeats find both already reused: the form refuses them (the page, 200).
    assert (rows, reused) == (2, 1)
    assert set(Evidence.objects.filter(cycle=cycle).values_list("reused_from", flat=True)) == {
        sk.pk,
        link.pk,
    }


# --- The evidence package (step 8) -------------------------------------------------------


@pytest.fixture
def handed_in(file_evidence, agency_user):
    submission, _evidence = file_evidence
    return submission_services.submit_submission(submission, by=agency_user)


@pytest.fixture
def package_cycle(handed_in, final_cycle):
    """The final cycle, whose handed-in answer to indicator 1 carries a file."""
    return final_cycle


def test_start_the_evidence_package(live_server, client, package_cycle, coordinator):
    statuses = fire(
        live_server,
        reverse("evaluation_package", args=[package_cycle.pk]),
        session_headers(client, coordinator),
    )

    jobs = GenerationJob.objects.filter(cycle=package_cycle).count()
    check("evaluation_package", statuses, f"{jobs} job(s)", allowed=REDIRECT)
    # One build, as evaluation_generate: the cycle's row is locked from the check to the job.
    assert jobs == 1
    assert events("document.job_started") == 1


# --- Findings (step 7) -------------------------------------------------------------------


@pytest.fixture
def finding(answering, coordinator):
    cycle, _indicators = answering
    aspect = cycle.framework.nodes.filter(kind="aspect").order_by("position").first()
    return followup_services.add_finding(
        cycle, by=coordinator, aspect=aspect, kind="kelemahan", text="Arsitektur SPBE belum ada."
    )


def test_edit_a_finding(live_server, client, finding, coordinator):
    text = "Arsitektur SPBE belum ditetapkan dengan Perwa."

    statuses = fire(
        live_server,
        reverse("finding_edit", args=[finding.pk]),
        session_headers(client, coordinator),
        {"text": text},
    )

    finding.refresh_from_db()
    updated = AuditEvent.objects.filter(action="finding.updated")
    check("finding_edit", statuses, f"updated×{updated.count()}", allowed=REDIRECT)
    assert finding.text == text
    # The first save changes the text; the repeats find it unchanged and record nothing.
    assert [(event.before["text"], event.after["text"]) for event in updated] == [
        ("Arsitektur SPBE belum ada.", text)
    ]


def test_delete_a_finding(live_server, client, finding, coordinator):
    statuses = fire(
        live_server,
        reverse("finding_delete", args=[finding.pk]),
        session_headers(client, coordinator),
    )

    deleted = events("finding.deleted")
    gone = not type(finding).objects.filter(pk=finding.pk).exists()
    check("finding_delete", statuses, f"deleted×{deleted}", allowed={302, 404})
    # Those that find it already gone answer 404 (it is not there any more) or return.
    assert (gone, deleted) == (True, 1)


# --- Letters -----------------------------------------------------------------------------

letter_cycle = more.letter_cycle


def test_edit_a_letter(live_server, client, letter_cycle, coordinator, supervisor, secretariat):
    letter = more.letter_at(
        letter_cycle,
        "draft",
        coordinator=coordinator,
        supervisor=supervisor,
        secretariat=secretariat,
    )
    data = {name: getattr(letter, name) for name in LetterForm.base_fields}
    data["subject"] = "Permohonan data dukung Evaluasi SPBE 2026 (perbaikan)"

    statuses = fire(
        live_server,
        reverse("letter_edit", args=[letter.pk]),
        session_headers(client, coordinator),
        data,
    )

    letter.refresh_from_db()
    updated = AuditEvent.objects.filter(action="letter.updated")
    check("letter_edit", statuses, f"updated×{updated.count()}", allowed=REDIRECT)
    # apply_changes compares with the locked row as it is now: the repeats change nothing.
    assert (letter.subject, [event.after for event in updated]) == (
        data["subject"],
        [{"subject": data["subject"]}],
    )


# --- Accounts ----------------------------------------------------------------------------


def test_edit_a_user(live_server, client, admin_user, evaluator):
    data = {
        "full_name": "Eko Prasetyo",
        "email": "eko@pontianak.go.id",
        "nip": "",
        "position": "",
        "roles": ["evaluator"],
        "agency": "",
    }

    statuses = fire(
        live_server,
        reverse("person_edit", args=[evaluator.pk]),
        session_headers(client, admin_user),
        data,
    )

    evaluator.refresh_from_db()
    updated = AuditEvent.objects.filter(action="user.updated")
    check("person_edit", statuses, f"updated×{updated.count()}", allowed=REDIRECT)
    # Compared with the locked row as it is now: the repeats change nothing.
    assert (evaluator.full_name, [event.after for event in updated]) == (
        "Eko Prasetyo",
        [{"full_name": "Eko Prasetyo", "email": "eko@pontianak.go.id"}],
    )


def test_reactivate_a_user(live_server, client, admin_user, evaluator):
    institution_services.deactivate_user(evaluator, by=admin_user)

    statuses = fire(
        live_server,
        reverse("person_reactivate", args=[evaluator.pk]),
        session_headers(client, admin_user),
    )

    evaluator.refresh_from_db()
    reactivated = events("user.reactivated")
    check("person_reactivate", statuses, f"reactivated×{reactivated}", allowed=REDIRECT)
    assert (evaluator.is_active, reactivated) == (True, 1)


def test_confirm_an_import(live_server, client, admin_user, agency):
    headers = session_headers(client, admin_user)  # the preview waits in this session
    content = b"username,nama,peran\nbudi,Budi Santoso,kabid\n"
    preview = client.post(
        reverse("import_rows", args=["pengguna"]),
        {"file": SimpleUploadedFile("pengguna.csv", content, content_type="text/csv")},
    )

    statuses = fire(
        live_server,
        reverse("import_confirm", args=["pengguna"]),
        headers,
        {"token": preview.context["token"]},
    )

    users = User.objects.filter(username="budi").count()
    imported = events("users.imported")
    check("import_confirm", statuses, f"{users} user; imported×{imported}", allowed=REDIRECT)
    # Every request read the waiting import before any removed it from the session: the
    # one-time token, recorded with the import, makes the repeats no-ops.
    assert (users, imported) == (1, 1)


# --- The inbox and the notulen -----------------------------------------------------------


def test_mark_the_notifications_read(live_server, client, agency_user):
    for number in (1, 2, 3):
        notify(
            [agency_user],
            key=f"test-{number}",
            template="Pemberitahuan %(n)s.",
            params={"n": number},
        )

    statuses = fire(
        live_server, reverse("notifications_read"), session_headers(client, agency_user)
    )

    unread = Notification.objects.filter(user=agency_user, read_at=None).count()
    check("notifications_read", statuses, f"{unread} unread of 3", allowed=REDIRECT)
    assert unread == 0


def test_minutes_without_javascript(live_server, client, meeting, coordinator):
    data = {"minutes": "Rapat dibuka pukul 09.00 oleh Sekretaris Daerah.", "version": 0}

    statuses = fire(
        live_server,
        reverse("meeting_minutes", args=[meeting.cycle_id]),
        session_headers(client, coordinator),
        data,
    )

    meeting.refresh_from_db()
    saved = events("meeting.minutes_saved")
    check(
        "meeting_minutes", statuses, f"version {meeting.minutes_version}", allowed=REDIRECT_OR_PAGE
    )
    # As the autosave: the first saves; the repeats are shown the conflict (200) or find
    # the same text.
    assert (meeting.minutes_version, saved) == (1, 1)
