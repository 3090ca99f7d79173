from django import forms
from django.utils.translation import gettext_lazy as _

from recap.queries import STATES, RecapFilters


class RecapFilterForm(forms.Form):
    """The recap's GET filters. The template draws the OPD and aspect lists from the matrix;
    an unknown id simply matches nothing."""

    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("semua status"))] + [(state.key, state.label) for state in STATES],
    )
    agency = forms.IntegerField(label=_("OPD"), required=False, min_value=1)
    aspect = forms.IntegerField(label=_("Aspek"), required=False, min_value=1)
    late = forms.BooleanField(label=_("Hanya OPD yang terlambat"), required=False)

    def filters(self):
        if not self.is_valid():
            return RecapFilters()
        data = self.cleaned_data
        return RecapFilters(
            state=data["state"],
            agency=data["agency"],
            aspect=data["aspect"],
            only_late=data["late"],
        )
