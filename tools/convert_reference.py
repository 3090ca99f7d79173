"""Convert the SPBE reference texts into the framework data file frameworks/data/spbe-2020.json.

A one-off script, run by hand when the reference texts change; it is NOT used at run or test
time (the application only reads the data file it writes, which is committed):

    .venv/bin/python tools/convert_reference.py [--reference DIR] [--output FILE]

It reads spbe-2020-indicators.json (PermenPANRB 59/2020: tree, weights, capability levels,
questions and Kuesioner criteria) and spbe-2020-guidance.json (Pedoman Menteri PANRB 3/2024:
Kriteria Level, pemenuhan, bukti dukung, deskripsi, ketentuan penilaian, contoh bukti dukung)
from ../shared/reference, and writes the "monev-framework/1" file described in
frameworks/data/README.md. Texts are copied verbatim; each source's attribution string is taken
from the `_about.attribution` of its reference file.
"""

import argparse
import json
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
DEFAULT_OUTPUT = ROOT / "frameworks" / "data" / "spbe-2020.json"

# Predicate bands, PermenPANRB 59/2020 Lampiran BAB II.B (Tabel predikat).
BANDS = [
    {"rating": "Kurang", "min": "1.0", "max": "1.8"},
    {"rating": "Cukup", "min": "1.8", "max": "2.6"},
    {"rating": "Baik", "min": "2.6", "max": "3.5"},
    {"rating": "Sangat Baik", "min": "3.5", "max": "4.2"},
    {"rating": "Memuaskan", "min": "4.2", "max": "5.0"},
]
# Reference capability model keys -> keys and names in the data file.
CAPABILITY_MODELS = {
    "proses": ("process", "Kapabilitas Proses"),
    "layanan": ("service", "Kapabilitas Layanan"),
}


def decimal_text(value):
    """A weight from the reference (a JSON float such as 1.3 or 13.0) as a decimal string."""
    number = Decimal(repr(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def capability_models(reference):
    models = {}
    for source_key, model in reference["capability_levels"].items():
        key, name = CAPABILITY_MODELS[source_key]
        models[key] = {
            "name": name,
            "source": "permen",
            "levels": {
                level: {"name": item["name"], "description": item["criteria_tabel"]}
                for level, item in model["levels"].items()
            },
        }
    return models


def indicator_node(indicator, guide):
    number = indicator["number"]
    notes = list(indicator["notes"])
    changed = guide["kriteria_level_differs_from_permen_59_2020_at_levels"]
    if changed:
        notes.append(
            "Kriteria Level dalam Pedoman 3/2024 berbeda redaksi dari Kuesioner PermenPANRB "
            "59/2020 pada tingkat " + ", ".join(str(level) for level in changed) + "."
        )
    notes += [f"Nama lain: {variant}." for variant in indicator["name_variants"]]
    return {
        "code": f"I{number}",
        "kind": "indicator",
        "number": number,
        "name": indicator["name"],
        "weight": decimal_text(indicator["weight_pct"]),
        "capability_model": CAPABILITY_MODELS[indicator["capability_model"]][0],
        "texts": {
            "question": indicator["question"],
            "question_source": "permen",
            "criteria": {
                "permen": dict(indicator["levels"]),
                "pedoman": {
                    level: item["kriteria_level"] for level, item in guide["levels"].items()
                },
            },
            "guidance": {
                "source": "pedoman",
                "name": guide["name_in_pedoman"],
                "description": guide["deskripsi_indikator"],
                "assessment_rules": guide["ketentuan_penilaian"],
                "evidence_examples": guide["contoh_bukti_dukung"],
                "levels": {
                    level: {
                        "fulfilment": item["kriteria_pemenuhan_level"],
                        "evidence": item["kriteria_bukti_dukung"],
                    }
                    for level, item in guide["levels"].items()
                },
            },
            "pages": {"permen": indicator["pdf_pages"], "pedoman": guide["pdf_pages"]},
            "notes": notes,
        },
    }


def build(reference, guidance):
    guides = {guide["number"]: guide for guide in guidance["indicators"]}
    indicators = {indicator["number"]: indicator for indicator in reference["indicators"]}
    aspects = {aspect["number"]: aspect for aspect in reference["aspects"]}
    tree = []
    for domain in reference["domains"]:
        tree.append(
            {
                "code": f"D{domain['number']}",
                "kind": "domain",
                "number": domain["number"],
                "name": domain["name"],
                "weight": decimal_text(domain["weight_pct"]),
                "children": [
                    {
                        "code": f"A{number}",
                        "kind": "aspect",
                        "number": number,
                        "name": aspects[number]["name"],
                        "weight": decimal_text(aspects[number]["weight_pct"]),
                        "children": [
                            indicator_node(indicators[item], guides[item])
                            for item in aspects[number]["indicators"]
                        ],
                    }
                    for number in domain["aspects"]
                ],
            }
        )
    return {
        "format": "monev-framework/1",
        "code": "spbe-2020",
        "version": "1",
        "name": "Evaluasi SPBE (PermenPANRB 59/2020)",
        "default": True,
        "provenance": "official",
        "provenance_note": (
            "Struktur, bobot, pertanyaan dan kriteria tingkat disalin apa adanya dari Lampiran "
            "PermenPANRB 59/2020; deskripsi, ketentuan penilaian, Kriteria Level, kriteria "
            "pemenuhan dan bukti dukung dari Pedoman Menteri PANRB 3/2024. Diambil dari lapisan "
            "teks PDF salinan resmi, tanpa OCR; salah ketik dalam teks resmi dibiarkan dan "
            "dicatat pada catatan indikator."
        ),
        "sources": [
            {
                "key": "permen",
                "label": "PermenPANRB 59/2020",
                "title": (
                    "Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan "
                    "Evaluasi Sistem Pemerintahan Berbasis Elektronik"
                ),
                "attribution": reference["_about"]["attribution"],
            },
            {
                "key": "pedoman",
                "label": "Pedoman Menteri PANRB 3/2024",
                "title": (
                    "Pedoman Menteri PANRB Nomor 3 Tahun 2024 tentang Tata Cara Pemantauan "
                    "dan Evaluasi Sistem Pemerintahan Berbasis Elektronik"
                ),
                "attribution": guidance["_about"]["attribution"],
            },
        ],
        "scale": {"min": reference["scale"]["min"], "max": reference["scale"]["max"]},
        "capability_models": capability_models(reference),
        "bands": BANDS,
        "tree": tree,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    reference = json.loads((args.reference / "spbe-2020-indicators.json").read_text("utf-8"))
    guidance = json.loads((args.reference / "spbe-2020-guidance.json").read_text("utf-8"))
    data = build(reference, guidance)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {sum(1 for _ in leaves(data['tree']))} indikator")


def leaves(nodes):
    for node in nodes:
        if node.get("children"):
            yield from leaves(node["children"])
        else:
            yield node


if __name__ == "__main__":
    main()
