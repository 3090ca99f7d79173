import datetime

import pytest
from django.utils import timezone

from cycles import services as cycle_services
from evidence import services
from evidence.tests.helpers import pdf_bytes, upload
from submissions.models import Submission


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    """The 2026 cycle, its OPD deadline a month away whatever day the tests run."""
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        contact_person=coordinator,
    )


@pytest.fixture
def indicator(framework):
    """Indikator 36, Layanan Kepegawaian."""
    return framework.nodes.get(code="I36")


@pytest.fixture
def submission(cycle, agency, indicator):
    return Submission.objects.create(cycle=cycle, indicator=indicator, agency=agency)


@pytest.fixture
def other_submission(cycle, other_agency, indicator):
    """Dinkes's answer to the same indicator."""
    return Submission.objects.create(cycle=cycle, indicator=indicator, agency=other_agency)


@pytest.fixture
def evidence(submission, agency_user):
    """A PDF "SK Kepegawaian" attached to the answer (letter a)."""
    return services.add_file_evidence(
        submission.cycle,
        submission.agency,
        by=agency_user,
        uploaded_file=upload("sk asli.pdf", pdf_bytes()),
        title="SK Kepegawaian",
        submission=submission,
    )
