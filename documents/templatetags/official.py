"""`{% load official %}` then `{% kop %}`: the kop (letterhead) of an official PDF, from the
context's letterhead_title / letterhead_rest / contact_lines / letterhead_logo (what
documents.letters.kop_context puts in a letter's, a statement's or the Dokumen Evaluasi's
context), or else from its `institution` (a model or a dict)."""

from django import template

from documents.letters import institution_fields, letterhead

register = template.Library()

KEYS = ("letterhead_title", "letterhead_rest", "contact_lines", "letterhead_logo")


@register.inclusion_tag("documents/_kop.html", takes_context=True)
def kop(context):
    if "letterhead_title" in context:
        return {key: context.get(key) for key in KEYS}
    institution = context["institution"]
    if not isinstance(institution, dict):
        institution = institution_fields(institution)
    return letterhead(institution)
