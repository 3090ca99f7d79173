"""Dates as Indonesian official documents write them: "22 November 2026"."""

import datetime
import zoneinfo

from django.utils import timezone

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
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            if isinstance(time_zone, str):
                time_zone = zoneinfo.ZoneInfo(time_zone)
            value = timezone.localtime(value, time_zone)
        value = value.date()
    if not isinstance(value, datetime.date):
        raise TypeError(f"tanggal() needs a date or datetime, not {type(value).__name__}")
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
