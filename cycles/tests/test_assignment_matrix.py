"""The assignment matrix (OPD x indicator): its page, its three writes and the unassigned
count shown before the data request goes out.

The `cycle` fixture opens Monev SPBE 2026 for BKPSDM (function sdm: indicators 25, 36, 41
proposed) and Dinkes (pelayanan: 45, 46, 47), the proposal saved when it opens.
"""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from cycles import services
from cycles.permissions import FrozenError
from institutions.models import Agency
from letters import services as letter_services
from letters.models import Letter

PROPOSED = {("25", "BKPSDM"), ("36", "BKPSDM"), ("41", "BKPSDM")} | {
    (n, "Dinkes") for n in ("45", "46", "47")
}


def pairs(cycle):
    return set(cycle.assignments.values_list("indicator__number", "agency__short_name"))


def checked(html):
    """(indicator pk, agency pk) of every ticked box on the page."""
    return {
        (int(i), int(a)) for i, a in re.findall(r'name="i(\d+)" value="(\d+)"[^>]*? checked', html)
    }


def node(cycle, number):
    return cycle.framework.nodes.get(number=str(number), children__isnull=True)


def matrix_url(cycle, **query):
    url = reverse("cycle_assignments", args=[cycle.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def empty_cycle(framework, sop, coordinator, agency, other_agency):
    """A cycle opened with no assignment at all."""
    return services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
        assignments={},
    )


@pytest.fixture
def third_agency(institution):
    return Agency.objects.create(
        institution=institution, name="Inspektorat Daerah", short_name="Inspektorat"
    )


@pytest.fixture
def last_year(framework, sop, coordinator, agency, other_agency, third_agency):
    """Monev SPBE 2025: indicator 1 to BKPSDM and the Inspektorat (not in 2026), 2 to
    Dinkes, 3 to the Inspektorat only."""
    nodes = {n: framework.nodes.get(code=f"I{n}") for n in (1, 2, 3)}
    return services.open_cycle(
        by=coordinator,
        year=2025,
        framework=framework,
        agencies=[agency, other_agency, third_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
        assignments={
            nodes[1]: [agency, third_agency],
            nodes[2]: [other_agency],
            nodes[3]: [third_agency],
        },
    )


# --- The page --------------------------------------------------------------------------------


def test_matrix_ticks_the_saved_assignment(client, cycle, coordinator, agency, other_agency):
    client.force_login(coordinator)
    html = client.get(matrix_url(cycle)).content.decode()
    expected = {
        (node(cycle, n).pk, {"BKPSDM": agency, "Dinkes": other_agency}[short].pk)
        for n, short in PROPOSED
    }
    assert checked(html) == expected
    assert html.count('type="checkbox"') == 47 * 2
    assert 'aria-label="BKPSDM — indikator 12"' in html
    assert "41 indikator belum ditugaskan ke OPD mana pun." in html
    assert 'id="usulan"' not in html


def test_cycle_without_assignments_starts_from_the_proposal(client, empty_cycle, coordinator):
    client.force_login(coordinator)
    html = client.get(matrix_url(empty_cycle)).content.decode()
    assert {(i, a) for i, a in checked(html)} == {
        (node(empty_cycle, n).pk, empty_cycle.agencies.get(short_name=short).pk)
        for n, short in PROPOSED
    }
    assert "Periode ini belum memiliki penugasan tersimpan." in html
    assert "Kotak yang tercentang adalah usulan dari fungsi yang dijalankan tiap OPD" in html
    assert "47 indikator belum ditugaskan ke OPD mana pun." in html
    assert empty_cycle.assignments.count() == 0  # shown, not saved


def test_saving_the_matrix_writes_exactly_the_ticks(client, cycle, coordinator, agency):
    client.force_login(coordinator)
    every = [n.pk for n in cycle.framework.nodes.filter(children__isnull=True)]
    response = client.post(
        matrix_url(cycle),
        {"indicator": every, f"i{node(cycle, 12).pk}": [agency.pk], "aspek": ""},
    )
    assert response.status_code == 302
    assert response.url == matrix_url(cycle)
    assert pairs(cycle) == {("12", "BKPSDM")}
    event = AuditEvent.objects.get(action="cycle.assignments_set")
    assert event.before == {"assignments": 6}
    assert event.after == {"assignments": 1, "indicators": 47, "added": 1, "removed": 6}
    html = client.get(response.url).content.decode()
    assert "Penugasan indikator disimpan. 46 indikator belum ditugaskan ke OPD mana pun." in html


def test_filter_by_aspect_shows_and_saves_only_its_rows(client, cycle, coordinator, agency):
    client.force_login(coordinator)
    html = client.get(matrix_url(cycle, aspek="A1")).content.decode()
    assert html.count('name="indicator"') == 10  # aspect 1: indicators 1 to 10
    assert 'data-all="0"' in html
    shown = re.findall(r'name="indicator" value="(\d+)"', html)
    response = client.post(
        matrix_url(cycle),
        {"indicator": shown, f"i{node(cycle, 1).pk}": [agency.pk], "aspek": "A1"},
    )
    assert response.url == matrix_url(cycle, aspek="A1")
    assert pairs(cycle) == PROPOSED | {("1", "BKPSDM")}  # the other aspects kept


def test_an_unknown_aspect_shows_every_indicator(client, cycle, coordinator):
    client.force_login(coordinator)
    html = client.get(matrix_url(cycle, aspek="X9")).content.decode()
    assert html.count('name="indicator"') == 47


def test_copy_last_year_copies_what_still_exists(client, cycle, last_year, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("cycle_assignments_copy", args=[cycle.pk]))
    assert response.url == matrix_url(cycle)
    assert pairs(cycle) == {("1", "BKPSDM"), ("2", "Dinkes")}
    html = client.get(response.url).content.decode()
    assert (
        "2 penugasan disalin dari Monev SPBE 2025. 2 dilewati karena indikator atau OPD-nya "
        "tidak ada di periode ini. 45 indikator belum ditugaskan ke OPD mana pun."
    ) in html


def test_copy_without_a_previous_cycle_says_so(client, cycle, coordinator):
    client.force_login(coordinator)
    html = client.get(matrix_url(cycle)).content.decode()
    assert "Belum ada periode sebelumnya untuk disalin." in html
    response = client.post(reverse("cycle_assignments_copy", args=[cycle.pk]), follow=True)
    assert "Tidak ada periode sebelumnya untuk disalin." in response.content.decode()
    assert pairs(cycle) == PROPOSED


def test_assign_the_rest_to_one_agency(client, cycle, coordinator, other_agency):
    client.force_login(coordinator)
    response = client.post(
        reverse("cycle_assignments_rest", args=[cycle.pk]), {"agency": other_agency.pk}
    )
    assert response.url == matrix_url(cycle)
    assert len(pairs(cycle)) == 47
    assert {n for n, short in pairs(cycle) if short == "Dinkes"} == (
        {str(n) for n in range(1, 48)} - {"25", "36", "41"}
    )
    html = client.get(response.url).content.decode()
    assert "41 indikator ditugaskan ke Dinkes: 1, 2, 3," in html
    assert "Semua indikator sudah ditugaskan." in html


def test_assign_the_rest_needs_an_agency(client, cycle, coordinator, foreign_agency):
    client.force_login(coordinator)
    response = client.post(
        reverse("cycle_assignments_rest", args=[cycle.pk]),
        {"agency": foreign_agency.pk},
        follow=True,
    )
    assert "Pilih OPD yang menerima indikator yang belum ditugaskan." in (response.content.decode())
    assert pairs(cycle) == PROPOSED


WRITES = ["cycle_assignments", "cycle_assignments_copy", "cycle_assignments_rest"]


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("persona", ["supervisor", "agency_user", "outsider"])
def test_only_the_coordinator_changes_the_assignment(client, cycle, persona, name, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse(name, args=[cycle.pk]), {}).status_code == 404
    assert pairs(cycle) == PROPOSED


def test_an_operator_sees_the_matrix_read_only(client, cycle, agency_user):
    client.force_login(agency_user)
    html = client.get(matrix_url(cycle)).content.decode()
    assert html.count(" disabled>") == 47 * 2
    assert "Simpan penugasan" not in html
    assert "Salin penugasan tahun lalu" not in html


def test_another_institution_gets_404(client, cycle, outsider):
    client.force_login(outsider)
    assert client.get(matrix_url(cycle)).status_code == 404


def test_the_matrix_query_count_does_not_grow_with_agencies(
    client, cycle, coordinator, institution, django_assert_max_num_queries
):
    client.force_login(coordinator)
    more = [
        Agency.objects.create(
            institution=institution, name=f"Dinas {n}", short_name=f"D{n}", functions=["tik"]
        )
        for n in range(60)
    ]
    cycle.agencies.add(*more)
    services.set_assignments(
        cycle,
        dict.fromkeys(cycle.framework.nodes.filter(children__isnull=True), more),
        by=coordinator,
    )
    with django_assert_max_num_queries(16) as captured:
        response = client.get(matrix_url(cycle))
    assert response.content.decode().count('type="checkbox"') == 47 * 62
    print("matrix queries:", len(captured))


def test_a_closed_cycle_is_read_only(client, cycle, coordinator):
    services.finish_step(cycle, 8, by=coordinator)
    client.force_login(coordinator)
    html = client.get(matrix_url(cycle)).content.decode()
    assert "Penugasan tidak dapat diubah lagi." in html
    assert "Simpan penugasan" not in html
    response = client.post(matrix_url(cycle), {}, follow=True)
    assert "sudah selesai" in response.content.decode()
    assert pairs(cycle) == PROPOSED


def test_after_dispatch_the_page_says_the_letter_is_not_sent_again(client, cycle, coordinator):
    Letter.objects.create(
        cycle=cycle,
        kind=Letter.Kind.DATA_REQUEST,
        status=Letter.Status.DISPATCHED,
        subject="Permohonan data",
        body="-",
        signer_name="-",
        signer_title="-",
        created_by=coordinator,
        dispatched_at=datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC),
    )
    client.force_login(coordinator)
    html = client.get(matrix_url(cycle)).content.decode()
    assert "Surat Permohonan Data sudah dikirim ke OPD pada 2 Maret 2026." in html
    assert "tetapi surat tidak dikirim ulang" in html
    assert "Simpan penugasan" in html  # still editable, as before


# --- The unassigned count before the letters go out ------------------------------------------


def test_cycle_page_counts_the_unassigned_with_a_link(client, cycle, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "41 indikator belum ditugaskan ke OPD mana pun." in html
    assert f'href="{matrix_url(cycle)}">Atur di matriks penugasan' in html


def test_data_request_page_counts_the_unassigned(client, cycle, coordinator, other_agency):
    letters = letter_services.draft_cycle_letters(cycle, by=coordinator)
    request = next(x for x in letters if x.kind == Letter.Kind.DATA_REQUEST)
    invitation = next(x for x in letters if x.kind == Letter.Kind.INVITATION)
    client.force_login(coordinator)
    html = client.get(reverse("letter_detail", args=[request.pk])).content.decode()
    assert "41 indikator belum ditugaskan ke OPD mana pun." in html
    assert "Atur di matriks penugasan" in html
    html = client.get(reverse("letter_detail", args=[invitation.pk])).content.decode()
    assert "belum ditugaskan" not in html
    services.assign_unassigned(cycle, other_agency, by=coordinator)
    html = client.get(reverse("letter_detail", args=[request.pk])).content.decode()
    assert "belum ditugaskan" not in html


# --- Services --------------------------------------------------------------------------------


def test_set_assignments_limited_to_some_indicators_keeps_the_others(
    cycle, coordinator, other_agency
):
    first = node(cycle, 1)
    changed = services.set_assignments(
        cycle, {first: [other_agency]}, by=coordinator, indicators=[first, node(cycle, 25)]
    )
    assert changed is True
    assert pairs(cycle) == (PROPOSED - {("25", "BKPSDM")}) | {("1", "Dinkes")}
    again = services.set_assignments(
        cycle, {first: [other_agency]}, by=coordinator, indicators=[first, node(cycle, 25)]
    )
    assert again is False
    assert AuditEvent.objects.filter(action="cycle.assignments_set").count() == 1


def test_copy_previous_assignments_reports_copied_and_skipped(cycle, last_year, coordinator):
    result = services.copy_previous_assignments(cycle, by=coordinator)
    assert (result.source, result.copied, result.skipped) == (last_year, 2, 2)
    event = AuditEvent.objects.get(action="cycle.assignments_copied")
    assert event.after == {"source": last_year.pk, "copied": 2, "skipped": 2}
    assert event.before == {"assignments": 6}
    again = services.copy_previous_assignments(cycle, by=coordinator)
    assert (again.copied, again.skipped) == (2, 2)
    assert AuditEvent.objects.filter(action="cycle.assignments_copied").count() == 1


def test_assign_unassigned_fills_only_the_gaps(cycle, coordinator, agency):
    assigned = services.assign_unassigned(cycle, agency, by=coordinator)
    assert [n.number for n in assigned] == [
        str(n) for n in range(1, 48) if n not in (25, 36, 41, 45, 46, 47)
    ]
    assert len(pairs(cycle)) == 47
    assert services.assign_unassigned(cycle, agency, by=coordinator) == []
    event = AuditEvent.objects.get(action="cycle.assignments_filled")
    assert event.after["agency"] == agency.pk
    assert len(event.after["indicators"]) == 41


def test_assign_unassigned_refuses_an_agency_outside_the_cycle(cycle, coordinator, foreign_agency):
    with pytest.raises(ValidationError, match="bukan OPD peserta"):
        services.assign_unassigned(cycle, foreign_agency, by=coordinator)
    assert pairs(cycle) == PROPOSED


def test_assignment_services_need_the_coordinator(cycle, supervisor, agency):
    with pytest.raises(PermissionDenied):
        services.assign_unassigned(cycle, agency, by=supervisor)
    with pytest.raises(PermissionDenied):
        services.copy_previous_assignments(cycle, by=supervisor)
    with pytest.raises(PermissionDenied):
        services.set_assignments(cycle, {}, by=supervisor)


def test_a_closed_cycle_refuses_every_assignment_write(cycle, coordinator, agency):
    services.finish_step(cycle, 8, by=coordinator)
    with pytest.raises(FrozenError):
        services.set_assignments(cycle, {}, by=coordinator)
    with pytest.raises(FrozenError):
        services.assign_unassigned(cycle, agency, by=coordinator)
    with pytest.raises(FrozenError):
        services.copy_previous_assignments(cycle, by=coordinator)
    assert pairs(cycle) == PROPOSED
