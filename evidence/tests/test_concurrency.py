"""Real simultaneous requests (threads, HTTP to the live server, monev.tests.firing): files
uploaded at once from two tabs before the answer exists create one answer, never a 500."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from evidence.tests.helpers import pdf_bytes
from monev.tests.firing import fire, fire_each, session_headers
from submissions.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_three_files_from_two_tabs_create_one_answer(
    live_server, client, cycle, agency, agency_user, indicator
):
    path = reverse("evidence_answer_upload", args=[cycle.pk, agency.pk, indicator.pk])
    bodies = [
        ({}, {"file": (f"berkas-{tab}-{number}.pdf", pdf_bytes() + f"{tab}{number}".encode())})
        for tab in (1, 2)
        for number in (1, 2, 3)
    ]

    statuses = fire_each(live_server, path, session_headers(client, agency_user), bodies)

    assert statuses == [302] * 6
    submission = Submission.objects.get()
    assert (submission.status, submission.version) == ("draft", 0)
    assert submission.evidence.count() == 6
    assert AuditEvent.objects.filter(action="submission.draft_created").count() == 1


def test_the_same_file_six_times_at_once_is_stored_once(
    live_server, client, cycle, agency, agency_user, indicator
):
    path = reverse("evidence_answer_upload", args=[cycle.pk, agency.pk, indicator.pk])
    statuses = fire(
        live_server,
        path,
        session_headers(client, agency_user),
        files={"file": ("sk.pdf", pdf_bytes())},
    )
    assert statuses == [302] * 6
    assert Submission.objects.get().evidence.count() == 1
