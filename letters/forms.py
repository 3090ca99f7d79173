from django import forms
from django.utils.translation import gettext_lazy as _

from letters.models import Letter
from monev.limits import LONG_TEXT_LENGTH, NOTE_LENGTH, TextAreaField


class LetterForm(forms.Form):
    """The text of a letter. Plain form: the service decides what may change and when."""

    subject = forms.CharField(label=_("Hal"), max_length=300)
    nature = forms.CharField(label=_("Sifat"), max_length=50)
    attachment = forms.CharField(label=_("Lampiran"), max_length=100, required=False)
    body = TextAreaField(
        label=_("Isi surat"),
        max_length=LONG_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Pisahkan paragraf dengan satu baris kosong."),
    )
    carbon_copies = TextAreaField(
        label=_("Tembusan"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu per baris."),
    )
    signer_name = forms.CharField(label=_("Nama penanda tangan"), max_length=200)
    signer_title = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200)
    signer_nip = forms.CharField(label=_("NIP penanda tangan"), max_length=30, required=False)

    @classmethod
    def for_letter(cls, letter, data=None):
        initial = {name: getattr(letter, name) for name in cls.base_fields}
        return cls(data, initial=initial)


class DispositionForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (APPROVE, _("Setujui dan disposisikan")),
            (RETURN, _("Kembalikan kepada koordinator untuk diperbaiki")),
        ],
        widget=forms.RadioSelect,
    )
    instruction = TextAreaField(
        label=_("Instruksi disposisi"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mis. “Segera diproses dan dikirim ke seluruh OPD.”"),
    )
    addressed_to = forms.CharField(label=_("Diteruskan kepada"), max_length=200, required=False)
    note = TextAreaField(
        label=_("Catatan"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib diisi bila surat dikembalikan: apa yang perlu diperbaiki."),
    )


class SignatureForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Cara penandatanganan"),
        choices=Letter.Signature.choices,
        widget=forms.RadioSelect,
        initial=Letter.Signature.UPLOAD,
    )
    signed_pdf = forms.FileField(
        label=_("PDF bertanda tangan"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Berkas PDF dari TTE BSrE / SRIKANDI, paling besar 20 MB."),
    )
    # On the page, not on a confirmation page: a chosen file cannot be posted again.
    confirmed = forms.BooleanField(
        label=_(
            "Saya mengerti: tanda tangan yang dicatat tidak dapat dibatalkan, dan surat "
            "bertanda tangan siap dikirim ke OPD."
        ),
        widget=forms.CheckboxInput(attrs={"value": "yes"}),
        error_messages={"required": _("Centang pernyataan ini untuk mencatat tanda tangan.")},
    )


class IssuingUnitForm(forms.Form):
    """An issuing unit's register and kop. Plain form: letters.services.save_issuing_unit
    checks the format and the uniqueness."""

    name = forms.CharField(label=_("Nama unit"), max_length=200)
    code = forms.CharField(
        label=_("Kode"), max_length=30, help_text=_("Singkatan unit, mis. Setda-Org.")
    )
    letter_number_format = forms.CharField(
        label=_("Format nomor surat"),
        max_length=100,
        help_text=_(
            "Gunakan {seq} untuk nomor urut dan {year} untuk tahun, "
            "mis. 800/{seq}/Setda-Org/{year}."
        ),
    )
    letterhead = TextAreaField(
        label=_("Baris kop surat"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Satu baris per baris kop, yang terbesar dahulu, mis. PEMERINTAH KOTA PONTIANAK lalu "
            "SEKRETARIAT DAERAH. Kosongkan untuk memakai kop instansi."
        ),
    )
    address = TextAreaField(
        label=_("Alamat dan kontak pada kop"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dicetak kecil di bawah baris kop unit."),
    )
    is_secretariat = forms.BooleanField(
        label=_(
            "Unit ini Sekretariat Daerah: menomori dan menerbitkan Surat Edaran Sekretaris Daerah"
        ),
        required=False,
    )

    @classmethod
    def for_unit(cls, unit, data=None):
        initial = {name: getattr(unit, name) for name in cls.base_fields} if unit else None
        return cls(data, initial=initial)
