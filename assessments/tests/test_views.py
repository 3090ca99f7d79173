"""The result pages: who sees what, the forms, and the query count of the result page."""

import html
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments import queries, services
from assessments.models import Decision, NationalResult
from assessments.tests.conftest import LEVELS
from audit.models import AuditEvent
from cycles.tests.scale import grow
from frameworks.scoring import display, rounded
from submissions.models import Submission


def text_of(response):
    return html.unescape(response.content.decode())


def urls(cycle, indicator):
    return [
        reverse("assessment_result", args=[cycle.pk]),
        reverse("decision_edit", args=[cycle.pk, indicator.pk]),
        reverse("reconciliation", args=[cycle.pk]),
        reverse("national_result", args=[cycle.pk]),
    ]


@pytest.mark.parametrize("persona", ["agency_user", "outsider"])
def test_operators_and_outsiders_get_404_everywhere(request, client, cycle, indicators, persona):
    client.force_login(request.getfixturevalue(persona))

    statuses = [client.get(url).status_code for url in urls(cycle, indicators[0])]
    posts = [
        client.post(reverse(name, args=[cycle.pk]), {"reason": "x"}).status_code
        for name in ("assessment_finalize", "assessment_reopen")
    ]

    assert statuses == [404, 404, 404, 404]
    assert posts == [404, 404]


def test_supervisor_sees_the_result_but_cannot_change_it(client, cycle, indicators, supervisor):
    client.force_login(supervisor)

    statuses = [client.get(url).status_code for url in urls(cycle, indicators[0])]
    post = client.post(
        reverse("decision_edit", args=[cycle.pk, indicators[0].pk]),
        {"level": "3", "fakta": "", "analisis": ""},
    )
    finalize = client.post(reverse("assessment_finalize", args=[cycle.pk]))

    assert statuses == [200, 200, 200, 404]
    assert (post.status_code, finalize.status_code) == (404, 404)
    assert Decision.objects.count() == 0
    assert "Finalkan hasil evaluasi" not in text_of(client.get(urls(cycle, indicators[0])[0]))


def test_result_page_shows_index_rating_and_plan(client, cycle, coordinator, decide_all):
    decide_all()
    result = queries.live_result(queries.find_assessment(cycle))
    client.force_login(coordinator)

    page = text_of(client.get(reverse("assessment_result", args=[cycle.pk])))

    assert f"Indeks: {result.display}" in page
    assert f"Predikat: {result.rating}" in page
    assert f"Rencana menuju predikat {queries.next_rating(result.spec, result.rating)}" in page
    assert "Kenaikan satu tingkat yang paling berpengaruh" in page
    assert "Finalkan hasil evaluasi" in page


def indices_of(page):
    """Every decimal number printed on the page outside tags' attributes, e.g. "2,97"."""
    body = re.sub(r"<[^>]*>", " ", page.split("<main", 1)[-1])
    return re.findall(r"(?<![\w.,])\d+[.,]\d+(?![\w.,])", body)


@pytest.mark.parametrize(("language", "separator"), [("id", ","), ("en", ".")])
def test_result_page_prints_every_index_with_two_decimals_in_the_readers_language(
    client, cycle, coordinator, decide_all, language, separator
):
    decide_all()
    result = queries.live_result(queries.find_assessment(cycle))
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = text_of(client.get(reverse("assessment_result", args=[cycle.pk])))

    _node, best = queries.what_if_gains(queries.find_assessment(cycle), result=result)[0]
    with translation.override(language):
        assert (result.display, display(best.index)) == (
            str(rounded(result.index)).replace(".", separator),
            str(rounded(best.index)).replace(".", separator),
        )
        assert f"{_('Indeks')}: {result.display}" in page
        assert f"{display(best.index)} ({best.rating})" in page
    # Indices have 2 decimals; index gains are weights / 100 and keep their own precision
    # ("0,0275"). No unlabelled unrounded index ("2,9925") and no other decimal separator.
    numbers = indices_of(page)
    assert numbers
    assert [n for n in numbers if separator not in n] == []
    indices = [number for number in numbers if not number.startswith("0")]
    assert [n for n in indices if len(n.split(separator)[1]) != 2] == []


def test_decision_edit_prefills_the_only_answer_and_saves(
    client, cycle, evaluator, agency_user, indicators, propose
):
    propose(indicators[0], 4, by=agency_user, fakta="SK Wali Kota 5/2025.", analisis="Tingkat 4.")
    client.force_login(evaluator)
    url = reverse("decision_edit", args=[cycle.pk, indicators[0].pk])

    form = client.get(url).context["form"]
    response = client.post(url, {"level": "3", "fakta": "Fakta tim.", "analisis": "Analisis."})

    assert form.initial == {
        "level": 4,
        "fakta": "SK Wali Kota 5/2025.",
        "analisis": "Tingkat 4.",
    }
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.level, decision.fakta, decision.decided_by) == (3, "Fakta tim.", evaluator)


