"""Reads of frameworks reused by views and commands; each runs a fixed number of queries."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Framework
from .trees import node_copies, node_copy, tree_of, weight_texts


def frameworks_for_list():
    """Every framework with `indicator_count` (one query)."""
    # Meta.ordering does not apply to aggregating queries; order explicitly.
    return Framework.objects.with_indicator_count().order_by("-is_default", "code", "version")


def get_framework(code, version):
    return get_object_or_404(Framework, code=code, version=version)


def find_framework(code, version=None):
    """The framework to use for `code`: the given version, else the only version, else the
    default one among several. Raises Framework.DoesNotExist with a message saying what to do."""
    versions = list(Framework.objects.filter(code=code).order_by("version"))
    if version is not None:
        matches = [framework for framework in versions if framework.version == version]
    elif len(versions) > 1:
        matches = [framework for framework in versions if framework.is_default]
        if not matches:
            raise Framework.DoesNotExist(
                _("Kerangka %(code)s punya beberapa versi (%(versions)s); pilih dengan --version.")
                % {"code": code, "versions": ", ".join(item.version for item in versions)}
            )
    else:
        matches = versions
    if not matches:
        label = code if version is None else f"{code} versi {version}"
        raise Framework.DoesNotExist(
            _(
                "Kerangka %(framework)s belum ada di basis data. Jalankan dulu: "
                "python manage.py load_frameworks"
            )
            % {"framework": label}
        )
    return matches[0]


def tree_rows(framework):
    """Every node in tree order, without texts, each with `is_indicator` (no query once the
    process keeps the tree, see frameworks.trees; the rows are the caller's own copies)."""
    nodes = node_copies(framework)
    parents = {node.parent_id for node in nodes}
    weights = weight_texts(framework)
    for node in nodes:
        node.is_indicator = node.pk not in parents
        node.weight_display = weights[node.pk]
        node.indent = f"{0.6 + 1.25 * node.depth:g}rem"
    return nodes


def indicator_rows(framework, *, with_texts=False):
    """The framework's indicators (nodes without children) in tree order, as the caller's
    own Node copies (no query once the process keeps the tree)."""
    return node_copies(framework, with_texts=with_texts, indicators_only=True)


def get_indicator_or_404(framework, pk, *, with_texts=True):
    """One indicator of the framework by pk, with its texts (unless `with_texts` is False:
    copying them is most of the cost) and its `parent` (without texts), as the caller's own
    copies; a node of another framework or one with children is a 404 (no query once kept)."""
    tree = tree_of(framework)
    by_pk = {node.pk: node for node in tree.nodes}
    node = by_pk.get(int(pk)) if str(pk).isdigit() else None
    if node is None or node.pk in tree.parent_pks:
        raise Http404(_("Indikator tidak ditemukan."))
    indicator = node_copy(node, with_texts=with_texts)
    if node.parent_id is not None:
        indicator.parent = node_copy(by_pk[node.parent_id], with_texts=False)
    return indicator


def node_pks(framework):
    """{node code: node pk} for every node of the framework (no query once kept)."""
    return {node.code: node.pk for node in tree_of(framework).nodes}


def level_table(framework):
    """Rows of the level scale: [{level, names: [name per capability model]}]."""
    models = list(framework.capability_models.values())
    return [
        {
            "level": level,
            "names": [
                model.get("levels", {}).get(str(level), {}).get("name", "") for model in models
            ],
        }
        for level in range(framework.scale_min, framework.scale_max + 1)
    ]


def band_rows(framework):
    """The predicate bands, highest first, with their bounds as written."""
    bands = sorted(framework.bands, key=lambda band: float(band["min"]), reverse=True)
    return [
        {
            "rating": band["rating"],
            "min": band["min"],
            "max": band["max"],
            "top": number == 0,
        }
        for number, band in enumerate(bands)
    ]


def indicator_page(framework, node_code):
    """What the indicator page shows (no query once the process keeps the tree): the node
    with its texts, its ancestors, the previous and next indicators, and its texts arranged
    per level."""
    rows = tree_rows(framework)
    by_code = {node.code: node for node in rows}
    summary = by_code.get(node_code)
    if summary is None or not summary.is_indicator:
        raise Http404(_("Indikator tidak ditemukan."))
    [node] = [
        node_copy(kept, with_texts=True)
        for kept in tree_of(framework).nodes
        if kept.pk == summary.pk
    ]
    node.weight_display = summary.weight_display
    by_pk = {row.pk: row for row in rows}
    ancestors, parent = [], by_pk.get(node.parent_id)
    while parent is not None:
        ancestors.insert(0, parent)
        parent = by_pk.get(parent.parent_id)
    indicators = [row for row in rows if row.is_indicator]
    position = indicators.index(summary)
    return {
        "node": node,
        "ancestors": ancestors,
        "previous": indicators[position - 1] if position > 0 else None,
        "next": indicators[position + 1] if position + 1 < len(indicators) else None,
        "levels": indicator_levels(framework, node),
        "question_source": framework.source_by_key.get(node.texts.get("question_source")),
        "guidance_source": framework.source_by_key.get(
            node.texts.get("guidance", {}).get("source")
        ),
        "criteria_sources": criteria_sources(framework, node),
        "capability_model": framework.capability_models.get(node.capability_model),
    }


def criteria_sources(framework, node):
    """The sources that give criteria for this indicator, in the framework's source order."""
    criteria = node.texts.get("criteria", {})
    return [source for source in framework.sources if source["key"] in criteria]


def indicator_levels(framework, node):
    """Per level: its name, the criteria of each source side by side and the guidance
    (fulfilment, evidence) under the column of the source it comes from."""
    texts = node.texts
    criteria = texts.get("criteria", {})
    guidance = texts.get("guidance", {})
    model = framework.capability_models.get(node.capability_model, {})
    levels = []
    for level in range(framework.scale_min, framework.scale_max + 1):
        key = str(level)
        guide = guidance.get("levels", {}).get(key, {})
        cells = []
        for source in criteria_sources(framework, node):
            extra = []
            if source["key"] == guidance.get("source"):
                extra = [
                    (_("Kriteria pemenuhan"), guide.get("fulfilment", "")),
                    (_("Kriteria bukti dukung"), guide.get("evidence", "")),
                ]
            cells.append(
                {
                    "source": source,
                    "text": criteria[source["key"]].get(key, ""),
                    "extra": [(label, text) for label, text in extra if text],
                }
            )
        levels.append(
            {
                "level": level,
                "name": model.get("levels", {}).get(key, {}).get("name", ""),
                "cells": cells,
            }
        )
    return levels
