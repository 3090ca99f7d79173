from django import template

from followups.models import FollowUp
from followups.queries import follow_ups_for_agency

register = template.Library()

BADGES = {
    FollowUp.Status.OPEN: "badge-info",
    FollowUp.Status.IN_PROGRESS: "badge-warn",
    FollowUp.Status.DONE: "badge-ok",
    FollowUp.Status.DROPPED: "",
}


@register.filter
def follow_up_badge(status):
    """The badge class of a follow-up status (the badge always shows the status in words)."""
    return BADGES.get(status, "")


@register.inclusion_tag("followups/_agency_follow_ups.html")
def agency_follow_ups(agency, level=2):
    """The OPD's open follow-ups of every cycle, for its portal and home page, under a
    heading of `level` (one query; nothing is shown without open follow-ups)."""
    items = list(follow_ups_for_agency(agency))
    today = items[0].cycle.institution.today() if items else None
    return {"agency": agency, "items": items, "today": today, "level": level}


@register.filter
def overdue_on(follow_up, today):
    """Still open after its due date."""
    return follow_up.is_overdue(today)
