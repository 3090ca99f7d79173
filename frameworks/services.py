"""Every write to frameworks: loading data files and freezing a version."""

from pathlib import Path

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event

from .fileformat import read_framework_file, read_framework_upload
from .models import Framework, Node
from .scoring import FrameworkError, weight_str
from .trees import forget_tree

DATA_DIR = Path(__file__).resolve().parent / "data"


class LoadOutcome(models.TextChoices):
    CREATED = "created", gettext_lazy("dimuat")
    UPDATED = "updated", gettext_lazy("diperbarui")
    UNCHANGED = "unchanged", gettext_lazy("tidak berubah")


def shipped_framework_files():
    """The framework files that ship with the application (frameworks/data/*.json)."""
    return sorted(DATA_DIR.glob("*.json"))


def load_framework_file(path, *, by=None):
    """Load one framework file; return (framework, outcome). See load_framework_files."""
    [(framework, outcome)] = load_framework_files([path], by=by)
    return framework, outcome


def import_framework(upload, *, by):
    """Load an uploaded framework file (the installation's administrator, through the API);
    return (framework, outcome). Checked and stored as load_framework_files does."""
    item = read_framework_upload(upload)
    with transaction.atomic():
        return store_framework(item, by=by)


def load_framework_files(paths, *, by=None):
    """Load framework files; return [(framework, LoadOutcome)] in the order given.

    Every file is parsed and validated before anything is written; any problem raises
    FrameworkError listing all problems of all files, and nothing changes. Side effects, in
    one transaction for all files:
    - a new (code, version) creates the Framework and its nodes ("created");
    - the same content again changes nothing ("unchanged");
    - other content for an existing (code, version) updates it in place, nodes matched by
      code, nodes no longer in the file deleted ("updated"), unless the version is frozen
      (adopted by a monev cycle): then FrameworkError and nothing changes;
    - a file marked default makes its framework the only default;
    - the new loaded_at stamp makes every process read the changed tree again
      (frameworks.trees);
    - an audit event per created or updated framework.
    """
    parsed, problems = [], []
    for path in paths:
        try:
            parsed.append(read_framework_file(path))
        except FrameworkError as error:
            problems += error.problems
    seen = {}
    for item in parsed:
        key = (item.spec.code, item.spec.version)
        if key in seen:
            problems.append(
                _("%(file)s: %(code)s versi %(version)s sudah ada di berkas %(other)s.")
                % {"file": item.path, "code": key[0], "version": key[1], "other": seen[key]}
            )
        seen[key] = item.path
    if problems:
        raise FrameworkError(problems)
    with transaction.atomic():
        return [store_framework(item, by=by) for item in parsed]


def store_framework(item, *, by):
    """Store one validated file (see load_framework_files). Another request storing the
    same version at the same moment (a double click) makes the insert fail on the unique
    version; then the version it committed is compared again, as if loaded after it."""
    try:
        with transaction.atomic():
            return _store_framework(item, by=by)
    except IntegrityError:
        return _store_framework(item, by=by)


def _store_framework(item, *, by):
    spec = item.spec
    framework = (
        Framework.objects.select_for_update().filter(code=spec.code, version=spec.version).first()
    )
    if framework is not None and framework.content_hash == item.content_hash:
        return framework, LoadOutcome.UNCHANGED
    if framework is not None and framework.is_frozen:
        raise FrameworkError(
            _(
                "%(file)s: %(code)s versi %(version)s: versi ini sudah dipakai periode monev; "
                "terbitkan versi baru."
            )
            % {"file": item.path, "code": spec.code, "version": spec.version}
        )
    before = None if framework is None else summary(framework)
    if item.is_default:
        # One default per installation (a partial unique constraint): clear the old one first.
        Framework.objects.filter(is_default=True).exclude(
            code=spec.code, version=spec.version
        ).update(is_default=False)
    fields = {
        "name": spec.name,
        "is_default": item.is_default,
        "provenance": item.provenance,
        "provenance_note": item.provenance_note,
        "sources": item.sources,
        "scale_min": spec.scale_min,
        "scale_max": spec.scale_max,
        "capability_models": spec.capability_models,
        "bands": item.bands,
        "content_hash": item.content_hash,
        "loaded_at": timezone.now(),
    }
    if framework is None:
        framework = Framework.objects.create(code=spec.code, version=spec.version, **fields)
        outcome = LoadOutcome.CREATED
    else:
        for name, value in fields.items():
            setattr(framework, name, value)
        framework.save()
        outcome = LoadOutcome.UPDATED
    store_nodes(framework, spec)
    # Other processes see the new loaded_at; this one also drops the trees it keeps under
    # the stamp that callers holding the old row still ask for.
    forget_tree(framework)
    record_event(
        f"framework.{outcome}",
        by=by,
        target=framework,
        before=before,
        after=summary(framework),
    )
    return framework, outcome


def store_nodes(framework, spec):
    """Make the framework's nodes match the spec, keeping the rows of codes that stay."""
    existing = {node.code: node for node in framework.nodes.all()}
    keep = {node.code for node in spec.nodes}
    # Detach every node first: deleting a node that goes would cascade to a node below it
    # that stays. store() sets every parent again.
    framework.nodes.update(parent=None)
    framework.nodes.exclude(code__in=keep).delete()
    stored = {}

    def store(node, parent, depth):
        row = existing.get(node.code) or Node(framework=framework, code=node.code)
        row.parent = parent
        row.kind = node.kind
        row.number = node.number
        row.name = node.name
        row.weight = node.weight
        row.position = len(stored)
        row.depth = depth
        row.capability_model = node.capability_model
        row.texts = node.texts
        row.save()
        stored[node.code] = row
        for child in node.children:
            store(child, row, depth + 1)

    for root in spec.roots:
        store(root, None, 0)


def summary(framework):
    """What an audit event records about a framework version."""
    return {
        "code": framework.code,
        "version": framework.version,
        "name": framework.name,
        "is_default": framework.is_default,
        "content_hash": framework.content_hash,
        "frozen_at": framework.frozen_at.isoformat() if framework.frozen_at else None,
        "weights": {
            node.code: weight_str(node.weight) for node in framework.nodes.order_by("position")
        },
    }


def freeze_framework(framework, *, by=None):
    """Freeze a framework version (when a monev cycle adopts it): from now on its file can
    no longer change it. Side effects: frozen_at = now (once; freezing again changes
    nothing) and an audit event."""
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.frozen_at is None:
            framework.frozen_at = timezone.now()
            framework.save(update_fields=["frozen_at"])
            record_event(
                "framework.frozen",
                by=by,
                target=framework,
                after={"frozen_at": framework.frozen_at.isoformat()},
            )
    return framework
