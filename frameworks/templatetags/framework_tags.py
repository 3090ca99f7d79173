from django import template

from frameworks.models import kind_label

register = template.Library()


@register.filter(name="kind_label")
def kind_label_filter(kind):
    """A node kind as users read it: "aspect" -> "Aspek"."""
    return kind_label(kind)
