"""The Surat Edaran Sekretaris Daerah as a document: its context, derived from the letter
context of documents.letters (the kop, number, date, signer, distribution list and
tembusan, prepared by prepare_letter_context) plus what only a Surat Edaran prints — the
issuing office in the title ("SURAT EDARAN SEKRETARIS DAERAH KOTA PONTIANAK / NOMOR … /
TENTANG …"), the body as numbered points with lettered sub-points, "Ditetapkan di … pada
tanggal …" — and its Word template kind ("edaran", registered from LettersConfig.ready()).

The printed words are Indonesian whatever the UI language (an official document).
"""

import datetime
import re
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from documents.letters import prepare_letter_context, sample_letter_context

EDARAN_HTML = "documents/edaran.html"
EDARAN_TEMPLATE = Path(__file__).resolve().parent / "docx" / "edaran.docx"
EDARAN_KIND = "edaran"

_SUB_POINT = re.compile(r"^([a-z])\.\s+(.*)$")


def points_of(paragraphs):
    """Each paragraph a numbered point: {"text": its lines before the first "a. …" line,
    "subpoints": [{"label": "a", "text": …}, …] its lettered sub-points}."""
    points = []
    for paragraph in paragraphs:
        text, items = [], []
        for line in (line.strip() for line in paragraph.splitlines()):
            match = _SUB_POINT.match(line)
            if match:
                items.append({"label": match.group(1), "text": match.group(2)})
            elif items and line:
                items[-1]["text"] += f" {line}"
            elif line:
                text.append(line)
        points.append({"text": " ".join(text), "subpoints": items})
    return points


def prepare_circular_context(context):
    """The context both Surat Edaran templates print: prepare_letter_context's, plus
    issuer_title ("SEKRETARIS DAERAH KOTA PONTIANAK"), subject_title (the subject in
    capitals), points (points_of) and addressee_line."""
    prepared = prepare_letter_context({**context, "per_agency": False})
    issuer = context.get("issuer") or "Sekretaris Daerah"
    institution = prepared["institution"]
    return {
        **prepared,
        "issuer": issuer,
        "issuer_title": issuer.upper(),
        "subject_title": prepared["subject"].upper(),
        "points": points_of(prepared["paragraphs"]),
        "addressee_line": (
            f"Kepala Perangkat Daerah di lingkungan {institution.get('name', '')}".strip()
        ),
    }


def sample_circular_context():
    """A complete Surat Edaran context for the Word template page and template checks."""
    letter = sample_letter_context()
    return prepare_circular_context(
        {
            **letter,
            "institution": {
                **letter["institution"],
                "letterhead_lines": ["PEMERINTAH KOTA PONTIANAK", "SEKRETARIAT DAERAH"],
                "address": "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
                "phone": "",
                "email": "",
                "website": "",
            },
            "issuer": "Sekretaris Daerah Kota Pontianak",
            "number": "800/12/Setda-Org/2026",
            "date": datetime.date(2026, 11, 23),
            "subject": "Pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
            "Elektronik Tahun 2026",
            "body": (
                "Dalam rangka pelaksanaan Pemantauan dan Evaluasi SPBE Tahun 2026, setiap "
                "Perangkat Daerah menyampaikan isian indikator beserta data dukungnya.\n\n"
                "Dasar pelaksanaan Surat Edaran ini:\n"
                "a. Peraturan Menteri PANRB Nomor 59 Tahun 2020;\n"
                "b. Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020.\n\n"
                "Demikian Surat Edaran ini disampaikan untuk dilaksanakan."
            ),
            "signer": {
                "name": "Ir. Mulyadi, M.T.",
                "title": "Sekretaris Daerah Kota Pontianak",
                "nip": "19690312 199403 1 004",
            },
            "carbon_copies": ["Wali Kota Pontianak (sebagai laporan)"],
            "attachments": [],
        }
    )


EDARAN_PLACEHOLDERS = [
    ("{{ letterhead_title }}", _("baris pertama kop (huruf terbesar)")),
    ("{% for line in letterhead_rest %}{{ line }}{% endfor %}", _("baris kop lainnya")),
    ("{% for line in contact_lines %}{{ line }}{% endfor %}", _("baris alamat dan kontak")),
    ("{{ issuer_title }}", _("jabatan penerbit, mis. SEKRETARIS DAERAH KOTA PONTIANAK")),
    ("{{ number_text }}", _("nomor surat edaran, atau ……. (draf) sebelum bernomor")),
    ("{{ subject_title }}", _("judul (tentang), huruf kapital")),
    ("{{ addressee_line }}", _("tujuan: Kepala Perangkat Daerah")),
    (
        "{% for p in points %}{{ p.text }}{% for i in p.subpoints %}{{ i.label }}. {{ i.text }}"
        "{% endfor %}{% endfor %}",
        _("butir-butir surat edaran dengan sub-butirnya"),
    ),
    ("{{ place }}, {{ date_text }}", _("tempat dan tanggal ditetapkan")),
    ("{{ signer.title }}, {{ signer.name }}, {{ signer.nip }}", _("penanda tangan")),
    ("{% for a in distribution %}{{ a.agency }}{% endfor %}", _("daftar distribusi")),
    ("{% for c in carbon_copies %}{{ c }}{% endfor %}", _("tembusan")),
    ("{% if draft %}…{% endif %}", _("benar selama surat edaran masih draf")),
]


def register_kind():
    """The Surat Edaran's Word template kind (called from LettersConfig.ready())."""
    from documents import kinds

    kinds.register(
        kinds.TemplateKind(
            key=EDARAN_KIND,
            label=_("Surat Edaran Sekretaris Daerah"),
            default_template=EDARAN_TEMPLATE,
            placeholders=EDARAN_PLACEHOLDERS,
            sample_context=sample_circular_context,
        )
    )
