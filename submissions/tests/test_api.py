"""The API of OPD answers, per persona: the OPD's operator saves (also the first time, by
cycle, OPD and indicator) and submits; the coordinator and the evaluators return and
accept; another OPD's operator and another institution get 404; what a person may see but
not do is a 403. If-Match guards a save (412); the deadline's refusal is the service's, in
the page's words."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from institutions.models import Agency, Role
from monev.testing import api_client, make_user
from submissions import services
from submissions.models import Submission
from submissions.tests.conftest import pass_deadline

FAKTA = "Perwa 12/2024 Pasal 3."
ANALISIS = "Kriteria tingkat 3 terpenuhi."
DRAFT = {"level": 3, "fakta": FAKTA, "analisis": ANALISIS}
DEADLINE = "Batas waktu telah lewat; hubungi koordinator untuk membuka kembali."


def answer_url(cycle, agency, indicator):
    return f"/api/v1/cycles/{cycle.pk}/agencies/{agency.pk}/indicators/{indicator.pk}/submission/"


def detail_url(submission):
    return f"/api/v1/submissions/{submission.pk}/"


def submitted(answer, indicator, by):
    submission = answer(indicator, by=by)
    return services.submit_submission(submission, by=by)


# --- Saving ---------------------------------------------------------------------------------


def test_operator_creates_the_answer_by_cycle_opd_and_indicator(
    cycle, agency, agency_user, indicators
):
    first = indicators[0]
    response = api_client(agency_user).put(answer_url(cycle, agency, first), DRAFT, format="json")
    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    body = response.json()
    stored = Submission.objects.get(cycle=cycle, agency=agency, indicator=first)
    assert body["id"] == stored.pk
    assert (body["status"], body["level"], body["fakta"], body["analisis"]) == (
        "draft",
        3,
        FAKTA,
        ANALISIS,
    )
    assert (body["version"], body["evidence"], body["reviews"]) == (1, [], [])
    assert (stored.level, stored.fakta, stored.updated_by) == (3, FAKTA, agency_user)


def test_save_with_matching_if_match_replaces_the_text(cycle, agency, agency_user, indicators):
    client = api_client(agency_user)
    url = answer_url(cycle, agency, indicators[0])
    assert client.put(url, DRAFT, format="json", HTTP_IF_MATCH='"0"').status_code == 201
    response = client.put(url, {**DRAFT, "level": 4}, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"]) == (200, '"2"')
    assert Submission.objects.get(pk=response.json()["id"]).level == 4


def test_save_over_a_changed_answer_is_412_and_changes_nothing(
    cycle, agency, agency_user, indicators, answer
):
    submission = answer(indicators[0], by=agency_user)  # version 1
    answer(indicators[0], by=agency_user, level=2)  # version 2, saved elsewhere
    response = api_client(agency_user).put(
        detail_url(submission), {**DRAFT, "level": 5}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "Data ini sudah diubah orang lain. Muat ulang lalu ulangi perubahan Anda."
    )
    submission.refresh_from_db()
    assert (submission.level, submission.version) == (2, 2)


def test_save_without_if_match_still_saves(cycle, agency, agency_user, indicators, answer):
    submission = answer(indicators[0], by=agency_user, level=2)
    response = api_client(agency_user).put(detail_url(submission), DRAFT, format="json")
    assert (response.status_code, response["ETag"]) == (200, '"2"')
    submission.refresh_from_db()
    assert (submission.level, submission.version) == (3, 2)


def test_save_with_a_stale_version_in_the_body_is_the_services_conflict(
    cycle, agency, agency_user, indicators, answer
):
    submission = answer(indicators[0], by=agency_user)
    answer(indicators[0], by=agency_user, level=2)
    response = api_client(agency_user).put(
        detail_url(submission), {**DRAFT, "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Isian ini sudah diubah di tempat lain; muat ulang halaman."
    )


def test_after_the_deadline_the_save_is_refused_in_the_pages_words(
    cycle, agency, agency_user, indicators, answer
):
    submission = answer(indicators[0], by=agency_user)
    pass_deadline(cycle)
    client = api_client(agency_user)
    response = client.put(detail_url(submission), {**DRAFT, "level": 4}, format="json")
    assert (response.status_code, response.json()["detail"]) == (400, DEADLINE)
    first_save = client.put(answer_url(cycle, agency, indicators[1]), DRAFT, format="json")
    assert (first_save.status_code, first_save.json()["detail"]) == (400, DEADLINE)
    assert not Submission.objects.filter(indicator=indicators[1], agency=agency).exists()


def test_after_the_collection_closed_save_and_submit_are_refused_until_reopened(
    cycle, agency, agency_user, coordinator, indicators, answer
):
    submission = answer(indicators[0], by=agency_user)
    services.close_collection(cycle, by=coordinator)
    client = api_client(agency_user)
    closed = (
        "Pengumpulan isian OPD (langkah 4 SOP) sudah ditutup. Koordinator dapat membuka "
        "kembali isian OPD ini dengan alasan."
    )
    response = client.put(detail_url(submission), {**DRAFT, "level": 4}, format="json")
    assert (response.status_code, response.json()["detail"]) == (400, closed)
    response = client.post(f"{detail_url(submission)}submit/")
    assert (response.status_code, response.json()["detail"]) == (400, closed)
    services.reopen_agency(
        cycle,
        agency,
        by=coordinator,
        until=timezone.localdate() + datetime.timedelta(days=2),
        reason="Data dukung menyusul.",
    )
    response = client.put(detail_url(submission), {**DRAFT, "level": 4}, format="json")
    assert (response.status_code, response.json()["level"]) == (200, 4)


def test_level_out_of_the_scale_is_the_services_message(cycle, agency, agency_user, indicators):
    response = api_client(agency_user).put(
        answer_url(cycle, agency, indicators[0]), {**DRAFT, "level": 9}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Tingkat harus antara 1 dan 5."


def test_an_indicator_not_assigned_to_the_opd_is_404(cycle, agency, agency_user, indicators):
    third = indicators[2]  # Dinkes's
    response = api_client(agency_user).put(answer_url(cycle, agency, third), DRAFT, format="json")
    assert response.status_code == 404
    assert not Submission.objects.filter(indicator=third).exists()


def test_another_opds_operator_gets_404(
    cycle, agency, agency_user, other_agency_user, indicators, answer
):
    submission = answer(indicators[0], by=agency_user)
    client = api_client(other_agency_user)
    assert client.get(detail_url(submission)).status_code == 404
    assert client.put(detail_url(submission), DRAFT, format="json").status_code == 404
    second = answer_url(cycle, agency, indicators[1])  # assigned to both OPDs
    assert client.put(second, DRAFT, format="json").status_code == 404
    assert client.post(f"{detail_url(submission)}submit/").status_code == 404
    assert Submission.objects.filter(agency=agency).count() == 1


def test_another_institution_gets_404(cycle, agency, agency_user, outsider, indicators, answer):
    submission = answer(indicators[0], by=agency_user)
    client = api_client(outsider)
    assert client.get(detail_url(submission)).status_code == 404
    assert (
        client.put(answer_url(cycle, agency, indicators[1]), DRAFT, format="json").status_code
        == 404
    )
    assert client.post(f"{detail_url(submission)}accept/").status_code == 404
    assert client.get("/api/v1/submissions/").json()["results"] == []
    assert client.get("/api/v1/assignments/").json()["results"] == []


def test_staff_may_read_an_answer_but_not_write_it(
    cycle, agency, agency_user, coordinator, indicators, answer
):
    submission = answer(indicators[0], by=agency_user)
    client = api_client(coordinator)
    response = client.get(detail_url(submission))
    assert (response.status_code, response["ETag"]) == (200, '"1"')
    assert client.put(detail_url(submission), DRAFT, format="json").status_code == 403
    assert client.post(f"{detail_url(submission)}submit/").status_code == 403
    assert Submission.objects.get(pk=submission.pk).status == "draft"


# --- Submit, return, accept -----------------------------------------------------------------


def test_operator_submits_and_a_retry_answers_the_same(
    cycle, agency, agency_user, indicators, answer
):
    submission = answer(indicators[0], by=agency_user)
    client = api_client(agency_user)
    response = client.post(f"{detail_url(submission)}submit/", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"]) == (200, '"2"')
    body = response.json()
    assert (body["status"], body["version"]) == ("submitted", 2)
    assert [(r["kind"], r["level"], r["by"]) for r in body["reviews"]] == [
        ("submitted", 3, agency_user.pk)
    ]
    again = client.post(f"{detail_url(submission)}submit/")
    assert (again.status_code, again.json()["status"], again.json()["version"]) == (
        200,
        "submitted",
        2,
    )
    assert submission.reviews.count() == 1


def test_submit_of_an_incomplete_answer_says_what_is_missing(
    cycle, agency, agency_user, indicators, answer
):
    submission = answer(indicators[0], by=agency_user, analisis="")
    response = api_client(agency_user).post(f"{detail_url(submission)}submit/")
    assert (response.status_code, response.json()["detail"]) == (400, "Lengkapi dulu: ANALISIS.")


def test_submit_after_the_deadline_is_refused(cycle, agency, agency_user, indicators, answer):
    submission = answer(indicators[0], by=agency_user)
    pass_deadline(cycle)
    response = api_client(agency_user).post(f"{detail_url(submission)}submit/")
    assert (response.status_code, response.json()["detail"]) == (400, DEADLINE)


def test_submit_over_a_changed_answer_is_412(cycle, agency, agency_user, indicators, answer):
    submission = answer(indicators[0], by=agency_user)
    response = api_client(agency_user).post(f"{detail_url(submission)}submit/", HTTP_IF_MATCH='"7"')
    assert response.status_code == 412
    assert Submission.objects.get(pk=submission.pk).status == "draft"


def test_evaluator_returns_with_a_note(cycle, agency_user, evaluator, indicators, answer):
    submission = submitted(answer, indicators[0], agency_user)
    response = api_client(evaluator).post(
        f"{detail_url(submission)}return/", {"note": "Lampirkan SK."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert [(r["kind"], r["note"], r["by_name"]) for r in response.json()["reviews"]] == [
        ("submitted", "", "Operator BKPSDM"),
        ("returned", "Lampirkan SK.", "Eko Evaluator"),
    ]


def test_return_without_a_note_is_the_services_message(
    cycle, agency_user, coordinator, indicators, answer
):
    submission = submitted(answer, indicators[0], agency_user)
    response = api_client(coordinator).post(f"{detail_url(submission)}return/")
    assert response.status_code == 400
    assert response.json()["detail"] == "Tulis catatan: apa yang perlu diperbaiki OPD."
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_coordinator_accepts(cycle, agency_user, coordinator, indicators, answer):
    submission = submitted(answer, indicators[0], agency_user)
    response = api_client(coordinator).post(f"{detail_url(submission)}accept/")
    assert (response.status_code, response.json()["status"]) == (200, "accepted")
    assert Submission.objects.get(pk=submission.pk).status == "accepted"


def test_accepting_a_draft_is_refused(cycle, agency_user, coordinator, indicators, answer):
    submission = answer(indicators[0], by=agency_user)
    response = api_client(coordinator).post(f"{detail_url(submission)}accept/")
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "Hanya isian yang sudah diajukan yang dapat diterima.",
    )


@pytest.mark.parametrize("action", ["accept", "return"])
def test_operator_cannot_decide_on_its_own_answer(cycle, agency_user, indicators, answer, action):
    submission = submitted(answer, indicators[0], agency_user)
    response = api_client(agency_user).post(
        f"{detail_url(submission)}{action}/", {"note": "Sudah benar."}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["status"] == 403
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_supervisor_cannot_accept(cycle, agency_user, supervisor, indicators, answer):
    submission = submitted(answer, indicators[0], agency_user)
    assert api_client(supervisor).post(f"{detail_url(submission)}accept/").status_code == 403


# --- Lists ----------------------------------------------------------------------------------


def test_assignments_show_an_operator_its_own_opd(
    cycle, agency, other_agency, agency_user, indicators, answer
):
    saved = answer(indicators[1], by=agency_user)
    rows = api_client(agency_user).get(f"/api/v1/assignments/?cycle={cycle.pk}").json()["results"]
    assert [(r["agency"], r["indicator"], r["submission"], r["status"]) for r in rows] == [
        (agency.pk, indicators[0].pk, None, None),
        (agency.pk, indicators[1].pk, saved.pk, "draft"),
    ]
    assert rows[0]["indicator_number"] == indicators[0].number


def test_assignments_show_staff_every_opd_filtered_by_opd(
    cycle, agency, other_agency, evaluator, indicators
):
    client = api_client(evaluator)
    rows = client.get("/api/v1/assignments/").json()["results"]
    assert [(r["indicator"], r["agency_name"]) for r in rows] == [
        (indicators[0].pk, "BKPSDM"),
        (indicators[1].pk, "BKPSDM"),
        (indicators[1].pk, "Dinkes"),
        (indicators[2].pk, "Dinkes"),
    ]
    rows = client.get(f"/api/v1/assignments/?agency={other_agency.pk}").json()["results"]
    assert [r["indicator"] for r in rows] == [indicators[1].pk, indicators[2].pk]


def test_submissions_list_filters_by_status_and_opd(
    cycle, agency, other_agency, agency_user, other_agency_user, coordinator, indicators, answer
):
    mine = submitted(answer, indicators[0], agency_user)
    draft = answer(indicators[1], by=agency_user)
    theirs = answer(indicators[2], by=other_agency_user)
    client = api_client(coordinator)
    everything = client.get(f"/api/v1/submissions/?cycle={cycle.pk}").json()["results"]
    assert [row["id"] for row in everything] == [mine.pk, draft.pk, theirs.pk]
    waiting = client.get("/api/v1/submissions/?status=submitted").json()["results"]
    assert [(row["id"], row["status"], row["version"]) for row in waiting] == [
        (mine.pk, "submitted", 2)
    ]
    dinkes = client.get(f"/api/v1/submissions/?agency={other_agency.pk}").json()["results"]
    assert [row["id"] for row in dinkes] == [theirs.pk]
    own = api_client(agency_user).get("/api/v1/submissions/").json()["results"]
    assert [row["id"] for row in own] == [mine.pk, draft.pk]


def test_an_id_no_row_can_have_is_404_and_a_filter_400(cycle, agency, coordinator, indicators):
    huge = 2**64
    client = api_client(coordinator)
    assert (
        client.get(
            f"/api/v1/cycles/{cycle.pk}/agencies/{huge}/indicators/1/submission/"
        ).status_code
        == 404
    )
    assert (
        client.get(
            answer_url(cycle, agency, indicators[0]).replace(f"/{indicators[0].pk}/", f"/{huge}/")
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/submissions/{huge}/").status_code == 404
    response = client.get(f"/api/v1/submissions/?cycle={huge}")
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"cycle": ["Isi dengan nomor id."]},
    )


def test_an_unknown_status_filter_is_400(cycle, coordinator):
    response = api_client(coordinator).get("/api/v1/submissions/?status=lost")
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {
            "status": [
                "Nilai tidak dikenal; pilih salah satu: draft, submitted, returned, accepted."
            ]
        },
    )


@pytest.mark.parametrize("url", ["/api/v1/assignments/", "/api/v1/submissions/"])
def test_another_institution_lists_only_its_own_rows(
    url, cycle, agency_user, outsider, indicators, answer
):
    """Its own institution's rows (none here), also when it names our cycle or OPD."""
    answer(indicators[0], by=agency_user)
    client = api_client(outsider)
    assert client.get(url).json()["results"] == []
    assert client.get(f"{url}?cycle={cycle.pk}").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_an_operator_naming_another_opd_gets_no_rows(
    cycle, other_agency, agency_user, other_agency_user, indicators, answer
):
    answer(indicators[2], by=other_agency_user)
    client = api_client(agency_user)
    for url in ("/api/v1/assignments/", "/api/v1/submissions/"):
        response = client.get(f"{url}?agency={other_agency.pk}")
        assert (response.status_code, response.json()["results"]) == (200, [])


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def test_lists_read_a_fixed_number_of_queries(
    cycle, framework, institution, coordinator, agency_user, indicators, answer
):
    """The same count with 2 answers and 4 assignments as with 12 and 14."""
    client = api_client(coordinator)
    answer(indicators[1], by=agency_user)
    submitted(answer, indicators[0], agency_user)
    client.get("/api/v1/me/")  # the token's first use writes its last_used_at
    urls = [
        "/api/v1/submissions/",
        "/api/v1/assignments/",
        f"/api/v1/submissions/?cycle={cycle.pk}",
    ]
    before = [_queries(client, url) for url in urls]
    for number in range(5):
        opd = Agency.objects.create(
            institution=institution, name=f"Dinas {number}", short_name=f"D{number}"
        )
        cycle.agencies.add(opd)
        operator = make_user(institution, f"op-{number}", Role.AGENCY, agency=opd)
        for indicator in indicators[:2]:
            cycle.assignments.create(indicator=indicator, agency=opd)
            answer(indicator, by=operator, agency=opd)
    after = [_queries(client, url) for url in urls]
    assert [rows for _count, rows in before] == [2, 4, 2]
    assert [rows for _count, rows in after] == [12, 14, 12]
    assert [count for count, _rows in after] == [count for count, _rows in before]
