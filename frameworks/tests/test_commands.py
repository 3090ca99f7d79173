import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from frameworks.models import Framework, Node

from .conftest import SPBE_2020

# One level per official indicator number 1..47: index 3.295 ("3.30", Baik); domain 3 1.73.
LEVELS = [3] * 10 + [3, 4, 3, 2] + [4, 4, 3, 3] + [3, 3] + [2] * 8 + [1] * 3 + [4] * 16


def levels_csv(levels=LEVELS, header="indicator,level", extra=""):
    rows = [header] + [f"{number},{level}" for number, level in enumerate(levels, start=1)]
    return "\n".join(rows) + "\n" + extra


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- load_frameworks --------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_frameworks_loads_every_shipped_file_then_reports_unchanged():
    first = run("load_frameworks")
    second = run("load_frameworks")

    data = SPBE_2020.parent
    assert first.splitlines() == [
        f"{data / 'spbe-2018.json'}: spbe-2018 versi 1 dimuat.",
        f"{data / 'spbe-2020.json'}: spbe-2020 versi 1 dimuat.",
    ]
    assert second.splitlines() == [
        f"{data / 'spbe-2018.json'}: spbe-2018 versi 1 tidak berubah.",
        f"{data / 'spbe-2020.json'}: spbe-2020 versi 1 tidak berubah.",
    ]
    assert Framework.objects.count() == 2


@pytest.mark.django_db
def test_load_frameworks_reports_an_update(flat_data, write_framework):
    path = write_framework(flat_data)
    run("load_frameworks", str(path))
    flat_data["name"] = "Nama baru"
    write_framework(flat_data)

    output = run("load_frameworks", str(path))

    assert output == f"{path}: uji-datar versi 1 diperbarui.\n"


@pytest.mark.django_db
def test_load_frameworks_refuses_a_bad_file_and_changes_nothing(flat_data, write_framework):
    good = write_framework(flat_data, name="baik.json")
    flat_data["version"] = "2"
    flat_data["tree"][1]["weight"] = "45"
    bad = write_framework(flat_data, name="salah.json")

    with pytest.raises(CommandError) as error:
        run("load_frameworks", str(good), str(bad))

    assert str(error.value) == (
        f"{bad}: simpul A2: bobot 45 tidak sama dengan jumlah bobot anaknya (X3) = 40.\n"
        f"{bad}: jumlah bobot simpul teratas (A1, A2) harus 100, bukan 105."
    )
    assert Framework.objects.count() == 0
    assert Node.objects.count() == 0


# --- score ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_score_prints_every_domain_and_aspect_the_index_and_the_predicate(spbe2020, write_levels):
    output = run("score", "--framework", "spbe-2020", "--levels", str(write_levels(levels_csv())))

    lines = output.splitlines()
    assert lines[0] == "Evaluasi SPBE (PermenPANRB 59/2020) · spbe-2020 versi 1"
    table = {line.split()[0]: line.split()[-2:] for line in lines[2:15]}
    assert table == {
        "Kode": ["Bobot", "Indeks"],
        "D1": ["13", "3,00"],
        "A1": ["13", "3,00"],
        "D2": ["25", "3,20"],
        "A2": ["10", "3,00"],
        "A3": ["10", "3,50"],
        "A4": ["5", "3,00"],
        "D3": ["16,5", "1,73"],
        "A5": ["12", "2,00"],
        "A6": ["4,5", "1,00"],
        "D4": ["45,5", "4,00"],
        "A7": ["27,5", "4,00"],
        "A8": ["18", "4,00"],
    }
    assert "  Aspek 2. Perencanaan Strategis SPBE" in lines[6]
    assert lines[-2:] == ["Indeks: 3,30", "Predikat: Baik"]


@pytest.mark.django_db
def test_score_json(spbe2020, write_levels):
    path = write_levels(levels_csv())

    output = run("score", "--framework", "spbe-2020", "--version", "1", "--levels", path, "--json")

    data = json.loads(output)
    assert data["index"] == 3.295
    assert data["index_display"] == "3.30"
    assert data["rating"] == "Baik"
    assert data["complete"] is True
    assert data["framework"] == {
        "code": "spbe-2020",
        "version": "1",
        "name": "Evaluasi SPBE (PermenPANRB 59/2020)",
    }
    assert data["domains"] == [
        {"code": "D1", "number": "1", "name": "Kebijakan Internal SPBE", "index": 3},
        {"code": "D2", "number": "2", "name": "Tata Kelola SPBE", "index": 3.2},
        {"code": "D3", "number": "3", "name": "Manajemen SPBE", "index": 1.7272727272727273},
        {"code": "D4", "number": "4", "name": "Layanan SPBE", "index": 4},
    ]
    assert [(aspect["code"], aspect["index"]) for aspect in data["aspects"]] == [
        ("A1", 3),
        ("A2", 3),
        ("A3", 3.5),
        ("A4", 3),
        ("A5", 2),
        ("A6", 1),
        ("A7", 4),
        ("A8", 4),
    ]
    assert len(data["indicators"]) == 47
    assert data["indicators"][11] == {
        "code": "I12",
        "number": "12",
        "name": "Tingkat Kematangan Peta Rencana SPBE Instansi Pusat/Pemerintah Daerah",
        "index": 4,
    }


