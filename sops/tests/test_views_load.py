"""The page "Muat berkas SOP": the institution's administrator loads an SOP definition file
without a shell; the same service as the API and manage.py load_sop."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from sops.models import Sop
from sops.queries import current_sop
from sops.tests.test_api_import import sop_file

URL = reverse("sop_load")


def test_the_sop_page_offers_the_administrator_to_load_a_file(client, admin_user, pontianak_sop):
    client.force_login(admin_user)

    page = client.get(reverse("sop_current")).content.decode()

    assert f'href="{URL}"' in page


def test_without_an_sop_the_administrator_is_sent_to_the_load_page(client, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("sop_current")).content.decode()

    assert f'<a class="btn btn-primary" href="{URL}">Muat berkas SOP</a>' in page


def test_other_roles_see_no_load_link(client, coordinator, pontianak_sop):
    client.force_login(coordinator)

    assert URL not in client.get(reverse("sop_current")).content.decode()


def test_a_new_version_is_loaded_audited_and_shown(
    client, admin_user, pontianak_sop, pontianak_data
):
    client.force_login(admin_user)

    response = client.post(URL, {"file": sop_file({**pontianak_data, "version": "2027"})})

    new = Sop.objects.get(institution=admin_user.institution, version="2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("sop_detail", args=[new.pk])
    assert current_sop(admin_user.institution) == new
    page = client.get(response["Location"]).content.decode()
    assert "SOP Monitoring dan Evaluasi SPBE versi 2027 dimuat dan kini berlaku." in page
    assert AuditEvent.objects.filter(action="sop.created", actor=admin_user).count() == 1


def test_every_problem_is_listed_and_nothing_is_written(client, admin_user, pontianak_data):
    client.force_login(admin_user)
    pontianak_data["code"] = "Bukan Slug"
    pontianak_data["steps"][2]["actors"] = ["nobody"]

    response = client.post(URL, {"file": sop_file(pontianak_data)})

    assert response.status_code == 200
    assert [str(problem)[:10] for problem in response.context["problems"]] == ["sop.json: "] * 2
    page = response.content.decode()
    assert "2 masalah — SOP tidak dimuat" in page
    assert Sop.objects.count() == 0


def test_a_file_that_is_not_json_is_explained(client, admin_user):
    client.force_login(admin_user)

    response = client.post(URL, {"file": sop_file("bukan json")})

    assert response.context["problems"] == [
        "sop.json: bukan JSON yang sah (baris 1, kolom 1: Expecting value)."
    ]


def test_sending_no_file_asks_for_one(client, admin_user):
    client.force_login(admin_user)

    response = client.post(URL, {})

    assert response.context["form"].errors == {"file": ["Bidang ini tidak boleh kosong."]}


@pytest.mark.parametrize("persona", ["coordinator", "leader", "agency_user"])
def test_only_the_administrator_reaches_the_page(client, request, persona, pontianak_data):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": sop_file(pontianak_data)}).status_code == 404
    assert Sop.objects.count() == 0
