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


def matrix_from_post(data, *, indicators, agencies):
    """The assignment posted by the matrix: ({indicator: [agency]}, the indicators it
    showed). A box is `i<indicator pk>` with the OPD's pk as value; each row shown posts
    `indicator` with its pk, so a filtered matrix replaces only its own rows. Without any
    `indicator` (an older page) every indicator is replaced. Unknown values are ignored."""
    by_pk = {str(agency.pk): agency for agency in agencies}
    shown = set(data.getlist("indicator"))
    rows = [node for node in indicators if not shown or str(node.pk) in shown]
    chosen = {
        node: [by_pk[value] for value in data.getlist(f"i{node.pk}") if value in by_pk]
        for node in rows
    }
    return chosen, rows


class AssignRestForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Tugaskan yang belum ditugaskan ke"),
        queryset=None,
        empty_label=_("— pilih OPD —"),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = cycle.agencies.order_by("short_name")
        self.fields["agency"].label_from_instance = lambda a: f"{a.short_name} — {a.name}"
