"""The same request N times at the same instant (a double click, a retry, two people) at
every write endpoint a person may repeat by accident: real threads sending real HTTP
requests to the live server, each with the logged-in session and a CSRF token.

Each endpoint must answer every request without a 5xx and write exactly once. Runs on
SQLite (a test database file, see django_db_modify_db_settings in conftest.py) and on
PostgreSQL (DATABASE_URL). With -s it prints the table of what it saw.
"""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from evidence.models import Evidence, EvidenceRevision
from followups import services as followup_services
from followups.models import Finding, FollowUp
from monev.tests import firing
from monev.tests.firing import (
    ANALISIS,
    FAKTA,
    answering_cycle,
    draft,
    fire,
    session_headers,
)
from submissions import services as submission_services
from submissions.models import Reopening, Review, Submission

RESULTS = firing.Results("rows created")


_print_table = RESULTS.printer()
_media = firing.tmp_media


@pytest.fixture
def world(framework, sop, coordinator, agency, agency_user):
    """A cycle in step 4 (deadline in two weeks) where BKPSDM answers indicators 1 to 3."""
    return answering_cycle(framework, coordinator, [agency])


def check(endpoint, statuses, rows, *, expected_status):
    RESULTS.check(endpoint, statuses, rows, allowed={expected_status})


def answer_path(name, cycle, agency, indicator):
    return reverse(name, args=[cycle.pk, agency.pk, indicator.pk])


def answer_data(version):
    return {"level": 3, "fakta": FAKTA, "analisis": ANALISIS, "version": version}


def test_autosave_of_a_new_answer(live_server, client, world, agency, agency_user):
    cycle, (first, *_rest) = world
    path = answer_path("submission_autosave", cycle, agency, first)

    statuses = fire(live_server, path, session_headers(client, agency_user), answer_data(0))

    rows = Submission.objects.filter(cycle=cycle, indicator=first).count()
    check("autosave a new answer", statuses, rows, expected_status=200)
    assert rows == 1
    assert Submission.objects.get(cycle=cycle, indicator=first).version == 1


def test_save_and_submit_an_answer(live_server, client, world, agency, agency_user):
    cycle, (_first, _second, third) = world
    submission = draft(cycle, third, agency_user)
    path = answer_path("submission_submit", cycle, agency, third)

    statuses = fire(
        live_server, path, session_headers(client, agency_user), answer_data(submission.version)
    )

    rows = Review.objects.filter(submission=submission, kind=Review.Kind.SUBMITTED).count()
    check("save and submit an answer", statuses, rows, expected_status=302)
    assert rows == 1
    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("submitted", 2)


def test_return_an_answer(live_server, client, world, agency_user, coordinator):
    cycle, (_first, second, _third) = world
    submission = draft(cycle, second, agency_user)
    submission_services.submit_submission(submission, by=agency_user)
    path = reverse("submission_return", args=[submission.pk])

    statuses = fire(
        live_server, path, session_headers(client, coordinator), {"note": "Lampirkan Perwa."}
    )

    rows = Review.objects.filter(submission=submission, kind=Review.Kind.RETURNED).count()
    check("return an answer", statuses, rows, expected_status=302)
    assert rows == 1


def test_add_a_finding(live_server, client, world, coordinator):
    cycle, _indicators = world
    aspect = cycle.framework.nodes.filter(kind="aspect").order_by("position").first()
    data = {"aspect": aspect.pk, "kind": "kelemahan", "text": "Arsitektur SPBE belum ada."}

    statuses = fire(
        live_server,
        reverse("finding_add", args=[cycle.pk]),
        session_headers(client, coordinator),
        data,
    )

    rows = Finding.objects.filter(cycle=cycle).count()
    check("add a finding", statuses, rows, expected_status=302)
    assert rows == 1


def test_add_a_follow_up(live_server, client, world, coordinator, agency):
    cycle, _indicators = world
    aspect = cycle.framework.nodes.filter(kind="aspect").order_by("position").first()
    recommendation = followup_services.add_finding(
        cycle, by=coordinator, aspect=aspect, kind="rekomendasi", text="Tetapkan Perwa."
    )
    due = timezone.localdate() + datetime.timedelta(days=28)
    data = {"agency": agency.pk, "due_date": due.isoformat(), "description": "Susun draf."}

    statuses = fire(
        live_server,
        reverse("follow_up_create", args=[recommendation.pk]),
        session_headers(client, coordinator),
        data,
    )

    rows = FollowUp.objects.filter(recommendation=recommendation).count()
    check("add a follow-up", statuses, rows, expected_status=302)
    assert rows == 1


def test_upload_evidence(live_server, client, world, agency_user, settings):
    cycle, (first, *_rest) = world
    submission = draft(cycle, first, agency_user)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    content = io.BytesIO()
    writer.write(content)

    statuses = fire(
        live_server,
        reverse("evidence_upload", args=[submission.pk]),
        session_headers(client, agency_user),
        {"title": "SK Tim SPBE"},
        files={"file": ("sk.pdf", content.getvalue())},
    )

    rows = Evidence.objects.filter(cycle=cycle).count()
    check("upload evidence", statuses, rows, expected_status=302)
    assert rows == 1
    assert EvidenceRevision.objects.count() == 1
    stored = [path for path in (settings.MEDIA_ROOT / "evidence").rglob("*") if path.is_file()]
    assert len(stored) == 1  # the copies of the later requests deleted


def test_reopen_an_agency(live_server, client, world, agency, coordinator):
    cycle, _indicators = world
    until = timezone.localdate() + datetime.timedelta(days=3)
    data = {"until": until.isoformat(), "reason": "Surat permohonan terlambat diterima."}

    statuses = fire(
        live_server,
        reverse("agency_reopen", args=[cycle.pk, agency.pk]),
        session_headers(client, coordinator),
        data,
    )

    rows = Reopening.objects.filter(cycle=cycle, agency=agency).count()
    check("reopen an OPD's answers", statuses, rows, expected_status=302)
    assert rows == 1
