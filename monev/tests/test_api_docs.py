"""docs/api.md's example runs as written: its code, taken from the document, uploads an
OPD's data dukung and submits its answers through a running server (live_server), with a
real token of the OPD's operator."""

import hashlib
import re
from pathlib import Path

import pytest

from evidence.models import EvidenceRevision
from evidence.tests.helpers import pdf_bytes
from institutions.services.tokens import create_api_token
from monev.tests.test_api_schema import open_in_step_4
from submissions import services as submission_services
from submissions.models import Submission

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"

pytestmark = pytest.mark.django_db(transaction=True)


def example_code():
    """The first Python block under the document's "Example" heading."""
    text = DOC.read_text()
    section = text[text.index("\n## Example") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_example_uploads_and_submits(
    live_server, framework, sop, coordinator, agency, other_agency, agency_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    cycle, nodes = open_in_step_4(framework, coordinator, agency, other_agency)
    # I2 has a draft already: the example then saves over its version (If-Match).
    submission_services.save_draft(
        cycle, nodes["I2"], agency, by=agency_user, level=1, fakta="", analisis="", version=0
    )
    pdf = tmp_path / "Perwa-12-2024.pdf"
    pdf.write_bytes(pdf_bytes(2))
    _token, token = create_api_token(by=agency_user, name="SIMPEG BKPSDM")
    namespace = {}
    exec(compile(example_code(), str(DOC), "exec"), namespace)

    for code in ("I1", "I2"):
        answer = namespace["upload_and_submit"](
            live_server.url,
            token,
            cycle=cycle.pk,
            indicator_code=code,
            level=3,
            fakta="Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3 dan 4.",
            analisis="Pasal 3 dan 4 memuat referensi dan keenam domain Arsitektur SPBE.",
            files=[str(pdf)],
        )
        stored = Submission.objects.get(cycle=cycle, agency=agency, indicator=nodes[code])
        assert (answer["id"], answer["status"]) == (stored.pk, "submitted")
        assert (stored.status, stored.level, stored.updated_by) == ("submitted", 3, agency_user)
        revisions = EvidenceRevision.objects.filter(evidence__submissions=stored)
        assert [(r.evidence.title, r.sha256) for r in revisions] == [
            ("Perwa-12-2024", hashlib.sha256(pdf.read_bytes()).hexdigest())
        ]


def test_the_example_raises_the_servers_message(live_server, framework, agency_user):
    """A refused call stops the script with the problem's words."""
    _token, token = create_api_token(by=agency_user, name="SIMPEG BKPSDM")
    namespace = {}
    exec(compile(example_code(), str(DOC), "exec"), namespace)
    with pytest.raises(RuntimeError, match="^I1 is not assigned to the OPD in cycle 999999$"):
        namespace["upload_and_submit"](
            live_server.url,
            token,
            cycle=999999,
            indicator_code="I1",
            level=3,
            fakta="-",
            analisis="-",
            files=[],
        )
    with pytest.raises(RuntimeError, match="^401 "):
        namespace["upload_and_submit"](
            live_server.url,
            "monev_revoked",
            cycle=1,
            indicator_code="I1",
            level=3,
            fakta="-",
            analisis="-",
            files=[],
        )
