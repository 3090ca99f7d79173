import pytest

from sops import services
from sops.models import Sop, StepState
from sops.queries import current_sop, forget_sop_steps, sheet_rows, sop_step, sop_steps
from sops.services import load_sop_file


def test_current_sop_is_the_version_loaded_last(pontianak_sop, pontianak_data, write_sop):
    assert current_sop(pontianak_sop.institution) == pontianak_sop
    pontianak_data["version"] = "2024"
    newer, _ = load_sop_file(write_sop(pontianak_data), institution=pontianak_sop.institution)
    assert current_sop(pontianak_sop.institution) == newer


def test_current_sop_is_none_without_one(institution):
    assert current_sop(institution) is None
    assert current_sop(None) is None


def test_current_sop_is_the_institutions_own(pontianak_sop, pangkalpinang_sop, other_institution):
    assert current_sop(other_institution) == pangkalpinang_sop


def test_sheet_rows_carry_the_given_states(pontianak_sop):
    rows = sheet_rows(pontianak_sop, states={1: StepState.DONE, 2: "late"}, notes={2: "2 hari"})
    assert [(row.step.number, row.state, row.note) for row in rows] == [
        (1, StepState.DONE, ""),
        (2, StepState.LATE, "2 hari"),
        (3, None, ""),
        (4, None, ""),
        (5, None, ""),
        (6, None, ""),
        (7, None, ""),
        (8, None, ""),
    ]


@pytest.fixture
def fresh_process():
    """A process that has read no SOP steps yet."""
    forget_sop_steps()
    yield
    forget_sop_steps()


def test_steps_are_read_once_per_process(pontianak_sop, fresh_process, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = sop_steps(pontianak_sop)
    row = Sop.objects.get(pk=pontianak_sop.pk)

    with django_assert_num_queries(0):
        again = sop_steps(row)
        rows = sheet_rows(row)
        step = sop_step(row, 6)
        assert step.sop.actor_name(step.owner) == row.actor_name(step.owner)

    assert [step.number for step in first] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [(step.pk, step.activity) for step in again] == [
        (step.pk, step.activity) for step in first
    ]
    assert [row.step.number for row in rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert sop_step(row, 9) is None


def test_reloading_in_place_shows_the_new_steps_in_the_same_process(
    pontianak_sop, pontianak_data, write_sop, fresh_process
):
    assert (
        sop_step(pontianak_sop, 1).time_value
        == pontianak_data["steps"][0]["time_standard"]["value"]
    )
    pontianak_data["steps"][0]["activity"] = "Menyusun surat (diperbarui)"
    pontianak_data["steps"][0]["time_standard"] = {"value": 9, "unit": "working_days"}
    updated, outcome = load_sop_file(
        write_sop(pontianak_data), institution=pontianak_sop.institution
    )

    assert outcome == "updated"
    for row in (updated, Sop.objects.get(pk=pontianak_sop.pk), pontianak_sop):
        step = sop_step(row, 1)
        assert (step.activity, step.time_value) == ("Menyusun surat (diperbarui)", 9)


def test_another_process_sees_the_new_steps_by_the_stamp(
    pontianak_sop, pontianak_data, write_sop, fresh_process, monkeypatch
):
    sop_steps(pontianak_sop)
    pontianak_data["steps"][0]["activity"] = "Menyusun surat (diperbarui)"
    # Another process loads the file: its forgetting does not reach this one.
    with monkeypatch.context() as patch:
        patch.setattr(services, "forget_sop_steps", lambda sop: None)
        load_sop_file(write_sop(pontianak_data), institution=pontianak_sop.institution)
    assert sop_step(pontianak_sop, 1).activity != "Menyusun surat (diperbarui)"

    row = Sop.objects.get(pk=pontianak_sop.pk)  # what the next page reads

    assert sop_step(row, 1).activity == "Menyusun surat (diperbarui)"
    forget_sop_steps()  # a process that has read nothing yet
    assert sop_step(row, 1).activity == "Menyusun surat (diperbarui)"


def test_callers_get_their_own_step_copies(pontianak_sop, fresh_process):
    step = sop_step(pontianak_sop, 2)
    owner = step.owner
    step.activity = "diubah"
    step.actors.append("admin")
    step.extra = "milik permintaan lain"

    again = sop_step(pontianak_sop, 2)

    assert again.activity != "diubah"
    assert again.actors[0] == owner
    assert "admin" not in again.actors
    assert not hasattr(again, "extra")
