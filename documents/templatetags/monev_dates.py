"""`{% load monev_dates %}` then `{{ value|tanggal }}` or `{{ value|tanggal:"Asia/Jayapura" }}`:
the long date in the active language ("20 Juni 2025" / "20 June 2025"), and `{{ value|pukul }}`
the time of day ("14.30" / "14:30"); documents rendered under translation.override("id")
print Indonesian."""

import datetime

from django import template

from documents import formal

register = template.Library()


@register.filter
def tanggal(value, time_zone=None):
    # Like Django's own date filter, anything that is not a date prints as nothing.
    if not isinstance(value, datetime.date):
        return ""
    return formal.long_date(value, time_zone=time_zone)


@register.filter
def pukul(value, time_zone=None):
    if not isinstance(value, datetime.datetime | datetime.time):
        return ""
    return formal.clock(value, time_zone=time_zone)
