import pytest
from django.core.management import CommandError, call_command

from sops.models import Sop, SopStep
from sops.services import SHIPPED_SOPS


def test_load_sop_loads_then_reports_unchanged(institution, capsys):
    call_command("load_sop", str(SHIPPED_SOPS["pontianak"]), institution="pontianak")
    call_command("load_sop", str(SHIPPED_SOPS["pontianak"]), institution="pontianak")
    assert capsys.readouterr().out.splitlines() == [
        "SOP pontianak-monev-spbe v2020 untuk Pemerintah Kota Pontianak: dibuat, 8 langkah.",
        "SOP pontianak-monev-spbe v2020 untuk Pemerintah Kota Pontianak: tidak berubah, 8 langkah.",
    ]
    assert (Sop.objects.count(), SopStep.objects.count()) == (1, 8)


def test_load_sop_refuses_a_bad_file_with_its_problems(institution, pontianak_data, write_sop):
    pontianak_data["steps"][2]["actors"] = ["walikota"]
    path = write_sop(pontianak_data)
    with pytest.raises(CommandError) as caught:
        call_command("load_sop", str(path), institution="pontianak")
    assert str(caught.value) == (
        "SOP tidak dimuat, tidak ada yang diubah:\n"
        f"{path}: langkah 3: pelaksana 'walikota' tidak dikenal (yang dinyatakan: "
        "coordinator, supervisor, secretariat, evaluator, agency, leader)."
    )
    assert Sop.objects.count() == 0


def test_load_sop_refuses_an_unknown_institution(db):
    with pytest.raises(CommandError) as caught:
        call_command("load_sop", str(SHIPPED_SOPS["pontianak"]), institution="atlantis")
    assert str(caught.value) == "Instansi dengan kode 'atlantis' tidak ditemukan."
    assert Sop.objects.count() == 0
