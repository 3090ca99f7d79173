"""One limit per kind of free text (monev.limits): the form and the service refuse the same
text with the same message."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from monev.limits import NOTE_LENGTH, TextAreaField, check_length


class NoteForm(forms.Form):
    note = TextAreaField(label="Catatan", max_length=NOTE_LENGTH, required=False)


def test_the_form_counts_a_browser_line_break_as_one_character():
    text = "a\r\n" * 2_500  # 7.500 characters as sent, 5.000 as stored
    form = NoteForm({"note": text[:-2]})
    assert form.is_valid()
    assert form.cleaned_data["note"] == "a\n" * 2_499 + "a"
    assert 'maxlength="5000"' in str(form["note"])


def test_the_form_and_the_service_say_the_same():
    form = NoteForm({"note": "x" * 5_001})
    assert form.errors == {"note": ["Catatan terlalu panjang (paling banyak 5.000 karakter)."]}
    with pytest.raises(ValidationError) as error:
        check_length("x" * 5_001, NOTE_LENGTH, "Catatan")
    assert (error.value.messages, error.value.code) == (form.errors["note"], "too_long")
    assert check_length("x" * 5_000, NOTE_LENGTH, "Catatan") == "x" * 5_000
