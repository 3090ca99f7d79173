import pytest
from django.utils import translation

from sops.durations import duration_text, minutes_text, range_text, working_days_text
from sops.models import TimeUnit


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(1120, "18 jam 40 menit"), (45, "45 menit"), (120, "2 jam"), (0, "0 menit")],
)
def test_minutes_read_as_hours_and_minutes(minutes, expected):
    with translation.override("id"):
        assert minutes_text(minutes) == expected


@pytest.mark.parametrize(
    ("days", "indonesian", "english"),
    [
        (16.5, "16,5 hari kerja", "16.5 working days"),
        (3, "3 hari kerja", "3 working days"),
        (1.0, "1 hari kerja", "1 working day"),
        (1.25, "1,3 hari kerja", "1.3 working days"),
        # Under one working day: its hours and minutes (a working day counts 24 hours).
        (0.2, "4 jam 48 menit", "4 h 48 min"),
        (0.0, "0 menit", "0 min"),
    ],
)
def test_working_days_show_a_decimal_only_when_not_whole(days, indonesian, english):
    with translation.override("id"):
        assert working_days_text(days) == indonesian
    with translation.override("en"):
        assert working_days_text(days) == english


def test_duration_text_picks_the_steps_unit():
    with translation.override("id"):
        assert duration_text(1120, TimeUnit.MINUTES) == "18 jam 40 menit"
        assert duration_text(1.5, TimeUnit.WORKING_DAYS) == "1,5 hari kerja"


@pytest.mark.parametrize(
    ("minutes", "english"),
    [(1120, "18 h 40 min"), (150, "2 h 30 min"), (45, "45 min"), (120, "2 h")],
)
def test_minutes_in_english(minutes, english):
    with translation.override("en"):
        assert minutes_text(minutes) == english


def test_ranges_go_through_the_same_words():
    with translation.override("id"):
        assert range_text(3, 5, TimeUnit.WORKING_DAYS) == "3–5 hari kerja"
        assert range_text(30, 90, TimeUnit.MINUTES) == "30 menit – 1 jam 30 menit"
    with translation.override("en"):
        assert range_text(3, 5, TimeUnit.WORKING_DAYS) == "3–5 working days"
        assert range_text(30, 90, TimeUnit.MINUTES) == "30 min – 1 h 30 min"
