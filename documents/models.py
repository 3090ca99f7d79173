"""Every generated file (letters, Berita Acara, reports, workbooks, packages) is a Document:
numbered where it has a number, versioned, hashed and verifiable by its code."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents import kinds
from documents.kinds import validate_kind

# No 0/O or 1/I/L: the code is read from paper and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class Document(models.Model):
    class Signature(models.TextChoices):
        # Blank: a document nobody signs (workbooks, reports, packages).
        PENDING = "pending", _("belum ditandatangani")
        UPLOAD = "upload", _("ditandatangani elektronik (TTE)")
        INTERNAL = "internal", _("disetujui penanda tangan (internal)")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        ZIP = "zip", "ZIP"

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="documents"
    )
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    # What the document was generated from, e.g. "letters.letter:12"; versions share it.
    source = models.CharField(max_length=100)
    format = models.CharField(max_length=5, choices=Format.choices)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(_("judul"), max_length=300)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    file = models.FileField(upload_to="documents/%Y/")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    code = models.CharField(max_length=12, unique=True, default=new_code)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(auto_now_add=True)
    # For what is signed (letters, Berita Acara, Pernyataan): the state of the signature of
    # the numbered text this file renders; blank for documents that are not signed.
    signature = models.CharField(
        _("tanda tangan"), max_length=10, choices=Signature.choices, blank=True
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-generated_at", "-id"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "format", "version"], name="document_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.title} v{self.version} ({self.format})"


class DocumentTemplate(models.Model):
    """An institution's own Word template (e.g. its letterhead) for one kind of document.
    The newest upload is the one in use; older ones stay as the history."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="document_templates"
    )
    # A key of the documents.kinds registry; apps register their kinds at start-up, so the
    # choices are not fixed in the schema.
    kind = models.CharField(_("jenis"), max_length=40, validators=[validate_kind])
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.kind_label} ({self.original_name})"

    @property
    def kind_label(self):
        try:
            return kinds.get(self.kind).label
        except KeyError:
            return self.kind


# What background builds that are not a Word template kind are called on screen.
JOB_LABELS = {"evidence_package": _("Paket data dukung")}


class GenerationJob(models.Model):
    """A document built in the background (e.g. the Dokumen Evaluasi, the evidence package):
    what is being built, how far it is, in words for the person waiting, and the documents
    it produced. The page that started it polls it until it is done or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu giliran")
        RUNNING = "running", _("sedang dibuat")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="generation_jobs"
    )
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    step = models.CharField(_("tahap"), max_length=200, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    documents = models.ManyToManyField(Document, related_name="+", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # The task that builds it (its module path, e.g. "reports.tasks.build_evaluation"), so the
    # sweeper (documents.jobs.sweep_jobs) can enqueue it again; when it was last enqueued; and
    # how many times a worker has taken it (each run claims it once).
    task = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("pembuatan dokumen")
        verbose_name_plural = _("pembuatan dokumen")

    def __str__(self):
        return f"{self.kind} ({self.status}, {self.progress}%)"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def kind_label(self):
        try:
            return kinds.get(self.kind).label
        except KeyError:
            return JOB_LABELS.get(self.kind, self.kind)
