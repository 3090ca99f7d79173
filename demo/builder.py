"""The demo: Kota Pontianak (the SOP's home) and Kota Pangkalpinang (to show isolation),
each with its SOP, OPDs and accounts, on the shipped frameworks. Built through the same
services an administrator's imports and the loading commands use, never by writing rows."""

from functools import cache

from django.contrib.auth.hashers import get_hasher, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from demo.cycle import build_current_cycle
from demo.previous import build_previous_cycle
from frameworks.services import load_framework_files, shipped_framework_files
from institutions import services
from institutions.data import demo_logo_upload
from institutions.models import Institution, Role, User
from institutions.services.settings import update_settings
from letters.services import save_issuing_unit
from sops.services import SHIPPED_SOPS, load_sop_file

DEMO_PASSWORD = "monev-demo"
# The installation's administrator (a superuser, no institution): registers institutions in
# /admin/. Each institution's own administrator manages its users in the app.
INSTALLATION_ADMIN = "instalasi"

# (name, short name, functions): realistic OPDs of a city government and what they cover.
PONTIANAK_AGENCIES = [
    ("Dinas Komunikasi dan Informatika", "Diskominfo", "tik;data;keamanan"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", "perencanaan"),
    ("Badan Keuangan Daerah", "BKD", "keuangan;penganggaran;aset"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "sdm"),
    ("Inspektorat Daerah", "Inspektorat", "pengawasan"),
    ("Bagian Organisasi Sekretariat Daerah", "Bag. Organisasi", "organisasi;akuntabilitas"),
    ("Bagian Hukum Sekretariat Daerah", "Bag. Hukum", "hukum"),
    ("Bagian Pengadaan Barang dan Jasa Sekretariat Daerah", "Bag. PBJ", "pengadaan"),
    ("Dinas Perpustakaan dan Kearsipan", "DPK", "kearsipan"),
    (
        "Dinas Penanaman Modal, Tenaga Kerja dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "pelayanan",
    ),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "pelayanan;data"),
    ("Dinas Kesehatan", "Dinkes", "pelayanan"),
    ("Dinas Pendidikan dan Kebudayaan", "Disdikbud", "pelayanan"),
    ("Dinas Sosial", "Dinsos", "pelayanan"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", ""),
    ("Dinas Perhubungan", "Dishub", "pelayanan"),
    ("Dinas Lingkungan Hidup", "DLH", ""),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "Disperkim", ""),
    ("Dinas Koperasi, Usaha Mikro dan Perdagangan", "Diskumdag", "pelayanan"),
    ("Dinas Pangan, Pertanian dan Perikanan", "DPPP", ""),
    ("Dinas Kepemudaan, Olahraga dan Pariwisata", "Disporapar", ""),
    (
        "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan "
        "Perlindungan Anak",
        "DPPKBPPPA",
        "pelayanan",
    ),
    ("Satuan Polisi Pamong Praja", "Satpol PP", ""),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", ""),
    ("Badan Pendapatan Daerah", "Bapenda", "keuangan;pelayanan"),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", ""),
    ("Rumah Sakit Umum Daerah Sultan Syarif Mohamad Alkadrie", "RSUD SSMA", "pelayanan"),
    ("Kecamatan Pontianak Kota", "Kec. Pontianak Kota", "pelayanan"),
    ("Kecamatan Pontianak Barat", "Kec. Pontianak Barat", "pelayanan"),
    ("Kecamatan Pontianak Selatan", "Kec. Pontianak Selatan", "pelayanan"),
]

