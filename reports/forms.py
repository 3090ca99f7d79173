from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import SignedReport


class ReportForm(forms.ModelForm):
    """The coordinator's corrections of a draft statement: place, signer, maker."""

    class Meta:
        model = SignedReport
        fields = [
            "place",
            "signer_name",
            "signer_title",
            "signer_nip",
            "maker_name",
            "maker_title",
            "maker_nip",
        ]
        help_texts = {
            "place": _("Tempat rapat koordinasi, mis. Ruang Rapat Wali Kota."),
            "signer_title": _("Mis. Sekretaris Daerah Kota Pontianak selaku Koordinator SPBE."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.has_maker:
            for name in ("maker_name", "maker_title", "maker_nip"):
                del self.fields[name]


class ApprovalForm(forms.Form):
    """The leader's internal approval: a checkbox that says what it means."""

    confirm = forms.BooleanField(
        label=_("Saya telah membaca dokumen ini dan menyetujuinya sebagai penanda tangan."),
        required=True,
    )


class SignedFileForm(forms.Form):
    signed_pdf = forms.FileField(
        label=_("PDF bertanda tangan"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Berkas PDF dari TTE BSrE / SRIKANDI, paling besar 20 MB."),
    )
    # On the page, not on a confirmation page: a chosen file cannot be posted again.
    confirmed = forms.BooleanField(
        label=_(
            "Saya mengerti: dokumen menjadi bertanda tangan dan hal ini tidak dapat dibatalkan."
        ),
        widget=forms.CheckboxInput(attrs={"value": "yes"}),
        error_messages={"required": _("Centang pernyataan ini untuk menyimpan PDF.")},
    )
