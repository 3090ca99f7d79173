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


class TeamDecree(models.Model):
    """The decree (Surat Keputusan) that forms the cycle's evaluator team, e.g. the Wali
    Kota's "Tim Koordinasi dan Kelompok Kerja Evaluator Internal SPBE": one per cycle,
    carried from last year's cycle as a draft to confirm. Only a confirmed decree is cited
    by official documents (cycles.team.decree_citation)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        CONFIRMED = "confirmed", _("dikonfirmasi")

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="team_decree")
    issuer = models.CharField(
        _("pejabat yang menetapkan"), max_length=200, help_text=_("mis. Wali Kota Pontianak")
    )
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    date = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    title = models.CharField(_("tentang"), max_length=500)
    signed_file = models.FileField(
        _("PDF bertanda tangan"), upload_to="cycles/decrees/%Y/", blank=True
    )
    signed_file_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The year of the cycle it was carried from (None: made in this cycle).
    carried_from_year = models.PositiveIntegerField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SK tim evaluator")
        verbose_name_plural = _("SK tim evaluator")

    def __str__(self):
        return self.number or self.title

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class TeamMember(models.Model):
    """One member of the team the decree forms: as the decree lists them (name, NIP,
    position, OPD), their role and group, and the user account when they have one."""

    class Role(models.TextChoices):
        PENGARAH = "pengarah", _("Pengarah")
        KETUA = "ketua", _("Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        ANGGOTA = "anggota", _("Anggota")

    class Group(models.TextChoices):
        COORDINATION = "koordinasi", _("Tim Koordinasi SPBE")
        EVALUATORS = "pokja", _("Kelompok Kerja Evaluator Internal")

    decree = models.ForeignKey(TeamDecree, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nama"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "institutions.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("OPD"),
    )
    role = models.CharField(_("kedudukan dalam tim"), max_length=20, choices=Role.choices)
    group = models.CharField(_("kelompok"), max_length=20, choices=Group.choices)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun pengguna"),
    )

    class Meta:
        ordering = ["group", "order", "pk"]
        verbose_name = _("anggota tim evaluator")
        verbose_name_plural = _("anggota tim evaluator")

    def __str__(self):
        return self.name
