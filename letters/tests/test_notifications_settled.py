"""The letter flow marks its waiting notifications read once the awaited work is done."""

from letters import services
from notifications.models import Notification


def unread(user):
    return list(
        Notification.objects.filter(user=user, read_at=None).order_by("key").values_list("key")
    )


def test_the_disposition_settles_the_kabids_waiting_notification(
    letter, to_status, supervisor, secretariat
):
    to_status(letter, "submitted")
    assert unread(supervisor) == [(f"letter:{letter.pk}:submitted:1",)]
    services.dispose_letter(letter, by=supervisor, approve=True)
    assert unread(supervisor) == []
    assert unread(secretariat) == [(f"letter:{letter.pk}:approved",)]
    services.number_letter(letter, by=secretariat)
    assert unread(secretariat) == []


def test_resubmitting_settles_the_return_and_the_new_round_waits(
    letter, to_status, coordinator, supervisor
):
    to_status(letter, "submitted")
    services.dispose_letter(letter, by=supervisor, approve=False, note="Lampirkan daftar OPD.")
    assert unread(coordinator) == [(f"letter:{letter.pk}:returned:1",)]
    services.submit_letter(letter, by=coordinator)
    assert unread(coordinator) == []
    assert unread(supervisor) == [(f"letter:{letter.pk}:submitted:2",)]
