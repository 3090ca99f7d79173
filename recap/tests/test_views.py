import io

import openpyxl
import pytest
from django.urls import reverse

from cycles.tests.scale import grow
from recap.tests.conftest import answer


@pytest.fixture
def answered(cycle, agency, other_agency):
    answer(cycle, agency, 25, "draft")
    answer(cycle, agency, 41, "returned", level=2)
    answer(cycle, other_agency, 45, "accepted", level=4)
    return cycle


@pytest.mark.parametrize("persona", ["coordinator", "evaluator", "supervisor", "leader"])
def test_staff_see_the_matrix(client, answered, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("recap", args=[answered.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rekap isian OPD" in html
    assert html.count('<a class="state state-returned"') == 1
    assert html.count('<a class="state state-draft"') == 1
    assert html.count('<a class="state state-accepted"') == 1
    assert html.count('<a class="state state-none"') == 3
    assert reverse("recap_xlsx", args=[answered.pk]) in html


@pytest.mark.parametrize("name", ["recap", "recap_xlsx"])
@pytest.mark.parametrize("persona", ["agency_user", "other_agency_user", "outsider"])
def test_operators_and_other_institutions_get_404(client, answered, persona, name, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=[answered.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, answered):
    response = client.get(reverse("recap", args=[answered.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_cell_is_one_click_from_the_review_page(client, answered, coordinator, agency):
    client.force_login(coordinator)
    html = client.get(reverse("recap", args=[answered.pk])).content.decode()
    node = answered.framework.nodes.get(number="41", children=None)
    assert f'href="/isian/{answered.pk}/indikator/{node.pk}/#opd-{agency.pk}"' in html
    assert f'title="41. {node.name}"' in html


def test_get_filters_narrow_the_matrix(client, answered, coordinator, agency, other_agency):
    client.force_login(coordinator)
    url = reverse("recap", args=[answered.pk])
    html = client.get(url, {"state": "returned"}).content.decode()
    assert f'id="opd-{agency.pk}"' in html
    assert f'id="opd-{other_agency.pk}"' not in html
    assert "Hapus saringan" in html
    html = client.get(url, {"state": "bogus", "agency": "x"}).content.decode()
    assert f'id="opd-{agency.pk}"' in html
    assert f'id="opd-{other_agency.pk}"' in html


def test_late_opds_are_marked(client, answered, coordinator):
    answered.deadline = answered.deadline.replace(year=2001)
    answered.save()
    client.force_login(coordinator)
    html = client.get(reverse("recap", args=[answered.pk])).content.decode()
    assert html.count('class="recap-late"') == 2
    assert "2</span> OPD terlambat" in html


@pytest.mark.parametrize("n", [1, 30])
def test_recap_page_query_count_does_not_grow(
    client, cycle, coordinator, django_assert_num_queries, n
):
    """The same queries with 3 or 32 OPDs, every indicator decided and another institution's
    cycle of as many OPDs beside it."""
    grow(cycle, coordinator, n)
    client.force_login(coordinator)
    client.get(reverse("recap", args=[cycle.pk]))  # the framework tree, kept per process
    # The matrix itself is 3 (OPDs, assignments, answers); the rest are the session, the
    # person, the cycle, the menu badge's waiting work and step 5's needs.
    with django_assert_num_queries(10):
        response = client.get(reverse("recap", args=[cycle.pk]))
    assert response.content.decode().count('<tr id="opd-') == n + 2


def test_xlsx_download(client, answered, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("recap_xlsx", args=[answered.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="rekap-monev-spbe-2026.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Matriks", "Per OPD", "Per indikator"]
