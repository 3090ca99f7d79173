from django import template

from cycles.queries import unassigned_count

register = template.Library()


@register.inclusion_tag("cycles/_unassigned_notice.html")
def unassigned_notice(cycle):
    """'N indikator belum ditugaskan ke OPD mana pun' with a link to the matrix, or nothing
    (one query). For pages that come before the data request goes out."""
    return {"cycle": cycle, "count": unassigned_count(cycle)}
