"""Step 3: numbering a letter from the institution's yearly sequence (take_next_number, shared
by every numbered document)."""

import threading
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from letters import permissions
from letters.models import Letter, NumberSequence
from notifications.services import settle

# SQLite has no row locks: in the embedded mode (one process) this lock makes concurrent
# numbering requests wait for each other instead of failing with "database is locked".
_sqlite_numbering_lock = threading.Lock()


def format_letter_number(institution, *, seq, year):
    try:
        return institution.letter_number_format.format(seq=seq, year=year)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            _("Format nomor surat instansi tidak valid: %(format)s")
            % {"format": institution.letter_number_format},
            code="number_format",
        ) from None


def peek_next_number(institution):
    """(number, date) the next numbered document would get today, for the confirmation
    page; nothing is taken. A concurrent numbering may take it first: take_next_number
    then gives the one after."""
    today = institution.today()
    last = (
        NumberSequence.objects.filter(institution=institution, year=today.year)
        .values_list("last", flat=True)
        .first()
    )
    return format_letter_number(institution, seq=(last or 0) + 1, year=today.year), today


@contextmanager
def take_next_number(institution, *, today):
    """Take the next number of the institution's yearly sequence, shared by letters and
    every other numbered document (Berita Acara ...): `with take_next_number(...) as (seq,
    number):` and write the numbered row inside the block.

    The block is one transaction in which the sequence row stays locked, so concurrent
    requests get consecutive numbers, never the same and never a gap: an exception inside
    the block rolls the number back. On SQLite (no row locks) a process lock serializes the
    whole block instead of failing with "database is locked".
    """
    with _numbering_lock(), transaction.atomic():
        NumberSequence.objects.bulk_create(
            [NumberSequence(institution=institution, year=today.year)], ignore_conflicts=True
        )
        sequence = NumberSequence.objects.select_for_update().get(
            institution=institution, year=today.year
        )
        seq = sequence.last + 1
        number = format_letter_number(institution, seq=seq, year=today.year)
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
    (take_next_number). Side effects: number, sequence and letter date (today in the
    institution's time zone); status "numbered"; audit "letter.numbered"; the secretariat's
    "please number it" notifications are marked read.
    """
    if not permissions.can_number_letter(by, letter):
        raise PermissionDenied
    institution = letter.cycle.institution
    today = institution.today()
    with take_next_number(institution, today=today) as (seq, number):
        # Re-read under lock: another request may have numbered this letter meanwhile.
        current = Letter.objects.select_for_update().get(pk=letter.pk)
        if current.status != Letter.Status.APPROVED:
            if current.number:
                raise ValidationError(_("Surat ini sudah bernomor."), code="numbered")
            raise ValidationError(_("Surat belum didisposisikan Kabid."), code="not_approved")
        letter.number = number
        letter.sequence = seq
        letter.letter_date = today
        letter.status = Letter.Status.NUMBERED
        letter.save(update_fields=["number", "sequence", "letter_date", "status", "updated_at"])
        settle(keys=[f"letter:{letter.pk}:approved"])
        record_event(
            "letter.numbered",
            by=by,
            institution=institution,
            target=letter,
            before={"status": Letter.Status.APPROVED},
            after={"status": letter.status, "number": number, "date": today.isoformat()},
        )
    return letter
