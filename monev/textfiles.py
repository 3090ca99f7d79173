"""Text files that administrators upload to be loaded (framework and SOP definitions): read
whole, within a size limit, as UTF-8. The loaders then parse and check their content."""

from pathlib import Path

from django.utils.translation import gettext as _


class TextFileError(ValueError):
    """An uploaded file that is not a text file of the accepted size; str() is the message."""


def upload_name(upload):
    """The uploaded file's own name (no folders), for messages; "berkas" when it has none."""
    return Path(upload.name or "").name[:100] or _("berkas")


def uploaded_text(upload, *, max_bytes):
    """The text of an uploaded UTF-8 file (a byte-order mark is dropped). Raises
    TextFileError when it is larger than `max_bytes`, empty or not UTF-8. Reads at most
    max_bytes + 1 bytes: Django has already streamed a large upload to a temporary file."""
    too_large = TextFileError(
        _("%(file)s: berkas terlalu besar (maksimal %(limit)s MB).")
        % {"file": upload_name(upload), "limit": max_bytes // (1024 * 1024)}
    )
    if upload.size is not None and upload.size > max_bytes:
        raise too_large
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    if not data.strip():
        raise TextFileError(_("%(file)s: berkas kosong.") % {"file": upload_name(upload)})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextFileError(
            _("%(file)s: bukan berkas teks UTF-8 (berkas JSON diharapkan).")
            % {"file": upload_name(upload)}
        ) from None
