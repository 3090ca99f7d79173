"""Closed means closed (issue 11): the demo's finished cycle (last year's, all 8 SOP steps
done) refuses every write to its meeting, answers, data dukung, agreed levels, findings and
statements, and its documents download as stored, byte for byte."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Decision
from cycles.permissions import FrozenError
from documents.models import Document
from evidence.models import Evidence, EvidenceRevision
from followups.models import Finding, FollowUp
from institutions.models import User
from meetings import services as meeting_services
from meetings.models import Meeting
from reports.models import SignedReport
from submissions.models import Reopening, Review, Submission


def user(username):
    return User.objects.get(username=username)


def file_hash(document):
    with document.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def snapshot(cycle):
    """Everything the closed cycle records, with the stored documents' bytes."""
    meeting = Meeting.objects.get(cycle=cycle)
    return {
        "meeting": list(Meeting.objects.filter(pk=meeting.pk).values()),
        "attendees": list(meeting.attendees.order_by("pk").values()),
        "equipment": list(meeting.equipment.order_by("pk").values()),
        "submissions": list(Submission.objects.filter(cycle=cycle).order_by("pk").values()),
        "reviews": Review.objects.filter(submission__cycle=cycle).count(),
        "reopenings": Reopening.objects.filter(cycle=cycle).count(),
        "evidence": list(Evidence.objects.filter(cycle=cycle).order_by("pk").values()),
        "revisions": EvidenceRevision.objects.filter(evidence__cycle=cycle).count(),
        "assessment": list(Assessment.objects.filter(cycle=cycle).values()),
        "decisions": list(Decision.objects.filter(assessment__cycle=cycle).order_by("pk").values()),
        "findings": list(Finding.objects.filter(cycle=cycle).order_by("pk").values()),
        "follow_ups": FollowUp.objects.filter(cycle=cycle).count(),
        "reports": list(SignedReport.objects.filter(cycle=cycle).order_by("pk").values()),
        "documents": [
            (document.pk, document.version, document.sha256, file_hash(document))
            for document in Document.objects.filter(cycle=cycle).order_by("pk")
        ],
    }


# Past the confirmation page of the irreversible steps, as its button posts.
CONFIRMED = {"confirmed": "yes"}


def write_requests(cycle):
    """(username, url, data) of every write endpoint on the closed cycle's records."""
    meeting = Meeting.objects.get(cycle=cycle)
    attendee = meeting.attendees.exclude(user=None).first()
    operator = user("opd-bkpsdm")
    agency = operator.memberships.get(role="agency").agency
    answer = Submission.objects.filter(cycle=cycle, agency=agency).first()
    indicator = answer.indicator
    finding = Finding.objects.filter(cycle=cycle, kind=Finding.Kind.RECOMMENDATION).first()
    evidence = Evidence.objects.filter(submissions=answer).first()
    ba = SignedReport.objects.get(cycle=cycle, kind=SignedReport.Kind.BERITA_ACARA)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    line = meeting.equipment.first()
    answer_args = [cycle.pk, agency.pk, indicator.pk]
    text = {"fakta": "Baru.", "analisis": "Baru.", "level": "5"}
    return [
        # The meeting (SOP step 6).
        (
            "koordinator",
            reverse("meeting_schedule", args=[cycle.pk]),
            {"date": tomorrow, "time": "09:00", "duration_minutes": 180, "place": "Aula"},
        ),
        (
            "koordinator",
            reverse("meeting_equipment", args=[cycle.pk]),
            {f"ready-{line.pk}": "", f"note-{line.pk}": "Rusak.", "new_name": "Kamera"},
        ),
        ("koordinator", reverse("meeting_invitation", args=[cycle.pk]), {}),
        (
            "sekretariat",
            reverse("meeting_attendee_add", args=[cycle.pk]),
            {"name": "Tamu Baru", "position": "Staf", "unit": "Tamu", "present": "on"},
        ),
        ("sekretariat", reverse("meeting_check_in", args=[cycle.pk, attendee.pk]), {}),
        (attendee.user.username, reverse("meeting_check_in_self", args=[cycle.pk]), {}),
        ("koordinator", reverse("meeting_start", args=[cycle.pk]), {}),
        (
            "sekretariat",
            reverse("meeting_minutes", args=[cycle.pk]),
            {"minutes": meeting.minutes + "\n4. Baris baru.", "version": meeting.minutes_version},
        ),
        (
            "sekretariat",
            reverse("meeting_minutes_autosave", args=[cycle.pk]),
            {"minutes": meeting.minutes + "\n4. Baris baru.", "version": meeting.minutes_version},
        ),
        # The OPD's answers and data dukung (step 4), the review and reopening (step 5).
        (
            "opd-bkpsdm",
            reverse("submission_edit", args=answer_args),
            {**text, "version": answer.version},
        ),
        (
            "opd-bkpsdm",
            reverse("submission_autosave", args=answer_args),
            {**text, "version": answer.version},
        ),
        ("opd-bkpsdm", reverse("submission_submit", args=answer_args), {}),
        ("opd-bkpsdm", reverse("portal_submit_all", args=[cycle.pk, agency.pk]), {}),
        (
            "opd-bkpsdm",
            reverse("evidence_link", args=[answer.pk]),
            {"url": "https://contoh.go.id/bukti", "title": "Bukti baru"},
        ),
        ("opd-bkpsdm", reverse("evidence_detach", args=[answer.pk, evidence.pk]), {}),
        ("koordinator", reverse("submission_return", args=[answer.pk]), {"note": "Perbaiki."}),
        ("koordinator", reverse("submission_accept", args=[answer.pk]), {"note": ""}),
        (
            "koordinator",
            reverse("agency_reopen", args=[cycle.pk, agency.pk]),
            {"until": tomorrow, "reason": "Ada yang terlewat."},
        ),
        # The agreed levels (steps 6-7).
        ("evaluator", reverse("decision_edit", args=[cycle.pk, indicator.pk]), text),
        ("evaluator", reverse("meeting_decision", args=[cycle.pk, indicator.pk]), text),
        ("koordinator", reverse("assessment_reopen", args=[cycle.pk]), {"reason": "Ubah."}),
        ("koordinator", reverse("assessment_finalize", args=[cycle.pk]), CONFIRMED),
        # Findings and follow-ups.
        (
            "koordinator",
            reverse("finding_add", args=[cycle.pk]),
            {"aspect": finding.aspect_id, "kind": "kekuatan", "text": "Temuan baru."},
        ),
        ("koordinator", reverse("finding_edit", args=[finding.pk]), {"text": "Diubah."}),
        ("koordinator", reverse("finding_delete", args=[finding.pk]), {}),
        (
            "koordinator",
            reverse("follow_up_create", args=[finding.pk]),
            {"agency": agency.pk, "due_date": tomorrow, "description": "Baru."},
        ),
        # The statements (step 7) and the documents made on purpose.
        ("koordinator", reverse("report_prepare", args=[cycle.pk]), {"kind": "berita_acara"}),
        ("koordinator", reverse("report_edit", args=[ba.pk]), {"place": "Aula"}),
        ("sekretariat", reverse("report_number", args=[ba.pk]), CONFIRMED),
        ("sekretariat", reverse("report_route", args=[ba.pk]), {}),
        ("sekda", reverse("report_approve", args=[ba.pk]), {"confirm": "on"}),
        ("koordinator", reverse("executive_brief_pdf", args=[cycle.pk]), {}),
        ("koordinator", reverse("official_form_download", args=[cycle.pk, "pdf"]), {}),
        ("koordinator", reverse("official_form_download", args=[cycle.pk, "xlsx"]), {}),
    ]


