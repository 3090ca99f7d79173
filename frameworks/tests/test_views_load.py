"""The page "Muat berkas kerangka": the installation's administrator loads a framework file
without a shell; the same service as the API and manage.py load_frameworks."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from frameworks.models import Framework
from frameworks.tests.test_api_import import framework_file

URL = reverse("framework_load")


def test_the_list_offers_the_installation_administrator_to_load_a_file(client, root):
    client.force_login(root)

    assert f'href="{URL}"' in client.get(reverse("framework_list")).content.decode()


def test_an_institutions_administrator_sees_no_load_link(client, admin_user):
    client.force_login(admin_user)

    assert URL not in client.get(reverse("framework_list")).content.decode()


def test_a_new_version_is_loaded_audited_and_shown(client, root, flat_data):
    client.force_login(root)

    response = client.post(URL, {"file": framework_file(flat_data)})

    assert response.status_code == 302
    assert response["Location"] == reverse("framework_detail", args=["uji-datar", "1"])
    page = client.get(response["Location"]).content.decode()
    assert "Kerangka Kerangka uji tanpa domain versi 1 dimuat." in page
    assert AuditEvent.objects.filter(action="framework.created", actor=root).count() == 1


def test_every_problem_is_listed_and_nothing_is_written(client, root, flat_data):
    client.force_login(root)
    flat_data["code"] = "!bukan kode"
    flat_data["name"] = ""

    response = client.post(URL, {"file": framework_file(flat_data)})

    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) >= 2
    assert all(problem.startswith("kerangka.json: ") for problem in problems)
    assert f"{len(problems)} masalah — kerangka tidak dimuat" in response.content.decode()
    assert Framework.objects.count() == 0


@pytest.mark.parametrize("persona", ["admin_user", "coordinator", "agency_user"])
def test_only_the_installation_administrator_reaches_the_page(client, request, persona, flat_data):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": framework_file(flat_data)}).status_code == 404
    assert Framework.objects.count() == 0
