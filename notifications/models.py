"""In-app notifications; each also goes out by e-mail. The key makes every event notify a
person at most once, so a reminder job that runs twice sends nothing twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200)
    message = models.TextField(_("pesan"))
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

    def __str__(self):
        return self.message[:80]
