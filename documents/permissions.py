"""Who may see and manage generated documents. Plain predicates plus the access helpers
that answer 404 for another institution's documents (and for people who may not see them)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import Document, DocumentTemplate, GenerationJob
from institutions.models import Role
from institutions.permissions import has_role, is_staff_member


def can_manage_templates(user, institution):
    """The institution's administrator or coordinator replaces its Word templates."""
    return user.institution_id == institution.pk and has_role(user, Role.ADMIN, Role.COORDINATOR)


def can_view_documents(user, institution):
    """The generated documents of an institution (its register, downloads) are for its
    staff; an OPD operator gets its letters through the letters pages."""
    return user.institution_id == institution.pk and is_staff_member(user)


def documents_visible_to(user):
    """can_view_documents as a queryset, for lists: the register of the staff's institution
    (none for anyone else)."""
    if user.institution_id is None or not is_staff_member(user):
        return Document.objects.none()
    return Document.objects.filter(institution_id=user.institution_id)


def can_view_job(user, job):
    return can_view_documents(user, job.institution) or (
        user.institution_id == job.institution_id and job.requested_by_id == user.pk
    )


def get_document_or_404(user, pk):
    document = get_object_or_404(
        Document.objects.select_related("institution"), pk=pk, institution_id=user.institution_id
    )
    if not can_view_documents(user, document.institution):
        raise Http404
    return document


def get_template_or_404(user, pk):
    template = get_object_or_404(
        DocumentTemplate.objects.select_related("institution"),
        pk=pk,
        institution_id=user.institution_id,
    )
    if not can_manage_templates(user, template.institution):
        raise Http404
    return template


def get_job_or_404(user, pk):
    job = get_object_or_404(
        GenerationJob.objects.select_related("institution"),
        pk=pk,
        institution_id=user.institution_id,
    )
    if not can_view_job(user, job):
        raise Http404
    return job
