from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications.models import Notification
from notifications.services import mark_all_read, mark_read

PER_PAGE = 25


@login_required
def notification_list(request):
    """The person's notifications, newest first, 25 a page, grouped by day."""
    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("halaman"))
    days = [
        (day, list(rows))
        for day, rows in groupby(page.object_list, key=lambda n: timezone.localdate(n.created_at))
    ]
    unread = notifications.filter(read_at=None).count()
    context = {"page": page, "days": days, "unread": unread, "today": timezone.localdate()}
    return render(request, "notifications/notification_list.html", context)


@login_required
def notification_open(request, pk):
    """Open a notification: mark it read, then go where it points (only within the site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(notification, by=request.user)
    url = notification.url
    # Only a path of this site: a stored URL must never send the person elsewhere.
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect(url)
    return redirect("notification_list")


@login_required
@require_POST
def notifications_read(request):
    mark_all_read(by=request.user)
    return redirect("notification_list")
