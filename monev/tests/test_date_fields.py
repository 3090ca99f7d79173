"""Every date field of every form hands the browser an ISO date (`<input type="date">` drops
any other format, and the form would come back empty)."""

import datetime
import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from cycles.forms import CycleOpenForm
from monev.widgets import DateInput

ROOT = Path(__file__).resolve().parents[2]


def _project_forms():
    found = []
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(ROOT) or ".venv" in Path(config.path).parts:
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _date_fields():
    return [
        (f"{cls.__module__}.{cls.__name__}.{name}", field)
        for cls in _project_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField)
    ]


def test_the_project_has_date_fields_to_check():
    names = [name for name, _field in _date_fields()]
    assert "cycles.forms.CycleOpenForm.deadline" in names
    assert "meetings.forms.ScheduleForm.date" in names
    assert len(names) >= 4


@pytest.mark.parametrize(("name", "field"), _date_fields(), ids=[n for n, _f in _date_fields()])
def test_every_date_field_renders_an_iso_date_in_indonesian_and_english(name, field):
    assert isinstance(field.widget, DateInput), name
    for language in ("id", "en"):
        with translation.override(language):
            html = field.widget.render("d", datetime.date(2026, 12, 28))
        assert 'type="date"' in html, name
        assert 'value="2026-12-28"' in html, (name, language, html)


@pytest.mark.django_db
def test_opening_a_cycle_offers_its_default_deadline_as_an_iso_date(institution):
    with translation.override("id"):
        html = str(CycleOpenForm(institution=institution)["deadline"])
    default = datetime.date.today() + datetime.timedelta(days=21)
    assert f'value="{default.isoformat()}"' in html
