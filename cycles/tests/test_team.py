"""The evaluator team's decree: the citation documents print, the services, the carry-forward."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from cycles import services, team
from cycles.models import StepRun, TeamDecree, TeamMember
from cycles.tests.conftest import TITLE, a_pdf


def confirmed(decree, coordinator, agency, evaluator):
    team.add_member(
        decree,
        by=coordinator,
        name="Ir. Mulyadi, M.T.",
        nip="19700101 199501 1 001",
        position="Sekretaris Daerah Kota Pontianak",
        role=TeamMember.Role.PENGARAH,
        group=TeamMember.Group.COORDINATION,
    )
    team.add_member(
        decree,
        by=coordinator,
        user=evaluator,
        agency=agency,
        role=TeamMember.Role.ANGGOTA,
        group=TeamMember.Group.EVALUATORS,
    )
    return team.confirm_decree(decree, by=coordinator)


def test_citation_and_fields_of_a_confirmed_decree(decree, coordinator, agency, evaluator):
    cycle = decree.cycle
    assert team.decree_citation(cycle) == ""  # a draft is not cited
    assert team.decree_fields(cycle) is None
    assert confirmed(decree, coordinator, agency, evaluator) is decree
    assert decree.status == TeamDecree.Status.CONFIRMED  # the caller's object shows it
    cycle.refresh_from_db()
    assert team.decree_citation(cycle) == (
        "Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim Koordinasi dan "
        "Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis Elektronik Kota "
        "Pontianak"
    )
    assert team.decree_fields(cycle) == {
        "issuer": "Wali Kota Pontianak",
        "number": "162/DKI/Tahun 2020",
        "date": datetime.date(2020, 3, 2),
        "date_text": "2 Maret 2020",
        "title": TITLE,
        "citation": team.decree_citation(cycle),
    }


def test_no_decree_no_citation(cycle):
    assert team.decree_citation(cycle) == ""
    assert team.decree_fields(cycle) is None


def test_default_issuer_and_title(institution):
    assert team.default_issuer(institution) == "Wali Kota Pontianak"
    assert team.default_title(institution) == TITLE
    institution.kind, institution.name = "kabupaten", "Pemerintah Kabupaten Kubu Raya"
    assert team.default_issuer(institution) == "Bupati Kubu Raya"
    institution.kind = "kementerian"
    assert team.default_issuer(institution) == ""


def actions(cycle):
    return list(
        AuditEvent.objects.filter(action__startswith="team.", cycle_id=cycle.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_confirm_needs_number_date_and_members(cycle, coordinator):
    decree = team.save_decree(
        cycle, by=coordinator, issuer="Wali Kota Pontianak", number="", date=None, title=TITLE
    )
    with pytest.raises(ValidationError) as error:
        team.confirm_decree(decree, by=coordinator)
    assert error.value.messages == ["Sebelum dikonfirmasi, lengkapi nomor, tanggal penetapan SK."]
    decree = team.save_decree(
        cycle,
        by=coordinator,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2020",
        date=datetime.date(2020, 3, 2),
        title=TITLE,
    )
    with pytest.raises(ValidationError) as error:
        team.confirm_decree(decree, by=coordinator)
    assert error.value.messages == ["Sebelum dikonfirmasi, tambahkan anggota tim sesuai SK."]
    assert TeamDecree.objects.get(pk=decree.pk).status == TeamDecree.Status.DRAFT


def test_save_needs_issuer_and_title(cycle, coordinator):
    with pytest.raises(ValidationError) as error:
        team.save_decree(cycle, by=coordinator, issuer=" ", number="1", date=None, title="")
    assert error.value.messages == ["Lengkapi pejabat yang menetapkan, tentang."]
    assert not TeamDecree.objects.exists()


def test_members_roles_order_and_a_change_unconfirms(decree, coordinator, agency, evaluator):
    confirmed(decree, coordinator, agency, evaluator)
    ketua = team.add_member(
        decree,
        by=coordinator,
        name="Dr. Rina Kartika, S.Kom., M.T.",
        nip="19780101 200501 2 001",
        position="Kepala Dinas Komunikasi dan Informatika",
        role=TeamMember.Role.KETUA,
        group=TeamMember.Group.COORDINATION,
    )
    decree.refresh_from_db()
    assert decree.status == TeamDecree.Status.DRAFT  # the list changed: confirm again
    assert team.decree_citation(decree.cycle) == ""
    rows = [
        (m.group, m.order, m.role, m.name, m.nip, m.position, m.agency_id, m.user_id)
        for m in decree.members.all()
    ]
    assert rows == [
        (
            "koordinasi",
            1,
            "pengarah",
            "Ir. Mulyadi, M.T.",
            "19700101 199501 1 001",
            "Sekretaris Daerah Kota Pontianak",
            None,
            None,
        ),
        (
            "koordinasi",
            2,
            "ketua",
            "Dr. Rina Kartika, S.Kom., M.T.",
            "19780101 200501 2 001",
            "Kepala Dinas Komunikasi dan Informatika",
            None,
            None,
        ),
        ("pokja", 1, "anggota", "Eko Evaluator", "", "", agency.pk, evaluator.pk),
    ]
    team.confirm_decree(decree, by=coordinator)
    team.edit_member(
        ketua,
        by=coordinator,
        name=ketua.name,
        nip=ketua.nip,
        position=ketua.position,
        agency=None,
        role=TeamMember.Role.KETUA,
        group=TeamMember.Group.COORDINATION,
        order=2,
    )  # nothing changed: stays confirmed
    assert TeamDecree.objects.get(pk=decree.pk).status == TeamDecree.Status.CONFIRMED
    team.remove_member(ketua, by=coordinator)
    assert TeamDecree.objects.get(pk=decree.pk).status == TeamDecree.Status.DRAFT
    assert decree.members.count() == 2
    assert actions(decree.cycle) == [
        "team.decree_saved",
        "team.member_added",
        "team.member_added",
        "team.decree_confirmed",
        "team.member_added",
        "team.decree_confirmed",
        "team.member_removed",
    ]


def test_unknown_role_refused(decree, coordinator):
    with pytest.raises(ValidationError) as error:
        team.add_member(decree, by=coordinator, name="X", role="bendahara", group="koordinasi")
    assert error.value.messages == ["Kedudukan dalam tim tidak dikenal."]


def test_only_coordinator_or_admin_and_own_institution(
    decree, supervisor, evaluator, admin_user, foreign_agency, outsider
):
    with pytest.raises(PermissionDenied):
        team.save_decree(decree.cycle, by=supervisor, issuer="X", number="1", date=None, title="Y")
    with pytest.raises(PermissionDenied):
        team.add_member(decree, by=evaluator, name="X", role="anggota", group="pokja")
    with pytest.raises(PermissionDenied):
        team.add_member(decree, by=outsider, name="X", role="anggota", group="pokja")
    with pytest.raises(PermissionDenied):  # an OPD of another institution
        team.add_member(
            decree, by=admin_user, name="X", agency=foreign_agency, role="anggota", group="pokja"
        )
    with pytest.raises(PermissionDenied):  # a user of another institution
        team.add_member(decree, by=admin_user, user=outsider, role="anggota", group="pokja")
    member = team.add_member(decree, by=admin_user, name="X", role="anggota", group="pokja")
    assert member.name == "X"


def test_upload_checks_the_content_and_keeps_the_hash(decree, coordinator):
    with pytest.raises(ValidationError) as error:
        team.upload_decree_pdf(
            decree,
            SimpleUploadedFile("sk.pdf", b"GIF89a not a pdf", content_type="application/pdf"),
            by=coordinator,
        )
    assert error.value.messages == ["Berkas tanda tangan harus PDF."]
    decree.refresh_from_db()
    assert not decree.signed_file
    pdf = a_pdf()
    team.upload_decree_pdf(decree, SimpleUploadedFile("SK Wali Kota.pdf", pdf), by=coordinator)
    decree.refresh_from_db()

    assert decree.signed_file_sha256 == hashlib.sha256(pdf).hexdigest()
    assert decree.signed_file.name.startswith("cycles/decrees/")
    assert "Wali" not in decree.signed_file.name  # a generated name
    with decree.signed_file.open("rb") as stored:
        assert stored.read() == pdf


def test_closed_cycle_refuses_changes(decree, coordinator):
    StepRun.objects.filter(cycle=decree.cycle, number=8).update(
        status=StepRun.Status.DONE, finished_at=datetime.datetime(2026, 12, 20, tzinfo=datetime.UTC)
    )
    with pytest.raises(ValidationError) as error:
        team.add_member(decree, by=coordinator, name="X", role="anggota", group="pokja")
    assert error.value.code == "frozen"


def test_carried_forward_as_a_draft_when_a_cycle_is_opened(
    decree, coordinator, agency, evaluator, framework
):
    confirmed(decree, coordinator, agency, evaluator)
    team.upload_decree_pdf(decree, SimpleUploadedFile("sk.pdf", a_pdf()), by=coordinator)
    following = services.open_cycle(
        by=coordinator,
        year=2027,
        framework=framework,
        agencies=[agency],
        deadline=datetime.date(2027, 12, 15),
        contact_person=coordinator,
    )
    carried = following.team_decree
    assert (carried.status, carried.carried_from_year, carried.number, carried.title) == (
        TeamDecree.Status.DRAFT,
        2026,
        "162/DKI/Tahun 2020",
        TITLE,
    )
    assert not carried.signed_file and carried.signed_file_sha256 == ""
    assert [(m.name, m.role, m.group, m.user_id) for m in carried.members.all()] == [
        ("Ir. Mulyadi, M.T.", "pengarah", "koordinasi", None),
        ("Eko Evaluator", "anggota", "pokja", evaluator.pk),
    ]
    assert team.decree_citation(following) == ""  # not cited until confirmed
    assert actions(following) == ["team.decree_carried"]
    assert team.decree_state(following)["state"] == "carried"
    # last year's decree is untouched
    assert TeamDecree.objects.get(pk=decree.pk).members.count() == 2


def test_carried_forward_when_copied(decree, coordinator, agency, evaluator):
    confirmed(decree, coordinator, agency, evaluator)
    following = services.copy_cycle(
        decree.cycle, by=coordinator, year=2028, deadline=datetime.date(2028, 12, 15)
    )
    assert following.team_decree.carried_from_year == 2026
    assert following.team_decree.members.count() == 2


def test_nothing_carried_without_a_decree(cycle, coordinator, agency, framework):
    following = services.open_cycle(
        by=coordinator,
        year=2027,
        framework=framework,
        agencies=[agency],
        deadline=datetime.date(2027, 12, 15),
        contact_person=coordinator,
    )
    assert not TeamDecree.objects.filter(cycle=following).exists()
