from django import forms
from django.utils.translation import gettext_lazy as _

from monev.limits import LONG_TEXT_LENGTH, NOTE_LENGTH, TextAreaField


class DecisionForm(forms.Form):
    """The agreed level of one indicator; the service checks the scale and the status."""

    level = forms.TypedChoiceField(
        label=_("Tingkat yang disepakati"), coerce=int, widget=forms.RadioSelect
    )
    fakta = TextAreaField(
        label=_("FAKTA"),
        max_length=LONG_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    analisis = TextAreaField(
        label=_("ANALISIS"),
        max_length=LONG_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (level, level) for level in range(framework.scale_min, framework.scale_max + 1)
        ]


class ReopenForm(forms.Form):
    reason = TextAreaField(
        label=_("Alasan pembukaan kembali"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NationalResultForm(forms.Form):
    """One optional field per node: a whole level for an indicator, an index for a domain
    or an aspect (as printed in the official report)."""

    source = forms.CharField(
        label=_("Sumber (mis. laporan hasil evaluasi SPBE nasional)"),
        required=False,
        max_length=300,
    )

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        for node in spec.nodes:
            if node.is_indicator:
                field = forms.IntegerField(
                    min_value=spec.scale_min, max_value=spec.scale_max, required=False
                )
            else:
                field = forms.DecimalField(
                    min_value=spec.scale_min,
                    max_value=spec.scale_max,
                    max_digits=8,
                    decimal_places=4,
                    required=False,
                )
            field.label = f"{node.number}. {node.name}"
            self.fields[f"node_{node.code}"] = field

    def node_fields(self):
        """[(node, bound field)] in tree order, for the template."""
        return [(node, self[f"node_{node.code}"]) for node in self.spec.nodes]

    def values(self):
        """(levels, node_values) for services.enter_national_result."""
        levels, node_values = {}, {}
        for node in self.spec.nodes:
            value = self.cleaned_data.get(f"node_{node.code}")
            if value is None:
                continue
            (levels if node.is_indicator else node_values)[node.code] = value
        return levels, node_values


class MeetingDecisionForm(DecisionForm):
    """The agreed level in meeting mode, with the data dukung the team cites (optional,
    chosen among the OPDs' pieces shown on the screen)."""

    evidence = forms.TypedMultipleChoiceField(
        label=_("Data dukung yang dirujuk"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, framework, evidence_choices=(), **kwargs):
        super().__init__(*args, framework=framework, **kwargs)
        self.fields["level"].error_messages["required"] = _("Pilih tingkat yang disepakati.")
        self.fields["evidence"].choices = [(choice.pk, choice.title) for choice in evidence_choices]
