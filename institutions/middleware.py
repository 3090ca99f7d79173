import functools
import time
import zoneinfo
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from institutions import permissions, queries
from monev.api import is_api, problem_response


class InstitutionTimezoneMiddleware:
    """Show times in the user's institution's time zone (WIB, WITA or WIT)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        institution = getattr(getattr(request, "user", None), "institution", None)
        if institution is not None:
            timezone.activate(zoneinfo.ZoneInfo(institution.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


# What the session remembers about its sign-in, so that a page view decides from the session
# alone, without a query: when the idle clock was last pushed forward, and the second factor
# ("verify" or "enroll") the session still owes.
SEEN_KEY = "monev_seen"
SECOND_FACTOR_KEY = "monev_second_factor"


def note_login(sender, request, user, **kwargs):
    """At every login (the form, a password link, also the test client's force_login): start
    the idle clock and note whether the session still needs a second factor."""
    request.session[SEEN_KEY] = int(time.time())
    if queries.has_second_factor(user):
        request.session[SECOND_FACTOR_KEY] = "verify"
    elif permissions.must_use_second_factor(user):
        request.session[SECOND_FACTOR_KEY] = "enroll"
    else:
        request.session.pop(SECOND_FACTOR_KEY, None)


class IdleSessionMiddleware:
    """End a session after SESSION_IDLE_MINUTES without a request.

    The session's expiry (SESSION_COOKIE_AGE) starts again whenever the session is saved;
    saving it at most once a minute keeps page views from writing to the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        seen = request.session.get(SEEN_KEY)
        if (seen is None and request.user.is_authenticated) or (seen and now - seen >= 60):
            request.session[SEEN_KEY] = now
        return self.get_response(request)


class LazyOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, reading the session's verified device only when
    `user.is_verified()` is asked, not on every request.

    The application asks it in one place: SecondFactorMiddleware, while the session still
    owes its second factor. Once verified, the session no longer owes it and its pages run
    without the device query that django-otp would make on each of them.
    """

    def _verify_user_sync(self, request, user):
        user.otp_device = None
        user.is_verified = functools.partial(self._is_verified, request, user)
        return user

    def _is_verified(self, request, user):
        if user.otp_device is None and user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if persistent_id:
                device = self._device_from_persistent_id(persistent_id)
                user.otp_device = self._finalize_device(request, user, device)
        return user.otp_device is not None


class SecondFactorMiddleware:
    """Until a session's second factor is done, every page leads to the code page (the user
    has a device) or to enrolment (a role the installation requires it for). Only those
    pages, logging out and the language switch stay open."""

    OPEN = {"otp_verify", "otp_enroll", "logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = request.session.get(SECOND_FACTOR_KEY)
        if not step or request.resolver_match.view_name in self.OPEN:
            return None
        if not request.user.is_authenticated:
            return None
        if step == "verify" and request.user.is_verified():
            del request.session[SECOND_FACTOR_KEY]
            return None
        if is_api(request):
            return problem_response(
                401, gettext("Selesaikan verifikasi dua langkah di aplikasi dulu.")
            )
        target = "otp_verify" if step == "verify" else "otp_enroll"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
