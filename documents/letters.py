"""The Indonesian official letter (surat dinas), as PDF and as DOCX, from one context dict.

The contract of that dict and the placeholders of the Word template are in README.md.
The words printed on a letter ("Nomor", "Hal", "Tembusan") are Indonesian whatever the UI
language: a letter is an Indonesian document, so they are not translated.
"""

import base64
import datetime
import logging
import re
from pathlib import Path

from django.utils import timezone

from documents.formal import tanggal
from documents.render import render_docx, render_pdf

logger = logging.getLogger(__name__)

LETTER_TEMPLATE = Path(__file__).resolve().parent / "docx" / "letter.docx"
LETTER_HTML = "documents/letter.html"

# Printed where the secretariat will write the number or the date.
BLANK = "......."


LOGO_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def letterhead_logo(institution):
    """The institution's coat of arms as a data: URI ("" when it has none, or its file is
    gone), for the kop of a PDF (WeasyPrint reads no network) and, from a PNG, for Word
    (documents.render.render_docx). The stored file is read once per instance."""
    name = institution.logo.name if institution.logo else ""
    cached = institution.__dict__.get("_logo_data_uri")
    if cached and cached[0] == name:
        return cached[1]
    uri = ""
    mime = LOGO_TYPES.get(name.rsplit(".", 1)[-1].lower()) if name else None
    if mime:
        try:
            with institution.logo.open("rb") as handle:
                uri = f"data:{mime};base64,{base64.b64encode(handle.read()).decode('ascii')}"
        except Exception:  # a file gone from the storage must not stop a document
            logger.warning("Logo %s of institution %s unreadable.", name, institution.pk)
            uri = ""
    institution.__dict__["_logo_data_uri"] = (name, uri)
    return uri


def institution_fields(institution):
    """The plain data of an institution that its official documents print (all that a Word
    template may see of it): name, kop lines, address and contacts, city, and its coat of
    arms as a data: URI (`logo`, "" when none)."""
    return {
        "name": institution.name,
        "letterhead_lines": institution.letterhead_lines,
        "address": institution.address,
        "phone": institution.phone,
        "email": institution.email,
        "website": institution.website,
        "city": institution.city,
        "logo": letterhead_logo(institution),
    }


def letterhead(institution):
    """The kop of every official document of `institution` (a dict as institution_fields
    gives): {letterhead_title, letterhead_rest, contact_lines, letterhead_logo}, the names
    the PDF kop (documents/_kop.html, `{% kop %}`) and the Word templates print. The title
    is the first kop line, or the institution's name when it has none; the contact lines
    are the address on one line and the telephone, e-mail and website on the next.
    `letterhead_logo` is the URL or data: URI of the region's coat of arms, "" until an
    institution has one (`logo` in the dict)."""
    lines = [line for line in institution.get("letterhead_lines") or [] if line.strip()]
    lines = lines or [institution.get("name", "")]
    return {
        "letterhead_title": lines[0],
        "letterhead_rest": lines[1:],
        "contact_lines": _contact_lines(institution),
        "letterhead_logo": institution.get("logo") or "",
    }


def kop_context(institution):
    """The part of an official document's context about its institution (a dict as
    institution_fields gives): {"institution": the dict with its kop lines as printed,
    **letterhead(institution)}."""
    kop = letterhead(institution)
    lines = [kop["letterhead_title"], *kop["letterhead_rest"]]
    return {"institution": {**institution, "letterhead_lines": lines}, **kop}


def prepare_letter_context(letter_context):
    """The letter context plus the derived values both templates print (see README.md).

    Missing optional keys get their defaults, so a caller passes only what it has.
    """
    c = letter_context
    kop = kop_context(c.get("institution") or {})
    institution = kop["institution"]

    draft = bool(c.get("draft"))
    per_agency = bool(c.get("per_agency"))
    date = c.get("date")
    if isinstance(date, datetime.datetime):
        date = timezone.localdate(date) if timezone.is_aware(date) else date.date()
    year = date.year if date else c.get("year") or timezone.localdate().year
    date_text = tanggal(date) if date else f"{BLANK} {year}"
    place = c.get("place") or institution.get("city", "")
    number = c.get("number") or ""

    addressees = [
        {
            "name": a.get("name") or f"Kepala {a.get('agency', '')}",
            "agency": a.get("agency", ""),
            "short_name": a.get("short_name", ""),
        }
        for a in c.get("addressees") or []
    ]
    if per_agency:
        letters = [{"addressee": a["name"], "agency": a["agency"]} for a in addressees]
    else:
        letters = [{"addressee": "(daftar terlampir)", "agency": ""}]

    signer = dict(c.get("signer") or {})
    signer = {
        "name": signer.get("name", ""),
        # The template adds the comma that ends the title line.
        "title": (signer.get("title") or "").strip().rstrip(","),
        "nip": signer.get("nip", ""),
    }
    attachments = [
        {
            "title": att.get("title", ""),
            "agency": att.get("agency", ""),
            "deadline": att.get("deadline"),
            "deadline_text": tanggal(att.get("deadline")),
            "indicators": [dict(indicator) for indicator in att.get("indicators") or []],
        }
        for att in c.get("attachments") or []
    ]
    return {
        **c,
        "institution": institution,
        **kop,
        "number": number,
        "number_text": number or (f"{BLANK} (draf)" if draft else BLANK),
        "date": date,
        "year": year,
        "date_text": date_text,
        "place": place,
        "place_date": f"{place}, {date_text}" if place else date_text,
        "nature": c.get("nature") or "Biasa",
        "attachment": c.get("attachment") or "",
        "attachment_text": c.get("attachment") or "-",
        "subject": c.get("subject", ""),
        "addressees": addressees,
        "per_agency": per_agency,
        "letters": letters,
        "distribution": [] if per_agency else addressees,
        "body": c.get("body", ""),
        "paragraphs": _paragraphs(c.get("body", "")),
        "signer": signer,
        "carbon_copies": [cc for cc in c.get("carbon_copies") or [] if cc.strip()],
        "draft": draft,
        "attachments": attachments,
    }


