import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from institutions import services
from institutions.models import Agency, Membership, Role, User


def upload(content, name="data.csv"):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts():
    return (Agency.objects.count(), User.objects.count(), Membership.objects.count())


def test_read_table_csv_with_semicolons_and_bom():
    rows = services.read_table(
        upload("\ufeffNama;Singkatan\nDinas Kesehatan;Dinkes\n;\n"), required=["nama"]
    )
    assert rows == [(2, {"nama": "Dinas Kesehatan", "singkatan": "Dinkes"})]


def test_read_table_xlsx_by_content_whatever_the_name():
    data = xlsx_bytes([["nama", "singkatan"], ["Dinas Sosial", "Dinsos"]])
    rows = services.read_table(upload(data, name="daftar.csv"), required=["nama"])
    assert rows == [(2, {"nama": "Dinas Sosial", "singkatan": "Dinsos"})]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas kosong."),
        (b"\x00\x01\x02binary\xff\xfe", "Berkas bukan XLSX atau CSV (UTF-8) yang dapat dibaca."),
        (b"PK\x03\x04not really a zip", "Berkas bukan XLSX atau CSV yang dapat dibaca."),
        (
            b"singkatan\nDinkes\n",
            "Kolom wajib tidak ada: nama. Baris pertama harus berisi nama kolom.",
        ),
    ],
)
def test_read_table_refuses_unreadable_files(content, message):
    with pytest.raises(services.ImportFileError) as error:
        services.read_table(upload(content), required=["nama"])
    assert str(error.value) == message


def test_import_agencies_creates_and_updates(institution, admin_user, agency):
    rows = [
        (2, {"nama": "Dinas Kesehatan", "singkatan": "Dinkes", "fungsi": "pelayanan publik"}),
        (3, {"nama": agency.name, "singkatan": "bkpsdm", "kepala": "Drs. Ahmad", "fungsi": "sdm"}),
    ]
    report = services.import_agencies(institution, rows, by=admin_user)
    assert (report.created, report.updated, report.errors) == (1, 1, [])
    assert Agency.objects.get(short_name="Dinkes").functions == ["pelayanan"]
    agency.refresh_from_db()
    assert agency.head_name == "Drs. Ahmad"
    event = AuditEvent.objects.get(action="agencies.imported")
    assert (event.actor, event.institution, event.after) == (
        admin_user,
        institution,
        {"created": 1, "updated": 1},
    )


def test_import_agencies_is_all_or_nothing(institution, admin_user):
    rows = [
        (2, {"nama": "Dinas Kesehatan", "singkatan": "Dinkes"}),
        (3, {"nama": "Dinas Sosial", "singkatan": ""}),
        (4, {"nama": "Dinas Pendidikan", "singkatan": "dinkes"}),
        (5, {"nama": "Dinas Perhubungan", "singkatan": "Dishub", "fungsi": "sihir"}),
    ]
    before = counts()
    report = services.import_agencies(institution, rows, by=admin_user)
    assert [(e.line, e.message) for e in report.errors] == [
        (3, "Kolom nama dan singkatan wajib diisi."),
        (4, "Singkatan dinkes sudah dipakai di baris 2."),
        (5, "Fungsi tidak dikenal: sihir."),
    ]
    assert counts() == before
    assert not AuditEvent.objects.exists()


def test_import_users_sets_exact_roles(institution, admin_user, agency):
    rows = [
        (2, {"username": "budi", "nama": "Budi", "peran": "kabid; evaluator", "kata_sandi": ""}),
        (
            3,
            {
                "username": "opd-x",
                "nama": "Operator",
                "peran": "opd",
                "opd": "BKPSDM",
                "kata_sandi": "rahasia-sekali-123",
            },
        ),
    ]
    report = services.import_users(institution, rows, by=admin_user)
    assert (report.created, report.errors) == (2, [])
    budi = User.objects.get(username="budi")
    assert sorted(budi.memberships.values_list("role", flat=True)) == ["evaluator", "supervisor"]
    assert not budi.has_usable_password()
    operator = User.objects.get(username="opd-x")
    assert operator.check_password("rahasia-sekali-123")
    assert list(operator.memberships.values_list("role", "agency")) == [(Role.AGENCY, agency.pk)]


def test_import_users_reports_every_bad_row_and_writes_nothing(
    institution, admin_user, agency, outsider
):
    rows = [
        (2, {"username": "pkp-koordinator", "nama": "Orang", "peran": "koordinator"}),
        (3, {"username": "a", "nama": "A", "peran": "raja"}),
        (4, {"username": "b", "nama": "B", "peran": "opd"}),
        (5, {"username": "c", "nama": "C", "peran": "opd", "opd": "XYZ"}),
        (6, {"username": "d", "nama": "D", "peran": "admin", "kata_sandi": "123"}),
        (7, {"username": "A", "nama": "A lagi", "peran": "admin"}),
        (8, {"username": "e", "nama": "E", "peran": "admin", "surel": "bukan-surel"}),
    ]
    before = counts()
    report = services.import_users(institution, rows, by=admin_user)
    assert [(e.line, e.message) for e in report.errors] == [
        (2, "Nama pengguna pkp-koordinator sudah dipakai."),
        (3, "Peran tidak dikenal: raja."),
        (4, "Peran operator OPD memerlukan kolom opd (singkatan OPD)."),
        (5, "OPD XYZ tidak ditemukan di instansi ini."),
        (6, "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter."),
        (6, "Kata sandi ini terlalu umum."),
        (6, "Kata sandi ini seluruhnya terdiri dari angka."),
        (7, "Nama pengguna sudah ada di baris 3."),
        (8, "Alamat surel tidak valid: bukan-surel."),
    ]
    assert counts() == before
