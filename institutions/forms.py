from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from institutions.models import Role, User


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        help_text=_("Baris pertama berisi nama kolom. Maksimal 5 MB."),
    )


class UserForm(forms.Form):
    """An account's details and roles. A plain form (not a ModelForm): the service compares
    the account before and after for the audit trail, so the form must not touch it."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    email = forms.EmailField(
        label=_("Surel"),
        required=False,
        help_text=_("Tautan undangan dan pemberitahuan dikirim ke alamat ini."),
    )
    nip = forms.CharField(label=_("NIP"), max_length=30, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Peran"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    agency = forms.ModelChoiceField(
        label=_("OPD (untuk peran Operator OPD)"),
        queryset=None,
        required=False,
        empty_label=_("— pilih OPD —"),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = institution.agencies.filter(is_active=True)

    @classmethod
    def initial_for(cls, user):
        memberships = list(user.memberships.all())
        agency = next((m.agency for m in memberships if m.agency_id), None)
        return {
            "full_name": user.full_name,
            "email": user.email,
            "nip": user.nip,
            "position": user.position,
            "roles": [m.role for m in memberships],
            "agency": agency,
        }

    def clean(self):
        cleaned = super().clean()
        if Role.AGENCY in cleaned.get("roles", []):
            if not cleaned.get("agency"):
                self.add_error("agency", _("Pilih OPD untuk peran Operator OPD."))
        else:
            cleaned["agency"] = None
        return cleaned

    def account_values(self):
        names = ["full_name", "email", "nip", "position", "roles", "agency"]
        return {name: self.cleaned_data[name] for name in names}


class NewUserForm(UserForm):
    username = forms.CharField(
        label=pgettext_lazy("akun", "Nama pengguna"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Untuk masuk; huruf, angka dan @ . + - _ saja, tidak dapat diubah nanti."),
    )
    invite = forms.BooleanField(
        label=_("Kirim tautan undangan ke surel sekarang"), required=False, initial=True
    )
    field_order = ["username", "full_name", "email", "nip", "position", "roles", "agency"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna %(u)s sudah dipakai.") % {"u": username})
        return username

    def account_values(self):
        return {"username": self.cleaned_data["username"], **super().account_values()}


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."))
        return token


class InstitutionSettingsForm(forms.Form):
    """Pengaturan instansi: what every kop prints. The logo is checked by the service
    (institutions.services.settings.check_logo), by its content."""

    letterhead = forms.CharField(
        label=_("Baris kop surat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Satu baris per baris kop, yang terbesar di atas."),
    )
    address = forms.CharField(
        label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    city = forms.CharField(
        label=_("Tempat penandatanganan"),
        max_length=100,
        required=False,
        help_text=_("mis. Pontianak"),
    )
    phone = forms.CharField(label=_("Telepon"), max_length=50, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    website = forms.CharField(label=_("Situs web"), max_length=200, required=False)
    logo = forms.FileField(
        label=_("Lambang daerah (PNG atau SVG)"),
        required=False,
        help_text=_(
            "Paling besar 2 MB dan 4000 × 4000 piksel. PNG dengan latar transparan "
            "dianjurkan: lambang SVG hanya tampil pada PDF, tidak pada dokumen Word."
        ),
        widget=forms.FileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
    )

    @classmethod
    def initial_for(cls, institution):
        names = ["letterhead", "address", "city", "phone", "email", "website"]
        return {name: getattr(institution, name) for name in names}

    def values(self):
        names = ["letterhead", "address", "city", "phone", "email", "website"]
        return {name: self.cleaned_data[name].strip() for name in names}
