"""`{% load framework_tags %}`: node kinds and the app's one way of printing numbers.

`{{ value|indeks }}` an index rounded to 2 decimals in the reader's language ("2,96" /
"2.96", "–" for none); `{{ value|indeks_penuh }}` the unrounded index, only beside a label
saying so; `{{ value|bobot }}` a weight in its own precision ("16,5", "13")."""

from decimal import Decimal, InvalidOperation

from django import template

from frameworks import scoring
from frameworks.models import kind_label

register = template.Library()


@register.filter(name="kind_label")
def kind_label_filter(kind):
    """A node kind as users read it: "aspect" -> "Aspek"."""
    return kind_label(kind)


def _number(value):
    # Frozen document content holds indices as machine strings ("2.96"); anything that is
    # not a number ("", "–", None) prints as "–".
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def indeks(value):
    return scoring.display(_number(value))


@register.filter
def indeks_penuh(value):
    return scoring.unrounded(_number(value))


@register.filter
def bobot(value):
    number = _number(value)
    return "–" if number is None else scoring.plain(number)
