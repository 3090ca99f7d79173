"""Findings and follow-ups through their services: permissions, messages, audit events,
notifications, and the carrying of open follow-ups into the next cycle."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cycles import services as cycle_services
from documents.formal import tanggal
from followups import services
from followups.models import Finding, FollowUp, FollowUpUpdate
from notifications.models import Notification

Kind = Finding.Kind
Status = FollowUp.Status


def messages_of(excinfo):
    return excinfo.value.messages


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- Findings -------------------------------------------------------------------------------


def test_coordinator_and_evaluator_add_findings_in_order(cycle, coordinator, evaluator, aspects):
    first = services.add_finding(
        cycle, by=coordinator, aspect=aspects[1], kind=Kind.STRENGTH, text="  Ada Perwa SPBE.  "
    )
    second = services.add_finding(
        cycle, by=evaluator, aspect=aspects[1], kind="kekuatan", text="Tim SPBE aktif."
    )
    other_list = services.add_finding(
        cycle, by=evaluator, aspect=aspects[1], kind=Kind.WEAKNESS, text="Belum ada peta rencana."
    )

    assert [(f.text, f.position) for f in (first, second, other_list)] == [
        ("Ada Perwa SPBE.", 0),
        ("Tim SPBE aktif.", 1),
        ("Belum ada peta rencana.", 0),
    ]
    event = events("finding.added")[0]
    assert (event.actor, event.cycle_id, event.target) == (
        coordinator,
        cycle.pk,
        f"followups.finding:{first.pk}",
    )
    assert event.after == {
        "aspect": aspects[1].number,
        "kind": "kekuatan",
        "text": "Ada Perwa SPBE.",
    }


@pytest.mark.parametrize("persona", ["supervisor", "leader", "agency_user", "outsider"])
def test_others_cannot_add_findings(request, cycle, aspects, persona):
    with pytest.raises(PermissionDenied):
        services.add_finding(
            cycle,
            by=request.getfixturevalue(persona),
            aspect=aspects[0],
            kind=Kind.STRENGTH,
            text="Teks.",
        )
    assert Finding.objects.count() == 0


def test_add_finding_refuses_bad_input(cycle, coordinator, aspects, framework):
    indicator = framework.nodes.filter(children__isnull=True).first()
    old_aspect = (
        type(framework)
        .objects.get(code="spbe-2018")
        .nodes.filter(kind="aspect")
        .order_by("position")
        .first()
    )

    def attempt(**kwargs):
        values = {"aspect": aspects[0], "kind": Kind.STRENGTH, "text": "Teks."} | kwargs
        with pytest.raises(ValidationError) as excinfo:
            services.add_finding(cycle, by=coordinator, **values)
        return messages_of(excinfo)

    assert attempt(aspect=indicator) == ["Aspek bukan bagian dari kerangka periode ini."]
    assert attempt(aspect=old_aspect) == ["Aspek bukan bagian dari kerangka periode ini."]
    assert attempt(kind="catatan") == ["Jenis temuan tidak dikenal."]
    assert attempt(text="  \n ") == ["Tulis uraian temuan."]
    assert attempt(text="x" * 5001) == ["Uraian terlalu panjang (paling banyak 5.000 karakter)."]
    assert Finding.objects.count() == 0


def test_update_finding_keeps_before_and_after(cycle, evaluator, supervisor, recommendation):
    services.update_finding(recommendation, by=evaluator, text="Tetapkan Perwa Arsitektur SPBE.")

    with pytest.raises(PermissionDenied):
        services.update_finding(recommendation, by=supervisor, text="Lain.")
    with pytest.raises(ValidationError) as excinfo:
        services.update_finding(recommendation, by=evaluator, text="")

    recommendation.refresh_from_db()
    assert recommendation.text == "Tetapkan Perwa Arsitektur SPBE."
    assert messages_of(excinfo) == ["Tulis uraian temuan."]
    event = events("finding.updated")[0]
    assert (event.before, event.after) == (
        {"text": "Tetapkan Peraturan Wali Kota tentang Arsitektur SPBE."},
        {"text": "Tetapkan Perwa Arsitektur SPBE."},
    )


def test_delete_finding_is_audited(cycle, coordinator, agency_user, aspects):
    finding = services.add_finding(
        cycle, by=coordinator, aspect=aspects[2], kind=Kind.WEAKNESS, text="Belum ada SOP."
    )
    target = f"followups.finding:{finding.pk}"

    with pytest.raises(PermissionDenied):
        services.delete_finding(finding, by=agency_user)
    services.delete_finding(finding, by=coordinator)

    assert Finding.objects.count() == 0
    event = events("finding.deleted")[0]
    assert (event.target, event.cycle_id, event.before) == (
        target,
        cycle.pk,
        {"aspect": aspects[2].number, "kind": "kelemahan", "text": "Belum ada SOP."},
    )


def test_a_recommendation_with_a_follow_up_cannot_be_deleted(coordinator, follow_up):
    with pytest.raises(ValidationError) as excinfo:
        services.delete_finding(follow_up.recommendation, by=coordinator)

    assert messages_of(excinfo) == [
        "Rekomendasi ini sudah dijadikan tindak lanjut dan tidak dapat dihapus; batalkan "
        "tindak lanjutnya atau ubah uraiannya."
    ]
    assert Finding.objects.count() == 1


# --- Creating follow-ups --------------------------------------------------------------------


def test_create_follow_up_from_a_recommendation_notifies_the_opd(
    cycle, coordinator, recommendation, agency, agency_user, other_agency_user, due
):
    follow_up = services.create_follow_up(
        recommendation, by=coordinator, agency=agency, due_date=due
    )

    assert (follow_up.cycle, follow_up.agency, follow_up.status, follow_up.due_date) == (
        cycle,
        agency,
        Status.OPEN,
        due,
    )
    assert follow_up.description == "Tetapkan Peraturan Wali Kota tentang Arsitektur SPBE."
    assert follow_up.carried_to is None
    notes = [(n.user.username, n.text, n.url) for n in Notification.objects.select_related("user")]
    assert notes == [
        (
            "opd-bkpsdm",
            "Tindak lanjut baru untuk BKPSDM dari Monev SPBE 2026: Tetapkan Peraturan Wali Kota "
            f"tentang Arsitektur SPBE. Batas waktu {tanggal(due)}.",
            reverse("follow_up_detail", args=[follow_up.pk]),
        )
    ]
    event = events("followup.created")[0]
    assert (event.actor, event.cycle_id, event.after) == (
        coordinator,
        cycle.pk,
        {
            "recommendation": recommendation.pk,
            "agency": "BKPSDM",
            "due_date": due.isoformat(),
            "status": "terbuka",
        },
    )


def test_create_follow_up_takes_a_written_description(
    coordinator, recommendation, other_agency, due
):
    follow_up = services.create_follow_up(
        recommendation,
        by=coordinator,
        agency=other_agency,
        due_date=timezone.localdate(),
        description="Susun draf Perwa bersama Bagian Hukum.",
    )

    assert follow_up.description == "Susun draf Perwa bersama Bagian Hukum."
    assert follow_up.due_date == timezone.localdate()


@pytest.mark.parametrize("persona", ["evaluator", "supervisor", "agency_user", "outsider"])
def test_only_the_coordinator_creates_follow_ups(request, recommendation, agency, due, persona):
    with pytest.raises(PermissionDenied):
        services.create_follow_up(
            recommendation, by=request.getfixturevalue(persona), agency=agency, due_date=due
        )
    assert FollowUp.objects.count() == 0


def test_create_follow_up_refuses_bad_input(
    cycle, coordinator, recommendation, aspects, agency, foreign_agency, due
):
    strength = services.add_finding(
        cycle, by=coordinator, aspect=aspects[0], kind=Kind.STRENGTH, text="Ada Perwa."
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def attempt(finding=recommendation, **kwargs):
        values = {"agency": agency, "due_date": due} | kwargs
        with pytest.raises(ValidationError) as excinfo:
            services.create_follow_up(finding, by=coordinator, **values)
        return messages_of(excinfo)

    assert attempt(strength) == ["Hanya rekomendasi yang dapat dijadikan tindak lanjut."]
    assert attempt(agency=foreign_agency) == ["Pilih OPD instansi ini."]
    assert attempt(agency=None) == ["Pilih OPD instansi ini."]
    assert attempt(due_date=None) == ["Isi batas waktu tindak lanjut."]
    assert attempt(due_date=yesterday) == [
        f"Batas waktu tidak boleh sebelum hari ini ({tanggal(timezone.localdate())})."
    ]
    services.create_follow_up(recommendation, by=coordinator, agency=agency, due_date=due)
    later = due + datetime.timedelta(days=1)
    assert attempt(due_date=later) == ["Rekomendasi ini sudah menjadi tindak lanjut BKPSDM."]
    assert attempt(description="Lain.") == ["Rekomendasi ini sudah menjadi tindak lanjut BKPSDM."]
    assert FollowUp.objects.count() == 1


# --- Updating follow-ups --------------------------------------------------------------------


def test_the_same_update_again_is_recorded_once(follow_up, agency_user):
    for _ in range(2):
        services.update_follow_up(
            follow_up, by=agency_user, status=Status.IN_PROGRESS, note="Draf Perwa disusun."
        )

    assert FollowUpUpdate.objects.count() == 1
    assert len(events("followup.updated")) == 1


def test_the_opd_operator_reports_progress(follow_up, agency_user, coordinator):
    services.update_follow_up(
        follow_up, by=agency_user, status=Status.IN_PROGRESS, note="Draf Perwa di Bagian Hukum."
    )
    services.update_follow_up(
        follow_up, by=agency_user, status="dalam proses", note="Harmonisasi dijadwalkan."
    )

    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.progress_note, follow_up.closed_at) == (
        Status.IN_PROGRESS,
        "Harmonisasi dijadwalkan.",
        None,
    )
    assert list(
        FollowUpUpdate.objects.values_list("status_before", "status_after", "note", "by")
    ) == [
        ("terbuka", "dalam proses", "Draf Perwa di Bagian Hukum.", agency_user.pk),
        ("dalam proses", "dalam proses", "Harmonisasi dijadwalkan.", agency_user.pk),
    ]
    event = events("followup.updated")[0]
    assert (event.actor, event.before, event.after, event.reason) == (
        agency_user,
        {"status": "terbuka"},
        {"status": "dalam proses"},
        "Draf Perwa di Bagian Hukum.",
    )
    # Only "done" notifies the coordinator.
    assert Notification.objects.filter(user=coordinator).count() == 0


def test_done_notifies_the_coordinators_and_closes(follow_up, agency_user, coordinator):
    services.update_follow_up(follow_up, by=agency_user, status=Status.DONE, note="Perwa terbit.")

    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_by) == (Status.DONE, agency_user)
    assert follow_up.closed_at is not None
    assert [(n.text, n.url) for n in Notification.objects.filter(user=coordinator)] == [
        (
            "BKPSDM menyelesaikan tindak lanjut: Tetapkan Peraturan Wali Kota tentang "
            "Arsitektur SPBE.",
            reverse("follow_up_detail", args=[follow_up.pk]),
        )
    ]


@pytest.mark.parametrize("persona", ["other_agency_user", "evaluator", "supervisor", "outsider"])
def test_others_cannot_update_a_follow_up(request, follow_up, persona):
    with pytest.raises(PermissionDenied):
        services.update_follow_up(
            follow_up, by=request.getfixturevalue(persona), status=Status.IN_PROGRESS, note="x"
        )
    assert FollowUpUpdate.objects.count() == 0


def test_only_the_coordinator_drops_a_follow_up_with_a_reason(follow_up, agency_user, coordinator):
    with pytest.raises(PermissionDenied):
        services.update_follow_up(follow_up, by=agency_user, status=Status.DROPPED, note="x")
    with pytest.raises(ValidationError) as no_reason:
        services.update_follow_up(follow_up, by=coordinator, status=Status.DROPPED, note=" ")
    services.update_follow_up(
        follow_up, by=coordinator, status=Status.DROPPED, note="Digabung dengan rekomendasi 2."
    )

    follow_up.refresh_from_db()
    assert messages_of(no_reason) == ["Tulis alasan pembatalan tindak lanjut."]
    assert (follow_up.status, follow_up.closed_by) == (Status.DROPPED, coordinator)
    assert events("followup.updated")[0].reason == "Digabung dengan rekomendasi 2."


def test_closed_follow_ups_are_reopened_only_by_the_coordinator(
    follow_up, agency_user, coordinator
):
    services.update_follow_up(follow_up, by=agency_user, status=Status.DONE, note="")

    with pytest.raises(ValidationError) as by_operator:
        services.update_follow_up(follow_up, by=agency_user, status=Status.IN_PROGRESS, note="")
    with pytest.raises(ValidationError) as same_status:
        services.update_follow_up(follow_up, by=coordinator, status=Status.DONE, note="Lagi.")
    services.update_follow_up(
        follow_up, by=coordinator, status=Status.IN_PROGRESS, note="Perwa belum diundangkan."
    )

    follow_up.refresh_from_db()
    assert messages_of(by_operator) == [
        "Tindak lanjut ini sudah ditutup; hubungi koordinator untuk membukanya kembali."
    ]
    assert messages_of(same_status) == ["Tindak lanjut ini sudah ditutup."]
    assert (follow_up.status, follow_up.closed_at, follow_up.closed_by) == (
        Status.IN_PROGRESS,
        None,
        None,
    )


def test_update_follow_up_refuses_no_change_and_unknown_status(follow_up, agency_user):
    with pytest.raises(ValidationError) as no_change:
        services.update_follow_up(follow_up, by=agency_user, status=Status.OPEN, note="")
    with pytest.raises(ValidationError) as unknown:
        services.update_follow_up(follow_up, by=agency_user, status="tertunda", note="")

    assert messages_of(no_change) == [
        "Tidak ada perubahan: pilih status lain atau tulis catatan kemajuan."
    ]
    assert messages_of(unknown) == ["Status tindak lanjut tidak dikenal."]
    assert FollowUpUpdate.objects.count() == 0


# --- Carrying follow-ups into the next cycle ------------------------------------------------


@pytest.fixture
def four_follow_ups(cycle, coordinator, aspects, agency, other_agency, agency_user, due):
    """Open, in progress, done and dropped follow-ups of the 2026 cycle."""
    rows = []
    for number, status in enumerate(Status.values):
        finding = services.add_finding(
            cycle,
            by=coordinator,
            aspect=aspects[number],
            kind=Kind.RECOMMENDATION,
            text=f"Rekomendasi {number + 1}.",
        )
        follow_up = services.create_follow_up(finding, by=coordinator, agency=agency, due_date=due)
        if status != Status.OPEN:
            services.update_follow_up(follow_up, by=coordinator, status=status, note="Catatan.")
        rows.append(follow_up)
    return rows


def next_year(cycle, coordinator, year=2027):
    return cycle_services.copy_cycle(
        cycle,
        by=coordinator,
        year=year,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


def test_opening_next_years_cycle_carries_the_open_follow_ups(cycle, coordinator, four_follow_ups):
    opened, in_progress, done, dropped = four_follow_ups

    later = next_year(cycle, coordinator)

    carried = {f.pk: f.carried_to_id for f in FollowUp.objects.all()}
    assert carried == {
        opened.pk: later.pk,
        in_progress.pk: later.pk,
        done.pk: None,
        dropped.pk: None,
    }
    event = events("followup.carried")[0]
    assert (event.actor, event.cycle_id, event.after) == (
        coordinator,
        later.pk,
        {"count": 2, "follow_ups": [opened.pk, in_progress.pk]},
    )


def test_carry_moves_on_to_the_latest_cycle_and_is_idempotent(
    cycle, coordinator, four_follow_ups, agency_user
):
    opened, in_progress, _done, _dropped = four_follow_ups
    in_2027 = next_year(cycle, coordinator)
    services.update_follow_up(in_progress, by=agency_user, status=Status.DONE, note="Selesai.")

    in_2028 = next_year(in_2027, coordinator, year=2028)
    again = services.carry_follow_ups(in_2028, by=coordinator)

    in_progress.refresh_from_db()
    opened.refresh_from_db()
    assert (opened.carried_to, in_progress.carried_to) == (in_2028, in_2027)
    assert again == 0
    assert len(events("followup.carried")) == 2


def test_a_cycle_opened_for_an_earlier_year_carries_nothing(cycle, coordinator, four_follow_ups):
    earlier = next_year(cycle, coordinator, year=2025)

    assert services.carry_follow_ups(earlier, by=coordinator) == 0
    assert FollowUp.objects.filter(carried_to__isnull=False).count() == 0


def test_carry_follow_ups_is_for_the_coordinator(cycle, evaluator, outsider):
    for user in (evaluator, outsider):
        with pytest.raises(PermissionDenied):
            services.carry_follow_ups(cycle, by=user)


def test_the_same_finding_twice_is_one(cycle, coordinator, aspects):
    first = services.add_finding(
        cycle, by=coordinator, aspect=aspects[0], kind=Kind.WEAKNESS, text="Belum ada Perwa."
    )
    again = services.add_finding(
        cycle, by=coordinator, aspect=aspects[0], kind=Kind.WEAKNESS, text="Belum ada Perwa.\r\n"
    )
    elsewhere = services.add_finding(
        cycle, by=coordinator, aspect=aspects[1], kind=Kind.WEAKNESS, text="Belum ada Perwa."
    )
    assert (again, Finding.objects.count()) == (first, 2)
    assert (first.position, elsewhere.position) == (0, 0)


def test_the_same_follow_up_twice_is_one(recommendation, coordinator, agency, due):
    first = services.create_follow_up(recommendation, by=coordinator, agency=agency, due_date=due)
    again = services.create_follow_up(recommendation, by=coordinator, agency=agency, due_date=due)
    assert (again, FollowUp.objects.count()) == (first, 1)


def test_a_finding_and_a_note_longer_than_the_limit_are_refused(
    cycle, coordinator, aspects, follow_up
):
    with pytest.raises(ValidationError) as excinfo:
        services.add_finding(
            cycle, by=coordinator, aspect=aspects[0], kind=Kind.WEAKNESS, text="x" * 5_001
        )
    assert messages_of(excinfo) == ["Uraian terlalu panjang (paling banyak 5.000 karakter)."]
    with pytest.raises(ValidationError) as excinfo:
        services.update_follow_up(
            follow_up, by=coordinator, status="dalam proses", note="x" * 5_001
        )
    assert messages_of(excinfo) == ["Catatan terlalu panjang (paling banyak 5.000 karakter)."]
