"""What waits for each person is read from the records' state: every item appears when its
record reaches the state that waits for the person's role, and is gone for everyone who had
it as soon as anyone does the action (each state reached through the real services)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from cycles import services as cycle_services
from cycles import waiting
from cycles.waiting import waiting_for
from followups import services as followup_services
from frameworks.queries import tree_rows
from institutions.models import Agency, Membership, Role
from letters import services as letter_services
from meetings import services as meeting_services
from monev.testing import make_user
from reports import services as report_services
from reports.models import SignedReport
from submissions import services as submission_services
from submissions.models import Reopening, Submission


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def indicators(framework):
    return list(framework.nodes.filter(children__isnull=True).order_by("position"))


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency, indicators):
    """Step 1 running, deadline in two weeks: BKPSDM answers indicators 1 and 2, Dinkes 2
    and 3."""
    first, second, third = indicators[:3]
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={first: [agency], second: [agency, other_agency], third: [other_agency]},
    )


@pytest.fixture
def staff(coordinator, supervisor, secretariat, evaluator, leader):
    return {
        "coordinator": coordinator,
        "supervisor": supervisor,
        "secretariat": secretariat,
        "evaluator": evaluator,
        "leader": leader,
    }


def titles(user, kind=None):
    items = waiting_for(user)
    # The menu badge counts the same items without building the list (a fresh user object:
    # what a request computes once is kept on it).
    assert waiting.waiting_count(type(user).objects.get(pk=user.pk)) == len(items)
    return [
        (item.title, item.url)
        for item in items
        if kind is None or item.kind == kind or item.kind.startswith(f"{kind}.")
    ]


def everyone(staff, kind=None):
    """{persona: [(title, url)]} of everyone with waiting work (of `kind`)."""
    found = {name: titles(user, kind) for name, user in staff.items()}
    return {name: items for name, items in found.items() if items}


def letter_url(letter):
    return reverse("letter_detail", args=[letter.pk])


def dispatch(letter, staff):
    letter_services.submit_letter(letter, by=staff["coordinator"])
    letter_services.dispose_letter(
        letter, by=staff["supervisor"], approve=True, instruction="Kirim.", addressed_to="Sekr."
    )
    letter_services.number_letter(letter, by=staff["secretariat"])
    letter_services.record_signature(letter, by=staff["secretariat"], internal_approval=True)
    letter_services.dispatch_letter(letter, by=staff["secretariat"])


@pytest.fixture
def collecting(cycle, staff):
    """The step-1 letters dispatched: SOP step 4 runs, the OPDs answer."""
    for letter in letter_services.draft_cycle_letters(cycle, by=staff["coordinator"]):
        dispatch(letter, staff)
    return cycle


def answer(cycle, indicator, user, *, submit=True):
    agency = user.memberships.get().agency
    submission = submission_services.save_draft(
        cycle,
        indicator,
        agency,
        by=user,
        level=3,
        fakta="Perwa 12/2024 Pasal 3.",
        analisis="Kriteria tingkat 3 terpenuhi.",
        version=0,
    )
    if submit:
        submission_services.submit_submission(submission, by=user)
    return submission


# --- Letters ---------------------------------------------------------------------------------


def test_letters_wait_for_the_role_their_status_names(cycle, staff):
    invitation, request = letter_services.draft_cycle_letters(cycle, by=staff["coordinator"])
    assert everyone(staff) == {
        "coordinator": [
            ("Lengkapi dan ajukan Surat Permohonan Data", letter_url(request)),
            ("Lengkapi dan ajukan Surat Undangan", letter_url(invitation)),
        ]
    }
    for letter in (invitation, request):
        letter_services.submit_letter(letter, by=staff["coordinator"])
    assert everyone(staff) == {
        "supervisor": [
            ("Disposisi Surat Permohonan Data", letter_url(request)),
            ("Disposisi Surat Undangan", letter_url(invitation)),
        ]
    }
    letter_services.dispose_letter(request, by=staff["supervisor"], approve=False, note="Ubah.")
    letter_services.dispose_letter(
        invitation, by=staff["supervisor"], approve=True, instruction="Kirim.", addressed_to="S."
    )
    assert everyone(staff) == {
        "coordinator": [
            ("Perbaiki Surat Permohonan Data yang dikembalikan Kabid", letter_url(request))
        ],
        "secretariat": [("Beri nomor Surat Undangan", letter_url(invitation))],
    }
    letter_services.number_letter(invitation, by=staff["secretariat"])
    assert titles(staff["secretariat"]) == [
        ("Catat tanda tangan Surat Undangan", letter_url(invitation))
    ]
    letter_services.record_signature(invitation, by=staff["secretariat"], internal_approval=True)
    assert titles(staff["secretariat"]) == [("Kirim Surat Undangan ke OPD", letter_url(invitation))]
    letter_services.dispatch_letter(invitation, by=staff["secretariat"])
    assert everyone(staff) == {
        "coordinator": [
            ("Perbaiki Surat Permohonan Data yang dikembalikan Kabid", letter_url(request))
        ]
    }


# --- Answers -----------------------------------------------------------------------------------


def test_answers_wait_for_review_per_indicator_with_their_count_and_oldest_age(
    collecting, staff, indicators, agency_user, other_agency_user, time_machine
):
    first, second = indicators[:2]
    time_machine.move_to(timezone.now() - datetime.timedelta(days=3))
    answer(collecting, second, agency_user)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=3))
    answer(collecting, first, agency_user)
    other = answer(collecting, second, other_agency_user)
    review = [
        (item.title, item.url, item.count, item.days, item.role)
        for item in waiting_for(staff["coordinator"])
    ]
    assert review == [
        ("Verifikasi jawaban indikator 1", review_url(collecting, first), 1, 0, Role.COORDINATOR),
        ("Verifikasi jawaban indikator 2", review_url(collecting, second), 2, 3, Role.COORDINATOR),
    ]
    assert titles(staff["evaluator"]) == [(title, url) for title, url, *_rest in review]
    assert everyone(staff).keys() == {"coordinator", "evaluator"}

    # The evaluator accepts one, the coordinator returns one: gone for both of them.
    submission_services.accept_submission(
        Submission.objects.get(indicator=first), by=staff["evaluator"]
    )
    submission_services.return_submission(other, by=staff["coordinator"], note="Lengkapi.")
    expected = [("Verifikasi jawaban indikator 2", review_url(collecting, second))]
    assert everyone(staff) == {"coordinator": expected, "evaluator": expected}
    assert [item.count for item in waiting_for(staff["evaluator"])] == [1]


def review_url(cycle, indicator):
    return reverse("review_indicator", args=[cycle.pk, indicator.pk])


def edit_url(cycle, agency, indicator):
    return reverse("submission_edit", args=[cycle.pk, agency.pk, indicator.pk])


def test_an_operator_is_led_to_the_next_answer_of_their_own_opd(
    collecting, staff, indicators, agency, other_agency, agency_user, other_agency_user
):
    first, second, third = indicators[:3]
    assert titles(agency_user) == [
        (
            "Isi jawaban BKPSDM: indikator 1 — Monev SPBE 2026",
            edit_url(collecting, agency, first),
        )
    ]
    assert titles(other_agency_user) == [
        (
            "Isi jawaban Dinkes: indikator 2 — Monev SPBE 2026",
            edit_url(collecting, other_agency, second),
        )
    ]
    submitted = answer(collecting, first, agency_user)
    answer(collecting, second, agency_user, submit=False)
    # A complete draft is handed in from the portal ("Ajukan semua yang lengkap").
    (item,) = waiting_for(agency_user)
    assert (item.title, item.url, item.count) == (
        "Ajukan 1 isian BKPSDM yang sudah lengkap — Monev SPBE 2026",
        reverse("portal", args=[collecting.pk, agency.pk]),
        1,
    )
    submission_services.submit_agency_package(collecting, agency, by=agency_user)
    assert titles(agency_user) == []
    # Returned with a note: the operator is led straight to it.
    submission_services.return_submission(submitted, by=staff["coordinator"], note="Pasal?")
    (item,) = waiting_for(agency_user)
    assert (item.title, item.url, item.count) == (
        "Isi jawaban BKPSDM: indikator 1 — Monev SPBE 2026",
        edit_url(collecting, agency, first),
        1,
    )
    assert "1 dikembalikan verifikator" in item.detail
    # Dinkes' operator never sees BKPSDM's work.
    assert [title for title, _url in titles(other_agency_user)] == [
        "Isi jawaban Dinkes: indikator 2 — Monev SPBE 2026"
    ]


def test_nothing_waits_for_an_operator_once_the_deadline_passed(collecting, agency_user):
    collecting.deadline = timezone.localdate() - datetime.timedelta(days=1)
    collecting.save(update_fields=["deadline"])
    assert titles(agency_user) == []


def test_the_badge_counts_an_operators_answers_through_deadline_reopening_and_close(
    collecting, staff, indicators, agency, agency_user
):
    first, second = indicators[:2]
    answer(collecting, first, agency_user)
    assert len(titles(agency_user)) == 1  # indicator 2 not started
    collecting.deadline = timezone.localdate() - datetime.timedelta(days=1)
    collecting.save(update_fields=["deadline"])
    assert titles(agency_user) == []
    until = timezone.localdate() + datetime.timedelta(days=2)
    submission_services.reopen_agency(
        collecting, agency, by=staff["coordinator"], until=until, reason="Terlambat."
    )
    assert len(titles(agency_user)) == 1
    answer(collecting, second, agency_user, submit=False)  # complete: "Ajukan 1 isian"
    assert len(titles(agency_user)) == 1
    submission_services.submit_agency_package(collecting, agency, by=agency_user)
    assert titles(agency_user) == []
    submission_services.return_submission(
        Submission.objects.get(cycle=collecting, indicator=first, agency=agency),
        by=staff["coordinator"],
        note="Pasal?",
    )
    assert len(titles(agency_user)) == 1
    submission_services.close_collection(collecting, by=staff["coordinator"])
    assert len(titles(agency_user)) == 1  # the reopening still runs
    Reopening.objects.filter(cycle=collecting).update(until=timezone.now())
    assert titles(agency_user) == []


# --- Meeting, agreed levels, statements, Dokumen Evaluasi --------------------------------------


def test_steps_five_to_eight_wait_for_whoever_acts_next(collecting, staff, indicators, leader):
    coordinator, secretariat = staff["coordinator"], staff["secretariat"]
    submission_services.close_collection(collecting, by=coordinator)
    meeting_url = reverse("meeting_detail", args=[collecting.pk])
    assert everyone(staff, "meeting") == {
        "coordinator": [("Jadwalkan rapat koordinasi", f"{meeting_url}#jadwal")]
    }

    meeting = meeting_services.schedule_meeting(
        collecting, by=coordinator, starts_at=timezone.now(), place="Ruang Rapat"
    )
    equipment = meeting.equipment.count()
    expected_equipment = (
        f"Siapkan peralatan rapat: {equipment} belum siap",
        f"{meeting_url}#peralatan",
    )
    assert everyone(staff, "meeting") == {
        "coordinator": [
            ("Buat surat undangan rapat koordinasi", f"{meeting_url}#undangan"),
            expected_equipment,
            ("Mulai rapat koordinasi", f"{meeting_url}#rapat"),
        ],
        "secretariat": [expected_equipment],
    }
    meeting_services.set_equipment(
        meeting,
        by=secretariat,
        items=[{"name": line.name, "ready": True, "note": ""} for line in meeting.equipment.all()],
    )
    letter = meeting_services.draft_meeting_invitation(meeting, by=coordinator)
    assert everyone(staff, "meeting") == {
        "coordinator": [("Mulai rapat koordinasi", f"{meeting_url}#rapat")]
    }
    assert titles(coordinator, "letter") == [
        ("Lengkapi dan ajukan Surat Undangan Rapat Koordinasi", letter_url(letter))
    ]
    dispatch(letter, staff)

    meeting_services.start_meeting(meeting, by=coordinator)
    decide = ("Sepakati tingkat 47 indikator", reverse("meeting_mode", args=[collecting.pk]))
    assert everyone(staff) == {"coordinator": [decide], "evaluator": [decide]}
    with transaction.atomic():
        for indicator in indicators:
            assessment_services.set_decision(
                collecting, indicator, by=staff["evaluator"], level=3, fakta="F.", analisis="A."
            )
    result_url = reverse("assessment_result", args=[collecting.pk])
    assert everyone(staff) == {
        "coordinator": [("Finalkan hasil evaluasi mandiri", f"{result_url}#final")]
    }

    assessment_services.finalize_assessment(collecting.assessment, by=coordinator)
    reports_url = reverse("report_list", args=[collecting.pk])
    assert everyone(staff) == {
        "coordinator": [
            ("Siapkan Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE", reports_url),
            ("Siapkan Pernyataan Persetujuan Publikasi", reports_url),
        ]
    }
    # Step 7 needs only the Berita Acara: the Pernyataan says it is optional.
    assert [item.detail for item in waiting_for(coordinator)] == [
        collecting.name,
        f"{collecting.name} · opsional",
    ]
    report = report_services.prepare_report(
        collecting, by=coordinator, kind=SignedReport.Kind.BERITA_ACARA
    )
    detail = reverse("report_detail", args=[report.pk])
    name = "Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE"
    assert everyone(staff, "report") == {
        "coordinator": [("Siapkan Pernyataan Persetujuan Publikasi", reports_url)],
        "secretariat": [(f"Beri nomor {name}", detail)],
    }
    report_services.number_report(report, by=secretariat)
    assert titles(secretariat) == [(f"Ajukan {name} untuk ditandatangani pimpinan", detail)]
    report_services.route_report_for_signature(report, by=secretariat)
    assert titles(secretariat) == []
    (item,) = waiting_for(leader)
    assert (item.kind, item.title, item.url, item.role) == (
        waiting.REPORT_SIGN,
        f"Tandatangani {name}",
        detail,
        Role.LEADER,
    )
    report_services.sign_report(report, by=leader, internal_approval=True)
    # The signed Berita Acara ends step 7: the coordinator makes the Dokumen Evaluasi.
    assert everyone(staff) == {
        "coordinator": [
            ("Susun Dokumen Evaluasi SPBE", reverse("evaluation", args=[collecting.pk]))
        ]
    }


# --- Follow-ups ---------------------------------------------------------------------------------


def test_a_follow_up_waits_for_its_opd_from_two_weeks_before_its_due_date(
    cycle, coordinator, agency, agency_user, other_agency_user, framework
):
    aspect = framework.nodes.filter(kind="aspect").order_by("position").first()
    finding = followup_services.add_finding(
        cycle, by=coordinator, aspect=aspect, kind="rekomendasi", text="Reviu kebijakan SPBE."
    )
    today = timezone.localdate()
    follow_up = followup_services.create_follow_up(
        finding, by=coordinator, agency=agency, due_date=today + datetime.timedelta(days=15)
    )
    assert titles(agency_user, "follow_up") == []
    follow_up.due_date = today + datetime.timedelta(days=14)
    follow_up.save(update_fields=["due_date"])
    assert titles(agency_user, "follow_up") == [
        (
            "Laporkan tindak lanjut BKPSDM: Reviu kebijakan SPBE.",
            reverse("follow_up_detail", args=[follow_up.pk]),
        )
    ]
    assert titles(other_agency_user, "follow_up") == []
    followup_services.update_follow_up(follow_up, by=agency_user, status="selesai", note="Beres.")
    assert titles(agency_user, "follow_up") == []


def test_the_badge_counts_a_secretary_who_operates_for_two_opds(
    cycle, staff, institution, agency, other_agency, framework
):
    """Staff and operator at once, for two OPDs: the badge adds both kinds of work, before
    and after the data requests are dispatched, with a follow-up late and one not due."""
    person = make_user(institution, "sekretariat-opd", Role.SECRETARIAT, Role.AGENCY, agency=agency)
    Membership.objects.create(user=person, role=Role.AGENCY, agency=other_agency)
    letters = letter_services.draft_cycle_letters(cycle, by=staff["coordinator"])
    assert titles(person) == []  # nothing requested yet, no letter waits for the secretariat
    for letter in letters:
        dispatch(letter, staff)
    assert [title for title, _url in titles(person)] == [
        "Isi jawaban BKPSDM: indikator 1 — Monev SPBE 2026",
        "Isi jawaban Dinkes: indikator 2 — Monev SPBE 2026",
    ]
    aspect = framework.nodes.filter(kind="aspect").order_by("position").first()
    finding = followup_services.add_finding(
        cycle, by=staff["coordinator"], aspect=aspect, kind="rekomendasi", text="Reviu SPBE."
    )
    today = timezone.localdate()
    late = followup_services.create_follow_up(
        finding, by=staff["coordinator"], agency=other_agency, due_date=today
    )
    late.due_date = today - datetime.timedelta(days=1)
    late.save(update_fields=["due_date"])
    followup_services.create_follow_up(
        finding,
        by=staff["coordinator"],
        agency=agency,
        due_date=today + datetime.timedelta(days=15),
    )
    assert [title for title, _url in titles(person, "follow_up")] == [
        "Laporkan tindak lanjut Dinkes: Reviu SPBE."
    ]
    assert len(titles(person)) == 3


# --- Isolation ---------------------------------------------------------------------------------


def test_another_institutions_work_never_shows(
    collecting, staff, indicators, agency_user, outsider, other_institution
):
    answer(collecting, indicators[0], agency_user)
    assert titles(staff["coordinator"]) != []
    assert waiting_for(outsider) == []
    foreign = Agency.objects.create(institution=other_institution, name="Dinas X", short_name="X")
    foreign_operator = make_user(other_institution, "pkp-opd-x", Role.AGENCY, agency=foreign)
    assert waiting_for(foreign_operator) == []


# --- Queries -----------------------------------------------------------------------------------


def queries_of(user, client):
    """(queries of waiting_for, queries of the home page with its list and badge)."""
    with CaptureQueriesContext(connection) as captured:
        waiting_for(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("home")).status_code == 200
    return len(captured), len(page)


@pytest.mark.parametrize("persona", ["coordinator", "agency_user"])
def test_the_query_count_does_not_grow_with_answers_and_opds(
    request, client, collecting, staff, indicators, agency, agency_user, institution, persona
):
    user = request.getfixturevalue(persona)
    operators = []
    for n in range(2):
        extra = Agency.objects.create(institution=institution, name=f"OPD {n}", short_name=f"O{n}")
        collecting.agencies.add(extra)
        operators.append(make_user(institution, f"opd-{n}", Role.AGENCY, agency=extra))
    cycle_services.set_assignments(
        collecting,
        {
            node: [agency, *[op.memberships.get().agency for op in operators]]
            for node in indicators[:3]
        },
        by=staff["coordinator"],
    )
    answer(collecting, indicators[0], operators[0])
    answer(collecting, indicators[0], agency_user, submit=False)  # its return notes are read
    # The framework tree is kept per process (frameworks.trees), as a worker has it.
    tree_rows(collecting.framework)
    few = queries_of(user, client)
    more = Agency.objects.bulk_create(
        Agency(institution=institution, name=f"OPD lain {n}", short_name=f"L{n}") for n in range(10)
    )
    collecting.agencies.add(*more)
    cycle_services.set_assignments(
        collecting,
        {
            node: [agency, *[op.memberships.get().agency for op in operators], *more]
            for node in indicators[:20]
        },
        by=staff["coordinator"],
    )
    for node in indicators[1:20]:
        for operator in operators:
            answer(collecting, node, operator)
    assert len(waiting_for(staff["coordinator"])) == 20
    assert queries_of(user, client) == few
