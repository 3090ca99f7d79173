from django import template

from notifications.models import Notification

register = template.Library()

RECENT = 5


@register.inclusion_tag("notifications/_recent.html", takes_context=True)
def recent_notifications(context):
    """A short summary for the inbox: the latest few unread notifications and a link to the
    whole history (two small queries)."""
    user = context["request"].user
    mine = Notification.objects.filter(user=user)
    unread = list(mine.filter(read_at=None)[:RECENT])
    # Counting only when needed: fewer than RECENT unread means we know the count already.
    count = mine.filter(read_at=None).count() if len(unread) == RECENT else len(unread)
    total = count or mine.exists()
    return {"notifications": unread, "unread": count, "total": total}
