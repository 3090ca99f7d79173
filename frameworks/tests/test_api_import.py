"""Loading a framework file through the API: the installation's administrator only (a
framework version is shared by every institution); the same checks as manage.py
load_frameworks; an adopted (frozen) version stays as it is; audited; a double submit
loads once."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from audit.models import AuditEvent
from frameworks.models import Framework
from frameworks.services import freeze_framework, load_framework_file
from institutions.models import User
from institutions.services.tokens import create_api_token
from monev.testing import api_client
from monev.tests import firing

URL = "/api/v1/frameworks/import/"


def framework_file(data, name="kerangka.json"):
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/json")


def post(user, upload):
    return api_client(user).post(URL, {"file": upload}, format="multipart")


def test_installation_administrator_loads_a_new_version(root, flat_data):
    response = post(root, framework_file(flat_data))

    assert response.status_code == 201
    framework = Framework.objects.get(code="uji-datar", version="1")
    assert response["Location"] == "/api/v1/frameworks/uji-datar/1/"
    body = response.json()
    assert (body["outcome"], body["framework"]["id"], body["framework"]["is_frozen"]) == (
        "created",
        framework.pk,
        False,
    )
    assert body["framework"]["indicator_count"] == framework.nodes.filter(kind="indicator").count()
    [event] = AuditEvent.objects.filter(action="framework.created")
    assert (event.actor, event.institution, event.after["content_hash"]) == (
        root,
        None,
        framework.content_hash,
    )


def test_the_same_file_again_changes_nothing(root, flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))

    response = post(root, framework_file(flat_data))

    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["framework"]["id"]) == (
        "unchanged",
        framework.pk,
    )
    assert AuditEvent.objects.filter(action__startswith="framework.").count() == 1  # the load


def test_a_version_no_cycle_adopted_is_updated(root, flat_data, write_framework):
    load_framework_file(write_framework(flat_data))
    flat_data["name"] = "Kerangka uji tanpa domain (revisi)"

    response = post(root, framework_file(flat_data))

    assert response.status_code == 200
    assert response.json()["outcome"] == "updated"
    assert response.json()["framework"]["name"] == "Kerangka uji tanpa domain (revisi)"
    assert AuditEvent.objects.filter(action="framework.updated", actor=root).count() == 1


def test_an_adopted_version_cannot_change(root, flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    freeze_framework(framework)
    flat_data["name"] = "Kerangka uji tanpa domain (revisi)"

    response = post(root, framework_file(flat_data))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": [
            "kerangka.json: uji-datar versi 1: versi ini sudah dipakai periode monev; "
            "terbitkan versi baru."
        ]
    }
    stored = Framework.objects.get(pk=framework.pk)
    assert (stored.name, stored.content_hash) == (framework.name, framework.content_hash)


def test_every_problem_of_a_file_is_listed_and_nothing_is_written(root, flat_data):
    flat_data["code"] = "!bukan kode"
    flat_data["name"] = ""

    response = post(root, framework_file(flat_data))

    assert response.status_code == 400
    problems = response.json()["errors"]["file"]
    assert len(problems) >= 2
    assert all(problem.startswith("kerangka.json: ") for problem in problems)
    assert Framework.objects.count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(root):
    response = post(root, framework_file(" " * (5 * 1024 * 1024 + 1)))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["kerangka.json: berkas terlalu besar (maksimal 5 MB)."]
    }


@pytest.mark.parametrize("persona", ["admin_user", "coordinator", "agency_user", "outsider"])
def test_an_institutions_people_do_not_load_frameworks(request, persona, flat_data):
    response = post(request.getfixturevalue(persona), framework_file(flat_data))

    assert response.status_code == 403
    assert Framework.objects.count() == 0


def test_a_superuser_of_an_institution_is_not_the_installation_administrator(
    institution, flat_data
):
    superuser = User.objects.create_superuser("super", password="x", institution=institution)

    assert post(superuser, framework_file(flat_data)).status_code == 403


def test_anonymous_is_401(flat_data):
    response = APIClient().post(URL, {"file": framework_file(flat_data)}, format="multipart")

    assert response.status_code == 401


_media = firing.tmp_media


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_loads_once(live_server, root, flat_data):
    _token, text = create_api_token(by=root, name="dua kali")

    statuses = firing.fire(
        live_server,
        URL,
        {"Authorization": f"Bearer {text}"},
        files={"file": ("kerangka.json", json.dumps(flat_data).encode())},
    )

    assert sorted(statuses) == [200] * (firing.N - 1) + [201]
    assert Framework.objects.filter(code="uji-datar").count() == 1
    assert AuditEvent.objects.filter(action="framework.created").count() == 1
