from sops.models import StepState
from sops.queries import current_sop, sheet_rows
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
