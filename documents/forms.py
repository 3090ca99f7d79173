from django import forms
from django.utils.translation import gettext_lazy as _


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Templat Word (.docx)"),
        help_text=_("Templat diperiksa dengan data contoh sebelum dipakai. Maksimal 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


class CopyCheckForm(forms.Form):
    """A copy of a document to compare with the original (hashed as it arrives, see
    documents.verification.HashingUploadHandler)."""

    file = forms.FileField(
        label=_("Salinan dokumen"),
        help_text=_(
            "Pilih berkas yang Anda terima (mis. PDF). Berkas hanya dihitung sidik jarinya "
            "(SHA-256) dan tidak disimpan. Maksimal 100 MB."
        ),
    )


class CodeLookupForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=40,
        help_text=_("Tertera di bawah kode QR pada dokumen, mis. K7M2XQ9PB4."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
