"""Receiving an uploaded data-dukung file.

The type is decided by the content, never by the name: the first bytes are sniffed, and an
Office/OpenDocument file is recognised by the entries of its ZIP directory. The bytes are
streamed into storage under a generated name, hashed and counted on the way, so a large scan
is never held in memory; a file over the limit is stopped as soon as it passes it.
"""

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

SNIFF_BYTES = 8192
ALLOWED_LABELS = "PDF, JPG, PNG, DOCX, XLSX, ODT, ODS"
# A PDF ends with %%EOF within its last 1024 bytes (PDF 1.7, implementation note 18).
PDF_TAIL_BYTES = 1024
# Office documents have a few dozen ZIP entries; a huge directory is an attack, not a report.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_DIRECTORY_BYTES = 4 * 1024 * 1024
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType("pdf", "application/pdf")
JPEG = FileType("jpg", "image/jpeg")
PNG = FileType("png", "image/png")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet")

SNIFFED_TYPES = {"pdf": PDF, "jpg": JPEG, "png": PNG}
# Every type a stored file can have (what its download is typed as).
STORED_TYPES = (PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS)
# What a browser may show in a tab (evidence_preview); the rest is only ever downloaded.
INLINE_CONTENT_TYPES = frozenset({PDF.content_type, JPEG.content_type, PNG.content_type})
ODF_TYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class StoredFile:
    """A file written to the default storage: its generated name, size, hash and type."""

    name: str
    size: int
    sha256: str
    type: FileType

    def delete(self):
        default_storage.delete(self.name)


def not_allowed(label):
    return ValidationError(
        _("Jenis berkas tidak diizinkan: %(type)s; yang diterima %(allowed)s.")
        % {"type": label, "allowed": ALLOWED_LABELS},
        code="file_type",
    )


def size_label(limit):
    mib, kib = 1024 * 1024, 1024
    if limit % mib == 0:
        return f"{limit // mib} MB"
    if limit % kib == 0:
        return f"{limit // kib} KB"
    return f"{limit} byte"


def too_large(limit):
    return ValidationError(
        _("Berkas terlalu besar: maksimal %(limit)s.") % {"limit": size_label(limit)},
        code="file_size",
    )


def clean_original_name(name):
    """The uploaded name kept as data: its last path part, without control characters.

    "../../x.pdf" and "C:\\Users\\x.pdf" both become "x.pdf". A name that becomes empty
    (or only dots) is refused.
    """
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name.strip("."):
        raise ValidationError(_("Nama berkas tidak valid."), code="file_name")
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name


def detect_type(uploaded_file):
    """The FileType of an upload by its content, or ValidationError naming what it is."""
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    if not head:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if head.startswith(ZIP_MAGIC):
        return _zip_document_type(uploaded_file)
    guessed = filetype.guess(head)
    if guessed is None or guessed.extension not in SNIFFED_TYPES:
        raise not_allowed(guessed.extension.upper() if guessed else _("tidak dikenal"))
    detected = SNIFFED_TYPES[guessed.extension]
    if detected is PDF and b"%%EOF" not in _tail(uploaded_file, PDF_TAIL_BYTES):
        raise ValidationError(_("Berkas PDF rusak atau tidak lengkap."), code="broken_pdf")
    return detected


def _tail(fileobj, size):
    fileobj.seek(0, io.SEEK_END)
    end = fileobj.tell()
    fileobj.seek(max(0, end - size))
    return fileobj.read(size)


def _zip_directory_fits(fileobj):
    """Read the ZIP's end-of-directory record (at most 64 KiB from the end) and check the
    directory is of an office document's size before zipfile parses all of it."""
    tail = _tail(fileobj, 65_535 + 22)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return False
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory_bytes = int.from_bytes(tail[at + 12 : at + 16], "little")
    return entries <= MAX_ZIP_ENTRIES and directory_bytes <= MAX_ZIP_DIRECTORY_BYTES


def _zip_document_type(fileobj):
    """DOCX/XLSX: `[Content_Types].xml` with `word/` or `xl/` parts, no macros.
    ODT/ODS: a `mimetype` entry naming the OpenDocument type. Anything else is refused."""
    try:
        if not _zip_directory_fits(fileobj):
            raise not_allowed("ZIP")
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            mimetype = infos.get("mimetype")
            if mimetype is not None and mimetype.file_size <= 100:
                declared = archive.read(mimetype).decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    return ODF_TYPES[declared]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise not_allowed("ZIP") from None
    names = list(infos)
    if "[Content_Types].xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise not_allowed(_("dokumen bermakro"))
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
        if any(name.startswith("ppt/") for name in names):
            raise not_allowed("PPTX")
    raise not_allowed("ZIP")


class _MeteredFile(File):
    """The upload as storage reads it: every chunk is counted and hashed on its way to the
    storage, and reading stops with an error once the size passes `limit`. It deliberately
    has no temporary_file_path(), so a file system storage copies instead of moving it."""

    def __init__(self, source, limit):
        super().__init__(None, name=source.name)
        self.source = source
        self.limit = limit
        # From the first byte: detect_type left the upload at its end, and a storage that
        # reads instead of asking for chunks (S3Storage) does not rewind it first.
        self.seek(0)

    def _restart(self):
        self.size_read = 0
        self.hash = hashlib.sha256()

    def _count(self, data):
        self.size_read += len(data)
        if self.size_read > self.limit:
            raise too_large(self.limit)
        self.hash.update(data)
        return data

    def chunks(self, chunk_size=None):
        self._restart()
        for chunk in self.source.chunks(chunk_size):
            yield self._count(chunk)

    def read(self, size=-1):
        return self._count(self.source.read(size))

    def seek(self, offset, whence=io.SEEK_SET):
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("a metered upload can only be rewound")
        self.source.seek(0)
        self._restart()
        return 0

    def tell(self):
        return self.size_read

    def close(self):
        pass


def store_upload(uploaded_file, *, directory, limit=None):
    """Check an uploaded file by its content and stream it into the default storage as
    `<directory>/<uuid>.<extension of the detected type>`.

    Returns a StoredFile. Raises ValidationError (empty, too large, type not allowed) and
    then nothing is left in storage: a partly written file is deleted.
    """
    limit = settings.EVIDENCE_MAX_BYTES if limit is None else limit
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size is not None and declared_size > limit:
        raise too_large(limit)
    detected = detect_type(uploaded_file)
    metered = _MeteredFile(uploaded_file, limit)
    name = f"{directory}/{uuid.uuid4().hex}.{detected.extension}"
    try:
        name = default_storage.save(name, metered)
    except BaseException:
        default_storage.delete(name)
        raise
    if metered.size_read == 0:  # the file was emptied between the check and the copy
        default_storage.delete(name)
        raise ValidationError(_("Berkas kosong."), code="empty")
    return StoredFile(
        name=name, size=metered.size_read, sha256=metered.hash.hexdigest(), type=detected
    )
