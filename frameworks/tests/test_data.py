"""The framework files that ship with the application."""

from decimal import Decimal

from frameworks.fileformat import read_framework_file
from frameworks.scoring import Band

from .conftest import DATA_DIR, SPBE_2018, SPBE_2020


def test_every_shipped_file_is_valid():
    files = sorted(path.name for path in DATA_DIR.glob("*.json"))

    assert files == ["spbe-2018.json", "spbe-2020.json"]
    assert [read_framework_file(DATA_DIR / name).spec.code for name in files] == [
        "spbe-2018",
        "spbe-2020",
    ]


def test_spbe_2020_tree_and_weights(spec2020):
    assert [root.code for root in spec2020.roots] == ["D1", "D2", "D3", "D4"]
    assert [node.code for node in spec2020.nodes if node.kind == "aspect"] == [
        f"A{number}" for number in range(1, 9)
    ]
    assert [node.code for node in spec2020.indicators] == [f"I{n}" for n in range(1, 48)]
    assert [node.number for node in spec2020.indicators] == [str(n) for n in range(1, 48)]
    assert sum(node.weight for node in spec2020.indicators) == Decimal("100")
    assert {node.code: node.weight for node in spec2020.nodes if node.kind == "aspect"} == {
        "A1": Decimal("13"),
        "A2": Decimal("10"),
        "A3": Decimal("10"),
        "A4": Decimal("5"),
        "A5": Decimal("12"),
        "A6": Decimal("4.5"),
        "A7": Decimal("27.5"),
        "A8": Decimal("18"),
    }
    models = [node.capability_model for node in spec2020.indicators]
    assert models == ["process"] * 31 + ["service"] * 16


def test_spbe_2020_levels_and_bands(spec2020):
    process = spec2020.capability_models["process"]["levels"]
    service = spec2020.capability_models["service"]["levels"]
    assert [process[str(level)]["name"] for level in range(1, 6)] == [
        "Rintisan",
        "Terkelola",
        "Terdefinisi",
        "Terpadu dan Terukur",
        "Optimum",
    ]
    assert [service[str(level)]["name"] for level in range(1, 6)] == [
        "Informasi",
        "Interaksi",
        "Transaksi",
        "Kolaborasi",
        "Optimum",
    ]
    assert spec2020.bands == (
        Band("Kurang", Decimal("1.0"), Decimal("1.8")),
        Band("Cukup", Decimal("1.8"), Decimal("2.6")),
        Band("Baik", Decimal("2.6"), Decimal("3.5")),
        Band("Sangat Baik", Decimal("3.5"), Decimal("4.2")),
        Band("Memuaskan", Decimal("4.2"), Decimal("5.0")),
    )


def test_spbe_2020_texts_and_sources():
    framework = read_framework_file(SPBE_2020)
    texts = framework.spec.by_code["I1"].texts

    assert framework.is_default is True
    assert framework.provenance == "official"
    assert [(source["key"], source["attribution"]) for source in framework.sources] == [
        (
            "permen",
            "Sumber: Lampiran Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan "
            "dan Evaluasi SPBE.",
        ),
        (
            "pedoman",
            "Sumber: Pedoman Menteri PANRB Nomor 3 Tahun 2024 tentang Tata Cara Pemantauan dan "
            "Evaluasi SPBE.",
        ),
    ]
    assert texts["question"] == (
        "Apakah Instansi Pusat/Pemerintah Daerah memiliki kebijakan internal Arsitektur SPBE "
        "Instansi Pusat/Pemerintah Daerah?"
    )
    assert texts["question_source"] == "permen"
    assert texts["criteria"]["permen"]["1"] == (
        "Konsep kebijakan internal terkait Arsitektur SPBE Instansi Pusat/Pemerintah Daerah "
        "belum atau telah tersedia."
    )
    # Level 2 differs between the two sources by one space ("Pusat/ Pemerintah").
    assert texts["criteria"]["permen"]["2"] != texts["criteria"]["pedoman"]["2"]
    assert texts["guidance"]["source"] == "pedoman"
    assert texts["guidance"]["assessment_rules"].startswith("Penilaian dilakukan terhadap")
    assert sorted(texts["guidance"]["levels"]) == ["1", "2", "3", "4", "5"]
    assert texts["notes"] == [
        "Kriteria Level dalam Pedoman 3/2024 berbeda redaksi dari Kuesioner PermenPANRB "
        "59/2020 pada tingkat 2."
    ]


def test_every_spbe_2020_indicator_has_all_texts(spec2020):
    for node in spec2020.indicators:
        texts = node.texts
        assert texts["question"], node.code
        for source in ("permen", "pedoman"):
            assert sorted(texts["criteria"][source]) == ["1", "2", "3", "4", "5"], node.code
            assert all(texts["criteria"][source].values()), node.code
        guidance = texts["guidance"]
        for field in ("description", "assessment_rules", "evidence_examples"):
            assert guidance[field], (node.code, field)
        for level in guidance["levels"].values():
            assert level["fulfilment"], node.code
            assert level["evidence"], node.code


def test_spbe_2018_is_reconstructed_without_texts():
    framework = read_framework_file(SPBE_2018)
    spec = framework.spec

    assert framework.provenance == "reconstructed"
    assert framework.is_default is False
    assert "Direkonstruksi dari hasil evaluasi SPBE yang dipublikasikan" in (
        framework.provenance_note
    )
    assert [node.texts for node in spec.indicators] == [{}] * 35
    assert [node.name for node in spec.indicators[:2]] == [
        "Kebijakan Internal Tim Pengarah SPBE",
        "Kebijakan Internal Inovasi Proses Bisnis Terintegrasi",
    ]
    assert {node.code: node.weight for node in spec.nodes if node.kind == "aspect"} == {
        "A1": Decimal("7"),
        "A2": Decimal("10"),
        "A3": Decimal("8"),
        "A4": Decimal("8"),
        "A5": Decimal("12"),
        "A6": Decimal("35"),
        "A7": Decimal("20"),
    }
