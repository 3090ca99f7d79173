"""The meeting page and its actions: who sees what, the forms, the HTMX answers, the PDFs,
and the query count of the page with 1 and with 30 attendees."""

import html

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from institutions.models import Agency, Role
from meetings import services
from meetings.models import Attendee, Meeting
from meetings.tests.conftest import PLACE
from monev.testing import make_user


def text_of(response):
    return html.unescape(response.content.decode())


def url(name, cycle, *args):
    return reverse(name, args=[cycle.pk, *args])


@pytest.fixture
def stranger_operator(institution):
    """An operator of an OPD that does not take part in the cycle (not invited)."""
    agency = Agency.objects.create(
        institution=institution, name="Dinas Perhubungan", short_name="Dishub"
    )
    return make_user(institution, "opd-dishub", Role.AGENCY, agency=agency)


# --- Access ----------------------------------------------------------------------------------


def all_urls(cycle, attendee):
    gets = [url("meeting_detail", cycle)]
    gets += [url("meeting_attendance_pdf", cycle), url("meeting_minutes_pdf", cycle)]
    posts = [
        url(name, cycle)
        for name in (
            "meeting_schedule",
            "meeting_equipment",
            "meeting_invitation",
            "meeting_attendee_add",
            "meeting_check_in_self",
            "meeting_start",
            "meeting_minutes",
            "meeting_minutes_autosave",
        )
    ]
    posts.append(url("meeting_check_in", cycle, attendee.pk))
    return gets, posts


@pytest.mark.parametrize("persona", ["outsider", "stranger_operator"])
def test_other_institutions_and_uninvited_operators_get_404(request, client, meeting, persona):
    client.force_login(request.getfixturevalue(persona))
    attendee = meeting.attendees.first()
    gets, posts = all_urls(meeting.cycle, attendee)
    for target in gets:
        assert client.get(target).status_code == 404, target
    for target in posts:
        assert client.post(target).status_code == 404, target
    attendee.refresh_from_db()
    assert attendee.checked_in_at is None


def test_anonymous_is_sent_to_login(client, meeting):
    response = client.get(url("meeting_detail", meeting.cycle))
    assert response.status_code == 302
    assert response.url.startswith("/masuk/")


def test_an_unscheduled_meeting_is_404_for_operators(client, cycle, agency_user):
    client.force_login(agency_user)
    assert client.get(url("meeting_detail", cycle)).status_code == 404


def test_staff_without_the_role_get_403_for_actions(client, meeting, supervisor, agency_user):
    client.force_login(supervisor)
    cycle = meeting.cycle
    assert client.get(url("meeting_detail", cycle)).status_code == 200
    assert client.post(url("meeting_start", cycle)).status_code == 403
    assert client.post(url("meeting_invitation", cycle)).status_code == 403
    data = {"new_name": "Mikrofon"}
    assert client.post(url("meeting_equipment", cycle), data).status_code == 403
    data = {"name": "Tamu", "position": ""}
    assert client.post(url("meeting_attendee_add", cycle), data).status_code == 403
    other = meeting.attendees.get(user=agency_user)
    assert client.post(url("meeting_check_in", cycle, other.pk)).status_code == 403
    data = {"minutes": "x", "version": 0}
    assert client.post(url("meeting_minutes_autosave", cycle), data).status_code == 403
    assert client.post(url("meeting_minutes", cycle), {}).status_code == 403
    assert client.post(url("meeting_attendee_add", cycle), {}).status_code == 403
    assert Meeting.objects.get().minutes == ""


