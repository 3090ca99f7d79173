import copy
import json
from pathlib import Path

import pytest

from frameworks.fileformat import read_framework_file
from frameworks.services import load_framework_file
from institutions.models import User

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SPBE_2020 = DATA_DIR / "spbe-2020.json"
SPBE_2018 = DATA_DIR / "spbe-2018.json"

# A framework with no domains (aspect -> indicator), three bands and its own level names.
FLAT = {
    "format": "monev-framework/1",
    "code": "uji-datar",
    "version": "1",
    "name": "Kerangka uji tanpa domain",
    "default": False,
    "provenance": "reconstructed",
    "provenance_note": "Dibuat untuk pengujian.",
    "sources": [
        {"key": "resmi", "title": "Peraturan Uji", "attribution": "Sumber: Peraturan Uji."}
    ],
    "scale": {"min": 1, "max": 5},
    "capability_models": {
        "umum": {
            "name": "Kematangan umum",
            "levels": {
                "1": {"name": "Awal", "description": ""},
                "2": {"name": "Dasar", "description": ""},
                "3": {"name": "Tertata", "description": ""},
                "4": {"name": "Terukur", "description": ""},
                "5": {"name": "Unggul", "description": ""},
            },
        }
    },
    "bands": [
        {"rating": "Rendah", "min": "1", "max": "2.5"},
        {"rating": "Sedang", "min": "2.5", "max": "4"},
        {"rating": "Tinggi", "min": "4", "max": "5"},
    ],
    "tree": [
        {
            "code": "A1",
            "kind": "aspect",
            "number": 1,
            "name": "Aspek Satu",
            "weight": "60",
            "children": [
                {
                    "code": "X1",
                    "kind": "indicator",
                    "number": 1,
                    "name": "Indikator Satu",
                    "weight": "40",
                    "capability_model": "umum",
                    "texts": {
                        "question": "Apakah ada?",
                        "question_source": "resmi",
                        "criteria": {"resmi": {"1": "Belum ada.", "5": "Sudah optimal."}},
                    },
                },
                {
                    "code": "X2",
                    "kind": "indicator",
                    "number": 2,
                    "name": "Indikator Dua",
                    "weight": "20",
                    "capability_model": "umum",
                },
            ],
        },
        {
            "code": "A2",
            "kind": "aspect",
            "number": 2,
            "name": "Aspek Dua",
            "weight": "40",
            "children": [
                {
                    "code": "X3",
                    "kind": "indicator",
                    "number": 3,
                    "name": "Indikator Tiga",
                    "weight": "40",
                    "capability_model": "umum",
                }
            ],
        },
    ],
}


@pytest.fixture
def flat_data():
    """A fresh copy of FLAT to change in a test."""
    return copy.deepcopy(FLAT)


@pytest.fixture
def write_framework(tmp_path):
    """write_framework(data, name=...) -> the path of a framework file in tmp_path."""

    def write(data, name="kerangka.json"):
        path = tmp_path / name
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_levels(tmp_path):
    """write_levels(text) -> the path of a levels CSV file in tmp_path."""

    def write(text, name="tingkat.csv"):
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def spec2020():
    return read_framework_file(SPBE_2020).spec


@pytest.fixture
def spbe2020(db):
    framework, _outcome = load_framework_file(SPBE_2020)
    return framework


@pytest.fixture
def spbe2018(db):
    framework, _outcome = load_framework_file(SPBE_2018)
    return framework


@pytest.fixture
def user(db):
    return User.objects.create_user("u", password="x")


def all_levels(spec, level):
    return {node.code: level for node in spec.indicators}


@pytest.fixture
def root(db):
    """The installation's administrator: a superuser of no institution."""
    return User.objects.create_superuser("root", password="x", institution=None)
