"""What every request pays before its view, and what the response pays after it: the fixed
queries of a signed-in request, and gzip for the pages but not for the files."""

import datetime
import gzip
import io

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.http import FileResponse, HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone
from django_otp.oath import totp

from institutions.models import Role
from institutions.permissions import agencies_of, is_staff_member, roles_of
from institutions.services import enable_second_factor
from monev.testing import PASSWORD, make_user


@login_required
def whoami(request):
    """A page that asks what every page asks: who, of which institution, in which zone, with
    which roles and OPDs."""
    user = request.user
    parts = [
        user.institution.name,
        timezone.get_current_timezone_name(),
        ",".join(sorted(roles_of(user))),
        ",".join(agency.short_name for agency in agencies_of(user)),
        str(is_staff_member(user)),
        str(sorted(roles_of(user))),  # asked twice: memberships are read once
    ]
    return HttpResponse("<p>" + " | ".join(parts) + "</p>" + "<p>Monev SPBE</p>" * 50)


def scan(request):
    return FileResponse(io.BytesIO(b"%PDF-1.7 " + b"x" * 5000), content_type="application/pdf")


def export(request):
    return HttpResponse(b"PK" + b"x" * 5000, content_type="application/zip")


urlpatterns = [
    path("siapa/", whoami, name="whoami"),
    path("pindaian/", scan, name="scan"),
    path("ekspor/", export, name="export"),
    path("", include("monev.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def operator(institution, agency):
    institution.time_zone = "Asia/Pontianak"
    institution.save()
    return make_user(institution, "opd-bkpsdm", Role.AGENCY, agency=agency)


def test_a_signed_in_request_costs_three_queries(client, operator, django_assert_num_queries):
    client.force_login(operator)

    with django_assert_num_queries(3) as captured:
        response = client.get("/siapa/")

    assert response.content.decode().startswith(
        "<p>Pemerintah Kota Pontianak | Asia/Pontianak | agency | BKPSDM | False | ['agency']</p>"
    )
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in captured.captured_queries]
    assert tables == ['"django_session"', '"institutions_user"', '"institutions_membership"']
    user_query = captured.captured_queries[1]["sql"]
    assert 'LEFT JOIN "institutions_institution" i' in user_query


def session_writes(captured):
    return [
        q
        for q in captured.captured_queries
        if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]


def test_the_session_is_written_once_a_minute_at_most(client, operator, django_assert_num_queries):
    """The idle clock (institutions.middleware.IdleSessionMiddleware) moves on at most once
    a minute: a session ends between SESSION_IDLE_MINUTES - 1 and SESSION_IDLE_MINUTES
    after its last request, and a page view within the minute writes nothing."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(operator)
        clock.shift(datetime.timedelta(seconds=59))
        with django_assert_num_queries(3) as captured:
            client.get("/siapa/")
        assert session_writes(captured) == []
        clock.shift(datetime.timedelta(seconds=2))
        # The write: the UPDATE, in a transaction (a savepoint within the test's).
        with django_assert_num_queries(6) as captured:
            client.get("/siapa/")
        assert len(session_writes(captured)) == 1
        expiry = Session.objects.get().expire_date
        assert expiry == timezone.now() + datetime.timedelta(minutes=60)


def test_a_session_ends_at_logout_and_at_its_expiry(client, operator):
    client.force_login(operator)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/siapa/").status_code == 200
    Session.objects.filter(pk=key).update(expire_date=timezone.now())
    assert client.get("/siapa/").url == "/masuk/?next=/siapa/"

    client.force_login(operator)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/siapa/").url == "/masuk/?next=/siapa/"


def test_a_deactivated_user_is_signed_out(client, operator):
    client.force_login(operator)
    operator.is_active = False
    operator.save()

    response = client.get("/siapa/")

    assert response.status_code == 302
    assert response.url == "/masuk/?next=/siapa/"


def test_pages_are_compressed_for_clients_that_ask(client, operator):
    client.force_login(operator)
    plain = client.get("/siapa/")

    response = client.get("/siapa/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < len(plain.content) / 4
    assert gzip.decompress(response.content) == plain.content


@pytest.mark.parametrize("url", ["/pindaian/", "/ekspor/"])
def test_files_are_sent_as_they_are(client, url):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in response
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:2] in (b"%P", b"PK")
    assert len(body) > 5000


def test_a_session_verified_by_its_second_factor_costs_no_more(
    client, coordinator, django_assert_num_queries
):
    device = enable_second_factor(
        coordinator, by=coordinator, key="3132333435363738393031323334353637383930"
    )
    client.post(reverse("login"), {"username": "koordinator", "password": PASSWORD})
    assert client.get("/siapa/").url == "/masuk/kode/?next=%2Fsiapa%2F"
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client.post(reverse("otp_verify"), {"token": f"{code:06d}", "next": "/"})

    with django_assert_num_queries(3):
        response = client.get("/siapa/")

    assert response.status_code == 200
