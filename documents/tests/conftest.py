import datetime

import pytest

from cycles import services as cycle_services
from documents.services import store_document


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
    )


@pytest.fixture
def make_document(institution, coordinator):
    """Store a small document through the service (the next version of its source)."""

    def make(
        content=b"%PDF-1.7 isi dokumen",
        *,
        cycle=None,
        source="letters.letter:12",
        kind="letter.permohonan_data",
        title="Surat Permohonan Data",
        number="005/12/DISKOMINFO/2026",
        format="pdf",
        by=None,
        institution=institution,
    ):
        return store_document(
            institution=institution,
            cycle=cycle,
            kind=kind,
            source=source,
            format=format,
            title=title,
            number=number,
            content=content,
            by=by or coordinator,
        )

    return make
