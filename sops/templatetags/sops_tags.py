"""{% step_needs cycle 7 %} and {% letter_step_needs letter %}: the box at the top of a step's
working page saying what the step needs (sops.needs), who acts and its time standard."""

from django import template

from sops.needs import letter_step
from sops.needs import step_needs as needs_of

register = template.Library()


@register.inclusion_tag("sops/_step_needs.html")
def step_needs(cycle, number, agency=None, answers=None):
    """`answers`: the OPD's (assigned, handed in) counts when the page has them (see
    sops.needs.Facts)."""
    return {"needs": needs_of(cycle, number, agency=agency, answers=answers)}


@register.inclusion_tag("sops/_step_needs.html")
def letter_step_needs(letter):
    return {"needs": needs_of(letter.cycle, letter_step(letter))}
