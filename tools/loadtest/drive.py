"""The three phases of the load test against a running server; run by scripts/loadtest.

    .venv/bin/python tools/loadtest/drive.py --base http://127.0.0.1:PORT --plan PLAN.json \
        --users 200 --duration 60 --repeat 20 --server-pid PID --confirmed FILE --out RESULT.json

1. Single user, sequential: each hot page `--repeat` times after one untimed warm-up request
   (the login page first, as the floor), on an otherwise idle server. Times are wall-clock
   times of each request over loopback, measured by this client (a new connection each time:
   gunicorn's sync workers close it). Median and p95 per page, ratio to the floor's median.
2. The floor under load: `--users` anonymous users only GET /masuk/ for `--duration` s.
3. The deadline mix (tools/loadtest/locustfile.py): `--users` users, a tenth of them
   coordinators, the rest OPD operators; all log in first (not measured), then `--duration`
   s of the mix. At the end each user finishes the request it is in (so every write the
   server made was answered and logged) and stops.

Prints the tables and the issue's targets, writes everything to `--out` as JSON.
"""

import locust  # noqa: F401, I001  (first: it patches the standard library for gevent)

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

import gevent
import requests
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from locustfile import (  # noqa: E402
    CSRF,
    RUN,
    Answer,
    CoordinatorUser,
    FloorUser,
    OperatorUser,
)

HTMX = {"HX-Request": "true"}
# The targets (issue 14, item 4).
OPD_PAGES = ("home (operator)", "portal", "indicator page", "autosave")
RESULT_PAGES = ("recap", "result page")
OPD_LIMIT, RESULT_LIMIT, THROUGHPUT_SHARE = 5, 10, 0.25


# --- Phase 1: one user, one request at a time ------------------------------------------


class PageError(Exception):
    """A request of phase 1 did not get the expected answer."""


class Browser:
    def __init__(self, base):
        self.base = base
        self.session = requests.Session()

    def get(self, path, expect=200):
        response = self.session.get(self.base + path, allow_redirects=False, timeout=120)
        if response.status_code != expect:
            raise PageError(f"GET {path}: HTTP {response.status_code}, expected {expect}")
        return response

    def post(self, path, data, expect=200, headers=None):
        response = self.session.post(
            self.base + path, data=data, headers=headers, allow_redirects=False, timeout=120
        )
        if response.status_code != expect:
            raise PageError(f"POST {path}: HTTP {response.status_code}, expected {expect}")
        return response

    def log_in(self, username, password):
        token = CSRF.search(self.get("/masuk/").text).group(1)
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        self.post("/masuk/", fields, expect=302)
        return self


def timed(action, repeat):
    """Milliseconds of `repeat` calls of action(i), after one untimed call (i = -1). An action
    that times itself (a submit, after reading its page) returns its milliseconds."""
    action(-1)
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        own = action(i)
        times.append(own if own is not None else (time.perf_counter() - start) * 1000)
    return times


