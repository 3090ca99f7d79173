"""Dates as Indonesian official documents write them ("22 November 2026", `tanggal`), and
as screens write them in the reader's language (`long_date`: "22 Juni 2026" / "22 June 2026";
`clock`: "14.30" / "14:30")."""

import datetime
import zoneinfo

from django.utils import timezone, translation
from django.utils.formats import date_format

# Not translated: a letter or a Berita Acara is an Indonesian document whatever language
# the person generating it reads the screens in.
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
