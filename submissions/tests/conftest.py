import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from cycles import services as cycle_services
from submissions import services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def indicators(framework):
    """Indicators 1, 2 and 3 of the default framework."""
    nodes = {node.code: node for node in framework.nodes.filter(code__in=["I1", "I2", "I3"])}
    return nodes["I1"], nodes["I2"], nodes["I3"]


def start_collection(cycle, by):
    """Steps 1-3 done, step 4 (the OPDs answer) running."""
    with transaction.atomic():
        for number in (1, 2, 3):
            cycle_services.finish_step(cycle, number, by=by)
        cycle_services.start_step(cycle, 4, by=by)


@pytest.fixture
def cycle(
    framework,
    sop,
    coordinator,
    evaluator,
    agency,
    other_agency,
    agency_user,
    other_agency_user,
    indicators,
):
    """A cycle in step 4, deadline in two weeks: BKPSDM answers indicators 1 and 2, Dinkes
    answers 2 and 3."""
    first, second, third = indicators
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={first: [agency], second: [agency, other_agency], third: [other_agency]},
    )
    start_collection(cycle, coordinator)
    return cycle


def pass_deadline(cycle):
    """The deadline was yesterday."""
    cycle.deadline = timezone.localdate() - datetime.timedelta(days=1)
    cycle.save(update_fields=["deadline"])


@pytest.fixture
def answer(cycle):
    """Save a complete draft through the service (the version taken from the stored row)."""

    def save(indicator, *, by, agency=None, level=3, fakta="Perwa 12/2024 Pasal 3.", analisis=None):
        agency = agency or by.memberships.get().agency
        existing = cycle.submissions.filter(indicator=indicator, agency=agency).first()
        return services.save_draft(
            cycle,
            indicator,
            agency,
            by=by,
            level=level,
            fakta=fakta,
            analisis="Kriteria tingkat 3 terpenuhi." if analisis is None else analisis,
            version=existing.version if existing else 0,
        )

    return save


def pdf_upload(name="1.a.Perwa-12-2024.pdf"):
    """A one-page PDF as an OPD operator would upload it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
