import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.models import User
from sops.queries import forget_sop_steps


def table_of(query):
    return query["sql"].split(" FROM ")[1].split()[0].strip('"')


def test_sheet_shows_header_actors_and_every_step(client, coordinator, pontianak_sop):
    client.force_login(coordinator)
    response = client.get(reverse("sop_current"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for label in [
        "Nomor SOP",
        "Tanggal Pembuatan",
        "Tanggal Revisi",
        "Tanggal Efektif",
        "Disahkan oleh",
        "Nama SOP",
        "Dasar Hukum",
        "Kualifikasi Pelaksana",
        "Keterkaitan",
        "Peralatan/Perlengkapan",
        "Peringatan",
        "Pencatatan dan Pendataan",
        "Mutu Baku",
        "Kelengkapan",
        "Cetak",
    ]:
        assert label in page
    assert "/ TKPBET.DKI / 2020" in page
    assert "NIP. 19610329 198903 1 004" in page
    for actor in pontianak_sop.actors:
        assert f'<th scope="col" class="sop-actor">{actor["name"]}</th>' in page
    for step in pontianak_sop.steps.all():
        assert step.activity in page
        assert f'id="langkah-{step.number}"' in page
    assert "1 - 2 minggu" in page


def test_sheet_marks_owner_and_other_actors_with_text(client, coordinator, pontianak_sop):
    client.force_login(coordinator)
    page = html.unescape(client.get(reverse("sop_current")).content.decode())
    assert page.count(": pemegang langkah</span>") == 8
    assert page.count(": ikut melaksanakan</span>") == 2
    assert "Tim SPBE Kota Pontianak: pemegang langkah" in page
    assert "Setda: ikut melaksanakan" in page


def test_sheet_of_another_institution_shows_its_names(client, outsider, pangkalpinang_sop):
    client.force_login(outsider)
    page = html.unescape(client.get(reverse("sop_current")).content.decode())
    assert "Kabid Penyelenggaraan E-Government" in page
    assert "Kasi. PK&AI" not in page
    assert "tidak memuat kepala SOP" in page


def test_detail_shows_an_older_version(client, coordinator, pontianak_sop):
    client.force_login(coordinator)
    response = client.get(reverse("sop_detail", args=[pontianak_sop.pk]))
    assert response.status_code == 200
    assert response.context["sop"] == pontianak_sop


def test_detail_of_another_institutions_sop_is_404(client, outsider, pontianak_sop):
    client.force_login(outsider)
    response = client.get(reverse("sop_detail", args=[pontianak_sop.pk]))
    assert response.status_code == 404


def test_detail_for_a_user_without_institution_is_404(client, pontianak_sop):
    client.force_login(User.objects.create_user("tanpa", password="x"))
    response = client.get(reverse("sop_detail", args=[pontianak_sop.pk]))
    assert response.status_code == 404


def test_without_a_loaded_sop_the_page_says_how_to_load_one(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("sop_current"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Belum ada SOP yang dimuat untuk Pemerintah Kota Pontianak." in page
    assert "python manage.py load_sop sops/data/pontianak.json --institution pontianak" in page


def test_without_an_institution_the_page_says_so(client, db):
    client.force_login(User.objects.create_user("tanpa", password="x"))
    response = client.get(reverse("sop_current"))
    assert response.status_code == 200
    assert "Akun Anda belum terhubung dengan instansi mana pun." in response.content.decode()


@pytest.mark.parametrize("name", ["sop_current", "sop_detail"])
def test_sheet_requires_login(client, pontianak_sop, name):
    url = reverse(name, args=[pontianak_sop.pk] if name == "sop_detail" else [])
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"/masuk/?next={url}")


def test_sheet_query_count_does_not_grow_with_steps(client, coordinator, pontianak_sop):
    client.force_login(coordinator)
    forget_sop_steps()  # a process that has not read this SOP's steps yet
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("sop_current"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("sop_detail", args=[pontianak_sop.pk]))

    # The current SOP, its steps, its versions; then the same without the steps, which the
    # process keeps (sops.queries.sop_steps). The rest is the session, the user and the menu.
    assert [table_of(query) for query in cold if "sops_" in query["sql"]] == [
        "sops_sop",
        "sops_sopstep",
        "sops_sop",
    ]
    assert [table_of(query) for query in warm if "sops_" in query["sql"]] == [
        "sops_sop",
        "sops_sop",
    ]
    assert len(warm) == len(cold) - 1