PANGKALPINANG_AGENCIES = [
    ("Dinas Komunikasi dan Informatika", "Diskominfo", "tik;data;keamanan"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", "perencanaan"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "keuangan;penganggaran;aset"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "sdm"),
    ("Inspektorat Daerah", "Inspektorat", "pengawasan"),
    ("Bagian Hukum Sekretariat Daerah", "Bag. Hukum", "hukum"),
    ("Dinas Kesehatan", "Dinkes", "pelayanan"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "pelayanan;data"),
]

# (username, full name, position, roles) of the SOP's actors.
STAFF = [
    ("admin", "Admin Diskominfo", "Pranata Komputer", "admin"),
    (
        "koordinator",
        "Rina Wulandari, S.Kom.",
        "Kepala Seksi Pengembangan Kebijakan dan Aplikasi Informatika",
        "coordinator",
    ),
    (
        "kabid",
        "Ir. Hendra Saputra, M.T.",
        "Kepala Bidang Tata Kelola Pemerintahan Berbasis Elektronik dan Telematika",
        "supervisor",
    ),
    (
        "sekretariat",
        "Dewi Lestari, S.E.",
        "Sekretaris Dinas Komunikasi dan Informatika",
        "secretariat",
    ),
    ("evaluator", "Agus Pratama, S.T.", "Anggota Tim SPBE Kota", "evaluator"),
    ("sekda", "Dr. H. Mulyadi, M.Si.", "Sekretaris Daerah Kota {city}", "leader"),
]

# The NIP of Kota Pontianak's staff accounts (by username before the prefix): the papers
# they sign or are named in print it (the Surat Edaran, the Berita Acara, the Dokumen
# Evaluasi, the team decree).
PONTIANAK_NIPS = {
    "sekda": "19680817 199203 1 005",
    "kabid": "19760312 200003 1 004",
    "koordinator": "19850704 201001 2 012",
    "evaluator": "19900214 201503 1 003",
}

# The Sekretariat Daerah of Kota Pontianak: numbers and prints the Surat Edaran Sekretaris
# Daerah in its own register and under its own kop (letters.services.save_issuing_unit).
PONTIANAK_SETDA = {
    "name": "Sekretariat Daerah",
    "code": "Setda-Org",
    "letter_number_format": "800/{seq}/Setda-Org/{year}",
    "letterhead": "PEMERINTAH KOTA PONTIANAK\nSEKRETARIAT DAERAH",
    "address": "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
    "is_secretariat": True,
}


def operator_username(prefix, short_name):
    return f"{prefix}opd-{slugify(short_name)}"


def _demo_password_hash():
    """DEMO_PASSWORD hashed once per hasher (tests switch to a fast one): a hash costs ~0.3 s
    of CPU on purpose, the demo has 50 accounts and the scale data (demo.scale) over a
    thousand, all with that password."""
    return _hashed_with(get_hasher().algorithm)


@cache
def _hashed_with(algorithm):
    return make_password(DEMO_PASSWORD, hasher=algorithm)


def build_institution(
    *, slug, name, city, letterhead, address, agencies, prefix, sop=None, nips=None, **fields
):
    """The institution, its SOP (the shipped one of `sop`, by default of `slug`), its OPDs
    (name, short name, functions) and accounts: the STAFF (with their NIP from `nips`, by
    username before the prefix) and an operator per OPD, their usernames starting with
    `prefix`, all with DEMO_PASSWORD."""
    nips = nips or {}
    institution = services.create_institution(
        by=None, slug=slug, name=name, city=city, letterhead=letterhead, address=address, **fields
    )
    load_sop_file(SHIPPED_SOPS[sop or slug], institution=institution)
    agency_rows = [
        (line, {"nama": n, "singkatan": s, "fungsi": f})
        for line, (n, s, f) in enumerate(agencies, start=2)
    ]
    report = services.import_agencies(institution, agency_rows, by=None)
    assert report.ok, report.errors
    user_rows = [
        {
            "username": prefix + u,
            "nama": n,
            "nip": nips.get(u, ""),
            "jabatan": p.format(city=city),
            "peran": r,
        }
        for u, n, p, r in STAFF
    ]
    user_rows += [
        {
            "username": operator_username(prefix, short),
            "nama": f"Operator {short}",
            "jabatan": f"Operator SPBE {short}",
            "peran": "opd",
            "opd": short,
        }
        for _name, short, _functions in agencies
    ]
    # Imported without a password (as for an invitation), then given the demo's one hash.
    report = services.import_users(institution, list(enumerate(user_rows, start=2)), by=None)
    assert report.ok, report.errors
    institution.users.update(password=_demo_password_hash())
    return institution


@transaction.atomic
def build():
    """Create both demo institutions unless they exist. Returns False when already there."""
    load_framework_files(shipped_framework_files())
    if Institution.objects.filter(slug="pontianak").exists():
        return False
    pontianak = build_institution(
        slug="pontianak",
        name="Pemerintah Kota Pontianak",
        city="Pontianak",
        letterhead="PEMERINTAH KOTA PONTIANAK\nDINAS KOMUNIKASI DAN INFORMATIKA",
        address="Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        agencies=PONTIANAK_AGENCIES,
        prefix="",
        letter_number_format="005/{seq}/DISKOMINFO-TKPBET/{year}",
        signer_name="Drs. Hendri Kurniawan, M.Si.",
        signer_title="Kepala Dinas Komunikasi dan Informatika Kota Pontianak",
        signer_nip="19700101 199503 1 001",
        nips=PONTIANAK_NIPS,
    )
    admin = User.objects.get(username="admin")
    update_settings(pontianak, by=admin, values={}, logo=demo_logo_upload())
    save_issuing_unit(pontianak, by=admin, **PONTIANAK_SETDA)
    build_previous_cycle(pontianak, year=timezone.localdate().year - 1)
    build_current_cycle(pontianak)
    build_institution(
        slug="pangkalpinang",
        name="Pemerintah Kota Pangkalpinang",
        city="Pangkalpinang",
        letterhead="PEMERINTAH KOTA PANGKALPINANG\nDINAS KOMUNIKASI DAN INFORMATIKA",
        address="Jalan Rasakunda, Pangkalpinang",
        agencies=PANGKALPINANG_AGENCIES,
        prefix="pkp-",
        letter_number_format="005/{seq}/DKIP/{year}",
        signer_name="Ahmad Fauzi, S.T., M.M.",
        signer_title="Kepala Dinas Komunikasi dan Informatika Kota Pangkalpinang",
        signer_nip="19750505 200003 1 002",
    )
    services.create_installation_admin(
        by=None,
        username=INSTALLATION_ADMIN,
        password=DEMO_PASSWORD,
        full_name="Administrator Instalasi",
    )
    return True


def accounts():
    """(username, who) for every demo account, to print when the demo starts."""
    rows = []
    for prefix, agencies, city in (
        ("", PONTIANAK_AGENCIES, "Kota Pontianak"),
        ("pkp-", PANGKALPINANG_AGENCIES, "Kota Pangkalpinang"),
    ):
        rows += [(prefix + u, f"{city}: {Role(r).label}") for u, _n, _p, r in STAFF]
        rows += [(operator_username(prefix, s), f"{city}: operator {s}") for _n, s, _f in agencies]
    rows.append((INSTALLATION_ADMIN, "administrator instalasi (/admin/)"))
    return rows
