"""Institutions (instansi), their agencies (OPD) and the people who work in them.

Every row that belongs to an institution is reached through it: a user of one institution
never sees another's data (see permissions.py for the access helpers).
"""

import uuid
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Zona waktu tidak dikenal: %(value)s"), params={"value": value})


def logo_upload_to(instance, filename):
    """The region's coat of arms under a generated name; the extension is the checked
    content's (institutions.services.settings.check_logo), never what the user typed."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"institutions/logo/{uuid.uuid4().hex}.{extension}"


class Institution(models.Model):
    class Kind(models.TextChoices):
        CITY = "kota", _("Kota")
        REGENCY = "kabupaten", _("Kabupaten")
        PROVINCE = "provinsi", _("Provinsi")
        MINISTRY = "kementerian", _("Kementerian")
        AGENCY = "lembaga", _("Lembaga")

    slug = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    address = models.TextField(_("alamat"), blank=True)
    city = models.CharField(
        _("tempat penandatanganan"), max_length=100, blank=True, help_text=_("mis. Pontianak")
    )
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.CharField(_("situs web"), max_length=200, blank=True)
    # The letterhead (kop surat): one line per row, largest first, as printed on letters.
    letterhead = models.TextField(_("baris kop surat"), blank=True)
    # The region's coat of arms (lambang daerah) at the left of every kop: PNG or SVG,
    # checked by content (institutions.services.settings.check_logo).
    logo = models.FileField(_("lambang daerah"), upload_to=logo_upload_to, blank=True)
    time_zone = models.CharField(
        _("zona waktu"), max_length=64, default="Asia/Jakarta", validators=[validate_time_zone]
    )
    # Letters: the numbering scheme ({seq} and {year} are filled in), whether each OPD gets
    # its own letter or one letter carries the distribution list, and the default signer.
    letter_number_format = models.CharField(
        _("format nomor surat"),
        max_length=100,
        default="005/{seq}/DISKOMINFO/{year}",
        help_text=_("Gunakan {seq} untuk nomor urut dan {year} untuk tahun."),
    )
    letter_per_agency = models.BooleanField(
        _("satu surat per OPD"),
        default=False,
        help_text=_("Jika tidak dicentang, satu surat dikirim dengan daftar distribusi."),
    )
    signer_name = models.CharField(_("nama penanda tangan surat"), max_length=200, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self):
        return self.name

    def today(self, now=None):
        """Today's date (or `now`'s) in the institution's own time zone."""
        return timezone.localdate(now or timezone.now(), timezone=zoneinfo.ZoneInfo(self.time_zone))

    @property
    def letterhead_lines(self):
        return [line.strip() for line in self.letterhead.splitlines() if line.strip()]


class DayOff(models.Model):
    """A day off the institution adds to the national public holidays (e.g. a local holiday
    or a cuti bersama not yet in the holidays library). Used by the SOP's working-day clock."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="days_off")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur instansi")
        verbose_name_plural = _("hari libur instansi")
        constraints = [
            models.UniqueConstraint(fields=["institution", "date"], name="dayoff_unique_date")
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class Function(models.TextChoices):
    """The functions an OPD covers: the 15 functions of the Tim Asesor Internal
    (PermenPANRB 59/2020, Lampiran BAB III.B.b). Used to propose who answers which indicator."""

    ORGANIZATION = "organisasi", _("organisasi dan ketatalaksanaan")
    DATA = "data", _("pengelolaan data dan informasi")
    ICT = "tik", _("teknologi informasi dan komunikasi")
    SECURITY = "keamanan", _("keamanan informasi")
    LAW = "hukum", _("hukum")
    PLANNING = "perencanaan", _("perencanaan")
    BUDGETING = "penganggaran", _("penganggaran")
    PERFORMANCE = "akuntabilitas", _("akuntabilitas kinerja")
    FINANCE = "keuangan", _("keuangan")
    PROCUREMENT = "pengadaan", _("pengadaan barang dan jasa pemerintah")
    ASSETS = "aset", _("pengelolaan barang milik negara/daerah")
    HR = "sdm", _("sumber daya manusia")
    ARCHIVES = "kearsipan", _("kearsipan")
    AUDIT = "pengawasan", _("pengawasan")
    PUBLIC_SERVICE = "pelayanan", _("pelayanan publik")


class Agency(models.Model):
    """An OPD (organisasi perangkat daerah) or work unit of an institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=50)
    head_name = models.CharField(_("kepala OPD"), max_length=200, blank=True)
    head_title = models.CharField(_("jabatan kepala"), max_length=200, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    functions = models.JSONField(_("fungsi yang dijalankan"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "short_name"], name="agency_unique_short_name"
            ),
            models.UniqueConstraint(fields=["institution", "name"], name="agency_unique_name"),
        ]

    def __str__(self):
        return self.short_name

    def get_functions_display(self):
        labels = dict(Function.choices)
        return [labels.get(code, code) for code in self.functions]


class User(AbstractUser):
    """A person. Belongs to one institution (none only for the installation's superusers)."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("instansi"),
    )
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    """The SOP's actors. Keys are stable (used in SOP files and code); labels are shown."""

    COORDINATOR = "coordinator", _("Koordinator (Tim SPBE Diskominfo)")
    SUPERVISOR = "supervisor", _("Kabid")
    SECRETARIAT = "secretariat", _("Sekretariat Dinas")
    EVALUATOR = "evaluator", _("Evaluator (Tim SPBE Kota)")
    AGENCY = "agency", _("Operator OPD")
    LEADER = "leader", _("Pimpinan (Sekda / Koordinator SPBE)")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """One role a user holds in their institution; an `agency` role is bound to one OPD."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("OPD"),
    )

    class Meta:
        ordering = ["role"]
        verbose_name = _("keanggotaan peran")
        verbose_name_plural = _("keanggotaan peran")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="agency") & Q(agency__isnull=False))
                | (~Q(role="agency") & Q(agency__isnull=True)),
                name="membership_agency_iff_agency_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="membership_unique_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="membership_unique_agency_role",
            ),
        ]

    def __str__(self):
        if self.agency_id:
            return f"{self.get_role_display()} — {self.agency}"
        return self.get_role_display()


class ApiToken(models.Model):
    """A personal API token: a program acts as its user, under the user's roles. The token
    is shown once when created; only its SHA-256 digest is kept (a token is 256 random
    bits, so a fast hash is enough), with a short prefix to tell tokens apart in the list."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
