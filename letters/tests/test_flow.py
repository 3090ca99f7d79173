"""SOP steps 1-3 through the services: statuses, step runs, dispositions, receipts, mail."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from cycles.models import StepRun
from letters import services
from letters.models import Disposition, Letter, Receipt
from notifications.models import Notification


def step_states(cycle):
    return {
        run.number: (run.status, run.output, run.holder.username if run.holder else None)
        for run in StepRun.objects.filter(cycle=cycle, number__lte=4).select_related("holder")
    }


def test_drafted_letters_have_default_texts(cycle, drafted, agency, other_agency):
    invitation, data_request = drafted
    assert [invitation.kind, data_request.kind] == ["undangan", "permohonan_data"]
    assert [invitation.status, data_request.status] == ["draft", "draft"]
    assert invitation.subject == "Undangan Pelaksanaan Evaluasi SPBE Tahun 2026"
    assert data_request.subject == "Permohonan Data Evaluasi SPBE Tahun 2026"
    assert data_request.attachment == "1 (satu) berkas"
    for letter in drafted:
        assert "Tahun 2026" in letter.body
        assert "Nomor 59 Tahun 2020" in letter.body
        assert "paling lambat tanggal 15 Desember 2026" in letter.body
        assert "Rina Koordinator, telepon 0812-5600-1234" in letter.body
        assert list(letter.recipients.all()) == [agency, other_agency]
        assert letter.carbon_copy_lines == [
            "Wali Kota Pontianak (sebagai laporan)",
            "Sekretaris Daerah Kota Pontianak",
        ]
        assert (letter.signer_name, letter.signer_title, letter.signer_nip) == (
            "[Nama Kepala Dinas Komunikasi dan Informatika]",
            "Kepala Dinas Komunikasi dan Informatika Kota Pontianak",
            "",
        )
    assert AuditEvent.objects.filter(action="letter.drafted").count() == 2


def test_drafted_letters_use_the_institutions_signer(institution, cycle, coordinator):
    institution.signer_name = "Ir. H. Rizal, M.T."
    institution.signer_title = "Kepala Dinas Komunikasi dan Informatika"
    institution.signer_nip = "19700101 199503 1 001"
    institution.save()
    cycle.refresh_from_db()
    invitation, _data_request = services.draft_cycle_letters(cycle, by=coordinator)
    assert (invitation.signer_name, invitation.signer_title, invitation.signer_nip) == (
        "Ir. H. Rizal, M.T.",
        "Kepala Dinas Komunikasi dan Informatika",
        "19700101 199503 1 001",
    )


def test_drafting_twice_is_refused(cycle, drafted, coordinator):
    with pytest.raises(ValidationError) as error:
        services.draft_cycle_letters(cycle, by=coordinator)
    assert error.value.messages == ["Surat undangan dan permohonan data periode ini sudah dibuat."]
    assert Letter.objects.filter(cycle=cycle).count() == 2


def test_the_whole_flow(
    cycle, drafted, coordinator, supervisor, secretariat, agency_user, other_agency_user
):
    invitation, data_request = drafted
    assert step_states(cycle) == {
        1: ("running", "", "koordinator"),
        2: ("waiting", "", None),
        3: ("waiting", "", None),
        4: ("waiting", "", None),
    }

    services.submit_letter(invitation, by=coordinator)
    assert invitation.status == "submitted"
    assert step_states(cycle)[1] == ("running", "", "koordinator")
    services.submit_letter(data_request, by=coordinator)
    assert step_states(cycle) == {
        1: ("done", "Surat undangan dan permohonan data (draf)", "koordinator"),
        2: ("running", "", "kabid"),
        3: ("waiting", "", None),
        4: ("waiting", "", None),
    }
    assert Notification.objects.filter(user=supervisor).count() == 2

    services.dispose_letter(
        invitation, by=supervisor, approve=True, instruction="Proses", addressed_to="Sekretaris"
    )
    assert step_states(cycle)[2] == ("running", "", "kabid")
    services.dispose_letter(data_request, by=supervisor, approve=True)
    assert [invitation.status, data_request.status] == ["approved", "approved"]
    assert step_states(cycle) == {
        1: ("done", "Surat undangan dan permohonan data (draf)", "koordinator"),
        2: ("done", "Surat telah didisposisikan", "kabid"),
        3: ("running", "", "sekretariat"),
        4: ("waiting", "", None),
    }
    assert Notification.objects.filter(user=secretariat).count() == 2
    round_one = invitation.dispositions.get()
    assert (round_one.round, round_one.verdict, round_one.instruction) == (1, "approved", "Proses")
    assert (round_one.addressed_to, round_one.decided_by) == ("Sekretaris", supervisor)

    for letter in drafted:
        services.number_letter(letter, by=secretariat)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert [(letter.number, letter.sequence, letter.letter_date) for letter in drafted] == [
        (f"005/1/DISKOMINFO/{today.year}", 1, today),
        (f"005/2/DISKOMINFO/{today.year}", 2, today),
    ]
    assert [letter.status for letter in drafted] == ["numbered", "numbered"]

    services.record_signature(invitation, by=secretariat, internal_approval=True)
    assert (invitation.status, invitation.signature) == ("signed", "internal")
    services.record_signature(data_request, by=secretariat, internal_approval=True)

    services.dispatch_letter(invitation, by=secretariat)
    assert step_states(cycle)[3] == ("running", "", "sekretariat")
    services.dispatch_letter(data_request, by=secretariat)
    assert [invitation.status, data_request.status] == ["dispatched", "dispatched"]
    assert step_states(cycle) == {
        1: ("done", "Surat undangan dan permohonan data (draf)", "koordinator"),
        2: ("done", "Surat telah didisposisikan", "kabid"),
        3: ("done", "Surat ditandatangani dan dikirim ke OPD", "sekretariat"),
        4: ("running", "", None),
    }
    assert sorted(
        Receipt.objects.filter(letter=data_request).values_list("agency__short_name", flat=True)
    ) == ["BKPSDM", "Dinkes"]
    assert Notification.objects.filter(user=agency_user).count() == 2
    assert Notification.objects.filter(user=other_agency_user).count() == 2
    assert list(
        AuditEvent.objects.filter(target=f"letters.letter:{invitation.pk}")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "letter.drafted",
        "letter.submitted",
        "letter.approved",
        "letter.numbered",
        "letter.signed",
        "letter.dispatched",
    ]


def test_numbers_follow_the_institutions_format_and_year(
    institution, drafted, to_status, secretariat
):
    institution.letter_number_format = "800/{seq:03d}/Diskominfo-TKPBET/{year}"
    institution.save()
    invitation, data_request = drafted
    for letter in drafted:
        letter.cycle.institution = institution
        to_status(letter, "approved")
    services.number_letter(data_request, by=secretariat)
    services.number_letter(invitation, by=secretariat)
    year = timezone.localdate().year
    assert data_request.number == f"800/001/Diskominfo-TKPBET/{year}"
    assert invitation.number == f"800/002/Diskominfo-TKPBET/{year}"


def test_letter_date_is_today_in_the_institutions_time_zone(
    institution, letter, to_status, secretariat, monkeypatch
):
    institution.time_zone = "Asia/Jayapura"
    institution.save()
    letter.cycle.institution = institution
    to_status(letter, "approved")
    # 16:30 UTC on 31 December is already 1 January in Jayapura (UTC+9).
    moment = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    services.number_letter(letter, by=secretariat)
    assert (letter.letter_date, letter.number) == (
        datetime.date(2027, 1, 1),
        "005/1/DISKOMINFO/2027",
    )


def test_return_with_note_then_resubmit_keeps_every_round(
    cycle, drafted, coordinator, supervisor, to_status
):
    invitation, data_request = drafted
    to_status(invitation, "submitted")
    to_status(data_request, "submitted")
    services.dispose_letter(
        data_request, by=supervisor, approve=False, note="Lampirkan daftar indikator per OPD."
    )
    assert data_request.status == "returned"
    assert step_states(cycle)[2] == ("running", "", "koordinator")
    returned = Notification.objects.get(user=coordinator)
    assert returned.text == (
        "Surat Permohonan Data “Permohonan Data Evaluasi SPBE Tahun 2026” dikembalikan Kabid: "
        "Lampirkan daftar indikator per OPD."
    )
    assert returned.url == f"/surat/{data_request.pk}/"

    services.update_letter(
        data_request,
        by=coordinator,
        subject="Permohonan Data Evaluasi SPBE Tahun 2026 (perbaikan)",
        body=data_request.body,
        nature="Penting",
        attachment="1 (satu) berkas",
        carbon_copies=["Wali Kota Pontianak (sebagai laporan)"],
        signer_name=data_request.signer_name,
        signer_title=data_request.signer_title,
    )
    services.submit_letter(data_request, by=coordinator)
    assert step_states(cycle)[2] == ("running", "", "kabid")
    services.dispose_letter(data_request, by=supervisor, approve=True, instruction="Lanjutkan")
    rounds = list(
        Disposition.objects.filter(letter=data_request).values_list(
            "round", "verdict", "note", "instruction"
        )
    )
    assert rounds == [
        (1, "returned", "Lampirkan daftar indikator per OPD.", ""),
        (2, "approved", "", "Lanjutkan"),
    ]
    data_request.refresh_from_db()
    assert (data_request.status, data_request.subject, data_request.nature) == (
        "approved",
        "Permohonan Data Evaluasi SPBE Tahun 2026 (perbaikan)",
        "Penting",
    )
    assert data_request.carbon_copy_lines == ["Wali Kota Pontianak (sebagai laporan)"]
    # The invitation is still waiting, so step 2 goes on.
    assert step_states(cycle)[2] == ("running", "", "kabid")


def test_return_without_a_note_is_refused(letter, supervisor, to_status):
    to_status(letter, "submitted")
    with pytest.raises(ValidationError) as error:
        services.dispose_letter(letter, by=supervisor, approve=False, note="  ")
    assert error.value.messages == ["Tuliskan catatan untuk koordinator saat mengembalikan surat."]
    letter.refresh_from_db()
    assert letter.status == "submitted"
    assert list(letter.dispositions.values_list("verdict", flat=True)) == [""]


def test_disposing_twice_is_refused(letter, supervisor, to_status):
    to_status(letter, "approved")
    with pytest.raises(ValidationError) as error:
        services.dispose_letter(letter, by=supervisor, approve=False, note="Terlambat")
    assert error.value.messages == ["Surat ini tidak sedang menunggu disposisi."]


def test_edit_after_numbering_is_refused(letter, coordinator, to_status):
    to_status(letter, "numbered")
    with pytest.raises(ValidationError) as error:
        services.update_letter(
            letter,
            by=coordinator,
            subject="Hal lain",
            body="Isi lain",
            nature="Biasa",
            attachment="-",
            carbon_copies="",
            signer_name="A",
            signer_title="B",
        )
    assert error.value.messages == ["Surat yang sudah bernomor tidak dapat diubah."]
    letter.refresh_from_db()
    assert letter.subject == "Permohonan Data Evaluasi SPBE Tahun 2026"


def test_edit_while_waiting_for_disposition_is_refused(letter, coordinator, to_status):
    to_status(letter, "submitted")
    with pytest.raises(ValidationError) as error:
        services.update_letter(
            letter,
            by=coordinator,
            subject="Hal lain",
            body="Isi",
            nature="Biasa",
            attachment="",
            carbon_copies="",
            signer_name="A",
            signer_title="B",
        )
    assert error.value.messages == [
        "Surat hanya dapat diubah selagi berstatus draf atau dikembalikan."
    ]


def test_edit_without_a_subject_is_refused(letter, coordinator):
    with pytest.raises(ValidationError) as error:
        services.update_letter(
            letter,
            by=coordinator,
            subject=" ",
            body="Isi",
            nature="Biasa",
            attachment="",
            carbon_copies="",
            signer_name="A",
            signer_title="B",
        )
    assert error.value.messages == ["Lengkapi hal."]


def test_numbering_twice_is_refused(letter, secretariat, to_status):
    to_status(letter, "numbered")
    with pytest.raises(ValidationError) as error:
        services.number_letter(letter, by=secretariat)
    assert error.value.messages == ["Surat ini sudah bernomor."]
    assert letter.sequence == 1


def test_numbering_before_disposition_is_refused(letter, secretariat, to_status):
    to_status(letter, "submitted")
    with pytest.raises(ValidationError) as error:
        services.number_letter(letter, by=secretariat)
    assert error.value.messages == ["Surat belum didisposisikan Kabid."]


def test_dispatch_without_signature_is_refused(letter, secretariat, to_status):
    to_status(letter, "numbered")
    with pytest.raises(ValidationError) as error:
        services.dispatch_letter(letter, by=secretariat)
    assert error.value.messages == ["Surat belum ditandatangani."]
    letter.refresh_from_db()
    assert (letter.status, letter.receipts.count()) == ("numbered", 0)


def test_dispatch_twice_is_refused(letter, secretariat, to_status):
    to_status(letter, "dispatched")
    with pytest.raises(ValidationError) as error:
        services.dispatch_letter(letter, by=secretariat)
    assert error.value.messages == ["Surat ini sudah dikirim."]
    assert letter.receipts.count() == 2


def test_dispatch_emails_each_opds_operators_with_their_indicators(
    cycle,
    letter,
    to_status,
    agency,
    agency_user,
    other_agency_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    to_status(letter, "signed")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        to_status(letter, "dispatched")
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "operator.bkpsdm@pontianak.go.id",
        "operator.dinkes@pontianak.go.id",
    ]
    indicators = [
        f"{a.indicator.number}. {a.indicator.name}"
        for a in cycle.assignments.filter(agency=agency)
        .select_related("indicator")
        .order_by("indicator__position")
    ]
    assert indicators  # BKPSDM answers the HR indicators
    mail = next(m for m in mailoutbox if m.to == ["operator.bkpsdm@pontianak.go.id"])
    note = Notification.objects.get(user=agency_user)
    assert note.text == (
        f"Surat Permohonan Data nomor {letter.number} “Permohonan Data Evaluasi SPBE Tahun "
        "2026” dari Pemerintah Kota Pontianak telah dikirim ke Badan Kepegawaian dan "
        "Pengembangan Sumber Daya Manusia. Batas waktu pengisian: 15 Desember 2026. "
        f"Indikator yang harus dijawab OPD Anda ({len(indicators)}): {'; '.join(indicators)}."
    )
    assert note.text in mail.body
    assert f"/surat/{letter.pk}/" in mail.body


def test_an_operator_opening_the_letter_is_recorded_once(
    letter, to_status, agency, agency_user, other_agency_user
):
    to_status(letter, "dispatched")
    assert services.mark_letter_opened(letter, by=agency_user) == 1
    receipt = letter.receipts.get(agency=agency)
    first = receipt.opened_at
    assert (receipt.opened_by, first is not None) == (agency_user, True)
    assert services.mark_letter_opened(letter, by=agency_user) == 0
    receipt.refresh_from_db()
    assert receipt.opened_at == first
    assert list(
        letter.receipts.filter(opened_at__isnull=True).values_list("agency__short_name", flat=True)
    ) == ["Dinkes"]
    assert AuditEvent.objects.filter(action="letter.opened").count() == 1
