from django import forms
from django.utils.translation import gettext_lazy as _

from monev.limits import LONG_TEXT_LENGTH, NOTE_LENGTH, TextAreaField
from monev.widgets import DateInput


class SubmissionForm(forms.Form):
    """An OPD's answer to one indicator. Plain form: the service decides what may change
    and when (scale, deadline, version)."""

    level = forms.TypedChoiceField(
        label=_("Tingkat yang diusulkan"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    fakta = TextAreaField(
        label=_("FAKTA"),
        max_length=LONG_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Dokumen apa yang menjadi bukti (nama, nomor dan tahun) dan pasal atau halaman yang "
            "memuat pemenuhan kriteria. Rujuk data dukung yang dilampirkan dengan tombol "
            "“Sisipkan rujukan data dukung”, bukan dengan nama berkas."
        ),
    )
    analisis = TextAreaField(
        label=_("ANALISIS"),
        max_length=LONG_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Kriteria tingkat yang dipilih mana yang terpenuhi, dan bagaimana fakta di atas "
            "memenuhinya."
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, levels, **kwargs):
        """`levels`: [{level, name}] of the framework's scale for this indicator."""
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (row["level"], f"{row['level']} — {row['name']}" if row["name"] else row["level"])
            for row in levels
        ]

    def page_fields(self):
        """What the indicator page writes its fields with, in its own markup (Django's widget
        templates cost milliseconds a page), with the ids, values, labels, help texts,
        errors and aria attributes Django would give them: {"level": {id, label, errors,
        options: [{id, value, label, checked}]}, "texts": [FAKTA, ANALISIS: {name, id,
        label, help_text, value, errors, described_by, maxlength, rows}], "version"}."""
        level = self["level"]
        chosen = level.value()
        chosen = None if chosen in (None, "") else str(chosen)
        texts = []
        for name in ("fakta", "analisis"):
            field = self[name]
            errors = field.errors
            described_by = f"{field.auto_id}_helptext"
            if errors:
                described_by += f" {field.auto_id}_error"
            texts.append(
                {
                    "name": name,
                    "id": field.auto_id,
                    "label": field.label,
                    "help_text": field.help_text,
                    "value": field.value() or "",
                    "errors": errors,
                    "described_by": described_by,
                    "maxlength": field.field.max_length,
                    "rows": field.field.widget.attrs["rows"],
                }
            )
        return {
            "level": {
                "id": level.auto_id,
                "label": level.label,
                "errors": level.errors,
                "options": [
                    {
                        "id": f"{level.auto_id}_{index}",
                        "value": value,
                        "label": label,
                        "checked": str(value) == chosen,
                    }
                    for index, (value, label) in enumerate(self.fields["level"].choices)
                ],
            },
            "texts": texts,
            "version": self["version"].value(),
        }

    @classmethod
    def for_submission(cls, submission, levels, data=None):
        initial = {"version": 0}
        if submission is not None:
            initial = {
                "level": submission.level,
                "fakta": submission.fakta,
                "analisis": submission.analisis,
                "version": submission.version,
            }
        return cls(data, initial=initial, levels=levels)


class DecisionForm(forms.Form):
    """The reviewer's note: optional to accept, required to return (the service says so)."""

    note = TextAreaField(
        label=_("Catatan untuk OPD"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila dikembalikan: apa yang perlu diperbaiki OPD."),
    )


class ReopenForm(forms.Form):
    until = forms.DateField(
        label=_("Dibuka hingga tanggal"),
        widget=DateInput(),
        help_text=_("Sampai akhir hari itu (waktu instansi)."),
    )
    reason = TextAreaField(
        label=_("Alasan"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
