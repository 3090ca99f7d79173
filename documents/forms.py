from django import forms
from django.utils.translation import gettext_lazy as _


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Templat Word (.docx)"),
        help_text=_("Templat diperiksa dengan data contoh sebelum dipakai. Maksimal 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