def test_an_invited_operator_sees_the_facts_and_checks_in(client, meeting, agency_user):
    client.force_login(agency_user)
    cycle = meeting.cycle
    page = text_of(client.get(url("meeting_detail", cycle)))
    assert "Senin, 7 Desember 2026" in page
    assert "09.00 – 12.00 WIB" in page
    assert PLACE in page
    assert "Saya hadir" in page
    # The staff's part of the page is not there.
    for hidden in ("Peralatan ruang rapat", "Daftar hadir", "Notulen", "Buka mode rapat"):
        assert hidden not in page
    response = client.post(url("meeting_check_in_self", cycle))
    assert response.status_code == 302
    own = meeting.attendees.get(user=agency_user)
    assert own.checked_in_by == agency_user
    page = text_of(client.get(url("meeting_detail", cycle)))
    assert "Kehadiran Anda tercatat. Terima kasih." in page
    assert "Anda tercatat hadir pukul" in page
    # Someone else's row, or the PDFs, are not theirs.
    other = meeting.attendees.exclude(user=agency_user).first()
    assert client.post(url("meeting_check_in", cycle, other.pk)).status_code == 403
    assert client.get(url("meeting_attendance_pdf", cycle)).status_code == 403


def test_saya_hadir_for_an_invited_evaluator(client, meeting, evaluator):
    client.force_login(evaluator)
    page = text_of(client.get(url("meeting_detail", meeting.cycle)))
    assert "Saya hadir" in page
    client.post(url("meeting_check_in_self", meeting.cycle))
    assert meeting.attendees.get(user=evaluator).checked_in_by == evaluator


def test_saya_hadir_without_a_row_is_404(client, meeting, secretariat):
    client.force_login(secretariat)
    assert "Saya hadir" not in text_of(client.get(url("meeting_detail", meeting.cycle)))
    assert client.post(url("meeting_check_in_self", meeting.cycle)).status_code == 404


# --- Scheduling ------------------------------------------------------------------------------


