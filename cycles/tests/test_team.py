"""The evaluator team's decree: the citation documents print, the services, the carry-forward."""

import datetime

import pytest

from cycles import team
from cycles.models import TeamMember

TITLE = (
    "Tim Koordinasi dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis "
    "Elektronik Kota Pontianak"
)


def a_pdf():
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def decree(cycle, coordinator):
    return team.save_decree(
        cycle,
        by=coordinator,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2020",
        date=datetime.date(2020, 3, 2),
        title=TITLE,
    )


def confirmed(decree, coordinator, agency, evaluator):
    team.add_member(
        decree,
        by=coordinator,
        name="Ir. Mulyadi, M.T.",
        nip="19700101 199501 1 001",
        position="Sekretaris Daerah Kota Pontianak",
        role=TeamMember.Role.PENGARAH,
        group=TeamMember.Group.COORDINATION,
    )
    team.add_member(
        decree,
        by=coordinator,
        user=evaluator,
        agency=agency,
        role=TeamMember.Role.ANGGOTA,
        group=TeamMember.Group.EVALUATORS,
    )
    return team.confirm_decree(decree, by=coordinator)


def test_citation_and_fields_of_a_confirmed_decree(decree, coordinator, agency, evaluator):
    cycle = decree.cycle
    assert team.decree_citation(cycle) == ""  # a draft is not cited
    assert team.decree_fields(cycle) is None
    confirmed(decree, coordinator, agency, evaluator)
    cycle.refresh_from_db()
    assert team.decree_citation(cycle) == (
        "Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim Koordinasi dan "
        "Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis Elektronik Kota "
        "Pontianak"
    )
    assert team.decree_fields(cycle) == {
        "issuer": "Wali Kota Pontianak",
        "number": "162/DKI/Tahun 2020",
        "date": datetime.date(2020, 3, 2),
        "date_text": "2 Maret 2020",
        "title": TITLE,
        "citation": team.decree_citation(cycle),
    }


def test_no_decree_no_citation(cycle):
    assert team.decree_citation(cycle) == ""
    assert team.decree_fields(cycle) is None


def test_default_issuer_and_title(institution):
    assert team.default_issuer(institution) == "Wali Kota Pontianak"
    assert team.default_title(institution) == TITLE
    institution.kind, institution.name = "kabupaten", "Pemerintah Kabupaten Kubu Raya"
    assert team.default_issuer(institution) == "Bupati Kubu Raya"
    institution.kind = "kementerian"
    assert team.default_issuer(institution) == ""
