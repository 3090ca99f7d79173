"""Single-user cost of the hot pages in-process (Django's test client, no HTTP), against the
login page, on a database with the demo (`manage.py demo`) or the city data
(`manage.py generate_scale --city`, or a copy of the load test's cached data).

    DATABASE_URL=sqlite:////path/db.sqlite3 MEDIA_ROOT=/path/media DEBUG=false SECRET_KEY=x \\
      HTTPS=false ALLOWED_HOSTS=testserver .venv/bin/python tools/loadtest/inprocess.py \\
      [--institution pontianak] [--operator opd-bkd] [-v]

City data: `--institution skala-01 --operator opd-bkpsdm`. Run from the project folder
after `collectstatic`. Prints per page, over 15 requests after 3 to warm up: the median
time (ms), the median CPU time of this process's thread (ms: the Python and, on SQLite,
the database), on PostgreSQL the mean CPU time of the server process serving the
connection (ms, read from /proc: the server must run on this machine), the queries, the
status and the time's ratio to the login page; -v prints each page's SQL. The CPU times
are steadier than the times on a shared machine. Used for docs/benchmarks.md's before/after
tables (the same database, the old code from a `git worktree`).
"""

import argparse
import os
import re
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
from institutions.models import Role, User  # noqa: E402
from submissions.models import Submission  # noqa: E402

PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--institution", default="pontianak", help="the institution's slug")
PARSER.add_argument("--operator", default="opd-bkd", help="an OPD operator's user name")
PARSER.add_argument("-v", action="store_true", help="print each page's SQL")
VERSION = re.compile(rb'name="version" value="(\d+)"')


def server_cpu():
    """CPU seconds of the PostgreSQL server process of this connection (None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(request, n=15, verbose=False):
    """(median ms, median thread CPU ms, server CPU ms per request or None, queries, status)."""
    for _ in range(3):
        request()
    times, cpu = [], []
    server_before = server_cpu()
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.thread_time()
            response = request()
            times.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - started_cpu)
    server_after = server_cpu()
    server = None if server_before is None else (server_after - server_before) * 1000 / n
    if verbose:
        for query in captured.captured_queries:
            print("   ", query["sql"][:200])
    median = statistics.median
    return median(times) * 1000, median(cpu) * 1000, server, len(captured), response.status_code


def login(username):
    client = Client()
    response = client.post("/masuk/", {"username": username, "password": "monev-demo"})
    assert response.status_code == 302, username
    return client


def autosave(client, path):
    """A request function that autosaves the answer at `path` (new text each time)."""
    page = client.get(path).content
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    state = {"version": int(VERSION.search(page).group(1)), "count": 0}

    def request():
        state["count"] += 1
        response = client.post(
            f"{path}simpan/",
            {
                "csrfmiddlewaretoken": token,
                "version": state["version"],
                "level": "",
                "fakta": f"FAKTA, ketikan ke-{state['count']}",
                "analisis": "ANALISIS",
            },
            HTTP_HX_REQUEST="true",
        )
        state["version"] = int(VERSION.search(response.content).group(1))
        return response

    return request


def main():
    options = PARSER.parse_args()
    cycles = Cycle.objects.filter(institution__slug=options.institution).order_by("-year")
    current, previous = cycles[0], cycles[1]
    floor_client = Client()
    floor = measure(lambda: floor_client.get("/masuk/"), n=40)
    print(f"{'page':28} {'ms':>7} {'cpu':>7} {'server':>7}  q  status")

    def row(name, request):
        ms, cpu, server, queries, status = measure(request, verbose=options.v)
        server_text = "—" if server is None else f"{server:.2f}"
        print(
            f"{name:28} {ms:7.2f} {cpu:7.2f} {server_text:>7} {queries:3}  {status}"
            f"  x{ms / floor[0]:.1f}"
        )

    def get(client, url):
        return lambda: client.get(url)

    row("floor /masuk/", lambda: floor_client.get("/masuk/"))
    operator = login(options.operator)
    agency = User.objects.get(username=options.operator).memberships.get(role=Role.AGENCY).agency
    portal = f"/isian/{current.pk}/opd/{agency.pk}/"
    draft = Submission.objects.filter(
        agency=agency, cycle=current, status=Submission.Status.DRAFT
    ).first()
    node = (draft or Submission.objects.filter(agency=agency, cycle=current).first()).indicator_id
    row("home (operator)", get(operator, "/"))
    row("portal", get(operator, portal))
    row("indicator page", get(operator, f"{portal}indikator/{node}/"))
    if draft is not None:
        row("autosave", autosave(operator, f"{portal}indikator/{node}/"))
    coordinator = login("koordinator")
    row("home (coordinator)", get(coordinator, "/"))
    row("inbox (coordinator)", get(coordinator, "/kotak-masuk/"))
    row("cycle page", get(coordinator, f"/periode/{current.pk}/"))
    row("recap", get(coordinator, f"/rekap/{current.pk}/"))
    row("result (current)", get(coordinator, f"/hasil/{current.pk}/"))
    row("result (previous, final)", get(coordinator, f"/hasil/{previous.pk}/"))
    row("review list", get(login("evaluator"), f"/isian/{current.pk}/"))
    row("home (sekda)", get(login("sekda"), "/"))


if __name__ == "__main__":
    main()
