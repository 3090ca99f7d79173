from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from notifications.services import mark_all_read


@login_required
@require_POST
def notifications_read(request):
    mark_all_read(by=request.user)
    return redirect("inbox")
