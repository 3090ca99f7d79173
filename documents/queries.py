"""Reads of generated documents used in more than one place."""

from django.db.models import Count, OuterRef, Subquery

from documents import kinds
from documents.models import Document, DocumentTemplate, GenerationJob


def latest_documents(source):
    """The newest version of each format generated from `source`, ordered by format."""
    newest = (
        Document.objects.filter(source=OuterRef("source"), format=OuterRef("format"))
        .order_by("-version")
        .values("version")[:1]
    )
    return Document.objects.filter(source=source, version=Subquery(newest)).order_by("format")


def active_template(institution, kind):
    """The institution's Word template in use for `kind` (its newest upload), or None."""
    return DocumentTemplate.objects.filter(institution=institution, kind=kind).first()


def template_overview(institution):
    """Per registered kind: {kind, current (the DocumentTemplate in use or None), uploads
    (how many the institution ever uploaded)}, in the registry's order. Two queries."""
    newest = DocumentTemplate.objects.filter(
        institution=OuterRef("institution"), kind=OuterRef("kind")
    ).values("pk")[:1]
    current = {
        template.kind: template
        for template in DocumentTemplate.objects.filter(
            institution=institution, pk=Subquery(newest)
        ).select_related("uploaded_by")
    }
    counts = dict(
        DocumentTemplate.objects.filter(institution=institution)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [
        {"kind": kind, "current": current.get(kind.key), "uploads": counts.get(kind.key, 0)}
        for kind in kinds.all_kinds()
    ]


def cycle_document_groups(cycle):
    """The cycle's documents for its register: a list of groups, one per kind, each
    {kind, title, series}, where a series is the versions of one (source, format), newest
    first: {newest, older}. Groups are ordered by title, series by newest first. One query."""
    documents = Document.objects.filter(cycle=cycle).select_related("generated_by")
    series = {}
    for document in documents.order_by("kind", "source", "format", "-version"):
        series.setdefault((document.kind, document.source, document.format), []).append(document)
    groups = {}
    for (kind, _source, _format), versions in series.items():
        group = groups.setdefault(kind, {"kind": kind, "series": []})
        group["series"].append({"newest": versions[0], "older": versions[1:]})
    for group in groups.values():
        group["series"].sort(key=lambda s: (s["newest"].generated_at, s["newest"].pk), reverse=True)
        group["title"] = group["series"][0]["newest"].title
    return sorted(groups.values(), key=lambda g: (g["title"].lower(), g["kind"]))


def cycle_jobs(cycle, *, limit=10):
    """The cycle's newest background builds with the documents they produced."""
    return list(
        GenerationJob.objects.filter(cycle=cycle)
        .select_related("requested_by")
        .prefetch_related("documents")[:limit]
    )
