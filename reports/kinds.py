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
        "{{ decree }}",
        _("keputusan pembentukan tim evaluator internal, dikutip (kosong bila belum ada)"),
    ),
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


# --- The Dokumen Evaluasi SPBE (SOP step 8; reports.evaluation) ----------------------------

EVALUATION_PLACEHOLDERS = [
    ("{{ institution.name }}", _("nama instansi")),
    ("{{ letterhead_title }}", _("baris pertama kop (huruf terbesar)")),
    ("{% for line in letterhead_rest %}{{ line }}{% endfor %}", _("baris kop lainnya")),
    ("{% for line in contact_lines %}{{ line }}{% endfor %}", _("baris alamat dan kontak")),
    ("{{ title }}", _("judul: Dokumen Evaluasi SPBE <instansi> Tahun <tahun>")),
    ("{{ year }}, {{ cycle_name }}", _("tahun dan nama periode monev")),
    ("{{ framework }}, {{ sop }}", _("kerangka evaluasi dan SOP yang dipakai")),
    ("{{ sop_text }}", _('SOP yang dipakai, diawali "SOP"')),
    ("{{ decree }}", _("keputusan pembentukan tim evaluator internal (kosong bila belum ada)")),
    ("{{ place_date }}, {{ date_text }}", _("kota dan tanggal pembuatan; tanggal saja")),
    ("{{ finalized_text }}", _("tanggal hasil evaluasi mandiri difinalkan")),
    ("{{ index }}, {{ rating }}", _("indeks SPBE (mis. 3.49) dan predikat")),
    (
        "{{ agency_count }}, {{ indicator_count }}, {{ evidence_count }}",
        _("jumlah OPD, indikator, berkas data dukung"),
    ),
    (
        "{% for n in nodes %}{{ n.kind }} {{ n.number }} {{ n.name }} {{ n.weight }} "
        "{{ n.index }}{% endfor %}",
        _("indeks setiap domain dan aspek (n.depth 0 untuk domain)"),
    ),
    (
        "{% for b in bands %}{{ b.rating }} {{ b.range }}{% endfor %}",
        _("rentang nilai setiap predikat"),
    ),
    (
        "{% for row in indicators %}{{ row.number }} {{ row.name }} {{ row.aspect }} "
        "{{ row.level }} {{ row.level_name }} {{ row.fakta }} {{ row.analisis }}{% endfor %}",
        _("setiap indikator: tingkat yang disepakati dan penjelasannya"),
    ),
    (
        "{{ row.evidence_text }}; {% for e in row.evidence %}{{ e.name }} {{ e.agency }} "
        "{{ e.sha_short }} {{ e.sha256 }} {{ e.url }}{% endfor %}",
        _(
            "data dukung indikator: satu baris per berkas, atau satu per satu "
            "(e.is_link untuk tautan)"
        ),
    ),
    (
        "{% for group in findings %}{{ group.aspect }} {{ group.strengths }} "
        "{{ group.weaknesses }} {{ group.recommendations }}{% endfor %}",
        _("kekuatan, kelemahan dan rekomendasi per aspek (daftar teks)"),
    ),
    (
        "{% for f in follow_ups %}{{ f.recommendation }} {{ f.aspect }} {{ f.agency }} "
        "{{ f.description }} {{ f.due_date_text }} {{ f.status }}{% endfor %}",
        _("tindak lanjut atas rekomendasi tahun ini"),
    ),
    (
        "{% for f in carried_follow_ups %}… {{ f.origin_year }}{% endfor %}",
        _("tindak lanjut tahun sebelumnya yang masih berjalan"),
    ),
    (
        "{% for s in steps %}{{ s.number }} {{ s.activity }} {{ s.standard }} {{ s.actual }} "
        "{{ s.on_time }} {{ s.output }} {{ s.started }} {{ s.finished }} {{ s.note }}{% endfor %}",
        _(
            "catatan Mutu Baku: setiap langkah SOP, waktu standar dan nyata, tepat waktu "
            "(Ya/Tidak/–)"
        ),
    ),
    (
        "{% for d in signed_documents %}{{ d.kind }} {{ d.number }} {{ d.date_text }} "
        "{{ d.signature }}{% endfor %}",
        _("surat dan pernyataan yang sudah ditandatangani"),
    ),
    ("{{ verification.url }}, {{ verification.code }}", _("alamat dan kode verifikasi versi PDF")),
    (
        "{{ approval.maker.name }} {{ approval.maker.title }} {{ approval.maker.nip }}",
        _("yang membuat: Kepala Dinas Kominfo (nama, jabatan, NIP)"),
    ),
    (
        "{{ approval.signer.name }} {{ approval.signer.title }} {{ approval.signer.nip }}",
        _("mengetahui: Sekretaris Daerah (nama, jabatan, NIP)"),
    ),
    (
        "{{ charts.aspect_radar }}, {{ charts.domain_bars }}",
        _("grafik indeks per aspek dan per domain, masing-masing sendiri dalam satu paragraf"),
    ),
]


def _evaluation_sample():
    from reports.evaluation import sample_evaluation_context

    return sample_evaluation_context()


KINDS.append(
    TemplateKind(
        key="evaluation",
        label=_("Dokumen Evaluasi SPBE"),
        default_template=DOCX_DIR / "evaluation.docx",
        placeholders=EVALUATION_PLACEHOLDERS,
        sample_context=_evaluation_sample,
    )
)
