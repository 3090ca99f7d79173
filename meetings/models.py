"""The coordination meeting of a cycle (rapat koordinasi, SOP step 6): its schedule, the
equipment checklist of the meeting room, the attendance (daftar hadir) and the minutes
(notulen). The per-indicator decisions taken in it live in assessments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The SOP's time standard of step 6 when the cycle's SOP gives none in minutes.
DEFAULT_DURATION_MINUTES = 180


class Meeting(models.Model):
    cycle = models.OneToOneField("cycles.Cycle", on_delete=models.CASCADE, related_name="meeting")
    starts_at = models.DateTimeField(_("waktu mulai"))
    duration_minutes = models.PositiveIntegerField(
        _("durasi (menit)"), default=DEFAULT_DURATION_MINUTES
    )
    place = models.CharField(_("tempat"), max_length=200)
    agenda = models.TextField(_("acara"), blank=True)
    minutes = models.TextField(_("notulen"), blank=True)
    # Optimistic locking of the minutes: a save names the version it was typed over.
    minutes_version = models.PositiveIntegerField(default=0)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    minutes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("dimulai"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The official invitation (Surat Undangan Rapat); it runs the letters' flow of steps 1-3.
    invitation = models.ForeignKey(
        "letters.Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Touched by every change of the meeting, its equipment or attendance: a generated
    # daftar hadir or notulen older than this is out of date.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rapat koordinasi")
        verbose_name_plural = _("rapat koordinasi")

    def __str__(self):
        return f"{self.cycle} — {self.place}"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_started(self):
        return self.started_at is not None


class MeetingEquipment(models.Model):
    """One line of the room's equipment checklist (the SOP's "Kelengkapan" of step 6)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="equipment")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("peralatan"), max_length=100)
    ready = models.BooleanField(_("siap"), default=False)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("peralatan rapat")
        verbose_name_plural = _("peralatan rapat")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="equipment_unique_name")
        ]

    def __str__(self):
        return self.name


class Attendee(models.Model):
    """A line of the daftar hadir: someone invited (a person with an account, or an OPD's
    representative) or a walk-in, and whether and when they checked in."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "institutions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("OPD"),
    )
    # The unit of someone who does not attend for an OPD (e.g. "Tim SPBE Kota Pontianak").
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    invited = models.BooleanField(_("diundang"), default=False)
    checked_in_at = models.DateTimeField(_("hadir pukul"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("peserta rapat")
        verbose_name_plural = _("peserta rapat")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendee_unique_user",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def unit_name(self):
        """What the daftar hadir prints in its "OPD/Unit" column."""
        return self.agency.name if self.agency_id else self.unit

    @property
    def is_present(self):
        return self.checked_in_at is not None
