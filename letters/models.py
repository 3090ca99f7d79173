"""Official letters (surat) of a cycle and their way through SOP steps 1-3: drafted by the
coordinator, disposed by the supervisor, numbered, signed and dispatched by the secretariat."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from institutions.models import Role


class Letter(models.Model):
    class Kind(models.TextChoices):
        INVITATION = "undangan", _("Surat Undangan")
        DATA_REQUEST = "permohonan_data", _("Surat Permohonan Data")
        MEETING_INVITATION = "undangan_rapat", _("Surat Undangan Rapat Koordinasi")
        # SOP step 4's required item: signed by the Sekda, numbered in the issuing unit's
        # own register (IssuingUnit), one per cycle with the OPDs as its distribution list.
        CIRCULAR = "surat_edaran", _("Surat Edaran Sekretaris Daerah")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        SUBMITTED = "submitted", _("menunggu disposisi")
        RETURNED = "returned", _("dikembalikan")
        APPROVED = "approved", _("didisposisikan")
        NUMBERED = "numbered", _("bernomor")
        SIGNED = "signed", _("ditandatangani")
        DISPATCHED = "dispatched", _("dikirim")

    class Signature(models.TextChoices):
        UPLOAD = "upload", _("PDF bertanda tangan elektronik (TTE BSrE / SRIKANDI)")
        INTERNAL = "internal", _("persetujuan internal oleh penanda tangan")

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # One letter per OPD (agency set), or one letter with a distribution list (agency empty).
    agency = models.ForeignKey(
        "institutions.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipients = models.ManyToManyField(
        "institutions.Agency", related_name="letters", verbose_name=_("tujuan")
    )
    nature = models.CharField(_("sifat"), max_length=50, default="Biasa")
    attachment = models.CharField(_("lampiran"), max_length=100, blank=True)
    subject = models.CharField(_("hal"), max_length=300)
    body = models.TextField(_("isi surat"))
    carbon_copies = models.TextField(_("tembusan"), blank=True, help_text=_("Satu per baris."))
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    signature = models.CharField(max_length=10, choices=Signature.choices, blank=True)
    signed_file = models.FileField(upload_to="letters/signed/%Y/", blank=True)
    signed_file_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # The unit whose register gave the number (a Surat Edaran: the Setda's); empty for the
    # institution's own register.
    issuing_unit = models.ForeignKey(
        "letters.IssuingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("unit penerbit"),
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("surat")
        verbose_name_plural = _("surat")
        constraints = [
            # A cycle's step-1 letters exist once (drafting them twice at once fails here).
            models.UniqueConstraint(
                fields=["cycle", "kind"],
                condition=Q(agency__isnull=True, kind__in=["undangan", "permohonan_data"]),
                name="letter_unique_step1_kind",
            ),
            # A cycle has one Surat Edaran (drafting it twice at once fails here).
            models.UniqueConstraint(
                fields=["cycle", "kind"],
                condition=Q(kind="surat_edaran"),
                name="letter_unique_circular",
            ),
        ]

    def __str__(self):
        return self.number or f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def carbon_copy_lines(self):
        return [line.strip() for line in self.carbon_copies.splitlines() if line.strip()]

    @property
    def is_editable(self):
        """Text can change only while the coordinator holds it (draft or returned)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_signed(self):
        return self.status in (self.Status.SIGNED, self.Status.DISPATCHED)

    @property
    def next_actor(self):
        """The role key of whoever must act next (None when nothing is left to do here)."""
        return NEXT_STEPS[self.status][0]

    @property
    def next_action(self):
        """What happens next, in plain words."""
        return NEXT_STEPS[self.status][1]

    @property
    def status_badge(self):
        """The CSS modifier of the status badge."""
        return STATUS_BADGES[self.status]


# The letters of SOP step 1: drafted together, and steps 1-3 end when all of them are through.
STEP_ONE_KINDS = (Letter.Kind.INVITATION, Letter.Kind.DATA_REQUEST)

