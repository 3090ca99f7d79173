"""A notification's text is stored as its untranslated Indonesian msgid (`template`) and its
parameters (`params`, JSON), and rendered when shown, in the reader's language.

A parameter is one of:
- a plain string or number: shown as it is (names, subjects, notes, numbers people typed);
- `phrase(msgid, ...)`: a fixed phrase of the app, translated when shown; it may carry its own
  parameters, and a plural form with the count that chooses it;
- `choice(obj, "field")`: the label of a model field's choice (a letter's kind, a role);
- `day(date)`: a date, written the reader's way ("7 Desember 2026" / "7 December 2026").
"""

import datetime

from django.apps import apps
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from documents.formal import long_date


def phrase(msgid, params=None, *, plural="", n=None):
    """A translatable parameter. Mark `msgid` (and `plural`) with gettext_noop at the call
    site so that makemessages finds it."""
    value = {"_": msgid}
    if plural:
        value |= {"plural": plural, "n": n}
    if params:
        value["params"] = params
    return value


def choice(obj, field):
    """The label of `obj`'s choice in `field`, e.g. choice(letter, "kind")."""
    return {"choice": f"{obj._meta.label}.{field}", "value": getattr(obj, field)}


def day(value, *, weekday=False):
    """A date parameter; `weekday` puts the day's name first ("Senin, 7 Desember 2026")."""
    param = {"date": value.isoformat()}
    return param | {"weekday": True} if weekday else param


def render(template, params):
    """The message in the active language."""
    return _format(gettext(template), template, params)


def _format(translated, template, params):
    values = {name: _resolve(value) for name, value in (params or {}).items()}
    try:
        return translated % values
    except (KeyError, ValueError, TypeError):
        # A translation that lost or mistyped a placeholder must not break the inbox: the
        # Indonesian original is always right.
        return template % values


def _resolve(value):
    if not isinstance(value, dict):
        return value
    if "_" in value:
        if "plural" in value:
            translated = ngettext(value["_"], value["plural"], value["n"])
        else:
            translated = gettext(value["_"])
        return _format(translated, value["_"], value.get("params"))
    if "choice" in value:
        app_model, field = value["choice"].rsplit(".", 1)
        choices = dict(apps.get_model(app_model)._meta.get_field(field).flatchoices)
        return str(choices.get(value["value"], value["value"]))
    if "date" in value:
        date = datetime.date.fromisoformat(value["date"])
        text = long_date(date)
        return f"{date_format(date, 'l')}, {text}" if value.get("weekday") else text
    raise ValueError(f"unknown notification parameter {value!r}")
