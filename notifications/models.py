"""In-app notifications; each also goes out by e-mail. The key makes every event notify a
person at most once, so a reminder job that runs twice sends nothing twice. The text is kept
as a msgid and its parameters and rendered when shown, in the reader's language (see
notifications.messages)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.messages import render


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200)
    template = models.TextField(blank=True)  # the Indonesian msgid
    params = models.JSONField(default=dict, blank=True)
    # Rows written before `template` existed keep their Indonesian text here; new rows: "".
    message = models.TextField(_("pesan"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            models.Index(fields=["key"], name="notification_key"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def text(self):
        """The message in the active language (a legacy row: its stored Indonesian text)."""
        return render(self.template, self.params) if self.template else self.message
