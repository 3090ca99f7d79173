"""The audit trail: one append-only row per state change, written by the service that made it,
each row a link of its institution's hash chain (audit/chain.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev import plain


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The cycle the event belongs to, if any: a cycle's history page lists these.
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("tindakan"), max_length=100)
    # What the action was about: "app.model:pk", readable without a generic relation.
    target = models.CharField(_("objek"), max_length=200, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    # Set by audit.chain.append before the hash is computed (so not auto_now_add).
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    # The chain: the event's number in its institution's chain (1, 2, 3…), the hash of the
    # previous event of the chain and its own (SHA-256 over audit.chain.canonical).
    seq = models.PositiveBigIntegerField(_("nomor urut"))
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        constraints = [
            models.UniqueConstraint(fields=["institution", "seq"], name="audit_unique_seq"),
            # NULLs are distinct in a unique index: the chain without an institution needs its own.
            models.UniqueConstraint(
                fields=["seq"],
                condition=models.Q(institution__isnull=True),
                name="audit_unique_seq_without_institution",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        """Insert the new event (audit.chain.append gives its link). Every write of the
        product writes one, so it is one plain statement (monev.plain.insert): the ORM's
        insert cost ~0.2 ms to build for nothing the row needs."""
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        plain.insert(self)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")