def _paragraphs(body):
    """Paragraphs separated by blank lines; a single line break stays inside its paragraph."""
    return [p.strip() for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n")) if p.strip()]


def _contact_lines(institution):
    address = ", ".join(
        line.strip() for line in (institution.get("address") or "").splitlines() if line.strip()
    )
    contacts = [
        f"{label} {value}"
        for label, value in (
            ("Telepon", institution.get("phone")),
            ("Pos-el", institution.get("email")),
            ("Laman", institution.get("website")),
        )
        if value
    ]
    return [line for line in (address, ", ".join(contacts)) if line]


def render_letter_pdf(letter_context):
    """The letter(s), the distribution list and the attachment forms as one A4 PDF."""
    return render_pdf(LETTER_HTML, prepare_letter_context(letter_context))


def render_letter_docx(letter_context, template=None):
    """The same as DOCX from the project's Word template, or from `template` (a path, bytes
    or binary file: an institution's own template, checked by check_docx_template first)."""
    return render_docx(template or LETTER_TEMPLATE, prepare_letter_context(letter_context))


def sample_letter_context():
    """A complete letter context: the example in README.md, the test of uploaded templates."""
    return {
        "institution": {
            "name": "Pemerintah Kota Pontianak",
            "letterhead_lines": [
                "PEMERINTAH KOTA PONTIANAK",
                "DINAS KOMUNIKASI DAN INFORMATIKA",
            ],
            "address": "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
            "phone": "(0561) 733041",
            "email": "diskominfo@pontianak.go.id",
            "website": "diskominfo.pontianak.go.id",
            "city": "Pontianak",
        },
        "number": "005/12/DISKOMINFO/2026",
        "date": datetime.date(2026, 11, 22),
        "place": "Pontianak",
        "nature": "Biasa",
        "attachment": "1 (satu) berkas",
        "subject": "Undangan Pengisian Evaluasi Mandiri SPBE Tahun 2026",
        "addressees": [
            {
                "name": "Kepala Dinas Kesehatan",
                "agency": "Dinas Kesehatan",
                "short_name": "Dinkes",
            },
            {
                "name": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                "agency": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                "short_name": "BKPSDM",
            },
        ],
        "per_agency": False,
        "body": (
            "Dalam rangka pelaksanaan Evaluasi Sistem Pemerintahan Berbasis Elektronik (SPBE) "
            "Tahun 2026 sesuai Peraturan Menteri PANRB Nomor 59 Tahun 2020, dengan hormat "
            "kami mohon Saudara mengisi evaluasi mandiri untuk indikator yang tercantum "
            "dalam lampiran surat ini beserta data dukungnya.\n\n"
            "Isian dan data dukung disampaikan melalui aplikasi Monev SPBE paling lambat "
            "tanggal 5 Desember 2026.\n\n"
            "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
        ),
        "signer": {
            "name": "Dr. Rina Kartika, S.Kom., M.T.",
            "title": "Kepala Dinas Komunikasi dan Informatika",
            "nip": "19780101 200501 2 001",
        },
        "carbon_copies": ["Wali Kota Pontianak (sebagai laporan)", "Sekretaris Daerah"],
        "draft": False,
        "attachments": [
            {
                "title": "Formulir Evaluasi SPBE — Dinas Kesehatan",
                "agency": "Dinas Kesehatan",
                "deadline": datetime.date(2026, 12, 5),
                "indicators": [
                    {
                        "number": 36,
                        "name": "Tingkat Kematangan Layanan Publik Berbasis Elektronik",
                        "aspect": "Layanan Publik Berbasis Elektronik",
                    }
                ],
            },
            {
                "title": "Formulir Evaluasi SPBE — Badan Kepegawaian dan Pengembangan SDM",
                "agency": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                "deadline": datetime.date(2026, 12, 5),
                "indicators": [
                    {
                        "number": 23,
                        "name": "Tingkat Kematangan Layanan Kepegawaian",
                        "aspect": "Layanan Administrasi Pemerintahan Berbasis Elektronik",
                    }
                ],
            },
        ],
    }


def sample_render_context():
    return prepare_letter_context(sample_letter_context())
