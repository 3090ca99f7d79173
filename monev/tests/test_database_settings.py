"""The database settings as monev/settings.py makes them from the environment."""

import runpy
from pathlib import Path

import pytest

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "settings.py"


def database_settings(monkeypatch, **env):
    for name, value in {"DEBUG": "false", "SECRET_KEY": "x" * 50, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["default"]


POSTGRES = "postgres://monev@127.0.0.1:5432/monev"


def test_postgresql_prepares_its_statements_by_default(monkeypatch):
    monkeypatch.delenv("DB_PREPARED_STATEMENTS", raising=False)
    database = database_settings(monkeypatch, DATABASE_URL=POSTGRES)
    assert database["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_prepared_statements_can_be_turned_off_for_a_pooler(monkeypatch):
    database = database_settings(monkeypatch, DATABASE_URL=POSTGRES, DB_PREPARED_STATEMENTS="false")
    assert "server_side_binding" not in database.get("OPTIONS", {})
    assert "prepare_threshold" not in database.get("OPTIONS", {})


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_wrong_value_is_a_configuration_error(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DB_PREPARED_STATEMENTS"):
        database_settings(monkeypatch, DATABASE_URL=POSTGRES, DB_PREPARED_STATEMENTS=value)


def test_sqlite_keeps_its_own_options(monkeypatch, tmp_path):
    database = database_settings(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "server_side_binding" not in database["OPTIONS"]
