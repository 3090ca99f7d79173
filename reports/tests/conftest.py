"""Fixtures of the reports tests: a cycle whose hasil evaluasi mandiri is agreed and final,
with its coordination meeting and who was present — every state reached through services."""

import datetime
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from assessments import services as assessment_services
from cycles import services as cycle_services
from meetings import services as meeting_services
from meetings.models import Attendee
from reports import services
from reports.models import SignedReport

# A fixed level for each of the 47 indicators, in tree order (a pattern over the scale).
LEVELS = [(number * 7) % 5 + 1 for number in range(47)]
PLACE = "Ruang Rapat Wali Kota Pontianak"
# Monday 7 December 2026, 09.00 WIB.
STARTS_AT = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def indicators(framework):
    """The framework's indicators in tree order."""
    return list(framework.nodes.filter(children__isnull=True).order_by("position"))


def start_collection(cycle, by):
    """Steps 1-3 done, step 4 (the OPDs answer) running."""
    with transaction.atomic():
        for number in (1, 2, 3):
            cycle_services.finish_step(cycle, number, by=by)
        cycle_services.start_step(cycle, 4, by=by)


def open_cycle(*, year, by, agencies, indicators):
    """A cycle in step 4: the first OPD answers indicators 1 and 2, the second 2 and 3."""
    first, second, third = indicators[:3]
    one, two = agencies
    cycle = cycle_services.open_cycle(
        by=by,
        year=year,
        framework=indicators[0].framework,
        agencies=list(agencies),
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=by,
        assignments={first: [one], second: [one, two], third: [two]},
    )
    start_collection(cycle, by)
    return cycle


@pytest.fixture
def staff(coordinator, supervisor, secretariat, evaluator, leader):
    return {
        "coordinator": coordinator,
        "supervisor": supervisor,
        "secretariat": secretariat,
        "evaluator": evaluator,
        "leader": leader,
    }


@pytest.fixture
def cycle(framework, sop, staff, coordinator, agency, other_agency, indicators):
    return open_cycle(
        year=2026, by=coordinator, agencies=[agency, other_agency], indicators=indicators
    )


def decide(cycle, indicators, evaluator, levels=LEVELS):
    for indicator, level in zip(indicators, levels, strict=True):
        assessment_services.set_decision(
            cycle, indicator, by=evaluator, level=level, fakta="Fakta.", analisis="Analisis."
        )


@pytest.fixture
def decided(cycle, indicators, evaluator):
    """Every indicator has its agreed level (LEVELS); the result is not final yet."""
    decide(cycle, indicators, evaluator)
    return cycle


@pytest.fixture
def final(decided, coordinator):
    """The hasil evaluasi mandiri is final."""
    assessment_services.finalize_assessment(decided.assessment, by=coordinator)
    return decided


@pytest.fixture
def meeting(cycle, coordinator, leader, other_agency):
    """The coordination meeting: the leader checked in, a walk-in from Dinkes present."""
    meeting = meeting_services.schedule_meeting(
        cycle, by=coordinator, starts_at=STARTS_AT, place=PLACE
    )
    meeting_services.check_in(Attendee.objects.get(meeting=meeting, user=leader), by=coordinator)
    meeting_services.add_attendee(
        meeting, by=coordinator, name="dr. Andi Saputra", position="Sekretaris", agency=other_agency
    )
    return meeting


@pytest.fixture
def berita_acara(final, meeting, coordinator):
    """The Berita Acara prepared (draft)."""
    return services.prepare_report(final, by=coordinator, kind=SignedReport.Kind.BERITA_ACARA)


@pytest.fixture
def consent(final, meeting, coordinator):
    """The Pernyataan Persetujuan Publikasi prepared (draft)."""
    return services.prepare_report(
        final, by=coordinator, kind=SignedReport.Kind.PUBLICATION_CONSENT
    )


@pytest.fixture
def numbered(berita_acara, secretariat):
    return services.number_report(berita_acara, by=secretariat)


@pytest.fixture
def routed(numbered, secretariat):
    return services.route_report_for_signature(numbered, by=secretariat)


def pdf_upload(name="ba-ttd.pdf"):
    """A one-page PDF, as the signed file from TTE / SRIKANDI."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


# The Dokumen Evaluasi's signers (the `people` fixture).
SEKDA = "Dr. Siti Aminah, M.Si."
SEKDA_NIP = "196805121990032002"
KADIS = "Ir. Budi Santoso, M.T."
KADIS_NIP = "197001011995031001"


@pytest.fixture
def people(institution, leader):
    """The Sekda (the one leader) and the head of Diskominfo (the letters' signer), with NIP."""
    leader.full_name = SEKDA
    leader.nip = SEKDA_NIP
    leader.position = "Sekretaris Daerah Kota Pontianak"
    leader.save()
    institution.signer_name = KADIS
    institution.signer_title = "Kepala Dinas Komunikasi dan Informatika Kota Pontianak"
    institution.signer_nip = KADIS_NIP
    institution.save()
