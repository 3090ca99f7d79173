from django import template

from cycles.waiting import open_follow_ups
from followups.models import FollowUp
from followups.queries import follow_ups_for_agency
from institutions.permissions import agencies_of

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


@register.inclusion_tag("followups/_agency_follow_ups.html", takes_context=True)
def agency_follow_ups(context, agency, level=2):
    """The OPD's open follow-ups of every cycle, for its portal and home page, under a
    heading of `level` (nothing is shown without open follow-ups). Its own operators' are
    the request's (cycles.waiting.open_follow_ups: the menu badge and the waiting list read
    them already); anyone else's one query."""
    user = getattr(context.get("request"), "user", None)
    if getattr(user, "is_authenticated", False) and agency in agencies_of(user):
        items = open_follow_ups(user, agency)
    else:
        items = list(follow_ups_for_agency(agency))
    today = items[0].cycle.institution.today() if items else None
    return {"agency": agency, "items": items, "today": today, "level": level}


@register.filter
def overdue_on(follow_up, today):
    """Still open after its due date."""
    return follow_up.is_overdue(today)
