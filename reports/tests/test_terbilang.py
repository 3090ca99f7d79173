import datetime

import pytest

from reports.terbilang import date_in_words, day_name, terbilang


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (22, "dua puluh dua"),
        (31, "tiga puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (2026, "dua ribu dua puluh enam"),
        (11_000, "sebelas ribu"),
        (100_000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (2_500_000, "dua juta lima ratus ribu"),
        (1_000_000_000, "satu miliar"),
        (-5, "minus lima"),
    ],
)
def test_terbilang_spells_indonesian_numbers(number, words):
    assert terbilang(number) == words


def test_date_in_words_spells_the_day_date_month_and_year():
    date = datetime.date(2026, 11, 22)
    assert day_name(date) == "Minggu"
    assert date_in_words(date) == (
        "Minggu tanggal dua puluh dua bulan November tahun dua ribu dua puluh enam (22-11-2026)"
    )


def test_date_in_words_of_a_monday_in_january():
    assert date_in_words(datetime.date(2027, 1, 4)) == (
        "Senin tanggal empat bulan Januari tahun dua ribu dua puluh tujuh (04-01-2027)"
    )
