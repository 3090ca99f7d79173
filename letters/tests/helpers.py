"""Test helpers: signed PDFs as a signer's TTE application would return them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter


def pdf_bytes(text_pages=1):
    writer = PdfWriter()
    for _ in range(text_pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_upload(name="surat-ttd.pdf", content=None):
    return SimpleUploadedFile(
        name, pdf_bytes() if content is None else content, content_type="application/pdf"
    )
