import datetime

from django.utils import timezone

from cycles.models import StepRun
from cycles.tasks import send_step_reminders
from notifications.models import Notification


def test_late_step_reminds_its_holder_once(
    cycle, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator.email = "rina@example.go.id"
    coordinator.save()
    StepRun.objects.filter(cycle=cycle, number=1).update(
        started_at=timezone.now() - datetime.timedelta(days=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_step_reminders.enqueue().return_value == 1
        assert send_step_reminders.enqueue().return_value == 0
    notification = Notification.objects.get()
    assert notification.user == coordinator
    assert notification.key == f"step:{cycle.step_runs.get(number=1).pk}:late"
    assert notification.text.startswith("Langkah 1 Monev SPBE 2026 terlambat")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rina@example.go.id"]


def test_fresh_step_sends_nothing(cycle):
    assert send_step_reminders.enqueue().return_value == 0
    assert Notification.objects.count() == 0
