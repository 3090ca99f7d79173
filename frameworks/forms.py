from django import forms
from django.utils.translation import gettext_lazy as _

from frameworks.fileformat import MAX_UPLOAD_BYTES


class FrameworkFileForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas kerangka evaluasi (JSON)"),
        help_text=_("Format monev-framework/1, paling besar %(size)s MB.")
        % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
