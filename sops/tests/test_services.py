import pytest

from institutions.models import Role
from sops.models import Sop, SopStep
from sops.services import SHIPPED_SOPS, LoadOutcome, SopFileError, load_sop_file

ACTOR_KEYS = "coordinator, supervisor, secretariat, evaluator, agency, leader"


def step_facts(sop):
    return [
        (s.number, s.actors, s.time_min, s.time_value, s.time_unit, s.time_label)
        for s in sop.steps.all()
    ]


def test_pontianak_file_loads_with_its_header_actors_and_steps(pontianak_sop, institution):
    assert (pontianak_sop.institution, pontianak_sop.code, pontianak_sop.version) == (
        institution,
        "pontianak-monev-spbe",
        "2020",
    )
    assert pontianak_sop.name == "Monitoring dan Evaluasi SPBE"
    assert pontianak_sop.actors == [
        {"key": "coordinator", "name": "Kasi. PK&AI"},
        {"key": "supervisor", "name": "Kabid. TKPBET"},
        {"key": "secretariat", "name": "Sekretariat Dinas"},
        {"key": "evaluator", "name": "Tim SPBE Kota Pontianak"},
        {"key": "agency", "name": "OPD"},
        {"key": "leader", "name": "Setda"},
    ]
    assert pontianak_sop.header["number"] == "/ TKPBET.DKI / 2020"
    assert pontianak_sop.header["created"] == "3 Februari 2020"
    assert pontianak_sop.approved_by == {
        "title": "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KOTA PONTIANAK",
        "name": "Ir. H. URAY INDRA MULYA, MM",
        "rank": "Pembina Utama Muda",
        "nip": "19610329 198903 1 004",
    }
    assert len(pontianak_sop.header["legal_basis"]) == 5
    assert pontianak_sop.organization_lines[0] == "PEMERINTAH KOTA PONTIANAK"
    assert pontianak_sop.has_header is True
    assert step_facts(pontianak_sop) == [
        (1, ["coordinator"], None, 3, "working_days", "3 hari"),
        (2, ["supervisor"], None, 30, "minutes", "30 menit"),
        (3, ["secretariat"], None, 2, "working_days", "2 hari"),
        (4, ["agency"], 5, 10, "working_days", "1 - 2 minggu"),
        (5, ["coordinator"], None, 5, "working_days", "1 minggu"),
        (6, ["evaluator", "coordinator"], None, 180, "minutes", "180 menit"),
        (7, ["coordinator", "leader"], None, 180, "minutes", "180 menit"),
        (8, ["coordinator"], None, 60, "minutes", "60 menit"),
    ]
    first = pontianak_sop.steps.get(number=1)
    assert first.activity.startswith("Melapor kepada Kabid TKPBET terkait persiapan seksi PK&AI")
    assert first.requirements == "Surat, data OPD, formulir evaluasi SPBE"
    assert first.output == "surat"


def test_pangkalpinang_file_loads_with_its_names_and_an_empty_header(pangkalpinang_sop):
    assert [actor["name"] for actor in pangkalpinang_sop.actors] == [
        "Tim SPBE Diskominfo",
        "Kabid Penyelenggaraan E-Government",
        "Sekretariat Dinas",
        "Tim SPBE Kota Pangkalpinang",
        "OPD",
        "Sekda",
    ]
    assert pangkalpinang_sop.has_header is False
    assert pangkalpinang_sop.header["number"] == ""
    assert pangkalpinang_sop.steps.count() == 8
    step2 = pangkalpinang_sop.steps.get(number=2)
    assert (step2.time_value, step2.time_unit, step2.time_display) == (30, "minutes", "30 menit")
    step4 = pangkalpinang_sop.steps.get(number=4)
    assert (step4.time_min, step4.time_value, step4.time_unit, step4.time_display) == (
        5,
        10,
        "working_days",
        "1 – 2 minggu",
    )
    assert step4.owner == "agency"


def test_reloading_the_same_file_changes_nothing(pontianak_sop, institution):
    step_ids = list(pontianak_sop.steps.values_list("pk", flat=True))
    sop, outcome = load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    assert (sop.pk, outcome) == (pontianak_sop.pk, LoadOutcome.UNCHANGED)
    assert sop.loaded_at == pontianak_sop.loaded_at
    assert list(sop.steps.values_list("pk", flat=True)) == step_ids
    assert (Sop.objects.count(), SopStep.objects.count()) == (1, 8)


def test_same_file_for_two_institutions_makes_two_sops(institution, other_institution):
    first, _ = load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    second, outcome = load_sop_file(SHIPPED_SOPS["pontianak"], institution=other_institution)
    assert outcome == LoadOutcome.CREATED
    assert first.pk != second.pk
    assert (Sop.objects.count(), SopStep.objects.count()) == (2, 16)


