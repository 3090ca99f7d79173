import pytest

from audit.models import AuditEvent
from audit.services import record_event


@pytest.fixture
def event(coordinator):
    return record_event("thing.done", by=coordinator, after={"x": 1}, reason="karena")


def test_record_event_files_the_actor_and_institution(event, coordinator):
    assert (event.actor, event.institution, event.after, event.reason) == (
        coordinator,
        coordinator.institution,
        {"x": 1},
        "karena",
    )


def test_events_cannot_be_changed_or_deleted(event):
    event.reason = "diubah"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="diubah")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "karena"


def test_admin_offers_no_change_or_delete(client, event, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x-very-long-pass")
    client.force_login(root)
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
