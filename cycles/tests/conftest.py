import datetime
from io import BytesIO

import pytest
from pypdf import PdfWriter

from cycles import services, team

# The evaluator team decree of the team tests (cycles.team).
TITLE = (
    "Tim Koordinasi dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis "
    "Elektronik Kota Pontianak"
)


def a_pdf():
    """The bytes of a one-page blank PDF (a signed decree's stand-in)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    return services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
        contact_phone="0812-0000-0000",
    )


@pytest.fixture
def decree(cycle, coordinator):
    """The cycle's team decree as the coordinator saves it (a draft without members)."""
    return team.save_decree(
        cycle,
        by=coordinator,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2020",
        date=datetime.date(2020, 3, 2),
        title=TITLE,
    )