def test_changed_content_with_same_version_updates_in_place(
    pontianak_sop, pontianak_data, write_sop, institution
):
    step_ids = list(pontianak_sop.steps.values_list("pk", flat=True))
    pontianak_data["actors"][0]["name"] = "Kasi Aplikasi Informatika"
    pontianak_data["steps"][1]["time_standard"] = {"value": 1, "unit": "working_days"}
    pontianak_data["steps"] = pontianak_data["steps"][:7]
    sop, outcome = load_sop_file(write_sop(pontianak_data), institution=institution)
    assert (sop.pk, outcome) == (pontianak_sop.pk, LoadOutcome.UPDATED)
    assert sop.actor_names["coordinator"] == "Kasi Aplikasi Informatika"
    step2 = sop.steps.get(number=2)
    assert (step2.time_value, step2.time_unit, step2.time_label) == (1, "working_days", "")
    assert step2.time_display == "1 hari kerja"
    assert list(sop.steps.values_list("pk", flat=True)) == step_ids[:7]
    assert sop.loaded_at > pontianak_sop.loaded_at


def test_new_version_is_kept_beside_the_old_one(pontianak_sop, pontianak_data, write_sop):
    pontianak_data["version"] = "2024"
    sop, outcome = load_sop_file(write_sop(pontianak_data), institution=pontianak_sop.institution)
    assert outcome == LoadOutcome.CREATED
    assert list(Sop.objects.values_list("version", flat=True)) == ["2024", "2020"]


def test_custom_sop_with_nine_steps_and_other_names_loads(institution, write_sop):
    data = {
        "format": "monev-sop/1",
        "code": "kabupaten-contoh",
        "version": "2025.1",
        "name": "Evaluasi SPBE Kabupaten Contoh",
        "source": "Contoh untuk pengujian.",
        "actors": [
            {"key": "coordinator", "name": "Bidang Aptika"},
            {"key": "supervisor", "name": "Kepala Dinas"},
            {"key": "agency", "name": "Perangkat Daerah"},
            {"key": "leader", "name": "Bupati"},
        ],
        "steps": [
            {
                "number": number,
                "activity": f"Kegiatan {number}",
                "actors": ["agency", "coordinator"] if number == 4 else ["coordinator"],
                "requirements": "",
                "time_standard": {"min": 1, "value": 2, "unit": "working_days"},
                "output": f"Keluaran {number}",
            }
            for number in range(1, 10)
        ],
    }
    sop, outcome = load_sop_file(write_sop(data), institution=institution)
    assert outcome == LoadOutcome.CREATED
    assert sop.has_header is False
    assert sop.actor_names == {
        "coordinator": "Bidang Aptika",
        "supervisor": "Kepala Dinas",
        "agency": "Perangkat Daerah",
        "leader": "Bupati",
    }
    assert list(sop.steps.values_list("number", flat=True)) == list(range(1, 10))
    step9 = sop.steps.get(number=9)
    assert (step9.activity, step9.output, step9.time_display) == (
        "Kegiatan 9",
        "Keluaran 9",
        "1–2 hari kerja",
    )


# Bad files: every case is refused with messages naming the file, the step and the problem,
# and leaves the database exactly as it was.


def break_step(number, **fields):
    def modify(data):
        data["steps"][number - 1].update(fields)

    return modify


def set_time(number, **fields):
    def modify(data):
        data["steps"][number - 1]["time_standard"] = fields

    return modify


def drop_step_field(number, field):
    def modify(data):
        del data["steps"][number - 1][field]

    return modify


def renumber(*numbers):
    def modify(data):
        for step, number in zip(data["steps"], numbers, strict=True):
            step["number"] = number

    return modify


