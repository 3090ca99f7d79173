"""Downloads of the meeting's documents: never regenerated silently (issue 11), and two
simultaneous first downloads store one Document (threads against the live server)."""

import hashlib
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.test import Client

from documents.models import Document
from meetings import services
from meetings.models import Meeting


def _get(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_downloads_store_one_document(live_server, meeting, secretariat):
    client = Client()
    client.force_login(secretariat)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"{live_server.url}/rapat/{meeting.cycle_id}/notulen.pdf"

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: _get(url, cookie), range(4)))

    source = services.document_source(meeting, "minutes")
    assert Document.objects.filter(source=source).count() == 1
    assert [status for status, _body in answers] == [200, 200, 200, 200]
    stored = Document.objects.get(source=source)
    assert {hashlib.sha256(body).hexdigest() for _status, body in answers} == {stored.sha256}


def test_a_download_makes_a_new_version_only_when_the_meeting_changed(meeting, secretariat):
    first = services.minutes_document(meeting, by=secretariat)
    again = services.minutes_document(Meeting.objects.get(pk=meeting.pk), by=secretariat)
    services.save_minutes(meeting, by=secretariat, text="1. Dibuka.", version=0)
    changed = services.minutes_document(Meeting.objects.get(pk=meeting.pk), by=secretariat)
    assert (again.pk, changed.version) == (first.pk, 2)
