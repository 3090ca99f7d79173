"""Personal API tokens: shown once, stored hashed, revoked or expired → 401 with problem
details in the request's language."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from institutions.models import ApiToken
from institutions.services.tokens import create_api_token, digest_of, revoke_api_token


def bearer(text):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def test_token_is_shown_once_and_stored_hashed(coordinator):
    token, text = create_api_token(by=coordinator, name="e-office")
    assert text.startswith("monev_") and len(text) > 40
    assert token.digest == digest_of(text) and text not in token.digest
    assert token.prefix == text[6:12]
    listed = bearer(text).get("/api/v1/tokens/").json()
    assert [row["name"] for row in listed["results"]] == ["e-office"]
    assert "token" not in listed["results"][0] and "digest" not in listed["results"][0]
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1


def test_token_authenticates_as_its_user(coordinator, institution):
    _token, text = create_api_token(by=coordinator, name="dasbor")
    response = bearer(text).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == coordinator.username
    assert response.json()["institution"] == institution.pk
    assert response.json()["roles"] == [{"role": "coordinator", "agency": None}]


def test_api_creates_token_and_answers_text_once(coordinator):
    _token, text = create_api_token(by=coordinator, name="pertama")
    response = bearer(text).post("/api/v1/tokens/", {"name": "kedua"}, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["token"].startswith("monev_")
    assert bearer(created["token"]).get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.get(pk=created["id"]).digest == digest_of(created["token"])


def test_revoked_token_is_401_problem(coordinator):
    token, text = create_api_token(by=coordinator, name="lama")
    revoke_api_token(token, by=coordinator)
    response = bearer(text).get("/api/v1/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert body["detail"] == "Token tidak dikenal, sudah dicabut, atau sudah kedaluwarsa."
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_expired_token_is_401_in_english_when_asked(coordinator):
    now = timezone.now()
    _token, text = create_api_token(
        by=coordinator, name="sementara", expires_at=now + datetime.timedelta(days=1)
    )
    assert bearer(text).get("/api/v1/me/").status_code == 200
    with time_machine.travel(now + datetime.timedelta(days=1, seconds=1)):
        response = bearer(text).get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 401
    assert response.json()["detail"] == "Unknown, revoked or expired token."


def test_unknown_token_and_no_credentials_are_401(db):
    assert bearer("monev_notatoken").get("/api/v1/me/").status_code == 401
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_revoking_another_users_token_is_404(coordinator, evaluator):
    token, _text = create_api_token(by=evaluator, name="milik evaluator")
    _own, text = create_api_token(by=coordinator, name="milik koordinator")
    response = bearer(text).post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_through_api_is_idempotent(coordinator):
    token, text = create_api_token(by=coordinator, name="ganda")
    _other, keep = create_api_token(by=coordinator, name="tetap")
    for _ in range(2):
        assert bearer(keep).post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 200
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    assert bearer(text).get("/api/v1/me/").status_code == 401


def test_token_needs_a_name_and_a_future_expiry(coordinator):
    _token, text = create_api_token(by=coordinator, name="a")
    client = bearer(text)
    response = client.post("/api/v1/tokens/", {"name": " "}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]["name"] == ["Bidang ini tidak boleh kosong."]
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = client.post("/api/v1/tokens/", {"name": "b", "expires_at": past}, format="json")
    assert response.json()["errors"]["expires_at"] == ["Tanggal berlaku harus di masa depan."]


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_page_are_served(coordinator, client, path):
    client.force_login(coordinator)
    assert client.get(path).status_code == 200


def test_installation_admin_gets_a_token_a_person_of_no_institution_does_not(db):
    from django.core.exceptions import PermissionDenied

    from institutions.models import User

    root = User.objects.create_superuser("root", password="x")
    _token, text = create_api_token(by=root, name="provinsi")
    assert bearer(text).get("/api/v1/me/").json()["institution"] is None
    nobody = User.objects.create_user("nobody", password="x")
    with pytest.raises(PermissionDenied):
        create_api_token(by=nobody, name="x")
