"""The Surat Edaran Sekretaris Daerah (SOP step 4's required item) through the whole chain
of letters — draft from the cycle's data, submit, disposition, number, signature, dispatch —
numbered in the Sekretariat Daerah's own register, printed with its kop (PDF read back with
pypdf, DOCX with python-docx)."""

import datetime
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from cycles import services as cycle_services
from cycles.models import Cycle, StepRun, TeamDecree
from documents.models import Document
from letters import services
from letters.models import IssuingUnit, Letter, NumberSequence, Receipt
from notifications.models import Notification

DECREE_TITLE = (
    "Tim Koordinasi dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis "
    "Elektronik Kota Pontianak"
)


@pytest.fixture
def setda(institution):
    return IssuingUnit.objects.create(
        institution=institution,
        name="Sekretariat Daerah",
        code="Setda-Org",
        letter_number_format="800/{seq}/Setda-Org/{year}",
        letterhead="PEMERINTAH KOTA PONTIANAK\nSEKRETARIAT DAERAH",
        address="Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        is_secretariat=True,
    )


@pytest.fixture
def sekda(leader):
    leader.full_name = "Ir. Mulyadi, M.T."
    leader.position = "Sekretaris Daerah Kota Pontianak"
    leader.nip = "19690312 199403 1 004"
    leader.save()
    return leader


@pytest.fixture
def decree(cycle, coordinator):
    return TeamDecree.objects.create(
        cycle=cycle,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2026",
        date=datetime.date(2026, 1, 2),
        title=DECREE_TITLE,
        status=TeamDecree.Status.CONFIRMED,
    )


@pytest.fixture
def circular(cycle, drafted, sekda, decree, coordinator):
    return services.draft_circular(Cycle.objects.get(pk=cycle.pk), by=coordinator)


def year_of(institution):
    return institution.today().year


def pdf_text(document):
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_drafted_from_the_cycles_data_signed_by_the_sekda_to_every_opd(
    circular, agency, other_agency, coordinator
):
    assert (circular.kind, circular.status) == ("surat_edaran", "draft")
    assert circular.get_kind_display() == "Surat Edaran Sekretaris Daerah"
    assert circular.subject == (
        "Pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis Elektronik Tahun 2026"
    )
    assert (circular.signer_name, circular.signer_title, circular.signer_nip) == (
        "Ir. Mulyadi, M.T.",
        "Sekretaris Daerah Kota Pontianak",
        "19690312 199403 1 004",
    )
    assert list(circular.recipients.all()) == [agency, other_agency]
    assert circular.agency is None
    assert circular.carbon_copy_lines == ["Wali Kota Pontianak (sebagai laporan)"]
    assert circular.body.split("\n\n") == [
        "Dalam rangka pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
        "Elektronik (SPBE) Tahun 2026 di lingkungan Pemerintah Kota Pontianak, setiap "
        "Perangkat Daerah menyampaikan isian indikator evaluasi SPBE beserta data dukungnya "
        "sebagai bahan evaluasi mandiri.",
        "Dasar pelaksanaan Surat Edaran ini:\n"
        "a. Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 59 "
        "Tahun 2020 tentang Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis Elektronik;\n"
        f"b. Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2026 tentang {DECREE_TITLE}.",
        "Sehubungan dengan hal tersebut, diminta kepada Saudara Kepala Perangkat Daerah untuk:\n"
        "a. menugaskan pejabat atau operator yang bertanggung jawab atas pengisian evaluasi "
        "SPBE di Perangkat Daerah Saudara;\n"
        "b. mengisi indikator evaluasi SPBE yang menjadi tanggung jawab Perangkat Daerah "
        "Saudara melalui aplikasi Monev SPBE;\n"
        "c. mengunggah data dukung untuk setiap indikator yang diisi melalui aplikasi Monev "
        "SPBE;\n"
        "d. menyelesaikan pengisian indikator dan pengunggahan data dukung paling lambat hari "
        "Selasa tanggal 15 (lima belas) Desember 2026.",
        "Informasi lebih lanjut dapat diperoleh melalui narahubung Evaluasi SPBE, Rina "
        "Koordinator, telepon 0812-5600-1234.",
        "Demikian Surat Edaran ini disampaikan untuk dilaksanakan dengan penuh tanggung jawab.",
    ]
    event = AuditEvent.objects.get(action="letter.drafted", target=f"letters.letter:{circular.pk}")
    assert (event.actor, event.after) == (coordinator, {"kind": "surat_edaran", "recipients": 2})


