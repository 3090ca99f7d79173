import pytest
from django.urls import reverse

from demo import builder as demo
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
def demo_data(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert demo.build() is True
    return Institution.objects.get(slug="pontianak")


def test_demo_has_two_institutions_with_their_agencies(demo_data):
    assert demo.build() is False  # idempotent
    assert Agency.objects.filter(institution=demo_data).count() == 30
    assert Agency.objects.filter(institution__slug="pangkalpinang").count() == 8
    assert User.objects.count() == len(demo.accounts()) == 6 + 30 + 6 + 8


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
    cycle = demo_data.cycles.get()
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
