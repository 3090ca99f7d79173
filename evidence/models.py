"""Data dukung: an OPD's supporting evidence, a file or a link. Every upload is an
immutable, hashed revision; a new upload never destroys an older one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("berkas")
        LINK = "link", _("tautan")

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="evidence")
    agency = models.ForeignKey(
        "institutions.Agency", on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("jenis"), max_length=5, choices=Kind.choices)
    title = models.CharField(_("judul dokumen"), max_length=300)
    url = models.URLField(_("tautan"), max_length=1000, blank=True)
    # The date the evidence itself carries (a decree's date, a review report's date),
    # kept apart from the upload date: the Pedoman's validity rules look at this one.
    document_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    reused_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("data dukung")
        verbose_name_plural = _("data dukung")
        constraints = [
            # Last year's piece is brought into a cycle once, even by two clicks at once.
            models.UniqueConstraint(
                fields=["cycle", "reused_from"],
                condition=models.Q(reused_from__isnull=False),
                name="evidence_reused_once_per_cycle",
            )
        ]

    def __str__(self):
        return self.title


class EvidenceRevision(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="revision_unique_number")
        ]

    def __str__(self):
        return f"{self.evidence_id} r{self.number}"
