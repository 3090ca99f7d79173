"""Real files of every accepted type, made by the libraries that write them, and uploads."""

import io
import zipfile

import docx
import openpyxl
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

MB = 1024 * 1024


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(format):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 79, 138)).save(out, format=format)
    return out.getvalue()


def docx_bytes(text="Surat Keputusan"):
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Rekap layanan kepegawaian"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def odf_bytes(mimetype):
    """An OpenDocument file as LibreOffice writes it: `mimetype` first, then the parts."""
    return zip_bytes(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": "<manifest/>",
            "content.xml": "<office:document-content/>",
        }
    )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def plain_file(name, content):
    """A file as another caller (an import, the API) may pass it: its name untouched, where
    an UploadedFile would already have dropped the directories."""
    return File(io.BytesIO(content), name=name)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
