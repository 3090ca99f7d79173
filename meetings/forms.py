import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions.models import Agency
from monev.limits import MINUTES_LENGTH, NOTE_LENGTH, TextAreaField
from monev.widgets import DateInput


class ScheduleForm(forms.Form):
    """The meeting's date, time and place; the time is read in the institution's zone."""

    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    time = forms.TimeField(
        label=_("Jam mulai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Durasi (menit)"),
        min_value=1,
        help_text=_("Waktu baku SOP langkah 6."),
    )
    place = forms.CharField(label=_("Tempat"), max_length=200)
    agenda = TextAreaField(
        label=_("Acara"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kosongkan untuk memakai acara baku rapat koordinasi evaluasi mandiri."),
    )

    def __init__(self, *args, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)

    @classmethod
    def for_meeting(cls, meeting, *, time_zone, duration, data=None):
        if meeting is None:
            initial = {"duration_minutes": duration, "time": datetime.time(9, 0)}
        else:
            local = timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo(time_zone))
            initial = {
                "date": local.date(),
                "time": local.time().replace(second=0, microsecond=0),
                "duration_minutes": meeting.duration_minutes,
                "place": meeting.place,
                "agenda": meeting.agenda,
            }
        return cls(data, initial=initial, time_zone=time_zone)

    def starts_at(self):
        data = self.cleaned_data
        return datetime.datetime.combine(data["date"], data["time"], tzinfo=self.time_zone)


class EquipmentForm(forms.Form):
    """The checklist: for line i, `ready-<i>` and `note-<i>`, plus one new line."""

    new_name = forms.CharField(label=_("Tambah peralatan"), max_length=100, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"ready-{line.pk}"] = forms.BooleanField(
                label=line.name, required=False, initial=line.ready
            )
            self.fields[f"note-{line.pk}"] = forms.CharField(
                label=_("Catatan %(name)s") % {"name": line.name},
                max_length=300,
                required=False,
                initial=line.note,
            )

    def rows(self):
        """(line, ready field, note field) for the template."""
        return [(line, self[f"ready-{line.pk}"], self[f"note-{line.pk}"]) for line in self.lines]

    def items(self):
        data = self.cleaned_data
        items = [
            {"name": line.name, "ready": data[f"ready-{line.pk}"], "note": data[f"note-{line.pk}"]}
            for line in self.lines
        ]
        if data["new_name"].strip():
            items.append({"name": data["new_name"], "ready": False, "note": ""})
        return items


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— bukan OPD —"),
    )
    unit = forms.CharField(
        label=_("Unit / instansi lain"),
        max_length=200,
        required=False,
        help_text=_("Diisi bila peserta tidak mewakili OPD."),
    )
    present = forms.BooleanField(label=_("Sudah hadir"), required=False, initial=True)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            institution=institution, is_active=True
        )


class MinutesForm(forms.Form):
    minutes = TextAreaField(
        label=_("Notulen"),
        max_length=MINUTES_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Catat pembahasan, kesepakatan dan tindak lanjut. Notulen disimpan otomatis saat "
            "Anda mengetik."
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
