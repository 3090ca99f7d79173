import datetime
import zoneinfo

import pytest
from django.utils import timezone

from cycles.services import start_step
from notifications.models import Notification
from recap.tasks import (
    remind_agencies,
    remind_collecting_agencies,
    reminder_moment,
    send_opd_reminders,
)
from recap.tests.conftest import answer

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day, hour=10):
    """A moment in December 2026, Pontianak time (the deadline is 15 December)."""
    return datetime.datetime(2026, 12, day, hour, tzinfo=WIB)


@pytest.fixture
def collecting(cycle, coordinator, agency, other_agency, agency_user, other_agency_user):
    """Step 4 running; BKPSDM has a draft, an unstarted and a returned answer; Dinkes is done."""
    start_step(cycle, 4, by=coordinator)
    answer(cycle, agency, 25, "draft")
    answer(cycle, agency, 41, "returned", level=2)
    for number in (45, 46):
        answer(cycle, other_agency, number, "submitted", level=3)
    answer(cycle, other_agency, 47, "accepted", level=2)
    return cycle


@pytest.mark.parametrize(
    ("days_left", "moment"),
    [(10, None), (8, None), (7, "d7"), (5, "d7"), (3, "d3"), (2, "d3"), (1, "d1"), (0, "d1")],
)
def test_reminder_moment_before_the_deadline(days_left, moment):
    assert reminder_moment(days_left, [7, 3, 1]) == moment


def test_reminder_moment_after_the_deadline():
    assert reminder_moment(-1, [7, 3, 1]) == "late"


def test_three_days_before_lists_exactly_what_is_missing(collecting, agency, agency_user):
    assert remind_agencies(collecting, now=at(12)) == 1
    notification = Notification.objects.get()
    assert notification.user == agency_user
    assert notification.key == f"opd-reminder:{collecting.pk}:{agency.pk}:d3"
    assert notification.url == f"/isian/{collecting.pk}/opd/{agency.pk}/"
    assert notification.text == (
        "Monev SPBE 2026, BKPSDM: 3 hari lagi (15 Desember 2026). "
        "Belum diajukan: indikator 25, 36. Dikembalikan untuk diperbaiki: indikator 41."
    )


def test_running_again_sends_nothing_new(collecting):
    assert remind_agencies(collecting, now=at(12)) == 1
    assert remind_agencies(collecting, now=at(12, 16)) == 0
    assert remind_agencies(collecting, now=at(13)) == 0  # still the 3-day reminder
    assert Notification.objects.count() == 1


def test_a_missed_day_is_caught_up_once(collecting, agency):
    assert remind_agencies(collecting, now=at(10)) == 1  # the run on the 8th did not happen
    assert remind_agencies(collecting, now=at(11)) == 0
    assert Notification.objects.get().key.endswith(":d7")
    assert Notification.objects.get().text.startswith("Monev SPBE 2026, BKPSDM: 5 hari lagi")


def test_too_early_sends_nothing(collecting):
    assert remind_agencies(collecting, now=at(1)) == 0


def test_a_done_opd_gets_nothing(collecting, other_agency_user):
    remind_agencies(collecting, now=at(12))
    remind_agencies(collecting, now=at(16))
    assert Notification.objects.filter(user=other_agency_user).count() == 0


def test_late_message_after_the_deadline(collecting, agency):
    assert remind_agencies(collecting, now=at(16)) == 1
    assert remind_agencies(collecting, now=at(20)) == 0
    notification = Notification.objects.get()
    assert notification.key == f"opd-reminder:{collecting.pk}:{agency.pk}:late"
    assert notification.text == (
        "Monev SPBE 2026, BKPSDM: batas waktu pengisian (15 Desember 2026) sudah lewat. "
        "Belum diajukan: indikator 25, 36. Dikembalikan untuk diperbaiki: indikator 41."
    )


def test_deadline_day_message(collecting):
    remind_agencies(collecting, now=at(15))
    assert Notification.objects.get().text.startswith(
        "Monev SPBE 2026, BKPSDM: batas waktu pengisian hari ini (15 Desember 2026)."
    )


def test_days_are_counted_in_the_institutions_time_zone(collecting):
    # 18.00 UTC on the 11th is 01.00 WIB on the 12th: three days left, not four.
    remind_agencies(collecting, now=datetime.datetime(2026, 12, 11, 18, tzinfo=datetime.UTC))
    assert Notification.objects.get().key.endswith(":d3")


def test_only_cycles_collecting_data_are_reminded(cycle, agency_user):
    assert remind_collecting_agencies(now=at(12)) == 0  # step 1 is running, not step 4


def test_collecting_cycles_are_reminded(collecting, agency_user):
    assert remind_collecting_agencies(now=at(12)) == 1


def test_task_runs_now(collecting, agency_user, mailoutbox, django_capture_on_commit_callbacks):
    agency_user.email = "opd@example.go.id"
    agency_user.save()
    collecting.deadline = timezone.localdate() + datetime.timedelta(days=1)
    collecting.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_opd_reminders.enqueue().return_value == 1
        assert send_opd_reminders.enqueue().return_value == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["opd@example.go.id"]
