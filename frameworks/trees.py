"""The framework trees each process keeps in memory.

A framework's nodes and texts are read on almost every page but change only when its data
file is loaded again (services.store_framework, until the version is frozen). Each process
reads a tree once and keeps it under a key made of the Framework row's own fields
(pk, loaded_at, content_hash): a page already has that row, so checking the key costs no
query, and every process (gunicorn worker) sees a new key as soon as it reads the row of a
reloaded version. Nothing has to tell the other processes.

What is kept here is shared by every request of the process: callers get fresh copies of
the Node rows (see `node_copies`) and read-only specs, never the kept objects themselves.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.base import ModelState
from django.utils.translation import get_language

from monev.kept import KeptData

from .scoring import FrameworkSpec, NodeSpec, make_bands, plain

# A few frameworks, a few versions each: enough for every cycle a page may compare.
KEPT = KeptData(size=16)


@dataclass(frozen=True)
class Tree:
    """One framework version as read from the database, never handed out as is."""

    nodes: tuple  # Node rows in tree order, with their texts
    parent_pks: frozenset  # the pks of nodes that have children
    spec: FrameworkSpec  # with the nodes' texts
    bare_spec: FrameworkSpec  # without them, as Framework.spec() gives by default
    # {language: {node pk: weight as people read it}}, filled the first time it is asked.
    weight_texts: dict = field(default_factory=dict)
    # {(name, language, node pk): what a page made of the node's texts}, see rendered_texts.
    renderings: dict = field(default_factory=dict)


def tree_of(framework):
    """The framework's Tree: from this process's memory, or read with one query."""
    key = (framework.pk, framework.loaded_at, framework.content_hash)
    return KEPT.get(key, lambda: read_tree(framework))


def forget_tree(framework=None):
    """Drop what this process keeps of one framework (every version stamp), or of all.
    Other processes need no telling: they see the row's new stamp."""
    KEPT.forget(None if framework is None else framework.pk)


def read_tree(framework):
    from .models import Node  # models.py imports this module

    nodes = tuple(Node.objects.filter(framework_id=framework.pk).order_by("position"))
    return Tree(
        nodes=nodes,
        parent_pks=frozenset(node.parent_id for node in nodes if node.parent_id is not None),
        spec=build_spec(framework, nodes, with_texts=True),
        bare_spec=build_spec(framework, nodes, with_texts=False),
    )


def build_spec(framework, nodes, *, with_texts):
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)

    def build(node):
        return NodeSpec(
            code=node.code,
            kind=node.kind,
            number=node.number,
            name=node.name,
            weight=node.weight,
            capability_model=node.capability_model,
            children=tuple(build(child) for child in children[node.pk]),
            # A copy: the spec's texts are not the kept rows' texts.
            texts=copy.deepcopy(node.texts) if with_texts else {},
        )

    return FrameworkSpec(
        code=framework.code,
        version=framework.version,
        name=framework.name,
        scale_min=framework.scale_min,
        scale_max=framework.scale_max,
        bands=make_bands(framework.bands),
        roots=tuple(build(node) for node in children[None]),
        capability_models=copy.deepcopy(framework.capability_models),
    )


def weight_texts(framework):
    """{node pk: its weight as people read it in the active language} ("1,3")."""
    tree = tree_of(framework)
    language = get_language()
    if language not in tree.weight_texts:
        tree.weight_texts[language] = {node.pk: plain(node.weight) for node in tree.nodes}
    return tree.weight_texts[language]


def rendered_texts(framework, node_pk, name, render):
    """What `render()` makes of one node's texts in the active language (a page's HTML of
    the indicator's question, criteria and guidance, say), made once per process, language
    and framework version: it is kept with the tree, so a reloaded version (a new stamp, or
    forget_tree in this process) renders it again. `name` tells apart what the pages make;
    the value must be immutable (strings, frozen dataclasses, tuples): every request shares it.
    """
    tree = tree_of(framework)
    key = (name, get_language(), node_pk)
    value = tree.renderings.get(key)
    if value is None:
        value = tree.renderings[key] = render()
    return value


def node_copies(framework, *, with_texts=False, indicators_only=False):
    """Fresh Node instances of the framework in tree order, each the caller's own to set
    attributes on. Without texts the field is left deferred, as `.defer("texts")` would."""
    tree = tree_of(framework)
    copies = []
    for node in tree.nodes:
        if indicators_only and node.pk in tree.parent_pks:
            continue
        copies.append(node_copy(node, with_texts=with_texts))
    return copies


def node_copy(node, *, with_texts):
    """A Node with the kept row's values and its own state (no related object cached)."""
    fresh = type(node).__new__(type(node))  # as Model.from_db does, without __init__'s cost
    fresh.__dict__.update(node.__dict__)
    fresh._state = ModelState()
    fresh._state.db, fresh._state.adding = node._state.db, False
    if with_texts:
        fresh.texts = copy.deepcopy(node.texts)
    else:
        del fresh.texts
    return fresh
