"""What a download of a generated document serves: the stored version, or a new one made at
most once per content (current_document); a new version on purpose ("Buat versi baru",
renew_document); the version that replaced an older one (successor); and the response that
hands a stored file out (file_response).

The rule, for every view that hands out a generated PDF, DOCX or XLSX: the newest stored
version is served as stored, byte for byte, when the record it rests on is frozen or has
not changed since that version was made. A new version is made only when nothing is stored
yet, when the record changed while not frozen, or by an explicit staff action.
"""

import datetime
import threading
from contextlib import contextmanager

from django.db import connection, transaction
from django.http import FileResponse
from django.utils import timezone

from cycles.permissions import FrozenError
from documents.models import Document

# SQLite has no row locks, and the test server's threads share one connection: in the
# embedded mode (one process) this lock makes simultaneous downloads wait for each other.
_sqlite_generation_lock = threading.Lock()


@contextmanager
def _generation_lock(lock):
    """One transaction in which the source row (`lock`, a queryset) is locked: SELECT ...
    FOR UPDATE on PostgreSQL; on SQLite the write lock taken at BEGIN IMMEDIATE, and a
    process lock for the threads of one process."""
    if connection.vendor == "sqlite":
        with _sqlite_generation_lock, transaction.atomic():
            yield
    else:
        with transaction.atomic():
            list(lock.select_for_update().values_list("pk", flat=True))
            yield


def newest_document(source, format):
    """The newest stored version of `source` in `format`, or None (one query)."""
    return Document.objects.filter(source=source, format=format).order_by("-version").first()


def current_document(*, source, format, lock, make, changed_at=None, frozen=False):
    """The Document a download serves for `source` in `format`.

    The newest stored version when the record is `frozen`, or has not changed since that
    version was made (`changed_at`: when its content last changed; None when it changes
    only through an explicit new version, see renew_document). Otherwise (nothing stored
    yet, or the record changed since) `make()` stores a new version, which is served.
    Simultaneous downloads make one version: the check is repeated inside one transaction
    holding the lock of `lock` (a queryset of the source row), and `make` runs there.

    Side effects, only when making: those of `make` (a Document version through
    documents.services.store_document, audit "document.generated").
    """

    def servable(document):
        if document is None:
            return False
        return frozen or changed_at is None or document.generated_at >= changed_at

    newest = newest_document(source, format)
    if servable(newest):
        return newest
    with _generation_lock(lock):
        newest = newest_document(source, format)
        if servable(newest):
            return newest
        return make()


# A "Buat versi baru" this soon after the newest version is the same click again (a double
# click, a retry after a slow answer): it gets that version, not one more.
RENEW_REPEAT = datetime.timedelta(seconds=15)


def renew_document(*, source, format, lock, make, frozen=None):
    """ "Buat versi baru": make a new version of `source` in `format` on purpose (an explicit
    staff action), under the same lock as current_document. Refused with
    cycles.permissions.FrozenError when `frozen` (a Frozen, from the record's frozen_reason)
    is given: a frozen record's stored version stays the one served. A version made less
    than RENEW_REPEAT ago is returned instead of a new one. Side effects: those of `make`."""
    if frozen is not None:
        raise FrozenError(frozen)
    with _generation_lock(lock):
        newest = newest_document(source, format)
        if newest is not None and newest.generated_at > timezone.now() - RENEW_REPEAT:
            return newest
        return make()


def successor(document):
    """The newest later version of the same source and format, or None (one query): the
    verification page of a replaced version names it."""
    return (
        Document.objects.filter(
            source=document.source, format=document.format, version__gt=document.version
        )
        .order_by("-version")
        .first()
    )


def file_response(file, filename):
    """The download of a stored file as an attachment named `filename`, served as stored,
    byte for byte and streamed (a Document's or an upload's FieldFile, or the Path of a
    shipped file). Every per-app download view answers through it; the content type follows
    the file name's extension."""
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename)