def test_decision_edit_without_prefill_when_two_opds_answered(
    client, cycle, evaluator, agency_user, other_agency_user, indicators, propose
):
    propose(indicators[1], 4, by=agency_user)
    propose(indicators[1], 2, by=other_agency_user)
    client.force_login(evaluator)

    response = client.get(reverse("decision_edit", args=[cycle.pk, indicators[1].pk]))

    assert response.context["form"].initial == {}
    assert [p.level for p in response.context["proposals"]] == [4, 2]


def test_finalize_refused_shows_the_missing_numbers_then_reopen_with_reason(
    client, cycle, coordinator, decide_all
):
    decide_all(count=46)
    client.force_login(coordinator)
    result_url = reverse("assessment_result", args=[cycle.pk])

    refused = client.post(reverse("assessment_finalize", args=[cycle.pk]), follow=True)
    decide_all()
    client.post(reverse("assessment_finalize", args=[cycle.pk]), {"confirmed": "yes"})
    no_reason = client.post(reverse("assessment_reopen", args=[cycle.pk]), {"reason": ""})
    reopened = client.post(reverse("assessment_reopen", args=[cycle.pk]), {"reason": "Koreksi."})

    assert "indikator 47 belum memiliki tingkat yang disepakati" in text_of(refused)
    assert "Tulis alasan pembukaan kembali." in text_of(no_reason)
    assert reopened.status_code == 302
    assert "Finalkan hasil evaluasi" in text_of(client.get(result_url))


def test_national_result_form_saves_levels_and_domain_values(client, cycle, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("national_result", args=[cycle.pk]),
        {"source": "Laporan 2026", "node_I1": "2", "node_D1": "3.25"},
    )

    assert response.status_code == 302
    rows = {(row.node.code, str(row.value), row.source) for row in NationalResult.objects.all()}
    assert rows == {("I1", "2.0000", "Laporan 2026"), ("D1", "3.2500", "Laporan 2026")}
    page = text_of(client.get(reverse("reconciliation", args=[cycle.pk])))
    assert "Rekonsiliasi usulan OPD" in page


def test_result_page_runs_a_fixed_number_of_queries(
    client, cycle, coordinator, evaluator, indicators, agency_user, propose, decide_all
):
    propose(indicators[0], 3, by=agency_user)
    services.set_decision(cycle, indicators[0], by=evaluator, level=3, fakta="F", analisis="A")
    client.force_login(coordinator)
    url = reverse("assessment_result", args=[cycle.pk])
    client.get(url)  # warm up the session

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    decide_all(LEVELS)
    with CaptureQueriesContext(connection) as all_:
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["rows"]) == 47
    # 9 with the closing step, asked once for the frozen reason and the official form, and
    # the menu badge's waiting work (cycles.waiting).
    assert len(one) == len(all_) == 9


@pytest.mark.parametrize("n", [1, 30])
def test_result_page_query_count_does_not_grow_with_opds_or_institutions(
    client, cycle, coordinator, django_assert_num_queries, n
):
    """The same queries with 3 or 32 OPDs answering, every indicator decided (so with the
    gains and the plan) and another institution's cycle of as many OPDs beside it."""
    grow(cycle, coordinator, n)
    client.force_login(coordinator)
    url = reverse("assessment_result", args=[cycle.pk])
    client.get(url)  # the framework tree, kept per process

    with django_assert_num_queries(9):
        response = client.get(url)

    proposals = sum(len(row.proposals) for row in response.context["rows"])
    assert (
        proposals
        == Submission.objects.filter(
            cycle=cycle, status__in=queries.PROPOSED, level__isnull=False
        ).count()
    )
    assert response.context["plan"] is not None


def test_finalize_without_any_decision_is_refused_not_an_error(client, cycle, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("assessment_finalize", args=[cycle.pk]), follow=True)

    assert response.status_code == 200
    assert "Belum dapat difinalkan: indikator 1, 2, 3," in text_of(response)


def test_finalize_asks_first_and_changes_nothing(client, cycle, coordinator, decide_all):
    decide_all()
    assessment = queries.find_assessment(cycle)
    result = queries.live_result(assessment)
    client.force_login(coordinator)
    url = reverse("assessment_finalize", args=[cycle.pk])

    response = client.post(url)

    assert response.status_code == 200
    page = " ".join(text_of(response).split())
    assert f"Hasil final: indeks {result.display} ({result.rating}) dari 47 indikator." in page
    assert "Tingkat yang disepakati tidak dapat diubah lagi, juga dalam mode rapat." in page
    assert (
        "Koordinator dapat membukanya kembali dengan alasan tertulis (tercatat di riwayat) "
        "selama periode belum ditutup." in page
    )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.finalized_at) == ("draft", None)
    assert AuditEvent.objects.filter(action="assessment.finalized").count() == 0
    assert cycle.step_runs.get(number=7).status == "waiting"

    response = client.post(url, {"confirmed": "yes"})

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "final"
    assert AuditEvent.objects.filter(action="assessment.finalized").count() == 1
