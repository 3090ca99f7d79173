"""A monev cycle (periode monev): one run of the institution's SOP for one year, with the
framework version it is evaluated against, the participating OPDs, who answers which
indicator, and the clock on every SOP step."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cycle(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="cycles"
    )
    year = models.PositiveIntegerField(_("tahun"))
    name = models.CharField(_("nama"), max_length=200)
    # Frozen when the cycle is opened: a later edit of the framework is a new version.
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kerangka evaluasi"),
    )
    sop = models.ForeignKey(
        "sops.Sop", on_delete=models.PROTECT, related_name="+", verbose_name=_("SOP")
    )
    agencies = models.ManyToManyField(
        "institutions.Agency", related_name="cycles", verbose_name=_("OPD peserta")
    )
    deadline = models.DateField(_("batas waktu pengisian OPD"))
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("narahubung"),
    )
    contact_phone = models.CharField(_("telepon narahubung"), max_length=50, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("periode monev")
        verbose_name_plural = _("periode monev")
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="cycle_unique_year")
        ]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """Which OPD answers which indicator in a cycle (one or several OPDs per indicator)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "institutions.Agency", on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "indicator", "agency"], name="assignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.indicator_id} → {self.agency_id}"


class StepRun(models.Model):
    """One SOP step as it runs in a cycle: who holds it, when it started and ended, its output."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="step_runs")
    step = models.ForeignKey("sops.SopStep", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("langkah"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemegang"),
    )
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    output = models.CharField(_("keluaran"), max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="steprun_unique_number")
        ]

    def __str__(self):
        return f"{self.cycle_id}#{self.number}"
