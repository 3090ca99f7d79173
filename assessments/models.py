"""Hasil evaluasi mandiri: the level the city team agrees for every indicator of a cycle
(with its penjelasan and chosen data dukung), and the official national result entered
from the evaluators' report for comparison."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    """One per cycle; created by the first write (see services.assessment_of)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        FINAL = "final", _("final")

    cycle = models.OneToOneField(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="assessment"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    finalized_at = models.DateTimeField(_("difinalkan pada"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_count = models.PositiveIntegerField(_("dibuka kembali"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hasil evaluasi mandiri")
        verbose_name_plural = _("hasil evaluasi mandiri")

    def __str__(self):
        return f"{self.cycle_id}: {self.status}"

    @property
    def is_final(self):
        return self.status == self.Status.FINAL


class Decision(models.Model):
    """The agreed level of one indicator, with the penjelasan the team stands behind."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="decisions")
    indicator = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("tingkat yang disepakati"))
    fakta = models.TextField(_("FAKTA"), blank=True)
    analisis = models.TextField(_("ANALISIS"), blank=True)
    evidence = models.ManyToManyField(
        "evidence.Evidence", related_name="decisions", blank=True, verbose_name=_("data dukung")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"))

    class Meta:
        ordering = ["indicator__position"]
        verbose_name = _("tingkat yang disepakati")
        verbose_name_plural = _("tingkat yang disepakati")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="decision_unique")
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.level}"


class NationalResult(models.Model):
    """One value of the official national result: an indicator's level (a whole number) or
    a domain's / aspect's index as printed in the official report."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="national_results"
    )
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("nilai"), max_digits=8, decimal_places=4)
    source = models.CharField(_("sumber"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("dimasukkan pada"))

    class Meta:
        ordering = ["node__position"]
        verbose_name = _("hasil evaluasi nasional")
        verbose_name_plural = _("hasil evaluasi nasional")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="national_result_unique")
        ]

    def __str__(self):
        return f"{self.node_id}: {self.value}"


class ResultsGrant(models.Model):
    """A city (the grantor) lets another institution (the grantee, e.g. its province) read
    its results through the API: the index, the nodes and the predicate of every cycle,
    never the OPDs' answers or their evidence. Active until revoked; granted and revoked by
    the grantor's administrator (assessments.services.grant_results_access)."""

    grantor = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="results_grants_given",
        verbose_name=_("pemberi akses"),
    )
    grantee = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="results_grants_received",
        verbose_name=_("penerima akses"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("diberikan pada"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("akses baca hasil")
        verbose_name_plural = _("akses baca hasil")
        constraints = [
            # One active grant per pair: granting again is the same grant (a retry).
            models.UniqueConstraint(
                fields=["grantor", "grantee"],
                condition=models.Q(revoked_at__isnull=True),
                name="results_grant_one_active",
            ),
            models.CheckConstraint(
                condition=~models.Q(grantor=models.F("grantee")),
                name="results_grant_not_to_itself",
            ),
        ]

    def __str__(self):
        return f"{self.grantor_id} → {self.grantee_id}"

    @property
    def is_active(self):
        return self.revoked_at is None
