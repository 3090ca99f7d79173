"""The API against its own schema (schemathesis): the schema is loaded from the running app
(/api/schema/ through WSGI), then every operation is called with generated data, valid and
invalid, by a coordinator and by an OPD operator, each with a real personal token, on a
database holding a cycle in progress (letters drafted, answers saved and submitted, evidence
uploaded). Every answer must be no 5xx and must match the schema: status code, content type
and body. Writes are included: a 4xx is a fine answer to nonsense, a 500 never is.

Bounded for CI (both SQLite and PostgreSQL): a few examples per operation, derandomized so a
failure is reproducible, no shrinking."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cycles import services as cycle_services
from evidence import services as evidence_services
from evidence.tests.helpers import pdf_bytes, upload
from institutions.services.tokens import create_api_token
from letters import services as letter_services
from monev.testing import api_client
from submissions import services as submission_services
from submissions.tests.conftest import start_collection

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 6


def open_in_step_4(framework, coordinator, agency, other_agency):
    """2026, deadline in two weeks, steps 1-3 done and step 4 (the OPDs answer) running:
    BKPSDM answers indicators 1 and 2, Dinkes indicator 1. Returns (cycle, {code: node})."""
    nodes = {node.code: node for node in framework.nodes.filter(code__in=["I1", "I2"])}
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={nodes["I1"]: [agency, other_agency], nodes["I2"]: [agency]},
    )
    start_collection(cycle, coordinator)
    return cycle, nodes


@pytest.fixture
def cycle_in_progress(
    framework, sop, coordinator, agency, other_agency, agency_user, settings, tmp_path
):
    """Step 4 of 2026: letters drafted; BKPSDM has indicator 1 submitted with a PDF, indicator
    2 a draft; Dinkes nothing yet. Returns the ids of the rows that exist, so the generated
    paths hit real objects and not only 404s."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cycle, nodes = open_in_step_4(framework, coordinator, agency, other_agency)
    letters = letter_services.draft_cycle_letters(cycle, by=coordinator)
    submitted = submission_services.save_draft(
        cycle,
        nodes["I1"],
        agency,
        by=agency_user,
        level=3,
        fakta="Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3 dan 4.",
        analisis="Pasal 3 dan 4 memuat referensi dan keenam domain Arsitektur SPBE.",
        version=0,
    )
    evidence = evidence_services.add_file_evidence(
        cycle,
        agency,
        by=agency_user,
        uploaded_file=upload("Perwa-12-2024.pdf", pdf_bytes(2)),
        title="Perwa 12/2024 tentang Arsitektur SPBE",
        submission=submitted,
    )
    submission_services.submit_submission(submitted, by=agency_user)
    draft = submission_services.save_draft(
        cycle,
        nodes["I2"],
        agency,
        by=agency_user,
        level=2,
        fakta="Peta rencana SPBE dalam penyusunan.",
        analisis="",
        version=0,
    )
    rows = [cycle, *letters, submitted, draft, evidence, *evidence.revisions.all()]
    rows += [*cycle.assignments.all(), agency, other_agency]
    rows += [agency_user, coordinator, *nodes.values()]
    return sorted({row.pk for row in rows})


@pytest.fixture(params=["coordinator", "agency_user"])
def caller(request, cycle_in_progress):
    return request.getfixturevalue(request.param)


@pytest.fixture
def token(caller):
    _token, text = create_api_token(by=caller, name="schemathesis")
    return text


@pytest.fixture
def wsgi_app():
    """The app called in this thread, inside the test's transaction: as Django's test client
    does, a request does not close the database connection when it ends. Each request in a
    savepoint: on PostgreSQL a request that fails in the database (a 500 to report) must
    not leave the test's transaction aborted for every request after it."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    atomic = connection.settings_dict["ATOMIC_REQUESTS"]
    connection.settings_dict["ATOMIC_REQUESTS"] = True
    yield get_wsgi_application()
    connection.settings_dict["ATOMIC_REQUESTS"] = atomic
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(token, wsgi_app, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, headers=auth(token))


def auth(token):
    # Uncompressed: the WSGI transport hands the checks the body as the app sent it.
    return {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}


def real_ids(case, ids):
    """Most generated ids in the path become ids of rows that exist (picked by the generated
    value, so the run stays reproducible); one in four is left as generated (mostly a 404)."""
    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, int) and value % 4:
            case.path_parameters[name] = ids[value % len(ids)]


def operation_problems(operation, token, ids):
    """The first failing case of `operation` as text, or None: EXAMPLES_PER_OPERATION valid
    and as many invalid requests."""
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=2 * EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        real_ids(case, ids)
        case.call_and_validate(headers=auth(token), checks=CHECKS)

    try:
        call()
    except (Exception, FailureGroup) as failure:  # a check's failure, or the app's error
        return f"{operation.label}: {failure}"
    return None


def test_api_answers_match_the_schema(api_schema, token, cycle_in_progress):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    writes = [op for op in operations if op.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}]
    assert len(operations) >= 5 and writes  # the schema is the app's, with its writes
    problems = [operation_problems(op, token, cycle_in_progress) for op in operations]
    problems = [problem for problem in problems if problem]
    if problems:
        count = f"{len(problems)} of {len(operations)} operations"
        pytest.fail(f"{count}:\n\n" + "\n\n".join(problems))


def test_unmatched_api_address_is_problem_details(client, db):
    """An address under /api/ that no route matches (/agencies/false/) answers as every
    other API error; a page's address keeps the HTML page."""
    response = client.get("/api/v1/agencies/false/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
    assert response.json() == {
        "type": "about:blank",
        "title": "Tidak ditemukan",
        "status": 404,
        "detail": "Objek tidak ditemukan.",
    }
    assert client.get("/no-such-page/")["Content-Type"] == "text/html; charset=utf-8"


def test_schema_declares_problem_answers(client, db):
    schema = client.get("/api/schema/?format=json").json()
    revoke = schema["paths"]["/api/v1/tokens/{id}/revoke/"]["post"]["responses"]
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert {code: revoke[code]["content"] for code in ("401", "404", "412")} == {
        "401": problem,
        "404": problem,
        "412": problem,
    }


def test_if_match_takes_the_etag_gzip_weakened(
    framework, sop, coordinator, agency, other_agency, agency_user
):
    """A client that accepts gzip (every HTTP library) reads the ETag as GZipMiddleware
    weakens it (W/"1"); sent back in If-Match it still names the version."""
    cycle, nodes = open_in_step_4(framework, coordinator, agency, other_agency)
    answer = submission_services.save_draft(
        cycle, nodes["I1"], agency, by=agency_user, level=1, fakta="", analisis="", version=0
    )
    api = api_client(agency_user)
    url = f"/api/v1/submissions/{answer.pk}/"
    etag = api.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert etag == f'W/"{answer.version}"'
    draft = {"level": 2, "fakta": "Perwa 12/2024.", "analisis": ""}
    saved = api.put(url, draft, format="json", HTTP_IF_MATCH=etag)
    assert (saved.status_code, saved["ETag"]) == (200, f'"{answer.version + 1}"')
    stale = api.put(url, draft, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
