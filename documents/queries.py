"""Reads of generated documents used in more than one place."""

from django.db.models import OuterRef, Subquery

from documents.models import Document, DocumentTemplate


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
