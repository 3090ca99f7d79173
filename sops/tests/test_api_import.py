"""Loading an SOP definition file through the API: the institution's administrator only,
into their own institution; the same checks as manage.py load_sop (every problem listed,
nothing written); a version a cycle follows stays as it is; audited; a double submit loads
once."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from audit.models import AuditEvent
from institutions.services.tokens import create_api_token
from monev.testing import api_client
from monev.tests import firing
from sops.models import Sop
from sops.queries import current_sop
from sops.services import SHIPPED_SOPS, load_sop_file

URL = "/api/v1/sops/import/"


def sop_file(data, name="sop.json"):
    text = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    content = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="application/json")


def post(user, upload, **headers):
    return api_client(user).post(URL, {"file": upload}, format="multipart", **headers)


def events(action, *, by=None):
    """The events `action` (done by `by`, when given: a fixture's load has no actor)."""
    found = AuditEvent.objects.filter(action=action).order_by("pk")
    return list(found if by is None else found.filter(actor=by))


def test_administrator_loads_a_new_version_which_comes_into_force(
    admin_user, pontianak_sop, pontianak_data
):
    response = post(admin_user, sop_file({**pontianak_data, "version": "2026"}))

    assert response.status_code == 201
    body = response.json()
    new = Sop.objects.get(institution=admin_user.institution, version="2026")
    assert response["Location"] == f"/api/v1/sops/{new.pk}/"
    assert (body["outcome"], body["sop"]["id"], body["sop"]["is_current"]) == (
        "created",
        new.pk,
        True,
    )
    assert [step["number"] for step in body["sop"]["steps"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert current_sop(admin_user.institution) == new
    [event] = events("sop.created", by=admin_user)
    assert (event.institution, event.before) == (
        admin_user.institution,
        None,
    )
    assert event.after == {
        "code": "pontianak-monev-spbe",
        "version": "2026",
        "name": "Monitoring dan Evaluasi SPBE",
        "content_hash": new.content_hash,
        "steps": 8,
    }


def test_the_same_file_again_changes_nothing(admin_user, pontianak_sop):
    upload = sop_file(SHIPPED_SOPS["pontianak"].read_bytes(), name="pontianak.json")

    response = post(admin_user, upload)

    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["sop"]["id"]) == (
        "unchanged",
        pontianak_sop.pk,
    )
    assert events("sop.created", by=admin_user) == events("sop.updated") == []
    assert Sop.objects.get(pk=pontianak_sop.pk).loaded_at == pontianak_sop.loaded_at


def test_a_version_no_cycle_follows_is_updated_in_place(admin_user, pontianak_sop, pontianak_data):
    pontianak_data["steps"][0]["activity"] = "Menyusun surat pemberitahuan monev SPBE."

    response = post(admin_user, sop_file(pontianak_data))

    assert response.status_code == 200
    assert response.json()["outcome"] == "updated"
    assert response.json()["sop"]["steps"][0]["activity"] == (
        "Menyusun surat pemberitahuan monev SPBE."
    )
    [event] = events("sop.updated")
    assert (event.actor, event.before["content_hash"], event.after["content_hash"]) == (
        admin_user,
        pontianak_sop.content_hash,
        Sop.objects.get(pk=pontianak_sop.pk).content_hash,
    )


def test_a_version_a_cycle_follows_cannot_change(
    admin_user, coordinator, agency, framework, pontianak_sop, pontianak_data
):
    firing.answering_cycle(framework, coordinator, [agency])
    pontianak_data["steps"] = pontianak_data["steps"][:7]  # would delete step 8 in use

    response = post(admin_user, sop_file(pontianak_data))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": [
            "pontianak-monev-spbe versi 2020 sudah diikuti periode monev dan tidak dapat diubah; "
            'terbitkan versi baru (ubah "version").'
        ]
    }
    stored = Sop.objects.get(pk=pontianak_sop.pk)
    assert (stored.content_hash, stored.steps.count()) == (pontianak_sop.content_hash, 8)
    assert events("sop.updated") == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{bukan json", "sop.json: bukan JSON yang sah (baris 1, kolom 2: "),
        (b"\xff\xfe{}", "sop.json: bukan berkas teks UTF-8 (berkas JSON diharapkan)."),
        ("[]", "sop.json: isi berkas harus berupa objek JSON ({...})."),
        (" " * (1024 * 1024 + 1), "sop.json: berkas terlalu besar (maksimal 1 MB)."),
    ],
)
def test_a_file_that_is_not_a_definition_is_refused(admin_user, content, message):
    response = post(admin_user, sop_file(content))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [problem] = response.json()["errors"]["file"]
    assert problem.startswith(message)
    assert Sop.objects.count() == 0


def test_every_problem_of_a_definition_is_listed_and_nothing_is_written(admin_user, pontianak_data):
    pontianak_data["code"] = "Bukan Slug"
    pontianak_data["steps"][2]["actors"] = ["nobody"]

    response = post(admin_user, sop_file(pontianak_data, name="../../etc/sop-baru.json"))

    assert response.status_code == 400
    problems = response.json()["errors"]["file"]
    assert len(problems) == 2
    assert all(problem.startswith("sop-baru.json: ") for problem in problems)
    assert Sop.objects.count() == 0
    assert events("sop.created") == []


def test_messages_follow_the_request_language(admin_user):
    response = post(admin_user, sop_file("[]"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["errors"]["file"] == [
        "sop.json: the file content must be a JSON object ({...})."
    ]


def test_an_empty_request_names_the_missing_file(admin_user):
    response = api_client(admin_user).post(URL, {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["Tidak ada berkas yang dikirimkan."]}


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "leader", "agency_user"])
def test_only_the_administrator_loads_a_definition(request, persona, pontianak_data):
    response = post(request.getfixturevalue(persona), sop_file(pontianak_data))

    assert response.status_code == 403
    assert Sop.objects.count() == 0


def test_another_institutions_administrator_loads_into_their_own(
    outsider, institution, pontianak_sop, pontianak_data
):
    response = post(outsider, sop_file({**pontianak_data, "version": "2026"}))

    assert response.status_code == 201
    assert Sop.objects.get(pk=response.json()["sop"]["id"]).institution == outsider.institution
    assert current_sop(institution) == pontianak_sop


def test_anonymous_is_401(pontianak_data):
    response = APIClient().post(URL, {"file": sop_file(pontianak_data)}, format="multipart")

    assert response.status_code == 401


def test_the_command_records_who_loaded_nothing_but_the_file(institution, pontianak_data):
    load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)

    [event] = events("sop.created")
    assert (event.actor, event.institution) == (None, institution)


_media = firing.tmp_media


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_loads_once(live_server, admin_user, pontianak_data):
    _token, text = create_api_token(by=admin_user, name="dua kali")
    content = json.dumps(pontianak_data).encode()

    statuses = firing.fire(
        live_server,
        URL,
        {"Authorization": f"Bearer {text}"},
        files={"file": ("sop.json", content)},
    )

    assert sorted(statuses) == [200] * (firing.N - 1) + [201]
    assert Sop.objects.filter(institution=admin_user.institution).count() == 1
    assert len(events("sop.created")) == 1