def test_every_write_endpoint_of_the_finished_cycle_is_refused_and_nothing_changes(
    finished, client
):
    assert finished.step_runs.get(number=8).status == "done"
    before = snapshot(finished)
    statuses = {}
    for username, url, data in write_requests(finished):
        client.force_login(user(username))
        response = client.post(url, data, follow=True)
        statuses[url] = response.status_code
    assert {url: code for url, code in statuses.items() if code >= 500} == {}
    assert snapshot(finished) == before


def test_closed_meeting_page_reads_as_finished_without_forms(finished, client):
    client.force_login(user("sekretariat"))
    html = client.get(reverse("meeting_detail", args=[finished.pk])).content.decode()
    assert "Rapat selesai pukul 11.50 WIB" in html
    assert "rapat berjalan sejak" not in html
    assert f"Periode {finished.name} sudah selesai" in html
    for form in ("meeting_minutes", "meeting_attendee_add", "meeting_equipment"):
        assert f'action="{reverse(form, args=[finished.pk])}"' not in html
    assert 'name="minutes"' not in html
    assert "/hadir/" not in html


def test_minutes_of_a_closed_meeting_are_refused_by_the_service(finished):
    meeting = Meeting.objects.get(cycle=finished)
    with pytest.raises(FrozenError) as error:
        meeting_services.save_minutes(
            meeting,
            by=user("sekretariat"),
            text=meeting.minutes + "\n4. Baris baru.",
            version=meeting.minutes_version,
        )
    assert error.value.code == "frozen"
    assert error.value.messages == [
        f"Periode {finished.name} sudah selesai: Dokumen Evaluasi SPBE dibuat 27 Juni "
        f"{finished.year}. Periode yang sudah selesai tidak dapat dibuka kembali oleh siapa pun."
    ]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("meeting_minutes_pdf", "cycle"),
        ("meeting_attendance_pdf", "cycle"),
        ("executive_brief_pdf", "cycle"),
        ("official_form_download", "form"),
        ("report_pdf", "berita_acara"),
        ("report_docx", "berita_acara"),
        ("letter_pdf", "letter"),
    ],
)
def test_finished_documents_download_byte_identical(finished, client, name, args):
    if args == "cycle":
        url = reverse(name, args=[finished.pk])
    elif args == "form":
        url = reverse(name, args=[finished.pk, "pdf"])
    elif args == "letter":
        url = reverse(name, args=[finished.letters.order_by("pk").first().pk])
    else:
        report = finished.signed_reports.get(kind=SignedReport.Kind.BERITA_ACARA)
        url = reverse(name, args=[report.pk])
    client.force_login(user("koordinator"))
    first = b"".join(client.get(url).streaming_content)
    count = Document.objects.filter(cycle=finished).count()
    second = b"".join(client.get(url).streaming_content)
    third = b"".join(client.get(url).streaming_content)
    assert first == second == third
    assert Document.objects.filter(cycle=finished).count() == count
