import re

import pytest
from django.urls import reverse

from institutions.models import Agency

ROLE_SECTIONS = {
    "coordinator": "role-coordinator",
    "supervisor": "role-supervisor",
    "secretariat": "role-secretariat",
    "evaluator": "role-evaluator",
    "leader": "role-leader",
    "admin_user": "role-admin",
    "agency_user": "role-agency",
}
ALL_SECTIONS = set(ROLE_SECTIONS.values())


@pytest.mark.parametrize(("persona", "section"), ROLE_SECTIONS.items())
def test_home_shows_the_section_of_each_role_only(request, client, persona, section):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert f'id="{section}"' in html
    assert [s for s in ALL_SECTIONS - {section} if f'id="{s}"' in html] == []


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert (response.status_code, response.url) == (302, "/masuk/?next=/")


def test_login_page_is_in_bahasa_indonesia(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke Monev SPBE" in html
    assert "Kata sandi" in html


def test_browser_language_does_not_override_the_indonesian_default(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html
    assert '<option value="id" lang="id" selected>Bahasa Indonesia</option>' in html
    assert '<option value="en" lang="en">English</option>' in html


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html


def test_agency_list_is_for_staff_of_the_institution(client, coordinator, agency, foreign_agency):
    client.force_login(coordinator)
    html = client.get(reverse("agency_list")).content.decode()
    assert "BKPSDM" in html
    assert "Dinas Kominfo Pangkalpinang" not in html


def test_agency_list_is_not_for_operators(client, agency_user):
    client.force_login(agency_user)
    assert client.get(reverse("agency_list")).status_code == 404


def test_agency_list_of_another_institution_shows_only_its_own(client, outsider, agency):
    client.force_login(outsider)
    html = client.get(reverse("agency_list")).content.decode()
    assert "BKPSDM" not in html
    assert "Belum ada OPD." in html


def test_operator_sees_own_agency_but_not_another(client, agency_user, agency, other_agency):
    client.force_login(agency_user)
    assert client.get(reverse("agency_detail", args=[agency.pk])).status_code == 200
    assert client.get(reverse("agency_detail", args=[other_agency.pk])).status_code == 404


def test_other_institution_gets_404_for_every_object(client, outsider, agency, coordinator):
    client.force_login(outsider)
    assert client.get(reverse("agency_detail", args=[agency.pk])).status_code == 404
    html = client.get(reverse("people")).content.decode()
    assert "koordinator" not in html.replace("pkp-koordinator", "")


@pytest.mark.parametrize(
    "persona", ["coordinator", "supervisor", "secretariat", "evaluator", "leader", "agency_user"]
)
def test_people_and_imports_are_for_admins_only(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("people")).status_code == 404
    assert client.get(reverse("import_rows", args=["opd"])).status_code == 404


def test_import_page_shows_row_errors_and_keeps_nothing(client, admin_user):
    client.force_login(admin_user)
    csv = b"nama,singkatan\nDinas Sosial,Dinsos\nDinas Tanpa Singkatan,\n"
    response = client.post(reverse("import_rows", args=["opd"]), {"file": _file(csv)}, follow=True)
    html = response.content.decode()
    assert "1 kesalahan — tidak ada data yang disimpan" in html
    assert "Kolom nama dan singkatan wajib diisi." in html
    assert Agency.objects.count() == 0


def test_import_page_success_redirects_with_message(client, admin_user):
    client.force_login(admin_user)
    csv = b"nama,singkatan\nDinas Sosial,Dinsos\n"
    preview = client.post(reverse("import_rows", args=["opd"]), {"file": _file(csv)})
    assert "Pratinjau: 1 baru, 0 diperbarui — belum disimpan" in preview.content.decode()
    assert Agency.objects.count() == 0
    token = preview.context["token"]
    response = client.post(reverse("import_confirm", args=["opd"]), {"token": token}, follow=True)
    assert response.redirect_chain == [(reverse("agency_list"), 302)]
    assert "Impor selesai: 1 baru, 0 diperbarui." in response.content.decode()


def test_import_page_refuses_unreadable_file(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("import_rows", args=["pengguna"]), {"file": _file(b"\x00\xff")})
    assert "Berkas bukan XLSX atau CSV (UTF-8) yang dapat dibaca." in response.content.decode()


def _file(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("data.csv", content)


def _agencies(institution, n):
    Agency.objects.bulk_create(
        Agency(institution=institution, name=f"Dinas {i}", short_name=f"D{i}") for i in range(n)
    )


@pytest.mark.parametrize("n", [1, 30])
def test_agency_list_query_count_does_not_grow(client, coordinator, django_assert_num_queries, n):
    _agencies(coordinator.institution, n)
    client.force_login(coordinator)
    with django_assert_num_queries(5):
        client.get(reverse("agency_list"))


@pytest.mark.parametrize("n", [1, 30])
def test_people_query_count_does_not_grow(client, admin_user, django_assert_num_queries, n):
    from monev.testing import make_user

    _agencies(admin_user.institution, n)
    for agency in Agency.objects.all():
        make_user(admin_user.institution, f"op-{agency.short_name}", "agency", agency=agency)
    client.force_login(admin_user)
    # 6: an administrator has no waiting work to read for the menu badge (cycles.waiting).
    with django_assert_num_queries(6):
        client.get(reverse("people"))


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("agency_user", ["Beranda", "Kotak masuk", "Kerangka evaluasi", "SOP"]),
        (
            "coordinator",
            ["Beranda", "Kotak masuk", "Periode monev", "OPD", "Kerangka evaluasi", "SOP"],
        ),
        (
            "admin_user",
            [
                "Beranda",
                "Kotak masuk",
                "Periode monev",
                "OPD",
                "Kerangka evaluasi",
                "SOP",
                "Pengguna",
                "Pengaturan instansi",
            ],
        ),
    ],
)
def test_the_menu_shows_the_links_of_the_persons_roles(request, client, persona, links):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    html = client.get(reverse("account") + "?x=1&y=2").content.decode()
    menu = html[html.index('<nav class="mainnav"') : html.index("</nav>")]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', menu) == links
    assert f'title="{user.get_full_name()} · Pemerintah Kota Pontianak"' in html
    assert '<input type="hidden" name="next" value="/akun/?x=1&amp;y=2">' in html
    assert html.count('name="csrfmiddlewaretoken"') == 2  # logout and the language switch


def test_the_login_page_has_no_menu(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<nav class="mainnav"' not in html
    assert 'class="menu-toggle"' not in html
    assert '<option value="id" lang="id" selected>Bahasa Indonesia</option>' in html
