"""The OPD answer services: each transition's exact outcome, and every refusal with its
message and nothing stored."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from cycles.models import StepRun
from notifications.models import Notification
from submissions import queries, services
from submissions.models import Reopening, Review, Submission
from submissions.tests.conftest import pass_deadline


def messages_of(error):
    return error.value.messages


# --- save_draft -----------------------------------------------------------------------------


def test_save_draft_creates_a_draft_at_version_1(cycle, indicators, agency, agency_user):
    first = indicators[0]
    submission = services.save_draft(
        cycle,
        first,
        agency,
        by=agency_user,
        level=2,
        fakta="Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3.\r\nBerkas 1.a.Perwa-12-2024.pdf",
        analisis="Kebijakan telah ditetapkan.",
        version=0,
    )
    stored = Submission.objects.get()
    assert (stored.pk, stored.status, stored.level, stored.version, stored.updated_by) == (
        submission.pk,
        "draft",
        2,
        1,
        agency_user,
    )
    assert stored.fakta == (
        "Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3.\nBerkas 1.a.Perwa-12-2024.pdf"
    )
    event = AuditEvent.objects.get(action="submission.draft_saved")
    assert (event.actor, event.cycle_id, event.before, event.after) == (
        agency_user,
        cycle.pk,
        None,
        {
            "status": "draft",
            "level": 2,
            "version": 1,
            "fakta_chars": 76,
            "analisis_chars": 27,
        },
    )


def test_save_draft_updates_and_bumps_the_version(cycle, indicators, agency, agency_user, answer):
    answer(indicators[0], by=agency_user, level=2)
    submission = services.save_draft(
        cycle,
        indicators[0],
        agency,
        by=agency_user,
        level=3,
        fakta="Baru.",
        analisis="Baru juga.",
        version=1,
    )
    assert submission.version == 2
    stored = Submission.objects.get()
    assert (stored.level, stored.fakta, stored.analisis, stored.version) == (
        3,
        "Baru.",
        "Baru juga.",
        2,
    )
    assert AuditEvent.objects.filter(action="submission.draft_saved").count() == 2


def test_saving_the_stored_text_again_changes_nothing(cycle, indicators, agency, agency_user):
    arguments = {"by": agency_user, "level": 3, "fakta": "F", "analisis": "A"}
    services.save_draft(cycle, indicators[0], agency, version=0, **arguments)
    # A repeated autosave or a double click with the old version: nothing to lose, no conflict.
    again = services.save_draft(cycle, indicators[0], agency, version=0, **arguments)
    assert again.version == 1
    assert AuditEvent.objects.filter(action="submission.draft_saved").count() == 1


def test_level_may_be_empty_in_a_draft(cycle, indicators, agency, agency_user):
    submission = services.save_draft(
        cycle, indicators[0], agency, by=agency_user, level=None, fakta="F", analisis="", version=0
    )
    assert (submission.level, submission.missing_parts) == (
        None,
        ["tingkat yang diusulkan", "ANALISIS"],
    )


@pytest.mark.parametrize("level", [0, 6, "enam"])
def test_level_outside_the_scale_is_refused(cycle, indicators, agency, agency_user, level):
    with pytest.raises(ValidationError) as error:
        services.save_draft(
            cycle,
            indicators[0],
            agency,
            by=agency_user,
            level=level,
            fakta="F",
            analisis="A",
            version=0,
        )
    assert messages_of(error) == ["Tingkat harus antara 1 dan 5."]
    assert Submission.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="submission.").count() == 0


def test_a_pasted_book_is_refused(cycle, indicators, agency, agency_user):
    with pytest.raises(ValidationError) as error:
        services.save_draft(
            cycle,
            indicators[0],
            agency,
            by=agency_user,
            level=3,
            fakta="x" * 20_001,
            analisis="A",
            version=0,
        )
    assert messages_of(error) == ["FAKTA terlalu panjang (paling banyak 20.000 karakter)."]
    assert Submission.objects.count() == 0


def test_a_stale_version_is_refused_and_the_stored_text_kept(
    cycle, indicators, agency, agency_user, answer
):
    answer(indicators[0], by=agency_user, fakta="Versi tab pertama.")
    answer(indicators[0], by=agency_user, fakta="Versi tab pertama, diubah.")
    with pytest.raises(ValidationError) as error:
        services.save_draft(
            cycle,
            indicators[0],
            agency,
            by=agency_user,
            level=3,
            fakta="Versi tab kedua.",
            analisis="A",
            version=1,
        )
    assert messages_of(error) == ["Isian ini sudah diubah di tempat lain; muat ulang halaman."]
    assert error.value.code == "conflict"
    stored = Submission.objects.get()
    assert (stored.fakta, stored.version) == ("Versi tab pertama, diubah.", 2)


def test_a_second_first_save_is_a_conflict(cycle, indicators, agency, agency_user, answer):
    answer(indicators[0], by=agency_user, fakta="Tab pertama.")
    with pytest.raises(ValidationError) as error:
        services.save_draft(
            cycle,
            indicators[0],
            agency,
            by=agency_user,
            level=3,
            fakta="Tab kedua.",
            analisis="A",
            version=0,
        )
    assert error.value.code == "conflict"
    assert Submission.objects.get().fakta == "Tab pertama."


def test_saving_after_the_deadline_is_refused(cycle, indicators, agency, agency_user):
    pass_deadline(cycle)
    with pytest.raises(ValidationError) as error:
        services.save_draft(
            cycle,
            indicators[0],
            agency,
            by=agency_user,
            level=3,
            fakta="F",
            analisis="A",
            version=0,
        )
    assert messages_of(error) == [
        "Batas waktu telah lewat; hubungi koordinator untuk membuka kembali."
    ]
    assert Submission.objects.count() == 0


def test_the_deadline_day_itself_is_still_open(cycle, indicators, agency, agency_user):
    cycle.deadline = timezone.localdate()
    cycle.save(update_fields=["deadline"])
    submission = services.save_draft(
        cycle, indicators[0], agency, by=agency_user, level=3, fakta="F", analisis="A", version=0
    )
    assert submission.version == 1


def test_the_deadline_day_ends_in_the_institutions_time_zone(cycle, agency, institution):
    cycle.deadline = datetime.date(2026, 12, 15)
    # 16:30 UTC on the deadline day: 23:30 in Pontianak (WIB), already 01:30 in Jayapura (WIT).
    moment = datetime.datetime(2026, 12, 15, 16, 30, tzinfo=datetime.UTC)
    assert queries.answer_window(cycle, agency, now=moment).is_open is True
    institution.time_zone = "Asia/Jayapura"
    assert queries.answer_window(cycle, agency, now=moment).is_open is False


def test_a_reopened_opd_can_edit_again(
    cycle, indicators, agency, other_agency, agency_user, other_agency_user, coordinator, answer
):
    answer(indicators[0], by=agency_user, fakta="Sebelum batas waktu.")
    pass_deadline(cycle)
    services.reopen_agency(
        cycle,
        agency,
        by=coordinator,
        until=timezone.localdate() + datetime.timedelta(days=2),
        reason="Server BKPSDM sempat mati.",
    )
    submission = answer(indicators[0], by=agency_user, fakta="Setelah dibuka kembali.")
    assert (submission.fakta, submission.version) == ("Setelah dibuka kembali.", 2)
    # Dinkes was not reopened.
    with pytest.raises(ValidationError) as error:
        answer(indicators[2], by=other_agency_user)
    assert error.value.code == "deadline"


def test_an_expired_reopening_no_longer_opens(cycle, indicators, agency, agency_user, coordinator):
    pass_deadline(cycle)
    services.reopen_agency(
        cycle,
        agency,
        by=coordinator,
        until=timezone.localdate() + datetime.timedelta(days=1),
        reason="Perpanjangan.",
    )
    Reopening.objects.update(until=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        services.save_draft(
            cycle,
            indicators[0],
            agency,
            by=agency_user,
            level=3,
            fakta="F",
            analisis="A",
            version=0,
        )
    assert error.value.code == "deadline"


@pytest.mark.parametrize("persona", ["other_agency_user", "outsider", "coordinator", "evaluator"])
def test_only_the_opds_operator_may_save(request, cycle, indicators, agency, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.save_draft(
            cycle, indicators[1], agency, by=user, level=3, fakta="F", analisis="A", version=0
        )
    assert Submission.objects.count() == 0


def test_an_indicator_not_assigned_to_the_opd_cannot_be_answered(
    cycle, indicators, agency, agency_user
):
    with pytest.raises(PermissionDenied):
        services.save_draft(
            cycle,
            indicators[2],
            agency,
            by=agency_user,
            level=3,
            fakta="F",
            analisis="A",
            version=0,
        )


def test_submitted_and_accepted_answers_are_read_only(
    cycle, indicators, agency, agency_user, coordinator, answer
):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    with pytest.raises(ValidationError) as error:
        answer(indicators[0], by=agency_user, fakta="Diubah.")
    assert messages_of(error) == [
        "Isian ini sudah diajukan dan sedang diperiksa; tunggu hasil verifikasi."
    ]
    services.accept_submission(submission, by=coordinator)
    with pytest.raises(ValidationError) as error:
        answer(indicators[0], by=agency_user, fakta="Diubah.")
    assert messages_of(error) == ["Isian ini sudah diterima dan tidak dapat diubah."]
    assert Submission.objects.get().fakta == "Perwa 12/2024 Pasal 3."


def test_a_returned_answer_stays_returned_while_it_is_revised(
    cycle, indicators, agency_user, coordinator, answer
):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    services.return_submission(submission, by=coordinator, note="Sebutkan pasalnya.")
    revised = answer(indicators[0], by=agency_user, fakta="Perwa 12/2024 Pasal 3 ayat (2).")
    assert (revised.status, revised.version) == ("returned", 3)


# --- submit_submission ------------------------------------------------------------------------


def test_submit_moves_the_answer_to_the_reviewers(
    cycle, indicators, agency_user, coordinator, evaluator, answer
):
    submission = answer(indicators[0], by=agency_user, level=2)
    services.submit_submission(submission, by=agency_user)
    stored = Submission.objects.get()
    assert (stored.status, stored.version, stored.submitted_at is not None) == (
        "submitted",
        2,
        True,
    )
    review = Review.objects.get()
    assert (review.kind, review.level, review.by, review.note) == ("submitted", 2, agency_user, "")
    notification = Notification.objects.get()
    assert (notification.user, notification.key, notification.url) == (
        coordinator,
        f"submission:{stored.pk}:submitted:v2",
        f"/isian/{cycle.pk}/indikator/{indicators[0].pk}/",
    )
    assert notification.text == (
        "BKPSDM mengajukan isian indikator 1. Tingkat Kematangan Kebijakan Internal "
        "Arsitektur SPBE Instansi Pusat/Pemerintah Daerah (tingkat 2)."
    )
    event = AuditEvent.objects.get(action="submission.submitted")
    assert (event.before, event.after) == (
        {"status": "draft"},
        {"status": "submitted", "level": 2, "version": 2},
    )


@pytest.mark.parametrize(
    ("level", "fakta", "analisis", "message"),
    [
        (None, "F", "A", "Lengkapi dulu: tingkat yang diusulkan."),
        (3, "  ", "", "Lengkapi dulu: FAKTA, ANALISIS."),
        (None, "", "", "Lengkapi dulu: tingkat yang diusulkan, FAKTA, ANALISIS."),
    ],
)
def test_submit_says_what_is_missing(
    cycle, indicators, agency_user, answer, level, fakta, analisis, message
):
    submission = answer(indicators[0], by=agency_user, level=level, fakta=fakta, analisis=analisis)
    with pytest.raises(ValidationError) as error:
        services.submit_submission(submission, by=agency_user)
    assert messages_of(error) == [message]
    assert (Submission.objects.get().status, Review.objects.count()) == ("draft", 0)
    assert Notification.objects.count() == 0


def test_submit_twice_is_refused(cycle, indicators, agency_user, answer):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    with pytest.raises(ValidationError) as error:
        services.submit_submission(Submission.objects.get(), by=agency_user)
    assert messages_of(error) == ["Isian ini sudah diajukan."]
    assert Review.objects.count() == 1


def test_submit_after_the_deadline_is_refused(cycle, indicators, agency_user, answer):
    submission = answer(indicators[0], by=agency_user)
    pass_deadline(cycle)
    with pytest.raises(ValidationError) as error:
        services.submit_submission(submission, by=agency_user)
    assert error.value.code == "deadline"
    assert Submission.objects.get().status == "draft"


@pytest.mark.parametrize("persona", ["other_agency_user", "outsider", "coordinator"])
def test_only_the_opds_operator_may_submit(
    request, cycle, indicators, agency_user, answer, persona
):
    submission = answer(indicators[1], by=agency_user)
    with pytest.raises(PermissionDenied):
        services.submit_submission(submission, by=request.getfixturevalue(persona))
    assert Submission.objects.get().status == "draft"


# --- submit_agency_package ------------------------------------------------------------------


def test_the_package_submits_every_complete_answer_at_once(
    cycle, indicators, agency, agency_user, coordinator, answer
):
    answer(indicators[0], by=agency_user)
    answer(indicators[1], by=agency_user, level=4)
    submitted = services.submit_agency_package(cycle, agency, by=agency_user)
    assert [s.indicator_id for s in submitted] == [indicators[0].pk, indicators[1].pk]
    assert list(Submission.objects.values_list("status", "version")) == [
        ("submitted", 2),
        ("submitted", 2),
    ]
    assert list(Review.objects.values_list("kind", "level")) == [("submitted", 3), ("submitted", 4)]
    notification = Notification.objects.get()
    assert (notification.user, notification.text, notification.url) == (
        coordinator,
        "BKPSDM mengajukan 2 isian sekaligus (indikator 1, 2).",
        f"/isian/{cycle.pk}/",
    )


def test_the_package_hands_in_the_complete_answers_and_leaves_the_others(
    cycle, indicators, agency, agency_user, answer
):
    complete = answer(indicators[0], by=agency_user)  # indicator 2 not started
    submitted = services.submit_agency_package(cycle, agency, by=agency_user)
    assert [s.pk for s in submitted] == [complete.pk]
    assert list(Submission.objects.values_list("indicator__number", "status")) == [
        ("1", "submitted")
    ]


def test_the_package_is_refused_while_no_answer_is_complete(
    cycle, indicators, agency, agency_user, answer
):
    with pytest.raises(ValidationError) as error:
        services.submit_agency_package(cycle, agency, by=agency_user)
    assert messages_of(error) == [
        "Belum ada isian yang lengkap: indikator 1, 2 belum lengkap (tingkat, FAKTA dan "
        "ANALISIS wajib diisi)."
    ]
    answer(indicators[1], by=agency_user, analisis="")
    with pytest.raises(ValidationError) as error:
        services.submit_agency_package(cycle, agency, by=agency_user)
    assert error.value.code == "incomplete"
    assert set(Submission.objects.values_list("status", flat=True)) == {"draft"}
    assert Review.objects.count() == 0


def test_the_package_resubmits_returned_answers_and_skips_those_in(
    cycle, indicators, agency, agency_user, coordinator, answer
):
    first = answer(indicators[0], by=agency_user)
    second = answer(indicators[1], by=agency_user)
    services.submit_agency_package(cycle, agency, by=agency_user)
    services.return_submission(first, by=coordinator, note="Lampirkan SK.")
    services.accept_submission(second, by=coordinator)
    submitted = services.submit_agency_package(cycle, agency, by=agency_user)
    assert [s.pk for s in submitted] == [first.pk]
    with pytest.raises(ValidationError) as error:
        services.submit_agency_package(cycle, agency, by=agency_user)
    assert messages_of(error) == ["Semua isian OPD ini sudah diajukan."]


def test_the_package_of_another_opd_is_refused(cycle, agency, other_agency_user, outsider):
    for user in (other_agency_user, outsider):
        with pytest.raises(PermissionDenied):
            services.submit_agency_package(cycle, agency, by=user)


# --- return and accept --------------------------------------------------------------------


@pytest.fixture
def submitted(cycle, indicators, agency_user, answer):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    Notification.objects.all().delete()
    return submission


def test_return_sends_the_answer_back_with_the_note(
    cycle, submitted, coordinator, agency_user, other_agency_user
):
    services.return_submission(submitted, by=coordinator, note="  Sebutkan nomor pasalnya.  ")
    assert Submission.objects.get().status == "returned"
    review = Review.objects.filter(kind="returned").get()
    assert (review.note, review.by, review.level) == ("Sebutkan nomor pasalnya.", coordinator, 3)
    notification = Notification.objects.get()
    assert (notification.user, notification.url) == (
        agency_user,
        f"/isian/{cycle.pk}/opd/{submitted.agency_id}/indikator/{submitted.indicator_id}/",
    )
    assert notification.text == (
        "Isian indikator 1. Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi "
        "Pusat/Pemerintah Daerah dikembalikan oleh Rina Koordinator: Sebutkan nomor pasalnya."
    )
    event = AuditEvent.objects.get(action="submission.returned")
    assert (event.before, event.after) == (
        {"status": "submitted"},
        {"status": "returned", "note": "Sebutkan nomor pasalnya.", "level": 3},
    )


@pytest.mark.parametrize("note", ["", "   "])
def test_return_without_a_note_is_refused(submitted, coordinator, note):
    with pytest.raises(ValidationError) as error:
        services.return_submission(submitted, by=coordinator, note=note)
    assert messages_of(error) == ["Tulis catatan: apa yang perlu diperbaiki OPD."]
    assert (Submission.objects.get().status, Review.objects.count()) == ("submitted", 1)


def test_an_evaluator_may_return_and_accept(submitted, evaluator):
    services.return_submission(submitted, by=evaluator, note="Kurang lengkap.")
    assert Submission.objects.get().status == "returned"


@pytest.mark.parametrize(
    "persona", ["agency_user", "other_agency_user", "supervisor", "secretariat", "outsider"]
)
def test_others_may_not_review(request, submitted, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.return_submission(submitted, by=user, note="Catatan.")
    with pytest.raises(PermissionDenied):
        services.accept_submission(submitted, by=user)
    assert Submission.objects.get().status == "submitted"


def test_accept_closes_the_answer(submitted, coordinator, agency_user):
    services.accept_submission(submitted, by=coordinator, note="Lengkap.")
    assert Submission.objects.get().status == "accepted"
    review = Review.objects.filter(kind="accepted").get()
    assert (review.note, review.by) == ("Lengkap.", coordinator)
    notification = Notification.objects.get()
    assert (notification.user, notification.text) == (
        agency_user,
        "Isian indikator 1. Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi "
        "Pusat/Pemerintah Daerah diterima oleh Rina Koordinator.",
    )


def test_only_submitted_answers_can_be_decided(cycle, indicators, agency_user, coordinator, answer):
    draft = answer(indicators[0], by=agency_user)
    with pytest.raises(ValidationError) as error:
        services.accept_submission(draft, by=coordinator)
    assert messages_of(error) == ["Hanya isian yang sudah diajukan yang dapat diterima."]
    with pytest.raises(ValidationError) as error:
        services.return_submission(draft, by=coordinator, note="Catatan.")
    assert messages_of(error) == ["Hanya isian yang sudah diajukan yang dapat dikembalikan."]
    assert (Submission.objects.get().status, Review.objects.count()) == ("draft", 0)


def test_an_accepted_answer_can_still_be_returned(submitted, coordinator):
    services.accept_submission(submitted, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.accept_submission(submitted, by=coordinator)
    assert messages_of(error) == ["Isian ini sudah diterima."]
    services.return_submission(submitted, by=coordinator, note="Ternyata SK belum ditandatangani.")
    assert Submission.objects.get().status == "returned"


# --- reopen_agency ------------------------------------------------------------------------


def test_reopen_until_the_end_of_a_day(cycle, indicators, agency, agency_user, coordinator, answer):
    draft = answer(indicators[0], by=agency_user)
    pass_deadline(cycle)
    until_day = timezone.localdate() + datetime.timedelta(days=3)
    reopening = services.reopen_agency(
        cycle, agency, by=coordinator, until=until_day, reason="  Server sempat mati.  "
    )
    local_until = timezone.localtime(reopening.until)
    assert (local_until.date(), local_until.hour, local_until.minute) == (until_day, 23, 59)
    assert (reopening.reason, reopening.by, reopening.agency) == (
        "Server sempat mati.",
        coordinator,
        agency,
    )
    review = Review.objects.get()
    assert (review.submission, review.kind, review.note) == (
        draft,
        "reopened",
        "Server sempat mati.",
    )
    notification = Notification.objects.get()
    assert (notification.user, notification.url) == (
        agency_user,
        f"/isian/{cycle.pk}/opd/{agency.pk}/",
    )
    assert notification.text.startswith("Isian BKPSDM pada Monev SPBE 2026 dibuka kembali hingga ")
    assert AuditEvent.objects.filter(action="submission.agency_reopened").count() == 1


@pytest.mark.parametrize(
    ("until_days", "reason", "message"),
    [
        (2, "", "Tulis alasan pembukaan kembali."),
        (-1, "Alasan.", "Batas waktu pembukaan kembali harus setelah saat ini."),
    ],
)
def test_reopen_needs_a_reason_and_a_future_end(
    cycle, agency, coordinator, until_days, reason, message
):
    with pytest.raises(ValidationError) as error:
        services.reopen_agency(
            cycle,
            agency,
            by=coordinator,
            until=timezone.localdate() + datetime.timedelta(days=until_days),
            reason=reason,
        )
    assert messages_of(error) == [message]
    assert Reopening.objects.count() == 0


@pytest.mark.parametrize("persona", ["evaluator", "agency_user", "outsider"])
def test_only_the_coordinator_reopens(request, cycle, agency, persona):
    with pytest.raises(PermissionDenied):
        services.reopen_agency(
            cycle,
            agency,
            by=request.getfixturevalue(persona),
            until=timezone.localdate() + datetime.timedelta(days=2),
            reason="Alasan.",
        )
    assert Reopening.objects.count() == 0


# --- close_collection ---------------------------------------------------------------------


def test_close_collection_moves_the_clock_to_step_5(cycle, coordinator, evaluator):
    services.close_collection(cycle, by=coordinator)
    four, five = StepRun.objects.filter(cycle=cycle, number__in=[4, 5]).order_by("number")
    assert (four.status, four.output, four.finished_by) == (
        "done",
        "Isian dan data dukung OPD terkumpul",
        coordinator,
    )
    assert (five.status, five.holder, five.started_at is not None) == ("running", coordinator, True)
    notification = Notification.objects.get()
    assert (notification.user, notification.text) == (
        evaluator,
        "Pengumpulan isian OPD Monev SPBE 2026 ditutup; periksa isian OPD.",
    )
    with pytest.raises(ValidationError) as error:
        services.close_collection(cycle, by=coordinator)
    assert messages_of(error) == ["Pengumpulan isian sudah ditutup."]


def test_close_collection_before_dispatch_is_refused(cycle, coordinator):
    StepRun.objects.filter(cycle=cycle, number=4).update(status="waiting", started_at=None)
    with pytest.raises(ValidationError) as error:
        services.close_collection(cycle, by=coordinator)
    assert messages_of(error) == [
        "Langkah 4 belum dimulai: surat permohonan data belum dikirim ke OPD."
    ]


@pytest.mark.parametrize("persona", ["evaluator", "agency_user", "outsider"])
def test_only_the_coordinator_closes_the_collection(request, cycle, persona):
    with pytest.raises(PermissionDenied):
        services.close_collection(cycle, by=request.getfixturevalue(persona))
    assert StepRun.objects.get(cycle=cycle, number=4).status == "running"


# --- Bounded texts and repeated requests (issue 11) ------------------------------------------


def test_a_return_note_longer_than_the_limit_is_refused(submitted, coordinator):
    with pytest.raises(ValidationError) as error:
        services.return_submission(submitted, by=coordinator, note="x" * 5_001)
    assert messages_of(error) == [
        "Catatan untuk OPD terlalu panjang (paling banyak 5.000 karakter)."
    ]
    assert (Submission.objects.get().status, Review.objects.count()) == ("submitted", 1)


def test_returning_a_returned_answer_again_changes_nothing(submitted, coordinator, evaluator):
    services.return_submission(submitted, by=coordinator, note="Lampirkan Perwa.")
    services.return_submission(submitted, by=evaluator, note="Lampirkan Perwa.")
    assert Review.objects.filter(kind="returned").count() == 1
    assert Notification.objects.count() == 1
    assert AuditEvent.objects.filter(action="submission.returned").count() == 1


def test_a_reopening_reason_longer_than_the_limit_is_refused(cycle, agency, coordinator):
    until = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.reopen_agency(cycle, agency, by=coordinator, until=until, reason="x" * 5_001)
    assert messages_of(error) == ["Alasan terlalu panjang (paling banyak 5.000 karakter)."]
    assert Reopening.objects.count() == 0


def test_the_same_reopening_twice_is_one(cycle, agency, agency_user, coordinator):
    until = timezone.localdate() + datetime.timedelta(days=3)
    first = services.reopen_agency(cycle, agency, by=coordinator, until=until, reason="Mati.")
    again = services.reopen_agency(cycle, agency, by=coordinator, until=until, reason="Mati.")
    other = services.reopen_agency(cycle, agency, by=coordinator, until=until, reason="Lain.")
    assert (again, Reopening.objects.count()) == (first, 2)
    assert other != first
