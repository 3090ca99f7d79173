"""The words of Indonesian official documents, in one place: dates as letters write them
("22 November 2026", `tanggal`; "Senin, 7 Desember 2026", `hari_tanggal`; "09.00",
`pukul`; "WIB", `zone_name`), numbers and dates in words as a Berita Acara writes them
(`terbilang`, `date_in_words`), and the region's name (`region_name`). Also the dates as
screens write them in the reader's language (`long_date`: "22 Juni 2026" / "22 June 2026";
`clock`: "14.30" / "14:30").

Not translated: a letter or a Berita Acara is an Indonesian document whatever language the
person generating it reads the screens in.
"""

import datetime
import zoneinfo

from django.utils import timezone, translation
from django.utils.formats import date_format

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# Monday first, as datetime.date.weekday() counts.
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# The Indonesian time zones by their official abbreviations.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def tanggal(value, *, time_zone=None):
    """The long Indonesian date of a date or datetime, e.g. "2 Januari 2027"; "" for None.

    An aware datetime is first converted to `time_zone` (a name like "Asia/Makassar" or a
    tzinfo), or to the current time zone when none is given, so that 23:30 UTC on the 21st
    is the 22nd in Pontianak. A naive datetime is taken as it is.
    """
    if value is None:
        return ""
    day = _day(value, time_zone)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_date(value, *, time_zone=None):
    """The long date in the active language: `tanggal` in Indonesian ("20 Juni 2025"), the
    same order with the language's month names otherwise ("20 June 2025"); "" for None.
    Official documents are rendered under translation.override("id"), so they stay Indonesian."""
    if _indonesian():
        return tanggal(value, time_zone=time_zone)
    if value is None:
        return ""
    return date_format(_day(value, time_zone), "j F Y")


def clock(value, *, time_zone=None):
    """The time of day in the active language: "14.30" in Indonesian (as official documents
    write it), "14:30" otherwise; "" for None. An aware datetime is converted like `tanggal`."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value, time_zone)
    elif not isinstance(value, datetime.time):
        raise TypeError(f"clock() needs a datetime or time, not {type(value).__name__}")
    separator = "." if _indonesian() else ":"
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def _indonesian():
    return (translation.get_language() or "id").split("-")[0] == "id"


def _local(value, time_zone):
    if timezone.is_aware(value):
        if isinstance(time_zone, str):
            time_zone = zoneinfo.ZoneInfo(time_zone)
        value = timezone.localtime(value, time_zone)
    return value


def _day(value, time_zone):
    if isinstance(value, datetime.datetime):
        value = _local(value, time_zone).date()
    if not isinstance(value, datetime.date):
        raise TypeError(f"tanggal() needs a date or datetime, not {type(value).__name__}")
    return value


def day_name(date):
    """ "Senin" ... "Minggu"."""
    return DAYS[date.weekday()]


def month_name(date):
    return MONTHS[date.month - 1]


def hari_tanggal(value, time_zone):
    """ "Senin, 7 Desember 2026" for an aware datetime, in `time_zone`."""
    day = _day(value, time_zone)
    return f"{day_name(day)}, {tanggal(day)}"


def pukul(value, time_zone):
    """ "09.00" for an aware datetime in `time_zone`, whatever the active language (an
    official document's time)."""
    local = _local(value, time_zone)
    return f"{local.hour:02d}.{local.minute:02d}"


def zone_name(time_zone):
    """ "WIB", "WITA" or "WIT" for an Indonesian time zone's name; other names as they are."""
    return ZONE_NAMES.get(time_zone, time_zone)


def terbilang(number):
    """A whole number in Indonesian words: 22 → "dua puluh dua", 11 → "sebelas",
    100 → "seratus", 1000 → "seribu", 2026 → "dua ribu dua puluh enam"."""
    number = int(number)
    if number < 0:
        return f"minus {terbilang(-number)}"
    if number < 12:
        return ONES[number]
    if number < 20:
        return f"{ONES[number - 10]} belas"
    if number < 100:
        return _join(f"{ONES[number // 10]} puluh", number % 10)
    if number < 1000:
        head = "seratus" if number < 200 else f"{ONES[number // 100]} ratus"
        return _join(head, number % 100)
    if number < 10**6:
        head = "seribu" if number < 2000 else f"{terbilang(number // 1000)} ribu"
        return _join(head, number % 1000)
    for size, name in SCALES:
        if number >= size:
            return _join(f"{terbilang(number // size)} {name}", number % size)
    raise AssertionError("unreachable")


def _join(head, rest):
    return f"{head} {terbilang(rest)}" if rest else head


def date_in_words(date):
    """ "Minggu tanggal dua puluh dua bulan November tahun dua ribu dua puluh enam
    (22-11-2026)", the date as the opening sentence of a Berita Acara spells it."""
    return (
        f"{day_name(date)} tanggal {terbilang(date.day)} bulan {month_name(date)} "
        f"tahun {terbilang(date.year)} ({date:%d-%m-%Y})"
    )


def region_name(institution):
    """ "Pemerintah Kota Pontianak" -> "Kota Pontianak" (the name without "Pemerintah")."""
    name = institution.name.strip()
    prefix = "pemerintah "
    return name[len(prefix) :].strip() if name.lower().startswith(prefix) else name
