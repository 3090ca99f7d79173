import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from demo import builder as demo
from documents.models import Document
from followups.models import FollowUp
from institutions.models import Agency, Institution, User
from submissions.models import Submission

ROLE_SECTION = {
    "admin": "role-admin",
    "koordinator": "role-coordinator",
    "kabid": "role-supervisor",
    "sekretariat": "role-secretariat",
    "evaluator": "role-evaluator",
    "sekda": "role-leader",
    "opd-bkpsdm": "role-agency",
    "opd-diskominfo": "role-agency",
    "pkp-koordinator": "role-coordinator",
    "pkp-opd-dinkes": "role-agency",
}


@pytest.fixture
def demo_data(demo_database, db, settings):
    settings.MEDIA_ROOT = demo_database
    return Institution.objects.get(slug="pontianak")


def test_demo_has_two_institutions_with_their_agencies(demo_data):
    assert demo.build() is False  # idempotent
    assert Agency.objects.filter(institution=demo_data).count() == 30
    assert Agency.objects.filter(institution__slug="pangkalpinang").count() == 8
    assert User.objects.count() == len(demo.accounts()) == 6 + 30 + 6 + 8 + 1


def test_every_demo_account_logs_in_with_the_demo_password(demo_data, client):
    for username, _who in demo.accounts():
        assert client.login(username=username, password=demo.DEMO_PASSWORD), username
        client.logout()


@pytest.mark.parametrize(("username", "section"), ROLE_SECTION.items())
def test_demo_accounts_land_on_a_home_that_fits_their_role(demo_data, client, username, section):
    assert client.login(username=username, password=demo.DEMO_PASSWORD)
    html = client.get(reverse("home")).content.decode()
    assert f'id="{section}"' in html


def test_demo_cycle_is_in_step_4_with_answers_in_every_state(demo_data):
    cycle = demo_data.cycles.get(year=timezone.localdate().year)
    assert list(cycle.step_runs.values_list("number", "status")) == [
        (1, "done"),
        (2, "done"),
        (3, "done"),
        (4, "running"),
        (5, "waiting"),
        (6, "waiting"),
        (7, "waiting"),
        (8, "waiting"),
    ]
    assert sorted(cycle.letters.values_list("status", flat=True)) == ["dispatched", "dispatched"]
    assert [d.verdict for d in cycle.letters.get(kind="permohonan_data").dispositions.all()] == [
        "returned",
        "approved",
    ]
    states = set(Submission.objects.filter(cycle=cycle).values_list("status", flat=True))
    assert states == {"draft", "submitted", "returned", "accepted"}
    returned = Submission.objects.get(cycle=cycle, status="returned")
    assert (returned.agency.short_name, returned.indicator.number) == ("BKPSDM", "36")
    assert all(s.evidence.exists() for s in Submission.objects.filter(cycle=cycle))


def test_demo_current_cycle_has_late_opds_and_two_extensions(demo_data):
    cycle = demo_data.cycles.get(year=timezone.localdate().year)
    assert cycle.deadline < timezone.localdate()
    assert sorted(cycle.reopenings.values_list("agency__short_name", flat=True)) == [
        "BKD",
        "BKPSDM",
    ]
    # Last year's open follow-ups were carried into this cycle; the done one was not.
    carried = FollowUp.objects.filter(carried_to=cycle)
    assert sorted(carried.values_list("agency__short_name", flat=True)) == ["BKPSDM", "Bag. Hukum"]


def test_demo_previous_cycle_ran_all_eight_steps_at_their_own_dates(demo_data):
    year = timezone.localdate().year - 1
    cycle = demo_data.cycles.get(year=year)
    runs = list(cycle.step_runs.order_by("number"))
    assert [(run.number, run.status) for run in runs] == [(n, "done") for n in range(1, 9)]
    assert all(run.finished_at.year == year for run in runs)
    assert sorted(cycle.letters.values_list("kind", "status")) == [
        ("permohonan_data", "dispatched"),
        ("surat_edaran", "dispatched"),
        ("undangan", "dispatched"),
        ("undangan_rapat", "dispatched"),
    ]
    assert cycle.assessment.status == "final"
    assert cycle.assessment.decisions.count() == 47
    assert set(cycle.submissions.values_list("status", flat=True)) == {"accepted"}
    assert sorted(cycle.signed_reports.values_list("kind", "status")) == [
        ("berita_acara", "signed"),
        ("dokumen_evaluasi", "signed"),
        ("persetujuan_publikasi", "signed"),
    ]


def test_demo_previous_cycle_documents_open_and_verify(demo_data, client):
    cycle = demo_data.cycles.get(year=timezone.localdate().year - 1)
    kinds = set(Document.objects.filter(cycle=cycle).values_list("kind", "format"))
    assert {
        ("evaluation", "pdf"),
        ("evaluation", "docx"),
        ("evidence_package", "zip"),
        ("official_form", "xlsx"),
        ("official_form", "pdf"),
        ("report.berita_acara", "pdf"),
        ("meeting.attendance", "pdf"),
        ("meeting.minutes", "pdf"),
    } <= kinds
    document = Document.objects.get(cycle=cycle, kind="evaluation", format="pdf")
    with document.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Pemerintah Kota Pontianak" in text or "PEMERINTAH KOTA PONTIANAK" in text
    assert document.code in text
    assert "Baik" in text
    page = client.get(reverse("document_verify", args=[document.code]))
    assert page.status_code == 200
    assert document.sha256 in page.content.decode()


def test_coordinator_home_leads_to_last_years_documents(demo_data, client):
    cycle = demo_data.cycles.get(year=timezone.localdate().year - 1)
    assert client.login(username="koordinator", password=demo.DEMO_PASSWORD)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("evaluation", args=[cycle.pk])}"' in html
    assert f'href="{reverse("cycle_documents", args=[cycle.pk])}"' in html
    page = client.get(reverse("cycle_documents", args=[cycle.pk])).content.decode()
    assert "Dokumen Evaluasi SPBE Pemerintah Kota Pontianak Tahun" in page
    assert "Surat Undangan Rapat Koordinasi" in page
