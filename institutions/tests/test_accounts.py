"""Accounts in the app: the institution admin's user pages, invitations, passwords, lockout,
idle sessions and the second factor. Every sign-in goes through the real login form."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from institutions import services
from institutions.models import Role, User
from monev.testing import PASSWORD

SITE = "https://monev.contoh.go.id"
NEW_PASSWORD = "Sungai-Kapuas-2026"
KEY = "3132333435363738393031323334353637383930"  # a TOTP secret, hex


def log_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(response):
    return response.status_code == 302 and response.url == reverse("home")


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


# --- The admin manages the institution's users ---------------------------------------------


def test_admin_creates_a_user_who_is_invited_by_email(
    client, admin_user, agency, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person_create"),
            {
                "username": "budi",
                "full_name": "Budi Santoso",
                "email": "budi@pontianak.go.id",
                "nip": "19800101 200501 1 001",
                "position": "Pranata Komputer",
                "roles": ["agency", "evaluator"],
                "agency": agency.pk,
                "invite": "on",
            },
        )
    budi = User.objects.get(username="budi")
    assert (response.status_code, response.url) == (302, reverse("person_detail", args=[budi.pk]))
    assert (budi.institution, budi.full_name, budi.has_usable_password()) == (
        admin_user.institution,
        "Budi Santoso",
        False,
    )
    assert sorted(budi.memberships.values_list("role", "agency")) == [
        (Role.AGENCY, agency.pk),
        (Role.EVALUATOR, None),
    ]
    event = AuditEvent.objects.get(action="user.created")
    assert (event.actor, event.target, event.after["roles"]) == (
        admin_user,
        f"institutions.user:{budi.pk}",
        ["agency:BKPSDM", "evaluator"],
    )
    assert AuditEvent.objects.get(action="user.invited").after == {"emailed": True}
    [message] = mail.outbox
    assert message.to == ["budi@pontianak.go.id"]
    assert message.subject == "[Monev SPBE] Undangan: tetapkan kata sandi akun Anda"
    assert link_in(message).startswith(f"{SITE}/undangan/")


def test_create_form_keeps_what_was_typed_on_error(client, admin_user, coordinator):
    client.force_login(admin_user)
    response = client.post(
        reverse("person_create"),
        {"username": "KOORDINATOR", "full_name": "Nama Yang Diketik", "roles": ["agency"]},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nama pengguna KOORDINATOR sudah dipakai." in html
    assert "Pilih OPD untuk peran Operator OPD." in html
    assert 'value="Nama Yang Diketik"' in html
    assert User.objects.count() == 2


def test_admin_edits_a_user_and_the_change_is_audited(client, admin_user, coordinator, agency):
    client.force_login(admin_user)
    response = client.post(
        reverse("person_edit", args=[coordinator.pk]),
        {
            "full_name": "Rina Wulandari",
            "email": "rina@pontianak.go.id",
            "nip": "",
            "position": "Kepala Seksi",
            "roles": ["coordinator", "agency"],
            "agency": agency.pk,
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert (coordinator.full_name, coordinator.email, coordinator.position) == (
        "Rina Wulandari",
        "rina@pontianak.go.id",
        "Kepala Seksi",
    )
    event = AuditEvent.objects.get(action="user.updated")
    assert event.before == {
        "full_name": "Rina Koordinator",
        "email": "",
        "position": "",
        "roles": ["coordinator"],
    }
    assert event.after == {
        "full_name": "Rina Wulandari",
        "email": "rina@pontianak.go.id",
        "position": "Kepala Seksi",
        "roles": ["agency:BKPSDM", "coordinator"],
    }


def test_admin_cannot_remove_their_own_admin_role(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("person_edit", args=[admin_user.pk]),
        {"full_name": "Admin", "roles": ["coordinator"]},
    )
    assert "Anda tidak dapat mencabut peran administrator Anda sendiri." in (
        response.content.decode()
    )
    assert list(admin_user.memberships.values_list("role", flat=True)) == [Role.ADMIN]
    assert not AuditEvent.objects.filter(action="user.updated").exists()


def test_deactivation_asks_first_and_then_the_user_cannot_log_in(client, admin_user, coordinator):
    client.force_login(admin_user)
    url = reverse("person_deactivate", args=[coordinator.pk])
    html = client.get(url).content.decode()
    assert "Nonaktifkan akun koordinator?" in html
    assert "Rina Koordinator tidak dapat masuk lagi dan sesi yang sedang terbuka berakhir." in html
    assert User.objects.get(pk=coordinator.pk).is_active

    client.post(url)
    coordinator.refresh_from_db()
    assert not coordinator.is_active
    assert AuditEvent.objects.filter(action="user.deactivated").count() == 1

    other = client.__class__()
    response = log_in(other, "koordinator")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()

    client.post(reverse("person_reactivate", args=[coordinator.pk]))
    assert logged_in(log_in(client.__class__(), "koordinator"))


def test_deactivation_ends_the_users_open_session(client, admin_user, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200
    services.deactivate_user(coordinator, by=admin_user)
    assert client.get(reverse("home")).url == "/masuk/?next=/"


def test_admin_cannot_deactivate_themselves(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("person_deactivate", args=[admin_user.pk]), follow=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


PERSON_PAGES = [
    ("get", "person_detail"),
    ("get", "person_edit"),
    ("post", "person_edit"),
    ("get", "person_deactivate"),
    ("post", "person_deactivate"),
    ("post", "person_reactivate"),
    ("post", "person_invite"),
    ("post", "person_unlock"),
    ("get", "person_reset_second_factor"),
    ("post", "person_reset_second_factor"),
]


@pytest.mark.parametrize(("method", "name"), PERSON_PAGES)
def test_another_institutions_admin_gets_404_on_every_user_page(
    client, outsider, coordinator, method, name
):
    client.force_login(outsider)
    response = getattr(client, method)(reverse(name, args=[coordinator.pk]))
    assert response.status_code == 404
    coordinator.refresh_from_db()
    assert coordinator.is_active


@pytest.mark.parametrize(
    "persona", ["coordinator", "supervisor", "secretariat", "evaluator", "leader", "agency_user"]
)
def test_non_admins_get_404_on_user_pages(request, client, persona, admin_user):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("person_create")).status_code == 404
    for method, name in PERSON_PAGES:
        assert getattr(client, method)(reverse(name, args=[admin_user.pk])).status_code == 404


# --- Import with a preview ------------------------------------------------------------------


def _csv(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pengguna.csv", content.encode())


def test_user_import_with_a_bad_row_shows_row_errors_and_saves_nothing(client, admin_user, agency):
    client.force_login(admin_user)
    content = "username,nama,peran,opd\nbudi,Budi,kabid,\nsiti,Siti,opd,XYZ\n"
    response = client.post(reverse("import_rows", args=["pengguna"]), {"file": _csv(content)})
    html = response.content.decode()
    assert "1 kesalahan — tidak ada data yang disimpan" in html
    assert "OPD XYZ tidak ditemukan di instansi ini." in html
    assert "Simpan impor" not in html
    assert User.objects.count() == 1
    response = client.post(reverse("import_confirm", args=["pengguna"]), {"token": ""})
    assert response.url == reverse("import_rows", args=["pengguna"])
    assert User.objects.count() == 1


def test_user_import_saves_only_after_confirmation(client, admin_user, agency, coordinator):
    client.force_login(admin_user)
    content = (
        "username,nama,peran,opd,kata_sandi\n"
        "budi,Budi,kabid,,\n"
        "koordinator,Rina,koordinator;evaluator,,\n"
    )
    preview = client.post(reverse("import_rows", args=["pengguna"]), {"file": _csv(content)})
    html = preview.content.decode()
    assert "Pratinjau: 1 baru, 1 diperbarui — belum disimpan" in html
    assert [row[:2] for row in preview.context["preview"]] == [(2, True), (3, False)]
    assert "kata_sandi</th>" not in html
    assert not User.objects.filter(username="budi").exists()
    assert not AuditEvent.objects.filter(action="users.imported").exists()

    token = preview.context["token"]
    response = client.post(
        reverse("import_confirm", args=["pengguna"]), {"token": token}, follow=True
    )
    assert response.redirect_chain == [(reverse("people"), 302)]
    assert "Impor selesai: 1 baru, 1 diperbarui." in response.content.decode()
    assert User.objects.get(username="budi").memberships.get().role == Role.SUPERVISOR
    assert sorted(coordinator.memberships.values_list("role", flat=True)) == [
        "coordinator",
        "evaluator",
    ]
    # A second click on the same confirmation saves nothing twice.
    again = client.post(reverse("import_confirm", args=["pengguna"]), {"token": token})
    assert again.url == reverse("import_rows", args=["pengguna"])
    assert AuditEvent.objects.filter(action="users.imported").count() == 1


def test_import_cannot_take_away_the_importing_admins_own_role(admin_user):
    rows = [(2, {"username": "admin", "nama": "Admin", "peran": "koordinator"})]
    report = services.check_users(admin_user.institution, rows, by=admin_user)
    assert [(e.line, e.message) for e in report.errors] == [
        (2, "Anda tidak dapat mencabut peran administrator Anda sendiri.")
    ]


# --- Invitations and passwords ---------------------------------------------------------------


def _invite(admin_user, person, capture):
    person.email = "orang@pontianak.go.id"
    person.save()
    with capture(execute=True):
        services.send_invitation(person, by=admin_user)
    return link_in(mail.outbox[-1])


def test_invitation_link_sets_the_password_once(
    client, admin_user, institution, django_capture_on_commit_callbacks
):
    person = services.create_user(
        institution, by=admin_user, username="baru", full_name="Orang Baru", roles=[Role.EVALUATOR]
    )
    link = _invite(admin_user, person, django_capture_on_commit_callbacks)
    path = link.removeprefix(SITE)
    form_page = client.get(path, follow=True)
    assert "Selamat datang di Monev SPBE" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Kata sandi Anda tersimpan." in response.content.decode()
    assert AuditEvent.objects.get(action="user.password_set").after == {"how": "invitation"}
    assert logged_in(log_in(client.__class__(), "baru", NEW_PASSWORD))

    again = client.__class__().get(path, follow=True).content.decode()
    assert "Tautan tidak berlaku" in again
    assert "Minta administrator instansi Anda mengirim tautan undangan baru." in again


def test_expired_invitation_link_is_refused(
    client, admin_user, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_DAYS = 7
    with time_machine.travel(timezone.now(), tick=False) as clock:
        path = _invite(admin_user, coordinator, django_capture_on_commit_callbacks)
        path = path.removeprefix(SITE)
        clock.shift(datetime.timedelta(days=6, hours=23))
        assert 'name="new_password1"' in client.get(path, follow=True).content.decode()
        clock.shift(datetime.timedelta(hours=2))
        assert "Tautan tidak berlaku" in client.get(path, follow=True).content.decode()


def test_invitation_without_email_is_shown_once_to_the_admin(client, admin_user, coordinator):
    client.force_login(admin_user)
    response = client.post(reverse("person_invite", args=[coordinator.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{SITE}/undangan/' in html
    assert "Tautan ini hanya ditampilkan sekarang, berlaku 7 hari dan sekali pakai." in html
    assert mail.outbox == []


def test_an_invitation_sent_twice_at_once_is_sent_once(
    admin_user, coordinator, django_capture_on_commit_callbacks
):
    coordinator.email = "rina@pontianak.go.id"
    coordinator.save()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            services.send_invitation(coordinator, by=admin_user)

    assert AuditEvent.objects.filter(action="user.invited").count() == 1
    assert len(mail.outbox) == 1


def test_an_invitation_sent_again_later_is_sent_again(
    admin_user, coordinator, django_capture_on_commit_callbacks
):
    coordinator.email = "rina@pontianak.go.id"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitation(coordinator, by=admin_user)

    later = timezone.now() + services.INVITATION_REPEAT + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.send_invitation(coordinator, by=admin_user)

    assert AuditEvent.objects.filter(action="user.invited").count() == 2
    assert len(mail.outbox) == 2


def test_user_changes_their_password(client, coordinator):
    client.force_login(coordinator)
    url = reverse("password_change")
    assert "Ubah kata sandi" in client.get(url).content.decode()
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("account"), 302)]
    assert "Kata sandi Anda telah diubah." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # still signed in here


def test_passwords_need_ten_characters_and_not_only_digits(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Kapuas-26", "new_password2": "Kapuas-26"},
    )
    html = response.content.decode()
    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter." in html
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "8305716492", "new_password2": "8305716492"},
    )
    assert "Kata sandi ini seluruhnya terdiri dari angka." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_password_reset_email_links_to_the_site_url(client, coordinator):
    coordinator.email = "rina@pontianak.go.id"
    coordinator.save()
    assert "Lupa kata sandi?" in client.get(reverse("login")).content.decode()
    response = client.post(
        reverse("password_reset"), {"email": "rina@pontianak.go.id"}, HTTP_HOST="localhost"
    )
    assert response.url == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.subject == "[Monev SPBE] Tautan untuk menetapkan kata sandi baru"
    link = link_in(message)
    assert link.startswith(f"{SITE}/masuk/atur/")
    set_page = client.get(link.removeprefix(SITE), follow=True)
    response = client.post(
        set_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("login")
    assert logged_in(log_in(client, "koordinator", NEW_PASSWORD))


# --- Lockout by account and address together --------------------------------------------------


def test_lockout_is_per_account_and_address_and_the_admin_can_lift_it(
    client, admin_user, coordinator, evaluator
):
    for _attempt in range(9):
        assert log_in(client, "koordinator", "salah-sandi", address="10.0.0.7").status_code == 200
    locked = log_in(client, "koordinator", "salah-sandi", address="10.0.0.7")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Akun terkunci sementara" in html
    assert "ditahan selama 30 menit" in html
    # Locked even with the right password, from that address only.
    assert log_in(client, "koordinator", address="10.0.0.7").status_code == 429
    assert logged_in(log_in(client.__class__(), "koordinator", address="10.0.0.8"))
    # Another person in the same office (same address) is not affected.
    assert logged_in(log_in(client.__class__(), "evaluator", address="10.0.0.7"))

    client.force_login(admin_user)
    page = client.get(reverse("person_detail", args=[coordinator.pk])).content.decode()
    assert "Buka kunci" in page
    client.post(reverse("person_unlock", args=[coordinator.pk]))
    assert AuditEvent.objects.filter(action="user.unlocked", actor=admin_user).count() == 1
    assert logged_in(log_in(client.__class__(), "koordinator", address="10.0.0.7"))


def test_lockout_ends_after_the_cool_off(client, coordinator):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(10):
            log_in(client, "koordinator", "salah-sandi")
        assert log_in(client, "koordinator").status_code == 429
        clock.shift(datetime.timedelta(minutes=31))
        assert logged_in(log_in(client, "koordinator"))


# --- Idle sessions ---------------------------------------------------------------------------


def test_session_ends_after_an_hour_without_requests(client, coordinator, settings):
    assert settings.SESSION_IDLE_MINUTES == 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert logged_in(log_in(client, "koordinator"))
        clock.shift(datetime.timedelta(minutes=50))
        assert client.get(reverse("home")).status_code == 200  # activity moves the expiry on
        clock.shift(datetime.timedelta(minutes=50))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=61))
        assert client.get(reverse("home")).url == "/masuk/?next=/"


def test_session_is_not_written_on_every_request(client, coordinator, django_assert_num_queries):
    client.force_login(coordinator)
    client.get(reverse("account"))
    # The session, the user with their institution, devices, roles, the menu's waiting work:
    # no session UPDATE.
    with django_assert_num_queries(5) as captured:
        client.get(reverse("account"))
    assert not [
        q
        for q in captured.captured_queries
        if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]


# --- Second factor (TOTP) ----------------------------------------------------------------------


def test_required_role_without_a_device_is_sent_to_enrol_first(client, coordinator, settings):
    settings.OTP_REQUIRED_ROLES = ["coordinator", "admin"]
    assert logged_in(log_in(client, "koordinator"))
    response = client.get(reverse("agency_list"))
    assert response.url == reverse("otp_enroll") + "?next=%2Fopd%2F"
    html = client.get(response.url).content.decode()
    assert "Peran Anda mewajibkan verifikasi dua langkah." in html
    assert "<svg" in html

    key = client.session["monev_totp_key"]
    draft = TOTPDevice(user=coordinator, key=key)
    wrong_code = f"{(int(code_for(draft)) + 500_000) % 1_000_000:06d}"
    wrong = client.post(reverse("otp_enroll"), {"token": wrong_code})
    assert "Kode salah." in wrong.content.decode()
    assert not TOTPDevice.objects.exists()
    response = client.post(reverse("otp_enroll"), {"token": code_for(draft), "next": "/opd/"})
    assert response.url == "/opd/"
    device = TOTPDevice.objects.get(user=coordinator)
    assert (device.confirmed, device.key) == (True, key)
    assert AuditEvent.objects.filter(action="user.second_factor_enabled").count() == 1
    assert client.get(reverse("home")).status_code == 200


def test_user_with_a_device_must_enter_a_valid_code(client, coordinator):
    device = services.enable_second_factor(coordinator, by=coordinator, key=KEY)
    assert logged_in(log_in(client, "koordinator"))
    response = client.get(reverse("home"))
    assert response.url == reverse("otp_verify") + "?next=%2F"
    wrong = client.post(reverse("otp_verify"), {"token": "12345x", "next": "/"})
    assert "Kode terdiri dari 6 angka." in wrong.content.decode()
    assert client.get(reverse("agency_list")).status_code == 302
    response = client.post(reverse("otp_verify"), {"token": code_for(device), "next": "/opd/"})
    assert response.url == "/opd/"
    assert client.get(reverse("home")).status_code == 200


def test_admin_resets_a_users_second_factor(client, admin_user, coordinator):
    services.enable_second_factor(coordinator, by=coordinator, key=KEY)
    client.force_login(admin_user)
    url = reverse("person_reset_second_factor", args=[coordinator.pk])
    assert (
        "Aplikasi autentikator Rina Koordinator tidak berlaku lagi"
        in client.get(url).content.decode()
    )
    client.post(url)
    assert not TOTPDevice.objects.exists()
    assert (
        AuditEvent.objects.filter(action="user.second_factor_reset", actor=admin_user).count() == 1
    )
    assert logged_in(log_in(client.__class__(), "koordinator"))


# --- Django admin ------------------------------------------------------------------------------


def test_institution_admin_opening_admin_is_pointed_to_pengguna(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/", follow=True)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Halaman ini untuk administrator instalasi" in html
    assert f'href="{reverse("people")}"' in html


def test_installation_admin_uses_django_admin(client, db):
    superuser = services.create_installation_admin(
        by=None, username="instalasi", password=NEW_PASSWORD, full_name="Admin Instalasi"
    )
    assert superuser.institution is None
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "instalasi", "password": NEW_PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "203.0.113.5", "127.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own entry is not trusted
        (2, "203.0.113.5, 10.1.1.1", "203.0.113.5"),
        (1, "", "127.0.0.1"),
    ],
)
def test_lockout_address_behind_proxies(rf, settings, proxies, forwarded, address):
    from institutions.backends import client_address

    settings.PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == address


def test_unknown_required_role_is_a_configuration_error(settings):
    from institutions.apps import check_required_roles

    settings.OTP_REQUIRED_ROLES = ["admin", "kepala"]
    [error] = check_required_roles(None)
    assert (error.id, error.msg) == (
        "institutions.E001",
        "OTP_REQUIRED_ROLES names unknown roles: kepala",
    )
    settings.OTP_REQUIRED_ROLES = ["admin", "coordinator", "leader"]
    assert check_required_roles(None) == []


def test_repeated_unlock_and_second_factor_reset_record_once(admin_user, coordinator):
    services.enable_second_factor(coordinator, by=coordinator, key=KEY)
    services.reset_second_factor(coordinator, by=admin_user)
    services.reset_second_factor(coordinator, by=admin_user)  # a second click
    services.unlock_user(coordinator, by=admin_user)  # nothing locked: nothing to record

    assert list(AuditEvent.objects.filter(actor=admin_user).values_list("action", flat=True)) == [
        "user.second_factor_reset"
    ]