def test_the_coordinator_schedules_from_the_page(client, cycle, coordinator):
    client.force_login(coordinator)
    page = text_of(client.get(url("meeting_detail", cycle)))
    assert "Jadwalkan rapat koordinasi: tanggal, jam dan tempatnya." in page
    assert 'value="180"' in page
    response = client.post(
        url("meeting_schedule", cycle),
        {
            "date": "2026-12-07",
            "time": "09:00",
            "duration_minutes": "180",
            "place": PLACE,
            "agenda": "",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(cycle=cycle)
    assert meeting.starts_at.isoformat() == "2026-12-07T02:00:00+00:00"
    page = text_of(client.get(url("meeting_detail", cycle)))
    assert "Jadwal rapat disimpan." in page
    assert "Buat surat undangan rapat untuk OPD, lalu ajukan kepada Kabid." in page


def test_schedule_errors_are_shown(client, cycle, coordinator):
    client.force_login(coordinator)
    response = client.post(
        url("meeting_schedule", cycle),
        {"date": "2026-12-07", "time": "09:00", "duration_minutes": "5", "place": PLACE},
    )
    assert response.status_code == 200
    assert "Durasi rapat antara 15 dan 720 menit." in text_of(response)
    assert not Meeting.objects.exists()


def test_staff_without_the_role_see_that_nothing_is_scheduled(client, cycle, evaluator):
    client.force_login(evaluator)
    page = text_of(client.get(url("meeting_detail", cycle)))
    assert "Koordinator belum menjadwalkan rapat koordinasi periode ini." in page
    assert client.post(url("meeting_schedule", cycle), {"place": "x"}).status_code == 403
    assert not Meeting.objects.exists()


# --- The page's actions --------------------------------------------------------------------


def test_equipment_form(client, meeting, coordinator):
    client.force_login(coordinator)
    lines = {line.name: line for line in meeting.equipment.all()}
    data = {
        f"ready-{lines['Komputer'].pk}": "on",
        f"note-{lines['Proyektor'].pk}": "Lampu proyektor mati.",
        "new_name": "Mikrofon",
    }
    response = client.post(url("meeting_equipment", meeting.cycle), data)
    assert response.status_code == 302
    assert response.url.endswith("#peralatan")
    state = {line.name: (line.ready, line.note) for line in meeting.equipment.all()}
    assert state["Komputer"] == (True, "")
    assert state["Proyektor"] == (False, "Lampu proyektor mati.")
    assert state["Mikrofon"] == (False, "")
    page = text_of(client.get(url("meeting_detail", meeting.cycle)))
    assert 'class="row-warn"' in page


def test_invitation_button_drafts_the_letter(client, meeting, coordinator):
    client.force_login(coordinator)
    response = client.post(url("meeting_invitation", meeting.cycle))
    meeting.refresh_from_db()
    assert response.url == reverse("letter_detail", args=[meeting.invitation.pk])
    page = text_of(client.get(url("meeting_detail", meeting.cycle)))
    assert "Undangan Rapat Koordinasi Evaluasi Mandiri SPBE Tahun 2026" in page
    assert reverse("letter_detail", args=[meeting.invitation.pk]) in page
    response = client.post(url("meeting_invitation", meeting.cycle))
    assert "Undangan rapat ini sudah dibuat." in text_of(client.get(response.url))


def test_walk_in_form(client, meeting, secretariat, agency):
    client.force_login(secretariat)
    data = {"name": "Andi Auditor", "position": "Auditor", "agency": agency.pk, "present": "on"}
    response = client.post(url("meeting_attendee_add", meeting.cycle), data)
    assert response.status_code == 302
    walk_in = Attendee.objects.get(name="Andi Auditor")
    assert (walk_in.agency, walk_in.invited, walk_in.checked_in_by) == (agency, False, secretariat)
    response = client.post(url("meeting_attendee_add", meeting.cycle), data)
    assert response.status_code == 200
    assert "Andi Auditor sudah ada di daftar hadir." in text_of(response)


def test_htmx_check_in_answers_with_the_row(client, meeting, secretariat, agency_user):
    client.force_login(secretariat)
    row = meeting.attendees.get(user=agency_user)
    response = client.post(
        url("meeting_check_in", meeting.cycle, row.pk), {"number": "5"}, HTTP_HX_REQUEST="true"
    )
    body = text_of(response)
    assert body.strip().startswith(f'<tr id="peserta-{row.pk}" class="present">')
    assert '<td class="num">5</td>' in body
    assert (
        '<template><span class="muted" id="jumlah-hadir" hx-swap-oob="true">1 dari 6 hadir'
        "</span></template>"
    ) in body
    assert "hadir " in body
    row.refresh_from_db()
    assert row.checked_in_by == secretariat


def test_check_in_without_javascript(client, meeting, coordinator, agency_user):
    client.force_login(coordinator)
    row = meeting.attendees.get(user=agency_user)
    response = client.post(url("meeting_check_in", meeting.cycle, row.pk), follow=True)
    assert "Operator BKPSDM tercatat hadir." in text_of(response)
    assert "1 dari 6 hadir" in text_of(response)


def test_start_button(client, meeting, coordinator, collection_closed):
    client.force_login(coordinator)
    page = text_of(client.get(url("meeting_detail", meeting.cycle)))
    assert "Mulai rapat" in page
    # The first POST only asks, with what starting does; nothing changes.
    response = client.post(url("meeting_start", meeting.cycle))
    assert response.status_code == 200
    asked = text_of(response)
    assert "Langkah 5 SOP (rekap data OPD) selesai dan langkah 6 (rapat) dimulai sekarang." in asked
    assert "Rapat yang sudah dimulai tidak dapat dibatalkan" in asked
    meeting.refresh_from_db()
    assert meeting.started_at is None
    assert AuditEvent.objects.filter(action="meeting.started").count() == 0
    response = client.post(url("meeting_start", meeting.cycle), {"confirmed": "yes"})
    page = text_of(client.get(response.url))
    assert "Rapat dimulai. Langkah 6 SOP berjalan." in page
    assert "rapat berjalan sejak" in page
    assert ">Mulai rapat<" not in page


def test_start_refused_while_collecting(client, meeting, coordinator):
    client.force_login(coordinator)
    response = client.post(url("meeting_start", meeting.cycle), follow=True)
    assert "Pengumpulan isian OPD (langkah 4) belum ditutup" in text_of(response)


def test_the_meeting_mode_link(client, meeting, evaluator):
    client.force_login(evaluator)
    page = text_of(client.get(url("meeting_detail", meeting.cycle)))
    assert f'href="{reverse("meeting_mode", args=[meeting.cycle.pk])}"' in page
    assert "Buka mode rapat" in page


# --- Minutes --------------------------------------------------------------------------------


def test_minutes_autosave_and_conflict(client, meeting, evaluator, coordinator):
    client.force_login(evaluator)
    target = url("meeting_minutes_autosave", meeting.cycle)
    response = client.post(target, {"minutes": "1. Pembukaan.", "version": 0})
    body = text_of(response)
    assert "Tersimpan " in body
    assert 'name="version" value="1"' in body
    services.save_minutes(meeting, by=coordinator, text="Teks koordinator.", version=1)
    response = client.post(target, {"minutes": "Teks evaluator.", "version": 1})
    body = text_of(response)
    assert "Notulen sudah diubah di tempat lain; muat ulang halaman." in body
    assert "Versi tersimpan" in body
    assert "Teks koordinator." in body
    assert Meeting.objects.get().minutes == "Teks koordinator."


def test_minutes_without_javascript(client, meeting, secretariat):
    client.force_login(secretariat)
    target = url("meeting_minutes", meeting.cycle)
    response = client.post(target, {"minutes": "Catatan.", "version": 0})
    assert response.status_code == 302
    response = client.post(target, {"minutes": "Catatan lain.", "version": 0})
    body = text_of(response)
    assert "Notulen sudah diubah di tempat lain; muat ulang halaman." in body
    assert 'name="version" value="1"' in body
    assert "Catatan lain." in body


def test_minutes_autosave_after_logout(client, meeting):
    response = client.post(
        url("meeting_minutes_autosave", meeting.cycle), {"minutes": "x", "version": 0}
    )
    assert "Sesi Anda berakhir; masuk lagi." in text_of(response)


# --- PDFs ------------------------------------------------------------------------------------


def test_pdf_downloads(client, meeting, evaluator):
    client.force_login(evaluator)
    response = client.get(url("meeting_attendance_pdf", meeting.cycle))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="daftar-hadir-monev-spbe-2026.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(url("meeting_minutes_pdf", meeting.cycle))
    assert response["Content-Disposition"] == 'attachment; filename="notulen-monev-spbe-2026.pdf"'


# --- Query count -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_page_query_count_does_not_grow_with_attendees(
    client, meeting, coordinator, agency, django_assert_num_queries, count
):
    meeting.attendees.all().delete()
    for number in range(count):
        attendee = services.add_attendee(
            meeting, by=coordinator, name=f"Peserta {number:02}", position="Staf", agency=agency
        )
    services.set_equipment(
        meeting, by=coordinator, items=[{"name": "Proyektor", "ready": False, "note": "Rusak."}]
    )
    services.draft_meeting_invitation(meeting, by=coordinator)
    client.force_login(coordinator)
    target = url("meeting_detail", meeting.cycle)
    # Session, user (with its institution), cycle, roles, meeting, attendees, equipment, the
    # OPDs of the walk-in form; whether it is frozen (the closing step, the signed Berita
    # Acara); the menu badge's waiting work (cycles.waiting: running steps, letters, answers).
    with django_assert_num_queries(14):
        response = client.get(target)
    assert text_of(response).count('<tr id="peserta-') == count
    assert attendee.name in text_of(response)


@pytest.mark.parametrize("count", [1, 30])
def test_operator_page_query_count(
    client, meeting, coordinator, agency_user, django_assert_num_queries, count
):
    for number in range(count):
        services.add_attendee(meeting, by=coordinator, name=f"Peserta {number:02}", position="")
    client.force_login(agency_user)
    # Session, user (with its institution), cycle, roles, the OPD in the cycle, meeting, own
    # row; whether it is frozen (the closing step, the Berita Acara); the menu badge's
    # waiting work (cycles.waiting: the OPD's data requests and follow-ups).
    with django_assert_num_queries(11):
        response = client.get(url("meeting_detail", meeting.cycle))
    assert "Saya hadir" in text_of(response)
