"""An institution's SOP "Monitoring dan Evaluasi SPBE" as data: its header and its steps.

Rows are written only by `services.store_sop` from a definition file (see data/README.md),
loaded by manage.py load_sop or sent by the institution's administrator through the API; a
loaded version is never edited by hand, a changed file is loaded again.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution


class Sop(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="sops", verbose_name=_("instansi")
    )
    code = models.SlugField(_("kode"), max_length=100)
    version = models.CharField(_("versi"), max_length=50)
    name = models.CharField(_("nama"), max_length=200)
    # The printed header block (Nomor SOP, dates, Disahkan oleh, Dasar Hukum, …), as in the file.
    header = models.JSONField(_("kepala SOP"), default=dict, blank=True)
    # Ordered [{"key": <Role key>, "name": <the institution's name for it>}]: the sheet's columns.
    actors = models.JSONField(_("pelaksana"), default=list)
    source = models.TextField(_("sumber"), blank=True)
    content_hash = models.CharField(_("sidik isi (SHA-256)"), max_length=64)
    loaded_at = models.DateTimeField(_("dimuat pada"))

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        verbose_name = _("SOP")
        verbose_name_plural = _("SOP")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code", "version"], name="sop_unique_code_version"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code} v{self.version})"

    @property
    def actor_names(self):
        """{actor key: name}, e.g. {"coordinator": "Kasi. PK&AI"}."""
        return {actor["key"]: actor["name"] for actor in self.actors}

    def actor_name(self, key):
        return self.actor_names.get(key, key)

    @property
    def organization_lines(self):
        return self.header.get("organization", [])

    @property
    def approved_by(self):
        return self.header.get("approved_by", {})

    @property
    def has_header(self):
        """False when the source document had no header block (all its fields empty)."""
        return any(
            any(value.values()) if isinstance(value, dict) else value
            for value in self.header.values()
        )


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("hari kerja")
    MINUTES = "minutes", _("menit")


class SopStep(models.Model):
    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("nomor"))
    activity = models.TextField(_("aktivitas"))
    # Actor keys; the first is the owner, who holds the step when it runs.
    actors = models.JSONField(_("pelaksana"), default=list)
    requirements = models.TextField(_("kelengkapan"), blank=True)
    # The time standard: `time_value` is the limit; `time_min` the lower end of a range
    # ("1 – 2 minggu" is 5 to 10 working days); `time_label` the SOP's own words.
    time_value = models.PositiveIntegerField(_("waktu baku"))
    time_min = models.PositiveIntegerField(_("waktu minimum"), null=True, blank=True)
    time_unit = models.CharField(_("satuan waktu"), max_length=20, choices=TimeUnit.choices)
    time_label = models.CharField(_("waktu (teks SOP)"), max_length=100, blank=True)
    output = models.TextField(_("output"), blank=True)

    class Meta:
        ordering = ["sop", "number"]
        verbose_name = _("langkah SOP")
        verbose_name_plural = _("langkah SOP")
        constraints = [
            models.UniqueConstraint(fields=["sop", "number"], name="sopstep_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="sopstep_number_positive"),
            models.CheckConstraint(
                condition=Q(time_min__isnull=True) | Q(time_min__lte=F("time_value")),
                name="sopstep_time_min_lte_value",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.activity[:60]}"

    @property
    def owner(self):
        """The actor key of the one who holds the step."""
        return self.actors[0]

    @property
    def is_range(self):
        return self.time_min is not None and self.time_min != self.time_value

    @property
    def time_display(self):
        """The SOP's own words for the time standard, or one made from the numbers."""
        from sops.durations import duration_text, range_text  # they import TimeUnit from here

        if self.time_label:
            return self.time_label
        if self.is_range:
            return range_text(self.time_min, self.time_value, self.time_unit)
        return duration_text(self.time_value, self.time_unit)


class StepState(models.TextChoices):
    """How far a step has come in a running cycle, as drawn on the SOP sheet."""

    PENDING = "pending", _("Belum dimulai")
    IN_PROGRESS = "in_progress", _("Sedang berjalan")
    DONE = "done", _("Selesai")
    LATE = "late", _("Terlambat")
