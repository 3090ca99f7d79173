"""Firing the same POST N times at the same instant at the live server (real threads, real
HTTP, the logged-in session and a CSRF token), for the concurrency tests."""

import datetime
import io
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cycles import services as cycle_services
from submissions import services as submission_services

N = 6
FAKTA = "Perwa 12/2024 Pasal 3."
ANALISIS = "Kriteria tingkat 3 terpenuhi."


def answering_cycle(framework, coordinator, agencies):
    """A cycle in step 4 (deadline in two weeks) where the agencies answer indicators 1 to 3.
    Returns (cycle, indicators)."""
    indicators = list(framework.nodes.filter(code__in=["I1", "I2", "I3"]).order_by("position"))
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=agencies,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={indicator: list(agencies) for indicator in indicators},
    )
    with transaction.atomic():
        for number in (1, 2, 3):
            cycle_services.finish_step(cycle, number, by=coordinator)
        cycle_services.start_step(cycle, 4, by=coordinator)
    return cycle, indicators


def draft(cycle, indicator, agency_user):
    """The operator's saved draft of an answer (level 3)."""
    return submission_services.save_draft(
        cycle,
        indicator,
        agency_user.memberships.get().agency,
        by=agency_user,
        level=3,
        fakta=FAKTA,
        analisis=ANALISIS,
        version=0,
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer we count


def session_headers(client, user):
    """A logged-in session cookie and a matching CSRF cookie and header."""
    client.force_login(user)
    token = secrets.token_hex(16)  # 32 characters, as Django's CSRF secret
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    return {"Cookie": cookie, "X-CSRFToken": token}


def multipart(fields, files):
    boundary = secrets.token_hex(12)
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        )
        body.write(f"{value}\r\n".encode())
    for name, (filename, content) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def fire(live_server, path, headers, data=None, files=None):
    """POST the same request N times at the same instant; the status codes, in order."""
    return fire_each(live_server, path, headers, [(data, files)] * N)


def fire_each(live_server, path, headers, bodies):
    """POST each (data, files) of `bodies` at the same instant, one thread each; the status
    codes, in order."""
    opener = urllib.request.build_opener(NoRedirect)
    start = threading.Barrier(len(bodies))

    def send(body):
        data, files = body
        if files:
            payload, content_type = multipart(data or {}, files)
        else:
            payload = urllib.parse.urlencode(data or {}, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            live_server.url + path,
            data=payload,
            headers={**headers, "Content-Type": content_type},
            method="POST",
        )
        start.wait()
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies))


def print_table(table, what):
    """Print [(endpoint, statuses, what happened)] as a Markdown table (seen with -s)."""
    print(f"\n\nConcurrency on {connection.vendor}: {N} identical requests at once per endpoint")
    print(f"| endpoint | N simultaneous | statuses seen | {what} |")
    print("|---|---|---|---|")
    for endpoint, statuses, rows in table:
        seen = ", ".join(f"{code}×{statuses.count(code)}" for code in sorted(set(statuses)))
        print(f"| {endpoint} | {N} | {seen} | {rows} |")


def check(table, endpoint, statuses, changes, *, allowed):
    """Note what was seen in `table`; no 5xx, and every status one of `allowed`."""
    table.append((endpoint, statuses, changes))
    assert [code for code in statuses if code >= 500] == []
    assert set(statuses) <= set(allowed), statuses


@pytest.fixture(autouse=True)
def tmp_media(settings, tmp_path):
    """Uploaded and generated files go to the test's own folder, for every test of a module
    that takes it (`_media = firing.tmp_media`)."""
    settings.MEDIA_ROOT = tmp_path / "media"


class Results:
    """What one concurrency module saw, printed as one table after its tests (with -s)."""

    def __init__(self, what):
        self.rows, self.what = [], what

    def check(self, endpoint, statuses, changes, *, allowed):
        check(self.rows, endpoint, statuses, changes, allowed=allowed)

    def printer(self):
        """The module-scoped autouse fixture that prints the table at the module's end."""

        @pytest.fixture(scope="module", autouse=True)
        def print_results():
            yield
            print_table(self.rows, self.what)

        return print_results
