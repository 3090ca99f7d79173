import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from frameworks.models import Framework
from institutions.models import Role, User
from monev.widgets import DateInput


class CycleOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun evaluasi"), min_value=2018, max_value=2100)
    framework = forms.ModelChoiceField(
        label=_("Kerangka evaluasi"), queryset=Framework.objects.none(), empty_label=None
    )
    copy_from = forms.ModelChoiceField(
        label=_("Salin dari periode sebelumnya"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("— tidak, mulai baru —"),
        help_text=_("OPD peserta dan penugasan indikator disalin dari periode itu."),
    )
    deadline = forms.DateField(label=_("Batas waktu pengisian OPD"), widget=DateInput())
    contact_person = forms.ModelChoiceField(
        label=_("Narahubung"), queryset=User.objects.none(), empty_label=None
    )
    contact_phone = forms.CharField(label=_("Telepon/WA narahubung"), max_length=50, required=False)
    agencies = forms.ModelMultipleChoiceField(
        label=_("OPD peserta"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Diabaikan bila menyalin dari periode sebelumnya."),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.order_by("-is_default", "code")
        self.fields["copy_from"].queryset = Cycle.objects.filter(institution=institution)
        self.fields["contact_person"].queryset = User.objects.filter(
            institution=institution, memberships__role=Role.COORDINATOR, is_active=True
        ).distinct()
        self.fields["agencies"].queryset = institution.agencies.filter(is_active=True)
        self.fields["agencies"].label_from_instance = lambda a: f"{a.short_name} — {a.name}"
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("deadline", today + datetime.timedelta(days=21))
        self.initial.setdefault("agencies", list(self.fields["agencies"].queryset))

    def clean(self):
        data = super().clean()
        if not data.get("copy_from") and not data.get("agencies"):
            self.add_error("agencies", _("Pilih setidaknya satu OPD peserta."))
        deadline = data.get("deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", _("Batas waktu tidak boleh di masa lalu."))
        return data
