"""The Pedoman's validity rules as warnings, and the national export file names."""

import datetime

import pytest

from cycles.models import Cycle
from evidence.models import Evidence
from evidence.naming import export_name, letter_of, title_slug
from evidence.validity import validity_warnings
from frameworks.models import Node

NO_DATE = "Tanggal dokumen belum diisi."
OLD_REVIEW = "Dokumen reviu/evaluasi bertanggal lebih dari 2 tahun tidak mendukung tingkat 5."


def evidence_of(year, document_date):
    return Evidence(cycle=Cycle(year=year), title="Laporan reviu", document_date=document_date)


@pytest.mark.parametrize(
    ("document_date", "level", "warnings"),
    [
        (datetime.date(2024, 12, 31), 5, []),
        (datetime.date(2024, 12, 30), 5, [OLD_REVIEW]),
        (datetime.date(2019, 6, 1), 5, [OLD_REVIEW]),
        (datetime.date(2019, 6, 1), 4, []),
        (datetime.date(2026, 2, 1), 5, []),
        (None, 5, [NO_DATE]),
        (None, 3, [NO_DATE]),
        (None, None, [NO_DATE]),
    ],
)
def test_validity_warnings_for_the_2026_cycle(db, framework, document_date, level, warnings):
    indicator = framework.nodes.get(code="I36")
    evidence = evidence_of(2026, document_date)
    assert validity_warnings(evidence, level=level, indicator=indicator) == warnings


def test_the_two_year_rule_applies_to_every_indicator_of_the_2020_framework(db, framework):
    old = evidence_of(2026, datetime.date(2020, 1, 1))
    indicators = framework.nodes.filter(children__isnull=True)
    assert indicators.count() == 47
    for indicator in indicators:
        assert validity_warnings(old, level=5, indicator=indicator) == [OLD_REVIEW]


def test_the_two_year_rule_skips_an_indicator_whose_level_5_asks_no_review():
    indicator = Node(texts={"criteria": {"permen": {"5": "Layanan terintegrasi nasional."}}})
    old = evidence_of(2026, datetime.date(2020, 1, 1))
    assert validity_warnings(old, level=5, indicator=indicator) == []


@pytest.mark.parametrize(
    ("number", "index", "title", "ext", "name"),
    [
        (36, 0, "SK Kepegawaian", "pdf", "36.a.SK-Kepegawaian.pdf"),
        ("36", 1, "SK Kepegawaian", "pdf", "36.b.SK-Kepegawaian.pdf"),
        (
            1,
            2,
            "Perwa 12/2024 tentang Arsitektur SPBE",
            "pdf",
            "1.c.Perwa-12-2024-tentang-Arsitektur-SPBE.pdf",
        ),
        (20, 3, "  Kolaborasi   SPBE  ", "docx", "20.d.Kolaborasi-SPBE.docx"),
        (
            5,
            0,
            "Laporan Reviu & Evaluasi: Tata Kelola (2024)",
            "xlsx",
            "5.a.Laporan-Reviu-Evaluasi-Tata-Kelola-2024.xlsx",
        ),
        (
            7,
            0,
            "Pedoman Tata Naskah Dinas — revisi",
            "odt",
            "7.a.Pedoman-Tata-Naskah-Dinas-revisi.odt",
        ),
        (9, 25, "Ésai café", "png", "9.z.Esai-cafe.png"),
        (9, 26, "///", "jpg", "9.aa.Dokumen.jpg"),
    ],
)
def test_export_name(number, index, title, ext, name):
    assert export_name(number, index, title, ext) == name


def test_letters_go_on_past_z():
    assert [letter_of(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "a",
        "b",
        "z",
        "aa",
        "ab",
        "az",
        "ba",
        "zz",
        "aaa",
    ]


def test_a_long_title_is_cut_without_a_trailing_hyphen():
    slug = title_slug("Keputusan " * 20)
    assert len(slug) <= 80
    assert slug.startswith("Keputusan-Keputusan-")
    assert not slug.endswith("-")
