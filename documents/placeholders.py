"""The placeholders a Word letter template can use, shown to administrators in the app
(the same list as documents/README.md)."""

from django.utils.translation import gettext_lazy as _

LETTER_PLACEHOLDERS = [
    ("{{ institution.name }}", _("nama instansi")),
    (
        "{{ institution.address }}, {{ institution.phone }}, {{ institution.email }}, "
        "{{ institution.website }}",
        _("alamat dan kontak instansi"),
    ),
    ("{{ letterhead_title }}", _("baris pertama kop surat (huruf terbesar)")),
    ("{{ letterhead_logo_image }}", _("lambang daerah di kiri kop")),
    ("{% for line in letterhead_rest %}{{ line }}{% endfor %}", _("baris kop surat lainnya")),
    ("{% for line in contact_lines %}{{ line }}{% endfor %}", _("baris alamat dan kontak")),
    ("{{ number_text }}", _("nomor surat, atau ……. (draf) sebelum bernomor")),
    ("{{ date_text }}", _("tanggal surat, mis. 22 November 2026")),
    ("{{ place_date }}", _("tempat dan tanggal, mis. Pontianak, 22 November 2026")),
    ("{{ nature }}", _("sifat surat")),
    ("{{ attachment_text }}", _("lampiran")),
    ("{{ subject }}", _("hal")),
    (
        "{% for l in letters %}{{ l.addressee }}{% endfor %}",
        _("surat yang dicetak: satu per OPD, atau satu dengan daftar terlampir"),
    ),
    ("{% for a in distribution %}{{ a.agency }}{% endfor %}", _("daftar distribusi")),
    ("{% for p in paragraphs %}{{ p }}{% endfor %}", _("paragraf isi surat")),
    ("{{ signer.title }}, {{ signer.name }}, {{ signer.nip }}", _("penanda tangan")),
    ("{% for c in carbon_copies %}{{ c }}{% endfor %}", _("tembusan")),
    ("{% if draft %}…{% endif %}", _("benar selama surat masih draf")),
    (
        "{% for f in attachments %}{{ f.title }} {{ f.deadline_text }}"
        "{% for i in f.indicators %}{{ i.number }} {{ i.name }}{% endfor %}{% endfor %}",
        _("lampiran formulir evaluasi per OPD dengan indikator dan batas waktunya"),
    ),
    ("{{ date|tanggal }}", _("filter tanggal Indonesia untuk nilai tanggal")),
]
