"""Small helpers shared by the meeting's service modules."""

from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting


def meeting_url(meeting):
    return reverse("meeting_detail", args=[meeting.cycle_id])


def _touch(meeting):
    """Mark the meeting changed (its daftar hadir and notulen are out of date)."""
    meeting.updated_at = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=meeting.updated_at)
