"""Meeting mode (SOP step 6): who may open it, what one indicator's screen shows, saving with
and without htmx, the live index beside it, its fixed query count, and the step clock when
the result is finalized."""

import datetime
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from assessments import queries, services
from assessments.models import Decision
from assessments.tests.conftest import LEVELS
from cycles import services as cycle_services
from cycles.models import StepRun
from evidence import services as evidence_services
from frameworks.scoring import display, score, unrounded
from institutions.models import Agency, Role
from monev.testing import make_user
from submissions import services as submission_services

HTMX = {"HTTP_HX_REQUEST": "true"}
FINAL = "Hasil evaluasi sudah final; buka kembali dengan alasan untuk mengubahnya."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text_of(response):
    return html.unescape(response.content.decode())


def pdf_upload(name="1.a.Perwa-12-2024.pdf"):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def screen_url(cycle, indicator):
    return reverse("meeting_indicator", args=[cycle.pk, indicator.pk])


def save_url(cycle, indicator):
    return reverse("meeting_decision", args=[cycle.pk, indicator.pk])


def draft(cycle, indicator, operator, *, level=3):
    agency = operator.memberships.get().agency
    return submission_services.save_draft(
        cycle, indicator, agency, by=operator, level=level, fakta="F.", analisis="A.", version=0
    )


def propose_with_evidence(cycle, indicator, agency, operator, *, level, reviewer, fakta=None):
    """An OPD hands in a level with a data dukung file; a reviewer accepts it."""
    submission = submission_services.save_draft(
        cycle,
        indicator,
        agency,
        by=operator,
        level=level,
        fakta=fakta or f"SK {agency.short_name} 5/2025.",
        analisis=f"Analisis {agency.short_name}.",
        version=0,
    )
    evidence_services.add_file_evidence(
        cycle,
        agency,
        by=operator,
        uploaded_file=pdf_upload(),
        title=f"SK {agency.short_name}",
        submission=submission,
    )
    submission = submission_services.submit_submission(submission, by=operator)
    return submission_services.accept_submission(submission, by=reviewer, note="Lengkap.")


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["agency_user", "outsider"])
def test_opd_operators_and_other_institutions_get_404(request, client, cycle, indicators, persona):
    client.force_login(request.getfixturevalue(persona))
    data = {"level": "3", "fakta": "F", "analisis": "A"}

    statuses = [
        client.get(reverse("meeting_mode", args=[cycle.pk])).status_code,
        client.get(screen_url(cycle, indicators[0])).status_code,
        client.post(save_url(cycle, indicators[0]), data).status_code,
    ]

    assert statuses == [404, 404, 404]
    assert Decision.objects.count() == 0


