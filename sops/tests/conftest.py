import copy
import json

import pytest

from sops.services import SHIPPED_SOPS, load_sop_file


@pytest.fixture
def pontianak_sop(institution):
    sop, _ = load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    return sop


@pytest.fixture
def pangkalpinang_sop(other_institution):
    sop, _ = load_sop_file(SHIPPED_SOPS["pangkalpinang"], institution=other_institution)
    return sop


@pytest.fixture
def pontianak_data():
    """The shipped Pontianak definition, a fresh copy to modify."""
    return copy.deepcopy(json.loads(SHIPPED_SOPS["pontianak"].read_text(encoding="utf-8")))


@pytest.fixture
def write_sop(tmp_path):
    """Write a definition to a file in a temporary folder and return its path."""

    def write(data, name="sop.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write
