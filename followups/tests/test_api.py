"""The follow-ups API: who reads and acts on what is what the pages allow (404 otherwise),
through the same forms and services, with the same messages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from cycles import services as cycle_services
from followups import services
from followups.models import Finding, FollowUp, FollowUpUpdate
from institutions.models import Agency
from monev.testing import api_client, make_user

STAFF = ["coordinator", "supervisor", "secretariat", "evaluator", "leader", "admin_user"]


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def problem_errors(response):
    assert response["Content-Type"] == "application/problem+json"
    return response.json()["errors"]


# --- Reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_staff_list_every_opds_follow_ups(request, persona, follow_up, recommendation, due):
    other = Agency.objects.get(short_name="Dinkes")
    second = services.create_follow_up(
        recommendation, by=follow_up.created_by, agency=other, due_date=due
    )

    response = api_client(request.getfixturevalue(persona)).get("/api/v1/follow-ups/")

    assert response.status_code == 200
    assert ids(response) == [follow_up.pk, second.pk]
    row = response.json()["results"][0]
    assert (row["agency_short_name"], row["status"], row["aspect_code"], row["is_overdue"]) == (
        "BKPSDM",
        "terbuka",
        "A1",
        False,
    )


def test_an_operator_lists_only_their_own_opds(
    follow_up, agency_user, other_agency_user, recommendation, coordinator, other_agency, due
):
    theirs = services.create_follow_up(
        recommendation, by=coordinator, agency=other_agency, due_date=due
    )

    assert ids(api_client(agency_user).get("/api/v1/follow-ups/")) == [follow_up.pk]
    assert ids(api_client(other_agency_user).get("/api/v1/follow-ups/")) == [theirs.pk]


def test_another_institution_lists_none_also_naming_our_cycle(outsider, follow_up, cycle, agency):
    client = api_client(outsider)

    assert ids(client.get("/api/v1/follow-ups/")) == []
    named = client.get(f"/api/v1/follow-ups/?cycle={cycle.pk}&agency={agency.pk}")
    assert (named.status_code, ids(named)) == (200, [])
    assert client.get(f"/api/v1/follow-ups/{follow_up.pk}/").status_code == 404


def test_an_operator_naming_another_opd_gets_no_rows(follow_up, other_agency_user, agency):
    response = api_client(other_agency_user).get(f"/api/v1/follow-ups/?agency={agency.pk}")
    assert (response.status_code, ids(response)) == (200, [])


def test_a_person_without_a_role_lists_none(follow_up, institution):
    nobody = make_user(institution, "tanpa-peran")
    response = api_client(nobody).get("/api/v1/follow-ups/")
    assert (response.status_code, ids(response)) == (200, [])


def test_list_filters_by_cycle_including_carried_agency_and_status(
    follow_up, coordinator, cycle, recommendation, other_agency, due
):
    dinkes = services.create_follow_up(
        recommendation, by=coordinator, agency=other_agency, due_date=due
    )
    services.update_follow_up(dinkes, by=coordinator, status="selesai", note="Sudah.")
    later = cycle_services.copy_cycle(
        cycle, by=coordinator, year=2027, deadline=timezone.localdate() + datetime.timedelta(30)
    )
    client = api_client(coordinator)

    assert ids(client.get(f"/api/v1/follow-ups/?cycle={cycle.pk}")) == [follow_up.pk, dinkes.pk]
    assert ids(client.get(f"/api/v1/follow-ups/?cycle={later.pk}")) == [follow_up.pk]
    assert ids(client.get(f"/api/v1/follow-ups/?agency={other_agency.pk}")) == [dinkes.pk]
    assert ids(client.get("/api/v1/follow-ups/?status=aktif")) == [follow_up.pk]
    assert ids(client.get("/api/v1/follow-ups/?status=selesai")) == [dinkes.pk]
    bad = client.get("/api/v1/follow-ups/?status=hilang")
    assert bad.status_code == 400
    assert problem_errors(bad) == {
        "status": [
            "Nilai tidak dikenal; pilih salah satu: terbuka, dalam proses, selesai, "
            "dibatalkan, aktif."
        ]
    }


def test_detail_with_history_for_staff_and_the_opd_not_another_opd(
    follow_up, agency_user, other_agency_user, supervisor
):
    services.update_follow_up(follow_up, by=agency_user, status="dalam proses", note="Draf.")

    own = api_client(agency_user).get(f"/api/v1/follow-ups/{follow_up.pk}/")
    staff = api_client(supervisor).get(f"/api/v1/follow-ups/{follow_up.pk}/")

    assert own.status_code == 200
    body = own.json()
    assert body["recommendation_text"] == "Tetapkan Peraturan Wali Kota tentang Arsitektur SPBE."
    assert [
        (step["status_before"], step["status_after"], step["note"], step["by_name"])
        for step in body["history"]
    ] == [("terbuka", "dalam proses", "Draf.", "Operator BKPSDM")]
    assert (body["can_update"], body["can_drop"]) == (True, False)
    assert (staff.status_code, staff.json()["can_update"]) == (200, False)
    assert api_client(other_agency_user).get(f"/api/v1/follow-ups/{follow_up.pk}/").status_code == (
        404
    )


def test_findings_of_a_cycle_for_staff_only(
    recommendation, follow_up, cycle, evaluator, agency_user
):
    response = api_client(evaluator).get(f"/api/v1/cycles/{cycle.pk}/findings/")

    assert response.status_code == 200
    assert [
        (row["id"], row["kind"], row["aspect_code"], row["follow_ups"])
        for row in response.json()["results"]
    ] == [(recommendation.pk, "rekomendasi", "A1", [follow_up.pk])]
    # An OPD operator may open the cycle but reads none of its findings.
    operator = api_client(agency_user).get(f"/api/v1/cycles/{cycle.pk}/findings/")
    assert (operator.status_code, operator.json()["results"]) == (200, [])


def test_findings_of_a_cycle_the_caller_may_not_open_are_404(
    recommendation, cycle, outsider, coordinator
):
    assert api_client(outsider).get(f"/api/v1/cycles/{cycle.pk}/findings/").status_code == 404
    missing = f"/api/v1/cycles/{cycle.pk + 1000}/findings/"
    assert api_client(coordinator).get(missing).status_code == 404


# --- Reporting progress ---------------------------------------------------------------------


def test_the_opd_reports_progress(follow_up, agency_user):
    response = api_client(agency_user).post(
        f"/api/v1/follow-ups/{follow_up.pk}/progress/",
        {"status": "dalam proses", "note": "Rancangan Perwal disusun."},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["progress_note"]) == (
        "dalam proses",
        "Rancangan Perwal disusun.",
    )
    assert FollowUpUpdate.objects.get().by == agency_user
    assert AuditEvent.objects.filter(action="followup.updated").count() == 1


@pytest.mark.parametrize("persona", ["other_agency_user", "supervisor", "evaluator", "outsider"])
def test_who_may_not_report_gets_404(request, persona, follow_up):
    response = api_client(request.getfixturevalue(persona)).post(
        f"/api/v1/follow-ups/{follow_up.pk}/progress/", {"status": "selesai"}, format="json"
    )

    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.status == "terbuka"


def test_only_the_coordinator_drops_and_with_a_reason(follow_up, agency_user, coordinator):
    url = f"/api/v1/follow-ups/{follow_up.pk}/progress/"

    by_opd = api_client(agency_user).post(url, {"status": "dibatalkan"}, format="json")
    without = api_client(coordinator).post(url, {"status": "dibatalkan"}, format="json")
    dropped = api_client(coordinator).post(
        url, {"status": "dibatalkan", "note": "Tidak relevan lagi."}, format="json"
    )

    assert by_opd.status_code == 400
    assert list(problem_errors(by_opd)) == ["status"]
    assert (without.status_code, problem_errors(without)) == (
        400,
        {"detail": ["Tulis alasan pembatalan tindak lanjut."]},
    )
    assert (dropped.status_code, dropped.json()["status"]) == (200, "dibatalkan")


# --- Creating from a recommendation ---------------------------------------------------------


def test_the_coordinator_creates_a_follow_up_once(recommendation, coordinator, other_agency, due):
    client = api_client(coordinator)
    body = {"agency": other_agency.pk, "due_date": due.isoformat()}

    first = client.post(f"/api/v1/findings/{recommendation.pk}/follow-ups/", body, format="json")
    again = client.post(f"/api/v1/findings/{recommendation.pk}/follow-ups/", body, format="json")

    assert first.status_code == 201
    created = FollowUp.objects.get()
    assert first.json()["id"] == again.json()["id"] == created.pk
    assert (created.agency, created.description) == (
        other_agency,
        "Tetapkan Peraturan Wali Kota tentang Arsitektur SPBE.",
    )
    assert AuditEvent.objects.filter(action="followup.created").count() == 1


def test_creation_is_refused_with_the_pages_messages(recommendation, coordinator, agency, due):
    client = api_client(coordinator)
    url = f"/api/v1/findings/{recommendation.pk}/follow-ups/"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    no_agency = client.post(url, {"due_date": due.isoformat()}, format="json")
    past = client.post(url, {"agency": agency.pk, "due_date": yesterday.isoformat()}, format="json")

    assert problem_errors(no_agency) == {"detail": ["Pilih OPD instansi ini."]}
    assert past.status_code == 400
    assert past.json()["detail"].startswith("Batas waktu tidak boleh sebelum hari ini (")
    assert FollowUp.objects.count() == 0


def test_a_strength_cannot_become_a_follow_up(cycle, coordinator, aspects, agency, due):
    strength = services.add_finding(
        cycle, by=coordinator, aspect=aspects[0], kind=Finding.Kind.STRENGTH, text="Ada Perwal."
    )

    response = api_client(coordinator).post(
        f"/api/v1/findings/{strength.pk}/follow-ups/",
        {"agency": agency.pk, "due_date": due.isoformat()},
        format="json",
    )

    assert problem_errors(response) == {
        "detail": ["Hanya rekomendasi yang dapat dijadikan tindak lanjut."]
    }


@pytest.mark.parametrize("persona", ["evaluator", "supervisor", "agency_user", "outsider"])
def test_only_the_coordinator_creates(request, persona, recommendation, agency, due):
    response = api_client(request.getfixturevalue(persona)).post(
        f"/api/v1/findings/{recommendation.pk}/follow-ups/",
        {"agency": agency.pk, "due_date": due.isoformat()},
        format="json",
    )

    assert response.status_code == 404
    assert FollowUp.objects.count() == 0


def test_list_queries_do_not_grow_with_follow_ups(cycle, coordinator, aspects, follow_up, due):
    client = api_client(coordinator)
    client.get("/api/v1/follow-ups/")
    with CaptureQueriesContext(connection) as one:
        assert len(ids(client.get("/api/v1/follow-ups/"))) == 1
    for number in range(5):
        agency = Agency.objects.create(
            institution=cycle.institution, name=f"Dinas {number}", short_name=f"D{number}"
        )
        finding = services.add_finding(
            cycle,
            by=coordinator,
            aspect=aspects[number],
            kind=Finding.Kind.RECOMMENDATION,
            text=f"Rekomendasi {number}.",
        )
        services.create_follow_up(finding, by=coordinator, agency=agency, due_date=due)
    with CaptureQueriesContext(connection) as six:
        assert len(ids(client.get("/api/v1/follow-ups/"))) == 6

    assert len(six) == len(one)


# --- Writing findings -----------------------------------------------------------------------


def test_an_evaluator_adds_a_finding_once(cycle, evaluator, aspects):
    client = api_client(evaluator)
    body = {"aspect": aspects[1].pk, "kind": "kelemahan", "text": "Belum ada Perwal."}

    first = client.post(f"/api/v1/cycles/{cycle.pk}/findings/", body, format="json")
    again = client.post(f"/api/v1/cycles/{cycle.pk}/findings/", body, format="json")

    assert first.status_code == 201
    finding = Finding.objects.get()
    assert first.json()["id"] == again.json()["id"] == finding.pk
    assert (first.json()["aspect"], first.json()["aspect_code"], finding.text) == (
        aspects[1].pk,
        "A2",
        "Belum ada Perwal.",
    )
    assert AuditEvent.objects.filter(action="finding.added").count() == 1


def test_findings_are_refused_with_the_pages_messages(cycle, coordinator, aspects, framework):
    client = api_client(coordinator)
    url = f"/api/v1/cycles/{cycle.pk}/findings/"
    indicator = framework.nodes.filter(kind="indicator").first()

    empty = client.post(url, {"aspect": aspects[0].pk, "kind": "kekuatan", "text": ""})
    too_long = client.post(url, {"aspect": aspects[0].pk, "kind": "kekuatan", "text": "x" * 5001})
    not_aspect = client.post(url, {"aspect": indicator.pk, "kind": "kekuatan", "text": "Ada."})
    unknown = client.post(url, {"aspect": 999999, "kind": "kekuatan", "text": "Ada."})

    assert problem_errors(empty) == {"detail": ["Tulis uraian temuan."]}
    assert list(problem_errors(too_long)) == ["text"]
    assert problem_errors(not_aspect) == {
        "detail": ["Aspek bukan bagian dari kerangka periode ini."]
    }
    assert unknown.status_code == 404
    assert Finding.objects.count() == 0


@pytest.mark.parametrize("persona", ["supervisor", "leader", "agency_user", "outsider"])
def test_who_does_not_write_findings_gets_404(request, persona, cycle, recommendation, aspects):
    client = api_client(request.getfixturevalue(persona))

    added = client.post(
        f"/api/v1/cycles/{cycle.pk}/findings/",
        {"aspect": aspects[0].pk, "kind": "kekuatan", "text": "Ada."},
        format="json",
    )
    changed = client.patch(f"/api/v1/findings/{recommendation.pk}/", {"text": "X."}, format="json")
    deleted = client.delete(f"/api/v1/findings/{recommendation.pk}/")

    assert (added.status_code, changed.status_code, deleted.status_code) == (404, 404, 404)
    assert list(Finding.objects.values_list("text", flat=True)) == [recommendation.text]


def test_coordinator_changes_and_deletes_a_finding(recommendation, coordinator):
    client = api_client(coordinator)

    changed = client.patch(
        f"/api/v1/findings/{recommendation.pk}/", {"text": "Tetapkan Perwal SPBE."}, format="json"
    )
    deleted = client.delete(f"/api/v1/findings/{recommendation.pk}/")

    assert (changed.status_code, changed.json()["text"]) == (200, "Tetapkan Perwal SPBE.")
    assert deleted.status_code == 204
    assert Finding.objects.count() == 0
    assert list(
        AuditEvent.objects.filter(action__startswith="finding.").values_list("action", flat=True)
    ) == ["finding.added", "finding.updated", "finding.deleted"]


def test_a_recommendation_with_follow_ups_is_not_deleted(follow_up, recommendation, coordinator):
    response = api_client(coordinator).delete(f"/api/v1/findings/{recommendation.pk}/")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Rekomendasi ini sudah dijadikan tindak lanjut dan tidak dapat dihapus; "
        "batalkan tindak lanjutnya atau ubah uraiannya."
    )
    assert Finding.objects.count() == 1


def test_findings_list_queries_do_not_grow(cycle, coordinator, aspects, follow_up):
    client = api_client(coordinator)
    url = f"/api/v1/cycles/{cycle.pk}/findings/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(ids(client.get(url))) == 1
    for number in range(6):
        services.add_finding(
            cycle, by=coordinator, aspect=aspects[number], kind="kekuatan", text=f"Ada {number}."
        )
    with CaptureQueriesContext(connection) as seven:
        assert len(ids(client.get(url))) == 7

    assert len(seven) == len(one)


@pytest.mark.parametrize("value", ["44801927427517656348930524357591040", "dua", "-1", "²"])
def test_an_id_filter_that_no_row_can_have_is_400(follow_up, coordinator, value):
    response = api_client(coordinator).get(f"/api/v1/follow-ups/?agency={value}")

    assert response.status_code == 400
    assert problem_errors(response) == {"agency": ["Isi dengan nomor id."]}


def test_finding_list_queries_do_not_grow_with_findings(cycle, coordinator, aspects, follow_up):
    client = api_client(coordinator)
    url = f"/api/v1/cycles/{cycle.pk}/findings/"
    client.get(url)  # the token's first use is written once
    with CaptureQueriesContext(connection) as one:
        assert len(ids(client.get(url))) == 1
    for aspect in aspects[1:4]:
        services.add_finding(
            cycle, by=coordinator, aspect=aspect, kind=Finding.Kind.WEAKNESS, text="Belum ada."
        )
    with CaptureQueriesContext(connection) as four:
        assert len(ids(client.get(url))) == 4

    assert len(four) == len(one)