def test_without_a_decree_or_a_leader_the_basis_is_the_regulation_and_the_signer_a_placeholder(
    cycle, drafted, coordinator, leader
):
    leader.is_active = False
    leader.save()
    circular = services.draft_circular(cycle, by=coordinator)
    assert (circular.signer_name, circular.signer_title, circular.signer_nip) == (
        "[Nama Sekretaris Daerah]",
        "Sekretaris Daerah Kota Pontianak",
        "",
    )
    basis = circular.body.split("\n\n")[1]
    assert basis == (
        "Dasar pelaksanaan Surat Edaran ini:\n"
        "a. Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 59 "
        "Tahun 2020 tentang Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis Elektronik."
    )


def test_one_per_cycle_after_the_step_one_letters_and_only_by_the_coordinator(
    cycle, coordinator, secretariat
):
    with pytest.raises(ValidationError) as error:
        services.draft_circular(cycle, by=coordinator)
    assert error.value.messages == [
        "Buat draf surat undangan dan surat permohonan data periode ini lebih dahulu."
    ]
    services.draft_cycle_letters(cycle, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.draft_circular(cycle, by=secretariat)
    services.draft_circular(cycle, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.draft_circular(cycle, by=coordinator)
    assert error.value.messages == ["Surat Edaran Sekretaris Daerah periode ini sudah dibuat."]
    assert cycle.letters.filter(kind="surat_edaran").count() == 1


def test_the_database_holds_one_circular_per_cycle(circular):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            cycle=circular.cycle,
            kind="surat_edaran",
            subject="x",
            body="x",
            signer_name="x",
            signer_title="x",
            created_by=circular.created_by,
        )


def test_the_whole_chain_numbered_in_the_setdas_register(
    circular,
    setda,
    to_status,
    institution,
    supervisor,
    secretariat,
    agency_user,
    other_agency_user,
):
    year = year_of(institution)
    steps_before = list(StepRun.objects.filter(cycle=circular.cycle).values("number", "status"))

    to_status(circular, "submitted")
    assert Notification.objects.filter(
        user=supervisor, key=f"letter:{circular.pk}:submitted:1"
    ).exists()
    to_status(circular, "approved")
    assert Notification.objects.filter(user=secretariat, key=f"letter:{circular.pk}:approved")
    to_status(circular, "numbered")
    circular.refresh_from_db()
    assert circular.number == f"800/1/Setda-Org/{year}"
    assert (circular.sequence, circular.issuing_unit) == (1, setda)
    numbered = AuditEvent.objects.get(action="letter.numbered")
    assert numbered.after["number"] == f"800/1/Setda-Org/{year}"
    assert numbered.after["register"] == "Sekretariat Daerah"
    to_status(circular, "signed")
    to_status(circular, "dispatched")
    circular.refresh_from_db()
    assert circular.status == "dispatched"
    assert Receipt.objects.filter(letter=circular).count() == 2
    for operator in (agency_user, other_agency_user):
        note = Notification.objects.get(user=operator, key__startswith=f"letter:{circular.pk}:")
        assert note.url == reverse("letter_detail", args=[circular.pk])
    assert [
        event.action
        for event in AuditEvent.objects.filter(target=f"letters.letter:{circular.pk}").order_by(
            "pk"
        )
    ] == [
        "letter.drafted",
        "letter.submitted",
        "letter.approved",
        "letter.numbered",
        "letter.signed",
        "letter.dispatched",
    ]
    # It runs outside the SOP clock: the step runs are those of before.
    assert (
        list(StepRun.objects.filter(cycle=circular.cycle).values("number", "status"))
        == steps_before
    )
    # The institution's own register was not touched.
    assert not NumberSequence.objects.filter(institution=institution, issuing_unit=None).exists()


def test_a_diskominfo_letter_after_the_circular_takes_the_diskominfos_next_number(
    circular, drafted, setda, to_status, institution, coordinator, framework, agency
):
    year = year_of(institution)
    invitation, data_request = drafted
    to_status(invitation, "numbered")
    assert invitation.number == f"005/1/DISKOMINFO/{year}"
    to_status(circular, "numbered")
    assert circular.number == f"800/1/Setda-Org/{year}"
    to_status(data_request, "numbered")
    assert data_request.number == f"005/2/DISKOMINFO/{year}"

    # The Setda's next number (another cycle's Surat Edaran) takes the Setda's register.
    other = cycle_services.open_cycle(
        by=coordinator,
        year=2027,
        framework=framework,
        agencies=[agency],
        deadline=datetime.date(2027, 12, 15),
        contact_person=coordinator,
    )
    services.draft_cycle_letters(other, by=coordinator)
    second = services.draft_circular(other, by=coordinator)
    to_status(second, "numbered")
    assert second.number == f"800/2/Setda-Org/{year}"
    assert services.peek_next_number(institution) == (
        f"005/3/DISKOMINFO/{year}",
        institution.today(),
    )
    assert services.peek_next_number(institution, setda)[0] == f"800/3/Setda-Org/{year}"
    assert dict(
        NumberSequence.objects.filter(year=year).values_list("issuing_unit__code", "last")
    ) == {None: 2, "Setda-Org": 2}


def test_take_next_number_keeps_its_callers_and_takes_a_units_register(institution, setda):
    today = institution.today()
    with services.take_next_number(institution, today=today) as (seq, number):
        assert (seq, number) == (1, f"005/1/DISKOMINFO/{today.year}")
    with services.take_next_number(institution, today=today, unit=setda) as (seq, number):
        assert (seq, number) == (1, f"800/1/Setda-Org/{today.year}")
    with (
        pytest.raises(RuntimeError),
        services.take_next_number(institution, today=today, unit=setda),
    ):
        raise RuntimeError  # the number goes back
    with services.take_next_number(institution, today=today, unit=setda) as (seq, number):
        assert number == f"800/2/Setda-Org/{today.year}"


def test_another_institutions_unit_is_refused(institution, other_institution):
    foreign = IssuingUnit.objects.create(
        institution=other_institution,
        name="Setda Pangkalpinang",
        code="Setda",
        letter_number_format="800/{seq}/Setda/{year}",
    )
    with (
        pytest.raises(ValueError),
        services.take_next_number(institution, today=institution.today(), unit=foreign),
    ):
        pass


def test_without_a_secretariat_unit_the_institutions_register_and_kop(
    circular, to_status, institution, client, coordinator
):
    client.force_login(coordinator)
    body = client.get(reverse("letter_detail", args=[circular.pk])).content.decode()
    assert (
        "Belum ada unit penerbit Sekretariat Daerah: Surat Edaran ini memakai urutan nomor dan "
        "kop Pemerintah Kota Pontianak."
    ) in body
    assert "Atur unit penerbit: minta administrator instansi" in body
    to_status(circular, "numbered")
    assert circular.number == f"005/1/DISKOMINFO/{year_of(institution)}"
    assert circular.issuing_unit is None


def test_the_admin_sees_the_link_to_set_the_units(circular, admin_user, client):
    client.force_login(admin_user)
    body = client.get(reverse("letter_detail", args=[circular.pk])).content.decode()
    assert f'<a href="{reverse("issuing_unit_list")}">' in body


def test_the_pdf_prints_the_edaran_with_the_setdas_kop_number_decree_and_sekda(
    circular, setda, to_status, secretariat, institution
):
    to_status(circular, "signed")
    document = services.letter_document(circular, by=secretariat, format="pdf")
    assert (document.kind, document.number) == ("letter.surat_edaran", circular.number)
    pages = pdf_text(document)
    # The Surat Edaran on two pages ("Ditetapkan" kept with the signature), then the list.
    assert len(pages) == 3
    first, distribution = " ".join(pages[:2]), pages[2]
    assert pages[1].startswith("Ditetapkan di : Pontianak")
    year = year_of(institution)
    assert first.startswith(
        "PEMERINTAH KOTA PONTIANAK SEKRETARIAT DAERAH Jalan Rahadi Usman Nomor 3, Pontianak 78111 "
        "Yth. Kepala Perangkat Daerah di lingkungan Pemerintah Kota Pontianak "
        "(daftar distribusi terlampir) SURAT EDARAN SEKRETARIS DAERAH KOTA PONTIANAK "
        f"NOMOR 800/1/Setda-Org/{year} TENTANG PELAKSANAAN PEMANTAUAN DAN EVALUASI SISTEM "
        "PEMERINTAHAN BERBASIS ELEKTRONIK TAHUN 2026 1. Dalam rangka"
    )
    assert "DINAS KOMUNIKASI" not in first
    assert (
        "b. Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2026 tentang Tim Koordinasi dan "
        "Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis Elektronik Kota "
        "Pontianak."
    ) in first
    assert "paling lambat hari Selasa tanggal 15 (lima belas) Desember 2026." in first
    assert (
        f"Ditetapkan di : Pontianak pada tanggal : {services_date(circular)} "
        "Sekretaris Daerah Kota Pontianak, Ir. Mulyadi, M.T. NIP. 19690312 199403 1 004 "
        "Tembusan: 1. Wali Kota Pontianak (sebagai laporan)"
    ) in first
    assert f"Kode verifikasi: {document.code}" in first
    assert "DRAF" not in first
    assert distribution.startswith(
        f"Lampiran Surat Edaran Nomor : 800/1/Setda-Org/{year} Tanggal : "
        f"{services_date(circular)} Tentang : Pelaksanaan Pemantauan"
    )
    assert (
        "DAFTAR DISTRIBUSI No. Yth. Perangkat Daerah 1 Kepala Badan Kepegawaian dan "
        "Pengembangan Sumber Daya Manusia Badan Kepegawaian dan Pengembangan Sumber Daya "
        "Manusia 2 Kepala Dinas Kesehatan Dinas Kesehatan"
    ) in distribution


def services_date(letter):
    from documents.formal import tanggal

    return tanggal(letter.letter_date)


def test_the_draft_pdf_is_marked_and_unnumbered(circular, setda, coordinator):
    pages = pdf_text(services.letter_document(circular, by=coordinator, format="pdf"))
    assert "NOMOR ....... (draf) TENTANG" in pages[0]
    assert "DRAF" in pages[0]


def test_the_docx_prints_the_same(circular, setda, to_status, secretariat, institution):
    to_status(circular, "signed")
    document = services.letter_document(circular, by=secretariat, format="docx")
    assert Document.objects.filter(pk=document.pk, format="docx").exists()
    with document.file.open("rb") as handle:
        word = docx.Document(io.BytesIO(handle.read()))
    lines = [p.text.strip() for p in word.paragraphs if p.text.strip()]
    start = lines.index("Yth. Kepala Perangkat Daerah di lingkungan Pemerintah Kota Pontianak")
    assert lines[:start] == [
        "PEMERINTAH KOTA PONTIANAK",
        "SEKRETARIAT DAERAH",
        "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
    ]
    lines = lines[start:]
    year = year_of(institution)
    assert lines[:6] == [
        "Yth. Kepala Perangkat Daerah di lingkungan Pemerintah Kota Pontianak",
        "(daftar distribusi terlampir)",
        "SURAT EDARAN SEKRETARIS DAERAH KOTA PONTIANAK",
        f"NOMOR 800/1/Setda-Org/{year}",
        "TENTANG",
        "PELAKSANAAN PEMANTAUAN DAN EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK TAHUN 2026",
    ]
    assert lines[6].startswith("1.\tDalam rangka pelaksanaan")
    assert "b.\tKeputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2026 tentang " in "\n".join(lines)
    assert "Ir. Mulyadi, M.T." in lines
    assert "NIP. 19690312 199403 1 004" in lines
    assert "Sekretaris Daerah Kota Pontianak," in lines
    date = services_date(circular)
    assert "Ditetapkan di\t:\tPontianak" in lines
    assert f"pada tanggal\t:\t{date}" in lines
    reference = lines.index("Lampiran Surat Edaran")
    assert lines[reference : reference + 5] == [
        "Lampiran Surat Edaran",
        f"Nomor\t:\t800/1/Setda-Org/{year}",
        f"Tanggal\t:\t{date}",
        "Tentang\t:\tPelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
        "Elektronik Tahun 2026",
        "DAFTAR DISTRIBUSI",
    ]
    grid = word.tables[-1]
    assert [cell.text for cell in grid.rows[2].cells] == [
        "2",
        "Kepala Dinas Kesehatan",
        "Dinas Kesehatan",
    ]
