"""The operator's hot pages (the home, the portal, the indicator page, autosave, the data
dukung upload, a page outside the OPD's work) and the review list read a fixed number of
queries: the same with 2 OPDs and 3 indicators as with 10 OPDs and 15 indicators, each with
answers, threads and data dukung, and with another institution's cycle full of data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cycles import services as cycle_services
from frameworks.queries import get_indicator_or_404
from institutions.models import Agency, Role
from letters.models import Letter, Receipt
from monev.testing import chain_lock_queries, make_user
from sops.services import SHIPPED_SOPS, load_sop_file
from submissions.models import Submission
from submissions.tests.conftest import pdf_upload, start_collection
from submissions.tests.test_views import fill

SMALL = {"opds": 2, "indicators": 3, "elsewhere": False}
LARGE = {"opds": 10, "indicators": 15, "elsewhere": True}


def request_data(cycle, agencies, by):
    """The cycle's data request, dispatched to `agencies` (rows: the letter flow is tested
    in letters)."""
    letter = Letter.objects.create(
        cycle=cycle,
        kind=Letter.Kind.DATA_REQUEST,
        status=Letter.Status.DISPATCHED,
        subject="Permohonan data",
        body="Mohon data.",
        signer_name="Sekda",
        signer_title="Sekretaris Daerah",
        dispatched_at=timezone.now(),
        created_by=by,
    )
    Receipt.objects.bulk_create(
        Receipt(letter=letter, agency=agency, delivered_at=timezone.now()) for agency in agencies
    )


def answered_cycle(institution, framework, coordinator, agencies, count, by):
    """A cycle in step 4 whose `count` first indicators are assigned to every OPD, each
    answered (the first OPD's first answer a draft, the others submitted), with a thread
    and a file each, and the data request dispatched."""
    nodes = list(framework.nodes.filter(children__isnull=True).order_by("position")[:count])
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=agencies,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments=dict.fromkeys(nodes, agencies),
    )
    start_collection(cycle, coordinator)
    request_data(cycle, agencies, coordinator)
    fill(cycle, [(node, agency) for node in nodes for agency in agencies], by)
    Submission.objects.filter(cycle=cycle, indicator=nodes[0], agency=agencies[0]).update(
        status="draft"
    )
    return cycle, nodes


@pytest.fixture
def world(request, institution, other_institution, framework, sop, coordinator, agency):
    """(cycle, the operator's OPD, its indicators) at the size the test is parametrized with
    (SMALL or LARGE)."""
    size = request.param
    others = Agency.objects.bulk_create(
        Agency(institution=institution, name=f"Dinas Nomor {n:02}", short_name=f"D{n:02}")
        for n in range(size["opds"] - 1)
    )
    cycle, nodes = answered_cycle(
        institution, framework, coordinator, [agency, *others], size["indicators"], coordinator
    )
    if size["elsewhere"]:
        load_sop_file(SHIPPED_SOPS["pontianak"], institution=other_institution)
        foreign_coordinator = make_user(other_institution, "pkp-koordinator", Role.COORDINATOR)
        foreign = Agency.objects.bulk_create(
            Agency(institution=other_institution, name=f"Dinas Lain {n:02}", short_name=f"L{n:02}")
            for n in range(10)
        )
        answered_cycle(
            other_institution, framework, foreign_coordinator, foreign, 15, foreign_coordinator
        )
    # The framework tree is kept per process (frameworks.trees): read it as a worker has.
    get_indicator_or_404(framework, nodes[0].pk)
    return cycle, agency, nodes


def queries_of(client, method, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 302), response.status_code

    return len(captured)


BOTH = pytest.mark.parametrize("world", [SMALL, LARGE], indirect=True, ids=["small", "large"])


@BOTH
def test_the_operators_home(client, world, agency_user):
    client.force_login(agency_user)
    # Session, user, roles with their OPD; the open cycles' data requests (receipts with
    # letter and cycle with its institution and framework, assignments); the OPD's work
    # (answers, return notes, assignments, finished steps, days off); the open follow-ups
    # (of the waiting list and the OPD's list: one statement, no more without any).
    assert queries_of(client, "get", reverse("home")) == 11


@BOTH
def test_the_portal(client, world, agency_user):
    cycle, agency, _nodes = world
    client.force_login(agency_user)
    # Session, user, roles, the cycle (the OPD is the operator's own, from the roles); the
    # OPD's work (answers, return notes, assignments, finished steps, days off); the menu
    # badge (answers to work on, follow-ups, which serve the OPD's follow-ups too); SOP
    # step 4's needs (the steps; its answers are the OPD's work's).
    assert queries_of(client, "get", reverse("portal", args=[cycle.pk, agency.pk])) == 12


@BOTH
def test_the_indicator_page(client, world, agency_user):
    cycle, agency, nodes = world
    client.force_login(agency_user)
    url = reverse("submission_edit", args=[cycle.pk, agency.pk, nodes[0].pk])
    # Session, user, roles, the cycle; the OPD's assignments with this indicator's answer
    # (one statement), the finished steps; the thread; last year's answer (one query with
    # its cycle); the data dukung (the answer's attachments, the evidence, revisions); the
    # menu badge (answers to work on, follow-ups). The framework's texts: none (kept).
    assert queries_of(client, "get", url) == 13


@BOTH
def test_autosave(client, world, agency_user):
    cycle, agency, nodes = world
    client.force_login(agency_user)
    url = reverse("submission_autosave", args=[cycle.pk, agency.pk, nodes[0].pk])
    stored = Submission.objects.get(cycle=cycle, agency=agency, indicator=nodes[0])
    data = {"level": "3", "fakta": "F baru", "analisis": "A", "version": stored.version}
    # Session, user, roles, the cycle; the save: the row (locked where the database can)
    # with whether it is assigned, the finished steps, the write, the audit chain's head and
    # its event (+ the chain's lock on PostgreSQL), in a transaction (a savepoint in a test).
    count = queries_of(client, "post", url, data=data, HTTP_HX_REQUEST="true")
    assert count == 11 + chain_lock_queries()
    assert Submission.objects.get(pk=stored.pk).fakta == "F baru"


@BOTH
def test_submit(client, world, agency_user):
    cycle, agency, nodes = world
    client.force_login(agency_user)
    url = reverse("submission_submit", args=[cycle.pk, agency.pk, nodes[0].pk])
    stored = Submission.objects.get(cycle=cycle, agency=agency, indicator=nodes[0])  # a draft
    data = {
        "level": stored.level,
        "fakta": stored.fakta,
        "analisis": stored.analisis,
        "version": stored.version,
    }
    count = queries_of(client, "post", url, data=data)
    assert Submission.objects.get(pk=stored.pk).status == Submission.Status.SUBMITTED
    # Session, user, roles, the cycle; the save (nothing changed): the row (locked where the
    # database can) with whether it is assigned, in a transaction; the submission in another:
    # the row locked again, the finished steps, the write, its review, the audit chain's head and
    # its event (+ the chain's lock on PostgreSQL), the coordinators and their notification
    # (in a savepoint); the transactions are savepoints in a test. The answer's cycle, OPD
    # and indicator are the request's, not read again.
    assert count == 19 + chain_lock_queries()


@BOTH
def test_the_upload(client, world, agency_user):
    cycle, agency, nodes = world
    client.force_login(agency_user)
    submission = Submission.objects.get(cycle=cycle, agency=agency, indicator=nodes[0])
    url = reverse("evidence_upload", args=[submission.pk])
    data = {"title": "Perwa 12/2024", "file": pdf_upload()}
    count = queries_of(client, "post", url, data=data, HTTP_HX_REQUEST="true")
    assert submission.evidence.filter(title="Perwa 12/2024").count() == 1
    # Session, user, the answer with its cycle, OPD and indicator, roles; the window (read
    # once for the checks and the refreshed panel); the checks (the OPD takes part); the
    # write in a transaction (the answer locked, the same file, the evidence, its revision,
    # the attachment, the audit chain's head and event); the refreshed panel (the answer's
    # attachments, the evidence, revisions); + the audit chain's lock on PostgreSQL.
    assert count == 18 + chain_lock_queries()


@BOTH
def test_a_page_outside_the_opds_work(client, world, agency_user):
    client.force_login(agency_user)
    # Session, user, the notifications (count, unread), roles, the menu badge in two
    # queries (answers to work on, follow-ups).
    assert queries_of(client, "get", reverse("notification_list")) == 7


@BOTH
def test_the_review_list(client, world, coordinator):
    cycle, _agency, _nodes = world
    client.force_login(coordinator)
    # Session, user, cycle, roles, step 4, the OPDs, answers, assignments; the menu badge
    # (one statement: running steps with their letters and answers waiting for review); SOP
    # step 4's needs and whether its Surat Edaran is dispatched (the cycle's letters).
    assert queries_of(client, "get", reverse("review_list", args=[cycle.pk])) == 11
