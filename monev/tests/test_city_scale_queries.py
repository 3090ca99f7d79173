"""Every hot page reads a fixed number of queries on data built like a real installation
(demo.scale, the data `manage.py generate_scale` makes through the services): the same for a
city of 3 OPDs as for one of 80 OPDs with all 47 indicators assigned, and the same for the
first city before and after a second city's data are in the database.

Each app guards its own pages at two sizes of hand-made data; this test is the one on
scale data, with history (a finished cycle), data dukung revisions and every answer state."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import scale
from evidence.tests.helpers import pdf_bytes
from frameworks.queries import tree_rows
from institutions.models import Institution, Role, User
from monev.testing import chain_lock_queries
from submissions.models import Submission

SMALL = {"opds": 3, "past_cycles": 1, "revisions": 30, "seed": 1}
CITY = {"opds": 80, "past_cycles": 1, "revisions": 300, "seed": 1}
# The queries of each page and write; what each one reads is written beside the app's own
# guard (submissions/tests/test_query_counts.py, cycles/tests/test_page_queries.py, recap,
# assessments).
EXPECTED = {
    "autosave": 11,
    "upload": 18,
    "upload (panel script)": 18,
    "home": 7,
    "inbox": 8,
    "cycle page": 11,
    "recap": 10,
    "review list": 11,
    "result (current)": 8,
    "result (final)": 9,
    "meeting screen (final)": 13,
    "home (leader)": 14,
    "home (operator)": 11,
    "portal": 12,
    "indicator page": 13,
}


def person(institution, role):
    return (
        User.objects.filter(institution=institution, memberships__role=role).order_by("pk").first()
    )


def subjects(slug):
    """What the pages are read for in the institution `slug`: its current and finished
    cycles, its staff, the operator of the first OPD with a draft answer and the indicator
    shown in the meeting screen."""
    institution = Institution.objects.get(slug=slug)
    past, current = institution.cycles.order_by("year")
    draft = (
        Submission.objects.filter(cycle=current, status="draft")
        .select_related("agency")
        .order_by("agency__short_name", "indicator__position")
        .first()
    )
    operator = (
        User.objects.filter(memberships__agency=draft.agency, memberships__role=Role.AGENCY)
        .order_by("pk")
        .first()
    )
    # The meeting screen of an indicator whose answers carry data dukung (a screen without
    # any skips reading revisions).
    shown = (
        Submission.objects.filter(cycle=past, evidence__isnull=False)
        .order_by("indicator__position")
        .values_list("indicator_id", flat=True)
        .first()
    )
    return {
        "past": past,
        "current": current,
        "draft": draft,
        "coordinator": person(institution, Role.COORDINATOR),
        "leader": person(institution, Role.LEADER),
        "operator": operator,
        "shown": shown,
    }


def page_queries(slug, round):
    """{page or write: number of queries} for the institution `slug`. The writes come first
    (new text, a new file: `round` makes them differ from an earlier call's), so the answer
    read afterwards has data dukung whatever the seed gave it; each page is read twice and
    the second read counted, as a running worker has its framework tree kept."""
    s = subjects(slug)
    current, past, draft = s["current"], s["past"], s["draft"]
    answer = [current.pk, draft.agency_id, draft.indicator_id]
    counts = {}
    client = Client()
    client.force_login(s["operator"])
    writes = {
        "autosave": (
            reverse("submission_autosave", args=answer),
            {"level": "3", "fakta": f"Fakta {round}.", "analisis": "A", "version": draft.version},
        ),
        "upload": (
            reverse("evidence_upload", args=[draft.pk]),
            {
                "title": f"Perwa {round}/2024",
                "file": SimpleUploadedFile("perwa.pdf", pdf_bytes(pages=round)),
            },
        ),
    }
    # The panel's script asks for the stored file's row only (evidence/panel.js).
    writes["upload (panel script)"] = (
        writes["upload"][0],
        {"file": SimpleUploadedFile("sk.pdf", pdf_bytes(pages=round + 2))},
        {"X-Evidence-Rows": "1"},
    )
    for name, (url, data, *more) in writes.items():
        headers = {"HX-Request": "true", **(more[0] if more else {})}
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data, headers=headers)
        assert response.status_code == 200, (slug, name, response.status_code)
        counts[name] = len(captured)
    reads = {
        "coordinator": {
            "home": reverse("home"),
            "inbox": reverse("inbox"),
            "cycle page": reverse("cycle_detail", args=[current.pk]),
            "recap": reverse("recap", args=[current.pk]),
            "review list": reverse("review_list", args=[current.pk]),
            "result (current)": reverse("assessment_result", args=[current.pk]),
            "result (final)": reverse("assessment_result", args=[past.pk]),
            "meeting screen (final)": reverse("meeting_indicator", args=[past.pk, s["shown"]]),
        },
        "leader": {"home (leader)": reverse("home")},
        "operator": {
            "home (operator)": reverse("home"),
            "portal": reverse("portal", args=answer[:2]),
            "indicator page": reverse("submission_edit", args=answer),
        },
    }
    for role, pages in reads.items():
        client = Client()
        client.force_login(s[role])
        for name, url in pages.items():
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (slug, name, response.status_code)
            counts[name] = len(captured)
    return counts


@pytest.mark.django_db(transaction=False)
def test_hot_pages_read_as_many_queries_for_80_opds_as_for_3(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scale.build_scale(institutions=1, **SMALL)
    small = page_queries("skala-01", round=1)
    # A write's audit event locks its chain with a query of its own on PostgreSQL.
    writes = {"autosave", "upload", "upload (panel script)"}
    assert small == {
        name: count + (chain_lock_queries() if name in writes else 0)
        for name, count in EXPECTED.items()
    }

    scale.build_scale(institutions=2, **CITY)
    current = subjects("skala-02")["current"]
    assert current.agencies.count() == 80
    indicators = [row for row in tree_rows(current.framework) if row.is_indicator]
    assert current.assignments.values("indicator").distinct().count() == len(indicators) == 47

    assert page_queries("skala-01", round=2) == small  # a second city's rows change nothing
    assert page_queries("skala-02", round=3) == small  # 80 OPDs read as many queries as 3
