import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle, TeamMember
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


class TeamDecreeForm(forms.Form):
    """The words of the evaluator team's decree (cycles.team.save_decree)."""

    issuer = forms.CharField(
        label=_("Pejabat yang menetapkan"),
        max_length=200,
        help_text=_("Seperti tertulis pada SK, mis. Wali Kota Pontianak."),
    )
    number = forms.CharField(
        label=_("Nomor SK"),
        max_length=100,
        required=False,
        help_text=_("mis. 162/DKI/Tahun 2020"),
    )
    date = forms.DateField(label=_("Tanggal penetapan"), required=False, widget=DateInput())
    title = forms.CharField(
        label=_("Tentang"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Judul SK tanpa kata “tentang”."),
    )


class TeamDecreePdfForm(forms.Form):
    signed_pdf = forms.FileField(
        label=_("PDF SK bertanda tangan"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Hasil pindai atau TTE, berkas PDF paling besar 20 MB."),
    )


class TeamMemberForm(forms.Form):
    """One member of the team: an account of the institution, or a typed name and NIP."""

    user = forms.ModelChoiceField(
        label=_("Akun pengguna"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— tanpa akun, ketik nama —"),
        help_text=_("Nama, NIP dan jabatan diambil dari akun bila dikosongkan."),
    )
    name = forms.CharField(label=_("Nama"), max_length=200, required=False)
    nip = forms.CharField(label=_("NIP"), max_length=30, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label=_("OPD"), queryset=None, required=False, empty_label=_("— tidak ada —")
    )
    role = forms.ChoiceField(label=_("Kedudukan dalam tim"), choices=TeamMember.Role.choices)
    group = forms.ChoiceField(label=_("Kelompok"), choices=TeamMember.Group.choices)
    order = forms.IntegerField(
        label=_("Urutan"),
        min_value=0,
        max_value=999,
        required=False,
        help_text=_("Kosongkan untuk menaruhnya paling akhir di kelompoknya."),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            institution=institution, is_active=True
        ).order_by("full_name", "username")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["agency"].queryset = institution.agencies.filter(is_active=True)
        self.fields["agency"].label_from_instance = lambda a: f"{a.short_name} — {a.name}"

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("name", _("Isi nama anggota atau pilih akun pengguna."))
        return data

    @classmethod
    def for_member(cls, member, *args, **kwargs):
        from cycles.team import member_record

        return cls(*args, initial=member_record(member), **kwargs)
