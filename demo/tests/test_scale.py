import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Assessment, Decision
from audit.chain import verify_chain
from demo import scale
from demo.builder import DEMO_PASSWORD
from evidence.models import EvidenceRevision
from institutions.models import Institution, User
from submissions.models import Submission

SMALL = {"opds": 3, "past_cycles": 1, "revisions": 40}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def fingerprint():
    """What the seed decides: every file's hash, every answer's state and level, every
    agreed level."""
    return {
        "sha256": sorted(EvidenceRevision.objects.values_list("sha256", flat=True)),
        "answers": sorted(
            Submission.objects.values_list(
                "cycle__year", "indicator__code", "agency__short_name", "status", "level"
            )
        ),
        "decisions": sorted(
            Decision.objects.values_list("assessment__cycle__year", "indicator__code", "level")
        ),
    }


def build_and_forget(seed):
    with transaction.atomic():
        scale.build_scale(**SMALL, seed=seed)
        built = fingerprint()
        transaction.set_rollback(True)
    return built


def test_a_small_city_is_built_through_the_services(db, media, client):
    summary = scale.build_scale(**SMALL)

    assert (summary.institutions, summary.agencies, summary.users) == (1, 3, 3 + 6)
    assert (summary.cycles, summary.revisions, summary.built) == (2, 40, ["skala-01"])
    institution = Institution.objects.get(slug="skala-01")
    this_year = timezone.localdate().year
    past, current = institution.cycles.order_by("year")
    assert (past.year, current.year) == (this_year - 1, this_year)
    assert set(past.step_runs.values_list("status", flat=True)) == {"done"}
    assert Assessment.objects.get(cycle=past).status == Assessment.Status.FINAL
    assert Decision.objects.filter(assessment__cycle=past).count() == 47
    assert set(past.submissions.values_list("status", flat=True)) == {"accepted"}
    assert past.submissions.count() == past.assignments.count()
    # Every indicator is answered by an OPD, every OPD answers at least three.
    assert current.assignments.values("indicator").distinct().count() == 47
    for agency in institution.agencies.all():
        assert current.assignments.filter(agency=agency).count() >= scale.MIN_INDICATORS
    assert list(current.step_runs.values_list("number", "status"))[:5] == [
        (1, "done"),
        (2, "done"),
        (3, "done"),
        (4, "running"),
        (5, "waiting"),
    ]
    assert set(current.submissions.values_list("status", flat=True)) <= {
        "draft",
        "submitted",
        "returned",
        "accepted",
    }
    assert verify_chain(institution.pk).broken_event is None
    for revision in EvidenceRevision.objects.all():
        content = revision.file.read()
        assert hashlib.sha256(content).hexdigest() == revision.sha256
        if revision.extension == "pdf":
            assert len(PdfReader(io.BytesIO(content)).pages) == 1
        else:
            assert content.startswith(b"\x89PNG")
    for username in ("koordinator", "opd-diskominfo", "opd-bkd"):
        assert client.login(username=username, password=DEMO_PASSWORD), username


def test_the_same_seed_builds_the_same_data_and_another_seed_other_data(db, media):
    first, again, other = build_and_forget(1), build_and_forget(1), build_and_forget(2)

    assert first == again
    assert len(first["sha256"]) == len(set(first["sha256"])) == 40
    assert len(first["decisions"]) == 47
    assert set(first["sha256"]).isdisjoint(other["sha256"])
    assert first["answers"] != other["answers"]


def test_the_command_builds_a_province_with_prefixed_accounts_once(db, media):
    out = io.StringIO()
    # One job: child processes cannot see a test's transaction (--jobs is for a real run).
    options = ["--opds", "2", "--past-cycles", "0", "--revisions", "10", "--jobs", "1"]
    call_command("generate_scale", "--province", "--institutions", "2", *options, stdout=out)

    text = out.getvalue()
    assert "Scale data: 2 institutions, 4 OPDs, 16 users, 2 cycles" in text
    assert "20 data dukung revisions; built 2 (already present: 0)" in text
    assert "skala-02: admin, skala-02-koordinator" not in text
    assert "skala-02: skala-02-admin, skala-02-koordinator, skala-02-kabid" in text
    assert "skala-01 operators (2): skala-01-opd-diskominfo, skala-01-opd-bappeda" in text
    assert User.objects.get(username="skala-02-sekda").institution.slug == "skala-02"
    assert not User.objects.filter(username="koordinator").exists()

    again = io.StringIO()
    call_command("generate_scale", "--province", "--institutions", "2", *options, stdout=again)
    assert "skala-01: already present, left as it is" in again.getvalue()
    assert "built 0 (already present: 2)" in again.getvalue()


def test_the_command_refuses_a_city_whose_usernames_are_taken(db, media):
    User.objects.create_user("koordinator", password=None)

    with pytest.raises(
        CommandError, match="Usernames already taken by another institution: koordinator"
    ):
        call_command("generate_scale", "--city", "--opds", "1", "--past-cycles", "0")

    assert not Institution.objects.filter(slug="skala-01").exists()


def test_an_institution_left_half_built_is_not_taken_as_present(db, media):
    Institution.objects.create(slug="skala-01", name="Pemerintah Kota Skala 1")

    with pytest.raises(scale.ScaleError, match="skala-01 is incomplete"):
        scale.build_scale(opds=1, past_cycles=0, revisions=0)
