from django import template

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_recent.html", takes_context=True)
def recent_notifications(context):
    """The person's latest notifications, newest first (one query)."""
    user = context["request"].user
    return {"notifications": Notification.objects.filter(user=user)[:50]}
