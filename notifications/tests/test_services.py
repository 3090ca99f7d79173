from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from letters.models import Letter
from notifications.messages import choice
from notifications.models import Notification
from notifications.services import mark_all_read, notify, settle

WAITING = "%(kind)s “%(subject)s” menunggu disposisi Anda."


def notify_waiting(users, key="letter:1:submitted:1", url="/surat/1/"):
    letter = Letter(kind=Letter.Kind.INVITATION)
    return notify(
        users,
        key=key,
        template=WAITING,
        params={"kind": choice(letter, "kind"), "subject": "Undangan Monev"},
        url=url,
    )


def test_the_email_is_in_the_installations_language_not_the_actors(
    coordinator, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://monev.example.go.id"
    coordinator.email = "rina@pontianak.go.id"
    coordinator.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify_waiting([coordinator])
    (email,) = mail.outbox
    text = "Surat Undangan “Undangan Monev” menunggu disposisi Anda."
    assert (email.to, email.subject) == (["rina@pontianak.go.id"], f"[Monev SPBE] {text}")
    assert email.body == f"{text}\n\nhttps://monev.example.go.id/surat/1/\n"
    assert Notification.objects.get().emailed_at is not None


def test_an_english_installation_emails_in_english(
    coordinator, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"
    settings.SITE_URL = "https://monev.example.go.id"
    coordinator.email = "rina@pontianak.go.id"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_waiting([coordinator])
    (email,) = mail.outbox
    text = "Invitation Letter “Undangan Monev” is awaiting your disposition."
    assert email.subject == f"[Monev SPBE] {text}"
    assert email.body == f"{text}\n\nhttps://monev.example.go.id/surat/1/\n"
    with translation.override("en"):
        assert text == gettext(WAITING) % {"kind": "Invitation Letter", "subject": "Undangan Monev"}


def test_a_key_notifies_a_person_once(coordinator, supervisor):
    assert len(notify_waiting([coordinator, supervisor])) == 2
    assert notify_waiting([coordinator, supervisor]) == []
    assert Notification.objects.count() == 2


def test_settle_marks_read_everyones_notifications_of_the_key_only(
    coordinator, supervisor, secretariat
):
    notify_waiting([coordinator, supervisor], key="letter:1:submitted:1")
    notify_waiting([coordinator], key="letter:1:submitted:2")
    notify_waiting([secretariat], key="letter:12:returned:1")
    notify_waiting([secretariat], key="letter:1:returned:1")

    assert settle(keys=["letter:1:submitted:1"]) == 2
    assert settle(prefixes=["letter:1:returned:"]) == 1
    unread = Notification.objects.filter(read_at=None).order_by("key")
    assert list(unread.values_list("user__username", "key")) == [
        ("sekretariat", "letter:12:returned:1"),
        ("koordinator", "letter:1:submitted:2"),
    ]
    assert settle(keys=["letter:1:submitted:1"]) == 0  # already read: nothing again


def test_mark_all_read_touches_only_the_persons_own(coordinator, supervisor):
    notify_waiting([coordinator, supervisor])
    mark_all_read(by=coordinator)
    assert list(
        Notification.objects.filter(read_at=None).values_list("user__username", flat=True)
    ) == ["kabid"]
