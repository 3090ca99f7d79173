"""SOP step durations for people, in the reader's language: "18 jam 40 menit", "1,5 hari kerja"."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sops.models import TimeUnit

# A working day counts whole (cycles.clock.Calendar.working_days_between): 24 hours of it.
MINUTES_PER_DAY = 24 * 60


def minutes_text(minutes):
    """Whole minutes as hours and minutes: 1120 -> "18 jam 40 menit" ("18 h 40 min")."""
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return _("%(n)s menit") % {"n": rest}
    if not rest:
        return _("%(h)s jam") % {"h": number_format(hours)}
    return _("%(h)s jam %(m)s menit") % {"h": number_format(hours), "m": rest}


def working_days_text(days):
    """Working days with one decimal only when not whole: 3 -> "3 hari kerja",
    16.5 -> "16,5 hari kerja" ("16.5 working days"). Less than one working day reads as
    hours and minutes of it (`minutes_text`): 0.2 -> "4 jam 48 menit"."""
    if days < 1:
        return minutes_text(days * MINUTES_PER_DAY)
    tenths = Decimal(str(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole = tenths == tenths.to_integral_value()
    # The plural form follows the number as written: "1 working day", "1.5 working days".
    count = int(tenths) if whole else 2
    return ngettext("%(n)s hari kerja", "%(n)s hari kerja", count) % {
        "n": number_format(tenths, decimal_pos=0 if whole else 1)
    }


def duration_text(value, unit):
    """A duration in a step's unit (`TimeUnit`), as `minutes_text` or `working_days_text`."""
    if unit == TimeUnit.MINUTES:
        return minutes_text(value)
    return working_days_text(value)


def range_text(low, high, unit):
    """A range of durations: "3–5 hari kerja" for working days, "30 menit – 1 jam" else."""
    if unit == TimeUnit.MINUTES:
        return f"{minutes_text(low)} – {minutes_text(high)}"
    return ngettext("%(n)s hari kerja", "%(n)s hari kerja", 2) % {
        "n": f"{number_format(Decimal(low))}–{number_format(Decimal(high))}"
    }