@pytest.mark.parametrize("persona", ["evaluator", "coordinator"])
def test_evaluator_and_coordinator_open_and_save(request, client, cycle, indicators, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    opened = client.get(screen_url(cycle, indicators[0]))
    saved = client.post(
        save_url(cycle, indicators[0]), {"level": "2", "fakta": "F", "analisis": "A"}
    )

    assert opened.status_code == 200
    assert saved.status_code == 302
    assert [(d.level, d.decided_by) for d in Decision.objects.all()] == [(2, user)]


def test_supervisor_watches_but_cannot_save(client, cycle, indicators, supervisor):
    client.force_login(supervisor)

    page = client.get(screen_url(cycle, indicators[0]))
    post = client.post(save_url(cycle, indicators[0]), {"level": "2", "fakta": "", "analisis": ""})

    assert page.status_code == 200
    assert '<fieldset class="meeting-fields" disabled>' in page.content.decode()
    assert post.status_code == 404


def test_unknown_indicator_and_non_indicator_nodes_are_404(client, cycle, framework, evaluator):
    client.force_login(evaluator)
    domain = framework.nodes.get(code="D1")

    response = client.get(screen_url(cycle, domain))

    assert response.status_code == 404


# --- Opening and navigation ---------------------------------------------------------------


def test_meeting_mode_opens_at_the_first_undecided_indicator(
    client, cycle, indicators, evaluator, decide_all
):
    client.force_login(evaluator)
    url = reverse("meeting_mode", args=[cycle.pk])

    first = client.get(url)
    decide_all(count=2)
    third = client.get(url)
    decide_all()
    all_decided = client.get(url)

    assert first.url == screen_url(cycle, indicators[0])
    assert third.url == screen_url(cycle, indicators[2])
    assert all_decided.url == screen_url(cycle, indicators[0])


def test_screen_links_previous_next_and_next_undecided(
    client, cycle, indicators, evaluator, decide_all
):
    decide_all(count=6)  # 1-6 decided: from 5 the next undecided is 7
    client.force_login(evaluator)

    response = client.get(screen_url(cycle, indicators[4]))
    screen = response.context["screen"]

    assert (screen.previous.number, screen.next.number) == ("4", "6")
    assert screen.next_undecided.number == "7"
    page = text_of(response)
    assert "6 dari 47 indikator disepakati" in page
    assert f'href="{screen_url(cycle, indicators[6])}" hx-get' in page
    assert "Belum disepakati berikutnya (7)" in page


def test_htmx_navigation_returns_only_the_screen_with_its_title(
    client, cycle, indicators, evaluator
):
    client.force_login(evaluator)

    response = client.get(screen_url(cycle, indicators[1]), **HTMX)

    page = text_of(response)
    assert page.lstrip().startswith('<div id="meeting"')
    assert f"<title>Mode rapat · Indikator 2 · {cycle.name} · Monev SPBE</title>" in page
    assert "<html" not in page


# --- What the screen shows ----------------------------------------------------------------


def test_screen_shows_proposals_evidence_thread_criteria_and_prefills_the_texts(
    client, cycle, indicators, evaluator, coordinator, agency, other_agency
):
    operators = {
        agency: make_user(agency.institution, "op-a", Role.AGENCY, agency=agency),
        other_agency: make_user(agency.institution, "op-b", Role.AGENCY, agency=other_agency),
    }
    second = indicators[1]  # both OPDs answer indicator 2
    for opd, level in ((agency, 3), (other_agency, 2)):
        propose_with_evidence(cycle, second, opd, operators[opd], level=level, reviewer=coordinator)
    client.force_login(evaluator)

    response = client.get(screen_url(cycle, second))

    page = text_of(response)
    form = response.context["form"]
    assert form.initial["fakta"] == "BKPSDM: SK BKPSDM 5/2025.\n\nDinkes: SK Dinkes 5/2025."
    assert form.initial["analisis"] == "BKPSDM: Analisis BKPSDM.\n\nDinkes: Analisis Dinkes."
    assert "level" not in form.initial
    revision = cycle.evidence.get(agency=agency).revisions.get()
    link = reverse("evidence_download", args=[revision.pk])
    assert f'href="{link}?isian=' in page
    assert (
        'target="_blank" rel="noopener noreferrer">SK BKPSDM</a> <span class="small muted">(PDF,'
        in page
    )
    assert "Riwayat verifikasi (2)" in page  # submitted, accepted
    assert "Lengkap." in page  # the reviewer's note
    assert second.texts["question"] in page
    assert (
        "Sumber: Lampiran Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan "
        "Evaluasi SPBE." in page
    )
    hints = {row["level"]: row["proposers"] for row in response.context["screen"].levels}
    assert hints == {1: [], 2: ["Dinkes"], 3: ["BKPSDM"], 4: [], 5: []}


def test_screen_of_a_decided_indicator_shows_the_decision_not_the_proposals(
    client, cycle, indicators, evaluator, agency_user, propose
):
    propose(indicators[0], 4, by=agency_user)
    services.set_decision(
        cycle, indicators[0], by=evaluator, level=3, fakta="Fakta tim.", analisis="Analisis tim."
    )
    client.force_login(evaluator)

    response = client.get(screen_url(cycle, indicators[0]))

    assert response.context["form"].initial == {
        "level": 3,
        "fakta": "Fakta tim.",
        "analisis": "Analisis tim.",
        "evidence": [],
    }
    assert "Disepakati tingkat 3 oleh Eko Evaluator" in text_of(response)
    assert '<input type="radio" name="level" value="3" checked>' in response.content.decode()


def test_live_panel_while_incomplete_shows_what_is_known(client, cycle, indicators, evaluator):
    services.set_decision(cycle, indicators[0], by=evaluator, level=4, fakta="", analisis="")
    client.force_login(evaluator)

    response = client.get(screen_url(cycle, indicators[0]))

    page = text_of(response)
    assert "Belum lengkap: 46 indikator belum disepakati." in page
    assert '<span id="live-index" class="live-index">–</span>' in page
    # Indicator 1 (weight 1.3 %) at level 4 gives 0.052 of the index; its aspect and domain
    # still miss the other nine indicators.
    assert "Bobot 1,3%: setiap tingkat bernilai 0,013 pada indeks." in page
    assert "Pada tingkat 4 indikator ini menyumbang 0,052." in page
    assert "kurang 9" in page
    assert "Indeks akhir terlihat setelah 46 indikator lain disepakati." in page


def test_live_panel_shows_the_index_at_every_level_of_this_indicator(
    client, cycle, indicators, evaluator, decide_all
):
    decide_all()
    agreed = dict(zip([node.code for node in indicators], LEVELS, strict=True))
    spec = cycle.framework.spec()
    client.force_login(evaluator)

    response = client.get(screen_url(cycle, indicators[1]))  # indicator 2, agreed at 3

    influence = response.context["screen"].influence
    expected = [display(score(spec, {**agreed, "I2": level}).index) for level in range(1, 6)]
    assert [effect.display for effect in influence.effects] == expected
    assert (influence.lower.level, influence.level, influence.higher.level) == (2, 3, 4)
    assert influence.higher.index - influence.current.index == influence.step
    result = queries.live_result(queries.find_assessment(cycle))
    page = text_of(response)
    assert (
        '<span id="live-index" class="live-index" '
        f'title="Tanpa pembulatan: {unrounded(result.index)}">'
        f"{result.display}</span>"
    ) in page
    assert f'<span id="live-rating" class="live-rating">{result.rating}</span>' in page


# --- Saving -------------------------------------------------------------------------------


def test_htmx_save_returns_the_form_and_the_live_panel_out_of_band(
    client, cycle, indicators, evaluator, decide_all
):
    decide_all(count=46)
    client.force_login(evaluator)
    last = indicators[46]

    response = client.post(
        save_url(cycle, last), {"level": "2", "fakta": "Fakta.", "analisis": "Analisis."}, **HTMX
    )

    levels = dict(zip([node.code for node in indicators], LEVELS[:46] + [2], strict=True))
    expected = score(cycle.framework.spec(), levels)
    page = text_of(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<form id="decision-form"')
    assert "✓ Tersimpan: tingkat 2" in page
    assert '<section id="live-index-panel" class="live-index-panel"' in page
    assert 'aria-label="Indeks SPBE saat ini" hx-swap-oob="true">' in page
    assert (
        f'title="Tanpa pembulatan: {unrounded(expected.index)}">{display(expected.index)}</span>'
    ) in page
    assert f'<span id="live-rating" class="live-rating">{expected.rating}</span>' in page
    assert '<section id="live-panel" class="card live-panel"' in page
    assert '<div id="meeting-bar" class="meeting-bar" hx-swap-oob="true">' in page
    assert "47 dari 47 indikator disepakati" in page
    assert Decision.objects.get(indicator=last).level == 2


def test_save_without_a_level_keeps_what_was_typed(client, cycle, indicators, evaluator):
    client.force_login(evaluator)

    response = client.post(
        save_url(cycle, indicators[0]),
        {"fakta": "Perwa 3/2025 dibahas.", "analisis": "Belum sepakat."},
        **HTMX,
    )

    page = text_of(response)
    assert "Tingkat yang disepakati: Pilih tingkat yang disepakati." in page
    assert ">\nPerwa 3/2025 dibahas.</textarea>" in page
    assert ">\nBelum sepakat.</textarea>" in page
    assert Decision.objects.count() == 0


def test_save_refused_by_the_service_keeps_the_text(client, cycle, indicators, evaluator):
    client.force_login(evaluator)
    too_long = "x" * 20_001

    response = client.post(
        save_url(cycle, indicators[0]), {"level": "3", "fakta": too_long, "analisis": "A"}, **HTMX
    )

    page = text_of(response)
    assert "FAKTA terlalu panjang (paling banyak 20.000 karakter)." in page
    assert too_long in page
    assert '<input type="radio" name="level" value="3" checked>' in page
    assert Decision.objects.count() == 0


def test_final_result_refuses_a_save_with_the_message(
    client, cycle, indicators, evaluator, coordinator, decide_all
):
    decide_all()
    services.finalize_assessment(queries.find_assessment(cycle), by=coordinator)
    client.force_login(evaluator)

    response = client.post(
        save_url(cycle, indicators[0]),
        {"level": "5", "fakta": "Perubahan setelah final.", "analisis": "A"},
        **HTMX,
    )
    opened = client.get(screen_url(cycle, indicators[0]))

    page = text_of(response)
    assert FINAL in page
    assert "Perubahan setelah final.</textarea>" in page
    assert Decision.objects.get(indicator=indicators[0]).level == LEVELS[0]
    assert FINAL in text_of(opened)
    assert '<fieldset class="meeting-fields" disabled>' in opened.content.decode()


def test_plain_post_without_javascript_saves_and_comes_back(
    client, cycle, indicators, evaluator, agency_user
):
    submission = draft(cycle, indicators[0], agency_user)
    evidence = evidence_services.add_link_evidence(
        cycle,
        submission.agency,
        by=agency_user,
        url="https://jdih.pontianak.go.id/perwa-12-2024",
        title="Perwa 12/2024",
        submission=submission,
    )
    submission_services.submit_submission(submission, by=agency_user)
    client.force_login(evaluator)

    response = client.post(
        save_url(cycle, indicators[0]),
        {"level": "3", "fakta": "F", "analisis": "A", "evidence": [str(evidence.pk)]},
        follow=True,
    )

    assert response.redirect_chain == [(screen_url(cycle, indicators[0]), 302)]
    assert "Tingkat indikator 1 disimpan." in text_of(response)
    decision = Decision.objects.get()
    assert list(decision.evidence.all()) == [evidence]
    assert response.context["form"].initial["evidence"] == [evidence.pk]


def test_evidence_of_another_indicator_cannot_be_cited(
    client, cycle, indicators, evaluator, agency_user
):
    submission = draft(cycle, indicators[1], agency_user)
    evidence = evidence_services.add_link_evidence(
        cycle,
        submission.agency,
        by=agency_user,
        url="https://contoh.go.id/a",
        title="Lain",
        submission=submission,
    )
    submission_services.submit_submission(submission, by=agency_user)
    client.force_login(evaluator)

    response = client.post(
        save_url(cycle, indicators[0]),
        {"level": "3", "fakta": "F", "analisis": "A", "evidence": [str(evidence.pk)]},
        **HTMX,
    )

    assert "Data dukung yang dirujuk" in text_of(response)
    assert Decision.objects.count() == 0


# --- Query count ----------------------------------------------------------------------------


def many_opds_cycle(institution, framework, coordinator, indicator, count):
    """A cycle of `count` OPDs that all answer `indicator`, each with a data dukung file,
    accepted after review."""
    agencies, operators = [], []
    for number in range(count):
        agency = Agency.objects.create(
            institution=institution, name=f"Dinas Uji {number}", short_name=f"DU{number}"
        )
        agencies.append(agency)
        operators.append(make_user(institution, f"op-uji-{number}", Role.AGENCY, agency=agency))
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2025,
        framework=framework,
        agencies=agencies,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={indicator: agencies},
    )
    for number in (1, 2, 3):
        cycle_services.finish_step(cycle, number, by=coordinator)
    cycle_services.start_step(cycle, 4, by=coordinator)
    for agency, operator in zip(agencies, operators, strict=True):
        propose_with_evidence(cycle, indicator, agency, operator, level=3, reviewer=coordinator)
    return cycle


# Session, user, cycle, roles, the assessment, the OPDs' answers (assignments, answers, their
# threads, data dukung, revisions) and the menu badge's waiting work (cycles.waiting); the
# indicator, the framework tree and the node pks come from the tree kept per process. No
# decision yet: no decisions query.
SCREEN_QUERIES = 11


def test_indicator_screen_query_count_does_not_grow_with_proposals(
    client,
    cycle,
    institution,
    framework,
    indicators,
    agency,
    agency_user,
    coordinator,
    evaluator,
    django_assert_num_queries,
):
    first = indicators[0]
    propose_with_evidence(cycle, first, agency, agency_user, level=3, reviewer=coordinator)
    big = many_opds_cycle(institution, framework, coordinator, first, 30)
    client.force_login(evaluator)
    client.get(screen_url(cycle, first))  # warm up the session

    with django_assert_num_queries(SCREEN_QUERIES):
        one = client.get(screen_url(cycle, first))
    with django_assert_num_queries(SCREEN_QUERIES):
        thirty = client.get(screen_url(big, first))

    proposals = [len(response.context["screen"].proposals) for response in (one, thirty)]
    assert proposals == [1, 30]


def test_indicator_screen_query_count_does_not_grow_with_decisions(
    client, cycle, indicators, evaluator, decide_all, django_assert_num_queries
):
    decide_all(count=1)
    client.force_login(evaluator)
    client.get(screen_url(cycle, indicators[0]))

    # No OPD answered indicator 1 here (no thread, data dukung or revisions queries); with
    # the decisions and the decision's data dukung instead.
    with django_assert_num_queries(SCREEN_QUERIES - 3 + 2):
        one = client.get(screen_url(cycle, indicators[0]))
    decide_all()
    with django_assert_num_queries(SCREEN_QUERIES - 3 + 2):
        all_ = client.get(screen_url(cycle, indicators[0]))

    assert (one.context["screen"].decided_count, all_.context["screen"].decided_count) == (1, 47)


# --- The result page's what-if and plan -----------------------------------------------------


def test_result_page_lists_every_raise_and_the_plan_with_its_index(
    client, cycle, coordinator, decide_all
):
    decide_all()
    assessment = queries.find_assessment(cycle)
    result = queries.live_result(assessment)
    gains = queries.what_if_gains(assessment, result=result)
    target = queries.next_rating(result.spec, result.rating)
    plan = queries.target_plan(assessment, target, result=result)
    client.force_login(coordinator)

    response = client.get(reverse("assessment_result", args=[cycle.pk]))

    page = text_of(response)
    assert len(response.context["gains"]) + len(response.context["more_gains"]) == len(gains)
    assert f"{len(gains) - 10} kenaikan lainnya" in page
    assert plan.plan.message in page
    last = plan.steps[-1][1]
    assert (
        f'{last.from_level} → {last.to_level} <span class="muted">(indeks menjadi '
        f"{display(last.index)})</span>"
    ) in page
    assert reverse("meeting_mode", args=[cycle.pk]) in page


def test_result_page_explains_the_simulation_waits_for_all_levels(client, cycle, coordinator):
    client.force_login(coordinator)

    page = text_of(client.get(reverse("assessment_result", args=[cycle.pk])))

    assert "Simulasi kenaikan dan rencana menuju predikat berikutnya tersedia setelah" in page


# --- The SOP step clock ---------------------------------------------------------------------


def runs(cycle):
    return {run.number: run for run in StepRun.objects.filter(cycle=cycle, number__in=(6, 7))}


def test_finalizing_finishes_step_6_and_starts_step_7(cycle, coordinator, decide_all):
    decide_all()

    services.finalize_assessment(queries.find_assessment(cycle), by=coordinator)

    steps = runs(cycle)
    assert (steps[6].status, steps[6].output, steps[6].finished_by) == (
        StepRun.Status.DONE,
        "Hasil evaluasi mandiri disepakati",
        coordinator,
    )
    assert (steps[7].status, steps[7].holder) == (StepRun.Status.RUNNING, coordinator)


def test_reopening_and_finalizing_again_do_not_restart_the_steps(cycle, coordinator, decide_all):
    decide_all()
    assessment = queries.find_assessment(cycle)
    services.finalize_assessment(assessment, by=coordinator)
    before = runs(cycle)

    services.reopen_assessment(assessment, by=coordinator, reason="Koreksi indikator 3.")
    reopened = runs(cycle)
    services.finalize_assessment(assessment, by=coordinator)
    again = runs(cycle)

    def clock(steps):
        return [(s.status, s.started_at, s.finished_at) for s in steps.values()]

    assert clock(reopened) == clock(before)
    assert clock(again) == clock(before)


def test_refused_finalizing_leaves_the_steps_alone(cycle, coordinator, decide_all):
    decide_all(count=46)

    with pytest.raises(services.ValidationError):
        services.finalize_assessment(queries.find_assessment(cycle), by=coordinator)

    assert [run.status for run in runs(cycle).values()] == [StepRun.Status.WAITING] * 2
