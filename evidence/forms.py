"""Forms of the evidence panel. Plain parsing only: the services decide what is valid (type
by content, size, link scheme) and say so in their own words."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    # Empty files pass here so the service can refuse them with its own message.
    file = forms.FileField(
        label=_("Berkas"),
        allow_empty_file=True,
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )
    title = forms.CharField(label=_("Judul dokumen"), required=False)
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False)


class RevisionForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas revisi"),
        allow_empty_file=True,
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )


class LinkForm(forms.Form):
    # A CharField, not a URLField: the service explains what a link must look like.
    url = forms.CharField(label=_("Tautan"), error_messages={"required": _("Isi alamat tautan.")})
    title = forms.CharField(
        label=_("Judul dokumen"), error_messages={"required": _("Judul dokumen wajib diisi.")}
    )
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False)


class ReuseForm(forms.Form):
    evidence = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Pilih setidaknya satu data dukung.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(pk, pk) for pk in choices]
