"""Forms of the evidence panel. Plain parsing only: the services decide what is valid (type
by content, size, link scheme) and say so in their own words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.models import Evidence
from monev.widgets import DateInput

TITLE_LENGTH = Evidence._meta.get_field("title").max_length
URL_LENGTH = Evidence._meta.get_field("url").max_length


class UploadForm(forms.Form):
    """The values sent with one or more files (the files themselves are read as a list by
    the view: each is stored or refused on its own). A title only applies to a single file;
    without one each file is named after itself."""

    title = forms.CharField(label=_("Judul dokumen"), max_length=TITLE_LENGTH, required=False)
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DateInput())


class EditForm(forms.Form):
    title = forms.CharField(
        label=_("Judul dokumen"),
        max_length=TITLE_LENGTH,
        error_messages={"required": _("Judul dokumen wajib diisi.")},
    )
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DateInput())


class RevisionForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas revisi"),
        allow_empty_file=True,
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )


class LinkForm(forms.Form):
    # A CharField, not a URLField: the service explains what a link must look like.
    url = forms.CharField(
        label=_("Tautan"),
        max_length=URL_LENGTH,
        error_messages={"required": _("Isi alamat tautan.")},
    )
    title = forms.CharField(
        label=_("Judul dokumen"),
        max_length=TITLE_LENGTH,
        error_messages={"required": _("Judul dokumen wajib diisi.")},
    )
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DateInput())


class ReuseForm(forms.Form):
    evidence = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Pilih setidaknya satu data dukung.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(pk, pk) for pk in choices]
