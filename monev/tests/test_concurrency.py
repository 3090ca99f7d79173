"""The same request N times at the same instant (a double click, a retry, two people) at
every write endpoint a person may repeat by accident: real threads sending real HTTP
requests to the live server, each with the logged-in session and a CSRF token.

Each endpoint must answer every request without a 5xx and write exactly once. Runs on
SQLite (a test database file, see django_db_modify_db_settings in conftest.py) and on
PostgreSQL (DATABASE_URL). With -s it prints the table of what it saw.
"""

import datetime
import io
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from cycles import services as cycle_services
from evidence.models import Evidence, EvidenceRevision
from followups import services as followup_services
from followups.models import Finding, FollowUp
from submissions import services as submission_services
from submissions.models import Reopening, Review, Submission

N = 6
FAKTA = "Perwa 12/2024 Pasal 3."
ANALISIS = "Kriteria tingkat 3 terpenuhi."
TABLE = []


@pytest.fixture(scope="module", autouse=True)
def _print_table():
    yield
    vendor = connection.vendor
    print(f"\n\nConcurrency on {vendor}: {N} identical requests at once per endpoint")
    print("| endpoint | N simultaneous | statuses seen | rows created |")
    print("|---|---|---|---|")
    for endpoint, statuses, rows in TABLE:
        seen = ", ".join(f"{code}×{statuses.count(code)}" for code in sorted(set(statuses)))
        print(f"| {endpoint} | {N} | {seen} | {rows} |")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(framework, sop, coordinator, agency, agency_user):
    """A cycle in step 4 (deadline in two weeks) where BKPSDM answers indicators 1 to 3."""
    indicators = list(framework.nodes.filter(code__in=["I1", "I2", "I3"]).order_by("position"))
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={indicator: [agency] for indicator in indicators},
    )
    with transaction.atomic():
        for number in (1, 2, 3):
            cycle_services.finish_step(cycle, number, by=coordinator)
        cycle_services.start_step(cycle, 4, by=coordinator)
    return cycle, indicators


def draft(cycle, indicator, agency_user):
    return submission_services.save_draft(
        cycle,
        indicator,
        agency_user.memberships.get().agency,
        by=agency_user,
        level=3,
        fakta=FAKTA,
        analisis=ANALISIS,
        version=0,
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer we count


def session_headers(client, user):
    """A logged-in session cookie and a matching CSRF cookie and header."""
    client.force_login(user)
    token = secrets.token_hex(16)  # 32 characters, as Django's CSRF secret
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    return {"Cookie": cookie, "X-CSRFToken": token}


def multipart(fields, files):
    boundary = secrets.token_hex(12)
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        )
        body.write(f"{value}\r\n".encode())
    for name, (filename, content) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def fire(live_server, path, headers, data=None, files=None):
    """POST the same request N times at the same instant; the status codes, in order."""
    if files:
        body, content_type = multipart(data or {}, files)
    else:
        body = urllib.parse.urlencode(data or {}).encode()
        content_type = "application/x-www-form-urlencoded"
    opener = urllib.request.build_opener(NoRedirect)
    start = threading.Barrier(N)

    def send(_index):
        request = urllib.request.Request(
            live_server.url + path,
            data=body,
            headers={**headers, "Content-Type": content_type},
            method="POST",
        )
        start.wait()
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=N) as pool:
        return list(pool.map(send, range(N)))


def check(endpoint, statuses, rows, *, expected_status):
    TABLE.append((endpoint, statuses, rows))
    assert [code for code in statuses if code >= 500] == []
    assert statuses == [expected_status] * N


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
