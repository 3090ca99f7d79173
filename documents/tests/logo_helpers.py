"""Helpers of the coat-of-arms tests (documents/tests/test_logo_*.py): a PNG logo set on an
institution through its service, and what a PDF or DOCX holds of pictures."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from institutions.services.settings import update_settings

IMAGE_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def logo_png(size=(300, 360)):
    buffer = io.BytesIO()
    Image.new("RGBA", size, (20, 120, 60, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def set_logo(institution, by, data=None):
    data = data or logo_png()
    upload = SimpleUploadedFile("lambang.png", data, content_type="image/png")
    update_settings(institution, by=by, values={}, logo=upload)
    return data


def content_of(document):
    with document.file.open("rb") as handle:
        return handle.read()


def pdf_images(data):
    """The pictures drawn on each page of a PDF: the image XObjects (pypdf) that the page's
    content draws (its Do operators), with the size they are drawn at in cm (WeasyPrint
    draws in CSS px under a 0.75 scale)."""
    drawn = []
    for page in PdfReader(io.BytesIO(data)).pages:
        objects = page["/Resources"].get("/XObject") or {}
        images = {
            name.lstrip("/")
            for name, ref in objects.items()
            if ref.get_object().get("/Subtype") == "/Image"
        }
        contents = page.get_contents()
        content = contents.get_data() if contents is not None else b""
        sizes = [
            (round(float(w) * 0.75 / 72 * 2.54, 1), round(abs(float(h)) * 0.75 / 72 * 2.54, 1))
            for w, h, name in re.findall(
                rb"([\d.]+) 0 0 (-?[\d.]+) [\d.\-]+ [\d.\-]+ cm\s*/(\w+) Do", content
            )
            if name.decode() in images
        ]
        drawn.append(sizes)
    return drawn


def docx_pictures(data):
    """The pictures of a DOCX body: (its image relationships, the anchored drawings' sizes in
    cm (width, height) and their horizontal reference)."""
    document = WordDocument(io.BytesIO(data))
    relations = [r for r in document.part.rels.values() if r.reltype == IMAGE_RELATION]
    anchors = []
    for anchor in document.element.body.iter(qn("wp:anchor")):
        extent = anchor.find(qn("wp:extent"))
        horizontal = anchor.find(qn("wp:positionH"))
        anchors.append(
            (
                round(int(extent.get("cx")) / 360000, 2),
                round(int(extent.get("cy")) / 360000, 2),
                horizontal.get("relativeFrom"),
            )
        )
    return relations, anchors
