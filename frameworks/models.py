"""Evaluation frameworks (kerangka evaluasi): versioned trees of weighted nodes, loaded from
data files (see data/README.md and services.load_framework_file). Installation-wide reference
data, readable by every user; a version adopted by a monev cycle is frozen and never changes.
"""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .trees import tree_of

KIND_LABELS = {
    "domain": _("Domain"),
    "aspect": _("Aspek"),
    "indicator": _("Indikator"),
}


def kind_label(kind):
    """The label of a node kind ("aspect" -> "Aspek"); unknown kinds are shown as written."""
    return KIND_LABELS.get(kind, kind.capitalize())


class FrameworkQuerySet(models.QuerySet):
    def default(self):
        """The installation's default framework (None if no framework is loaded)."""
        return self.filter(is_default=True).first()

    def with_indicator_count(self):
        return self.annotate(
            indicator_count=Count("nodes", filter=Q(nodes__children__isnull=True), distinct=True)
        )


class Framework(models.Model):
    class Provenance(models.TextChoices):
        OFFICIAL = "official", _("resmi")
        RECONSTRUCTED = "reconstructed", _("rekonstruksi")

    code = models.CharField(_("kode"), max_length=50)
    version = models.CharField(_("versi"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    is_default = models.BooleanField(_("bawaan"), default=False)
    provenance = models.CharField(_("asal"), max_length=20, choices=Provenance.choices)
    provenance_note = models.TextField(_("catatan asal"), blank=True)
    # [{key, label?, title, attribution}]: the texts' sources, shown wherever a text appears.
    sources = models.JSONField(_("sumber"), default=list)
    scale_min = models.PositiveSmallIntegerField(_("tingkat terendah"))
    scale_max = models.PositiveSmallIntegerField(_("tingkat tertinggi"))
    # {key: {name, levels: {"1": {name, description}}}}
    capability_models = models.JSONField(_("model kapabilitas"), default=dict)
    # [{rating, min, max}] with decimal strings; min inclusive, max exclusive (top inclusive).
    bands = models.JSONField(_("predikat"), default=list)
    content_hash = models.CharField(_("sidik isi (SHA-256)"), max_length=64)
    frozen_at = models.DateTimeField(_("dibekukan pada"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("dimuat pada"))

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "code", "version"]
        verbose_name = _("kerangka evaluasi")
        verbose_name_plural = _("kerangka evaluasi")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_unique_version"),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="framework_one_default"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code} v{self.version})"

    @property
    def is_frozen(self):
        return self.frozen_at is not None

    @property
    def source_by_key(self):
        return {source["key"]: source for source in self.sources}

    def spec(self, *, with_texts=False):
        """The engine's FrameworkSpec: read with one query the first time in a process, then
        kept (frameworks.trees). Shared by every request: read it, never change it."""
        tree = tree_of(self)
        return tree.spec if with_texts else tree.bare_spec


class Node(models.Model):
    """One node of a framework tree; a node without children is an indicator."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("kode"), max_length=50)
    kind = models.CharField(_("jenis"), max_length=50)
    number = models.CharField(_("nomor"), max_length=20)
    name = models.CharField(_("nama"), max_length=300)
    # Percent of the whole framework; a parent's weight is the sum of its children's.
    weight = models.DecimalField(_("bobot (%)"), max_digits=7, decimal_places=3)
    # Pre-order position in the tree (a parent before its children) and distance from the top.
    position = models.PositiveIntegerField(_("urutan"))
    depth = models.PositiveSmallIntegerField(_("kedalaman"))
    capability_model = models.CharField(_("model kapabilitas"), max_length=50, blank=True)
    # {question, question_source, criteria: {source: {level: text}}, guidance: {...}, notes}
    texts = models.JSONField(_("teks"), default=dict, blank=True)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("simpul kerangka")
        verbose_name_plural = _("simpul kerangka")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="node_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def kind_label(self):
        return kind_label(self.kind)
