from django import forms
from django.utils.translation import gettext_lazy as _

from followups.models import Finding, FollowUp
from monev.limits import NOTE_LENGTH, TextAreaField
from monev.widgets import DateInput


class FindingForm(forms.Form):
    """A new finding; the service checks the aspect, the kind and the text."""

    aspect = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=Finding.Kind.choices, widget=forms.HiddenInput)
    text = TextAreaField(label=_("Uraian"), max_length=NOTE_LENGTH, required=False)


class FindingTextForm(forms.Form):
    text = TextAreaField(label=_("Uraian"), max_length=NOTE_LENGTH, required=False)


class FollowUpCreateForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("OPD penanggung jawab"),
        queryset=None,
        required=False,
        empty_label=_("— pilih OPD —"),
    )
    due_date = forms.DateField(
        label=_("Batas waktu"),
        required=False,
        widget=DateInput(),
    )
    description = TextAreaField(
        label=_("Uraian tindak lanjut"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kosongkan untuk memakai teks rekomendasi."),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = institution.agencies.filter(is_active=True)


class FollowUpUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), widget=forms.RadioSelect)
    note = TextAreaField(
        label=_("Catatan kemajuan"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang sudah dilakukan, dan bukti atau dokumennya. Wajib saat membatalkan."),
    )

    def __init__(self, *args, can_drop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in FollowUp.Status.choices
            if can_drop or value != FollowUp.Status.DROPPED
        ]


class FollowUpFilterForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("OPD"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = _("Semua OPD")
        self.fields["status"].choices = [
            ("", _("Semua status")),
            ("aktif", _("Belum selesai (terbuka atau dalam proses)")),
            *FollowUp.Status.choices,
        ]