BAD_CASES = {
    "unknown actor in a step": (
        break_step(3, actors=["secretariat", "kepala"]),
        [f"langkah 3: pelaksana 'kepala' tidak dikenal (yang dinyatakan: {ACTOR_KEYS})."],
    ),
    "missing field": (
        drop_step_field(5, "output"),
        ["langkah 5: kolom 'output' tidak ada."],
    ),
    "empty activity": (
        break_step(2, activity="  "),
        ["langkah 2: activity kosong."],
    ),
    "unknown time unit": (
        set_time(6, value=3, unit="hours"),
        ["langkah 6: satuan waktu 'hours' tidak dikenal (yang dikenal: working_days, minutes)."],
    ),
    "value not a positive integer": (
        set_time(1, value=0, unit="working_days"),
        ["langkah 1: waktu (value) harus bilangan bulat positif, bukan 0."],
    ),
    "value a fraction": (
        set_time(1, value=1.5, unit="working_days"),
        ["langkah 1: waktu (value) harus bilangan bulat positif, bukan 1.5."],
    ),
    "min greater than value": (
        set_time(4, min=10, value=5, unit="working_days"),
        ["langkah 4: waktu minimum (10) lebih besar dari waktu baku (5)."],
    ),
    "duplicated step number": (
        renumber(1, 2, 3, 4, 5, 6, 7, 7),
        [
            "nomor langkah ganda: 7.",
            "nomor langkah harus urut 1 sampai 8 tanpa celah, ditemukan: 1, 2, 3, 4, 5, 6, 7, 7.",
        ],
    ),
    "gap in step numbers": (
        renumber(1, 2, 3, 4, 5, 6, 7, 9),
        ["nomor langkah harus urut 1 sampai 8 tanpa celah, ditemukan: 1, 2, 3, 4, 5, 6, 7, 9."],
    ),
    "step number not a number": (
        renumber(1, 2, "3", 4, 5, 6, 7, 8),
        [
            "langkah ke-3 dalam daftar: number harus bilangan bulat positif, bukan '3'.",
            "nomor langkah harus urut 1 sampai 8 tanpa celah, ditemukan: 1, 2, 4, 5, 6, 7, 8.",
        ],
    ),
    "unknown role key in actors": (
        lambda data: data["actors"].append({"key": "mayor", "name": "Wali Kota"}),
        [f"pelaksana ke-7: kunci 'mayor' tidak dikenal (yang dikenal: {ACTOR_KEYS})."],
    ),
    "missing top-level field": (
        lambda data: data.pop("code"),
        ["kolom 'code' tidak ada."],
    ),
    "wrong format": (
        lambda data: data.update(format="monev-sop/2"),
        ["format harus 'monev-sop/1', bukan 'monev-sop/2'."],
    ),
    "misspelt header field": (
        lambda data: data["header"].update(nomor="1/2020"),
        [
            "header: kolom 'nomor' tidak dikenal (yang dikenal: approved_by, created, effective, "
            "equipment, legal_basis, name, number, organization, qualifications, records, "
            "related, revised, warnings)."
        ],
    ),
    "several problems at once": (
        lambda data: (break_step(2, activity="")(data), set_time(8, value=-1, unit="menit")(data)),
        [
            "langkah 2: activity kosong.",
            "langkah 8: satuan waktu 'menit' tidak dikenal (yang dikenal: working_days, minutes).",
            "langkah 8: waktu (value) harus bilangan bulat positif, bukan -1.",
        ],
    ),
}


@pytest.mark.parametrize(("modify", "expected"), BAD_CASES.values(), ids=BAD_CASES.keys())
def test_bad_file_is_refused_and_nothing_changes(
    pontianak_sop, pontianak_data, write_sop, modify, expected
):
    modify(pontianak_data)
    path = write_sop(pontianak_data, name="rusak.json")
    with pytest.raises(SopFileError) as caught:
        load_sop_file(path, institution=pontianak_sop.institution)
    assert caught.value.problems == [f"{path}: {message}" for message in expected]
    assert (Sop.objects.count(), SopStep.objects.count()) == (1, 8)
    assert Sop.objects.get().content_hash == pontianak_sop.content_hash


def test_file_that_is_not_json_is_refused(institution, tmp_path):
    path = tmp_path / "bukan.json"
    path.write_text('{"format": "monev-sop/1",\n  "code": }', encoding="utf-8")
    with pytest.raises(SopFileError) as caught:
        load_sop_file(path, institution=institution)
    assert caught.value.problems == [
        f"{path}: bukan JSON yang sah (baris 2, kolom 11: Expecting value)."
    ]
    assert Sop.objects.count() == 0


def test_missing_file_is_refused(institution, tmp_path):
    path = tmp_path / "tidak-ada.json"
    with pytest.raises(SopFileError) as caught:
        load_sop_file(path, institution=institution)
    assert caught.value.problems == [
        f"{path}: berkas tidak dapat dibaca ([Errno 2] No such file or directory: '{path}')."
    ]


def test_a_list_instead_of_an_object_is_refused(institution, write_sop):
    path = write_sop([1, 2])
    with pytest.raises(SopFileError) as caught:
        load_sop_file(path, institution=institution)
    assert caught.value.problems == [f"{path}: isi berkas harus berupa objek JSON ({{...}})."]


def test_actor_keys_are_the_roles_but_admin():
    keys = [role.value for role in Role if role != Role.ADMIN]
    assert ", ".join(keys) == ACTOR_KEYS
