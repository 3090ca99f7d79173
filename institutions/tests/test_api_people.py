"""The API of OPDs and accounts: who may read and write what is what the pages allow
(404 otherwise), through the same forms and services, with the same messages."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from institutions import services
from institutions.models import Agency, Membership, Role, User
from monev.testing import api_client, make_user

STAFF = ["coordinator", "supervisor", "secretariat", "evaluator", "leader", "admin_user"]
NOT_ADMIN = [*STAFF[:-1], "agency_user"]


def problem_errors(response):
    assert response["Content-Type"] == "application/problem+json"
    return response.json()["errors"]


# --- OPDs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_staff_list_their_institutions_agencies(
    request, persona, agency, other_agency, agency_user
):
    response = api_client(request.getfixturevalue(persona)).get("/api/v1/agencies/")

    assert response.status_code == 200
    assert [
        (row["short_name"], row["functions"], row["operator_count"])
        for row in response.json()["results"]
    ] == [("BKPSDM", ["sdm"], 1), ("Dinkes", ["pelayanan"], 0)]


def test_operator_lists_only_their_own_agency(agency, other_agency, agency_user):
    """The OPDs get_agency_or_404 lets them open, also when they name another."""
    client = api_client(agency_user)

    rows = client.get("/api/v1/agencies/").json()["results"]
    assert [(row["id"], row["operator_count"]) for row in rows] == [(agency.pk, 1)]
    assert client.get("/api/v1/agencies/?is_active=false").json()["results"] == []


def test_a_person_without_a_role_lists_no_agency(institution, agency):
    nobody = make_user(institution, "tanpa-peran")
    response = api_client(nobody).get("/api/v1/agencies/")
    assert (response.status_code, response.json()["results"]) == (200, [])


@pytest.mark.parametrize("count", [1, 3])
def test_operator_agency_list_queries_do_not_grow(institution, agency_user, count):
    """An operator of several OPDs lists each of them, in the same number of queries."""
    for number in range(1, count):
        extra = Agency.objects.create(
            institution=institution, name=f"Dinas {number}", short_name=f"D{number}"
        )
        Membership.objects.create(user=agency_user, role=Role.AGENCY, agency=extra)
    client = api_client(agency_user)
    client.get("/api/v1/agencies/")  # the token's first use is written once
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get("/api/v1/agencies/").json()["results"]) == count
    # token (with its user's institution), memberships, count, page
    assert len(queries) == 4


def test_other_institution_lists_only_its_own(outsider, agency, foreign_agency):
    rows = api_client(outsider).get("/api/v1/agencies/").json()["results"]

    assert [row["short_name"] for row in rows] == ["Diskominfo"]


def test_agency_list_filters_active(coordinator, agency, other_agency):
    Agency.objects.filter(pk=other_agency.pk).update(is_active=False)
    client = api_client(coordinator)

    active = client.get("/api/v1/agencies/?is_active=true").json()["results"]
    inactive = client.get("/api/v1/agencies/?is_active=false").json()["results"]

    assert [row["short_name"] for row in active] == ["BKPSDM"]
    assert [row["short_name"] for row in inactive] == ["Dinkes"]
    unknown = client.get("/api/v1/agencies/?is_active=ya")
    assert (unknown.status_code, unknown.json()["errors"]) == (
        400,
        {"is_active": ["Nilai tidak dikenal; pilih salah satu: true, false."]},
    )


def test_operator_reads_own_agency_with_its_operators_but_not_another(
    agency_user, agency, other_agency
):
    client = api_client(agency_user)

    own = client.get(f"/api/v1/agencies/{agency.pk}/")

    assert own.status_code == 200
    assert own.json()["operators"] == [
        {"id": agency_user.pk, "username": "opd-bkpsdm", "full_name": "Operator BKPSDM"}
    ]
    assert client.get(f"/api/v1/agencies/{other_agency.pk}/").status_code == 404


def test_another_institutions_agency_is_404(outsider, agency):
    response = api_client(outsider).get(f"/api/v1/agencies/{agency.pk}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_admin_creates_an_agency_as_an_import_row(admin_user, institution):
    response = api_client(admin_user).post(
        "/api/v1/agencies/",
        {
            "name": "Dinas Sosial",
            "short_name": "Dinsos",
            "head_name": "Drs. Ahmad",
            "functions": ["pelayanan", "data"],
        },
        format="json",
    )

    assert response.status_code == 201
    dinsos = Agency.objects.get(institution=institution, short_name="Dinsos")
    assert response.json()["id"] == dinsos.pk
    assert (dinsos.name, dinsos.head_name, dinsos.functions) == (
        "Dinas Sosial",
        "Drs. Ahmad",
        ["pelayanan", "data"],
    )
    event = AuditEvent.objects.get(action="agencies.imported")
    assert (event.actor, event.after) == (admin_user, {"created": 1, "updated": 0})


def test_agency_rows_are_refused_with_the_imports_messages(admin_user, agency):
    client = api_client(admin_user)

    missing = client.post("/api/v1/agencies/", {"name": "Dinas Sosial"}, format="json")
    unknown = client.post(
        "/api/v1/agencies/",
        {"name": "Dinas Sosial", "short_name": "Dinsos", "functions": ["sihir"]},
        format="json",
    )

    assert missing.status_code == 400
    assert problem_errors(missing) == {"detail": ["Kolom nama dan singkatan wajib diisi."]}
    assert problem_errors(unknown) == {"detail": ["Fungsi tidak dikenal: sihir."]}
    assert list(Agency.objects.values_list("short_name", flat=True)) == ["BKPSDM"]


def test_admin_changes_an_agency_keeping_its_short_name(admin_user, agency):
    response = api_client(admin_user).patch(
        f"/api/v1/agencies/{agency.pk}/", {"head_name": "Dr. Siti"}, format="json"
    )

    assert response.status_code == 200
    agency.refresh_from_db()
    assert (agency.short_name, agency.name, agency.head_name, agency.functions) == (
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Dr. Siti",
        ["sdm"],
    )
    assert AuditEvent.objects.get(action="agencies.imported").after == {
        "created": 0,
        "updated": 1,
    }


@pytest.mark.parametrize("persona", NOT_ADMIN)
def test_only_the_admin_writes_agencies(request, persona, agency):
    client = api_client(request.getfixturevalue(persona))

    created = client.post("/api/v1/agencies/", {"name": "X", "short_name": "X"}, format="json")
    changed = client.patch(f"/api/v1/agencies/{agency.pk}/", {"name": "X"}, format="json")

    assert (created.status_code, changed.status_code) == (404, 404)
    assert list(Agency.objects.values_list("name", flat=True)) == [agency.name]


def test_another_institutions_admin_cannot_change_an_agency(outsider, agency):
    response = api_client(outsider).patch(
        f"/api/v1/agencies/{agency.pk}/", {"name": "X"}, format="json"
    )

    assert response.status_code == 404


def csv_file(text, name="opd.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_admin_imports_agencies_from_a_file_after_a_dry_run(admin_user, agency):
    client = api_client(admin_user)
    text = "nama;singkatan;fungsi\nDinas Kesehatan;Dinkes;pelayanan\nBadan X;BKPSDM;sdm\n"

    checked = client.post(
        "/api/v1/agencies/import/", {"file": csv_file(text), "dry_run": True}, format="multipart"
    )
    assert checked.json() == {
        "dry_run": True,
        "to_create": 1,
        "to_update": 1,
        "created": 0,
        "updated": 0,
        "repeated": False,
    }
    assert Agency.objects.count() == 1

    written = client.post(
        "/api/v1/agencies/import/", {"file": csv_file(text), "token": "k1"}, format="multipart"
    )
    again = client.post(
        "/api/v1/agencies/import/", {"file": csv_file(text), "token": "k1"}, format="multipart"
    )

    assert (written.status_code, written.json()["created"], written.json()["updated"]) == (
        200,
        1,
        1,
    )
    assert again.json()["repeated"] is True
    assert sorted(Agency.objects.values_list("short_name", "name")) == [
        ("BKPSDM", "Badan X"),
        ("Dinkes", "Dinas Kesehatan"),
    ]
    assert AuditEvent.objects.filter(action="agencies.imported").count() == 1


def test_agency_import_reports_each_rows_problems_and_writes_nothing(admin_user):
    client = api_client(admin_user)
    text = "nama,singkatan,fungsi\nDinas Kesehatan,Dinkes,\nDinas Sosial,,\nX,Y,sihir\n"

    response = client.post("/api/v1/agencies/import/", {"file": csv_file(text)}, format="multipart")
    unreadable = client.post(
        "/api/v1/agencies/import/", {"file": csv_file("singkatan\nDinkes\n")}, format="multipart"
    )

    assert response.status_code == 400
    assert problem_errors(response) == {
        "3": ["Kolom nama dan singkatan wajib diisi."],
        "4": ["Fungsi tidak dikenal: sihir."],
    }
    assert problem_errors(unreadable) == {
        "file": ["Kolom wajib tidak ada: nama. Baris pertama harus berisi nama kolom."]
    }
    assert Agency.objects.count() == 0


def test_only_the_admin_imports(coordinator):
    response = api_client(coordinator).post(
        "/api/v1/agencies/import/",
        {"file": csv_file("nama,singkatan\nDinas Sosial,Dinsos\n")},
        format="multipart",
    )

    assert response.status_code == 404
    assert Agency.objects.count() == 0


def test_agency_list_queries_do_not_grow_with_agencies(coordinator, institution, agency):
    client = api_client(coordinator)
    client.get("/api/v1/agencies/")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/agencies/").json()["results"]) == 1
    for number in range(5):
        created = Agency.objects.create(
            institution=institution, name=f"Dinas {number}", short_name=f"D{number}"
        )
        make_user(institution, f"opd-{number}", Role.AGENCY, agency=created)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get("/api/v1/agencies/").json()["results"]) == 6

    assert len(six) == len(one)


# --- Users ----------------------------------------------------------------------------------


def test_admin_lists_the_institutions_users_without_secrets(
    admin_user, coordinator, agency_user, outsider
):
    response = api_client(admin_user).get("/api/v1/users/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["username"], row["roles"]) for row in rows] == [
        ("admin", [{"role": "admin", "agency": None}]),
        ("koordinator", [{"role": "coordinator", "agency": None}]),
        ("opd-bkpsdm", [{"role": "agency", "agency": agency_user.memberships.get().agency_id}]),
    ]
    assert not any("password" in row for row in rows)
    assert "pbkdf2" not in response.content.decode() and "md5$" not in response.content.decode()


def test_user_list_filters_by_role_agency_and_active(
    admin_user, coordinator, agency_user, other_agency_user, agency
):
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    client = api_client(admin_user)

    def names(query):
        return [row["username"] for row in client.get(f"/api/v1/users/?{query}").json()["results"]]

    assert names("role=agency") == ["opd-bkpsdm", "opd-dinkes"]
    assert names(f"agency={agency.pk}") == ["opd-bkpsdm"]
    assert names("is_active=false") == ["koordinator"]
    unknown = client.get("/api/v1/users/?role=kepala")
    assert (unknown.status_code, unknown.json()["errors"]) == (
        400,
        {
            "role": [
                "Nilai tidak dikenal; pilih salah satu: coordinator, supervisor, "
                "secretariat, evaluator, agency, leader, admin."
            ]
        },
    )


@pytest.mark.parametrize("persona", NOT_ADMIN)
def test_users_are_the_admins_only(request, persona, coordinator):
    client = api_client(request.getfixturevalue(persona))

    listed = client.get("/api/v1/users/")
    assert (listed.status_code, listed.json()["results"]) == (200, [])
    assert client.get(f"/api/v1/users/{coordinator.pk}/").status_code == 404
    assert client.post(f"/api/v1/users/{coordinator.pk}/deactivate/").status_code == 404
    assert (
        client.post(
            "/api/v1/users/", {"username": "x", "full_name": "X", "roles": ["admin"]}, format="json"
        ).status_code
        == 404
    )
    assert User.objects.filter(username="x").count() == 0


def test_another_institutions_user_is_404(outsider, coordinator):
    client = api_client(outsider)

    assert client.get(f"/api/v1/users/{coordinator.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/users/{coordinator.pk}/", {"full_name": "X"}, format="json"
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/users/{coordinator.pk}/deactivate/").status_code == 404
    coordinator.refresh_from_db()
    assert (coordinator.full_name, coordinator.is_active) == ("Rina Koordinator", True)


def test_admin_creates_a_user_and_invites_them(
    admin_user, agency, django_capture_on_commit_callbacks
):
    client = api_client(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/users/",
            {
                "username": "budi",
                "full_name": "Budi Santoso",
                "email": "budi@pontianak.go.id",
                "roles": ["agency", "evaluator"],
                "agency": agency.pk,
                "invite": True,
            },
            format="json",
        )

    assert response.status_code == 201
    budi = User.objects.get(username="budi")
    assert response.json()["id"] == budi.pk
    assert response.json()["roles"] == [
        {"role": "agency", "agency": agency.pk},
        {"role": "evaluator", "agency": None},
    ]
    assert (budi.institution, budi.has_usable_password()) == (admin_user.institution, False)
    assert AuditEvent.objects.get(action="user.created").actor == admin_user
    assert AuditEvent.objects.get(action="user.invited").after == {"emailed": True}
    assert [message.to for message in mail.outbox] == [["budi@pontianak.go.id"]]


def test_user_creation_is_refused_with_the_pages_messages(admin_user, coordinator):
    response = api_client(admin_user).post(
        "/api/v1/users/",
        {"username": "KOORDINATOR", "full_name": "Nama", "roles": ["agency"]},
        format="json",
    )

    assert response.status_code == 400
    assert problem_errors(response) == {
        "username": ["Nama pengguna KOORDINATOR sudah dipakai."],
        "agency": ["Pilih OPD untuk peran Operator OPD."],
    }
    assert User.objects.count() == 2


def test_user_creation_in_english_when_asked(admin_user):
    response = api_client(admin_user).post(
        "/api/v1/users/",
        {"username": "bad name!", "full_name": "", "roles": ["raja"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    errors = problem_errors(response)
    assert sorted(errors) == ["full_name", "roles", "username"]
    assert errors["full_name"] == ["This field is required."]


def test_admin_changes_a_user_keeping_what_is_not_sent(admin_user, coordinator, agency):
    response = api_client(admin_user).patch(
        f"/api/v1/users/{coordinator.pk}/",
        {"position": "Kepala Seksi", "roles": ["coordinator", "agency"], "agency": agency.pk},
        format="json",
    )

    assert response.status_code == 200
    coordinator.refresh_from_db()
    assert (coordinator.full_name, coordinator.position) == ("Rina Koordinator", "Kepala Seksi")
    event = AuditEvent.objects.get(action="user.updated")
    assert event.after == {
        "position": "Kepala Seksi",
        "roles": ["agency:BKPSDM", "coordinator"],
    }


def test_admin_cannot_remove_their_own_admin_role(admin_user):
    response = api_client(admin_user).patch(
        f"/api/v1/users/{admin_user.pk}/", {"roles": ["coordinator"]}, format="json"
    )

    assert response.status_code == 400
    assert problem_errors(response) == {
        "roles": ["Anda tidak dapat mencabut peran administrator Anda sendiri."]
    }
    assert list(admin_user.memberships.values_list("role", flat=True)) == [Role.ADMIN]


def test_admin_deactivates_and_reactivates_a_user(admin_user, coordinator):
    client = api_client(admin_user)

    off = client.post(f"/api/v1/users/{coordinator.pk}/deactivate/")
    assert (off.status_code, off.json()["is_active"]) == (200, False)
    on = client.post(f"/api/v1/users/{coordinator.pk}/reactivate/")
    assert (on.status_code, on.json()["is_active"]) == (200, True)
    assert list(
        AuditEvent.objects.filter(target=f"institutions.user:{coordinator.pk}")
        .exclude(action="api_token.created")
        .values_list("action", flat=True)
    ) == ["user.deactivated", "user.reactivated"]


def test_admin_cannot_deactivate_themselves(admin_user):
    response = api_client(admin_user).post(f"/api/v1/users/{admin_user.pk}/deactivate/")

    assert response.status_code == 400
    assert response.json()["detail"] == "Anda tidak dapat menonaktifkan akun Anda sendiri."
    admin_user.refresh_from_db()
    assert admin_user.is_active is True


def test_invitation_without_email_answers_the_link_once(admin_user, coordinator):
    response = api_client(admin_user).post(f"/api/v1/users/{coordinator.pk}/invite/")

    assert response.status_code == 200
    assert response.json()["emailed"] is False
    assert "/undangan/" in response.json()["link"]
    assert mail.outbox == []


def test_user_list_queries_do_not_grow_with_users(admin_user, institution, agency):
    client = api_client(admin_user)
    client.get("/api/v1/users/")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/users/").json()["results"]) == 1
    for number in range(5):
        make_user(institution, f"u{number}", Role.AGENCY, Role.EVALUATOR, agency=agency)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get("/api/v1/users/").json()["results"]) == 6

    assert len(six) == len(one)


def test_admin_resets_a_users_second_factor_and_unlocks(admin_user, coordinator):
    services.enable_second_factor(coordinator, by=coordinator, key="3132333435363738393031323334")
    client = api_client(admin_user)
    assert client.get(f"/api/v1/users/{coordinator.pk}/").json()["has_second_factor"] is True

    reset = client.post(f"/api/v1/users/{coordinator.pk}/reset-second-factor/")
    unlocked = client.post(f"/api/v1/users/{coordinator.pk}/unlock/")

    assert (reset.status_code, reset.json()["has_second_factor"]) == (200, False)
    assert (unlocked.status_code, unlocked.json()["locked_out"]) == (200, False)
    assert list(
        AuditEvent.objects.filter(actor=admin_user)
        .exclude(action="api_token.created")
        .values_list("action", flat=True)
    ) == ["user.second_factor_reset"]


def test_admin_imports_users_and_the_rows_problems_are_the_imports(admin_user, agency, outsider):
    client = api_client(admin_user)
    good = "username;nama;peran;opd\nbudi;Budi;kabid, evaluator;\nopd-x;Operator;opd;BKPSDM\n"
    bad = "username,nama,peran\npkp-koordinator,Orang,koordinator\nadmin,Admin,evaluator\n"

    refused = client.post(
        "/api/v1/users/import/", {"file": csv_file(bad, "u.csv")}, format="multipart"
    )
    written = client.post(
        "/api/v1/users/import/", {"file": csv_file(good, "u.csv")}, format="multipart"
    )

    assert problem_errors(refused) == {
        "2": ["Nama pengguna pkp-koordinator sudah dipakai."],
        "3": ["Anda tidak dapat mencabut peran administrator Anda sendiri."],
    }
    assert (written.status_code, written.json()["created"]) == (200, 2)
    assert sorted(User.objects.get(username="budi").memberships.values_list("role", flat=True)) == [
        "evaluator",
        "supervisor",
    ]
    assert list(User.objects.get(username="opd-x").memberships.values_list("role", "agency")) == [
        ("agency", agency.pk)
    ]


def test_a_form_encoded_change_keeps_every_role(admin_user, coordinator):
    response = api_client(admin_user).patch(
        f"/api/v1/users/{coordinator.pk}/",
        "roles=coordinator&roles=evaluator",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert sorted(coordinator.memberships.values_list("role", flat=True)) == [
        "coordinator",
        "evaluator",
    ]


def test_user_list_refuses_an_agency_id_no_row_can_have(admin_user):
    response = api_client(admin_user).get("/api/v1/users/?agency=99999999999999999999999")

    assert (response.status_code, problem_errors(response)) == (
        400,
        {"agency": ["Isi dengan nomor id."]},
    )
