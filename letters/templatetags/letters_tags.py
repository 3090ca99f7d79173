"""`{% load letters_tags %}`: helpers of the letter templates."""

from django import template

from letters import queries
from letters.models import Letter

register = template.Library()


@register.filter
def actor_name(sop, key):
    """The SOP's name for an actor key, e.g. "supervisor" -> "Kabid. TKPBET"."""
    if not key:
        return ""
    if sop is None:
        return key
    return sop.actor_name(key)


@register.inclusion_tag("letters/_circular.html", takes_context=True)
def circular_box(context, cycle, can_draft=False):
    """The cycle page's line about its Surat Edaran Sekretaris Daerah (SOP step 4's
    required item): missing until dispatched, and the warning while the collection runs
    without it. `can_draft`: the viewer may draft it (the coordinator). Reads the page's
    `letters` and `lines` (its step runs) when it has them: then no query of its own."""
    letters = context.get("letters")
    letters = list(letters) if letters is not None else list(queries.letters_of_cycle(cycle))
    lines = context.get("lines")
    runs = [line.run for line in lines] if lines is not None else None
    circular = next((letter for letter in letters if letter.kind == Letter.Kind.CIRCULAR), None)
    return {
        "cycle": cycle,
        "circular": circular,
        "without_circular": queries.collection_without_circular(
            cycle, letters=letters, step_runs=runs
        ),
        "can_draft": can_draft,
    }
