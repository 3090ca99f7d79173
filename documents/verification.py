"""What every generated PDF prints so that anyone can check it: the public verification
address of its code, as text and as a QR code (segno, drawn as inline SVG; no network)."""

import io

import segno
from django.conf import settings
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
