"""The Word template kinds of the reports app (documents.kinds registry): each kind has a
shipped default .docx (reports/docx/, built by reports/docx/build_templates.py), its
documented placeholders and a sample context.

`register_kinds()` is called from ReportsConfig.ready(); add a kind by appending it to KINDS.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from documents.kinds import TemplateKind

DOCX_DIR = Path(__file__).resolve().parent / "docx"

STATEMENT_PLACEHOLDERS = [
    ("{{ institution.name }}, {{ institution.region }}", _("nama instansi; nama daerah")),
    ("{{ letterhead_title }}", _("baris pertama kop (huruf terbesar)")),
    ("{% for line in letterhead_rest %}{{ line }}{% endfor %}", _("baris kop lainnya")),
    ("{% for line in contact_lines %}{{ line }}{% endfor %}", _("baris alamat dan kontak")),
    ("{{ title }}, {{ subtitle }}", _("judul dokumen, dua baris")),
    ("{{ number_text }}", _("nomor, atau ……. (draf) sebelum bernomor")),
    ("{{ date_text }}", _("tanggal, mis. 22 November 2026")),
    (
        "{{ date_words }}",
        _("hari dan tanggal terbilang, mis. Minggu tanggal dua puluh dua bulan November …"),
    ),
    ("{{ place }}", _("tempat rapat / penandatanganan")),
    ("{{ place_date }}", _("kota dan tanggal, mis. Pontianak, 22 November 2026")),
    ("{{ year }}", _("tahun evaluasi")),
    ("{{ opening }}", _("kalimat pembuka")),
    ("{{ result_intro }}", _("kalimat pengantar hasil (Pernyataan: isi pernyataan)")),
    ("{{ index }}, {{ rating }}", _("indeks SPBE (mis. 3.49) dan predikat")),
    ("{{ framework }}", _("kerangka evaluasi yang dipakai")),
    (
        "{% for n in nodes %}{{ n.kind }} {{ n.number }} {{ n.name }} {{ n.display }}{% endfor %}",
        _("indeks setiap domain dan aspek (n.indent benar untuk aspek)"),
    ),
    (
        "{% for p in participants %}{{ p.number }} {{ p.name }} {{ p.position }} {{ p.unit }}"
        "{% endfor %}",
        _("peserta rapat yang hadir"),
    ),
    ("{% for s in statements %}{{ s }}{% endfor %}", _("paragraf pernyataan penutup")),
    ("{{ signer.title }}, {{ signer.name }}, {{ signer.nip }}", _("penanda tangan (Sekda)")),
    (
        "{{ maker.title }}, {{ maker.name }}, {{ maker.nip }}",
        _("yang membuat (Berita Acara; Kepala Diskominfo)"),
    ),
    ("{% if draft %}…{% endif %}", _("benar selama dokumen belum bernomor")),
]


def _sample(kind):
    def sample():
        from reports.content import sample_context

        return sample_context(kind)

    return sample


def _statement_kinds():
    from reports.models import SignedReport

    return [
        TemplateKind(
            key="berita_acara",
            label=_("Berita Acara Evaluasi Mandiri SPBE"),
            default_template=DOCX_DIR / "berita_acara.docx",
            placeholders=STATEMENT_PLACEHOLDERS,
            sample_context=_sample(SignedReport.Kind.BERITA_ACARA),
        ),
        TemplateKind(
            key="publication_consent",
            label=_("Pernyataan Persetujuan Publikasi"),
            default_template=DOCX_DIR / "publication_consent.docx",
            placeholders=STATEMENT_PLACEHOLDERS,
            sample_context=_sample(SignedReport.Kind.PUBLICATION_CONSENT),
        ),
    ]


KINDS = []


def register_kinds():
    """Register the statements' kinds and every kind of KINDS with documents.kinds (once,
    at start-up)."""
    from documents import kinds as registry

    for kind in [*_statement_kinds(), *KINDS]:
        registry.register(kind)
