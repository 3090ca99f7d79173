"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO 8601 (`2026-12-28`) whatever the
    language: `<input type="date">` drops any other format, so a form opened with a default
    date (localized as `28-12-2026` in Indonesian) would come back empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
