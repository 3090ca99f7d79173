import datetime
import zoneinfo

import pytest

from cycles.clock import Calendar, measure
from institutions.models import DayOff

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(*args):
    return datetime.datetime(*args, tzinfo=WIB)


def test_weekend_is_skipped():
    # Friday 20 November 2026, 10:00 + 2 working days = Tuesday 10:00.
    assert Calendar().add_working_days(at(2026, 11, 20, 10), 2) == at(2026, 11, 24, 10)


def test_public_holiday_is_skipped():
    # Monday 17 August 2026 is Independence Day.
    assert Calendar().add_working_days(at(2026, 8, 14, 10), 1) == at(2026, 8, 18, 10)


def test_cuti_bersama_and_christmas_are_skipped():
    # Thursday 24 December 2026 is cuti bersama, Friday 25 December is Christmas.
    assert Calendar().add_working_days(at(2026, 12, 23, 9), 2) == at(2026, 12, 29, 9)


def test_institution_day_off_is_skipped():
    calendar = Calendar([datetime.date(2026, 11, 23)])
    assert calendar.add_working_days(at(2026, 11, 20, 10), 2) == at(2026, 11, 25, 10)


def test_working_days_between_counts_only_working_days():
    # Friday 15:00 to Monday 09:00: 9 hours on Friday and 9 on Monday.
    assert Calendar().working_days_between(at(2026, 11, 20, 15), at(2026, 11, 23, 9)) == 0.75
    assert Calendar().working_days_between(at(2026, 11, 23, 9), at(2026, 11, 20, 15)) == 0


@pytest.mark.django_db
def test_calendar_for_institution_reads_its_days_off(institution):
    DayOff.objects.create(institution=institution, date=datetime.date(2026, 11, 23), name="Cuti")
    calendar = Calendar.for_institution(institution)
    assert calendar.is_working_day(datetime.date(2026, 11, 23)) is False
    assert calendar.is_working_day(datetime.date(2026, 11, 24)) is True


class Step:
    def __init__(self, value, unit):
        self.time_value, self.time_unit = value, unit


def test_measure_minutes_and_working_days():
    minutes = measure(
        Step(30, "minutes"),
        at(2026, 11, 20, 10),
        at(2026, 11, 20, 10, 45),
        calendar=Calendar(),
        time_zone="Asia/Jakarta",
    )
    assert (minutes.value, minutes.is_late, minutes.overrun) == (45.0, True, 15.0)
    assert minutes.due == at(2026, 11, 20, 10, 30)
    days = measure(
        Step(3, "working_days"),
        at(2026, 11, 20, 10),
        at(2026, 11, 24, 10),
        calendar=Calendar(),
        time_zone="Asia/Jakarta",
    )
    assert (days.value, days.is_late, days.due) == (2.0, False, at(2026, 11, 25, 10))
