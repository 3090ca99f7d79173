"""The longest free text the app accepts, declared once. Forms pass these as max_length (the
browser stops typing there and the form says so); the services check them again with
check_length, so a program calling a service, or a later API, is bounded too.

A short line (title, name, place) is a CharField whose model max_length is the limit; the
constants below are for the texts stored in a TextField.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

# A note or reason for a person to read: a review note, a reopening or drop reason, a
# disposition note or instruction, a follow-up's progress note, a meeting agenda, a finding
# or a follow-up (one paragraph of a report). Stops a pasted book, not a writer.
NOTE_LENGTH = 5_000
# A long answer: an OPD's FAKTA and ANALISIS, the agreed FAKTA and ANALISIS, a letter's body.
LONG_TEXT_LENGTH = 20_000
# The minutes (notulen) of a whole coordination meeting.
MINUTES_LENGTH = 100_000


def number(value):
    """A limit written the Indonesian way (20.000), for messages."""
    return f"{value:,}".replace(",", ".")


def check_length(value, limit, label):
    """`value` unchanged when it is at most `limit` characters; otherwise a ValidationError
    (code "too_long") naming the field."""
    if len(value) > limit:
        raise ValidationError(
            _("%(label)s terlalu panjang (paling banyak %(max)s karakter).")
            % {"label": label, "max": number(limit)},
            code="too_long",
        )
    return value


class TextAreaField(forms.CharField):
    """A textarea field bounded by one of the limits above, refused with the services' own
    message. Browsers send line breaks as CRLF and count them as one character; so does
    this field (and the services, which store LF)."""

    widget = forms.Textarea

    def __init__(self, *, label, max_length, **kwargs):
        super().__init__(label=label, max_length=max_length, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        check_length(value, self.max_length, self.label)