def warm_up(reads, workers):
    """Every page a few times at once from several clients, so that each worker has served
    it before the timed requests (a worker's first request of a page loads code and
    templates)."""
    jobs = []
    for browser, path in reads:
        for _ in range(2 * workers):
            clone = Browser(browser.base)
            clone.session.cookies.update(browser.session.cookies)
            jobs.append(gevent.spawn(clone.get, path))
    gevent.joinall(jobs)  # a page that fails is reported when it is timed


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def single_user(base, plan, repeat, workers):
    """Phase 1. Returns {page: [ms, ...]} and the (agency, indicator) pairs it handed in."""
    password = plan["password"]
    institution = plan["institutions"][0]
    cycle, previous = institution["cycle"], institution["previous"]
    agencies = sorted(institution["agencies"], key=lambda a: -len(a["indicators"]))
    agency = agencies[0]

    def portal_of(agency):
        return f"/isian/{cycle}/opd/{agency['pk']}/"

    def page_of(agency, indicator):
        return f"{portal_of(agency)}indikator/{indicator}/"

    indicator = agency["indicators"][0]
    portal, page = portal_of(agency), page_of(agency, indicator)
    anonymous = Browser(base)
    operator = Browser(base).log_in(agency["accounts"][0], password)
    coordinator = Browser(base).log_in(institution["coordinators"][0], password)
    reads = {
        "floor /masuk/": (anonymous, "/masuk/"),
        "home (operator)": (operator, "/"),
        "portal": (operator, portal),
        "indicator page": (operator, page),
        "home (coordinator)": (coordinator, "/"),
        "inbox": (coordinator, "/kotak-masuk/"),
        "cycle page": (coordinator, f"/periode/{cycle}/"),
        "recap": (coordinator, f"/rekap/{cycle}/"),
    }
    if previous:
        reads["result page"] = (coordinator, f"/hasil/{previous}/")
        screen = f"/hasil/{previous}/rapat/{institution['meeting_indicator']}/"
        reads["meeting mode screen"] = (coordinator, screen)
    warm_up(reads.values(), workers)

    times, failures = {}, {}

    def measure(name, action, count=repeat):
        """Time action(i) `count` times; a wrong answer is reported and the page skipped."""
        try:
            times[name] = timed(action, count)
        except PageError as error:
            print(f"   {name}: FAILED: {error}")
            failures[name] = str(error)

    def read(name):
        browser, path = reads[name]

        def fetch(i):
            browser.get(path)

        measure(name, fetch)

    for name in ("floor /masuk/", "home (operator)", "portal", "indicator page"):
        read(name)
    answer = Answer(cycle, agency["pk"], indicator, operator.get(page).text)

    def autosave(i):
        response = operator.post(f"{page}simpan/", answer.type_more(), headers=HTMX)
        if not answer.saved(response.text):
            raise PageError(f"autosave not confirmed: {response.text[:300]!r}")

    measure("autosave", autosave)

    def upload(i):
        # The 1 MB file is made before the clock starts: only the request is timed.
        body, headers, sha256 = answer.upload_post()
        start = time.perf_counter()
        response = operator.post(answer.upload_url, body, headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        if "message-success" not in response.text:
            raise PageError(f"upload not stored: {response.text[:300]!r}")
        answer.record("upload", sha256=sha256)
        return elapsed

    # The panel's form posts to the saved answer's URL once the autosave created it.
    answer = Answer(cycle, agency["pk"], indicator, operator.get(page).text)
    measure("upload 1 MB", upload)

    # Hand in answers: each agency keeps at least one open answer for the mix.
    to_submit = [
        (candidate, number)
        for candidate in agencies
        for number in candidate["indicators"][1:]
        if number != indicator
    ][: repeat + 1]
    sessions = {agency["accounts"][0]: operator}

    def submit(i):
        candidate, number = to_submit[i + 1]
        account = candidate["accounts"][0]
        if account not in sessions:
            sessions[account] = Browser(base).log_in(account, password)
        browser = sessions[account]
        form = Answer(cycle, candidate["pk"], number, browser.get(page_of(candidate, number)).text)
        start = time.perf_counter()
        response = browser.post(f"{form.path}ajukan/", form.form(), expect=302)
        elapsed = (time.perf_counter() - start) * 1000
        if response.headers["Location"] != portal_of(candidate):
            raise PageError(f"submit of {number} went to {response.headers['Location']}")
        form.record("submit", **form.values())
        return elapsed

    if len(to_submit) > 1:
        measure("submit", submit, len(to_submit) - 1)

    for name in list(reads)[4:]:
        read(name)
    submitted = {(c["pk"], number) for c, number in to_submit}
    return times, failures, submitted


# --- Phases 2 and 3: many users ----------------------------------------------------------


def slots(plan, users, submitted):
    """(operator slots, coordinator slots) for `users` users: a tenth coordinators (at least
    one), the operators spread over the OPDs in turn and over each OPD's accounts; the users
    of one OPD split its open answers (each has the answers to itself when there are enough,
    `exclusive`; otherwise several share one and none hands it in)."""
    coordinators = max(1, users // 10)
    operators = users - coordinators
    # The OPDs in turn by institution (the first OPD of each, then the second, …), so
    # that on a province fewer users than OPDs still cover every institution.
    by_institution = [
        [(institution, agency) for agency in institution["agencies"]]
        for institution in plan["institutions"]
    ]
    agencies = [pair for row in itertools.zip_longest(*by_institution) for pair in row if pair]
    per_agency = {}
    for i in range(operators):
        per_agency.setdefault(i % len(agencies), []).append(i)
    operator_slots = []
    for index, members in sorted(per_agency.items()):
        institution, agency = agencies[index]
        open_answers = [n for n in agency["indicators"] if (agency["pk"], n) not in submitted]
        exclusive = len(members) <= len(open_answers)
        for j, _member in enumerate(members):
            share = open_answers[j :: len(members)] or [open_answers[j % len(open_answers)]]
            operator_slots.append(
                (
                    (j, index),
                    {
                        "account": agency["accounts"][j % len(agency["accounts"])],
                        "cycle": institution["cycle"],
                        "agency": agency["pk"],
                        "indicators": share,
                        "exclusive": exclusive,
                    },
                )
            )
    staff = [(i, name) for i in plan["institutions"] for name in i["coordinators"]]
    coordinator_slots = [
        {"account": staff[k % len(staff)][1], "cycle": staff[k % len(staff)][0]["cycle"]}
        for k in range(coordinators)
    ]
    # In turn by OPD, so that users started first (or alone) cover every OPD.
    return [slot for _key, slot in sorted(operator_slots, key=lambda pair: pair[0])], (
        coordinator_slots
    )


def run_users(base, user_classes, users, duration, spawn_rate, login_timeout):
    """Start the users, wait until every one has logged in (those that log in), measure
    `duration` s, stop them gracefully. Returns (rows, errors, ramp-up facts)."""
    env = Environment(user_classes=user_classes, host=base)
    runner = env.create_local_runner()
    RUN.start.clear()
    RUN.stopping = False
    RUN.logged_in = RUN.login_failures = 0
    logging_in = any(cls is not FloorUser for cls in user_classes)
    ramp_start = time.monotonic()
    runner.start(users, spawn_rate=spawn_rate)
    while not runner.spawning_greenlet.ready() or (
        logging_in and RUN.logged_in + RUN.login_failures < users
    ):
        if time.monotonic() - ramp_start > login_timeout:
            print(
                f"   ramp-up not complete after {login_timeout:.0f} s: {runner.user_count} users, "
                f"{RUN.logged_in} logged in, {RUN.login_failures} login failures; measuring anyway"
            )
            break
        gevent.sleep(0.2)
    ramp = {
        "seconds": round(time.monotonic() - ramp_start, 1),
        "logged_in": RUN.logged_in,
        "login_failures": RUN.login_failures,
        "login": _row(env.stats.get("login", "POST"), 1) if logging_in else None,
        "errors": _errors(env),
    }
    env.stats.reset_all()
    RUN.start.set()
    window_start = time.monotonic()
    gevent.sleep(duration)
    window = time.monotonic() - window_start
    rows = [_row(entry, window) for entry in env.stats.entries.values() if entry.num_requests]
    total = _row(env.stats.total, window)
    errors = _errors(env)
    RUN.stopping = True
    drain_start = time.monotonic()
    while any(not g.dead for g in runner.user_greenlets) and time.monotonic() - drain_start < 200:
        gevent.sleep(0.2)
    runner.quit()
    ramp["drain_seconds"] = round(time.monotonic() - drain_start, 1)
    return sorted(rows, key=lambda row: -row["count"]), total, errors, ramp


def _errors(env):
    return [
        {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
        for e in env.stats.errors.values()
    ]


def _row(entry, window):
    if entry is None or not entry.num_requests:
        return None
    return {
        "name": entry.name,
        "count": entry.num_requests,
        "rps": round(entry.num_requests / window, 1),
        "p50": entry.get_response_time_percentile(0.5),
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
        "errors": entry.num_failures,
    }


# --- Memory of the gunicorn workers ---------------------------------------------------------


def worker_rss(master):
    """{pid: RSS in MB} of the gunicorn master's child processes."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        found[int(stat.parent.name)] = round(kb / 1024, 1)
    return found


# --- Report ----------------------------------------------------------------------------------


def print_table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    for line in [header, *rows]:
        print(
            "  "
            + "  ".join(
                str(x).rjust(w) if i else str(x).ljust(w)
                for i, (x, w) in enumerate(zip(line, widths, strict=True))
            )
        )


def verdict(ok):
    return "PASS" if ok else "FAIL"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--confirmed", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--label", default="", help="data and database, for the report")
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text())
    RUN.password = plan["password"]
    RUN.confirmed = open(args.confirmed, "a")  # noqa: SIM115 (open for the whole run)
    result = {"label": args.label, "users": args.users, "duration": args.duration}

    print(f"== Phase 1: single user, sequential, {args.repeat} requests per page")
    times, failures, submitted = single_user(args.base, plan, args.repeat, args.workers)
    floor = statistics.median(times["floor /masuk/"])
    single = {
        page: {
            "median": round(statistics.median(values), 2),
            "p95": round(percentile(values, 0.95), 2),
            "ratio": round(statistics.median(values) / floor, 1),
            "n": len(values),
        }
        for page, values in times.items()
    }
    result["single_user"], result["single_user_failures"] = single, failures
    print_table(
        "Single user (ms, client-measured over loopback)",
        ("page", "n", "median", "p95", "x floor"),
        [
            (p, s["n"], f"{s['median']:.1f}", f"{s['p95']:.1f}", s["ratio"])
            for p, s in single.items()
        ],
    )

    # Memory before the load: the workers have served every page (phase 1).
    result["rss_before"] = worker_rss(args.server_pid)
    # Logins cost ~0.3 s of CPU each (the password hash): generous, but bounded.
    timeout = max(120, args.users / args.spawn_rate + args.users * 1.5)
    print(f"\n== Phase 2: the floor under load, {args.users} users, {args.duration:.0f} s")
    rows, floor_total, errors, ramp = run_users(
        args.base, [FloorUser], args.users, args.duration, min(args.users, 100), timeout
    )
    result["floor"] = {"total": floor_total, "errors": errors}
    _print_rows("Floor under load (ms)", rows)

    print(f"\n== Phase 3: the deadline mix, {args.users} users, {args.duration:.0f} s")
    RUN.operators, RUN.coordinators = slots(plan, args.users, submitted)
    CoordinatorUser.fixed_count = len(RUN.coordinators)
    OperatorUser.fixed_count = len(RUN.operators)
    rows, total, errors, ramp = run_users(
        args.base,
        [OperatorUser, CoordinatorUser],
        args.users,
        args.duration,
        args.spawn_rate,
        timeout,
    )
    print(
        f"   ramp-up (logins, not measured): {ramp['logged_in']} users logged in in "
        f"{ramp['seconds']} s, {ramp['login_failures']} failed; "
        f"stopping took {ramp['drain_seconds']} s"
    )
    for error in ramp["errors"]:
        print(f"   ramp-up error x{error['count']}: {error['error'][:200]}")
    result["mix"] = {"rows": rows, "total": total, "errors": errors, "ramp_up": ramp}
    _print_rows("Deadline mix (ms)", [*rows, {**total, "name": "all"}])
    for error in errors:
        print(
            f"   error x{error['count']}: {error['method']} {error['name']}: {error['error'][:200]}"
        )
    result["rss_after"] = worker_rss(args.server_pid)

    throughput = total["rps"] / floor_total["rps"]
    p95_ratio = total["p95"] / floor_total["p95"]
    result["ratios"] = {"throughput": round(throughput, 3), "p95": round(p95_ratio, 1)}
    print(
        f"\nFloor {floor_total['rps']} req/s, p95 {floor_total['p95']} ms; mix {total['rps']} "
        f"req/s, p95 {total['p95']} ms -> throughput {throughput:.2f} of the floor, "
        f"p95 {p95_ratio:.1f}x"
    )
    print_table(
        "Gunicorn workers, RSS in MB, before the load (after phase 1) and after the mix",
        ("worker", "before", "after"),
        [
            (pid, result["rss_before"].get(pid, "-"), result["rss_after"].get(pid, "-"))
            for pid in sorted(set(result["rss_before"]) | set(result["rss_after"]))
        ],
    )
    result["targets"] = targets(single, failures, args.users, throughput, total, args.label)
    Path(args.out).write_text(json.dumps(result, indent=1))
    print(f"\nResult: {args.out}")


def _print_rows(title, rows):
    print_table(
        title,
        ("request", "count", "req/s", "p50", "p95", "p99", "errors"),
        [
            (r["name"], r["count"], r["rps"], r["p50"], r["p95"], r["p99"], r["errors"])
            for r in rows
        ],
    )


def targets(single, failures, users, throughput, total, label):
    """The issue's targets, each with pass/fail and where it applies."""
    checks = [(f"{page} answers (single user)", error, False) for page, error in failures.items()]
    for page in OPD_PAGES:
        if page in single:
            ratio = single[page]["ratio"]
            checks.append(
                (f"{page} <= {OPD_LIMIT}x floor (single user)", ratio, ratio <= OPD_LIMIT)
            )
    for page in RESULT_PAGES:
        if page in single:
            ratio = single[page]["ratio"]
            name = f"{page} <= {RESULT_LIMIT}x floor (single user; the target is for city data)"
            checks.append((name, ratio, ratio <= RESULT_LIMIT))
    name = f"mix throughput >= {THROUGHPUT_SHARE:.0%} of the floor's (the target is at 200 users)"
    checks.append((name, f"{throughput:.0%} at {users}", throughput >= THROUGHPUT_SHARE))
    name = "0 errors in the mix (the target is at 50 users, PostgreSQL and SQLite)"
    checks.append((name, f"{total['errors']} at {users} ({label})", total["errors"] == 0))
    print("\nTargets (issue 14, item 4)")
    for name, value, ok in checks:
        print(f"  {verdict(ok)}  {name}: {value}")
    return [{"target": name, "value": value, "pass": ok} for name, value, ok in checks]


if __name__ == "__main__":
    main()
