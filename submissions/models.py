"""Isian OPD: an OPD's answer to one assigned indicator in a cycle (proposed level,
penjelasan as FAKTA + ANALISIS, data dukung), and the review thread around it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        SUBMITTED = "submitted", _("diajukan")
        RETURNED = "returned", _("dikembalikan")
        ACCEPTED = "accepted", _("diterima")

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="submissions")
    indicator = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "institutions.Agency", on_delete=models.CASCADE, related_name="submissions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    level = models.PositiveSmallIntegerField(_("tingkat yang diusulkan"), null=True, blank=True)
    fakta = models.TextField(_("FAKTA"), blank=True)
    analisis = models.TextField(_("ANALISIS"), blank=True)
    evidence = models.ManyToManyField(
        "evidence.Evidence", related_name="submissions", blank=True, verbose_name=_("data dukung")
    )
    # Bumped on every save: a stale form (second tab, double click) cannot overwrite newer text.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["indicator__position", "agency__name"]
        verbose_name = _("isian OPD")
        verbose_name_plural = _("isian OPD")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "indicator", "agency"], name="submission_unique"
            )
        ]

    def __str__(self):
        return f"{self.indicator_id}/{self.agency_id}: {self.status}"

    @property
    def missing_parts(self):
        """What an answer still lacks before it can be submitted (labels, in form order).
        Data dukung is recommended, not required."""
        parts = []
        if self.level is None:
            parts.append(gettext("tingkat yang diusulkan"))
        if not self.fakta.strip():
            parts.append(gettext("FAKTA"))
        if not self.analisis.strip():
            parts.append(gettext("ANALISIS"))
        return parts


class Review(models.Model):
    """One entry of a submission's thread: submitted, returned with a note, accepted,
    reopened. Kept in order, never edited."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("diajukan")
        RETURNED = "returned", _("dikembalikan")
        ACCEPTED = "accepted", _("diterima")
        REOPENED = "reopened", _("dibuka kembali")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(_("catatan"), blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.submission_id}: {self.kind}"


class Reopening(models.Model):
    """The coordinator reopened an OPD's answers after the deadline, until a moment."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="reopenings")
    agency = models.ForeignKey("institutions.Agency", on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-until"]

    def __str__(self):
        return f"{self.agency_id} → {self.until:%Y-%m-%d %H:%M}"
