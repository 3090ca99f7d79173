"""Notify people in the app and by e-mail. Call inside a service's transaction: the rows are
written with it, and the e-mails go out only after it commits (never for a rolled-back change)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from notifications.models import Notification


def notify(users, *, key, message, url=""):
    """Notify each user once per `key`; a key already used for a user is skipped silently.

    Returns the notifications created. Side effects: one e-mail per new notification to a
    user with an address, sent after the surrounding transaction commits.
    """
    created = []
    for user in users:
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(user=user, key=key, message=message, url=url)
                )
        except IntegrityError:
            continue  # already notified of this event
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


@task()
def send_notification_emails(ids):
    """Background task: e-mail the given notifications (each at most once)."""
    for notification in Notification.objects.filter(pk__in=ids, emailed_at=None).select_related(
        "user"
    ):
        if not notification.user.email:
            continue
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        send_mail(
            subject=f"[Monev SPBE] {notification.message[:80]}",
            message=f"{notification.message}\n\n{link}\n",
            from_email=None,
            recipient_list=[notification.user.email],
            fail_silently=False,
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def mark_all_read(*, by):
    """Mark all of the user's notifications read."""
    Notification.objects.filter(user=by, read_at=None).update(read_at=timezone.now())
