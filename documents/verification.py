"""What every generated PDF prints so that anyone can check it: the public verification
address of its code, as text and as a QR code (segno, drawn as inline SVG; no network);
and what the public verification page needs: codes as typed by hand, and the SHA-256 of an
uploaded copy computed while it arrives."""

import hashlib
import io

import segno
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.urls import reverse


def verification_url(code):
    """The public address of the verification page of a document code."""
    return settings.SITE_URL + reverse("document_verify", args=[code])


def qr_svg(text, *, scale=2):
    """`text` as a QR code: SVG markup without XML declaration, to put inline in HTML."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=scale, border=1, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode("ascii")


def verification_context(code):
    """The `verification` context of a PDF template: {code, url, qr_svg}. The template
    prints it with {% include "documents/_verification.html" %}."""
    url = verification_url(code)
    return {"code": code, "url": url, "qr_svg": qr_svg(url)}


def normalize_code(text):
    """A code as typed by hand ("k7m2-xq9p b4", "K7M2XQ9PB4 ") in its stored form."""
    return "".join(char for char in (text or "").upper() if char.isascii() and char.isalnum())


def document_by_code(code):
    """The Document a verification code names (typed by hand or stored), with its
    institution, or None: what the public verification page and the API answer from (one
    query)."""
    from documents.models import Document

    return Document.objects.select_related("institution").filter(code=normalize_code(code)).first()


# A copy checked against its original is hashed as it arrives and never stored.
MAX_COPY_BYTES = 100 * 1024 * 1024


class HashedCopy(UploadedFile):
    """What is left of an uploaded copy: its name, size and SHA-256, not its bytes."""

    def __init__(self, *, name, size, sha256, content_type=None):
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.sha256 = sha256


class HashingUploadHandler(FileUploadHandler):
    """Computes the SHA-256 of each uploaded file chunk by chunk (64 KB) and keeps none of
    it: neither memory nor a temporary file grows with the upload. A file larger than
    `limit` stops the upload (the rest of the request is read and dropped) and sets
    `too_large`."""

    def __init__(self, request=None, *, limit=None):
        super().__init__(request)
        self.limit = MAX_COPY_BYTES if limit is None else limit
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.hasher = hashlib.sha256()
        self.size = 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.hasher.update(raw_data)
        return None

    def file_complete(self, file_size):
        return HashedCopy(
            name=self.file_name,
            size=self.size,
            sha256=self.hasher.hexdigest(),
            content_type=self.content_type,
        )
