"""`{% load monev_dates %}` then `{{ value|tanggal }}` or `{{ value|tanggal:"Asia/Jayapura" }}`."""

import datetime

from django import template

from documents import dates

register = template.Library()


@register.filter
def tanggal(value, time_zone=None):
    # Like Django's own date filter, anything that is not a date prints as nothing.
    if not isinstance(value, datetime.date):
        return ""
    return dates.tanggal(value, time_zone=time_zone)
