"""Notify people in the app and by e-mail. Call inside a service's transaction: the rows are
written with it, and the e-mails go out only after it commits (never for a rolled-back change).

A message is stored as its Indonesian msgid and parameters (see notifications.messages):

    notify(
        users,
        key=f"letter:{letter.pk}:submitted:{round_}",
        template=gettext_noop("%(kind)s “%(subject)s” menunggu disposisi Anda."),
        params={"kind": choice(letter, "kind"), "subject": letter.subject},
        url=letter_url(letter),
    )
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import task

from notifications.models import Notification


def notify(users, *, key, template, params=None, url=""):
    """Notify each user once per `key`; a key already used for a user is skipped silently.

    `template` is the untranslated Indonesian msgid (marked with gettext_noop), `params` its
    values (see notifications.messages); both are rendered when the notification is shown.
    Returns the notifications created. Side effects: one e-mail per new notification to a
    user with an address, sent after the surrounding transaction commits.
    """
    if not isinstance(template, str):  # a lazy string would be stored in today's language
        raise TypeError("notify(template=...) takes the msgid marked with gettext_noop")
    created = []
    for user in users:
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user, key=key, template=template, params=params or {}, url=url
                    )
                )
        except IntegrityError:
            continue  # already notified of this event
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


def settle(*, keys=(), prefixes=()):
    """The awaited work is done: mark read everyone's notifications with one of `keys`, or
    with a key starting with one of `prefixes` (each ends with ":", so that "letter:1:" does
    not reach letter 12). Call inside the service's transaction.

    Returns the number of notifications marked read.
    """
    assert all(prefix.endswith(":") for prefix in prefixes), prefixes
    match = Q(key__in=list(keys))
    for prefix in prefixes:
        match |= Q(key__startswith=prefix)
    return Notification.objects.filter(match, read_at=None).update(read_at=timezone.now())


@task()
def send_notification_emails(ids):
    """Background task: e-mail the given notifications (each at most once), in the
    installation's language (people choose their screen language per browser, not per
    account), whatever language the request that queued them was in."""
    for notification in Notification.objects.filter(pk__in=ids, emailed_at=None).select_related(
        "user"
    ):
        if not notification.user.email:
            continue
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        with translation.override(settings.LANGUAGE_CODE):
            text = notification.text
        send_mail(
            subject=f"[Monev SPBE] {text[:80]}",
            message=f"{text}\n\n{link}\n",
            from_email=None,
            recipient_list=[notification.user.email],
            fail_silently=False,
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def mark_read(notification, *, by):
    """The person opened their notification: mark it read (once)."""
    if notification.user_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, by):
    """Mark all of the user's notifications read."""
    Notification.objects.filter(user=by, read_at=None).update(read_at=timezone.now())
