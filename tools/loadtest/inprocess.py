"""Single-user server time of the hot pages in-process (Django's test client, no HTTP),
against the login page, on a database with the demo (`manage.py demo`).

    DATABASE_URL=sqlite:////path/db.sqlite3 MEDIA_ROOT=/path/media DEBUG=false SECRET_KEY=x \\
      HTTPS=false ALLOWED_HOSTS=testserver .venv/bin/python tools/loadtest/inprocess.py [-v]

Run from the project folder after `collectstatic`. Prints per page the median of 15
requests (ms), its queries, the status and the ratio to the login page; -v prints each
page's SQL. Used for docs/benchmarks.md's before/after table (the same demo database, the
old code from a `git worktree`).
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cycles.models import Cycle  # noqa: E402
from institutions.models import Agency  # noqa: E402
from submissions.models import Submission  # noqa: E402

VERBOSE = "-v" in sys.argv


def measure(client, url, n=15):
    times = []
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
    if VERBOSE:
        for query in captured.captured_queries:
            print("   ", query["sql"][:200])
    return statistics.median(times) * 1000, len(captured), response.status_code


def login(username):
    client = Client()
    response = client.post("/masuk/", {"username": username, "password": "monev-demo"})
    assert response.status_code == 302, username
    return client


def main():
    cycles = Cycle.objects.filter(institution__slug="pontianak").order_by("-year")
    current, previous = cycles[0], cycles[1]
    floor = measure(Client(), "/masuk/", n=40)
    print(f"{'floor /masuk/':28} {floor[0]:7.2f} ms {floor[1]:3} q  {floor[2]}")

    def row(name, client, url):
        ms, queries, status = measure(client, url)
        print(f"{name:28} {ms:7.2f} ms {queries:3} q  {status}  x{ms / floor[0]:.1f}")

    operator = login("opd-bkd")
    agency = Agency.objects.get(institution=current.institution, short_name="BKD")
    node = Submission.objects.filter(agency=agency, cycle=current).first().indicator_id
    row("home (operator)", operator, "/")
    row("portal", operator, f"/isian/{current.pk}/opd/{agency.pk}/")
    row("indicator page", operator, f"/isian/{current.pk}/opd/{agency.pk}/indikator/{node}/")
    coordinator = login("koordinator")
    row("home (coordinator)", coordinator, "/")
    row("inbox (coordinator)", coordinator, "/kotak-masuk/")
    row("cycle page", coordinator, f"/periode/{current.pk}/")
    row("recap", coordinator, f"/rekap/{current.pk}/")
    row("result (current)", coordinator, f"/hasil/{current.pk}/")
    row("result (previous, final)", coordinator, f"/hasil/{previous.pk}/")
    row("review list", login("evaluator"), f"/isian/{current.pk}/")
    row("home (sekda)", login("sekda"), "/")


if __name__ == "__main__":
    main()
