import pytest
from django.urls import reverse

from cycles.models import Cycle


def test_coordinator_opens_a_cycle_from_the_form(client, coordinator, framework, sop, agency):
    client.force_login(coordinator)
    response = client.post(
        reverse("cycle_open"),
        {
            "year": 2026,
            "framework": framework.pk,
            "deadline": "2099-12-15",
            "contact_person": coordinator.pk,
            "contact_phone": "0812",
            "agencies": [agency.pk],
        },
    )
    cycle = Cycle.objects.get()
    assert response.url == reverse("cycle_assignments", args=[cycle.pk])
    assert list(cycle.agencies.all()) == [agency]


def test_open_form_keeps_input_and_explains_errors(client, coordinator, framework, sop, agency):
    client.force_login(coordinator)
    response = client.post(
        reverse("cycle_open"),
        {
            "year": 2026,
            "framework": framework.pk,
            "deadline": "2001-01-01",
            "contact_person": coordinator.pk,
            "contact_phone": "0812-999",
        },
    )
    html = response.content.decode()
    assert "Batas waktu tidak boleh di masa lalu." in html
    assert "Pilih setidaknya satu OPD peserta." in html
    assert 'value="0812-999"' in html
    assert Cycle.objects.count() == 0


def test_cycle_page_draws_the_sop_with_live_state(client, cycle, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Sekarang: langkah 1" in html
    assert "sop-state-in_progress" in html
    assert html.count("sop-state-pending") == 7
    assert "Buat draf surat" in html


@pytest.mark.parametrize(
    "name", ["cycle_detail", "cycle_assignments", "cycle_history", "cycle_compliance"]
)
def test_other_institution_gets_404(client, cycle, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[cycle.pk])).status_code == 404


def test_operator_of_a_participant_sees_the_cycle_but_not_its_history(client, cycle, agency_user):
    client.force_login(agency_user)
    assert client.get(reverse("cycle_detail", args=[cycle.pk])).status_code == 200
    assert client.get(reverse("cycle_history", args=[cycle.pk])).status_code == 404
    assert client.post(reverse("cycle_assignments", args=[cycle.pk]), {}).status_code == 404


def test_history_lists_events_in_order(client, cycle, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("cycle_history", args=[cycle.pk])).content.decode()
    assert html.index("cycle.opened") > html.index("step.started")


def test_assignments_are_saved_from_the_form(client, cycle, coordinator, agency):
    client.force_login(coordinator)
    indicator = cycle.framework.nodes.get(code="I1")
    response = client.post(
        reverse("cycle_assignments", args=[cycle.pk]), {f"i{indicator.pk}": [agency.pk]}
    )
    assert response.status_code == 302
    assert list(cycle.assignments.values_list("indicator__code", flat=True)) == ["I1"]


def test_compliance_report_shows_every_step(client, cycle, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("cycle_compliance", args=[cycle.pk])).content.decode()
    assert "0 dari 8 langkah selesai" in html
