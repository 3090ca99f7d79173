from django import forms
from django.utils.translation import gettext_lazy as _

from sops.services import MAX_UPLOAD_BYTES


class SopFileForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas definisi SOP (JSON)"),
        help_text=_("Format monev-sop/1, paling besar %(size)s MB.")
        % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
