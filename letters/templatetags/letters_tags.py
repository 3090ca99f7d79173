"""`{% load letters_tags %}`: helpers of the letter templates."""

from django import template

register = template.Library()


@register.filter
def actor_name(sop, key):
    """The SOP's name for an actor key, e.g. "supervisor" -> "Kabid. TKPBET"."""
    if not key:
        return ""
    if sop is None:
        return key
    return sop.actor_name(key)
