"""Reads about people's accounts: sign-in lockouts and second factors."""

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_locked_out(user):
    """Whether the account is locked out from at least one address (django-axes' records)."""
    return AccessAttempt.objects.filter(
        username=user.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()
