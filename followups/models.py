"""What the evaluation found per aspect (kekuatan, kelemahan, rekomendasi, as the external
assessors' report records them) and the follow-ups (tindak lanjut) an OPD carries out on a
recommendation, which stay on the list, cycle after cycle, until they are closed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.Model):
    """One strength, weakness or recommendation of one aspect in a cycle."""

    class Kind(models.TextChoices):
        STRENGTH = "kekuatan", _("Kekuatan")
        WEAKNESS = "kelemahan", _("Kelemahan")
        RECOMMENDATION = "rekomendasi", _("Rekomendasi")

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="findings")
    aspect = models.ForeignKey(
        "frameworks.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("aspek")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("uraian"))
    # Order within (cycle, aspect, kind): a new finding goes last.
    position = models.PositiveIntegerField(_("urutan"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        indexes = [models.Index(fields=["cycle", "aspect", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_recommendation(self):
        return self.kind == self.Kind.RECOMMENDATION


class FollowUp(models.Model):
    """Tindak lanjut: what one OPD does about a recommendation, by a due date."""

    class Status(models.TextChoices):
        OPEN = "terbuka", _("terbuka")
        IN_PROGRESS = "dalam proses", _("dalam proses")
        DONE = "selesai", _("selesai")
        DROPPED = "dibatalkan", _("dibatalkan")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    recommendation = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("rekomendasi")
    )
    # The cycle whose evaluation gave the recommendation.
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="follow_ups")
    agency = models.ForeignKey(
        "institutions.Agency",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("OPD penanggung jawab"),
    )
    due_date = models.DateField(_("batas waktu"))
    description = models.TextField(_("uraian tindak lanjut"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    progress_note = models.TextField(_("catatan kemajuan"), blank=True)
    # The latest later cycle this follow-up was still open in (see services.carry_follow_ups).
    carried_to = models.ForeignKey(
        "cycles.Cycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_follow_ups",
        verbose_name=_("dibawa ke periode"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "agency"], name="followup_unique_agency"
            )
        ]

    def __str__(self):
        return f"{self.agency_id}: {self.description[:60]}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today):
        """Still open after its due date (`today` in the institution's time zone)."""
        return self.is_open and self.due_date < today


class FollowUpUpdate(models.Model):
    """One status change or progress note of a follow-up, for its history on the page
    (the audit trail keeps the same facts)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="updates")
    status_before = models.CharField(max_length=20, choices=FollowUp.Status.choices)
    status_after = models.CharField(max_length=20, choices=FollowUp.Status.choices)
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("perkembangan tindak lanjut")
        verbose_name_plural = _("perkembangan tindak lanjut")

    def __str__(self):
        return f"{self.follow_up_id}: {self.status_before} → {self.status_after}"
