import zoneinfo

from django.utils import timezone


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
