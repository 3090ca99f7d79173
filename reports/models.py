"""The statements of SOP step 7 that the leader signs: the Berita Acara of the evaluation and
the Pernyataan Persetujuan Publikasi. Each is prepared by the coordinator, numbered from the
institution's letter sequence, routed to the leader and signed (a signed PDF from TTE /
SRIKANDI, or the leader's internal approval).

Named SignedReport, not Report: what makes these two different from the app's other reports
(the Dokumen Evaluasi, the executive brief) is that they carry a number and a signature.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from institutions.models import Role


class SignedReport(models.Model):
    class Kind(models.TextChoices):
        BERITA_ACARA = "berita_acara", _("Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE")
        PUBLICATION_CONSENT = "persetujuan_publikasi", _("Pernyataan Persetujuan Publikasi")

    # The approval of the Dokumen Evaluasi SPBE (step 8; reports.evaluation_signing): a kind
    # of the field, not a member of Kind, so that what goes through the step-7 statements
    # (`for kind in SignedReport.Kind`: the report list, the waiting work) never meets it.
    # Not numbered: draft → signed.
    EVALUATION_KIND = "dokumen_evaluasi"
    KIND_CHOICES = [*Kind.choices, (EVALUATION_KIND, _("Dokumen Evaluasi SPBE"))]

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        NUMBERED = "numbered", _("bernomor")
        SIGNED = "signed", _("ditandatangani")

    class Signature(models.TextChoices):
        UPLOAD = "upload", _("PDF bertanda tangan elektronik (TTE BSrE / SRIKANDI)")
        INTERNAL = "internal", _("persetujuan internal oleh penanda tangan")

    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="signed_reports"
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=KIND_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    report_date = models.DateField(_("tanggal"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200)
    # Who signs: the Sekda / Koordinator SPBE.
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    # Who drew up the Berita Acara ("yang membuat"): the head of Diskominfo; empty for the
    # Pernyataan, which has one signer.
    maker_name = models.CharField(_("nama pembuat"), max_length=200, blank=True)
    maker_title = models.CharField(_("jabatan pembuat"), max_length=200, blank=True)
    maker_nip = models.CharField(_("NIP pembuat"), max_length=30, blank=True)
    # What the statement says, frozen when it is numbered (index, predicate, node indices,
    # participants), so the signed text never changes with later edits.
    content = models.JSONField(default=dict, blank=True)
    routed_at = models.DateTimeField(_("diajukan untuk tanda tangan"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signature = models.CharField(max_length=10, choices=Signature.choices, blank=True)
    signed_file = models.FileField(upload_to="reports/signed/%Y/", blank=True)
    signed_file_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("berita acara / pernyataan")
        verbose_name_plural = _("berita acara / pernyataan")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="signed_report_unique_kind")
        ]

    # The step-7 statements; the Dokumen Evaluasi's approval is on its own page.
    STATEMENT_KINDS = tuple(Kind)

    def __str__(self):
        return self.number or f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_berita_acara(self):
        return self.kind == self.Kind.BERITA_ACARA

    @property
    def is_evaluation(self):
        return self.kind == self.EVALUATION_KIND

    @property
    def has_maker(self):
        """Whether the document has a "Yang membuat" beside its signer."""
        return self.kind != self.Kind.PUBLICATION_CONSENT

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED

    @property
    def is_routed(self):
        return self.routed_at is not None

    @property
    def next_actor(self):
        """The role key of whoever acts next (None once there is nothing left to do)."""
        return self._next[0]

    @property
    def next_action(self):
        """What happens next, in plain words."""
        return self._next[1]

    @property
    def _next(self):
        if self.status == self.Status.NUMBERED and self.is_routed:
            return ROUTED_STEP
        if self.status == self.Status.SIGNED and self.is_berita_acara:
            return AFTER_BERITA_ACARA
        if self.status == self.Status.DRAFT and self.is_evaluation:
            return EVALUATION_DRAFT_STEP
        return NEXT_STEPS[self.status]

    @property
    def status_badge(self):
        return STATUS_BADGES[self.status]


NEXT_STEPS = {
    SignedReport.Status.DRAFT: (
        Role.SECRETARIAT,
        _(
            "Koordinator memeriksa isi dan penanda tangan; Sekretariat (atau koordinator) "
            "memberi nomor."
        ),
    ),
    SignedReport.Status.NUMBERED: (
        Role.SECRETARIAT,
        _(
            "Sekretariat mengajukan dokumen kepada pimpinan untuk ditandatangani, atau "
            "mengunggah PDF yang sudah ditandatangani secara elektronik."
        ),
    ),
    SignedReport.Status.SIGNED: (None, _("Selesai: dokumen sudah ditandatangani.")),
}
ROUTED_STEP = (
    Role.LEADER,
    _(
        "Pimpinan menandatangani: mencatat persetujuan internal atau mengunggah PDF bertanda "
        "tangan elektronik."
    ),
)
AFTER_BERITA_ACARA = (
    Role.COORDINATOR,
    _("Selesai. Langkah 8 SOP: koordinator menyusun Dokumen Evaluasi SPBE."),
)
EVALUATION_DRAFT_STEP = (
    Role.LEADER,
    _(
        "Pimpinan menyetujui Dokumen Evaluasi SPBE (persetujuan internal) atau PDF bertanda "
        "tangan elektronik diunggah; sesudahnya dokumen tidak dibuat ulang."
    ),
)
STATUS_BADGES = {
    SignedReport.Status.DRAFT: "",
    SignedReport.Status.NUMBERED: "badge-info",
    SignedReport.Status.SIGNED: "badge-ok",
}
