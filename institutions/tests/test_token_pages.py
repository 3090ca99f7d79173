"""Page "Token API" (/akun/token-api/): the person's own tokens listed, created with the
text shown once, revoked after a confirmation; through the same services as the API."""

import datetime
import re
import zoneinfo

from django.utils import timezone

from audit.models import AuditEvent
from institutions.models import ApiToken
from institutions.services.tokens import create_api_token, digest_of, revoke_api_token

URL = "/akun/token-api/"


def text_on(response):
    found = re.search(r'value="(monev_[^"]+)"', response.content.decode())
    return found.group(1) if found else None


def form_key_of(response):
    return re.search(r'name="form_key" value="([^"]+)"', response.content.decode()).group(1)


def test_list_shows_own_tokens_with_their_state(client, coordinator, supervisor):
    create_api_token(by=coordinator, name="e-office")
    revoked, _text = create_api_token(by=coordinator, name="skrip lama")
    revoke_api_token(revoked, by=coordinator)
    create_api_token(by=supervisor, name="punya kabid")
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    rows = [(t.name, t.revoked_at is None) for t in response.context["tokens"]]
    assert rows == [("skrip lama", False), ("e-office", True)]
    page = response.content.decode()
    assert "punya kabid" not in page
    assert page.count(">aktif</span>") == 1 and page.count(">dicabut</span>") == 1
    assert f"<code>{revoked.prefix}…</code>" in page
    assert text_on(response) is None


def test_create_shows_the_text_once(client, coordinator):
    client.force_login(coordinator)
    key = form_key_of(client.get(URL))
    response = client.post(URL, {"name": "Dasbor SPBE", "expires_on": "", "form_key": key})
    assert response.status_code == 200
    text = text_on(response)
    token = ApiToken.objects.get(user=coordinator)
    assert (token.name, token.digest, token.expires_at) == ("Dasbor SPBE", digest_of(text), None)
    assert "tidak akan ditampilkan lagi" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1
    # Shown once: the list afterwards, and the same form sent again, never show it.
    assert text_on(client.get(URL)) is None
    again = client.post(URL, {"name": "Dasbor SPBE", "expires_on": "", "form_key": key})
    assert again.status_code == 302 and again.url == URL
    assert ApiToken.objects.filter(user=coordinator).count() == 1
    assert text not in str(client.session.items())
    # The token works against the API as its user.
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {text}")
    assert me.json()["username"] == "koordinator"


def test_create_with_expiry_lasts_to_the_end_of_that_day(client, coordinator):
    client.force_login(coordinator)
    key = form_key_of(client.get(URL))
    client.post(URL, {"name": "sementara", "expires_on": "2099-03-31", "form_key": key})
    expires = ApiToken.objects.get(user=coordinator).expires_at
    local = expires.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert (local.date(), local.hour, local.minute) == (datetime.date(2099, 3, 31), 23, 59)


def test_create_refuses_a_past_date_and_an_empty_name(client, coordinator):
    client.force_login(coordinator)
    key = form_key_of(client.get(URL))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(URL, {"name": "x", "expires_on": yesterday, "form_key": key})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "expires_on": ["Tanggal berlaku harus di masa depan."]
    }
    response = client.post(URL, {"name": "  ", "expires_on": "", "form_key": key})
    assert list(response.context["form"].errors) == ["name"]
    assert ApiToken.objects.count() == 0


def test_revoke_asks_first_and_says_the_consequence(client, coordinator):
    token, text = create_api_token(by=coordinator, name="e-office")
    client.force_login(coordinator)
    url = f"/akun/token-api/{token.pk}/cabut/"
    asked = client.post(url)
    assert asked.status_code == 200
    assert asked.context["consequences"] == [
        f"Program yang memakai token e-office ({token.prefix}…) langsung berhenti bekerja: "
        "setiap permintaannya ditolak (401) sejak saat ini."
    ]
    token.refresh_from_db()
    assert token.revoked_at is None
    done = client.post(url, {"confirmed": "yes"})
    assert (done.status_code, done.url) == (302, URL)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_another_persons_token_is_404(client, coordinator, supervisor, outsider):
    token, _text = create_api_token(by=supervisor, name="punya kabid")
    for person in (coordinator, outsider):
        client.force_login(person)
        assert (
            client.post(f"/akun/token-api/{token.pk}/cabut/", {"confirmed": "yes"}).status_code
            == 404
        )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(client, coordinator):
    token, _text = create_api_token(by=coordinator, name="e-office")
    client.force_login(coordinator)
    assert client.get(f"/akun/token-api/{token.pk}/cabut/").status_code == 405


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/masuk/")


def test_operator_has_tokens_too(client, agency_user):
    client.force_login(agency_user)
    key = form_key_of(client.get(URL))
    response = client.post(URL, {"name": "SIMPEG", "expires_on": "", "form_key": key})
    assert ApiToken.objects.get().user == agency_user
    assert text_on(response).startswith("monev_")


def test_account_page_links_tokens_and_docs(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/akun/").content.decode()
    assert f'href="{URL}"' in page and 'href="/api/docs/"' in page
