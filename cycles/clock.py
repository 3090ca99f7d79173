"""The SOP's clock: time standards in working days (weekends, Indonesian public holidays,
cuti bersama and the institution's own days off excluded) or in minutes."""

import datetime
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

import holidays

from institutions.models import DayOff
from monev import plain
from sops.models import TimeUnit


@lru_cache(maxsize=1)
def _days_off_sql():
    return f"{plain.select((DayOff, 'd'))}WHERE {plain.column(DayOff, 'institution', 'd')} = %s"


@lru_cache(maxsize=32)
def national_days_off(year):
    """Public holidays and cuti bersama (joint leave) of Indonesia for one year."""
    return frozenset(
        holidays.country_holidays("ID", years=year, categories=("public", "government"))
    )


class Calendar:
    """Working days of one institution: Monday-Friday minus national and own days off."""

    def __init__(self, extra_days_off=()):
        self.extra = frozenset(extra_days_off)

    @classmethod
    def for_institution(cls, institution):
        """The institution's calendar: its own days off read by one plain statement (the
        OPD's home and portal show the working days left)."""
        rows = plain.fetch(_days_off_sql(), [institution.pk])
        return cls(plain.instance(DayOff, row).date for row in rows)

    def is_working_day(self, day):
        return (
            day.weekday() < 5 and day not in self.extra and day not in national_days_off(day.year)
        )

    def working_days_between(self, start, end):
        """Working days elapsed from `start` to `end` (datetimes, same time zone).

        Counted as whole working days after the start day, plus the fraction of the
        current working day, so a step started on Friday afternoon and finished on Monday
        morning took well under one working day.
        """
        if end <= start:
            return 0.0
        total = 0.0
        cursor = start
        while cursor < end:
            next_midnight = datetime.datetime.combine(
                cursor.date() + datetime.timedelta(days=1), datetime.time(), cursor.tzinfo
            )
            segment_end = min(end, next_midnight)
            if self.is_working_day(cursor.date()):
                total += (segment_end - cursor).total_seconds() / 86400
            cursor = segment_end
        return total

    def add_working_days(self, start, days):
        """The moment `days` working days after `start` (a datetime)."""
        remaining = datetime.timedelta(days=days)
        cursor = start
        while True:
            next_midnight = datetime.datetime.combine(
                cursor.date() + datetime.timedelta(days=1), datetime.time(), cursor.tzinfo
            )
            if self.is_working_day(cursor.date()):
                available = next_midnight - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
            cursor = next_midnight


@dataclass(frozen=True)
class Elapsed:
    """How long a step took (or has taken so far) against its standard, in its own unit."""

    value: float
    standard: int
    unit: str
    due: datetime.datetime

    @property
    def is_late(self):
        return self.value > self.standard

    @property
    def overrun(self):
        return max(0.0, self.value - self.standard)


def measure(step, started_at, ended_at, *, calendar, time_zone):
    """Elapsed time of an SOP step from `started_at` to `ended_at` (aware datetimes)."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start, end = started_at.astimezone(zone), ended_at.astimezone(zone)
    if step.time_unit == TimeUnit.MINUTES:
        value = (end - start).total_seconds() / 60
        due = start + datetime.timedelta(minutes=step.time_value)
    else:
        value = calendar.working_days_between(start, end)
        due = calendar.add_working_days(start, step.time_value)
    return Elapsed(value=value, standard=step.time_value, unit=step.time_unit, due=due)
