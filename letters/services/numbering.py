"""Step 3: numbering a letter from the institution's yearly sequence (take_next_number, shared
by every numbered document), or from its issuing unit's own sequence (the Surat Edaran: the
Sekretariat Daerah's register, see letters.models.IssuingUnit)."""

import threading
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from letters import permissions
from letters.models import Letter, NumberSequence
from letters.queries import register_unit
from notifications.services import settle

# SQLite has no row locks: in the embedded mode (one process) this lock makes concurrent
# numbering requests wait for each other instead of failing with "database is locked".
_sqlite_numbering_lock = threading.Lock()


def format_letter_number(institution, *, seq, year, unit=None):
    """The number `seq` of `year` in the institution's format, or in the issuing unit's."""
    pattern = unit.letter_number_format if unit is not None else institution.letter_number_format
    try:
        return pattern.format(seq=seq, year=year)
    except (KeyError, IndexError, ValueError, AttributeError):
        if unit is not None:
            message = _("Format nomor surat %(unit)s tidak valid: %(format)s") % {
                "unit": unit.name,
                "format": pattern,
            }
        else:
            message = _("Format nomor surat instansi tidak valid: %(format)s") % {"format": pattern}
        raise ValidationError(message, code="number_format") from None


def _register(institution, unit, year):
    """The sequence rows of the institution's own register (unit None) or of `unit`."""
    return NumberSequence.objects.filter(institution=institution, year=year, issuing_unit=unit)


def peek_next_number(institution, unit=None):
    """(number, date) the next numbered document would get today, for the confirmation
    page; nothing is taken. A concurrent numbering may take it first: take_next_number
    then gives the one after. `unit`: an issuing unit's register instead of the
    institution's."""
    today = institution.today()
    last = _register(institution, unit, today.year).values_list("last", flat=True).first()
    number = format_letter_number(institution, seq=(last or 0) + 1, year=today.year, unit=unit)
    return number, today


@contextmanager
def take_next_number(institution, *, today, unit=None):
    """Take the next number of the institution's yearly sequence, shared by letters and
    every other numbered document (Berita Acara ...): `with take_next_number(...) as (seq,
    number):` and write the numbered row inside the block. `unit` (an IssuingUnit of the
    institution): its own register and number format instead (the Surat Edaran's).

    The block is one transaction in which the sequence row stays locked, so concurrent
    requests get consecutive numbers, never the same and never a gap: an exception inside
    the block rolls the number back. On SQLite (no row locks) a process lock serializes the
    whole block instead of failing with "database is locked".
    """
    if unit is not None and unit.institution_id != institution.pk:
        raise ValueError("The issuing unit belongs to another institution.")
    with _numbering_lock(), transaction.atomic():
        NumberSequence.objects.bulk_create(
            [NumberSequence(institution=institution, issuing_unit=unit, year=today.year)],
            ignore_conflicts=True,
        )
        sequence = _register(institution, unit, today.year).select_for_update().get()
        seq = sequence.last + 1
        number = format_letter_number(institution, seq=seq, year=today.year, unit=unit)
        sequence.last = seq
        sequence.save(update_fields=["last"])
        yield seq, number


@contextmanager
def _numbering_lock():
    if connection.vendor == "sqlite":
        with _sqlite_numbering_lock:
            yield
    else:
        yield


def number_letter(letter, *, by):
    """Give an approved letter the next number of its institution's yearly sequence
    (take_next_number); a Surat Edaran the next of the secretariat unit's register when the
    institution has one (register_unit). Side effects: number, sequence, letter date (today
    in the institution's time zone) and issuing unit; status "numbered"; audit
    "letter.numbered"; the secretariat's "please number it" notifications are marked read.
    """
    if not permissions.can_number_letter(by, letter):
        raise PermissionDenied
    institution = letter.cycle.institution
    today = institution.today()
    unit = register_unit(letter)
    with take_next_number(institution, today=today, unit=unit) as (seq, number):
        # Re-read under lock: another request may have numbered this letter meanwhile.
        current = Letter.objects.select_for_update().get(pk=letter.pk)
        if current.status != Letter.Status.APPROVED:
            if current.number:
                raise ValidationError(_("Surat ini sudah bernomor."), code="numbered")
            raise ValidationError(_("Surat belum didisposisikan Kabid."), code="not_approved")
        letter.number = number
        letter.sequence = seq
        letter.letter_date = today
        letter.issuing_unit = unit
        letter.status = Letter.Status.NUMBERED
        letter.save(
            update_fields=[
                "number",
                "sequence",
                "letter_date",
                "issuing_unit",
                "status",
                "updated_at",
            ]
        )
        settle(keys=[f"letter:{letter.pk}:approved"])
        record_event(
            "letter.numbered",
            by=by,
            institution=institution,
            target=letter,
            before={"status": Letter.Status.APPROVED},
            after={
                "status": letter.status,
                "number": number,
                "date": today.isoformat(),
                "register": unit.name if unit else "",
            },
        )
    return letter
