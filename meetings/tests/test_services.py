"""The meeting's services: each transition, who may do it, the messages, the audit trail,
the SOP clock (step 5 → 6) and the invitation letter's way through the letters' flow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from cycles import services as cycle_services
from cycles import team
from cycles.models import StepRun, TeamMember
from institutions.models import Agency, Role
from letters import services as letter_services
from letters.models import Letter, Receipt
from meetings import queries, services
from meetings.models import Attendee, Meeting, MeetingEquipment
from meetings.tests.conftest import PLACE, STARTS_AT
from meetings.texts import invitation_texts
from monev.testing import make_user
from notifications.models import Notification
from sops.services import SHIPPED_SOPS, load_sop_file


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def messages_of(user):
    return [n.text for n in Notification.objects.filter(user=user).order_by("pk")]


def message_text(error):
    return " ".join(error.value.messages)


def rows(meeting):
    return [
        (row.name, row.position, row.unit_name, row.invited)
        for row in queries.attendance_rows(meeting)
    ]


def steps(cycle):
    return {
        run.number: (run.status, run.holder_id, run.output)
        for run in StepRun.objects.filter(cycle=cycle)
    }


# --- schedule_meeting ----------------------------------------------------------------------


def test_schedule_creates_the_meeting_with_the_sops_equipment_and_the_invitees(
    meeting, cycle, coordinator
):
    assert meeting.cycle == cycle
    assert meeting.starts_at == STARTS_AT
    assert meeting.duration_minutes == 180
    assert meeting.ends_at == STARTS_AT + datetime.timedelta(hours=3)
    assert meeting.place == PLACE
    assert meeting.scheduled_by == coordinator
    assert meeting.started_at is None
    assert [line.name for line in queries.equipment_of(meeting)] == [
        "Komputer",
        "Printer",
        "Internet",
        "Alat Tulis Kantor",
        "TV",
        "Proyektor",
    ]
    # The city team first (the secretariat runs the desk, not invited), then each OPD.
    assert rows(meeting) == [
        ("Budi Kabid", "Kabid. TKPBET", "", True),
        ("Eko Evaluator", "Tim SPBE Kota Pontianak", "", True),
        ("Rina Koordinator", "Kasi. PK&AI", "", True),
        ("Sekretaris Daerah", "Setda", "", True),
        (
            "Operator BKPSDM",
            "Operator OPD",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            True,
        ),
        ("Operator Dinkes", "Operator OPD", "Dinas Kesehatan", True),
    ]
    [event] = events("meeting.scheduled")
    assert event.actor == coordinator
    assert event.cycle_id == cycle.pk
    assert event.target == f"meetings.meeting:{meeting.pk}"
    assert event.after == {
        "starts_at": "2026-12-07T09:00:00+07:00",
        "duration_minutes": 180,
        "place": PLACE,
        "agenda": "",
        "attendees": 6,
        "equipment": ["Komputer", "Printer", "Internet", "Alat Tulis Kantor", "TV", "Proyektor"],
    }


def test_schedule_notifies_the_invited_city_team(meeting, staff, agency_user):
    expected = (
        "Rapat koordinasi Monev SPBE 2026 dijadwalkan: Senin, 7 Desember 2026 pukul 09.00 WIB, "
        "Ruang Rapat Pontive Center."
    )
    for name in ("supervisor", "evaluator", "leader"):
        assert messages_of(staff[name]) == [expected]
    assert messages_of(staff["coordinator"]) == []  # the one who scheduled it
    assert messages_of(staff["secretariat"]) == []
    assert messages_of(agency_user) == []  # OPDs get the official invitation letter


def test_a_person_with_two_roles_is_invited_once_under_the_senior_one(cycle, coordinator):
    both = make_user(
        cycle.institution, "ganda", Role.EVALUATOR, Role.SUPERVISOR, full_name="Dewi Ganda"
    )
    both.position = "Kepala Bidang TKPBET"
    both.save()
    meeting = services.schedule_meeting(cycle, by=coordinator, starts_at=STARTS_AT, place=PLACE)
    row = meeting.attendees.get(user=both)
    assert (row.position, row.unit) == ("Kepala Bidang TKPBET", "Kabid. TKPBET")


def test_an_opd_without_an_operator_gets_a_representative_row(cycle, coordinator, institution):
    inspectorate = Agency.objects.create(
        institution=institution, name="Inspektorat Daerah", short_name="Inspektorat"
    )
    cycle.agencies.add(inspectorate)
    meeting = services.schedule_meeting(cycle, by=coordinator, starts_at=STARTS_AT, place=PLACE)
    row = meeting.attendees.get(agency=inspectorate)
    assert (row.name, row.user, row.invited) == ("Perwakilan Inspektorat", None, True)


def test_equipment_comes_from_the_sop_or_the_default_list(other_institution):
    pangkalpinang, _ = load_sop_file(SHIPPED_SOPS["pangkalpinang"], institution=other_institution)
    assert queries.equipment_from_sop(pangkalpinang) == ["Komputer", "Printer", "Internet"]
    pangkalpinang.steps.filter(number=6).update(requirements="Surat Undangan Rapat, dll")
    assert queries.equipment_from_sop(pangkalpinang) == [
        "Komputer",
        "Printer",
        "TV",
        "Proyektor",
        "Internet",
    ]


def test_reschedule_records_before_and_after_and_notifies_again(meeting, cycle, coordinator, staff):
    later = STARTS_AT + datetime.timedelta(days=1, hours=4)
    services.schedule_meeting(
        cycle, by=coordinator, starts_at=later, place="Aula Kantor Wali Kota", agenda="Rapat."
    )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place, meeting.agenda) == (
        later,
        "Aula Kantor Wali Kota",
        "Rapat.",
    )
    [event] = events("meeting.rescheduled")
    assert event.before == {
        "starts_at": "2026-12-07T09:00:00+07:00",
        "duration_minutes": 180,
        "place": PLACE,
        "agenda": "",
    }
    assert event.after == {
        "starts_at": "2026-12-08T13:00:00+07:00",
        "duration_minutes": 180,
        "place": "Aula Kantor Wali Kota",
        "agenda": "Rapat.",
        "attendees_added": 0,
        "invitation_detached": None,
    }
    assert messages_of(staff["evaluator"])[-1] == (
        "Jadwal rapat koordinasi Monev SPBE 2026 diubah: Selasa, 8 Desember 2026 pukul 13.00 "
        "WIB, Aula Kantor Wali Kota."
    )
    assert Meeting.objects.count() == 1


def test_reschedule_without_a_change_records_nothing(meeting, cycle, coordinator):
    services.schedule_meeting(cycle, by=coordinator, starts_at=STARTS_AT, place=f" {PLACE} ")
    assert events("meeting.rescheduled") == []


def test_reschedule_adds_people_who_joined_since(meeting, cycle, coordinator, agency):
    newcomer = make_user(
        cycle.institution, "opd-bkpsdm-2", Role.AGENCY, agency=agency, full_name="Operator Baru"
    )
    services.schedule_meeting(
        cycle, by=coordinator, starts_at=STARTS_AT, place=PLACE, duration_minutes=120
    )
    assert meeting.attendees.get(user=newcomer).agency == agency
    assert events("meeting.rescheduled")[0].after["attendees_added"] == 1
    assert meeting.attendees.count() == 7


def test_reschedule_redrafts_a_draft_invitation(meeting, cycle, coordinator):
    letter = services.draft_meeting_invitation(meeting, by=coordinator)
    meeting.refresh_from_db()
    services.schedule_meeting(
        cycle, by=coordinator, starts_at=STARTS_AT, place="Aula Kantor Wali Kota"
    )
    letter.refresh_from_db()
    meeting.refresh_from_db()
    assert meeting.invitation == letter
    assert "tempat: Aula Kantor Wali Kota" in letter.body
    assert events("letter.updated")[0].target == f"letters.letter:{letter.pk}"


def test_the_invitation_cites_the_confirmed_team_decree(meeting, cycle, coordinator):
    letter = services.draft_meeting_invitation(meeting, by=coordinator)
    assert "Pemerintah Kota Pontianak, dengan hormat kami mengundang" in letter.body
    decree = team.save_decree(
        cycle,
        by=coordinator,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2020",
        date=datetime.date(2020, 3, 2),
        title="Tim Koordinasi dan Kelompok Kerja Evaluator Internal SPBE Kota Pontianak",
    )
    team.add_member(
        decree,
        by=coordinator,
        name="Ir. Mulyadi, M.T.",
        nip="19700101 199501 1 001",
        position="Sekretaris Daerah Kota Pontianak",
        role=TeamMember.Role.PENGARAH,
        group=TeamMember.Group.COORDINATION,
    )
    team.confirm_decree(decree, by=coordinator)
    subject, body, _attachment = invitation_texts(meeting)
    assert body.startswith(
        "Dalam rangka pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
        "Elektronik (SPBE) Tahun 2026 di lingkungan Pemerintah Kota Pontianak oleh tim yang "
        "dibentuk dengan Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim "
        "Koordinasi dan Kelompok Kerja Evaluator Internal SPBE Kota Pontianak, dengan hormat "
        "kami mengundang Saudara"
    )


def test_reschedule_detaches_an_invitation_already_submitted(meeting, cycle, coordinator):
    letter = services.draft_meeting_invitation(meeting, by=coordinator)
    letter_services.submit_letter(letter, by=coordinator)
    meeting.refresh_from_db()
    services.schedule_meeting(
        cycle, by=coordinator, starts_at=STARTS_AT, place="Aula Kantor Wali Kota"
    )
    meeting.refresh_from_db()
    assert meeting.invitation is None
    assert events("meeting.rescheduled")[0].after["invitation_detached"] == letter.pk
    assert services.draft_meeting_invitation(meeting, by=coordinator).pk != letter.pk


def test_a_started_meeting_cannot_be_moved(meeting, cycle, coordinator, collection_closed):
    services.start_meeting(meeting, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(cycle, by=coordinator, starts_at=STARTS_AT, place="Aula")
    assert message_text(error) == "Rapat sudah dimulai; jadwalnya tidak dapat diubah."


@pytest.mark.parametrize(
    ("place", "duration", "message"),
    [
        ("  ", None, "Isi tempat rapat."),
        ("R" * 201, None, "Tempat rapat paling panjang 200 karakter."),
        (PLACE, 10, "Durasi rapat antara 15 dan 720 menit."),
        (PLACE, 721, "Durasi rapat antara 15 dan 720 menit."),
    ],
)
def test_schedule_validation(cycle, coordinator, place, duration, message):
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(
            cycle, by=coordinator, starts_at=STARTS_AT, place=place, duration_minutes=duration
        )
    assert message_text(error) == message
    assert Meeting.objects.count() == 0


def test_schedule_needs_a_time(cycle, coordinator):
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(cycle, by=coordinator, starts_at=None, place=PLACE)
    assert message_text(error) == "Isi tanggal dan jam rapat."


@pytest.mark.parametrize("persona", ["supervisor", "evaluator", "secretariat", "agency_user"])
def test_only_the_coordinator_schedules(request, cycle, persona):
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(
            cycle, by=request.getfixturevalue(persona), starts_at=STARTS_AT, place=PLACE
        )


def test_another_institutions_coordinator_cannot_schedule(cycle, outsider):
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(cycle, by=outsider, starts_at=STARTS_AT, place=PLACE)


# --- set_equipment -------------------------------------------------------------------------


def test_set_equipment_records_ready_lines_and_a_broken_projector(
    meeting, coordinator, secretariat, supervisor
):
    services.set_equipment(
        meeting,
        by=coordinator,
        items=[
            {"name": "Komputer", "ready": True, "note": ""},
            {"name": "Proyektor", "ready": False, "note": "Lampu proyektor mati."},
            {"name": "Mikrofon", "ready": True, "note": " "},
        ],
    )
    assert [(e.name, e.ready, e.note) for e in queries.equipment_of(meeting)] == [
        ("Komputer", True, ""),
        ("Printer", False, ""),
        ("Internet", False, ""),
        ("Alat Tulis Kantor", False, ""),
        ("TV", False, ""),
        ("Proyektor", False, "Lampu proyektor mati."),
        ("Mikrofon", True, ""),
    ]
    [event] = events("meeting.equipment_set")
    assert event.before == {
        "Komputer": {"ready": False, "note": ""},
        "Proyektor": {"ready": False, "note": ""},
        "Mikrofon": None,
    }
    assert event.after == {
        "Komputer": {"ready": True, "note": ""},
        "Proyektor": {"ready": False, "note": "Lampu proyektor mati."},
        "Mikrofon": {"ready": True, "note": ""},
    }
    expected = "Peralatan rapat koordinasi perlu diperbaiki: Proyektor — Lampu proyektor mati."
    assert messages_of(secretariat) == [expected]
    assert messages_of(coordinator) == []
    assert messages_of(supervisor) == [
        "Rapat koordinasi Monev SPBE 2026 dijadwalkan: Senin, 7 Desember 2026 pukul 09.00 WIB, "
        "Ruang Rapat Pontive Center."
    ]


def test_set_equipment_by_the_secretariat_and_unchanged_lines_record_nothing(meeting, secretariat):
    items = [{"name": "TV", "ready": True, "note": ""}]
    services.set_equipment(meeting, by=secretariat, items=items)
    services.set_equipment(meeting, by=secretariat, items=items)
    assert len(events("meeting.equipment_set")) == 1
    assert MeetingEquipment.objects.get(meeting=meeting, name="TV").ready is True


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"name": " ", "ready": True}], "Isi nama peralatan."),
        (
            [{"name": "Proyektor", "ready": False}, {"name": "proyektor", "ready": True}],
            "proyektor tercantum dua kali.",
        ),
        (
            [{"name": "TV", "ready": False, "note": "x" * 301}],
            "Catatan TV paling panjang 300 karakter.",
        ),
        ([{"name": "x" * 101, "ready": False}], "Nama peralatan paling panjang 100 karakter."),
    ],
)
def test_set_equipment_validation(meeting, coordinator, items, message):
    with pytest.raises(ValidationError) as error:
        services.set_equipment(meeting, by=coordinator, items=items)
    assert message_text(error) == message
    assert events("meeting.equipment_set") == []


@pytest.mark.parametrize("persona", ["evaluator", "supervisor", "agency_user", "outsider"])
def test_set_equipment_permission(request, meeting, persona):
    with pytest.raises(PermissionDenied):
        services.set_equipment(
            meeting, by=request.getfixturevalue(persona), items=[{"name": "TV", "ready": True}]
        )


# --- The invitation letter ------------------------------------------------------------------


def test_draft_meeting_invitation(meeting, cycle, coordinator, institution, agency, other_agency):
    institution.signer_name = "Dr. Rina Kartika, S.Kom., M.T."
    institution.signer_title = "Kepala Dinas Komunikasi dan Informatika"
    institution.signer_nip = "19780101 200501 2 001"
    institution.save()
    cycle.institution.refresh_from_db()
    letter = services.draft_meeting_invitation(meeting, by=coordinator)
    assert letter.kind == Letter.Kind.MEETING_INVITATION
    assert letter.status == Letter.Status.DRAFT
    assert set(letter.recipients.all()) == {agency, other_agency}
    assert letter.subject == "Undangan Rapat Koordinasi Evaluasi Mandiri SPBE Tahun 2026"
    paragraphs = letter.body.split("\n\n")
    assert paragraphs[1] == (
        "hari, tanggal: Senin, 7 Desember 2026\n"
        "pukul: 09.00 – 12.00 WIB\n"
        "tempat: Ruang Rapat Pontive Center\n"
        "acara: Rapat Koordinasi dan Penyampaian Evaluasi Mandiri SPBE Kota Pontianak Tahun 2026"
    )
    assert paragraphs[3] == (
        "Konfirmasi kehadiran dapat disampaikan kepada narahubung kami, Rina Koordinator, "
        "telepon 0812-5600-1234."
    )
    assert f"/rapat/{cycle.pk}/" in paragraphs[2]
    assert (letter.signer_name, letter.signer_title, letter.signer_nip) == (
        "Dr. Rina Kartika, S.Kom., M.T.",
        "Kepala Dinas Komunikasi dan Informatika",
        "19780101 200501 2 001",
    )
    assert letter.carbon_copy_lines == [
        "Wali Kota Pontianak (sebagai laporan)",
        "Sekretaris Daerah Kota Pontianak",
    ]
    meeting.refresh_from_db()
    assert meeting.invitation == letter
    [event] = events("letter.drafted")
    assert event.after == {"kind": "undangan_rapat", "recipients": 2, "meeting": meeting.pk}


def test_draft_meeting_invitation_once(meeting, coordinator):
    services.draft_meeting_invitation(meeting, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.draft_meeting_invitation(meeting, by=coordinator)
    assert message_text(error) == "Undangan rapat ini sudah dibuat."
    assert Letter.objects.filter(kind=Letter.Kind.MEETING_INVITATION).count() == 1


@pytest.mark.parametrize("persona", ["supervisor", "secretariat", "evaluator", "agency_user"])
def test_draft_meeting_invitation_permission(request, meeting, persona):
    with pytest.raises(PermissionDenied):
        services.draft_meeting_invitation(meeting, by=request.getfixturevalue(persona))


@pytest.fixture
def cycle_in_step_two(framework, sop, staff, coordinator, supervisor, agency, other_agency):
    """A fresh cycle whose step-1 letters wait for the supervisor (step 2 running)."""
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2027,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2027, 3, 1),
        contact_person=coordinator,
    )
    for letter in letter_services.draft_cycle_letters(cycle, by=coordinator):
        letter_services.submit_letter(letter, by=coordinator)
    return cycle


def test_the_invitation_runs_the_letter_flow_without_touching_steps_one_to_three(
    cycle_in_step_two, coordinator, supervisor, secretariat, agency, agency_user
):
    cycle = cycle_in_step_two
    clock = steps(cycle)
    assert clock[2] == ("running", supervisor.pk, "")
    meeting = services.schedule_meeting(cycle, by=coordinator, starts_at=STARTS_AT, place=PLACE)
    letter = services.draft_meeting_invitation(meeting, by=coordinator)
    letter_services.submit_letter(letter, by=coordinator)
    letter_services.dispose_letter(letter, by=supervisor, approve=False, note="Perbaiki acara.")
    # Returning the meeting invitation does not hand step 2 to the coordinator.
    assert steps(cycle) == clock
    letter_services.submit_letter(letter, by=coordinator)
    letter_services.dispose_letter(letter, by=supervisor, approve=True)
    letter_services.number_letter(letter, by=secretariat)
    letter_services.record_signature(letter, by=secretariat, internal_approval=True)
    letter_services.dispatch_letter(letter, by=secretariat)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DISPATCHED
    year = cycle.institution.today().year
    assert letter.number == f"005/1/DISKOMINFO/{year}"
    assert Receipt.objects.filter(letter=letter).count() == 2
    assert steps(cycle) == clock
    assert sorted(
        Letter.objects.filter(cycle=cycle).exclude(pk=letter.pk).values_list("status", flat=True)
    ) == ["submitted", "submitted"]
    assert messages_of(agency_user) == [
        f"Surat Undangan Rapat Koordinasi nomor 005/1/DISKOMINFO/{year} “Undangan Rapat "
        "Koordinasi Evaluasi Mandiri SPBE Tahun 2027” dari Pemerintah Kota Pontianak telah "
        f"dikirim ke {agency.name}."
    ]


# --- Attendance ------------------------------------------------------------------------------


def test_add_a_walk_in(meeting, secretariat, institution, cycle):
    inspectorate = Agency.objects.create(
        institution=institution, name="Inspektorat Daerah", short_name="Inspektorat"
    )
    attendee = services.add_attendee(
        meeting, by=secretariat, name=" Andi Auditor ", position="Auditor", agency=inspectorate
    )
    assert (attendee.name, attendee.position, attendee.unit_name, attendee.invited) == (
        "Andi Auditor",
        "Auditor",
        "Inspektorat Daerah",
        False,
    )
    assert attendee.checked_in_by == secretariat
    assert attendee.checked_in_at is not None
    guest = services.add_attendee(
        meeting, by=secretariat, name="Tamu BPKP", position="", unit="BPKP", present=False
    )
    assert (guest.unit_name, guest.checked_in_at) == ("BPKP", None)
    assert [e.after for e in events("meeting.attendee_added")] == [
        {
            "attendee": attendee.pk,
            "name": "Andi Auditor",
            "position": "Auditor",
            "agency": inspectorate.pk,
            "unit": "",
            "present": True,
        },
        {
            "attendee": guest.pk,
            "name": "Tamu BPKP",
            "position": "",
            "agency": None,
            "unit": "BPKP",
            "present": False,
        },
    ]


def test_add_attendee_validation(meeting, coordinator, agency):
    with pytest.raises(ValidationError) as error:
        services.add_attendee(meeting, by=coordinator, name="  ", position="Staf")
    assert message_text(error) == "Isi nama peserta."
    with pytest.raises(ValidationError) as error:
        services.add_attendee(
            meeting, by=coordinator, name="operator bkpsdm", position="", agency=agency
        )
    assert message_text(error) == "operator bkpsdm sudah ada di daftar hadir."
    with pytest.raises(ValidationError) as error:
        services.add_attendee(meeting, by=coordinator, name="A", position="x" * 201)
    assert message_text(error) == "Jabatan paling panjang 200 karakter."
    assert events("meeting.attendee_added") == []


def test_add_attendee_refuses_another_institutions_opd(meeting, coordinator, foreign_agency):
    with pytest.raises(PermissionDenied):
        services.add_attendee(meeting, by=coordinator, name="A", position="", agency=foreign_agency)


@pytest.mark.parametrize("persona", ["evaluator", "supervisor", "agency_user", "outsider"])
def test_add_attendee_permission(request, meeting, persona):
    with pytest.raises(PermissionDenied):
        services.add_attendee(meeting, by=request.getfixturevalue(persona), name="A", position="")


def test_check_in_by_the_person_themself_is_idempotent(meeting, agency_user):
    own = meeting.attendees.get(user=agency_user)
    services.check_in(own, by=agency_user)
    first = Attendee.objects.get(pk=own.pk)
    assert first.checked_in_by == agency_user
    services.check_in(first, by=agency_user)
    again = Attendee.objects.get(pk=own.pk)
    assert again.checked_in_at == first.checked_in_at
    [event] = events("meeting.checked_in")
    assert event.after == {
        "attendee": own.pk,
        "name": "Operator BKPSDM",
        "self": True,
        "at": first.checked_in_at.isoformat(),
    }


@pytest.mark.parametrize("persona", ["coordinator", "secretariat"])
def test_the_desk_checks_anyone_in(request, meeting, agency_user, persona):
    desk = request.getfixturevalue(persona)
    attendee = services.check_in(meeting.attendees.get(user=agency_user), by=desk)
    assert attendee.checked_in_by == desk
    assert events("meeting.checked_in")[0].after["self"] is False


@pytest.mark.parametrize("persona", ["other_agency_user", "evaluator", "supervisor", "outsider"])
def test_nobody_else_checks_someone_in(request, meeting, agency_user, persona):
    with pytest.raises(PermissionDenied):
        services.check_in(
            meeting.attendees.get(user=agency_user), by=request.getfixturevalue(persona)
        )


# --- start_meeting -------------------------------------------------------------------------


def test_start_meeting_moves_the_clock_from_step_five_to_six(
    meeting, cycle, coordinator, collection_closed, agency_user, other_agency_user, evaluator
):
    services.check_in(meeting.attendees.get(user=other_agency_user), by=other_agency_user)
    assert steps(cycle)[5][0] == "running"
    services.start_meeting(meeting, by=coordinator)
    meeting.refresh_from_db()
    assert meeting.started_by == coordinator
    assert meeting.started_at is not None
    clock = steps(cycle)
    assert clock[5] == ("done", coordinator.pk, "Rekap data OPD")
    assert clock[6] == ("running", coordinator.pk, "")
    step5, step6 = StepRun.objects.filter(cycle=cycle, number__in=[5, 6]).order_by("number")
    assert step5.finished_at <= step6.started_at
    assert step6.started_at >= meeting.started_at
    [event] = events("meeting.started")
    assert event.after == {"started_at": meeting.started_at.isoformat()}
    expected = (
        "Rapat koordinasi Monev SPBE 2026 dimulai (Ruang Rapat Pontive Center). "
        "Isi daftar hadir Anda."
    )
    assert messages_of(agency_user) == [expected]
    assert expected in messages_of(evaluator)
    assert messages_of(other_agency_user) == []  # already present


def test_start_meeting_twice(meeting, coordinator, collection_closed):
    services.start_meeting(meeting, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.start_meeting(meeting, by=coordinator)
    assert message_text(error) == "Rapat sudah dimulai."
    assert len(events("meeting.started")) == 1


def test_start_meeting_waits_for_the_collection_to_close(meeting, cycle, coordinator):
    with pytest.raises(ValidationError) as error:
        services.start_meeting(meeting, by=coordinator)
    assert message_text(error) == (
        "Pengumpulan isian OPD (langkah 4) belum ditutup; tutup pengumpulan sebelum rapat dimulai."
    )
    assert steps(cycle)[6][0] == "waiting"
    meeting.refresh_from_db()
    assert meeting.started_at is None


def test_an_unscheduled_meeting_cannot_start(cycle, coordinator):
    with pytest.raises(ValidationError) as error:
        services.start_meeting(Meeting(cycle=cycle), by=coordinator)
    assert message_text(error) == "Rapat belum dijadwalkan."


@pytest.mark.parametrize("persona", ["evaluator", "secretariat", "supervisor", "outsider"])
def test_only_the_coordinator_starts(request, meeting, collection_closed, persona):
    with pytest.raises(PermissionDenied):
        services.start_meeting(meeting, by=request.getfixturevalue(persona))


# --- save_minutes --------------------------------------------------------------------------


def test_save_minutes_with_versions(meeting, evaluator, secretariat):
    saved = services.save_minutes(meeting, by=evaluator, text="1. Pembukaan.\r\n", version=0)
    assert (saved.minutes, saved.minutes_version, saved.minutes_updated_by) == (
        "1. Pembukaan.",
        1,
        evaluator,
    )
    services.save_minutes(meeting, by=secretariat, text="1. Pembukaan.\n2. Domain 1.", version=1)
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.minutes, stored.minutes_version, stored.minutes_updated_by) == (
        "1. Pembukaan.\n2. Domain 1.",
        2,
        secretariat,
    )
    assert [(e.before, e.after) for e in events("meeting.minutes_saved")] == [
        ({"version": 0, "chars": 0}, {"version": 1, "chars": 13}),
        ({"version": 1, "chars": 13}, {"version": 2, "chars": 26}),
    ]


def test_save_minutes_conflict_and_repeat(meeting, coordinator, evaluator):
    services.save_minutes(meeting, by=coordinator, text="Versi koordinator.", version=0)
    # The evaluator's editor was loaded at version 0: a different text is a conflict.
    with pytest.raises(ValidationError) as error:
        services.save_minutes(meeting, by=evaluator, text="Versi evaluator.", version=0)
    assert message_text(error) == "Notulen sudah diubah di tempat lain; muat ulang halaman."
    assert error.value.code == "conflict"
    # Sending the stored text again (a repeated autosave) changes nothing.
    services.save_minutes(meeting, by=evaluator, text="Versi koordinator.", version=0)
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.minutes, stored.minutes_version) == ("Versi koordinator.", 1)
    assert len(events("meeting.minutes_saved")) == 1


def test_save_minutes_length(meeting, coordinator):
    with pytest.raises(ValidationError) as error:
        services.save_minutes(meeting, by=coordinator, text="x" * 100_001, version=0)
    assert message_text(error) == "Notulen terlalu panjang (paling banyak 100.000 karakter)."


@pytest.mark.parametrize("persona", ["supervisor", "leader", "agency_user", "outsider"])
def test_save_minutes_permission(request, meeting, persona):
    with pytest.raises(PermissionDenied):
        services.save_minutes(meeting, by=request.getfixturevalue(persona), text="x", version=0)


# --- Queries ----------------------------------------------------------------------------------


def test_meeting_of(cycle, coordinator):
    assert queries.meeting_of(cycle) is None
    meeting = services.schedule_meeting(cycle, by=coordinator, starts_at=STARTS_AT, place=PLACE)
    assert queries.meeting_of(cycle) == meeting


def test_participants_are_the_checked_in_by_name(
    meeting, coordinator, agency_user, evaluator, django_assert_num_queries
):
    services.check_in(meeting.attendees.get(user=agency_user), by=agency_user)
    services.check_in(meeting.attendees.get(user=evaluator), by=coordinator)
    services.add_attendee(meeting, by=coordinator, name="Andi Auditor", position="Auditor")
    with django_assert_num_queries(1):
        present = queries.participants(meeting)
        names = [(row.name, row.unit_name) for row in present]
    assert names == [
        ("Andi Auditor", ""),
        ("Eko Evaluator", ""),
        ("Operator BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ]
