"""Reads of generated documents used in more than one place."""

from django.db.models import OuterRef, Subquery

from documents.models import Document


def latest_documents(source):
    """The newest version of each format generated from `source`, ordered by format."""
    newest = (
        Document.objects.filter(source=OuterRef("source"), format=OuterRef("format"))
        .order_by("-version")
        .values("version")[:1]
    )
    return Document.objects.filter(source=source, version=Subquery(newest)).order_by("format")