# Who acts next on a letter in each status, and what they do.
NEXT_STEPS = {
    Letter.Status.DRAFT: (
        Role.COORDINATOR,
        _("Koordinator melengkapi teks surat, lalu mengajukannya kepada Kabid untuk disposisi."),
    ),
    Letter.Status.SUBMITTED: (
        Role.SUPERVISOR,
        _(
            "Kabid memeriksa surat, lalu menyetujuinya dengan disposisi atau mengembalikannya "
            "dengan catatan."
        ),
    ),
    Letter.Status.RETURNED: (
        Role.COORDINATOR,
        _("Koordinator memperbaiki surat sesuai catatan Kabid, lalu mengajukannya kembali."),
    ),
    Letter.Status.APPROVED: (Role.SECRETARIAT, _("Sekretariat memberi nomor surat.")),
    Letter.Status.NUMBERED: (
        Role.SECRETARIAT,
        _(
            "Sekretariat mencatat tanda tangan: mengunggah PDF bertanda tangan elektronik "
            "atau mencatat persetujuan internal penanda tangan."
        ),
    ),
    Letter.Status.SIGNED: (Role.SECRETARIAT, _("Sekretariat mengirim surat ke OPD tujuan.")),
    Letter.Status.DISPATCHED: (
        Role.AGENCY,
        _("OPD tujuan membuka surat dan mengisi indikator yang menjadi tanggung jawabnya."),
    ),
}

STATUS_BADGES = {
    Letter.Status.DRAFT: "",
    Letter.Status.SUBMITTED: "badge-info",
    Letter.Status.RETURNED: "badge-bad",
    Letter.Status.APPROVED: "badge-info",
    Letter.Status.NUMBERED: "badge-info",
    Letter.Status.SIGNED: "badge-info",
    Letter.Status.DISPATCHED: "badge-ok",
}


class Disposition(models.Model):
    """One round of the supervisor's disposition: the submission and its verdict."""

    class Verdict(models.TextChoices):
        APPROVED = "approved", _("disetujui")
        RETURNED = "returned", _("dikembalikan")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="dispositions")
    round = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    instruction = models.TextField(_("instruksi disposisi"), blank=True)
    addressed_to = models.CharField(_("diteruskan kepada"), max_length=200, blank=True)

    class Meta:
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "round"], name="disposition_unique_round")
        ]

    def __str__(self):
        return f"{self.letter_id}#{self.round} {self.verdict or '…'}"


class IssuingUnit(models.Model):
    """A unit of the institution that issues letters under its own number register and
    letterhead, e.g. the Sekretariat Daerah ("800/{seq}/Setda-Org/{year}"). The unit marked
    as the secretariat numbers the Surat Edaran Sekretaris Daerah; the other letters keep
    the institution's own register. Set by the institution's administrator."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="issuing_units"
    )
    name = models.CharField(_("nama unit"), max_length=200)
    code = models.CharField(
        _("kode"), max_length=30, help_text=_("Singkatan unit, mis. Setda-Org.")
    )
    letter_number_format = models.CharField(
        _("format nomor surat"),
        max_length=100,
        help_text=_("Gunakan {seq} untuk nomor urut dan {year} untuk tahun."),
    )
    letterhead = models.TextField(
        _("baris kop surat"),
        blank=True,
        help_text=_(
            "Satu baris per baris kop, yang terbesar dahulu. Kosongkan untuk memakai kop instansi."
        ),
    )
    address = models.TextField(
        _("alamat dan kontak pada kop"),
        blank=True,
        help_text=_("Dicetak di bawah baris kop unit, mis. alamat, telepon dan laman."),
    )
    is_secretariat = models.BooleanField(
        _("Sekretariat Daerah"),
        default=False,
        help_text=_("Unit ini menomori dan menerbitkan Surat Edaran Sekretaris Daerah."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit penerbit")
        verbose_name_plural = _("unit penerbit")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="issuing_unit_code"),
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(is_secretariat=True),
                name="issuing_unit_one_secretariat",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def letterhead_lines(self):
        return [line.strip() for line in self.letterhead.splitlines() if line.strip()]


class NumberSequence(models.Model):
    """The last letter number given per institution (or issuing unit) and year; locked row
    while numbering. The institution's own register has no issuing unit."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE)
    issuing_unit = models.ForeignKey(
        IssuingUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"],
                condition=Q(issuing_unit__isnull=True),
                name="sequence_unique_year",
            ),
            models.UniqueConstraint(
                fields=["issuing_unit", "year"],
                condition=Q(issuing_unit__isnull=False),
                name="sequence_unique_unit_year",
            ),
        ]

    def __str__(self):
        unit = f"/{self.issuing_unit_id}" if self.issuing_unit_id else ""
        return f"{self.institution_id}{unit}/{self.year}: {self.last}"


class Receipt(models.Model):
    """Delivery of a dispatched letter to one OPD: delivered, then opened by whom and when."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="receipts")
    agency = models.ForeignKey("institutions.Agency", on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["letter", "agency"], name="receipt_unique")]

    def __str__(self):
        return f"{self.letter_id} → {self.agency_id}"
