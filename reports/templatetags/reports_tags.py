from django import template

from institutions.models import Role
from institutions.permissions import has_role
from reports.queries import reports_awaiting_signature

register = template.Library()


@register.inclusion_tag("reports/_awaiting_signature.html", takes_context=True)
def awaiting_signature(context):
    """For a leader's home page: the statements routed to them and not yet signed."""
    user = context["user"]
    reports = (
        list(reports_awaiting_signature(user))
        if user.institution_id and has_role(user, Role.LEADER)
        else []
    )
    return {"reports": reports, "latest_cycle": context.get("latest_cycle")}
