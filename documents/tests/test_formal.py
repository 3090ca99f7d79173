import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from documents.formal import (
    clock,
    date_in_words,
    day_name,
    hari_tanggal,
    long_date,
    pukul,
    region_name,
    tanggal,
    terbilang,
    zone_name,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 22), "22 November 2026"),
        (datetime.date(2027, 1, 2), "2 Januari 2027"),
        (datetime.date(2024, 2, 29), "29 Februari 2024"),
        (datetime.date(2026, 5, 1), "1 Mei 2026"),
        (datetime.date(2026, 8, 17), "17 Agustus 2026"),
        (datetime.date(2026, 12, 31), "31 Desember 2026"),
        (datetime.datetime(2026, 3, 9, 23, 59), "9 Maret 2026"),
        (None, ""),
    ],
)
def test_tanggal_long_indonesian_date(value, expected):
    assert tanggal(value) == expected


def test_tanggal_converts_aware_datetime_to_given_time_zone():
    # 23:30 UTC on 21 November is already 22 November in Pontianak (UTC+7).
    moment = datetime.datetime(2026, 11, 21, 23, 30, tzinfo=datetime.UTC)
    assert tanggal(moment, time_zone="UTC") == "21 November 2026"
    assert tanggal(moment, time_zone="Asia/Pontianak") == "22 November 2026"
    assert tanggal(moment, time_zone=zoneinfo.ZoneInfo("America/New_York")) == "21 November 2026"


def test_tanggal_uses_current_time_zone_by_default():
    moment = datetime.datetime(2026, 12, 31, 16, 0, tzinfo=datetime.UTC)
    with timezone.override("Asia/Jayapura"):
        assert tanggal(moment) == "1 Januari 2027"
    with timezone.override("Asia/Jakarta"):
        assert tanggal(moment) == "31 Desember 2026"


def test_tanggal_refuses_other_types():
    with pytest.raises(TypeError):
        tanggal("2026-11-22")


def test_tanggal_template_filter():
    template = Template(
        "{% load monev_dates %}{{ day|tanggal }} / {{ moment|tanggal:'Asia/Makassar' }}"
        " / [{{ text|tanggal }}]"
    )
    context = Context(
        {
            "day": datetime.date(2026, 11, 22),
            "moment": datetime.datetime(2026, 6, 30, 17, 0, tzinfo=datetime.UTC),
            "text": "bukan tanggal",
        }
    )
    assert template.render(context) == "22 November 2026 / 1 Juli 2026 / []"


def test_long_date_follows_the_readers_language():
    day = datetime.date(2025, 6, 20)
    moment = datetime.datetime(2025, 12, 14, 23, 30, tzinfo=datetime.UTC)

    with translation.override("id"):
        indonesian = (long_date(day), long_date(moment, time_zone="Asia/Makassar"))
    with translation.override("en"):
        english = (long_date(day), long_date(moment, time_zone="Asia/Makassar"))

    assert indonesian == ("20 Juni 2025", "15 Desember 2025")
    assert english == ("20 June 2025", "15 December 2025")


def test_tanggal_filter_is_english_on_english_screens_and_tanggal_stays_indonesian():
    rendered = Template("{% load monev_dates %}{{ day|tanggal }}")
    day = datetime.date(2025, 12, 15)

    with translation.override("en"):
        assert rendered.render(Context({"day": day})) == "15 December 2025"
        assert tanggal(day) == "15 Desember 2025"  # official documents


def test_clock_in_the_readers_language_and_time_zone():
    moment = datetime.datetime(2026, 11, 21, 7, 5, tzinfo=datetime.UTC)  # 14.05 in Pontianak
    with translation.override("id"):
        assert clock(moment, time_zone="Asia/Pontianak") == "14.05"
        assert clock(datetime.time(9, 0)) == "09.00"
        assert clock(None) == ""
    with translation.override("en"):
        assert clock(moment, time_zone="Asia/Pontianak") == "14:05"


def test_pukul_filter_uses_the_current_time_zone():
    moment = datetime.datetime(2026, 11, 21, 23, 30, tzinfo=datetime.UTC)
    source = Template("{% load monev_dates %}{{ m|tanggal }} {{ m|pukul }}{{ x|pukul }}")
    with timezone.override(zoneinfo.ZoneInfo("Asia/Jayapura")):
        with translation.override("id"):
            assert source.render(Context({"m": moment, "x": "-"})) == "22 November 2026 08.30"
        with translation.override("en"):
            assert source.render(Context({"m": moment, "x": "-"})) == "22 November 2026 08:30"


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


def test_hari_tanggal_and_pukul_in_the_given_time_zone():
    # 17:30 UTC on Sunday 6 December is already Monday 00.30 in Pontianak (UTC+7).
    moment = datetime.datetime(2026, 12, 6, 17, 30, tzinfo=datetime.UTC)
    assert hari_tanggal(moment, "Asia/Pontianak") == "Senin, 7 Desember 2026"
    assert pukul(moment, "Asia/Pontianak") == "00.30"
    assert pukul(moment, "Asia/Jayapura") == "02.30"


def test_pukul_uses_a_dot_whatever_the_language():
    moment = datetime.datetime(2026, 12, 7, 2, 5, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert pukul(moment, "Asia/Makassar") == "10.05"


@pytest.mark.parametrize(
    ("time_zone", "name"),
    [
        ("Asia/Jakarta", "WIB"),
        ("Asia/Pontianak", "WIB"),
        ("Asia/Makassar", "WITA"),
        ("Asia/Jayapura", "WIT"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),
    ],
)
def test_zone_name(time_zone, name):
    assert zone_name(time_zone) == name


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Pemerintah Kota Pontianak", "Kota Pontianak"),
        ("  PEMERINTAH Kabupaten Sambas ", "Kabupaten Sambas"),
        ("Dinas Kominfo", "Dinas Kominfo"),
    ],
)
def test_region_name_drops_pemerintah(name, region):
    class Institution:
        pass

    institution = Institution()
    institution.name = name
    assert region_name(institution) == region
