"""bench_documents never runs a stage against the configured database."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize("stage", ["documents", "package"])
def test_a_stage_refuses_to_run_outside_its_throwaway_folder(db, stage, monkeypatch, tmp_path):
    monkeypatch.delenv("MONEV_BENCH_DIR", raising=False)
    with pytest.raises(CommandError, match="only inside the throwaway folder"):
        call_command("bench_documents", "--stage", stage)
    # Even when told a folder, the test database is not inside it.
    monkeypatch.setenv("MONEV_BENCH_DIR", str(tmp_path))
    with pytest.raises(CommandError, match="only inside the throwaway folder"):
        call_command("bench_documents", "--stage", stage)
