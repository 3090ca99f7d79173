"""The province view: a city's administrator grants a province read access to its results
(audited, revocable); the province's staff read the city's cycles and results under
/institutions/<id>/, and nobody else does (404)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import services
from assessments.models import ResultsGrant
from audit.models import AuditEvent
from cycles import services as cycle_services
from institutions.models import Institution, Role, User
from monev.testing import api_client, make_user
from sops.services import SHIPPED_SOPS, load_sop_file


@pytest.fixture
def province(db):
    return Institution.objects.create(
        slug="kalbar", name="Pemerintah Provinsi Kalimantan Barat", kind=Institution.Kind.PROVINCE
    )


@pytest.fixture
def province_user(province):
    return make_user(province, "prov-evaluator", Role.EVALUATOR, full_name="Evaluator Provinsi")


@pytest.fixture
def province_operator(province):
    """An OPD operator of the province: not staff, so not a reader of granted results."""
    from institutions.models import Agency

    agency = Agency.objects.create(institution=province, name="Dinas Kominfo Provinsi")
    return make_user(province, "prov-opd", Role.AGENCY, agency=agency)


@pytest.fixture
def installation_admin(db):
    return User.objects.create_superuser("root", password="x", institution=None)


@pytest.fixture
def other_cycle(framework, outsider, other_institution, foreign_agency):
    """A cycle of the other city (Pangkalpinang), which grants nothing."""
    load_sop_file(SHIPPED_SOPS["pangkalpinang"], institution=other_institution)
    return cycle_services.open_cycle(
        by=outsider,
        year=2026,
        framework=framework,
        agencies=[foreign_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=outsider,
    )


@pytest.fixture
def grant(admin_user, province):
    return services.grant_results_access(by=admin_user, grantee=province)


def city_urls(institution, cycle):
    base = f"/api/v1/institutions/{institution.pk}/cycles/"
    return [base, f"{base}{cycle.pk}/results/"]


# --- The service -----------------------------------------------------------------------------


def test_grant_is_audited_and_a_retry_is_the_same_grant(admin_user, province, institution):
    first = services.grant_results_access(by=admin_user, grantee=province)
    again = services.grant_results_access(by=admin_user, grantee=province)

    assert again.pk == first.pk
    assert (first.grantor, first.grantee, first.granted_by) == (institution, province, admin_user)
    assert first.is_active
    events = AuditEvent.objects.filter(action="results_grant.created")
    assert [(e.actor, e.after) for e in events] == [
        (admin_user, {"grantee": province.pk, "grantee_name": province.name})
    ]


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "leader", "agency_user"])
def test_only_the_administrator_grants(request, persona, province):
    with pytest.raises(PermissionDenied):
        services.grant_results_access(by=request.getfixturevalue(persona), grantee=province)
    assert ResultsGrant.objects.count() == 0


def test_an_institution_does_not_grant_itself(admin_user, institution):
    with pytest.raises(ValidationError):
        services.grant_results_access(by=admin_user, grantee=institution)


def test_revoke_is_audited_once_and_only_by_the_grantors_admin(grant, admin_user, outsider):
    with pytest.raises(PermissionDenied):
        services.revoke_results_access(grant, by=outsider)
    services.revoke_results_access(grant, by=admin_user)
    services.revoke_results_access(grant, by=admin_user)

    grant.refresh_from_db()
    assert grant.revoked_at is not None and not grant.is_active
    assert AuditEvent.objects.filter(action="results_grant.revoked").count() == 1


def test_granting_again_after_a_revoke_is_a_new_grant(grant, admin_user, province):
    services.revoke_results_access(grant, by=admin_user)
    renewed = services.grant_results_access(by=admin_user, grantee=province)
    assert renewed.pk != grant.pk and renewed.is_active


# --- The grants API --------------------------------------------------------------------------


def test_admin_creates_lists_and_revokes_grants_through_the_api(admin_user, province):
    client = api_client(admin_user)

    response = client.post("/api/v1/results-grants/", {"grantee": province.pk}, format="json")
    assert response.status_code == 201
    created = response.json()
    assert (created["grantee"], created["grantee_name"], created["is_active"]) == (
        province.pk,
        province.name,
        True,
    )
    assert created["granted_by"] == "Admin Diskominfo"

    listed = client.get("/api/v1/results-grants/").json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]

    revoked = client.post(f"/api/v1/results-grants/{created['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    active = client.get("/api/v1/results-grants/", {"active": "true"}).json()
    assert active["count"] == 0
    revoked_only = client.get("/api/v1/results-grants/", {"active": "false"}).json()
    assert [row["id"] for row in revoked_only["results"]] == [created["id"]]
    unknown = client.get("/api/v1/results-grants/", {"active": "1"})
    assert (unknown.status_code, unknown.json()["errors"]) == (
        400,
        {"active": ["Nilai tidak dikenal; pilih salah satu: true, false."]},
    )


@pytest.mark.parametrize("count", [1, 4])
def test_grant_list_query_count_is_constant(admin_user, django_assert_num_queries, count):
    for number in range(count):
        grantee = Institution.objects.create(slug=f"prov-{number}", name=f"Provinsi {number}")
        services.grant_results_access(by=admin_user, grantee=grantee)
    client = api_client(admin_user)
    client.get("/api/v1/results-grants/")  # the token's first use is written once
    # token (with its user's institution), memberships, count, page
    with django_assert_num_queries(4):
        assert client.get("/api/v1/results-grants/").json()["count"] == count


def test_grant_to_an_unknown_institution_is_400(admin_user):
    response = api_client(admin_user).post(
        "/api/v1/results-grants/", {"grantee": 987654}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["grantee"]


@pytest.mark.parametrize("persona", ["coordinator", "evaluator", "agency_user", "province_user"])
def test_grants_are_the_administrators_only(request, persona, grant, province):
    """Anyone else lists none, and granting or revoking is a 404 to them."""
    client = api_client(request.getfixturevalue(persona))
    listed = client.get("/api/v1/results-grants/")
    assert (listed.status_code, listed.json()["results"]) == (200, [])
    posted = client.post("/api/v1/results-grants/", {"grantee": province.pk}, format="json")
    assert posted.status_code == 404
    assert client.post(f"/api/v1/results-grants/{grant.pk}/revoke/").status_code == 404
    assert ResultsGrant.objects.get().is_active


def test_another_institutions_admin_cannot_revoke(grant, outsider):
    response = api_client(outsider).post(f"/api/v1/results-grants/{grant.pk}/revoke/")
    assert response.status_code == 404
    assert ResultsGrant.objects.get().is_active


def test_the_grantee_lists_what_it_received(grant, province_user, institution):
    body = api_client(province_user).get("/api/v1/results-grants/received/").json()
    assert [(row["grantor"], row["grantor_name"]) for row in body["results"]] == [
        (institution.pk, institution.name)
    ]


# --- Reading a city's results ----------------------------------------------------------------


def test_grantee_reads_the_granted_citys_results(
    grant, province_user, coordinator, cycle, decide_all, institution
):
    decide_all()
    client = api_client(province_user)

    cycles = client.get(f"/api/v1/institutions/{institution.pk}/cycles/").json()
    assert [row["id"] for row in cycles["results"]] == [cycle.pk]

    response = client.get(f"/api/v1/institutions/{institution.pk}/cycles/{cycle.pk}/results/")
    assert response.status_code == 200
    own = api_client(coordinator).get(f"/api/v1/cycles/{cycle.pk}/results/").json()
    assert response.json() == own
    # Results only: the index, the nodes and the predicate; no answer, explanation or evidence.
    assert set(response.json()) == {
        "cycle",
        "year",
        "framework",
        "status",
        "next_rating",
        "complete",
        "index",
        "index_display",
        "rating",
        "missing",
        "nodes",
    }
    assert "fakta" not in response.content.decode()


def test_grantee_gets_404_for_a_city_that_granted_nothing(
    grant, province_user, other_institution, other_cycle
):
    client = api_client(province_user)
    for path in city_urls(other_institution, other_cycle):
        assert client.get(path).status_code == 404, path


def test_after_revoke_the_grantee_gets_404(grant, admin_user, province_user, institution, cycle):
    services.revoke_results_access(grant, by=admin_user)
    client = api_client(province_user)
    for path in city_urls(institution, cycle):
        assert client.get(path).status_code == 404, path


def test_a_city_user_cannot_read_another_city(grant, outsider, institution, cycle):
    client = api_client(outsider)
    for path in city_urls(institution, cycle):
        assert client.get(path).status_code == 404, path


def test_the_grantees_opd_operator_reads_nothing(grant, province_operator, institution, cycle):
    client = api_client(province_operator)
    for path in city_urls(institution, cycle):
        assert client.get(path).status_code == 404, path


def test_a_cycle_of_another_institution_under_a_granted_one_is_404(
    grant, province_user, institution, other_cycle
):
    path = f"/api/v1/institutions/{institution.pk}/cycles/{other_cycle.pk}/results/"
    assert api_client(province_user).get(path).status_code == 404


def test_an_unknown_institution_is_404(province_user):
    assert api_client(province_user).get("/api/v1/institutions/987654/cycles/").status_code == 404


def test_installation_admin_reads_every_institution(
    installation_admin, institution, cycle, other_institution, other_cycle
):
    # A user without an institution has no API token: the session authenticates.
    client = APIClient()
    client.force_login(installation_admin)
    for inst, each in ((institution, cycle), (other_institution, other_cycle)):
        for path in city_urls(inst, each):
            assert client.get(path).status_code == 200, path


def test_installation_admin_has_no_grants_of_its_own(installation_admin, grant):
    client = APIClient()
    client.force_login(installation_admin)
    assert client.get("/api/v1/results-grants/").json()["count"] == 0
    assert client.post(f"/api/v1/results-grants/{grant.pk}/revoke/").status_code == 404
    assert client.get("/api/v1/results-grants/received/").json()["count"] == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("leader", 200), ("admin_user", 200), ("agency_user", 404)],
)
def test_the_citys_own_people_per_role(request, persona, status, institution, cycle):
    client = api_client(request.getfixturevalue(persona))
    for path in city_urls(institution, cycle):
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize("years", [[2025], [2023, 2024, 2025]])
def test_institution_cycle_list_query_count_is_constant(
    grant, province_user, institution, cycle, coordinator, agency, django_assert_num_queries, years
):
    for year in years:
        cycle_services.open_cycle(
            by=coordinator,
            year=year,
            framework=cycle.framework,
            agencies=[agency],
            deadline=timezone.localdate() + datetime.timedelta(days=14),
            contact_person=coordinator,
        )
    client = api_client(province_user)
    path = f"/api/v1/institutions/{institution.pk}/cycles/"
    client.get(path)  # the token's first use is written once
    # token, memberships, institution, grant, count, page
    with django_assert_num_queries(6):
        body = client.get(path).json()
    assert body["count"] == len(years) + 1