@pytest.mark.django_db
def test_score_a_framework_without_domains(flat_data, write_framework, write_levels):
    run("load_frameworks", str(write_framework(flat_data)))
    path = write_levels("indicator;level\n1;5\n2;2\n3;3\n")

    data = json.loads(run("score", "--framework", "uji-datar", "--levels", path, "--json"))

    assert data["index"] == 3.6
    assert data["rating"] == "Sedang"
    assert "domains" not in data
    assert data["aspects"] == [
        {"code": "A1", "number": "1", "name": "Aspek Satu", "index": 4},
        {"code": "A2", "number": "2", "name": "Aspek Dua", "index": 3},
    ]


def replace_line(text, line, content):
    lines = text.splitlines()
    lines[line - 1] = content
    return "\n".join(lines) + "\n"


BAD_LEVELS = {
    "wrong header": (
        levels_csv(header="indikator,tingkat"),
        "{file} baris 1: kepala kolom harus 'indicator,level', bukan 'indikator,tingkat'.",
    ),
    "not csv": (
        "Ini bukan berkas CSV.\n",
        "{file} baris 1: kepala kolom harus 'indicator,level', bukan 'Ini bukan berkas CSV.'.",
    ),
    "not text": (
        b"indicator,level\n1,3\n\xff\xfe\x00\x01\n",
        "{file} baris 3: bukan teks CSV (UTF-8).",
    ),
    "unknown indicator": (
        replace_line(levels_csv(), 48, "99,3"),
        "{file} baris 48: indikator '99' tidak ada di kerangka spbe-2020.\n"
        "{file}: indikator belum diisi (1 dari 47): 47.",
    ),
    "level outside scale": (
        replace_line(levels_csv(), 4, "3,6"),
        "{file} baris 4: tingkat indikator 3 (6) di luar skala 1–5.",
    ),
    "level not an integer": (
        replace_line(levels_csv(), 5, "4,3.5"),
        "{file} baris 5: tingkat indikator 4 harus bilangan bulat, bukan '3.5'.",
    ),
    "duplicate row": (
        levels_csv(extra="12,2\n"),
        "{file} baris 49: indikator 12 sudah diisi di baris 13.",
    ),
    "wrong column count": (
        replace_line(levels_csv(), 7, "6,3,catatan"),
        "{file} baris 7: harus 2 kolom (indicator,level), ditemukan 3.\n"
        "{file}: indikator belum diisi (1 dari 47): 6.",
    ),
    "missing indicators": (
        levels_csv(levels=LEVELS[:44]),
        "{file}: indikator belum diisi (3 dari 47): 45, 46, 47.",
    ),
    "empty file": ("", "{file} baris 1: kepala kolom harus 'indicator,level'."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_LEVELS)
def test_score_refuses_a_bad_levels_file(case, spbe2020, write_levels):
    content, message = BAD_LEVELS[case]
    path = write_levels(content)

    with pytest.raises(CommandError) as error:
        run("score", "--framework", "spbe-2020", "--levels", str(path))

    assert str(error.value) == message.format(file=path)


@pytest.mark.django_db
def test_score_says_to_load_frameworks_first(write_levels):
    with pytest.raises(CommandError) as error:
        run("score", "--framework", "spbe-2020", "--levels", str(write_levels(levels_csv())))

    assert str(error.value) == (
        "Kerangka spbe-2020 belum ada di basis data. Jalankan dulu: "
        "python manage.py load_frameworks"
    )


@pytest.mark.django_db
def test_score_names_an_unknown_version(spbe2020, write_levels):
    path = str(write_levels(levels_csv()))

    with pytest.raises(CommandError) as error:
        run("score", "--framework", "spbe-2020", "--version", "9", "--levels", path)

    assert str(error.value) == (
        "Kerangka spbe-2020 versi 9 belum ada di basis data. Jalankan dulu: "
        "python manage.py load_frameworks"
    )
